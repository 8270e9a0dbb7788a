@sit
Feature: The system stays honest when the platform fails
  As a nurse
  I want to be told when Fælles Stamkort cannot be read
  So that I never mistake missing data for "no opt-out of resuscitation"

  Background:
    Given a nurse is logged in to the system
    And a citizen aged 77
    And the citizen registered an opt-out of resuscitation a month ago

  @req:FSK-SIT-ERR-01
  Scenario Outline: A search the registry answers with "<error>" is shown as "FSK could not be read", not as no data
    Given the FSK search fails with the registry error "<error>"
    When the nurse opens the citizen's record
    Then the nurse is told that FSK could not be read
    And the opt-out status is shown as unknown

    Examples:
      | error                    |
      | XDSUnknownPatientId      |
      | XDSRegistryNotAvailable  |
      | XDSUnavailableCommunity  |
      | XDS-NO-ACTIVE-REGISTRIES |

  @req:FSK-SIT-ERR-01
  Scenario: A retrieval the repository answers with an error is shown as "FSK could not be read"
    Given the FSK retrieval fails with the registry error "XDSRepositoryError"
    When the nurse opens the citizen's record
    Then the nurse is told that FSK could not be read
    And the opt-out status is shown as unknown

  @req:FSK-SIT-ERR-02
  Scenario Outline: An STS refusal is shown as an error, not as success
    Given the STS refuses to issue ID cards with HTTP status <status>
    When the nurse opens the citizen's record
    Then the nurse is told that FSK could not be read
    And the opt-out status is shown as unknown

    Examples:
      | status |
      | 500    |
      | 200    |

  @req:FSK-SIT-ERR-03
  Scenario Outline: Each DGWS fault code gives the nurse a message
    Given FSK refuses calls with the DGWS fault "<fault code>"
    When the nurse opens the citizen's record
    Then the nurse is told that FSK could not be read
    And the opt-out status is shown as unknown

    Examples:
      | fault code                            |
      | sosigw_no_valid_idcard_in_request     |
      | sosigw_missing_signinginfo_in_request |
      | sosigw_syntax_error_in_request        |
      | sosigw_awaiting_signing               |
      | sosigw_no_valid_idcard_in_cache       |
      | sosigw_access_denied                  |
      | sosigw_internal_error                 |
      | sosigw_proxy_error                    |

  @req:FSK-SIT-ERR-04 @req:FSK-CERT-FGVH-04
  Scenario Outline: A transport failure is never shown as "no opt-out"
    Given FSK fails with <failure>
    When the nurse opens the citizen's record
    Then the nurse is told that FSK could not be read
    And the opt-out status is shown as unknown

    Examples:
      | failure                   |
      | a SOAP fault              |
      | HTTP status 503           |
      | no answer in time         |
      | a malformed answer        |
      | an empty answer           |
      | a dropped connection      |

  @req:FSK-SIT-ERR-04
  Scenario: A retrieved document that is not a stamkort is shown as "FSK could not be read"
    Given FSK serves the citizen a document that is not a stamkort
    When the nurse opens the citizen's record
    Then the nurse is told that FSK could not be read
    And the opt-out status is shown as unknown
