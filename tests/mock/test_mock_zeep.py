"""zeep, loaded with the real SFSK and MinLog2 WSDLs, calls the mock successfully (an independent client)."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, Mock, citizen, skr_entry
from nsp_reference import reference

import nsp_vocabulary as v

zeep = pytest.importorskip("zeep")


def _headers(mock: Mock) -> list[etree._Element]:
    wsse, wsu, medcom = v.NS["wsse"], v.NS["wsu"], v.NS["medcom"]
    security = etree.Element(f"{{{wsse}}}Security", nsmap={"wsse": wsse, "wsu": wsu})
    ts = etree.SubElement(security, f"{{{wsu}}}Timestamp")
    etree.SubElement(ts, f"{{{wsu}}}Created").text = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    security.append(etree.fromstring(mock.card()))
    header = etree.Element(f"{{{medcom}}}Header", nsmap={"medcom": medcom})
    etree.SubElement(header, f"{{{medcom}}}SecurityLevel").text = "3"
    linking = etree.SubElement(header, f"{{{medcom}}}Linking")
    etree.SubElement(linking, f"{{{medcom}}}MessageID").text = str(uuid.uuid4())
    return [security, header]


def _service(wsdl: str, binding: str, address: str, raw: bool = False) -> object:
    client = zeep.Client(str(reference(wsdl)), settings=zeep.Settings(raw_response=raw))
    return client.create_service(binding, address)


def test_zeep_with_the_real_sfsk_wsdls_reads_the_pdc(live_mock: Mock, live: object) -> None:
    url = live.url  # type: ignore[attr-defined]
    live_mock.put_citizen(CPR_OLD, citizen(fgvh={"registered_at": "2020-01-01T00:00:00Z"}))
    # zeep cannot read rim:RegistryObjectList's substitution group (rim:Identifiable), so the answer is taken
    # raw here; test_mock_sfsk validates it against the real query.xsd with lxml
    registry = _service("sfsk/sfskiti18.wsdl", "{urn:ihe:iti:xds-b:2007}DocumentRegistry_Binding_Soap11",
                        url + v.PATH_SFSK_ITI18, raw=True)
    slots = [
        {"name": "$XDSDocumentEntryPatientId", "ValueList": {"_value_1": [{"Value": f"'{v.patient_id(CPR_OLD)}'"}]}},
        {"name": "$XDSDocumentEntryStatus", "ValueList": {"_value_1": [{"Value": f"('{v.STATUS_APPROVED}')"}]}},
        {"name": "$XDSDocumentEntryType", "ValueList": {"_value_1": [{"Value": f"('{v.ENTRY_TYPE_ON_DEMAND}')"}]}},
        {"name": "$XDSDocumentEntryFormatCode",
         "ValueList": {"_value_1": [{"Value": f"('{v.FORMAT_CODE_PDC_V3}^^{v.FORMAT_CODING_SCHEME}')"}]}},
    ]
    result = registry.DocumentRegistry_RegistryStoredQuery(  # type: ignore[attr-defined]
        ResponseOption={"returnType": "LeafClass", "returnComposedObjects": True},
        AdhocQuery={"id": v.FIND_DOCUMENTS_QUERY_ID, "Slot": slots},
        _soapheaders=_headers(live_mock),
    )
    assert result.status_code == 200
    answer = etree.fromstring(result.content).find(f".//{{{v.NS['query']}}}AdhocQueryResponse")
    assert answer is not None and answer.get("status") == v.RESPONSE_STATUS_SUCCESS
    (eo,) = answer.iter(f"{{{v.NS['rim']}}}ExtrinsicObject")
    doc_id = next(e.get("value") for e in eo.iter(f"{{{v.NS['rim']}}}ExternalIdentifier")
                  if e.get("identificationScheme") == v.SCHEME_DOCUMENT_UNIQUE_ID)
    repository = _service("sfsk/sfskiti43.wsdl", "{urn:ihe:iti:xds-b:2007}DocumentRepository_Binding_Soap",
                          url + v.PATH_SFSK_ITI43)
    response = repository.DocumentRepository_RetrieveDocumentSet(  # type: ignore[attr-defined]
        DocumentRequest=[{"HomeCommunityId": eo.get("home"), "RepositoryUniqueId": v.SFSK_REPOSITORY_UNIQUE_ID,
                          "DocumentUniqueId": doc_id}],
        _soapheaders=_headers(live_mock),
    )
    document = response.DocumentResponse[0].Document
    pdc = etree.fromstring(document if isinstance(document, bytes) else base64.b64decode(document))
    assert b"NoResuscitationRegistration" in etree.tostring(pdc)


def test_zeep_sees_the_dgws_fault(live_mock: Mock, live: object) -> None:
    registry = _service("sfsk/sfskiti18.wsdl", "{urn:ihe:iti:xds-b:2007}DocumentRegistry_Binding_Soap11",
                        live.url + v.PATH_SFSK_ITI18)  # type: ignore[attr-defined]
    with pytest.raises(zeep.exceptions.Fault) as fault:
        registry.DocumentRegistry_RegistryStoredQuery(  # type: ignore[attr-defined]
            ResponseOption={"returnType": "LeafClass", "returnComposedObjects": True},
            AdhocQuery={"id": v.FIND_DOCUMENTS_QUERY_ID}, _soapheaders=_headers(live_mock)[:1])
    assert fault.value.detail is not None
    assert v.FAULT_SYNTAX_ERROR in etree.tostring(fault.value.detail).decode()


def test_zeep_with_the_real_minlog_wsdl_registers(live_mock: Mock, live: object) -> None:
    service = _service("minlog2/minlog.wsdl",
                       "{http://www.sundhedsdatastyrelsen.dk/minlog/xml.schema/2025/03/12/minlog2-registration.wsdl}"
                       "RegisterServiceBinding", live.url + v.PATH_MINLOG)  # type: ignore[attr-defined]
    entry = {"Destination": {
        "SystemName": "Cura", "Activity": "Opslag i Fælles Stamkort", "DateTime": datetime(2025, 2, 3, 9, 15),
        "OrganisationId": {"_value_1": "123451000016008", "source": "SOR"}, "OrganisationName": "Hjemmeplejen",
        "PersonIdentifier": {"_value_1": CPR_OLD, "source": "CPR"}, "SequenceNumber": "zeep-1",
        "UserPersonIdentifier": {"_value_1": "0101701234", "source": "CPR"}}}
    response = service.AddRegistrations(LogDataEntry=[entry], _soapheaders=_headers(live_mock))  # type: ignore[attr-defined]
    assert (response.NumberAdded, response.NumberFailed) == (1, 0)


def test_zeep_with_the_mocks_own_skr_wsdl(live_mock: Mock, live: object) -> None:
    url = live.url  # type: ignore[attr-defined]
    live_mock.put_citizen(CPR_OLD)
    client = zeep.Client(url + "/skr/wsdl/dgws20210602")
    service = client.bind("SkrService", "SkrPort")
    hsuid = live_mock.hsuid()
    cpr = etree.Element(f"{{{v.NS['cda']}}}id", root=v.OID_CPR, extension=CPR_OLD)
    language = skr_entry("LanguageTypedIn", None, ("CD", "de", "Deutsch"))
    service.CreateLanguage(citizen={"_value_1": cpr}, _value_1=language,
                           _soapheaders=[*_headers(live_mock), hsuid])
    held = live_mock.http.get(f"/__admin/citizens/{CPR_OLD}").json()["typed_in"]["language"]
    assert (held["code"], held["display"]) == ("de", "Deutsch")
