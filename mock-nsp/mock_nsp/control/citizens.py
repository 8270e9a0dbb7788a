"""Control plane: the citizen register (PUT/GET/DELETE citizens, FGVH actions, verbatim documents)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_nsp import xmlsafe
from mock_nsp.control.validation import InvalidInput
from mock_nsp.control.web import NotFound, read_bytes, read_json
from mock_nsp.pdc import builder
from mock_nsp.registers.citizens import Citizen, document_id
from mock_nsp.registers.clock import parse_instant
from mock_nsp.state import MockState


class Citizens:
    def __init__(self, state: MockState) -> None:
        self.s = state

    def _cpr(self, request: Request) -> str:
        cpr = str(request.path_params["cpr"])
        if not (cpr.isdigit() and len(cpr) == 10):
            raise InvalidInput("/cpr", f"{cpr!r} is not a 10-digit CPR number")
        return cpr

    def _citizen(self, request: Request) -> Citizen:
        citizen = self.s.citizens.get(self._cpr(request))
        if citizen is None:
            raise NotFound("unknown citizen")
        return citizen

    def _json(self, citizen: Citizen) -> dict[str, Any]:
        return {**citizen.data, "version": citizen.version, "document_id": document_id(citizen.cpr),
                "fgvh_value": builder.fgvh_value(citizen.data, self._build_context()),
                "document_override": citizen.document is not None}

    def _build_context(self) -> builder.BuildContext:
        return builder.BuildContext(self.s.clock.now(), frozenset(self.s.citizens.unavailable),
                                    self.s.config.protected_marker)

    def _buildable(self, citizen: Citizen) -> None:
        """Build the PDC once, so a state the service plane could not serve is refused now, not in an ITI-43."""
        try:
            builder.build(citizen, self._build_context())
        except builder.BuildError as exc:
            raise InvalidInput(exc.path, str(exc)) from None

    async def put(self, request: Request) -> Response:
        cpr = self._cpr(request)
        data = await read_json(request, self.s.settings, "citizen")
        if data.get("cpr", cpr) != cpr:
            raise InvalidInput("/cpr", "the body's cpr differs from the path")
        existed = self.s.citizens.get(cpr) is not None
        citizen = self.s.citizens.put(cpr, data, self.s.clock.now(), check=self._buildable)
        return JSONResponse(self._json(citizen), 200 if existed else 201)

    async def get(self, request: Request) -> Response:
        return JSONResponse(self._json(self._citizen(request)))

    async def list(self, request: Request) -> Response:
        return JSONResponse({"citizens": sorted(self.s.citizens.citizens)})

    async def delete(self, request: Request) -> Response:
        if not self.s.citizens.delete(self._cpr(request)):
            raise NotFound("unknown citizen")
        return Response(status_code=204)

    async def fgvh(self, request: Request) -> Response:
        citizen = self._citizen(request)
        data = await read_json(request, self.s.settings, "fgvh-action")
        at = parse_instant(data["at"]) if data.get("at") else self.s.clock.now()
        return JSONResponse(self._json(self.s.citizens.fgvh_action(citizen.cpr, data["action"], at)))

    async def put_document(self, request: Request) -> Response:
        citizen = self._citizen(request)
        raw = await read_bytes(request, self.s.settings, self.s.settings.max_body_bytes)
        try:
            xmlsafe.parse(raw)
        except xmlsafe.XmlError as exc:
            raise InvalidInput("/", str(exc)) from None
        self.s.citizens.set_document(citizen.cpr, raw)
        return JSONResponse({"cpr": citizen.cpr, "document_id": document_id(citizen.cpr), "bytes": len(raw)})

    async def get_document(self, request: Request) -> Response:
        """The PDC the repository would serve for the citizen now: the verbatim override, or built from the
        registers. Harnesses start MedCom-style variants (e.g. a differing narrative) from it."""
        citizen = self._citizen(request)
        return Response(citizen.document or builder.build(citizen, self._build_context()),
                        media_type="application/xml")

    async def delete_document(self, request: Request) -> Response:
        self.s.citizens.set_document(self._citizen(request).cpr, None)
        return Response(status_code=204)
