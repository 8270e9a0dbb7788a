@e2e
Feature: An employee of a masked organisation stays hidden from the citizen
  As an employee of an organisation that asked for identity masking
  I want the citizen to see that my organisation used their data, but not my name
  So that I am protected while the citizen can still follow the use of their data

  Background:
    Given a nurse of a masked organisation is logged in to the system
    And a citizen aged 64

  @req:FSK-E2E-MSK-01 @capability:citizen-view
  Scenario: The citizen is shown the nurse's use of their data, never the nurse's name
    When the nurse opens the citizen's record
    Then the citizen sees that their data were used, but not the nurse's name

  @req:FSK-E2E-MSK-01 @capability:citizen-view
  Scenario: While the masking service cannot be reached, the citizen still never sees the nurse's name
    Given the masking service cannot be reached
    When the nurse opens the citizen's record
    Then the nurse sees the citizen's name from FSK
    And the citizen sees that their data were used, but not the nurse's name
