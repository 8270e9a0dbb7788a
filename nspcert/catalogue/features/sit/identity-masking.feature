@sit
Feature: Pseudonyms for masked employees follow the national algorithm
  As a citizen whose data were used by a masked organisation
  I want to see a stable pseudonym instead of the employee's name
  So that the employee is protected and I can still tell the looks apart

  Background:
    Given a nurse of a masked organisation is logged in to the system
    And a citizen aged 64

  @req:FSK-SIT-MSK-01
  Scenario: The system fetches the masking salt from the platform
    When the nurse opens the citizen's record
    Then the system fetched the current masking salt from the platform

  @req:FSK-SIT-MSK-02 @capability:citizen-view
  Scenario: The citizen sees the nurse by the pseudonym the national algorithm gives
    When the nurse opens the citizen's record
    Then the citizen sees the nurse only by the pseudonym made with the current salt

  @req:FSK-SIT-MSK-01 @capability:clock @capability:citizen-view
  Scenario: A new salt is used within the hour after the platform rotates it
    Given the nurse has opened the citizen's record
    And the platform has rotated the masking salt
    And an hour passes
    When the nurse opens the citizen's record
    Then the citizen sees the nurse only by the pseudonym made with the current salt
