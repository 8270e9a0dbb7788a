"""Requests no service matched, with the closest service and why (near-miss report)."""

from __future__ import annotations

import difflib
import time

from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response

from mock_nsp import soap
from mock_nsp.plane import nearmiss
from mock_nsp.plane.context import world
from mock_nsp.plane.exchange import (
    BodyTooLarge,
    ClientDisconnect,
    Outcome,
    journal_entry,
    read_body,
    record,
    unreadable,
    unrecorded,
)

#: how much of an unmatched body the journal keeps (enough to see what was sent; the rest is read and dropped)
KEEP_BYTES = 65536


def closest(path: str, known: dict[str, str]) -> tuple[str | None, str | None, float]:
    """(service, its path, similarity) of the known path closest to `path`."""
    best: tuple[str | None, str | None, float] = (None, None, 0.0)
    for known_path, service in known.items():
        ratio = difflib.SequenceMatcher(None, path.lower(), known_path.lower()).ratio()
        if ratio > best[2]:
            best = (service, known_path, ratio)
    return best


def reason(method: str, path: str, known_path: str | None) -> str:
    """Why `method path` reached no service, `known_path` being the closest service path."""
    if known_path is None:
        return "no service is configured"
    if path == known_path:
        return f"method {method} is not served at {known_path}; use POST"
    if path.rstrip("/") == known_path:
        return f"{method} {path}: trailing slash; the service path is {known_path}"
    if path.rstrip("/").lower() == known_path.lower():
        return f"path case differs from {known_path}"
    return f"path {path} does not match any service; closest is {known_path}"


class Unmatched:
    def __init__(self, known: dict[str, str]) -> None:
        self.known = known

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        state = world(request)
        body, problem = await self._body(request)
        path = get_route_path(request.scope)
        service, known_path, ratio = closest(path, self.known)
        why = reason(request.method, path, known_path)
        near = nearmiss.note(state, request, service, known_path, why, ratio)
        fault = soap.client_fault(f"No service at {request.url.path}: {why}", http_status=404)
        out = problem or Outcome(404, soap.fault_envelope(fault))
        out.summary = {**out.summary, "near_miss": near}
        if not await record(state, journal_entry(state, request, "unmatched", body, out, started)):
            out = unrecorded(state)
        return Response(out.body, out.status, headers={"content-type": out.content_type})

    async def _body(self, request: Request) -> tuple[bytes, Outcome | None]:
        """The first KEEP_BYTES of the body, or the answer to a body that could not be read in bounds."""
        settings = world(request).settings
        try:
            return await read_body(request, settings.max_body_bytes, settings.body_timeout, KEEP_BYTES), None
        except (BodyTooLarge, TimeoutError, ClientDisconnect) as exc:
            return b"", unreadable(exc)
