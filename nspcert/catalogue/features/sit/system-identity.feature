@sit
Feature: The system calls FSK with its own function certificate
  As Sundhedsdatastyrelsen's test manager
  I want every FSK call to carry the organisation's system identity and the acting employee
  So that the platform knows which system and which employee used the citizen's data

  Background:
    Given a nurse is logged in to the system
    And a citizen aged 70

  @req:FSK-SIT-QRY-01
  Scenario: The system gets a level-3 system ID card with its function certificate
    When the nurse opens the citizen's record
    Then the system obtained a system ID card at level 3 with its function certificate

  @req:FSK-SIT-QRY-01
  Scenario Outline: A function certificate that <validity> on the platform's date is refused and the nurse is told
    Given the system's function certificate <validity> on the platform's date
    When the nurse opens the citizen's record
    Then the nurse is told that FSK could not be read
    And the opt-out status is shown as unknown

    Examples:
      | validity          |
      | has expired       |
      | is not yet valid  |

  @req:FSK-SIT-S2S-02
  Scenario: Routine FSK reads use the system card, not an employee certificate
    When the nurse opens the citizen's record
    Then every call to FSK was made with a system ID card, never an employee's card

  @req:FSK-SIT-S2S-01
  Scenario: The system ID card is used only for what system users may do
    When the nurse opens the citizen's record
    Then every call to FSK made with the system ID card asked only for what system users may

  @req:FSK-SIT-S2S-05
  Scenario: Every FSK call carries the security headers and a unique message id
    When the nurse opens the citizen's record twice
    Then every call to the platform carried a signed ID card, a timestamp and a message id
    And no two calls carried the same message id

  @req:FSK-SIT-S2S-06
  Scenario: Every FSK call names the acting employee
    When the nurse opens the citizen's record
    Then every call to FSK named the nurse as the acting health professional
    And every call to FSK named the nurse's organisation by its SOR code, ydernummer or SKS code
    And every call to FSK named the system, its version and its owner

  @req:FSK-SIT-S2S-08
  Scenario: Every FSK call reaches the search or retrieval it was meant for
    When the nurse opens the citizen's record
    Then every call to FSK reached the search or the retrieval it was meant for

  @req:FSK-SIT-S2S-07
  Scenario: A care worker acting for a nurse names the nurse as the responsible professional
    Given a care worker without an authorisation is logged in to act on behalf of the nurse
    When the care worker opens the citizen's record
    Then every call to FSK named the care worker as the acting health professional
    And every call to FSK named the nurse, by CPR number and authorisation code, as the responsible professional

  @req:FSK-SIT-S2S-03
  Scenario: The ID card is reused while it is valid
    When the nurse opens the citizen's record 3 times
    Then the system asked the STS for an ID card only once

  @req:FSK-SIT-S2S-04 @capability:clock
  Scenario: An expired ID card is renewed, never presented
    Given the nurse has opened the citizen's record
    And the system's ID card has expired
    When the nurse opens the citizen's record
    Then the system asked the STS for a new ID card
    And the platform never received an expired ID card
