"""Seeded defects: named misbehaviours the harness's own tests must catch (SPEC §5, the kill matrix).

Each defect changes exactly one behaviour of the otherwise correct reference EOJ and names the catalogue
requirements it breaks. Switch them on with ``REFERENCE_EOJ_DEFECTS=name,name`` or ``--defects name,name``.
The table in ``docs/defects.md`` is generated from :data:`CATALOGUE` (``python -m reference_eoj.defects``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reference_eoj.switches import Switches

ENV_VAR = "REFERENCE_EOJ_DEFECTS"


class Defect(StrEnum):
    MINLOG_EVERY_LOOKUP = "minlog-every-lookup"
    MINLOG_NEVER = "minlog-never"
    MINLOG_UTC_DAY = "minlog-utc-day"
    MINLOG_DROP_ON_OUTAGE = "minlog-drop-on-outage"
    MINLOG_OVERSIZED_BATCH = "minlog-oversized-batch"
    MINLOG_RESEND_ALL = "minlog-resend-all"
    MINLOG_RETRY_FOREVER = "minlog-retry-forever"
    FGVH_NAV_AS_FALSE = "fgvh-nav-as-false"
    FGVH_ERROR_AS_FALSE = "fgvh-error-as-false"
    FGVH_SYMBOL_ON_FALSE = "fgvh-symbol-on-false"
    FGVH_IGNORED = "fgvh-ignored"
    STALE_CACHE = "stale-cache"
    PDC_V2_QUERY = "pdc-v2-query"
    REGISTRY_FAILURE_AS_EMPTY = "registry-failure-as-empty"
    NO_HSUID = "no-hsuid"
    HSUID_NO_RESPONSIBLE_USER = "hsuid-no-responsible-user"
    EMPLOYEE_CARD = "employee-card"
    IGNORE_IDCARD_EXPIRY = "ignore-idcard-expiry"
    REUSED_MESSAGE_ID = "reused-message-id"
    NARRATIVE_RENDER = "narrative-render"
    STRICT_PDC_VALIDATION = "strict-pdc-validation"
    UNKNOWN_VERSION_AS_UNREADABLE = "unknown-version-as-unreadable"
    PROTECTED_ADDRESS_LEAK = "protected-address-leak"
    PROTECTION_MARKERS_SHOWN = "protection-markers-shown"
    RELATION_CODE_SHOWN = "relation-code-shown"
    FGVH_RAW_VALUE = "fgvh-raw-value"
    REGISTRATIONS_UNREAD = "registrations-unread"
    SKR_FRESH_ID_ON_UPDATE = "skr-fresh-id-on-update"
    SKR_BLIND_RETRY = "skr-blind-retry"
    SKR_SWALLOW_ERROR = "skr-swallow-error"
    TIMEZONE_UTC_DISPLAY = "timezone-utc-display"
    MASKING_STALE_SALT = "masking-stale-salt"
    NO_IDCARD_RETRY = "no-idcard-retry"
    IDCARD_RETRY_LOOP = "idcard-retry-loop"
    HSUID_FIRST_EMPLOYEE = "hsuid-first-employee"
    IDCARD_RENEW_AT_EXPIRY = "idcard-renew-at-expiry"
    IDCARD_STRICT_NOT_BEFORE = "idcard-strict-not-before"
    CERTIFICATE_ERROR_GENERIC = "certificate-error-generic"
    MINLOG_ONCE_PER_QUEUE = "minlog-once-per-queue"
    MINLOG_TIME_OF_DELIVERY = "minlog-time-of-delivery"
    MINLOG_NO_ON_BEHALF_OF = "minlog-no-on-behalf-of"
    MINLOG_VAERDISPRING = "minlog-vaerdispring"
    MINLOG_STANDARD_TIME_DAY = "minlog-standard-time-day"
    NO_DOCUMENT_AS_NO_OPT_OUT = "no-document-as-no-opt-out"
    ECPR_NOT_LOOKED_UP = "ecpr-not-looked-up"
    FGVH_MISSING_AS_FALSE = "fgvh-missing-as-false"
    LAST_READ_ON_FAILURE = "last-read-on-failure"
    FSK_CACHED_UNTIL_UTC_MIDNIGHT = "fsk-cached-until-utc-midnight"
    ADDRESS_REQUIRED = "address-required"
    REMEMBERED_ADDRESS_SHOWN = "remembered-address-shown"
    CUSTODY_RELATION_FIXED = "custody-relation-fixed"
    OVERVIEW_WITHOUT_SYMBOL = "overview-without-symbol"
    NO_TIMESTAMP = "no-timestamp"
    SECURITY_LEVEL_NOT_THE_CARDS = "security-level-not-the-cards"
    FGVH_UNKNOWN_WORDS_NO_OPT_OUT = "fgvh-unknown-words-no-opt-out"
    TECHNICAL_ERROR_ONLY = "technical-error-only"
    FORMAT_CODE_WITHOUT_SCHEME = "format-code-without-scheme"
    NAME_WHEN_SALT_MISSING = "name-when-salt-missing"
    BAD_DOCUMENT_AS_EMPTY = "bad-document-as-empty"
    ITI43_BARE_HOME_COMMUNITY = "iti43-bare-home-community"
    HSUID_YDERNUMMER_AS_SOR = "hsuid-ydernummer-as-sor"
    MINLOG_YDERNUMMER_AS_SOR = "minlog-ydernummer-as-sor"
    MINLOG_AUTHORISATION_AS_CPR = "minlog-authorisation-as-cpr"
    SOAP12_ENVELOPE = "soap12-envelope"
    WRONG_SOAPACTION = "wrong-soapaction"
    AUTHOR_CPR_SHOWN = "author-cpr-shown"
    MINLOG_ONE_REQUEST_PER_ENTRY = "minlog-one-request-per-entry"
    MINLOG_NO_BUDGET = "minlog-no-budget"
    SKR_UNREACHABLE_AS_SAVED = "skr-unreachable-as-saved"
    DENTIST_CLINIC_DROPPED = "dentist-clinic-dropped"


@dataclass(frozen=True)
class DefectInfo:
    """What a defect does and which requirements it breaks.

    ``requirements`` are what the defect is about: the kill matrix runs their scenarios and must see one of
    them fail naming one of them. ``also_breaks`` are the other requirements whose scenarios fail because of
    the defect in a whole-catalogue run (``python -m nspcert.catalogue.killmatrix --whole-catalogue`` lists
    them), e.g. every screen scenario when the defect leaves FSK unreadable. Kept apart so the kill matrix
    stays quick and a defect is never "caught" only by a scenario that fails for a side effect.
    """

    behaviour: str
    requirements: tuple[str, ...]
    also_breaks: tuple[str, ...] = ()


#: the requirements whose scenarios fail whenever the SUT cannot read FSK at all (their records show nothing,
#: and MinLog and masking need a record that was read): seen with ``pdc-v2-query`` and ``employee-card``
FSK_UNREADABLE = (
    "FSK-CERT-DSP-01", "FSK-CERT-DSP-02", "FSK-CERT-DSP-03", "FSK-CERT-DSP-04", "FSK-CERT-DSP-05", "FSK-CERT-DSP-06",
    "FSK-CERT-DSP-07", "FSK-CERT-DSP-08", "FSK-CERT-DSP-09", "FSK-CERT-DSP-10", "FSK-CERT-DSP-11", "FSK-CERT-DSP-12",
    "FSK-CERT-DSP-13", "FSK-CERT-FGVH-01", "FSK-CERT-FGVH-02", "FSK-CERT-FGVH-03", "FSK-CERT-FGVH-05",
    "FSK-CERT-MD-01", "FSK-CERT-SPR-01", "FSK-CERT-VER-01", "FSK-E2E-FGVH-01", "FSK-E2E-FGVH-02", "FSK-E2E-LOG-01",
    "FSK-E2E-MSK-01", "FSK-E2E-SKR-01", "FSK-E2E-SKR-02", "FSK-SIT-LOG-01", "FSK-SIT-LOG-02", "FSK-SIT-LOG-03",
    "FSK-SIT-LOG-04", "FSK-SIT-LOG-07", "FSK-SIT-LOG-08", "FSK-SIT-LOG-10", "FSK-SIT-MSK-01", "FSK-SIT-MSK-02",
    "FSK-SIT-QRY-03", "FSK-SIT-QRY-05", "FSK-SIT-SKR-01",
)


CATALOGUE: dict[Defect, DefectInfo] = {
    Defect.MINLOG_EVERY_LOOKUP: DefectInfo(
        "queues a MinLog2 entry on every open instead of once per employee × citizen × Danish day",
        ("FSK-SIT-LOG-02",),
        also_breaks=("FSK-SIT-LOG-03",)),
    Defect.MINLOG_NEVER: DefectInfo(
        "never queues MinLog2 entries for FSK use", ("FSK-SIT-LOG-01", "FSK-E2E-LOG-01"),
        also_breaks=("FSK-SIT-LOG-02", "FSK-SIT-LOG-03", "FSK-SIT-LOG-04", "FSK-SIT-LOG-05", "FSK-SIT-LOG-06",
                     "FSK-SIT-LOG-07", "FSK-SIT-LOG-08", "FSK-SIT-LOG-10", "FSK-SIT-LOG-11")),
    Defect.MINLOG_UTC_DAY: DefectInfo(
        "keys the once-a-day rule on the UTC date instead of the Danish (Europe/Copenhagen) calendar day",
        ("FSK-SIT-LOG-03",)),
    Defect.MINLOG_DROP_ON_OUTAGE: DefectInfo(
        "drops the queued batch when MinLog2 is unreachable or faults, instead of keeping it queued",
        ("FSK-SIT-LOG-07",),
        also_breaks=("FSK-SIT-LOG-05",)),
    Defect.MINLOG_OVERSIZED_BATCH: DefectInfo(
        "sends the whole queue in one AddRegistrations request instead of batches of at most 500",
        ("FSK-SIT-LOG-05",)),
    Defect.MINLOG_RESEND_ALL: DefectInfo(
        "after a partial failure re-sends every entry of the batch, not only the failed SequenceNumbers",
        ("FSK-SIT-LOG-06",)),
    Defect.MINLOG_RETRY_FOREVER: DefectInfo(
        "re-sends an entry MinLog2 keeps refusing on every delivery, never setting it aside after a bounded number "
        "of attempts", ("FSK-SIT-LOG-10",)),
    Defect.FGVH_NAV_AS_FALSE: DefectInfo(
        "shows FGVH nullFlavor=NAV as 'no opt-out' (not_opted_out) instead of 'temporarily unavailable'",
        ("FSK-CERT-FGVH-03",)),
    Defect.FGVH_ERROR_AS_FALSE: DefectInfo(
        "shows FGVH as 'no opt-out' when FSK could not be read, instead of 'unknown'",
        ("FSK-CERT-FGVH-04", "FSK-SIT-ERR-04"),
        also_breaks=("FSK-SIT-ERR-01", "FSK-SIT-ERR-02", "FSK-SIT-ERR-03", "FSK-SIT-QRY-01")),
    Defect.FGVH_SYMBOL_ON_FALSE: DefectInfo(
        "shows the FGVH symbol when the value is false", ("FSK-CERT-FGVH-02",),
        also_breaks=("FSK-E2E-FGVH-02", "FSK-SIT-QRY-05")),
    Defect.FGVH_IGNORED: DefectInfo(
        "does not read the NoResuscitationRegistration entry (a PDC 2.0-era parser): an opt-out is never shown, "
        "and an unavailable register (NAV) is shown as 'unknown' instead of 'temporarily unavailable'",
        ("FSK-CERT-FGVH-01", "FSK-CERT-FGVH-03", "FSK-E2E-FGVH-01"),
        also_breaks=("FSK-CERT-FGVH-05",)),
    Defect.STALE_CACHE: DefectInfo(
        "serves a CPR's first fetched FSK document on every later open instead of fetching FSK fresh",
        ("FSK-SIT-QRY-05", "FSK-E2E-FGVH-02"),
        also_breaks=("FSK-CERT-DSP-04", "FSK-E2E-FGVH-01", "FSK-SIT-S2S-04")),
    Defect.PDC_V2_QUERY: DefectInfo(
        "queries ITI-18 with the PDC v2.0 format code instead of pdc-v3.0", ("FSK-SIT-QRY-02", "FSK-SIT-QRY-04"),
        also_breaks=FSK_UNREADABLE),
    Defect.REGISTRY_FAILURE_AS_EMPTY: DefectInfo(
        "takes an FSK search answered with status Failure (or with no document) as an empty stamkort: FSK shown as "
        "read, no message, FGVH 'no opt-out'", ("FSK-SIT-ERR-01",)),
    Defect.NO_HSUID: DefectInfo(
        "sends FSK calls (SFSK and SKR) without the HSUID header", ("FSK-SIT-S2S-06", "FSK-SIT-SKR-06"),
        also_breaks=("FSK-E2E-SKR-01", "FSK-SIT-S2S-07", "FSK-SIT-SKR-01", "FSK-SIT-SKR-02",
                     "FSK-SIT-SKR-03")),
    Defect.HSUID_NO_RESPONSIBLE_USER: DefectInfo(
        "leaves nsi:ResponsibleUserCivilRegistrationNumber and nsi:ResponsibleUserAuthorizationCode out of HSUID, "
        "also when the employee acts on behalf of an authorised professional", ("FSK-SIT-S2S-07",)),
    Defect.EMPLOYEE_CARD: DefectInfo(
        "requests a level-4 user ID card per employee for FSK calls instead of a level-3 system card",
        ("FSK-SIT-S2S-02", "FSK-SIT-QRY-01"),
        also_breaks=FSK_UNREADABLE + (
            "FSK-SIT-QRY-02", "FSK-SIT-QRY-04", "FSK-SIT-S2S-01", "FSK-SIT-S2S-03", "FSK-SIT-S2S-04",
            "FSK-SIT-S2S-05", "FSK-SIT-S2S-06", "FSK-SIT-S2S-07", "FSK-SIT-SKR-02", "FSK-SIT-SKR-03",
            "FSK-SIT-SKR-06", "FSK-SIT-SKR-08",
        )),
    Defect.IGNORE_IDCARD_EXPIRY: DefectInfo(
        "keeps using the ID card after NotOnOrAfter instead of renewing it shortly before expiry",
        ("FSK-SIT-S2S-04",),
        also_breaks=("FSK-E2E-FGVH-01",)),
    Defect.REUSED_MESSAGE_ID: DefectInfo(
        "sends the same medcom:Header/Linking/MessageID on every call", ("FSK-SIT-S2S-05",)),
    Defect.NARRATIVE_RENDER: DefectInfo(
        "shows the citizen's name and address from the narrative table instead of the structured entry "
        "(so a real name or address in the narrative of a protected citizen is shown)",
        ("FSK-CERT-DSP-03",)),
    Defect.STRICT_PDC_VALIDATION: DefectInfo(
        "refuses a document with an entry type it does not know or an element out of its schema place (strict "
        "validation, e.g. MedCom's NAV example) and shows FSK as unreadable", ("FSK-CERT-DSP-13", "FSK-CERT-FGVH-03")),
    Defect.UNKNOWN_VERSION_AS_UNREADABLE: DefectInfo(
        "takes a document whose header names a PDC version it does not know as an FSK it could not read: shows only "
        "the general 'Fælles Stamkort kunne ikke hentes' error, never that the stamkort's version is not known",
        ("FSK-CERT-VER-01",)),
    Defect.PROTECTED_ADDRESS_LEAK: DefectInfo(
        "shows the locally remembered address of a citizen whose name/address FSK marks as protected",
        ("FSK-CERT-DSP-04",)),
    Defect.PROTECTION_MARKERS_SHOWN: DefectInfo(
        "shows a protected address as FSK codes it: the ConfAddr marker and the parts' nullFlavor NI, not as the "
        "protection marker text", ("FSK-CERT-DSP-14",)),
    Defect.RELATION_CODE_SHOWN: DefectInfo(
        "shows a relative's and a child's relation as its MedCom code (uspec_paaroerende) instead of its display "
        "name (Uspecificeret pårørende)", ("FSK-CERT-DSP-15", "FSK-CERT-DSP-07")),
    Defect.REGISTRATIONS_UNREAD: DefectInfo(
        "does not read the organ donor and will registrations (shows them as unknown), so a maximal stamkort is not "
        "shown whole", ("FSK-CERT-DSP-02", "FSK-CERT-DSP-10")),
    Defect.FGVH_RAW_VALUE: DefectInfo(
        "shows the opt-out of resuscitation as the document codes it (true, false, NAV) instead of in words",
        ("FSK-CERT-FGVH-06",)),
    Defect.SKR_BLIND_RETRY: DefectInfo(
        "re-sends a write SKR rejected with a validation fault (a Client fault, not a DGWS fault) 3 times "
        "before telling the user",
        ("FSK-SIT-SKR-05",)),
    Defect.SKR_FRESH_ID_ON_UPDATE: DefectInfo(
        "writes a change to an item FSK holds as a new item id (a fresh UUID) instead of the item's own id, so SKR "
        "does not know the item it is asked to change", ("FSK-SIT-SKR-01", "FSK-SIT-SKR-02", "FSK-SIT-SKR-03")),
    Defect.SKR_SWALLOW_ERROR: DefectInfo(
        "tells the user a write SKR rejected was saved", ("FSK-SIT-SKR-04",)),
    Defect.TIMEZONE_UTC_DISPLAY: DefectInfo(
        "shows FSK timestamps in UTC instead of Danish local time", ("FSK-CERT-DSP-11",),
        also_breaks=("FSK-CERT-DSP-08", "FSK-CERT-DSP-12")),
    Defect.MASKING_STALE_SALT: DefectInfo(
        "never refreshes the IDSAS salt after the first fetch, so pseudonyms go stale", ("FSK-SIT-MSK-01",)),
    # --- issue 12: the failure modes no scenario covered -----------------------------------------------------
    Defect.NO_IDCARD_RETRY: DefectInfo(
        "when NSP refuses a call with sosigw_no_valid_idcard_in_request, shows the error at once instead of getting "
        "a new ID card from the STS and sending the call again once", ("FSK-SIT-S2S-11",)),
    Defect.IDCARD_RETRY_LOOP: DefectInfo(
        "when NSP refuses a call with sosigw_no_valid_idcard_in_request, gets a new card and sends the call again up "
        "to 4 times instead of once", ("FSK-SIT-S2S-11",)),
    Defect.HSUID_FIRST_EMPLOYEE: DefectInfo(
        "builds the HSUID header once, for the first employee who acts, and sends it on every later call, whoever "
        "acts", ("FSK-SIT-S2S-09",)),
    Defect.IDCARD_RENEW_AT_EXPIRY: DefectInfo(
        "renews the ID card only when its own clock reaches NotOnOrAfter (no margin), so with its clock a few minutes "
        "behind the platform's it presents a card the platform sees as expired", ("FSK-SIT-S2S-10",)),
    Defect.IDCARD_STRICT_NOT_BEFORE: DefectInfo(
        "refuses an issued ID card whose NotBefore is after its own clock (a clock a few minutes behind the STS's), "
        "so FSK cannot be read", ("FSK-SIT-S2S-10",)),
    Defect.CERTIFICATE_ERROR_GENERIC: DefectInfo(
        "when the STS refuses the function certificate (expired, revoked) shows only the general 'Fælles Stamkort "
        "kunne ikke hentes', never that the system's certificate is the cause", ("FSK-SIT-ERR-05",)),
    Defect.MINLOG_ONCE_PER_QUEUE: DefectInfo(
        "keeps the once-a-day rule only for entries still waiting: once an entry is delivered, a later look the same "
        "day queues a second one", ("FSK-SIT-LOG-13",)),
    Defect.MINLOG_TIME_OF_DELIVERY: DefectInfo(
        "stamps a MinLog2 entry with the time it is sent instead of the time of use, so an entry delivered after an "
        "outage across midnight lands on the wrong day", ("FSK-SIT-LOG-14",)),
    Defect.MINLOG_NO_ON_BEHALF_OF: DefectInfo(
        "leaves OnBehalfOfPersonIdentifier out of the MinLog2 entry when the employee acts on behalf of an authorised "
        "professional", ("FSK-SIT-LOG-15",)),
    Defect.MINLOG_VAERDISPRING: DefectInfo(
        "marks every MinLog2 entry with Addition 'Værdispring' (the consent override of the retired FSK blocking)",
        ("FSK-SIT-LOG-16",)),
    Defect.MINLOG_STANDARD_TIME_DAY: DefectInfo(
        "keys the once-a-day rule on Danish standard time (UTC+1) all year, so on summer-time days the hour after "
        "midnight belongs to the day before", ("FSK-SIT-LOG-17",)),
    Defect.NO_DOCUMENT_AS_NO_OPT_OUT: DefectInfo(
        "takes an FSK search answered with success and no document as an empty stamkort: FSK shown as read, no "
        "message, FGVH 'no opt-out'", ("FSK-CERT-FGVH-07",)),
    Defect.ECPR_NOT_LOOKED_UP: DefectInfo(
        "does not search FSK for a citizen with a replacement CPR number (eCPR) and shows the record with FGVH 'no "
        "opt-out'", ("FSK-CERT-FGVH-08",)),
    Defect.FGVH_MISSING_AS_FALSE: DefectInfo(
        "shows a stamkort without the NoResuscitationRegistration entry (an FSK 2.0 stamkort) as 'no opt-out' "
        "instead of 'unknown'", ("FSK-CERT-FGVH-09",)),
    Defect.LAST_READ_ON_FAILURE: DefectInfo(
        "when FSK cannot be read shows the stamkort of the last good read as the current one, FGVH included",
        ("FSK-CERT-FGVH-10",)),
    Defect.FSK_CACHED_UNTIL_UTC_MIDNIGHT: DefectInfo(
        "keeps a citizen's FSK until the next midnight UTC ('the opt-out changes only at midnight'), so an opt-out "
        "taking effect at Danish midnight shows an hour or two late", ("FSK-E2E-FGVH-03",)),
    Defect.ADDRESS_REQUIRED: DefectInfo(
        "refuses a stamkort whose citizen has no address (a deceased citizen's) and shows FSK as unreadable",
        ("FSK-CERT-DSP-16",)),
    Defect.REMEMBERED_ADDRESS_SHOWN: DefectInfo(
        "shows the address it remembers from an earlier read when FSK gives the citizen none (a deceased citizen)",
        ("FSK-CERT-DSP-16",)),
    Defect.CUSTODY_RELATION_FIXED: DefectInfo(
        "shows every custody relation as 'forælder' (the FSK 2.0 wording) instead of the relation FSK names (mor, "
        "far, værge)", ("FSK-CERT-DSP-17",), also_breaks=("FSK-CERT-DSP-09",)),
    Defect.OVERVIEW_WITHOUT_SYMBOL: DefectInfo(
        "shows the citizen list (overview) without the FGVH symbol, also for a citizen who has opted out",
        ("FSK-CERT-FGVH-11",)),
    # --- issue 12: checks that now read every field and the words the employee reads -------------------------
    Defect.NO_TIMESTAMP: DefectInfo(
        "sends wsse:Security without its wsu:Timestamp (the ID card alone)", ("FSK-SIT-S2S-05",)),
    Defect.SECURITY_LEVEL_NOT_THE_CARDS: DefectInfo(
        "writes SecurityLevel 4 in medcom:Header while it calls with its level-3 system card (a mutant of the "
        "card's level, read from the STS answer, survived the catalogue: nothing judged the header's level)",
        ("FSK-SIT-S2S-05",)),
    Defect.FGVH_UNKNOWN_WORDS_NO_OPT_OUT: DefectInfo(
        "when FSK could not be read shows the state 'unknown' with the words 'Borger ønsker genoplivningsforsøg ved "
        "hjertestop': the machine state is right, what the employee reads says 'no opt-out'", ("FSK-CERT-FGVH-04",),
        also_breaks=("FSK-CERT-FGVH-10", "FSK-SIT-ERR-01", "FSK-SIT-ERR-02", "FSK-SIT-ERR-03", "FSK-SIT-ERR-04",
                     "FSK-SIT-ERR-05", "FSK-SIT-QRY-01", "FSK-SIT-S2S-11", "FSK-CERT-FGVH-07", "FSK-CERT-FGVH-08")),
    Defect.TECHNICAL_ERROR_ONLY: DefectInfo(
        "when FSK cannot be read shows only the technical error ('SFSK svarede ikke korrekt (HTTP 503)'), never that "
        "the citizen's Fælles Stamkort could not be read", ("FSK-SIT-ERR-04",),
        also_breaks=("FSK-SIT-ERR-01", "FSK-SIT-ERR-03", "FSK-SIT-S2S-11", "FSK-CERT-FGVH-10")),
    Defect.FORMAT_CODE_WITHOUT_SCHEME: DefectInfo(
        "searches ITI-18 with the pdc-v3.0 format code but without its coding scheme (^^1.2.208.184.100.10), which the "
        "registry does not match: no stamkort is found", ("FSK-SIT-QRY-02",),
        also_breaks=FSK_UNREADABLE + ("FSK-CERT-FGVH-11", "FSK-CERT-DSP-16", "FSK-CERT-DSP-17", "FSK-E2E-FGVH-03",
                                      "FSK-SIT-LOG-13", "FSK-SIT-LOG-14", "FSK-SIT-LOG-15", "FSK-SIT-LOG-16",
                                      "FSK-SIT-LOG-17", "FSK-SIT-S2S-09", "FSK-SIT-S2S-10", "FSK-SIT-S2S-11")),
    Defect.NAME_WHEN_SALT_MISSING: DefectInfo(
        "shows a masked employee to the citizen by name when the IDSAS salt cannot be fetched (instead of hiding the "
        "name until a pseudonym can be made)", ("FSK-E2E-MSK-01",)),
    Defect.BAD_DOCUMENT_AS_EMPTY: DefectInfo(
        "takes a retrieved document that is not a stamkort (an error page) as an empty stamkort: FSK shown as read, "
        "FGVH 'no opt-out'", ("FSK-SIT-ERR-04",)),
    Defect.ITI43_BARE_HOME_COMMUNITY: DefectInfo(
        "sends the entry's HomeCommunityId in ITI-43 as a bare OID, without its `urn:oid:` (the platform does not "
        "know that community)", ("FSK-CERT-MD-01",),
        also_breaks=tuple(r for r in FSK_UNREADABLE if r != "FSK-CERT-MD-01")),
    Defect.HSUID_YDERNUMMER_AS_SOR: DefectInfo(
        "a GP system that sends its ydernummer in HSUID `nsi:OrgUsingID` with NameFormat `nsi:sor` (a ydernummer "
        "labelled as a SOR code)", ("FSK-SIT-S2S-06",)),
    Defect.MINLOG_YDERNUMMER_AS_SOR: DefectInfo(
        "a GP system that writes its ydernummer in MinLog2 as `OrganisationId source=\"SOR\"`", ("FSK-SIT-LOG-08",)),
    Defect.MINLOG_AUTHORISATION_AS_CPR: DefectInfo(
        "writes the employee's authorisation id in MinLog2 as `UserPersonIdentifier source=\"CPR\"` (the citizen's "
        "MinLog then names nobody)", ("FSK-SIT-LOG-01", "FSK-E2E-LOG-01"),
        also_breaks=("FSK-SIT-LOG-02", "FSK-SIT-LOG-03", "FSK-SIT-LOG-07")),
    Defect.SOAP12_ENVELOPE: DefectInfo(
        "sends the FSK search and retrieval as SOAP 1.2 (as IHE's XDS.b profile has it) to the platform's SOAP 1.1 "
        "SFSK binding, which refuses them (VersionMismatch)", ("FSK-SIT-S2S-08",),
        also_breaks=FSK_UNREADABLE + ("FSK-SIT-S2S-06", "FSK-SIT-S2S-07")),
    Defect.WRONG_SOAPACTION: DefectInfo(
        "sends the WSDL's operation name (`DocumentRegistry_RegistryStoredQuery`, …) as the SOAPAction of the FSK "
        "calls, which the platform's decoupling component cannot route", ("FSK-SIT-S2S-08",),
        also_breaks=FSK_UNREADABLE + ("FSK-SIT-S2S-06", "FSK-SIT-S2S-07")),
    Defect.AUTHOR_CPR_SHOWN: DefectInfo(
        "shows the CPR of whoever typed an item in beside their name (a masked author's `MSK` included)",
        ("FSK-CERT-DSP-05",)),
    Defect.MINLOG_ONE_REQUEST_PER_ENTRY: DefectInfo(
        "sends every queued MinLog2 entry in a request of its own, also when several wait together",
        ("FSK-SIT-LOG-11",)),
    Defect.MINLOG_NO_BUDGET: DefectInfo(
        "its background MinLog2 sending ignores the budget of 20 requests an hour: each round sends whatever waits",
        ("FSK-SIT-LOG-11",)),
    Defect.SKR_UNREACHABLE_AS_SAVED: DefectInfo(
        "tells the employee a change was saved when SKR could not be reached (HTTP 503, a dropped connection)",
        ("FSK-SIT-SKR-09",)),
    # --- mutation testing's survivors (docs/mutation.md) --------------------------------------------------------
    Defect.DENTIST_CLINIC_DROPPED: DefectInfo(
        "shows the citizen's dentist by the dentist's own name only, without the clinic FSK holds (the TN value, or "
        "an EN naming the clinic: MedCom's maximal example's \"Tandklinikken smil. nu\")", ("FSK-CERT-DSP-02",)),
}


class Defects(Switches[Defect]):
    """The set of switched-on defects; ``Defect.X in defects`` asks whether one is on."""

    names_of = Defect
    kind = "defect"
    env_var = ENV_VAR


def markdown_table() -> str:
    rows = ["| defect | behaviour | breaks | also fails (whole catalogue) |", "|---|---|---|---|"]
    rows += [f"| `{d.value}` | {i.behaviour} | {', '.join(i.requirements)} | {_also(i)} |" for d, i in CATALOGUE.items()]
    return "\n".join(rows)


def _also(info: DefectInfo) -> str:
    if info.also_breaks and set(FSK_UNREADABLE) <= set(info.also_breaks):
        rest = [r for r in info.also_breaks if r not in FSK_UNREADABLE]
        return ", ".join(["every scenario that needs FSK read (FSK_UNREADABLE)", *rest])
    return ", ".join(info.also_breaks) or "—"


if __name__ == "__main__":
    print(markdown_table())
