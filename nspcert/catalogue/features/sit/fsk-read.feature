@sit
Feature: The system reads the citizen's Fælles Stamkort in version 3.0
  As Sundhedsdatastyrelsen's test manager
  I want the system to search and retrieve FSK exactly as the platform publishes it
  So that it keeps working now that FSK 2.0 is gone

  Background:
    Given a nurse is logged in to the system
    And a citizen aged 75

  @req:FSK-SIT-QRY-02
  Scenario: The search asks for the citizen's FSK in version 3.0
    When the nurse opens the citizen's record
    Then the system searched for the citizen's approved on-demand FSK in version 3.0

  @req:FSK-SIT-QRY-04
  Scenario: The system never depends on FSK 2.0
    When the nurse opens the citizen's record
    Then the system never asked for FSK version 2.0
    And the nurse sees the citizen's name from FSK

  @req:FSK-SIT-QRY-03
  Scenario: The system retrieves exactly the document the search returned
    When the nurse opens the citizen's record
    Then the system retrieved the document the search returned

  @req:FSK-SIT-QRY-05
  Scenario: FSK is read afresh every time the record is opened
    Given the nurse has opened the citizen's record
    When the nurse opens the citizen's record again
    Then the system read FSK from the platform both times
