@sit
Feature: The system keeps its identity right when employees, clocks and ID cards get in the way
  As Sundhedsdatastyrelsen's test manager
  I want every FSK call to name the employee who acted and to carry an ID card the platform accepts
  So that the platform's records stay true on a busy shift, with an unsynchronised clock or an expiring card

  Background:
    Given a nurse is logged in to the system
    And a citizen aged 70

  @req:FSK-SIT-S2S-09
  Scenario: Two employees taking turns are each named on their own calls
    Given a doctor is also logged in to the system
    When the nurse and the doctor take turns opening the citizen's record
    Then every call to FSK named the employee whose turn it was as the acting health professional

  @req:FSK-SIT-S2S-10 @capability:clock
  Scenario: A system clock a few minutes behind the platform's never presents an expired ID card
    Given the system's clock is 3 minutes behind the platform's
    And the nurse has opened the citizen's record
    When the system's ID card expires by the platform's clock
    And the nurse opens the citizen's record again
    Then the platform never received an expired ID card
    And the nurse sees the citizen's name from FSK

  @req:FSK-SIT-S2S-11
  Scenario: A call refused for its ID card is sent again with a new card
    Given FSK refuses the next call because it no longer accepts the system's ID card
    When the nurse opens the citizen's record
    Then the system got a new ID card and sent the refused call again
    And the nurse sees the citizen's name from FSK

  @req:FSK-SIT-S2S-11
  Scenario: An ID card FSK keeps refusing is renewed only once
    Given FSK refuses calls with the DGWS fault "sosigw_no_valid_idcard_in_request"
    When the nurse opens the citizen's record
    Then the system sent the refused call again only once
    And the nurse is told that FSK could not be read

  @req:FSK-SIT-ERR-05
  Scenario Outline: A function certificate the STS refuses because it <reason> is named to the nurse
    Given the system's function certificate <reason>
    When the nurse opens the citizen's record
    Then the nurse is told that the system's certificate was refused
    And the opt-out status is shown as unknown

    Examples:
      | reason                                |
      | has expired on the platform's date    |
      | has been revoked                      |
