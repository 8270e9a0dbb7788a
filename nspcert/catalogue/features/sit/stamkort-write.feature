@sit
Feature: The employee updates the citizen's typed-in stamkort data in FSK
  As a nurse
  I want the relatives, phones, language, dentist and temporary address I enter to be saved in FSK
  So that every other system caring for the citizen sees the same data

  Background:
    Given a nurse is logged in to the system
    And a citizen aged 66

  @req:FSK-SIT-SKR-01
  Scenario: A relative added by the nurse is saved in FSK
    When the nurse adds the relative "Hanne Nielsen" as "datter" with mobile phone "+4520304050"
    Then the nurse is told the change was saved
    And FSK holds the relative "Hanne Nielsen" as "datter"
    And the nurse sees the relative "Hanne Nielsen" when the record is opened again

  @req:FSK-SIT-SKR-01
  Scenario: A relative removed by the nurse is removed from FSK
    Given FSK holds the relative "Poul Hansen" as "søn" entered by the citizen
    When the nurse removes the relative "Poul Hansen"
    Then the nurse is told the change was saved
    And FSK holds no relative "Poul Hansen"

  @req:FSK-SIT-SKR-01
  Scenario: A relative changed by the nurse is changed in FSK
    Given FSK holds the relative "Poul Hansen" as "søn" entered by the citizen
    When the nurse changes the relation of "Poul Hansen" to "bror"
    Then the nurse is told the change was saved
    And FSK holds the relative "Poul Hansen" as "bror"

  @req:FSK-SIT-SKR-02
  Scenario: A temporary address without an end date is saved
    When the nurse registers a temporary address "Sommerhusvej 3, 4500 Nykøbing Sj" from "2025-06-01"
    Then the nurse is told the change was saved
    And FSK holds a temporary address from "2025-06-01" with no end date

  @req:FSK-SIT-SKR-02
  Scenario: A temporary address with an end date is saved with its period
    When the nurse registers a temporary address "Sommerhusvej 3, 4500 Nykøbing Sj" from "2025-06-01" to "2025-08-31"
    Then the nurse is told the change was saved
    And FSK holds a temporary address from "2025-06-01" to "2025-08-31"

  @req:FSK-SIT-SKR-02
  Scenario: A changed temporary address replaces the one in FSK
    Given FSK holds a temporary address entered by the citizen
    When the nurse changes the temporary address to "Fjordvej 9, 9000 Aalborg" from "2025-07-01" to "2025-07-31"
    Then the nurse is told the change was saved
    And FSK holds a temporary address from "2025-07-01" to "2025-07-31"

  @req:FSK-SIT-SKR-02
  Scenario: A removed temporary address is removed from FSK
    Given FSK holds a temporary address entered by the citizen
    When the nurse removes the temporary address
    Then the nurse is told the change was saved
    And FSK holds no temporary address

  @req:FSK-SIT-SKR-03
  Scenario Outline: <item> is saved in FSK
    When the nurse registers the <item> "<value>"
    Then the nurse is told the change was saved
    And FSK holds the <item> "<value>"

    Examples:
      | item          | value               |
      | language      | de                  |
      | home phone    | +4533221100         |
      | mobile phone  | +4522334455         |
      | work phone    | +4544556677         |
      | dentist       | Tandlægerne Strøget |

  @req:FSK-SIT-SKR-03
  Scenario Outline: A changed <item> replaces the one in FSK
    Given FSK holds the <item> "<before>" entered by the citizen
    When the nurse changes the <item> to "<after>"
    Then the nurse is told the change was saved
    And FSK holds the <item> "<after>"

    Examples:
      | item         | before              | after                |
      | language     | de                  | fr                   |
      | mobile phone | +4522334455         | +4522334466          |
      | dentist      | Tandlægerne Strøget | Tandklinikken Torvet |

  @req:FSK-SIT-SKR-03
  Scenario Outline: A removed <item> is removed from FSK
    Given FSK holds the <item> "<value>" entered by the citizen
    When the nurse removes the <item>
    Then the nurse is told the change was saved
    And FSK holds no <item>

    Examples:
      | item       | value               |
      | language   | de                  |
      | home phone | +4533221100         |
      | dentist    | Tandlægerne Strøget |

  @req:FSK-SIT-SKR-04
  Scenario: A CPR number in a relative's note is refused and the nurse sees why
    When the nurse adds the relative "Jens Olsen" as "nabo" with the note "cpr 0101601234"
    Then the nurse is told the change was not saved, with FSK's reason

  @req:FSK-SIT-SKR-05
  Scenario: A change FSK refused is not sent again
    When the nurse adds the relative "Jens Olsen" as "nabo" with the note "cpr 0101601234"
    Then the system did not send the refused change again

  @req:FSK-SIT-SKR-04
  Scenario: A second temporary address is refused and the nurse sees why
    Given FSK holds a temporary address entered by the citizen
    When the nurse registers a temporary address "Fjordvej 9, 9000 Aalborg" from "2025-07-01"
    Then the nurse is told the change was not saved, with FSK's reason

  @req:FSK-SIT-SKR-04
  Scenario Outline: FSK refuses <invalid change> and the nurse sees why
    When the nurse saves <invalid change>
    Then the nurse is told the change was not saved, with FSK's reason

    Examples:
      | invalid change                                   |
      | a relative without a given name                  |
      | a relative whose name contains a CPR number      |
      | a relative whose relation contains a CPR number  |
      | a temporary address that ends before it starts   |
      | a language that is not an ISO 639-1 code         |

  @req:FSK-SIT-SKR-04
  Scenario: A change for a deceased citizen is refused and the nurse sees why
    Given the citizen has died
    When the nurse adds the relative "Hanne Nielsen" as "datter" with mobile phone "+4520304050"
    Then the nurse is told the change was not saved, with FSK's reason

  @req:FSK-SIT-SKR-09
  Scenario Outline: A change is not reported as saved when FSK's write service fails with <failure>
    Given FSK's write service fails with <failure>
    When the nurse adds the relative "Hanne Nielsen" as "datter" with mobile phone "+4520304050"
    Then the nurse is told the change could not be saved

    Examples:
      | failure              |
      | HTTP status 503      |
      | a dropped connection |

  @req:FSK-SIT-SKR-08
  Scenario: Opening the record and adding a relative writes only the relative to FSK
    Given the nurse has opened the citizen's record
    When the nurse adds the relative "Hanne Nielsen" as "datter" with mobile phone "+4520304050"
    Then the only write to FSK was the relative the nurse added

  @req:FSK-SIT-SKR-06
  Scenario: A saved change names the nurse's organisation as its author
    When the nurse adds the relative "Hanne Nielsen" as "datter" with mobile phone "+4520304050"
    Then FSK shows the relative as entered by a health professional of the nurse's organisation
    And the write named the nurse as the acting health professional
