"""SFSK: ITI-18 registry stored query (FindDocuments) and ITI-43 retrieve document set (SPEC §3.1)."""

from __future__ import annotations

import base64
import re
import uuid
from dataclasses import dataclass, field

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.pdc import builder
from mock_nsp.registers.citizens import Citizen, document_id
from mock_nsp.registers.clock import Clock
from mock_nsp.security.dgws import Requirement
from mock_nsp.services.base import Call, Reply, local_name
from mock_nsp.settings import RuntimeConfig
from mock_nsp.world.citizens import CitizenRegister

QUERY, RIM, RS, XDS = v.NS["query"], v.NS["rim"], v.NS["rs"], v.NS["xds"]
_SEVERITY_ERROR = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"
_SEVERITY = {"Error": _SEVERITY_ERROR, "Warning": "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning"}
_CLASSIFICATION = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification"
_EXTERNAL_ID = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier"
_PARTIAL = "urn:ihe:iti:2007:ResponseStatusType:PartialSuccess"


@dataclass
class Sfsk:
    citizens: CitizenRegister
    clock: Clock
    config: RuntimeConfig
    templates: builder.TemplateCache = field(default_factory=builder.TemplateCache)

    # --- ITI-18 --------------------------------------------------------------------------------------
    def iti18(self, call: Call) -> Reply:
        query = call.body
        if query is None or query.tag != f"{{{QUERY}}}AdhocQueryRequest":
            return Reply([_query_error("XDSRegistryError", "Expected query:AdhocQueryRequest")])
        adhoc = query.find(f"{{{RIM}}}AdhocQuery")
        if adhoc is None or adhoc.get("id") != v.FIND_DOCUMENTS_QUERY_ID:
            return Reply([_query_error("XDSUnknownStoredQuery", "Only FindDocuments is supported")])
        slots = parse_slots(adhoc)
        call.summary["format_codes"] = slots.get("$XDSDocumentEntryFormatCode", [])
        call.summary["entry_types"] = slots.get("$XDSDocumentEntryType", [])
        call.summary["statuses"] = slots.get("$XDSDocumentEntryStatus", [])
        patient = slots.get("$XDSDocumentEntryPatientId", [])
        if len(patient) != 1:
            return Reply([_query_error("XDSStoredQueryParamNumber", "$XDSDocumentEntryPatientId is required once")])
        cpr = cpr_of(patient[0])
        call.summary["cpr"] = cpr
        if cpr is None:
            return Reply([_query_error("XDSUnknownPatientId", f"Malformed patient id {patient[0]!r}")])
        injected = injected_registry_error(call)
        if injected is not None and injected.severity == "Error":
            return Reply([_query_error(injected.code, injected.context)])
        if not self._available(call, "cpr"):
            return Reply([_query_error(v.XDS_ERROR_REGISTRY_NOT_AVAILABLE, "The CPR register is unavailable")])
        citizen = self.citizens.get(cpr)
        if citizen is None:
            if self.config.unknown_patient == "error":
                return Reply([_query_error(v.XDS_ERROR_UNKNOWN_PATIENT, f"Unknown patient {cpr}")])
            return Reply([_query_response([])])
        variants = self._variants(slots)
        objects = [self._extrinsic(citizen, variant) for variant in variants]
        call.summary["document_ids"] = [document_id(cpr, variant) for variant in variants]
        response = _query_response(objects)
        if injected is not None:  # a warning: the answer stands, with the warning beside it
            _error_list(response, [(injected.code, injected.context)], _SEVERITY["Warning"], before_objects=True)
        return Reply([response])

    def _variants(self, slots: dict[str, list[str]]) -> list[str]:
        statuses = slots.get("$XDSDocumentEntryStatus")
        if statuses is not None and v.STATUS_APPROVED not in statuses:
            return []
        types = slots.get("$XDSDocumentEntryType", [v.ENTRY_TYPE_STABLE])
        if v.ENTRY_TYPE_ON_DEMAND not in types:
            return []
        formats = [code for code, scheme in map(_coded, slots.get("$XDSDocumentEntryFormatCode", []))
                   if scheme == v.FORMAT_CODING_SCHEME]  # a code means something only in its coding scheme
        if "$XDSDocumentEntryFormatCode" not in slots or v.FORMAT_CODE_PDC_V3 in formats:
            return ["v3"]
        if v.FORMAT_CODE_PDC_V2 in formats and self.clock.today() < self.config.pdc_v2_cutover:
            return ["v2"]
        return []

    def _extrinsic(self, citizen: Citizen, variant: str) -> etree._Element:
        # the real SFSK's entry id is the document's unique id (repository OID ^ uuid): SDS's own client
        # (Sundhedsdatastyrelsen/ehdsi InformationCardService, FskIT) retrieves by the id it finds there
        eo_id = document_id(citizen.cpr, variant)
        eo = etree.Element(f"{{{RIM}}}ExtrinsicObject", id=eo_id, home=v.SFSK_HOME_COMMUNITY_ID,
                           mimeType="text/xml", objectType=v.ENTRY_TYPE_ON_DEMAND, status=v.STATUS_APPROVED)
        now = self.clock.now().strftime("%Y%m%d%H%M%S")
        for name, value in (("creationTime", now), ("languageCode", "da-DK"),
                            ("repositoryUniqueId", v.SFSK_REPOSITORY_UNIQUE_ID),
                            ("sourcePatientId", v.patient_id(citizen.cpr))):
            _slot(eo, name, value)
        _name(eo, "Fælles Stamkort")
        fmt = v.FORMAT_CODE_PDC_V3 if variant == "v3" else v.FORMAT_CODE_PDC_V2
        cls = etree.SubElement(eo, f"{{{RIM}}}Classification", classificationScheme=v.SCHEME_FORMAT_CODE,
                               classifiedObject=eo_id, id=f"urn:uuid:{uuid.uuid4()}", nodeRepresentation=fmt,
                               objectType=_CLASSIFICATION)
        _slot(cls, "codingScheme", v.FORMAT_CODING_SCHEME)
        _name(cls, fmt)
        _external_id(eo, eo_id, v.SCHEME_PATIENT_ID, v.patient_id(citizen.cpr), "XDSDocumentEntry.patientId")
        _external_id(eo, eo_id, v.SCHEME_DOCUMENT_UNIQUE_ID, document_id(citizen.cpr, variant),
                     "XDSDocumentEntry.uniqueId")
        return eo

    # --- ITI-43 --------------------------------------------------------------------------------------
    def iti43(self, call: Call) -> Reply:
        request = call.body
        if request is None or request.tag != f"{{{XDS}}}RetrieveDocumentSetRequest":
            return Reply([_retrieve_response([], [("XDSRepositoryError", "Expected RetrieveDocumentSetRequest")])])
        docs, errors, ids, reply = [], [], [], Reply([])
        for req in request.findall(f"{{{XDS}}}DocumentRequest"):
            repo, doc_id = _text(req, "RepositoryUniqueId"), _text(req, "DocumentUniqueId")
            ids.append(doc_id or "")
            home = _text(req, "HomeCommunityId")
            if home is not None and home != v.SFSK_HOME_COMMUNITY_ID:
                errors.append(("XDSUnknownCommunity", f"Unknown home community {home!r}"))
                continue
            found, error = self._retrieve(call, reply, repo, doc_id)
            if found is not None:
                docs.append(found)
            if error is not None:
                errors.append(error)
        call.summary["document_ids"] = ids
        if not ids:
            errors.append(("XDSRepositoryError", "No DocumentRequest"))
        injected = injected_registry_error(call)
        if injected is not None:
            severity = _SEVERITY[injected.severity]
            kept = docs if injected.severity == "Warning" else []
            reply.elements.append(_retrieve_response(kept, [*errors, (injected.code, injected.context)], severity))
            return reply
        reply.elements.append(_retrieve_response(docs, errors))
        return reply

    def _retrieve(
        self, call: Call, reply: Reply, repo: str | None, doc_id: str | None
    ) -> tuple[etree._Element | None, tuple[str, str] | None]:
        if repo != v.SFSK_REPOSITORY_UNIQUE_ID:
            return None, ("XDSUnknownRepositoryId", f"Unknown repository {repo!r}")
        hit = self.citizens.by_document_id(doc_id or "")
        if hit is None:
            return None, (v.XDS_ERROR_UNKNOWN_DOCUMENT, f"Unknown document {doc_id!r}")
        citizen, variant = hit
        call.summary["cpr"] = citizen.cpr
        if not self._available(call, "cpr"):
            return None, (v.XDS_ERROR_REGISTRY_NOT_AVAILABLE, "The CPR register is unavailable")
        document = citizen.document or self.templates.document(citizen, self._context(call, variant))
        return _document_response(repo, doc_id or "", reply.blob(base64.b64encode(document))), None

    def _available(self, call: Call, register: str) -> bool:
        return register not in call.unavailable and self.citizens.available(register)

    def _context(self, call: Call, variant: str) -> builder.BuildContext:
        unavailable = frozenset(self.citizens.unavailable) | call.unavailable
        return builder.BuildContext(self.clock.now(), unavailable, self.config.protected_marker, variant)


# --- an injected registry error (fault kind `registry_error`) -----------------------------------------
@dataclass(frozen=True)
class RegistryError:
    code: str
    severity: str
    context: str


def injected_registry_error(call: Call) -> RegistryError | None:
    """The registry error a `registry_error` fault rule asks this answer to carry (recorded in the summary)."""
    params = call.entry_failure or {}
    if params.get("kind") != "registry_error":
        return None
    code = str(params.get("code") or "XDSRegistryError")
    error = RegistryError(code, str(params.get("severity") or "Error"),
                          str(params.get("context") or f"{code}: the registry could not answer"))
    call.summary["registry_error"] = {"code": error.code, "severity": error.severity}
    return error


# --- request parsing ---------------------------------------------------------------------------------
def parse_slots(adhoc: etree._Element) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for slot in adhoc.findall(f"{{{RIM}}}Slot"):
        values = out.setdefault(slot.get("name") or "", [])
        for value in slot.iterfind(f"{{{RIM}}}ValueList/{{{RIM}}}Value"):
            values.extend(split_value(value.text or ""))
    return out


def split_value(text: str) -> list[str]:
    """`('a','b')` or `'a'` → ['a', 'b']."""
    t = text.strip()
    if t.startswith("(") and t.endswith(")"):
        t = t[1:-1]
    return [part.strip().strip("'\"") for part in t.split(",") if part.strip()]


def _coded(value: str) -> tuple[str, str | None]:
    """`code^^codingScheme` (IHE ITI TF-2a, coded query parameters) → (code, scheme); no scheme → (code, None)."""
    code, sep, scheme = value.partition("^^")
    return code, scheme if sep else None


#: a CPR number, or a replacement CPR number (eCPR, X-eCPR/D-eCPR: DDMMYY, century digit, two letters, a digit)
_CITIZEN_NUMBER = re.compile(r"^[0-9]{7}(?:[0-9]{2}|[A-Z]{2})[0-9]$")


def cpr_of(patient_id: str) -> str | None:
    cpr, sep, authority = patient_id.partition("^^^")
    if not sep or f"&{v.OID_CPR}&ISO" != authority or not _CITIZEN_NUMBER.match(cpr):
        return None
    return cpr


def _text(parent: etree._Element, name: str) -> str | None:
    el = parent.find(f"{{{XDS}}}{name}")
    return (el.text or "").strip() if el is not None else None


# --- response building ------------------------------------------------------------------------------
def _slot(parent: etree._Element, name: str, value: str) -> None:
    slot = etree.SubElement(parent, f"{{{RIM}}}Slot", name=name)
    etree.SubElement(etree.SubElement(slot, f"{{{RIM}}}ValueList"), f"{{{RIM}}}Value").text = value


def _name(parent: etree._Element, value: str) -> None:
    etree.SubElement(etree.SubElement(parent, f"{{{RIM}}}Name"), f"{{{RIM}}}LocalizedString", value=value)


def _external_id(eo: etree._Element, eo_id: str, scheme: str, value: str, name: str) -> None:
    ext = etree.SubElement(eo, f"{{{RIM}}}ExternalIdentifier", id=f"urn:uuid:{uuid.uuid4()}",
                           identificationScheme=scheme, objectType=_EXTERNAL_ID, registryObject=eo_id, value=value)
    _name(ext, name)


def _error_list(parent: etree._Element, errors: list[tuple[str, str]], severity: str = _SEVERITY_ERROR,
                before_objects: bool = False) -> None:
    if not errors:
        return
    lst = etree.Element(f"{{{RS}}}RegistryErrorList", highestSeverity=severity)
    if before_objects:  # ebRS 3.0: RegistryErrorList comes before RegistryObjectList
        parent.insert(0, lst)
    else:
        parent.append(lst)
    for code, context in errors:
        etree.SubElement(lst, f"{{{RS}}}RegistryError", errorCode=code, codeContext=context,
                         severity=severity, location="mock-nsp")


def _query_response(objects: list[etree._Element]) -> etree._Element:
    resp = etree.Element(f"{{{QUERY}}}AdhocQueryResponse", nsmap={"query": QUERY, "rim": RIM, "rs": RS},
                         status=v.RESPONSE_STATUS_SUCCESS)
    etree.SubElement(resp, f"{{{RIM}}}RegistryObjectList").extend(objects)
    return resp


def _query_error(code: str, context: str) -> etree._Element:
    resp = etree.Element(f"{{{QUERY}}}AdhocQueryResponse", nsmap={"query": QUERY, "rim": RIM, "rs": RS},
                         status=v.RESPONSE_STATUS_FAILURE)
    _error_list(resp, [(code, context)])
    etree.SubElement(resp, f"{{{RIM}}}RegistryObjectList")
    return resp


def _retrieve_response(docs: list[etree._Element], errors: list[tuple[str, str]],
                       severity: str = _SEVERITY_ERROR) -> etree._Element:
    resp = etree.Element(f"{{{XDS}}}RetrieveDocumentSetResponse", nsmap={"xds": XDS, "rs": RS})
    status = v.RESPONSE_STATUS_SUCCESS if not errors else (_PARTIAL if docs else v.RESPONSE_STATUS_FAILURE)
    _error_list(etree.SubElement(resp, f"{{{RS}}}RegistryResponse", status=status), errors, severity)
    resp.extend(docs)
    return resp


def _document_response(repo: str, doc_id: str, document_text: str) -> etree._Element:
    dr = etree.Element(f"{{{XDS}}}DocumentResponse")
    etree.SubElement(dr, f"{{{XDS}}}HomeCommunityId").text = v.SFSK_HOME_COMMUNITY_ID
    etree.SubElement(dr, f"{{{XDS}}}RepositoryUniqueId").text = repo
    etree.SubElement(dr, f"{{{XDS}}}DocumentUniqueId").text = doc_id
    etree.SubElement(dr, f"{{{XDS}}}mimeType").text = "text/xml"
    etree.SubElement(dr, f"{{{XDS}}}Document").text = document_text
    return dr


def operation_iti18(body: etree._Element | None, action: str | None) -> str | None:
    return "RegistryStoredQuery" if local_name(body) == "AdhocQueryRequest" else local_name(body)


def operation_iti43(body: etree._Element | None, action: str | None) -> str | None:
    return "RetrieveDocumentSet" if local_name(body) == "RetrieveDocumentSetRequest" else local_name(body)


def requirement(config: RuntimeConfig) -> Requirement:
    return Requirement(min_level=config.sfsk_min_level, require_hsuid=config.require_hsuid)
