"""Hostile input to every mock endpoint: always a SOAP fault or a 4xx in bounded time, never a stack trace."""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from mocknsp_support import CPR_OLD, Mock, minlog_body, minlog_entry, soap_headers

import nsp_vocabulary as v
from mock_nsp import client as dgws

SOAP_PATHS = [v.PATH_STS, v.PATH_SFSK_ITI18, v.PATH_SFSK_ITI43, v.PATH_SKR, v.PATH_MINLOG, v.PATH_IDSAS_SALT]
#: `make fuzz` runs this module with MOCK_NSP_FUZZ_EXAMPLES=2000 (or more)
FAST = settings(max_examples=int(os.environ.get("MOCK_NSP_FUZZ_EXAMPLES", "25")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

XXE = b"""<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&xxe;</soap:Body></soap:Envelope>"""
LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&lol4;</soap:Body></soap:Envelope>"""
PARAM_ENTITY = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]><x/>"""


def assert_safe(response: Any, started: float) -> None:
    assert time.perf_counter() - started < 5
    assert b"Traceback" not in response.content
    assert v.FAULT_INTERNAL_ERROR.encode() not in response.content
    if 400 <= response.status_code < 500:
        return
    assert response.status_code in (200, 500), response.status_code
    root = etree.fromstring(response.content)
    if response.status_code == 500:
        assert root.find(f".//{{{v.NS['soap']}}}Fault") is not None or root.find(
            f".//{{{v.NS['soap12']}}}Fault") is not None


def post(mock: Mock, path: str, body: bytes, ctype: str = "text/xml; charset=utf-8") -> Any:
    started = time.perf_counter()
    r = mock.http.post(path, content=body, headers=soap_headers(path) | {"content-type": ctype})
    assert_safe(r, started)
    return r


@pytest.mark.parametrize("path", SOAP_PATHS)
@pytest.mark.parametrize("body", [XXE, LAUGHS, PARAM_ENTITY, b"", b"\x00\xff\xfe", b"<a>", b"not xml at all",
                                  b"<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/'/>",
                                  b"<Envelope><Body/></Envelope>"])
def test_hostile_bodies(mock: Mock, path: str, body: bytes) -> None:
    r = post(mock, path, body)
    assert r.status_code >= 400
    assert b"root:" not in r.content and b"lollollol" not in r.content


@pytest.mark.parametrize("path", SOAP_PATHS)
@pytest.mark.parametrize("ctype", ["application/json", "text/plain", "multipart/form-data; boundary=x", ""])
def test_wrong_content_types(mock: Mock, path: str, ctype: str) -> None:
    assert post(mock, path, b"<x/>", ctype).status_code == 415


@pytest.mark.parametrize("path", SOAP_PATHS)
def test_50_mb_body(mock: Mock, path: str) -> None:
    r = post(mock, path, b"<a>" + b"x" * (50 * 1024 * 1024) + b"</a>")
    assert r.status_code == 413


def _valid_iti18(mock: Mock) -> bytes:
    return dgws.service_envelope(mock.card(), dgws.iti18_body(CPR_OLD))


@FAST
@given(cut=st.integers(min_value=0, max_value=10_000))
def test_truncated_envelopes(mock: Mock, cut: int) -> None:
    env = _valid_iti18(mock)
    post(mock, v.PATH_SFSK_ITI18, env[: cut % len(env)])


@FAST
@given(position=st.integers(min_value=0), byte=st.integers(min_value=0, max_value=255))
def test_flipped_bytes_in_a_signed_card(mock: Mock, position: int, byte: int) -> None:
    env = bytearray(_valid_iti18(mock))
    env[position % len(env)] = byte
    post(mock, v.PATH_SFSK_ITI18, bytes(env))


def test_an_invalid_signature_value_is_no_valid_idcard(mock: Mock) -> None:
    card = etree.fromstring(mock.card())
    value = card.find(f".//{{{v.NS['ds']}}}SignatureValue")
    assert value is not None and value.text
    value.text = ("A" if value.text[0] != "A" else "B") + value.text[1:]
    r = post(mock, v.PATH_SFSK_ITI18, dgws.service_envelope(etree.tostring(card), dgws.iti18_body(CPR_OLD)))
    assert etree.fromstring(r.content).findtext(f".//{{{v.NS['medcom']}}}FaultCode") == v.FAULT_NO_VALID_IDCARD


@FAST
@given(data=st.binary(max_size=2000))
def test_random_bytes(mock: Mock, data: bytes) -> None:
    for path in SOAP_PATHS:
        post(mock, path, data)


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
               max_size=200)


@FAST
@given(text=_TEXT, attr=_TEXT)
def test_random_text_inside_valid_requests(mock: Mock, text: str, attr: str) -> None:
    body = minlog_body(minlog_entry(seq=text[:36] or "x", PersonName=text or None))
    post(mock, v.PATH_MINLOG, dgws.service_envelope(mock.card(), body))
    skr = etree.Element(f"{{{v.NS['skr']}}}CreateRelativeRequest")
    etree.SubElement(skr, f"{{{v.NS['skr']}}}PersonCivilRegistrationIdentifier").text = text
    rel = etree.SubElement(skr, f"{{{v.NS['skr']}}}Relative")
    etree.SubElement(rel, f"{{{v.NS['skr']}}}GivenName").text = text
    etree.SubElement(rel, f"{{{v.NS['skr']}}}Phone", use=attr).text = text
    post(mock, v.PATH_SKR, dgws.service_envelope(mock.card(), skr, hsuid=mock.hsuid()))
    q = dgws.iti18_body(CPR_OLD)
    for value in q.iter(f"{{{v.NS['rim']}}}Value"):
        value.text = text
    post(mock, v.PATH_SFSK_ITI18, dgws.service_envelope(mock.card(), q))
    post(mock, v.PATH_SFSK_ITI43, dgws.service_envelope(mock.card(), dgws.iti43_body(text, text, text)))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=20,
)


@FAST
@given(data=_JSON)
def test_random_json_on_the_control_plane(mock: Mock, data: object) -> None:
    for method, path in (("put", f"/__admin/citizens/{CPR_OLD}"), ("post", "/__admin/faults"),
                         ("put", "/__admin/clock"), ("post", "/__admin/clock/advance"),
                         ("post", "/__admin/certificates"), ("put", "/__admin/settings"),
                         ("post", f"/__admin/citizens/{CPR_OLD}/fgvh"), ("put", "/__admin/registers/fgvh")):
        r = getattr(mock.http, method)(path, json=data)
        assert r.status_code < 500, (path, r.text)
    mock.http.post("/__admin/reset")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods_on_service_paths(mock: Mock, method: str) -> None:
    r = mock.http.request(method, v.PATH_SFSK_ITI43)
    assert r.status_code < 500


@pytest.mark.parametrize("raw", [b'{"days": 1e308}', b'{"days": Infinity}', b'{"days": NaN}', b'{"seconds": -1e300}'])
def test_out_of_range_numbers_are_422(mock: Mock, raw: bytes) -> None:
    r = mock.http.post("/__admin/clock/advance", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422


@pytest.mark.parametrize("raw", [b'{"now": "9999-12-31T23:59:59+00:00"}', b'{"now": "0001-01-01T00:00:00-14:00"}'])
def test_extreme_clock_values_are_not_500(mock: Mock, raw: bytes) -> None:
    r = mock.http.put("/__admin/clock", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert mock.http.get("/__admin/health").status_code == 200


def test_a_slow_sender_gets_408_not_a_hang(live: Any) -> None:
    live.app.state.mock.settings.__dict__["body_timeout"] = 0.5
    try:
        with socket.create_connection(("127.0.0.1", live.port), timeout=5) as s:
            s.sendall(f"POST {v.PATH_SFSK_ITI18} HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
                      "Content-Length: 1000\r\n\r\n<soap:Env".encode())
            started = time.perf_counter()
            answer = s.recv(4096)
            assert b" 408 " in answer.split(b"\r\n")[0]
            assert time.perf_counter() - started < 4
    finally:
        live.app.state.mock.settings.__dict__["body_timeout"] = 30.0


# --- the routes that are not SOAP services: unmatched paths, the control plane, WSDLs and XSDs ------------
#: one route of each kind, with the method it is called with
OTHER_ROUTES = [
    ("POST", "/nowhere"), ("PUT", v.PATH_SFSK_ITI43), ("PUT", f"/__admin/citizens/{CPR_OLD}"),
    ("POST", "/__admin/faults"), ("PUT", "/__admin/settings"), ("PUT", f"/__admin/citizens/{CPR_OLD}/document"),
    ("GET", "/sfsk/dgws-wsdl/iti18.wsdl"), ("GET", "/xsd/ebrs-rim-3.0.xsd"),
]
FIFTY_MB = 50 * 1024 * 1024


def _chunks(total: int, size: int = 1024 * 1024) -> Any:
    """A body without Content-Length (chunked): the limit must hold while it streams in."""
    for _ in range(total // size):
        yield b"x" * size


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize(("method", "path"), OTHER_ROUTES)
def test_50_mb_body_on_other_routes(mock: Mock, method: str, path: str, chunked: bool) -> None:
    mock.put_citizen(CPR_OLD)
    started = time.perf_counter()
    body = _chunks(FIFTY_MB) if chunked else b"x" * FIFTY_MB
    r = mock.http.request(method, path, content=body, headers={"content-type": "application/json"})
    assert_safe(r, started)
    assert r.status_code == 413, r.text


@FAST
@given(data=st.binary(max_size=2000), ctype=st.sampled_from(["application/json", "text/xml", "", "x/y; q=\x7f"]))
def test_random_bytes_on_other_routes(mock: Mock, data: bytes, ctype: str) -> None:
    for method, path in OTHER_ROUTES:
        started = time.perf_counter()
        r = mock.http.request(method, path, content=data, headers={"content-type": ctype})
        assert time.perf_counter() - started < 5
        assert r.status_code < 500 and b"Traceback" not in r.content, r.text
        if path.startswith("/__admin") and r.status_code >= 400 and r.text != UVICORN_400:
            assert r.json()["error"], r.text


#: a real server's HTTP parser refuses some header values (a DEL in the content type) before the app sees them
UVICORN_400 = "Invalid HTTP request received."


def _partial_request(live: Any, method: str, path: str) -> socket.socket:
    """A request that declares 1000 bytes of body and sends ten."""
    s = socket.create_connection(("127.0.0.1", live.port), timeout=5)
    s.sendall(f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              "Content-Length: 1000\r\n\r\n{\"name\": {".encode())
    return s


@pytest.fixture
def short_body_timeout(live: Any) -> Any:
    httpx.put(f"{live.url}/__admin/citizens/{CPR_OLD}", json={"name": {"family": "Jensen"}}).raise_for_status()
    live.app.state.mock.settings.__dict__["body_timeout"] = 0.5
    yield live
    live.app.state.mock.settings.__dict__["body_timeout"] = 30.0


@pytest.mark.parametrize(("method", "path"), OTHER_ROUTES)
def test_a_slow_sender_gets_408_on_other_routes(short_body_timeout: Any, method: str, path: str) -> None:
    with _partial_request(short_body_timeout, method, path) as s:
        started = time.perf_counter()
        answer = s.recv(4096)
        assert b" 408 " in answer.split(b"\r\n")[0], answer[:200]
        assert time.perf_counter() - started < 4


class _Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.seen.append(record)


@pytest.mark.parametrize(("method", "path"), [*OTHER_ROUTES, ("POST", v.PATH_SFSK_ITI18)])
def test_a_client_leaving_mid_body_leaves_no_traceback(live: Any, method: str, path: str) -> None:
    handler = _Tracebacks()
    loggers = [logging.getLogger(name) for name in ("mock_nsp", "uvicorn.error")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        _partial_request(live, method, path).close()
        time.sleep(0.5)  # the server notices the disconnect
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    assert [r.getMessage() for r in handler.seen] == []
    assert httpx.get(live.url + "/__admin/health", timeout=5).status_code == 200
