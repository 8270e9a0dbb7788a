"""SFSK, the Fælles Stamkort read service: ITI-18 FindDocuments and ITI-43 RetrieveDocumentSet."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

import nsp_vocabulary as v
from reference_eoj.nsp.soap import NspError
from reference_eoj.xml import Element, el, find, findall, text

UNAVAILABLE = "Fælles Stamkort kunne ikke hentes"


@dataclass(frozen=True)
class DocumentRef:
    home: str | None
    repository_id: str
    document_id: str
    #: the ExtrinsicObject's own id (the real SFSK's is the document unique id, which SDS's client retrieves by)
    entry_id: str = ""


@dataclass(frozen=True)
class Shape:
    """How the EOJ writes ITI-18 and ITI-43 (the allowed variants ``sds-fsk-client``, ``iti18-value-lists``; the
    seeded defect ``iti43-bare-home-community``)."""

    sds_order: bool = False  # the slots in SDS's order: PatientId, EntryType, Status, FormatCode
    value_lists: bool = False  # a multi-valued parameter as one Value "('a','b')"
    sds_ids: bool = False  # ITI-43 from the entry's id, its repository the part before "^", no HomeCommunityId
    bare_home: bool = False  # the HomeCommunityId without its "urn:oid:" (a defect)


def find_documents(cpr: str, format_code: str, shape: Shape = Shape(), scheme: bool = True) -> Element:
    """The ITI-18 ``AdhocQueryRequest`` for the citizen's FSK (domain-nsp §1.3); the format code with its coding
    scheme (``scheme=False``: without, the format-code-without-scheme defect)."""
    request = el(None, "query", "AdhocQueryRequest")
    el(request, "query", "ResponseOption", returnType="LeafClass", returnComposedObjects="true")
    query = el(request, "rim", "AdhocQuery", id=v.FIND_DOCUMENTS_QUERY_ID)
    types = [v.ENTRY_TYPE_ON_DEMAND, v.ENTRY_TYPE_STABLE]
    coded = f"{format_code}^^{v.FORMAT_CODING_SCHEME}" if scheme else format_code
    slots = {
        "$XDSDocumentEntryPatientId": [f"'{v.patient_id(cpr)}'"],
        "$XDSDocumentEntryStatus": [f"('{v.STATUS_APPROVED}')"],
        "$XDSDocumentEntryType": ([_list(types)] if shape.value_lists else [_list([t]) for t in types]),
        "$XDSDocumentEntryFormatCode": [_list([coded])],
    }
    order = (["$XDSDocumentEntryPatientId", "$XDSDocumentEntryType", "$XDSDocumentEntryStatus",
              "$XDSDocumentEntryFormatCode"] if shape.sds_order else list(slots))
    for name in order:
        _slot(query, name, slots[name])
    return request


def _list(values: list[str]) -> str:
    """An XDS stored-query list value: ``('a','b')``."""
    return "(" + ",".join(f"'{value}'" for value in values) + ")"


def _slot(parent: Element, name: str, values: list[str]) -> None:
    value_list = el(el(parent, "rim", "Slot", name=name), "rim", "ValueList")
    for value in values:
        el(value_list, "rim", "Value", value)


def parse_find_documents(body: Element, ignore_failure: bool = False) -> list[DocumentRef]:
    """The documents found; a Failure answer raises (``ignore_failure`` only for a seeded defect)."""
    response = find(body, "query:AdhocQueryResponse")
    if response is None:
        raise NspError("SFSK ITI-18: no AdhocQueryResponse", UNAVAILABLE)
    if not ignore_failure:
        _raise_registry_errors(response, "ITI-18")
    return [ref for obj in findall(response, ".//rim:ExtrinsicObject") if (ref := _document_ref(obj))]


def _document_ref(obj: Element) -> DocumentRef | None:
    repository = next((text(s, "rim:ValueList/rim:Value") for s in findall(obj, "rim:Slot")
                       if s.get("name") == "repositoryUniqueId"), None)
    document = next((i.get("value") for i in findall(obj, "rim:ExternalIdentifier")
                     if i.get("identificationScheme") == v.SCHEME_DOCUMENT_UNIQUE_ID), None)
    if not document:
        return None
    return DocumentRef(home=obj.get("home"), repository_id=repository or document.split("^")[0], document_id=document,
                       entry_id=obj.get("id") or "")


def retrieve(ref: DocumentRef, shape: Shape = Shape()) -> Element:
    """The ITI-43 ``RetrieveDocumentSetRequest`` with exactly the ids ITI-18 returned."""
    request = el(None, "xds", "RetrieveDocumentSetRequest")
    item = el(request, "xds", "DocumentRequest")
    if shape.sds_ids:  # SDS: "we need to use the whole unique document ID, as well as part of it"
        el(item, "xds", "RepositoryUniqueId", ref.entry_id.split("^")[0])
        el(item, "xds", "DocumentUniqueId", ref.entry_id)
        return request
    if ref.home:
        el(item, "xds", "HomeCommunityId", ref.home.removeprefix("urn:oid:") if shape.bare_home else ref.home)
    el(item, "xds", "RepositoryUniqueId", ref.repository_id)
    el(item, "xds", "DocumentUniqueId", ref.document_id)
    return request


def parse_retrieve(body: Element) -> bytes:
    response = find(body, "xds:RetrieveDocumentSetResponse")
    if response is None:
        raise NspError("SFSK ITI-43: no RetrieveDocumentSetResponse", UNAVAILABLE)
    _raise_registry_errors(response, "ITI-43")
    document = text(response, "xds:DocumentResponse/xds:Document")
    if not document:
        raise NspError("SFSK ITI-43: no document in the answer", UNAVAILABLE)
    try:
        return base64.b64decode("".join(document.split()), validate=True)
    except binascii.Error as exc:
        raise NspError(f"SFSK ITI-43: document is not Base64: {exc}", UNAVAILABLE) from exc


def _raise_registry_errors(response: Element, operation: str) -> None:
    errors = findall(response, ".//rs:RegistryError")
    failed = response.get("status") == v.RESPONSE_STATUS_FAILURE or (
        (registry := find(response, "rs:RegistryResponse")) is not None
        and registry.get("status") == v.RESPONSE_STATUS_FAILURE)
    if errors or failed:
        codes = ", ".join(e.get("errorCode") or "?" for e in errors) or "Failure"
        raise NspError(f"SFSK {operation}: registry error {codes}", f"{UNAVAILABLE} ({codes})")
