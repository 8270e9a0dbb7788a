@cert
Feature: The stamkort of a citizen who has died, and of a child, is shown as FSK holds it
  As a nurse
  I want to see a deceased citizen's relatives, and who holds custody of a child
  So that I contact the right people

  Background:
    Given a nurse is logged in to the system

  @req:FSK-CERT-DSP-16
  Scenario: A deceased citizen's stamkort is shown without an address
    Given a citizen with a relative entered by the citizen
    And the nurse has opened the citizen's record
    And the citizen has died
    When the nurse opens the citizen's record again
    Then the nurse is not told that FSK could not be read
    And the nurse sees the relative "Eva Holm"
    And the nurse does not see the address the citizen had

  @req:FSK-CERT-DSP-17
  Scenario: Both custody holders of a child see the child, each with their own relation
    Given a citizen aged 9 in the custody of a mother and of a guardian
    When the nurse opens the record of the child and of each custody holder
    Then the nurse sees the child on each custody holder's record, with the holder's relation
    And the nurse sees no one in the custody of the child
