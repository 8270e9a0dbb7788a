@cert
Feature: The system uses the XDS metadata of the FSK entry as the registry returned it
  As MedCom, certifying the XDS metadata together with PDC-DK 3.0
  I want the system to take the repository and community of FSK from the entry the search returned
  So that it keeps working when the platform moves FSK to another repository

  Background:
    Given a nurse is logged in to the system
    And a citizen aged 70

  @req:FSK-CERT-MD-01
  Scenario: FSK is retrieved from the repository and community the entry's metadata names
    When the nurse opens the citizen's record
    Then the system retrieved it from the repository and community the search's metadata named
