"""Control plane: test certificates from the mock's CA (trusted by its STS), and the CA itself."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_nsp.plane.context import world
from mock_nsp.plane.control.validation import InvalidInput
from mock_nsp.plane.control.web import read_json
from mock_nsp.registers.clock import parse_instant
from mock_nsp.security.ca import Issued, Subject, TestCA, new_password, validity


class Certificates:
    async def issue(self, request: Request) -> Response:
        data = await read_json(request, world(request).settings, "certificate")
        not_before, not_after = _validity(data)
        ca = TestCA.create("Untrusted Test CA") if data.get("untrusted") else world(request).ca
        issued = ca.issue(Subject(data["kind"], data["cvr"], data["name"], data.get("cpr")), not_before, not_after)
        password = data.get("password") or new_password()
        return JSONResponse({
            "kind": data["kind"], "cvr": data["cvr"], "name": data["name"], "cpr": data.get("cpr"),
            **_described(issued), "certificate_pem": issued.cert_pem, "private_key_pem": issued.key_pem,
            "pkcs12_base64": base64.b64encode(issued.pkcs12(password, ca.root.cert)).decode(),
            "pkcs12_password": password, "ca_pem": ca.root.cert_pem, "trusted": not data.get("untrusted"),
        }, 201)

    async def ca(self, request: Request) -> Response:
        pem = world(request).ca.root.cert_pem
        if "application/x-pem-file" in request.headers.get("accept", ""):
            return Response(pem, media_type="application/x-pem-file")
        sts = world(request).ca.sts.cert.public_bytes(serialization.Encoding.PEM).decode()
        return JSONResponse({"certificate_pem": pem, "sts_certificate_pem": sts})


def _described(issued: Issued) -> dict[str, str]:
    cert = issued.cert
    return {"subject": cert.subject.rfc4514_string(), "serial": str(cert.serial_number),
            "not_before": cert.not_valid_before_utc.isoformat(), "not_after": cert.not_valid_after_utc.isoformat()}


def _validity(data: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """The requested validity period, checked: X.509 (as the cryptography library writes it) starts in 1950 at
    the earliest, and the period must end after it starts."""
    not_before = parse_instant(data["not_before"]) if data.get("not_before") else None
    not_after = parse_instant(data["not_after"]) if data.get("not_after") else None
    start, end = validity(not_before, not_after)
    if start.year < 1950:
        raise InvalidInput("/not_before", "a certificate cannot be valid before 1950")
    if end <= start:
        field = "/not_after" if not_after is not None else "/not_before"
        raise InvalidInput(field, f"the validity period is empty: not_before {start.isoformat()} is not before "
                                  f"not_after {end.isoformat()}")
    return not_before, not_after
