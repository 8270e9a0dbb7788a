@sit
Feature: One MinLog entry a day, on the right day, for the right people
  As a citizen
  I want MinLog to show each employee's use of my stamkort once a day, on the day it happened
  So that the log tells me truly who looked, when, and on whose behalf

  Background:
    Given a nurse is logged in to the system
    And a citizen aged 71

  @req:FSK-SIT-LOG-13
  Scenario: A look after the day's entry was delivered gives no second entry
    When the nurse opens the citizen's record
    And the system delivers its MinLog entries
    And the nurse opens the citizen's record again
    And the system delivers its MinLog entries
    Then MinLog holds 1 entry for the nurse and the citizen today

  @req:FSK-SIT-LOG-14 @capability:clock
  Scenario: An entry delivered after an outage across midnight keeps the time of the look
    Given the time in Denmark is "2025-03-04T23:50:00+01:00"
    And MinLog is down
    When the nurse opens the citizen's record
    And the system delivers its MinLog entries
    And the time in Denmark becomes "2025-03-05T00:20:00+01:00"
    And MinLog is back
    And the system delivers its MinLog entries
    Then MinLog holds 1 entry for the nurse and the citizen on "2025-03-04"
    And MinLog's entry says the nurse looked at the citizen's stamkort at "2025-03-04T23:50:00+01:00"

  @req:FSK-SIT-LOG-15
  Scenario: A care worker acting for a nurse is logged as acting on the nurse's behalf
    Given a care worker without an authorisation is logged in to act on behalf of the nurse
    When the care worker opens the citizen's record
    And the system delivers its MinLog entries
    Then MinLog's entry names the care worker as the user, acting on behalf of the nurse

  @req:FSK-SIT-LOG-16
  Scenario: No entry records a consent override now that FSK cannot be blocked
    When the nurse opens the citizen's record
    And the system delivers its MinLog entries
    Then no MinLog entry records a consent override or a 'værdispring'

  @req:FSK-SIT-LOG-17 @capability:clock
  Scenario Outline: Looks at 00:30 and 23:30 on the <hours>-hour Sunday are one day
    Given the time in Denmark is "<first look>"
    When the nurse opens the citizen's record
    And the time in Denmark becomes "<second look>"
    And the nurse opens the citizen's record
    And the system delivers its MinLog entries
    Then MinLog holds 1 entry for the nurse and the citizen on "<day>"

    Examples: summer time begins (23 hours) and ends (25 hours)
      | hours | first look                | second look               | day        |
      | 23    | 2025-03-30T00:30:00+01:00 | 2025-03-30T23:30:00+02:00 | 2025-03-30 |
      | 25    | 2025-10-26T00:30:00+02:00 | 2025-10-26T23:30:00+01:00 | 2025-10-26 |
