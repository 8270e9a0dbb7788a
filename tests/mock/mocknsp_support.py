"""Helpers for the mock NSP's own tests: a TestClient wrapper with DGWS helpers, sample data."""

from __future__ import annotations

import base64
from typing import Any

from lxml import etree
from starlette.testclient import TestClient

import nsp_vocabulary as v
from mock_nsp import client as dgws

CVR = "12345678"
CPR_OLD = "0408501111"  # born 1950
CPR_YOUNG = "0101051234"  # born 2005
SOAP11 = {"content-type": "text/xml; charset=utf-8"}
#: the SOAPAction each path's operation is called with (the decoupling component routes /decoupling/ calls by it)
ACTIONS = {v.PATH_SFSK_ITI18: v.ACTION_ITI18, v.PATH_SFSK_ITI43: v.ACTION_ITI43, v.PATH_STS: v.ACTION_STS_ISSUE,
           v.PATH_MINLOG: v.ACTIONS_MINLOG[0], v.PATH_MINLOG_DECOUPLED: v.ACTIONS_MINLOG[0],
           v.PATH_IDSAS_SALT: v.ACTION_IDSAS_SALT}


def soap_headers(path: str) -> dict[str, str]:
    """SOAP 1.1 HTTP headers for a call of ``path``'s operation (its SOAPAction, when the path has one)."""
    return SOAP11 | ({"soapaction": f'"{ACTIONS[path]}"'} if path in ACTIONS else {})


def citizen(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": {"given": ["Jens", "Peter"], "family": "Jensen"},
        "address": {"lines": ["Testvej 1, 2. tv"], "postal_code": "2100", "city": "København Ø"},
        "birth_date": "1950-04-08",
        "sex": "M",
    }
    base.update(overrides)
    return base


_CERTS: dict[tuple[str, str, str], dict[str, Any]] = {}


class Mock:
    """A TestClient around the app plus DGWS helpers."""

    def __init__(self, http: TestClient) -> None:
        self.http = http
        self._card: bytes | None = None
        self.app_state: Any = None
        #: with a shared (multi-worker) mock: `journal()` shows only what came after this mark
        self.journal_mark: str | None = None

    @property
    def state(self) -> Any:
        return self.app_state or self.http.app.state.mock  # type: ignore[attr-defined]

    def hsuid(self, acting: str = "0101701234", citizen: str | None = None) -> etree._Element:
        return dgws.hsuid_header(acting, "123451000016008", citizen_cpr=citizen)

    def journal(self, **params: Any) -> list[dict[str, Any]]:
        if self.journal_mark is not None:
            params.setdefault("mark", self.journal_mark)
        r = self.http.get("/__admin/journal", params=params)
        assert r.status_code == 200, r.text
        return list(r.json()["entries"])

    def fault(self, **rule: Any) -> dict[str, Any]:
        r = self.http.post("/__admin/faults", json=rule)
        assert r.status_code == 201, r.text
        return dict(r.json())

    def certificate(self, kind: str = "function", cvr: str = CVR, **extra: Any) -> dict[str, Any]:
        key = (self.state.ca.root.cert_pem, kind, cvr)
        if not extra and key in _CERTS:
            return _CERTS[key]
        r = self.http.post("/__admin/certificates", json={"kind": kind, "cvr": cvr, "name": "Test Org", **extra})
        assert r.status_code == 201, r.text
        if not extra:
            _CERTS[key] = dict(r.json())
        return dict(r.json())

    def sts(self, body: bytes) -> Any:
        return self.http.post(v.PATH_STS, content=body, headers=SOAP11)

    def card(self, **kwargs: Any) -> bytes:
        if self._card is None or kwargs:
            cert = self.certificate()
            req = dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], CVR, "Test Org", **kwargs)
            r = self.sts(req)
            assert r.status_code == 200, r.text
            card = dgws.card_from_response(r.content)
            if kwargs:
                return card
            self._card = card
        return self._card

    def call(self, path: str, body: etree._Element, card: bytes | None = None, **kwargs: Any) -> Any:
        env = dgws.service_envelope(card if card is not None else self.card(), body, **kwargs)
        return self.http.post(path, content=env, headers=soap_headers(path))

    def put_citizen(self, cpr: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        r = self.http.put(f"/__admin/citizens/{cpr}", json=data or citizen())
        assert r.status_code in (200, 201), r.text
        return dict(r.json())

    def doc_id(self, cpr: str) -> str:
        r = self.call(v.PATH_SFSK_ITI18, dgws.iti18_body(cpr))
        ids = [e.get("value") for e in etree.fromstring(r.content).iter(f"{{{v.NS['rim']}}}ExternalIdentifier")
               if e.get("identificationScheme") == v.SCHEME_DOCUMENT_UNIQUE_ID]
        assert len(ids) == 1, r.text
        return str(ids[0])

    def pdc(self, cpr: str) -> etree._Element:
        """The PDC as a client gets it: ITI-18 for the id, then ITI-43."""
        r = self.call(v.PATH_SFSK_ITI43, dgws.iti43_body(self.doc_id(cpr)))
        assert r.status_code == 200, r.text
        doc = etree.fromstring(r.content).find(f".//{{{v.NS['xds']}}}Document")
        assert doc is not None, r.text
        return etree.fromstring(base64.b64decode(doc.text or ""))


def fgvh_value(pdc: etree._Element) -> str | None:
    cda = v.NS["cda"]
    for obs in pdc.iter(f"{{{cda}}}observation"):
        code = obs.find(f"{{{cda}}}code")
        if code is not None and code.get("code") == "NoResuscitationRegistration":
            value = obs.find(f"{{{cda}}}value")
            assert value is not None
            return value.get("extension") or value.get("nullFlavor")
    return None


def medcom_fault(response: Any) -> str | None:
    node = etree.fromstring(response.content).find(f".//{{{v.NS['medcom']}}}FaultCode")
    return node.text if node is not None else None


def skr_body(op: str, cpr: str, **parts: Any) -> etree._Element:
    """<skr:{op}Request> with PersonCivilRegistrationIdentifier, optional Id and an item element."""
    skr = v.NS["skr"]
    req = etree.Element(f"{{{skr}}}{op}Request", nsmap={"skr": skr})
    etree.SubElement(req, f"{{{skr}}}PersonCivilRegistrationIdentifier").text = cpr
    if "id" in parts:
        etree.SubElement(req, f"{{{skr}}}Id").text = parts.pop("id")
    for item, fields in parts.items():
        el = etree.SubElement(req, f"{{{skr}}}{item}")
        for name, value in fields:
            child = etree.SubElement(el, f"{{{skr}}}{name}")
            if isinstance(value, tuple):
                child.set("use", value[0])
                child.text = value[1]
            else:
                child.text = value
    return req


def minlog_body(*entries: dict[str, Any]) -> etree._Element:
    ml = v.NS["minlog"]
    req = etree.Element(f"{{{ml}}}RegistrationRequest", nsmap={"m": ml})
    for entry in entries:
        dest = etree.SubElement(etree.SubElement(req, "LogDataEntry"), "Destination")
        for name, value in entry.items():
            el = etree.SubElement(dest, name)
            if isinstance(value, tuple):
                el.set("source", value[0])
                el.text = value[1]
            else:
                el.text = value
    return req


def minlog_entry(cpr: str = CPR_OLD, seq: str = "seq-1", when: str = "2025-02-03T09:15:00+01:00",
                 **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "SystemName": "Cura", "Activity": "Opslag i Fælles Stamkort", "DateTime": when,
        "OrganisationId": ("SOR", "123451000016008"), "OrganisationName": "Hjemmeplejen Nord",
        "PersonIdentifier": ("CPR", cpr), "SequenceNumber": seq,
        "UserPersonIdentifier": ("CPR", "0101701234"), "UserPersonName": "Sygeplejerske Test",
    }
    entry.update(extra)
    return {k: val for k, val in entry.items() if val is not None}


class TenantHttp:
    """An HTTP client for one tenant of a mock: every path under `/t/{name}`, its admin token on every request."""

    def __init__(self, http: Any, name: str, token: str) -> None:
        self.http, self.prefix, self.headers = http, f"/t/{name}", {"authorization": f"Bearer {token}"}

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **(kwargs.pop("headers", None) or {})}
        return self.http.request(method, self.prefix + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)


def tenant(http: Any, name: str, app_tenants: Any = None) -> Mock:
    """Create a tenant (as the operator) and a Mock speaking to it."""
    r = http.post("/__admin/tenants", json={"name": name})
    assert r.status_code == 201, r.text
    m = Mock(TenantHttp(http, name, r.json()["admin_token"]))  # type: ignore[arg-type]
    m.token = r.json()["admin_token"]
    if app_tenants is not None:
        m.app_state = app_tenants.world(name)
    return m
