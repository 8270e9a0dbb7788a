@e2e
Feature: Stamkort data are shared between the systems caring for the citizen
  As a nurse
  I want what another system or the citizen entered in FSK to show in my system
  So that everyone works from the same master data

  Background:
    Given a nurse is logged in to the system
    And a citizen aged 69

  @req:FSK-E2E-SKR-01
  Scenario: A relative entered in this system is seen by a colleague as entered by the organisation
    Given a doctor of another organisation is also logged in to the system
    When the nurse adds the relative "Hanne Nielsen" as "datter" with mobile phone "+4520304050"
    And the doctor opens the citizen's record
    Then the doctor sees the relative "Hanne Nielsen" entered by a health professional of the nurse's organisation

  @req:FSK-E2E-SKR-02
  Scenario: A change the citizen made on sundhed.dk shows as entered by the citizen
    Given the citizen has added the relative "Karen Holm" as "søster" on sundhed.dk
    When the nurse opens the citizen's record
    Then the nurse sees the relative "Karen Holm" entered by the citizen

  @req:FSK-E2E-SKR-02
  Scenario: A change a relative with power of attorney made on sundhed.dk shows as entered by a relative
    Given a relative with power of attorney has added the relative "Ole Holm" as "bror" on sundhed.dk
    When the nurse opens the citizen's record
    Then the nurse sees the relative "Ole Holm" entered by a relative of the citizen

  @req:FSK-E2E-LOG-01
  Scenario: The citizen sees in MinLog that the nurse looked at their stamkort
    When the nurse opens the citizen's record
    And the system delivers its MinLog entries
    Then the citizen sees in MinLog that the nurse of the nurse's organisation looked at their data today
