@e2e
Feature: A citizen's opt-out of resuscitation reaches the employee on time, and leaves on time
  As a citizen over 60
  I want my opt-out to be shown to staff once it takes effect, and no longer once I withdraw it
  So that my current wish is the one respected

  Background:
    Given a nurse is logged in to the system
    And a citizen aged 74

  @req:FSK-E2E-FGVH-01
  Scenario: The opt-out is not shown on the 6th day after registration
    Given the citizen registered an opt-out of resuscitation 6 days ago
    When the nurse opens the citizen's record
    Then the nurse sees that the citizen has not opted out of resuscitation

  @req:FSK-E2E-FGVH-01
  Scenario: The opt-out is shown from the 7th day after registration
    Given the citizen registered an opt-out of resuscitation 7 days ago
    When the nurse opens the citizen's record
    Then the nurse sees that the citizen has opted out of resuscitation
    And the opt-out symbol is shown

  @req:FSK-E2E-FGVH-01 @capability:clock
  Scenario: The opt-out appears at the next open once the 7th day begins
    Given the citizen registered an opt-out of resuscitation 6 days ago
    And the nurse has opened the citizen's record
    When a day passes
    And the nurse opens the citizen's record again
    Then the nurse sees that the citizen has opted out of resuscitation

  @req:FSK-E2E-FGVH-02 @req:FSK-SIT-QRY-05
  Scenario: A withdrawn opt-out disappears at the next open
    Given the citizen registered an opt-out of resuscitation a month ago
    And the nurse has opened the citizen's record
    When the citizen withdraws the opt-out
    And the nurse opens the citizen's record again
    Then the nurse sees that the citizen has not opted out of resuscitation
    And the opt-out symbol is not shown
