@e2e
Feature: An opt-out takes effect at Danish midnight also when the clocks change
  As a citizen over 60
  I want my opt-out to reach the staff at the start of the 7th day, whatever the clocks do that night
  So that it is respected from the moment it takes effect

  Background:
    Given a nurse is logged in to the system
    And a citizen aged 74

  @req:FSK-E2E-FGVH-03 @capability:clock
  Scenario Outline: An opt-out that takes effect on the <hours>-hour Sunday shows from midnight
    Given the time in Denmark is "<registered>"
    And the citizen registers an opt-out of resuscitation
    And the time in Denmark is "<before midnight>"
    And the nurse has opened the citizen's record
    When the time in Denmark becomes "<after midnight>"
    And the nurse opens the citizen's record again
    Then the nurse sees that the citizen has opted out of resuscitation
    And the opt-out symbol is shown

    Examples: summer time begins (23 hours) and ends (25 hours)
      | hours | registered                | before midnight           | after midnight            |
      | 23    | 2025-03-23T12:00:00+01:00 | 2025-03-29T23:30:00+01:00 | 2025-03-30T00:30:00+01:00 |
      | 25    | 2025-10-19T12:00:00+02:00 | 2025-10-25T23:30:00+02:00 | 2025-10-26T00:30:00+02:00 |
