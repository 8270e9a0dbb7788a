@cert
Feature: The opt-out of resuscitation is shown on the citizen list too
  As a nurse planning the day's visits
  I want the citizen list to show who has opted out of resuscitation, as each record does
  So that I know it before I open a record, and never read a missing status as "no opt-out"

  Background:
    Given a nurse is logged in to the system

  @req:FSK-CERT-FGVH-11
  Scenario: The list shows the opt-out symbol for the citizen who has opted out, and only for them
    Given the nurse's citizen list holds a citizen who has opted out of resuscitation, one who has not, and one whose stamkort cannot be read
    When the nurse opens the citizen list
    Then the nurse sees each citizen's opt-out status on the list, with the symbol only for the citizen who has opted out
