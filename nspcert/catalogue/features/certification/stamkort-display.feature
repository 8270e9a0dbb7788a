@cert
Feature: The employee sees the citizen's Fælles Stamkort as FSK holds it
  As a nurse
  I want to see the citizen's master data exactly as registered, marked as coming from FSK
  So that I contact the right relatives and respect the citizen's registrations

  Background:
    Given a nurse is logged in to the system

  @req:FSK-CERT-DSP-01
  Scenario: MedCom's minimal example shows the citizen's name, CPR, address and GP
    Given a citizen whose stamkort is MedCom's minimal example
    When the nurse opens the citizen's record
    Then the nurse sees the citizen's name, CPR number and address
    And the nurse sees the citizen's GP

  @req:FSK-CERT-DSP-02
  Scenario: Every part of MedCom's maximal example is shown
    Given a citizen whose stamkort is MedCom's maximal example
    When the nurse opens the citizen's record
    Then the nurse sees every registered item of the citizen's stamkort

  @req:FSK-CERT-DSP-15
  Scenario Outline: Relations are shown by their name, not by their code, in MedCom's <example>
    Given a citizen whose stamkort is MedCom's <example>
    When the nurse opens the citizen's record
    Then the nurse sees each relative's and child's relation by its name, not its code

    Examples:
      | example                                             |
      | maximal example                                     |
      | example with a narrative that differs from its data |

  @req:FSK-CERT-DSP-03
  Scenario: The structured data are shown, not MedCom's deliberately different narrative text
    Given a citizen whose stamkort is MedCom's example with a narrative that differs from its data
    When the nurse opens the citizen's record
    Then the nurse sees the relatives and the name from the structured data
    And the nurse does not see the names that appear only in the narrative text

  @req:FSK-CERT-DSP-04
  Scenario: MedCom's name and address protection example is shown only as protected
    Given a citizen whose stamkort is MedCom's name and address protection example
    When the nurse opens the citizen's record
    Then the nurse sees the protection marker FSK sent instead of the citizen's name and address
    And the nurse does not see the citizen's real name or address

  @req:FSK-CERT-DSP-04
  Scenario: A name and address protected as the FSK documentation words it is shown only as protected
    Given the platform marks a protected name and address as "BESKYTTET NAVN/ADRESSE"
    And a citizen with name and address protection
    When the nurse opens the citizen's record
    Then the nurse sees the protection marker FSK sent instead of the citizen's name and address
    And the nurse does not see the citizen's real name or address

  @req:FSK-CERT-DSP-14
  Scenario: A protected address is shown in words, never as MedCom's protection example codes it
    Given a citizen whose stamkort is MedCom's name and address protection example
    When the nurse opens the citizen's record
    Then the nurse sees the protected address in words, not as FSK codes it

  @req:FSK-CERT-DSP-04
  Scenario: A name and address protected since the last visit is no longer shown
    Given a citizen aged 47
    And the nurse has opened the citizen's record
    And the citizen has since got name and address protection
    When the nurse opens the citizen's record again
    Then the nurse sees the protection marker FSK sent instead of the citizen's name and address
    And the nurse does not see the citizen's real name or address

  @req:FSK-CERT-DSP-05
  Scenario: Who entered each item is shown, and a masked CPR never is
    Given a citizen with items entered by the citizen, a relative and a health professional
    When the nurse opens the citizen's record
    Then the nurse sees for each item whether the citizen, a relative or a health professional entered it
    And the nurse sees the health professional's organisation
    And the nurse does not see any masked CPR number

  @req:FSK-CERT-DSP-06
  Scenario: Special characters and a line break in a relative's note are shown exactly
    Given a citizen with a relative whose note is:
      """
      Ring før kl. 8 "altid" <ikke> sms; & @ / \ ^ * 'tak'.
      Nøglen ligger hos naboen – ”kun” til test & certificering.
      """
    When the nurse opens the citizen's record
    Then the nurse sees the relative's note exactly as written

  @req:FSK-CERT-DSP-07
  Scenario: Several relatives and phones are each shown with relation and use
    Given a citizen with 3 relatives and phones for home, mobile and work
    When the nurse opens the citizen's record
    Then the nurse sees each relative with their relation
    And the nurse sees each phone number with its use

  @req:FSK-CERT-DSP-08
  Scenario: The period of a temporary address is shown
    Given a citizen with a temporary address from "2025-05-01" to "2025-08-31"
    When the nurse opens the citizen's record
    Then the nurse sees the temporary address from "2025-05-01" to "2025-08-31"

  @req:FSK-CERT-DSP-08
  Scenario: An open-ended temporary address is shown without an end
    Given a citizen with a temporary address from "2025-05-01" and no end date
    When the nurse opens the citizen's record
    Then the nurse sees the temporary address from "2025-05-01" with no end date

  @req:FSK-CERT-DSP-09
  Scenario: Children in the citizen's custody are shown
    Given a citizen with custody of 2 children
    When the nurse opens the citizen's record
    Then the nurse sees each child with name, CPR number and relation

  @req:FSK-CERT-DSP-10
  Scenario: Organ donor and wills are shown only as registered or not
    Given a citizen registered as organ donor and with a living will but no treatment will
    When the nurse opens the citizen's record
    Then the nurse sees that an organ donor registration and a living will are registered
    And the nurse sees that no treatment will is registered

  @req:FSK-CERT-DSP-11
  Scenario Outline: Times are shown in Danish local time
    Given a citizen with a relative entered at "<entered at>"
    When the nurse opens the citizen's record
    Then the nurse sees the relative as entered at "<Danish time>" Danish time

    Examples:
      | entered at                | Danish time      |
      | 2025-01-15T14:34:00+01:00 | 2025-01-15 14:34 |
      | 2025-07-15T14:34:00+02:00 | 2025-07-15 14:34 |
      | 2025-07-15T23:30:00+00:00 | 2025-07-16 01:30 |

  @req:FSK-CERT-DSP-12
  Scenario: Data from FSK are marked as FSK data with source and time
    Given a citizen with a relative entered by the citizen
    When the nurse opens the citizen's record
    Then every item the nurse sees from FSK is marked as FSK data with its source
    And the relative is marked with when it was entered

  @req:FSK-CERT-DSP-13
  Scenario: A document with an unknown future entry, a long birth time and no GP is still shown
    Given a citizen without a GP whose FSK has an entry type unknown today and a birth time with a clock time
    When the nurse opens the citizen's record
    Then the nurse sees the citizen's name, CPR number and address
    And the nurse is not told that FSK could not be read

  @req:FSK-CERT-VER-01
  Scenario: A 3.0 document with an old version marker is still shown
    Given a citizen whose FSK 3.0 document still carries the 2.0 service marker
    When the nurse opens the citizen's record
    Then the nurse sees the citizen's name from FSK

  @req:FSK-CERT-VER-01
  Scenario: A document of a version the system does not know is flagged
    Given a citizen whose FSK document says it is of version "4.0"
    When the nurse opens the citizen's record
    Then the nurse is warned that the stamkort is of a version the system does not know

  @req:FSK-CERT-SPR-01 @manual-review
  Scenario: FSK is shown without a blocking or consent step
    The harness checks that FSK opens without the nurse being asked to lift a blocking (spærring) or to
    give consent; the reviewer judges on the screenshots that the system offers no blocking or consent
    override of FSK anywhere (removed on 1 December 2024).

    Given a citizen aged 58
    When the nurse opens the citizen's record
    Then the nurse sees FSK without being asked to lift a blocking or to give consent
