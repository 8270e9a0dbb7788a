@cert
Feature: An opt-out status the system does not know is never shown as "no opt-out"
  As a nurse in municipal home care
  I want to be told when the system cannot know whether the citizen has opted out of resuscitation
  So that I never take a missing stamkort or a missing entry for the citizen's wish to be resuscitated

  Background:
    Given a nurse is logged in to the system

  @req:FSK-CERT-FGVH-07
  Scenario: A citizen FSK holds no stamkort for is "unknown"
    Given a citizen aged 74 for whom FSK holds no stamkort
    When the nurse opens the citizen's record
    Then the nurse is told that FSK holds no stamkort for the citizen
    And the opt-out status is shown as unknown
    And the nurse is never told that the citizen has not opted out

  @req:FSK-CERT-FGVH-08
  Scenario: A citizen known only by a replacement CPR number is "unknown"
    Given a citizen aged 66 known only by a replacement CPR number
    When the nurse opens the citizen's record
    Then the system searched FSK for the citizen's replacement CPR number
    And the nurse is told that FSK holds no stamkort for the citizen
    And the opt-out status is shown as unknown

  @req:FSK-CERT-FGVH-09
  Scenario: A stamkort without the opt-out entry is "unknown", with no symbol
    Given a citizen aged 82
    And FSK serves the citizen's stamkort without the opt-out entry, as an FSK 2.0 stamkort had none
    When the nurse opens the citizen's record
    Then the opt-out status is shown as unknown
    And the nurse is never told that the citizen has not opted out
    And the opt-out symbol is not shown

  @req:FSK-CERT-FGVH-10
  Scenario: After FSK is lost, the stamkort read before is not shown as the current one
    Given a citizen aged 78
    And the nurse has opened the citizen's record
    And FSK cannot be reached
    When the nurse opens the citizen's record again
    Then the nurse is told that FSK could not be read
    And the stamkort read before is not shown as the current one
    And the nurse is never told that the citizen has not opted out
