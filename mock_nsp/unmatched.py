"""Requests no service matched, with the closest service and why (near-miss report)."""

from __future__ import annotations

import difflib
import time

from starlette.requests import Request
from starlette.responses import Response

from mock_nsp import nearmiss, soap
from mock_nsp.dispatch import record
from mock_nsp.state import MockState

_KNOWN_METHODS = ("POST",)


def closest(path: str, known: dict[str, str]) -> tuple[str | None, str | None, float]:
    """(service, its path, similarity) of the known path closest to `path`."""
    best: tuple[str | None, str | None, float] = (None, None, 0.0)
    for known_path, service in known.items():
        ratio = difflib.SequenceMatcher(None, path.lower(), known_path.lower()).ratio()
        if ratio > best[2]:
            best = (service, known_path, ratio)
    return best


def reason(method: str, path: str, known_path: str | None) -> str:
    if known_path is None:
        return "no service is configured"
    if path.rstrip("/") == known_path:
        return f"{method} {path}: trailing slash; the service path is {known_path}"
    if path.lower() == known_path.lower():
        return f"path case differs from {known_path}"
    if path == known_path:
        return f"method {method} is not served; use POST"
    return f"path {path} does not match any service; closest is {known_path}"


class Unmatched:
    def __init__(self, state: MockState, known: dict[str, str]) -> None:
        self.state = state
        self.known = known

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        body = (await request.body())[:65536]
        service, known_path, ratio = closest(request.url.path, self.known)
        why = reason(request.method, request.url.path, known_path)
        near = nearmiss.note(self.state, request, service, known_path, why, ratio)
        fault = soap.client_fault(f"No service at {request.url.path}: {why}", http_status=404)
        out = soap.fault_envelope(fault)
        await record(self.state, {
            "at": near["at"], "service": "unmatched", "operation": None, "status": 404,
            "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            "request": {"method": request.method, "path": request.url.path, "headers": dict(request.headers),
                        "body": body},
            "response": {"status": 404, "headers": {"content-type": soap.CT_SOAP11}, "body": out},
            "summary": {"near_miss": near},
        })
        return Response(out, 404, headers={"content-type": soap.CT_SOAP11})
