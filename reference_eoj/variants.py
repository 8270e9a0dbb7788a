"""Allowed variants: choices the standards leave to the vendor, which the harness must accept (the variants matrix).

The dual of :mod:`reference_eoj.defects`. Each variant makes the otherwise unchanged reference EOJ do one thing
the way another correct system does it — SDS's own FSK client, a GP system, a hospital, a JAXB client — and names
the source that allows it and the requirements whose checks see the choice. With any set of variants on, every
applicable scenario of the catalogue must still pass (``python -m tools.variantsmatrix``, run by ``make test``).

Switch them on with ``REFERENCE_EOJ_VARIANTS=name,name`` or ``--variants name,name`` (``nspcert run --variants``,
pytest ``--reference-variants``). Variants that make the same choice differently share an *axis* and are never
switched on together; the matrix runs the others together, in as few catalogue runs as the axes allow. The table in
``docs/variants.md`` is generated from :data:`CATALOGUE` (``python -m reference_eoj.variants``).

Declaring a new variant: add it to :class:`Variant` and :data:`CATALOGUE` (behaviour, the source that allows it
quoted with where it says so, the requirements whose checks it exercises, its axes), make the EOJ behave so when
``Variant.X in settings.variants``, add a probe to ``tests/reference_eoj/test_eoj_variants.py`` that shows the
behaviour changes, and regenerate the table in ``docs/variants.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reference_eoj.switches import Switches

ENV_VAR = "REFERENCE_EOJ_VARIANTS"


class Variant(StrEnum):
    SDS_FSK_CLIENT = "sds-fsk-client"
    ITI18_VALUE_LISTS = "iti18-value-lists"
    SOAPACTION_UNQUOTED = "soapaction-unquoted"
    GP_YDERNUMMER = "gp-ydernummer"
    HOSPITAL_SKS = "hospital-sks"
    MINLOG_ORGANISATION_CVR = "minlog-organisation-cvr"
    MINLOG_USER_AUTHORISATION = "minlog-user-authorisation"
    MINLOG_OPTIONAL_ELEMENTS = "minlog-optional-elements"
    MINLOG_INTERVAL = "minlog-interval"
    MINLOG_UTC_TIMES = "minlog-utc-times"
    MINLOG_BEFORE_READ = "minlog-before-read"
    HEADERS_ALL_OPTIONAL = "headers-all-optional"
    HEADERS_MINIMAL = "headers-minimal"
    XML_RENAMED_PREFIXES = "xml-renamed-prefixes"
    XML_DEFAULT_NAMESPACES = "xml-default-namespaces"
    XML_LAYOUT = "xml-layout"
    RELATIONS_OWN_WORDS = "relations-own-words"
    FGVH_OWN_WORDS = "fgvh-own-words"
    SKR_SPARSE_WRITES = "skr-sparse-writes"
    IDSAS_SALT_EVERY_TIME = "idsas-salt-every-time"
    MINLOG_QUARTER_HOUR_ROUNDS = "minlog-quarter-hour-rounds"


@dataclass(frozen=True)
class VariantInfo:
    """What a variant does, who allows it, which checks must accept it.

    ``source`` quotes the standard, schema or real client that allows the behaviour and says where. ``judged_by``
    are the requirements whose checks see the choice: the variants matrix runs the whole catalogue, so every check
    meets every variant, but these are the ones that would wrongly fail a system making this choice. ``axes`` name
    the choices the variant makes; two variants with an axis in common are alternatives and never run together.
    """

    behaviour: str
    source: str
    judged_by: tuple[str, ...]
    axes: tuple[str, ...] = ()


#: every requirement judged from the recorded SOAP messages (any change of how they are written meets these)
WIRE_CHECKS = ("FSK-SIT-QRY-02", "FSK-SIT-QRY-03", "FSK-CERT-MD-01", "FSK-SIT-S2S-05", "FSK-SIT-S2S-06",
               "FSK-SIT-LOG-04", "FSK-SIT-LOG-05", "FSK-SIT-LOG-06")

#: SDS's national connector, whose FSK and MinLog2 clients run against the NSP test environments (FskIT, MinLogIT)
EHDSI = "GitHub Sundhedsdatastyrelsen/ehdsi (commit a8949a95, national-connector/)"
MINLOG_XSD = "minlog2-registration_20250312.xsd"

CATALOGUE: dict[Variant, VariantInfo] = {
    Variant.SDS_FSK_CLIENT: VariantInfo(
        "searches and retrieves FSK exactly as SDS's own FSK client does: ITI-18 with ResponseOption LeafClass "
        "(returnComposedObjects), the slots in SDS's order (PatientId, both entry types, Status, FormatCode); "
        "ITI-43 with the ExtrinsicObject's id as DocumentUniqueId, the part before `^` as RepositoryUniqueId and no "
        "HomeCommunityId; the envelope as SDS writes it (no XML declaration, every namespace declared on the envelope, "
        "`medcom-legacy` and JAXB `ns2`… prefixes), SOAPAction unquoted",
        f"{EHDSI}: `epps-service/…/InformationCardService.java` (findInformationCardDetails, getInformationCard: "
        "\"we need to use the whole unique document ID, as well as part of it\"; no withHomeCommunityId), "
        "`nsp-client/…/NspClientDgws.java` (makeRequest, OMIT_XML_DECLARATION, SOAPAction header); "
        "sfsk/xsd/IHEXDSB.xsd `HomeCommunityId minOccurs=\"0\"`",
        ("FSK-SIT-QRY-02", "FSK-SIT-QRY-03", "FSK-CERT-MD-01", "FSK-SIT-S2S-08"),
        axes=("iti18-slots", "iti43-ids", "namespace-prefixes", "xml-declaration")),
    Variant.ITI18_VALUE_LISTS: VariantInfo(
        "codes the multi-valued ITI-18 parameters as one `rim:Value` holding a list, `('on-demand','stable')`, "
        "instead of one `rim:Value` per value",
        "IHE ITI TF-2a, ITI-18 stored-query parameters (a parameter with several values is coded as several "
        "`rim:Value` elements or as one holding the parenthesised list); query.xsd `ValueList` (Value 0..*); the "
        "mock NSP reads both, as an XDS registry must",
        ("FSK-SIT-QRY-02", "FSK-SIT-QRY-04"), axes=("iti18-slots",)),
    Variant.SOAPACTION_UNQUOTED: VariantInfo(
        "sends the SOAPAction HTTP header without quotes and `Content-Type: text/xml;charset=utf-8`, as SDS's own "
        "NSP client does",
        f"{EHDSI}: `nsp-client/…/NspClientDgws.java` (`.header(\"SOAPAction\", soapAction)`, unquoted, against the "
        "NSP test environments); SOSI-DCC anvenderguide (nspop.dk): the decoupling component routes on the "
        "SOAPAction header",
        ("FSK-SIT-S2S-08",), axes=("soapaction",)),
    Variant.GP_YDERNUMMER: VariantInfo(
        "a GP system: names the employee's unit by its ydernummer, in HSUID (`nsi:OrgUsingID` NameFormat "
        "`nsi:ynumber`) and in MinLog2 (`OrganisationId source=\"YDER\"`)",
        "hsuid-1_1.xsd `subjectIdentifierType` (nsi:ynumber | nsi:skskode | nsi:sor); NSP HSUID guide (IFS0018, "
        f"nspop.dk): \"nsi:OrgUsingID … NameFormat nsi:sor … nsi:skskode … nsi:ynumber\"; {MINLOG_XSD} "
        "`OrganisationIdSourcePredefinedType` (SOR | YDER | CVR | EuropeanHealthcareOrganisation)",
        ("FSK-SIT-S2S-06", "FSK-SIT-LOG-08"), axes=("hsuid-organisation", "minlog-organisation")),
    Variant.HOSPITAL_SKS: VariantInfo(
        "a hospital system: names the employee's department by its SKS (SHAK) code in HSUID (`nsi:OrgUsingID` "
        "NameFormat `nsi:skskode`); MinLog2 has no SKS source, so MinLog2 still gets the SOR code",
        "hsuid-1_1.xsd `subjectIdentifierType`; NSP HSUID guide (IFS0018): \"nsi:skskode indikerer at "
        "organisationen er identificeret via en SHAK-kode\"",
        ("FSK-SIT-S2S-06",), axes=("hsuid-organisation",)),
    Variant.MINLOG_ORGANISATION_CVR: VariantInfo(
        "names the organisation in MinLog2 by the CVR number of its function certificate (`OrganisationId "
        "source=\"CVR\"`), with the OrganisationName",
        f"{MINLOG_XSD} `OrganisationIdSourcePredefinedType` (SOR | YDER | CVR | EuropeanHealthcareOrganisation); "
        "domain-nsp.md §9.27",
        ("FSK-SIT-LOG-08",), axes=("minlog-organisation",)),
    Variant.MINLOG_USER_AUTHORISATION: VariantInfo(
        "identifies an authorised employee in MinLog2 by the authorisation id (`UserPersonIdentifier "
        "source=\"Autorisation\"`); an employee without one by CPR",
        f"{MINLOG_XSD} `UserPersonIdValueType`: \"typically a CPR number but Autorisation is also allowed\"; "
        "`UserPersonIdSourceType` (CPR | Autorisation | EuropeanHealthcareProfessional)",
        ("FSK-SIT-LOG-01", "FSK-SIT-LOG-02", "FSK-SIT-LOG-03", "FSK-SIT-LOG-07", "FSK-E2E-LOG-01"),
        axes=("minlog-user",)),
    Variant.MINLOG_OPTIONAL_ELEMENTS: VariantInfo(
        "writes the optional MinLog2 elements too: `Source` (SystemName, and a nested Source, as SDS's client does), "
        "`Addition` and `Criticality` (\"Ingen\") and a `CorrelationId`",
        f"{MINLOG_XSD} (`LogDataEntryForRegistrationType` Source 0..1, `DestinationForEntryForRegistrationType` "
        f"optional elements); {EHDSI}: `epps-service/…/MinLogService.java` (withSource().withSource())",
        ("FSK-SIT-LOG-04", "FSK-SIT-LOG-01", "FSK-SIT-LOG-08"), axes=("minlog-elements",)),
    Variant.MINLOG_INTERVAL: VariantInfo(
        "gives the time of use as a `FromDateTime`/`ToDateTime` interval instead of one `DateTime`",
        f"{MINLOG_XSD} (`xs:choice`: DateTime, or FromDateTime and ToDateTime); FSK-SIT-LOG-02 (\"one DateTime or one "
        "FromDateTime/ToDateTime interval\")",
        ("FSK-SIT-LOG-02", "FSK-SIT-LOG-03", "FSK-SIT-LOG-04"), axes=("minlog-time",)),
    Variant.MINLOG_UTC_TIMES: VariantInfo(
        "writes MinLog2 times in UTC (`…Z`) rather than with the Danish offset; the once-a-day rule still follows "
        "the Danish day",
        f"{MINLOG_XSD} `RestrictedDateTimeType` (xs:dateTime: any zone); {EHDSI}: `MinLogService.java` "
        "(`Utils.xmlGregorianCalendar(payload.timestamp())`, an Instant)",
        ("FSK-SIT-LOG-02", "FSK-SIT-LOG-03"), axes=("minlog-zone",)),
    Variant.MINLOG_BEFORE_READ: VariantInfo(
        "queues the MinLog2 entry when the employee opens the record, before FSK is read, as SDS's client does "
        "(the entry is written whether or not the read then succeeds)",
        f"{EHDSI}: `InformationCardService.getInformationCard` (\"Log that we looked up the data\" before "
        "`fskClient.getDocument`); FSK-SIT-LOG-01 asks that a read is logged, not when",
        ("FSK-SIT-LOG-01", "FSK-SIT-LOG-02", "FSK-SIT-LOG-07", "FSK-SIT-LOG-11"), axes=("minlog-timing",)),
    Variant.HEADERS_ALL_OPTIONAL: VariantInfo(
        "sends every optional header: `medcom:Header` with TimeOut and Priority, WS-Addressing `wsa:Action`, "
        "`wsa:MessageID` and `wsa:To`, HSUID `nsi:ConsentOverride` false; the SOAP header blocks in reverse order "
        "(HSUID, medcom:Header, wsse:Security)",
        "medcom.xsd (dgws-1.0) `Header`: SecurityLevel, TimeOut, FlowStatus, Priority, RequireNonRepudiationReceipt "
        "minOccurs=\"0\"; the SFSK WSDLs' `wsam:Action`; hsuid-1_1.xsd `nameConstraint` (nsi:ConsentOverride); "
        "SOAP 1.1 §4.2 (header entries are independent, their order free)",
        ("FSK-SIT-S2S-05", "FSK-SIT-S2S-06", "FSK-SIT-S2S-08"), axes=("soap-headers",)),
    Variant.HEADERS_MINIMAL: VariantInfo(
        "sends the smallest `medcom:Header` the schema allows besides the security level: SecurityLevel and "
        "Linking/MessageID, no FlowID, no RequireNonRepudiationReceipt",
        "medcom.xsd (dgws-1.0) `Linking`: FlowID minOccurs=\"0\", MessageID minOccurs=\"1\"; `Header`: "
        "RequireNonRepudiationReceipt minOccurs=\"0\"",
        ("FSK-SIT-S2S-05",), axes=("soap-headers",)),
    Variant.XML_RENAMED_PREFIXES: VariantInfo(
        "writes every namespace under other prefixes (`SOAP-ENV`, `ns1`, `ns2`, …), all declared on the envelope, "
        "as JAXB and CXF clients do",
        "Namespaces in XML 1.0 §3 (a prefix is \"used solely as a placeholder for a namespace name\"); XML-DSig "
        "signed ID cards keep their own form (exclusive c14n)",
        WIRE_CHECKS, axes=("namespace-prefixes",)),
    Variant.XML_DEFAULT_NAMESPACES: VariantInfo(
        "writes every element in a default namespace (`xmlns=\"…\"` where the namespace changes) and undeclares it "
        "(`xmlns=\"\"`) for MinLog2's unqualified children",
        "Namespaces in XML 1.0 §6.2 (\"the scope of a default namespace declaration extends from the beginning of the "
        "start-tag in which it appears to the end of the corresponding end-tag\"; an empty value undeclares it); "
        "minlog2-registration_20250312.xsd `elementFormDefault=\"unqualified\"`",
        WIRE_CHECKS, axes=("namespace-prefixes",)),
    Variant.XML_LAYOUT: VariantInfo(
        "writes a UTF-8 byte order mark and an encoding declaration, indents the envelope with CRLF line ends and "
        "writes each element's attributes in reverse order",
        "XML 1.0 §4.3.3 (a BOM may begin a UTF-8 entity) and §2.8 (the XML declaration), §2.10–2.11 (whitespace "
        "between elements, line ends normalised to LF), §3.1 (\"the order of attribute specifications in a start-tag "
        "… is not significant\"); SOAP 1.1 §4 (the envelope is XML)",
        WIRE_CHECKS, axes=("xml-layout", "xml-declaration")),
    Variant.RELATIONS_OWN_WORDS: VariantInfo(
        "shows a relation whose MedCom display name is other words than its code in the system's own words: "
        "`uspec_paaroerende` (\"Uspecificeret pårørende\") as \"Pårørende\"",
        "MedCom's PDC-DK 3.0 test protocol judges what the employee sees, not its wording: the reviewer loads the "
        "maximal example and checks that each relative is shown with the relation (certification-process.md §2.1, "
        "FSK-CERT-DSP-02/-07); the standard gives the code and its `displayName` (MedCom Relation Codes "
        "`1.2.208.184.100.2`) and prescribes no screen text. [I]: no source forbids a system's own words; the one "
        "thing a code must never be is shown as itself",
        ("FSK-CERT-DSP-07", "FSK-CERT-DSP-15", "FSK-CERT-DSP-02"), axes=("relation-words",)),
    Variant.FGVH_OWN_WORDS: VariantInfo(
        "tells the opt-out status in the system's own words (\"Fravalgt genoplivning ved hjertestop\", \"Intet "
        "fravalg af genoplivning\", …) instead of the narrative SDS writes",
        "certification-process.md §2.1 (FGVH values and narratives: the narrative is what SDS writes in the "
        "document); domain-nsp.md §3 (founding minute 2024-06-17: EOJ systems must show an FGVH symbol; \"public "
        "wording/iconography not found\"). [I]: no source prescribes the screen text, so it is the vendor's",
        ("FSK-CERT-FGVH-06", "FSK-CERT-FGVH-01", "FSK-CERT-FGVH-02", "FSK-CERT-FGVH-03", "FSK-CERT-FGVH-04"),
        axes=("fgvh-words",)),
    Variant.SKR_SPARSE_WRITES: VariantInfo(
        "writes SKR items without an author and an open-ended temporary address with no `high` bound (rather "
        "than `high nullFlavor=\"NI\"`)",
        "SKR – Guide til anvendere (nspop.dk, change log 2018-10-11, 2019-01-04: a temporary address's end date is "
        "optional; docs/skr.md); HL7 CDA R2 "
        "IVL_TS (`high` 0..1: an interval without a high bound is open); docs/skr.md [open]: the entry's author is "
        "SKR's to set from the caller's ID card and HSUID",
        ("FSK-SIT-SKR-01", "FSK-SIT-SKR-02", "FSK-SIT-SKR-03", "FSK-SIT-SKR-06"), axes=("skr-write-form",)),
    Variant.IDSAS_SALT_EVERY_TIME: VariantInfo(
        "fetches the IDSAS salt (`GetCurrentSalt`) every time it needs one (each open by an employee of a masked "
        "organisation, each citizen view) instead of keeping it for 30 minutes",
        "NSPOP, \"3. (C) Pseudonymisering i datakilder til borgervendte brugergrænsefladesystemer\" (nspop.dk "
        "pageId=220267090): the salt changes periodically and \"skal derfor hentes periodisk, f.eks. en gang i "
        "timen\" — a bound on how old the salt in use may be, hourly only an example; the IDSAS interface page "
        "(pageId=234730092) lists its faults (not whitelisted, ticket expired/invalid/missing, no salt) and no "
        "limit on how often it is called; domain-nsp.md §5. [I]: fetching more often than the salt changes keeps "
        "it current a fortiori; no source forbids it",
        ("FSK-SIT-MSK-01", "FSK-SIT-MSK-02", "FSK-E2E-MSK-01"), axes=("salt-refresh",)),
    Variant.MINLOG_QUARTER_HOUR_ROUNDS: VariantInfo(
        "its background MinLog2 sending collects for a quarter of an hour: a round sends nothing until the oldest "
        "waiting entry has waited 15 minutes (by the system's clock), then everything waiting at once — fewer "
        "requests than the budget allows, and none while its timer is not due",
        "domain-nsp.md §4.2 (MinLog2 registration guide, quoted in SDS's `MinLogService.java`): \"≤ 500 entries per "
        "request and ≤ 20 requests/hour\", bounds and no pace; domain-nsp.md §9.26 (batches, queued durably); "
        "FSK-SIT-LOG-11 (\"The pace of deliveries is the SUT's own\"). [I]: sending less often keeps the bound a "
        "fortiori, and what waits stays queued",
        ("FSK-SIT-LOG-11",), axes=("minlog-pace",)),
}


class Variants(Switches[Variant]):
    """The set of switched-on variants; ``Variant.X in variants`` asks whether one is on."""

    names_of = Variant
    kind = "variant"
    env_var = ENV_VAR


def markdown_table() -> str:
    rows = ["| variant | behaviour | allowed by | checks that must accept it |", "|---|---|---|---|"]
    rows += [f"| `{variant.value}` | {info.behaviour} | {info.source} | {', '.join(info.judged_by)} |"
             for variant, info in CATALOGUE.items()]
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
