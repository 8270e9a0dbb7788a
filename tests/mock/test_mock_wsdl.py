"""The project's own WSDLs and XSDs, as the mock serves them: complete (every schema they import is served),
compilable, true to what the mock answers, and enough for a SOAP code generator (zeep here) to call ITI-18,
ITI-43 and MinLog2 and read the answers as typed objects."""

from __future__ import annotations

import base64
import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, Mock, citizen, minlog_body, minlog_entry

import nsp_vocabulary as v
from mock_nsp import client as dgws
from mock_nsp.services.wsdl import BY_SERVICE, WSDLS, XSDS

zeep = pytest.importorskip("zeep")

XS = "http://www.w3.org/2001/XMLSchema"


def _base(mock: Mock) -> str:
    """Where the mock is reached (the served schemas point at it): http://testserver in-process."""
    return str(mock.http.base_url).rstrip("/")
MINLOG_WSDL = "/minlog2-registration/20250312/RegisterService.wsdl"


def _imports(doc: etree._Element) -> list[etree._Element]:
    return [el for tag in ("import", "include") for el in doc.iter(f"{{{XS}}}{tag}")]


@pytest.mark.parametrize("path", [*WSDLS, *XSDS])
def test_every_schema_a_served_file_imports_is_served_too(mock: Mock, path: str) -> None:
    doc, base = etree.fromstring(mock.http.get(path).content), _base(mock)
    for el in _imports(doc):
        location = el.get("schemaLocation")
        assert location, f"{path}: <xs:{etree.QName(el).localname} namespace={el.get('namespace')}> has no schemaLocation"
        assert location.startswith(base + "/xsd/"), location
        assert mock.http.get(location[len(base):]).status_code == 200, location


class _FromMock(etree.Resolver):
    """Resolves schemaLocation URLs by asking the mock (lxml's own network access stays off)."""

    def __init__(self, mock: Mock) -> None:
        super().__init__()
        self.mock = mock

    def resolve(self, url: str | None, pubid: str | None, context: object) -> Any:
        base = _base(self.mock)
        assert url is not None and url.startswith(base), url
        return self.resolve_string(self.mock.http.get(url[len(base):]).content, context)


def _schema(mock: Mock, path: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_FromMock(mock))
    doc = etree.fromstring(mock.http.get(path).content, parser, base_url=_base(mock) + path)
    return etree.XMLSchema(etree.ElementTree(doc))


@pytest.mark.parametrize("path", list(XSDS))
def test_every_xsd_compiles(mock: Mock, path: str) -> None:
    _schema(mock, path)


def _valid(schema: etree.XMLSchema, el: etree._Element | None) -> None:
    assert el is not None
    schema.assertValid(etree.ElementTree(copy.deepcopy(el)))


def test_the_mocks_answers_are_valid_by_its_own_schemas(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    iti18 = etree.fromstring(mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD)).content)
    _valid(_schema(mock, "/xsd/ebrs-query-3.0.xsd"), iti18.find(f".//{{{v.NS['query']}}}AdhocQueryResponse"))
    _valid(_schema(mock, "/xsd/medcom-dgws-1.0.xsd"), iti18.find(f".//{{{v.NS['medcom']}}}Header"))
    xds = _schema(mock, "/xsd/ihe-xds-b.xsd")
    for doc_id in (mock.doc_id(CPR_OLD), "1.2.208.176.43210.8.10.12^unknown"):
        iti43 = etree.fromstring(mock.call(v.PATH_SFSK_ITI43, dgws.iti43_body(doc_id)).content)
        _valid(xds, iti43.find(f".//{{{v.NS['xds']}}}RetrieveDocumentSetResponse"))
    minlog = etree.fromstring(mock.call(v.PATH_MINLOG, minlog_body(minlog_entry(), minlog_entry(
        DateTime="2014-01-01T00:00:00Z"))).content)
    _valid(_schema(mock, "/xsd/minlog2-registration-20250312.xsd"),
           minlog.find(f".//{{{v.NS['minlog']}}}RegistrationResponse"))
    fault = etree.fromstring(mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), message_id=None).content)
    _valid(_schema(mock, "/xsd/medcom-dgws-1.0.xsd"), fault.find(f".//{{{v.NS['medcom']}}}FaultCode"))


def test_what_the_mocks_client_sends_is_valid_by_the_schemas(mock: Mock) -> None:
    _valid(_schema(mock, "/xsd/ebrs-query-3.0.xsd"), dgws.iti18_body(CPR_OLD))
    _valid(_schema(mock, "/xsd/ihe-xds-b.xsd"), dgws.iti43_body("1.2.208.176.43210.8.10.12^x"))
    _valid(_schema(mock, "/xsd/hsuid-1.1.xsd"), mock.hsuid(citizen=CPR_OLD))
    _valid(_schema(mock, "/xsd/minlog2-registration-20250312.xsd"), minlog_body(minlog_entry()))


# --- zeep, loaded from the mock's served WSDL URLs over a real HTTP server ---------------------------------
def _headers(mock: Mock) -> list[etree._Element]:
    card = etree.fromstring(mock.card())
    env = etree.fromstring(dgws.service_envelope(etree.tostring(card), etree.Element("x")))
    header = env.find(f"{{{v.NS['soap']}}}Header")
    assert header is not None
    return list(header)


def _client(url: str, path: str) -> Any:
    return zeep.Client(url + path)


def test_zeep_from_the_served_wsdls_runs_iti18_and_iti43(live_mock: Mock, live: Any) -> None:
    live_mock.put_citizen(CPR_OLD, citizen(fgvh={"registered_at": "2020-01-01T00:00:00Z"}))
    registry = _client(live.url, "/sfsk/dgws-wsdl/iti18.wsdl").service
    answer = registry.DocumentRegistry_RegistryStoredQuery(
        ResponseOption={"returnType": "LeafClass", "returnComposedObjects": True},
        AdhocQuery={"id": v.FIND_DOCUMENTS_QUERY_ID, "Slot": [
            {"name": "$XDSDocumentEntryPatientId", "ValueList": {"Value": [f"'{v.patient_id(CPR_OLD)}'"]}},
            {"name": "$XDSDocumentEntryStatus", "ValueList": {"Value": [f"('{v.STATUS_APPROVED}')"]}},
            {"name": "$XDSDocumentEntryType", "ValueList": {"Value": [f"('{v.ENTRY_TYPE_ON_DEMAND}')"]}},
            {"name": "$XDSDocumentEntryFormatCode",
             "ValueList": {"Value": [f"('{v.FORMAT_CODE_PDC_V3}^^{v.FORMAT_CODING_SCHEME}')"]}}]},
        _soapheaders=_headers(live_mock))
    assert answer.status == v.RESPONSE_STATUS_SUCCESS
    (entry,) = [item["ExtrinsicObject"] for item in answer.RegistryObjectList._value_1]  # zeep: a repeated choice
    doc_id = next(e.value for e in entry.ExternalIdentifier if e.identificationScheme == v.SCHEME_DOCUMENT_UNIQUE_ID)
    repository = next(s.ValueList.Value[0] for s in entry.Slot if s.name == "repositoryUniqueId")
    retrieve = _client(live.url, "/sfsk/dgws-wsdl/iti43.wsdl").service
    got = retrieve.DocumentRepository_RetrieveDocumentSet(
        DocumentRequest=[{"HomeCommunityId": entry.home, "RepositoryUniqueId": repository,
                          "DocumentUniqueId": doc_id}], _soapheaders=_headers(live_mock))
    assert got.RegistryResponse.status == v.RESPONSE_STATUS_SUCCESS
    (document,) = got.DocumentResponse
    pdc = etree.fromstring(document.Document)
    assert pdc.find(f"{{{v.NS['cda']}}}recordTarget/{{{v.NS['cda']}}}patientRole/{{{v.NS['cda']}}}id").get(
        "extension") == CPR_OLD
    assert base64.b64encode(document.Document)  # zeep decoded the base64Binary


def test_zeep_from_the_served_wsdl_runs_minlog_add_registrations(live_mock: Mock, live: Any) -> None:
    service = _client(live.url, MINLOG_WSDL).service
    entries = [{"Destination": {
        "SystemName": "Cura", "Activity": "Opslag i Fælles Stamkort", "DateTime": when,
        "OrganisationId": {"_value_1": "123451000016008", "source": "SOR"},
        "PersonIdentifier": {"_value_1": CPR_OLD, "source": "CPR"}, "SequenceNumber": seq,
        "UserPersonIdentifier": {"_value_1": "0101701234", "source": "CPR"}}}
        for seq, when in (("zeep-ok", datetime(2025, 2, 3, 8, 15, tzinfo=UTC)),
                          ("zeep-early", datetime(2014, 12, 31, 23, 0, tzinfo=UTC)))]
    answer = service.AddRegistrations(LogDataEntry=entries, _soapheaders=_headers(live_mock))
    assert (answer.NumberAdded, answer.NumberFailed) == (1, 1)
    (failed,) = answer.FailedLogDataEntries
    assert (failed.SequenceNumber, failed.FaultCode) == ("zeep-early", v.MINLOG_FAULT_DATETIME_TOO_EARLY)


def test_zeep_sees_the_dgws_fault_declared_in_the_served_wsdl(live_mock: Mock, live: Any) -> None:
    registry = _client(live.url, "/sfsk/dgws-wsdl/iti18.wsdl").service
    with pytest.raises(zeep.exceptions.Fault) as fault:
        registry.DocumentRegistry_RegistryStoredQuery(
            ResponseOption={"returnType": "LeafClass", "returnComposedObjects": True},
            AdhocQuery={"id": v.FIND_DOCUMENTS_QUERY_ID}, _soapheaders=_headers(live_mock)[:1])
    assert v.FAULT_SYNTAX_ERROR in etree.tostring(fault.value.detail).decode()  # no medcom:Header


@pytest.mark.parametrize("path", sorted({*WSDLS, *(p + "?wsdl" for p in BY_SERVICE)}))
def test_every_served_wsdl_has_operations_for_zeep(live: Any, path: str) -> None:
    client = _client(live.url, path)
    operations = [op for service in client.wsdl.services.values() for port in service.ports.values()
                  for op in port.binding._operations]
    assert operations, path

