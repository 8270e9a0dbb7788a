"""The control plane (SPEC §3.2): JSON under /__admin — the route table, and the platform-wide routes
(health, reset, settings, registers, clock, faults, IDSAS salt). Citizens, certificates and the records
(journal, near-misses, MinLog2 entries) have their own modules."""

from __future__ import annotations

import os
from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import nsp_vocabulary as v
from mock_nsp import __version__
from mock_nsp.plane.context import world
from mock_nsp.plane.control.certificates import Certificates
from mock_nsp.plane.control.citizens import Citizens
from mock_nsp.plane.control.records import Records
from mock_nsp.plane.control.validation import InvalidInput
from mock_nsp.plane.control.web import Handler, NotFound, guard, read_json
from mock_nsp.registers.clock import parse_instant

#: the years the mock's clock may show
CLOCK_YEARS = (1970, 2200)


class Platform:
    async def health(self, request: Request) -> Response:
        """200 only when every service can answer and record: started, journal writer running."""
        problems = world(request).problems()
        return JSONResponse({"status": "ok" if not problems else "unavailable", "version": __version__,
                             "services": list(v.SERVICES), "problems": problems, "worker": os.getpid(),
                             "tenant": world(request).name}, 503 if problems else 200)

    async def reset(self, request: Request) -> Response:
        await run_in_threadpool(world(request).reset)
        return JSONResponse({"status": "reset"})

    async def get_settings(self, request: Request) -> Response:
        return JSONResponse(world(request).config.to_json())

    async def put_settings(self, request: Request) -> Response:
        world(request).update_config(await read_json(request, world(request).settings, "settings"))
        return JSONResponse(world(request).config.to_json())

    async def put_register(self, request: Request) -> Response:
        name = str(request.path_params["name"])
        if name not in v.REGISTERS:
            raise NotFound(f"unknown register {name!r}; known: {', '.join(v.REGISTERS)}")
        data = await read_json(request, world(request).settings, "register")
        world(request).citizens.set_available(name, data["available"])
        return JSONResponse({"name": name, "available": data["available"]})

    async def get_registers(self, request: Request) -> Response:
        return JSONResponse({"registers": {r: world(request).citizens.available(r) for r in v.REGISTERS}})

    async def get_clock(self, request: Request) -> Response:
        return JSONResponse(world(request).clock.to_json())

    async def put_clock(self, request: Request) -> Response:
        data = await read_json(request, world(request).settings, "clock")
        now = parse_instant(data["now"])
        _check_clock_year(now.year, "/now")
        world(request).clock.set(now, bool(data.get("frozen", False)))
        return JSONResponse(world(request).clock.to_json())

    async def advance_clock(self, request: Request) -> Response:
        data = await read_json(request, world(request).settings, "clock-advance")
        try:
            delta = timedelta(**{k: float(val) for k, val in data.items()})
            year = (world(request).clock.now() + delta).year
        except OverflowError:
            raise InvalidInput("/", "the step takes the clock beyond the year 9999") from None
        _check_clock_year(year, "/")
        world(request).clock.advance(delta)
        return JSONResponse(world(request).clock.to_json())

    async def add_fault(self, request: Request) -> Response:
        rule = world(request).add_fault(await read_json(request, world(request).settings, "fault"))
        return JSONResponse(rule, 201)

    async def list_faults(self, request: Request) -> Response:
        return JSONResponse({"faults": world(request).faults.listed()})

    async def delete_fault(self, request: Request) -> Response:
        if not world(request).remove_fault(str(request.path_params["id"])):
            raise NotFound("unknown fault rule")
        return Response(status_code=204)

    async def clear_faults(self, request: Request) -> Response:
        world(request).clear_faults()
        return Response(status_code=204)

    async def get_salt(self, request: Request) -> Response:
        return JSONResponse({"salt": world(request).salt})

    async def rotate_salt(self, request: Request) -> Response:
        data = await read_json(request, world(request).settings, "salt")
        return JSONResponse({"salt": world(request).rotate_salt(data.get("salt"))})


def _check_clock_year(year: int, path: str) -> None:
    if not CLOCK_YEARS[0] <= year <= CLOCK_YEARS[1]:
        raise InvalidInput(path, f"the mock's clock runs between {CLOCK_YEARS[0]} and {CLOCK_YEARS[1]}")


def routes() -> list[Route]:
    a, c, cert, r = Platform(), Citizens(), Certificates(), Records()
    table: list[tuple[str, Handler, list[str]]] = [
        ("/health", a.health, ["GET"]),
        ("/reset", a.reset, ["POST"]),
        ("/settings", a.get_settings, ["GET"]),
        ("/settings", a.put_settings, ["PUT"]),
        ("/citizens", c.list, ["GET"]),
        ("/citizens/{cpr}", c.put, ["PUT"]),
        ("/citizens/{cpr}", c.get, ["GET"]),
        ("/citizens/{cpr}", c.delete, ["DELETE"]),
        ("/citizens/{cpr}/fgvh", c.fgvh, ["POST"]),
        ("/citizens/{cpr}/document", c.put_document, ["PUT"]),
        ("/citizens/{cpr}/document", c.get_document, ["GET"]),
        ("/citizens/{cpr}/document", c.delete_document, ["DELETE"]),
        ("/registers", a.get_registers, ["GET"]),
        ("/registers/{name}", a.put_register, ["PUT"]),
        ("/clock", a.get_clock, ["GET"]),
        ("/clock", a.put_clock, ["PUT"]),
        ("/clock/advance", a.advance_clock, ["POST"]),
        ("/faults", a.add_fault, ["POST"]),
        ("/faults", a.list_faults, ["GET"]),
        ("/faults", a.clear_faults, ["DELETE"]),
        ("/faults/{id}", a.delete_fault, ["DELETE"]),
        ("/certificates", cert.issue, ["POST"]),
        ("/ca", cert.ca, ["GET"]),
        ("/journal", r.journal, ["GET"]),
        ("/journal/marks", r.add_mark, ["POST"]),
        ("/journal/marks", r.marks, ["GET"]),
        ("/unmatched", r.unmatched, ["GET"]),
        ("/minlog/entries", r.minlog_entries, ["GET"]),
        ("/idsas/salt", a.get_salt, ["GET"]),
        ("/idsas/salt", a.rotate_salt, ["POST", "PUT"]),
    ]
    return [Route(v.ADMIN_PREFIX + path, guard(fn, public=path == "/health"), methods=methods)
            for path, fn, methods in table]
