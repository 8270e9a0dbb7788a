@sit
Feature: The system logs its own use of FSK to MinLog2
  As a citizen
  I want to see in MinLog who has looked at my Fælles Stamkort
  So that I can trust how my data are used

  Background:
    Given a nurse is logged in to the system
    And a citizen aged 71

  @req:FSK-SIT-LOG-01
  Scenario: Looking at a citizen's FSK is logged
    When the nurse opens the citizen's record
    And the system delivers its MinLog entries
    Then MinLog holds 1 entry for the nurse and the citizen today

  @req:FSK-SIT-LOG-08
  Scenario: The MinLog entry names the organisation and an activity the citizen understands
    When the nurse opens the citizen's record
    And the system delivers its MinLog entries
    Then the entry names the nurse's organisation and an activity the citizen understands

  @req:FSK-SIT-LOG-02
  Scenario: Many looks on one day give one entry
    When the nurse opens the citizen's record 4 times
    And the system delivers its MinLog entries
    Then MinLog holds 1 entry for the nurse and the citizen today

  @req:FSK-SIT-LOG-02
  Scenario: Two employees looking at one citizen give one entry each
    Given a doctor is also logged in to the system
    When the nurse opens the citizen's record
    And the doctor opens the citizen's record
    And the system delivers its MinLog entries
    Then MinLog holds 1 entry for the nurse and the citizen today
    And MinLog holds 1 entry for the doctor and the citizen today

  @req:FSK-SIT-LOG-03 @capability:clock
  Scenario: Looks on both sides of Danish midnight are two days
    Given the time in Denmark is "2025-03-04T23:50:00+01:00"
    When the nurse opens the citizen's record
    And the time in Denmark becomes "2025-03-05T00:10:00+01:00"
    And the nurse opens the citizen's record
    And the system delivers its MinLog entries
    Then MinLog holds 1 entry for the nurse and the citizen on "2025-03-04"
    And MinLog holds 1 entry for the nurse and the citizen on "2025-03-05"

  @req:FSK-SIT-LOG-03 @capability:clock
  Scenario: Looks on both sides of UTC midnight within one Danish day are one day
    Given the time in Denmark is "2025-07-01T01:30:00+02:00"
    When the nurse opens the citizen's record
    And the time in Denmark becomes "2025-07-01T03:30:00+02:00"
    And the nurse opens the citizen's record
    And the system delivers its MinLog entries
    Then MinLog holds 1 entry for the nurse and the citizen on "2025-07-01"

  @req:FSK-SIT-LOG-04
  Scenario: Every MinLog request is valid against the 2025-03-12 schema
    When the nurse opens the citizen's record
    And the system delivers its MinLog entries
    Then every MinLog request the system sent is valid against the MinLog2 schema

  # @slow: the nurse opens 501 records; it runs first so that a parallel run does not wait for it at the end
  @req:FSK-SIT-LOG-05 @slow
  Scenario: A large backlog is sent in batches of at most 500
    Given 501 citizens the nurse has looked at while MinLog was down
    When the system delivers its MinLog entries
    Then no MinLog request carried more than 500 entries
    And MinLog holds an entry for each of the 501 citizens

  @req:FSK-SIT-LOG-06
  Scenario: Only the entries MinLog refused are sent again
    Given MinLog refuses the next entry it receives
    And 3 citizens the nurse has looked at
    When the system delivers its MinLog entries
    And the system delivers its MinLog entries
    Then only the refused entry was sent a second time
    And MinLog holds an entry for each of the 3 citizens

  @req:FSK-SIT-LOG-07
  Scenario: Nothing is lost while MinLog is down
    Given MinLog is down
    When the nurse opens the citizen's record
    And the system delivers its MinLog entries
    And MinLog is back
    And the system delivers its MinLog entries
    Then MinLog holds 1 entry for the nurse and the citizen today

  @req:FSK-SIT-LOG-10
  Scenario: An entry MinLog keeps refusing is given up after a bounded number of attempts
    Given MinLog refuses the citizen's entry every time
    When the nurse opens the citizen's record
    And the system delivers its MinLog entries 12 times
    Then the system gave up on the refused entry after at most 10 attempts

  # the entries are looked at while MinLog is down, so they wait together whenever the system itself would send
  @req:FSK-SIT-LOG-11
  Scenario: Entries waiting together are sent in one request
    Given 3 citizens the nurse has looked at while MinLog was down
    When the system delivers its MinLog entries
    Then the system sent the 3 entries in one MinLog request

  # the system's own background sending (not the harness's "send now") runs a round after each look, as its timer
  # would; MinLog2's budget is a bound, so sending fewer requests, or none until its timer is due, is not wrong
  @req:FSK-SIT-LOG-11 @capability:minlog.background @capability:clock
  Scenario: The system's own sending keeps to 20 MinLog requests an hour and sends the rest later
    When the nurse looks at 24 citizens one after another, the system sending MinLog entries on its own after each look
    Then MinLog received at most 20 requests in any hour
    And every look MinLog has no entry for is still waiting in the system
    When an hour passes
    And the system sends its MinLog entries on its own
    Then MinLog holds an entry for each of the 24 citizens
    And MinLog received at most 20 requests in any hour
