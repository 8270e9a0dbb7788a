"""The NSP wire vocabulary: namespaces, OIDs, codes, paths and SOAP actions.

A pure module (no imports beyond the standard library) shared by the harness, the mock NSP and the
reference EOJ, because it is the same public knowledge for all three (SPEC §2). Every value here is
taken from `../shared/docs/domain-nsp.md`; the conformance tests check them against the real WSDLs,
XSDs and PDC documents in `../shared/nsp-reference/`.
"""

from __future__ import annotations

from typing import Final

# --- XML namespaces --------------------------------------------------------------------------------
NS: Final[dict[str, str]] = {
    "soap": "http://schemas.xmlsoap.org/soap/envelope/",
    "soap12": "http://www.w3.org/2003/05/soap-envelope",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "medcom": "http://www.medcom.dk/dgws/2006/04/dgws-1.0.xsd",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "sosi": "http://www.sosi.dk/sosi/2006/04/sosi-1.0.xsd",
    "wsa": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "wsa10": "http://www.w3.org/2005/08/addressing",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wst": "http://schemas.xmlsoap.org/ws/2005/02/trust",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xsd": "http://www.w3.org/2001/XMLSchema",
    "hsuid": "http://www.nsi.dk/hsuid/2016/08/hsuid-1.1.xsd",
    "query": "urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0",
    "rim": "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0",
    "rs": "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0",
    "xds": "urn:ihe:iti:xds-b:2007",
    "cda": "urn:hl7-org:v3",
    "sdtc": "urn:hl7-org:sdtc",
    "minlog": "http://www.sundhedsdatastyrelsen.dk/minlog/xml.schema/2025/03/12/minlog2-registration.xsd",
    "minlog_wsdl": "http://www.sundhedsdatastyrelsen.dk/minlog/xml.schema/2025/03/12/minlog2-registration.wsdl",
    "skr": "http://sundhedsdatastyrelsen.dk/skr/2021/06/02",
    "idsas": "http://sundhedsdatastyrelsen.dk/idsas/2023/06/01",
}

# --- Service paths (the real NSP paths; a vendor changes only the base URL) ---------------------------
PATH_STS: Final = "/sts/services/NewSecurityTokenService"
PATH_SFSK_ITI18: Final = "/decoupling/nspservices/sfskreg"
PATH_SFSK_ITI43: Final = "/decoupling/nspservices/sfskrep"
PATH_SKR: Final = "/skr/dgws20210602"
PATH_MINLOG: Final = "/minlog2-registration/20250312/RegisterService"
PATH_MINLOG_DECOUPLED: Final = "/decoupling/minlog2-registration/20250312/RegisterService"
PATH_IDSAS_SALT: Final = "/idsas-salt/20230601/salt"

# --- SOAP actions -----------------------------------------------------------------------------------
ACTION_STS_ISSUE: Final = "http://schemas.xmlsoap.org/ws/2005/02/trust/Issue"
ACTION_ITI18: Final = "urn:ihe:iti:2007:RegistryStoredQuery"
ACTION_ITI43: Final = "urn:ihe:iti:2007:RetrieveDocumentSet"
ACTIONS_MINLOG: Final = ("AddRegistrations", "AddRegistrations_20250312")
ACTION_IDSAS_SALT: Final = "GetCurrentSalt"

# --- DGWS / SOSI ------------------------------------------------------------------------------------
IDCARD_VERSION: Final = "1.0.1"
STS_CONTEXT: Final = "www.sosi.dk"
SAML_TOKEN_TYPE: Final = "urn:oasis:names:tc:SAML:2.0:assertion:"
MOCK_STS_ISSUER: Final = "MOCK-NSP-STS"
FAULT_NO_VALID_IDCARD: Final = "sosigw_no_valid_idcard_in_request"
FAULT_MISSING_SIGNINGINFO: Final = "sosigw_missing_signinginfo_in_request"
FAULT_SYNTAX_ERROR: Final = "sosigw_syntax_error_in_request"
FAULT_ACCESS_DENIED: Final = "sosigw_access_denied"
FAULT_INTERNAL_ERROR: Final = "sosigw_internal_error"
DGWS_FAULT_CODES: Final = (
    "sosigw_no_valid_idcard_in_request",
    "sosigw_missing_signinginfo_in_request",
    "sosigw_syntax_error_in_request",
    "sosigw_awaiting_signing",
    "sosigw_no_valid_idcard_in_cache",
    "sosigw_access_denied",
    "sosigw_internal_error",
    "sosigw_proxy_error",
)

# --- HSUID ------------------------------------------------------------------------------------------
HSUID_USER_TYPE_PROFESSIONAL: Final = "nsi:HealthcareProfessional"
HSUID_USER_TYPE_CITIZEN: Final = "nsi:Citizen"
HSUID_ORG_NAMEFORMAT_SOR: Final = "nsi:sor"
HSUID_ORG_NAMEFORMAT_YDER: Final = "nsi:ynumber"
HSUID_ORG_NAMEFORMAT_SKS: Final = "nsi:skskode"
#: hsuid-1_1.xsd `subjectIdentifierType`: what nsi:OrgUsingID names the organisation by (SOR, ydernummer, SHAK)
HSUID_ORG_NAMEFORMATS: Final = (HSUID_ORG_NAMEFORMAT_SOR, HSUID_ORG_NAMEFORMAT_YDER, HSUID_ORG_NAMEFORMAT_SKS)
#: MinLog2 2025-03-12 `OrganisationIdSourcePredefinedType` and `UserPersonIdSourceType`
MINLOG_ORGANISATION_SOURCES: Final = ("SOR", "YDER", "CVR", "EuropeanHealthcareOrganisation")
MINLOG_USER_SOURCES: Final = ("CPR", "Autorisation", "EuropeanHealthcareProfessional")

# --- IHE XDS (ITI-18 / ITI-43) ------------------------------------------------------------------------
FIND_DOCUMENTS_QUERY_ID: Final = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"
ENTRY_TYPE_ON_DEMAND: Final = "urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248"
ENTRY_TYPE_STABLE: Final = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1"
STATUS_APPROVED: Final = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"
RESPONSE_STATUS_SUCCESS: Final = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
RESPONSE_STATUS_FAILURE: Final = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"
SCHEME_DOCUMENT_UNIQUE_ID: Final = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
SCHEME_PATIENT_ID: Final = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
SCHEME_FORMAT_CODE: Final = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d"
FORMAT_CODE_PDC_V3: Final = "urn:ad:dk:medcom:pdc-v3.0:full"
FORMAT_CODE_PDC_V2: Final = "urn:ad:dk:medcom:pdc-v2.0:full"
FORMAT_CODING_SCHEME: Final = "1.2.208.184.100.10"
SFSK_REPOSITORY_UNIQUE_ID: Final = "1.2.208.176.43210.8.10.12"
SFSK_HOME_COMMUNITY_ID: Final = "urn:oid:1.2.208.176.43210.8.10.12"
XDS_ERROR_UNKNOWN_DOCUMENT: Final = "XDSDocumentUniqueIdError"
XDS_ERROR_UNKNOWN_PATIENT: Final = "XDSUnknownPatientId"
XDS_ERROR_REGISTRY_NOT_AVAILABLE: Final = "XDSRegistryNotAvailable"
XDS_ERROR_UNAVAILABLE_COMMUNITY: Final = "XDSUnavailableCommunity"
XDS_ERROR_NO_ACTIVE_REGISTRIES: Final = "XDS-NO-ACTIVE-REGISTRIES"
XDS_ERROR_REPOSITORY: Final = "XDSRepositoryError"
#: the registry errors vendors meet in the test environments (certification-process.md §5.6)
XDS_ERRORS_SEEN_IN_TEST: Final = (XDS_ERROR_UNKNOWN_PATIENT, XDS_ERROR_REGISTRY_NOT_AVAILABLE,
                                  XDS_ERROR_UNAVAILABLE_COMMUNITY, XDS_ERROR_NO_ACTIVE_REGISTRIES)


def patient_id(cpr: str) -> str:
    """The XDS PatientId for a CPR number, as SFSK expects it."""
    return f"{cpr}^^^&{OID_CPR}&ISO"


# --- OIDs and CDA codes (PDC-DK 3.0) ------------------------------------------------------------------
OID_CPR: Final = "1.2.208.176.1.2"
OID_SOR: Final = "1.2.208.176.1.1"
OID_YDER: Final = "1.2.208.176.1.4"
OID_MEDCOM_MESSAGE_CODES: Final = "1.2.208.184.100.1"
OID_MEDCOM_RELATION_CODES: Final = "1.2.208.184.100.2"
OID_ISO_639_1: Final = "1.0.639.1"
OID_FGVH_VALUE: Final = "1.2.208.176.1.11"
SDS_SOR_CODE: Final = "1126211000016009"
PDC_TEMPLATE_ROOT: Final = "1.2.208.184.16.1"
PDC_TEMPLATE_EXT_V3: Final = "3.0"
PDC_SERVICE_EVENT_V3: Final = "pdc-v3.0"
PDC_SECTION_TEMPLATE: Final = "1.2.208.184.16.1.10.20.1"
AUTHOR_TEMPLATE_REGISTER: Final = "1.2.208.184.16.1.10.20.31"
AUTHOR_TEMPLATE_TYPED_IN: Final = "1.2.208.184.16.1.10.20.30"
ENTRY_TEMPLATE_EXT: Final = "2019-08-14"
FGVH_TEMPLATE_EXT: Final = "2023-07-01"

#: entry code → template id root (all ext 2019-08-14 but FGVH, ext 2023-07-01)
ENTRY_TEMPLATES: Final[dict[str, str]] = {
    "LanguageTypedIn": "1.2.208.184.16.1.10.20.1.20",
    "TempAddrTypedIn": "1.2.208.184.16.1.10.20.1.21",
    "DentistTypedIn": "1.2.208.184.16.1.10.20.1.22",
    "ChildCustody": "1.2.208.184.16.1.10.20.1.23",
    "PatientContactTypedIn": "1.2.208.184.16.1.10.20.1.24",
    "RelativeTypedIn": "1.2.208.184.16.1.10.20.1.25",
    "CitizenNameAddr": "1.2.208.184.16.1.10.20.1.26",
    "CoverageGroup": "1.2.208.184.16.1.10.20.1.27",
    "OrganDonorRegistration": "1.2.208.184.16.1.10.20.1.28",
    "TreatmentWillRegistration": "1.2.208.184.16.1.10.20.1.29",
    "LivingWillRegistration": "1.2.208.184.16.1.10.20.1.30",
    "NoResuscitationRegistration": "1.2.208.184.16.1.10.20.1.31",
}
ENTERED_BY_CODES: Final = ("EnteredCitizen", "EnteredCitizenRelative", "EnteredHealthcareprofessional")
PROTECTED_MARKER_DEFAULT: Final = "BESKYTTET NAVN/ADRESSE"
#: the CPR extension of a masked author (who typed an item in): MedCom's PDC-DK 3.0 examples carry `extension="MSK"`
MASKED_CPR: Final = "MSK"

# --- FGVH narrative texts (what the PDC narrative says for each value) ----------------------------------
FGVH_TEXT_TRUE: Final = "Borger har fravalgt genoplivningsforsøg ved hjertestop"
FGVH_TEXT_FALSE: Final = "Borger ønsker genoplivningsforsøg ved hjertestop"
FGVH_TEXT_NAV: Final = "Midlertidig utilgængelig"

# --- Identity masking (IDSAS) ------------------------------------------------------------------------
PSEUDONYM_NAMESPACE: Final = "6ba7b812-9dad-11d1-80b4-00c04fd430c8"

# --- Time -------------------------------------------------------------------------------------------
DANISH_TZ: Final = "Europe/Copenhagen"

# --- Mock NSP service names (journal `service`, fault rules) and registers --------------------------
SERVICE_STS: Final = "sts"
SERVICE_SFSK_REGISTRY: Final = "sfsk-registry"
SERVICE_SFSK_REPOSITORY: Final = "sfsk-repository"
SERVICE_SKR: Final = "skr"
SERVICE_MINLOG: Final = "minlog"
SERVICE_IDSAS: Final = "idsas"
SERVICE_WSDL: Final = "wsdl"
SERVICES: Final = (
    SERVICE_STS, SERVICE_SFSK_REGISTRY, SERVICE_SFSK_REPOSITORY, SERVICE_SKR, SERVICE_MINLOG, SERVICE_IDSAS,
)
#: registers the mock builds the PDC from; `PUT /__admin/registers/{name}` switches them off
REGISTERS: Final = ("cpr", "fgvh", "organ_donor", "treatment_will", "living_will", "yder", "skr")

# --- SKR (Stamkortregister) write interface, as the mock defines it (SPEC §3.1; the real 3.0 names are [U]) --
SKR_OPERATIONS: Final = tuple(
    f"{verb}{item}"
    for item in ("Relative", "TemporaryAddress", "Language", "PatientContact", "Dentist")
    for verb in ("Create", "Update", "Delete")
)
SKR_FAULT_CPR_IN_TEXT: Final = "SKR_CPR_IN_TEXT"
SKR_FAULT_TEMPORARY_ADDRESS_EXISTS: Final = "SKR_TEMPORARY_ADDRESS_EXISTS"
SKR_FAULT_RELATIVE_GIVEN_NAME_MISSING: Final = "SKR_RELATIVE_GIVEN_NAME_MISSING"
SKR_FAULT_INVALID_LANGUAGE: Final = "SKR_INVALID_LANGUAGE"
SKR_FAULT_INVALID_PERIOD: Final = "SKR_INVALID_PERIOD"
#: a date field that is not a real day written YYYY-MM-DD in the years 1800..2200 (the mock's strict reading)
SKR_FAULT_INVALID_DATE: Final = "SKR_INVALID_DATE"
SKR_FAULT_INVALID_PHONE_USE: Final = "SKR_INVALID_PHONE_USE"
SKR_FAULT_UNKNOWN_CITIZEN: Final = "SKR_UNKNOWN_CITIZEN"
SKR_FAULT_CITIZEN_DECEASED: Final = "SKR_CITIZEN_DECEASED"
SKR_FAULT_UNKNOWN_ITEM: Final = "SKR_UNKNOWN_ITEM"
SKR_FAULT_INVALID_REQUEST: Final = "SKR_INVALID_REQUEST"
SKR_FAULT_REGISTER_UNAVAILABLE: Final = "SKR_REGISTER_UNAVAILABLE"
PHONE_USES: Final = ("H", "MC", "WP")

# --- MinLog2 per-entry fault codes (the mock's; real codes are not published) ------------------------
MINLOG_FAULT_SCHEMA: Final = "SchemaValidationError"
MINLOG_FAULT_DATETIME_TOO_EARLY: Final = "DateTimeTooEarly"
MINLOG_FAULT_UNKNOWN_SOURCE: Final = "UnknownSource"
MINLOG_FAULT_UNKNOWN_CPR: Final = "UnknownPersonIdentifier"
MINLOG_FAULT_INJECTED: Final = "InternalError"
MINLOG_MAX_ENTRIES_PER_REQUEST: Final = 500
MINLOG_MAX_REQUESTS_PER_HOUR: Final = 20

# --- Mock control plane -------------------------------------------------------------------------------
ADMIN_PREFIX: Final = "/__admin"
FAULT_KINDS: Final = (
    "delay", "http_status", "soap_fault", "dgws_fault", "malformed_body", "empty_body", "connection_drop",
    "register_unavailable", "entry_failure",
)
