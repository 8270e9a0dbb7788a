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


def find_documents(cpr: str, format_code: str, scheme: bool = True) -> Element:
    """The ITI-18 ``AdhocQueryRequest`` for the citizen's FSK (domain-nsp §1.3); the format code with its coding
    scheme (``scheme=False``: without, the format-code-without-scheme defect)."""
    request = el(None, "query", "AdhocQueryRequest")
    el(request, "query", "ResponseOption", returnType="LeafClass", returnComposedObjects="true")
    query = el(request, "rim", "AdhocQuery", id=v.FIND_DOCUMENTS_QUERY_ID)
    _slot(query, "$XDSDocumentEntryPatientId", [f"'{v.patient_id(cpr)}'"])
    _slot(query, "$XDSDocumentEntryStatus", [f"('{v.STATUS_APPROVED}')"])
    _slot(query, "$XDSDocumentEntryType", [f"('{v.ENTRY_TYPE_ON_DEMAND}')", f"('{v.ENTRY_TYPE_STABLE}')"])
    coded = f"{format_code}^^{v.FORMAT_CODING_SCHEME}" if scheme else format_code
    _slot(query, "$XDSDocumentEntryFormatCode", [f"('{coded}')"])
    return request


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
    return DocumentRef(home=obj.get("home"), repository_id=repository or document.split("^")[0], document_id=document)


def retrieve(ref: DocumentRef) -> Element:
    """The ITI-43 ``RetrieveDocumentSetRequest`` with exactly the ids ITI-18 returned."""
    request = el(None, "xds", "RetrieveDocumentSetRequest")
    item = el(request, "xds", "DocumentRequest")
    if ref.home:
        el(item, "xds", "HomeCommunityId", ref.home)
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
