@cert
Feature: The employee sees the citizen's opt-out of resuscitation
  As a nurse in municipal home care
  I want to see at once whether the citizen has opted out of resuscitation
  So that I respect the citizen's registered wish if their heart stops

  Background:
    Given a nurse is logged in to the system

  @req:FSK-CERT-FGVH-01
  Scenario: A registered opt-out is shown with the opt-out symbol
    Given a citizen aged 72
    And the citizen registered an opt-out of resuscitation a month ago
    When the nurse opens the citizen's record
    Then the nurse sees that the citizen has opted out of resuscitation
    And the opt-out symbol is shown

  @req:FSK-CERT-FGVH-02
  Scenario: No symbol when the citizen has not opted out
    Given a citizen aged 68
    And the citizen has not registered an opt-out of resuscitation
    When the nurse opens the citizen's record
    Then the nurse sees that the citizen has not opted out of resuscitation
    And the opt-out symbol is not shown

  @req:FSK-CERT-FGVH-03
  Scenario: MedCom's example of an unavailable opt-out register is never shown as "no opt-out"
    MedCom's example says "not available" as an extension of the value and puts the GP where the schema forbids
    it; the system shows it all the same.

    Given a citizen whose stamkort is MedCom's example of an unavailable opt-out register
    When the nurse opens the citizen's record
    Then the nurse sees that the opt-out status is temporarily unavailable
    And the nurse is never told that the citizen has not opted out
    And the opt-out symbol is not shown

  @req:FSK-CERT-FGVH-03
  Scenario: An unavailable opt-out register is never shown as "no opt-out"
    Given a citizen aged 81
    And the citizen registered an opt-out of resuscitation a month ago
    And the opt-out register is temporarily unavailable
    When the nurse opens the citizen's record
    Then the nurse sees that the opt-out status is temporarily unavailable
    And the nurse is never told that the citizen has not opted out
    And the opt-out symbol is not shown

  @req:FSK-CERT-FGVH-06
  Scenario Outline: The opt-out status of MedCom's <example> is told in words
    Given a citizen whose stamkort is MedCom's <example>
    When the nurse opens the citizen's record
    Then the nurse is told the opt-out status in words

    Examples: an opt-out (true), none (false), the register unavailable (NAV)
      | example                                    |
      | maximal example                            |
      | minimal example                            |
      | example of an unavailable opt-out register |

  @req:FSK-CERT-FGVH-04
  Scenario: FSK that cannot be read is shown as "unknown", never as "no opt-out"
    Given a citizen aged 79
    And the citizen registered an opt-out of resuscitation a month ago
    And FSK cannot be reached
    When the nurse opens the citizen's record
    Then the opt-out status is shown as unknown
    And the nurse is never told that the citizen has not opted out

  @req:FSK-CERT-FGVH-05 @manual-review
  Scenario: The opt-out status is on the record the nurse opens, and is not for the nurse to change
    The harness checks that the opt-out comes with the record as it opens; the reviewer judges on the
    screenshots that it is prominent in the views care, nursing and emergency staff use and that the system
    offers no field to edit it (the driver contract has no change of it).

    Given a citizen aged 76
    And the citizen registered an opt-out of resuscitation a month ago
    When the nurse opens the citizen's record
    Then the opt-out status is shown on the record the nurse opened
