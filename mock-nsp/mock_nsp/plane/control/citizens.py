"""Control plane: the citizen register (PUT/GET/DELETE citizens, FGVH actions, verbatim documents)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_nsp import xmlsafe
from mock_nsp.pdc import builder
from mock_nsp.plane.context import world
from mock_nsp.plane.control.validation import InvalidInput
from mock_nsp.plane.control.web import NotFound, read_bytes, read_json
from mock_nsp.registers.citizens import Citizen, document_id
from mock_nsp.registers.clock import parse_instant
from mock_nsp.world.tenant import World


class Citizens:
    def _cpr(self, request: Request) -> str:
        cpr = str(request.path_params["cpr"])
        if not (cpr.isdigit() and len(cpr) == 10):
            raise InvalidInput("/cpr", f"{cpr!r} is not a 10-digit CPR number")
        return cpr

    def _citizen(self, request: Request) -> Citizen:
        citizen = world(request).citizens.get(self._cpr(request))
        if citizen is None:
            raise NotFound("unknown citizen")
        return citizen

    def _json(self, s: World, citizen: Citizen) -> dict[str, Any]:
        return {**citizen.data, "version": citizen.version, "document_id": document_id(citizen.cpr),
                "fgvh_value": builder.fgvh_value(citizen.data, _build_context(s)),
                "document_override": citizen.document is not None}

    async def put(self, request: Request) -> Response:
        s = world(request)
        cpr = self._cpr(request)
        data = await read_json(request, s.settings, "citizen")
        if data.get("cpr", cpr) != cpr:
            raise InvalidInput("/cpr", "the body's cpr differs from the path")
        existed = s.citizens.get(cpr) is not None
        citizen = s.citizens.put(cpr, data, s.clock.now(), check=lambda c: _buildable(s, c))
        return JSONResponse(self._json(s, citizen), 200 if existed else 201)

    async def get(self, request: Request) -> Response:
        return JSONResponse(self._json(world(request), self._citizen(request)))

    async def list(self, request: Request) -> Response:
        return JSONResponse({"citizens": sorted(world(request).citizens.citizens)})

    async def delete(self, request: Request) -> Response:
        if not world(request).citizens.delete(self._cpr(request)):
            raise NotFound("unknown citizen")
        return Response(status_code=204)

    async def fgvh(self, request: Request) -> Response:
        s, citizen = world(request), self._citizen(request)
        data = await read_json(request, s.settings, "fgvh-action")
        at = parse_instant(data["at"]) if data.get("at") else s.clock.now()
        return JSONResponse(self._json(s, s.citizens.fgvh_action(citizen.cpr, data["action"], at)))

    async def put_document(self, request: Request) -> Response:
        s, citizen = world(request), self._citizen(request)
        raw = await read_bytes(request, s.settings, s.settings.max_body_bytes)
        try:
            xmlsafe.parse(raw)
        except xmlsafe.XmlError as exc:
            raise InvalidInput("/", str(exc)) from None
        s.citizens.set_document(citizen.cpr, raw)
        return JSONResponse({"cpr": citizen.cpr, "document_id": document_id(citizen.cpr), "bytes": len(raw)})

    async def get_document(self, request: Request) -> Response:
        """The PDC the repository would serve for the citizen now: the verbatim override, or built from the
        registers. Harnesses start MedCom-style variants (e.g. a differing narrative) from it."""
        citizen = self._citizen(request)
        return Response(citizen.document or builder.build(citizen, _build_context(world(request))),
                        media_type="application/xml")

    async def delete_document(self, request: Request) -> Response:
        world(request).citizens.set_document(self._citizen(request).cpr, None)
        return Response(status_code=204)


def _build_context(s: World) -> builder.BuildContext:
    return builder.BuildContext(s.clock.now(), frozenset(s.citizens.unavailable), s.config.protected_marker)


def _buildable(s: World, citizen: Citizen) -> None:
    """Build the PDC once, so a state the service plane could not serve is refused now, not in an ITI-43."""
    try:
        builder.build(citizen, _build_context(s))
    except builder.BuildError as exc:
        raise InvalidInput(exc.path, str(exc)) from None
