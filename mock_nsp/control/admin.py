"""The control plane (SPEC §3.2): JSON under /__admin."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mock_nsp import __version__, xmlsafe
from mock_nsp.control.auth import allowed
from mock_nsp.control.validation import InvalidInput, validate
from mock_nsp.journal import Filters
from mock_nsp.pdc import builder
from mock_nsp.registers.citizens import Citizen, CitizenError, document_id
from mock_nsp.registers.clock import parse_instant
from mock_nsp.security.ca import Subject, TestCA, new_password
from mock_nsp.security.ca import validity as ca_validity
from mock_nsp.state import MockState, new_salt
from nspcert import vocabulary as v

log = logging.getLogger("mock_nsp.admin")
Handler = Callable[[Request], Awaitable[Response]]


def _error(status: int, message: str, path: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if path is not None:
        body["path"] = path
    return JSONResponse(body, status)


async def _json(request: Request, schema: str) -> Any:
    raw = await request.body()
    if len(raw) > 5 * 1024 * 1024:
        raise InvalidInput("", "body too large")
    try:
        data = json.loads(raw or b"{}", parse_constant=_no_constant)
    except ValueError as exc:
        raise InvalidInput("", f"not JSON: {exc}") from None
    validate(schema, data)
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed in JSON")


def _guard(state: MockState, fn: Handler, public: bool = False) -> Handler:
    async def wrapped(request: Request) -> Response:
        if not public and not allowed(request, state.settings.admin_token):
            return _error(403, "the control plane needs a loopback client or the admin token")
        try:
            return await fn(request)
        except (InvalidInput, CitizenError) as exc:
            return _error(422, str(exc), exc.path)
        except (OverflowError, ValueError) as exc:
            return _error(422, f"value out of range: {exc}", "")
        except Exception:
            log.exception("control plane error in %s %s", request.method, request.url.path)
            return _error(500, "internal error in the mock's control plane")

    return wrapped


class Admin:
    def __init__(self, state: MockState) -> None:
        self.s = state

    # --- health, reset, settings ----------------------------------------------------------------------
    async def health(self, request: Request) -> Response:
        status = "ok" if self.s.ready else "starting"
        return JSONResponse({"status": status, "version": __version__, "services": list(v.SERVICES)},
                            200 if self.s.ready else 503)

    async def reset(self, request: Request) -> Response:
        self.s.reset()
        return JSONResponse({"status": "reset"})

    async def get_settings(self, request: Request) -> Response:
        return JSONResponse(self.s.config.to_json())

    async def put_settings(self, request: Request) -> Response:
        self.s.config.update(await _json(request, "settings"))
        return JSONResponse(self.s.config.to_json())

    # --- citizens ------------------------------------------------------------------------------------
    def _cpr(self, request: Request) -> str:
        cpr = str(request.path_params["cpr"])
        if not (cpr.isdigit() and len(cpr) == 10):
            raise InvalidInput("/cpr", f"{cpr!r} is not a 10-digit CPR number")
        return cpr

    def _citizen_json(self, cpr: str) -> dict[str, Any] | None:
        citizen = self.s.citizens.get(cpr)
        if citizen is None:
            return None
        return {**citizen.data, "version": citizen.version, "document_id": document_id(cpr),
                "fgvh_value": builder.fgvh_value(citizen.data, self._build_context()),
                "document_override": citizen.document is not None}

    async def put_citizen(self, request: Request) -> Response:
        cpr = self._cpr(request)
        data = await _json(request, "citizen")
        if data.get("cpr", cpr) != cpr:
            raise InvalidInput("/cpr", "the body's cpr differs from the path")
        existed = self.s.citizens.get(cpr) is not None
        self.s.citizens.put(cpr, data, self.s.clock.now(), check=self._buildable)
        return JSONResponse(self._citizen_json(cpr), 200 if existed else 201)

    def _buildable(self, citizen: Citizen) -> None:
        """Build the PDC once, so a state the service plane could not serve is refused now, not in an ITI-43."""
        try:
            builder.build(citizen, self._build_context())
        except builder.BuildError as exc:
            raise InvalidInput(exc.path, str(exc)) from None

    def _build_context(self) -> builder.BuildContext:
        return builder.BuildContext(self.s.clock.now(), frozenset(self.s.citizens.unavailable),
                                    self.s.config.protected_marker)

    async def get_citizen(self, request: Request) -> Response:
        body = self._citizen_json(self._cpr(request))
        return JSONResponse(body) if body is not None else _error(404, "unknown citizen")

    async def list_citizens(self, request: Request) -> Response:
        return JSONResponse({"citizens": sorted(self.s.citizens.citizens)})

    async def delete_citizen(self, request: Request) -> Response:
        found = self.s.citizens.delete(self._cpr(request))
        return Response(status_code=204) if found else _error(404, "unknown citizen")

    async def fgvh(self, request: Request) -> Response:
        cpr = self._cpr(request)
        data = await _json(request, "fgvh-action")
        at = parse_instant(data["at"]) if data.get("at") else self.s.clock.now()
        try:
            self.s.citizens.fgvh_action(cpr, data["action"], at)
        except KeyError:
            return _error(404, "unknown citizen")
        return JSONResponse(self._citizen_json(cpr))

    async def put_document(self, request: Request) -> Response:
        cpr = self._cpr(request)
        citizen = self.s.citizens.get(cpr)
        if citizen is None:
            return _error(404, "unknown citizen")
        raw = await request.body()
        try:
            xmlsafe.parse(raw)
        except xmlsafe.XmlError as exc:
            raise InvalidInput("", str(exc)) from None
        citizen.document = raw
        self.s.citizens.touch(citizen)
        return JSONResponse({"cpr": cpr, "document_id": document_id(cpr), "bytes": len(raw)})

    async def get_document(self, request: Request) -> Response:
        """The PDC the repository would serve for the citizen now: the verbatim override, or built from the
        registers. Harnesses start MedCom-style variants (e.g. a differing narrative) from it."""
        citizen = self.s.citizens.get(self._cpr(request))
        if citizen is None:
            return _error(404, "unknown citizen")
        document = citizen.document or builder.build(citizen, self._build_context())
        return Response(document, media_type="application/xml")

    async def delete_document(self, request: Request) -> Response:
        citizen = self.s.citizens.get(self._cpr(request))
        if citizen is None:
            return _error(404, "unknown citizen")
        citizen.document = None
        return Response(status_code=204)

    # --- registers, clock -----------------------------------------------------------------------------
    async def put_register(self, request: Request) -> Response:
        name = str(request.path_params["name"])
        if name not in v.REGISTERS:
            return _error(404, f"unknown register {name!r}; known: {', '.join(v.REGISTERS)}", "/name")
        data = await _json(request, "register")
        self.s.citizens.set_available(name, data["available"])
        return JSONResponse({"name": name, "available": data["available"]})

    async def get_registers(self, request: Request) -> Response:
        return JSONResponse({"registers": {r: self.s.citizens.available(r) for r in v.REGISTERS}})

    async def get_clock(self, request: Request) -> Response:
        return JSONResponse(self.s.clock.to_json())

    async def put_clock(self, request: Request) -> Response:
        data = await _json(request, "clock")
        now = parse_instant(data["now"])
        if not 1970 <= now.year <= 2200:
            raise InvalidInput("/now", "the mock's clock runs between 1970 and 2200")
        self.s.clock.set(now, bool(data.get("frozen", False)))
        return JSONResponse(self.s.clock.to_json())

    async def advance_clock(self, request: Request) -> Response:
        data = await _json(request, "clock-advance")
        delta = timedelta(**{k: float(val) for k, val in data.items()})
        if not 1970 <= (self.s.clock.now() + delta).year <= 2200:
            raise InvalidInput("", "the mock's clock runs between 1970 and 2200")
        self.s.clock.advance(delta)
        return JSONResponse(self.s.clock.to_json())

    # --- faults ---------------------------------------------------------------------------------------
    async def add_fault(self, request: Request) -> Response:
        rule = self.s.faults.add(await _json(request, "fault"))
        return JSONResponse(rule.to_json(), 201)

    async def list_faults(self, request: Request) -> Response:
        return JSONResponse({"faults": self.s.faults.list()})

    async def delete_fault(self, request: Request) -> Response:
        found = self.s.faults.remove(str(request.path_params["id"]))
        return Response(status_code=204) if found else _error(404, "unknown fault rule")

    async def clear_faults(self, request: Request) -> Response:
        self.s.faults.clear()
        return Response(status_code=204)

    # --- certificates -----------------------------------------------------------------------------------
    async def certificate(self, request: Request) -> Response:
        data = await _json(request, "certificate")
        nb, na = _validity(data)
        ca = TestCA.create("Untrusted Test CA") if data.get("untrusted") else self.s.ca
        issued = ca.issue(Subject(data["kind"], data["cvr"], data["name"], data.get("cpr")), nb, na)
        password = data.get("password") or new_password()
        return JSONResponse({
            "kind": data["kind"], "cvr": data["cvr"], "name": data["name"], "cpr": data.get("cpr"),
            "subject": issued.cert.subject.rfc4514_string(), "serial": str(issued.cert.serial_number),
            "not_before": issued.cert.not_valid_before_utc.isoformat(),
            "not_after": issued.cert.not_valid_after_utc.isoformat(),
            "certificate_pem": issued.cert_pem, "private_key_pem": issued.key_pem,
            "pkcs12_base64": base64.b64encode(issued.pkcs12(password, ca.root.cert)).decode(),
            "pkcs12_password": password, "ca_pem": ca.root.cert_pem, "trusted": not data.get("untrusted"),
        }, 201)

    async def ca(self, request: Request) -> Response:
        pem = self.s.ca.root.cert_pem
        if "application/x-pem-file" in request.headers.get("accept", ""):
            return Response(pem, media_type="application/x-pem-file")
        sts = self.s.ca.sts.cert.public_bytes(serialization.Encoding.PEM).decode()
        return JSONResponse({"certificate_pem": pem, "sts_certificate_pem": sts})

    # --- journal ----------------------------------------------------------------------------------------
    async def journal(self, request: Request) -> Response:
        q = request.query_params
        try:
            f = Filters(service=q.get("service"), operation=q.get("operation"), cpr=q.get("cpr"),
                        cvr=q.get("cvr"), since=_utc(q.get("since")), until=_utc(q.get("until")),
                        mark=q.get("mark"), limit=int(q.get("limit", "10000")),
                        after_id=int(q["after_id"]) if "after_id" in q else None)
        except ValueError as exc:
            raise InvalidInput("/query", str(exc)) from None
        from starlette.concurrency import run_in_threadpool

        return JSONResponse(await run_in_threadpool(self.s.journal.entries, f))

    async def add_mark(self, request: Request) -> Response:
        data = await _json(request, "mark")
        from starlette.concurrency import run_in_threadpool

        at = self.s.clock.now().isoformat()
        await run_in_threadpool(self.s.journal.mark, data["name"], at)
        return JSONResponse({"name": data["name"], "at": at}, 201)

    async def list_marks(self, request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        return JSONResponse({"marks": await run_in_threadpool(self.s.journal.marks)})

    async def unmatched(self, request: Request) -> Response:
        return JSONResponse({"unmatched": list(self.s.unmatched)})

    # --- MinLog, IDSAS ----------------------------------------------------------------------------------
    async def minlog_entries(self, request: Request) -> Response:
        q = request.query_params
        out = []
        for entry in self.s.minlog.entries():
            if q.get("cpr") and entry.get("person_identifier") != q["cpr"]:
                continue
            if q.get("user") and entry.get("user_person_identifier") != q["user"]:
                continue
            if q.get("date") and entry.get("local_date") != q["date"]:
                continue
            out.append(entry)
        return JSONResponse({"entries": out, "stats": self.s.minlog.stats()})

    async def get_salt(self, request: Request) -> Response:
        return JSONResponse({"salt": self.s.salt})

    async def rotate_salt(self, request: Request) -> Response:
        data = await _json(request, "salt")
        self.s.salt = data.get("salt") or new_salt()
        return JSONResponse({"salt": self.s.salt})


def _validity(data: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """The requested validity period, checked: X.509 (as the cryptography library writes it) starts in 1950 at
    the earliest, and the period must end after it starts."""
    nb = parse_instant(data["not_before"]) if data.get("not_before") else None
    na = parse_instant(data["not_after"]) if data.get("not_after") else None
    start, end = ca_validity(nb, na)
    if start.year < 1950:
        raise InvalidInput("/not_before", "a certificate cannot be valid before 1950")
    if end <= start:
        field = "/not_after" if na is not None else "/not_before"
        raise InvalidInput(field, f"the validity period is empty: not_before {start.isoformat()} is not before "
                                  f"not_after {end.isoformat()}")
    return nb, na


def _utc(value: str | None) -> str | None:
    return parse_instant(value).astimezone(UTC).isoformat() if value else None


def routes(state: MockState) -> list[Route]:
    a = Admin(state)
    p = v.ADMIN_PREFIX
    table: list[tuple[str, Handler, list[str]]] = [
        ("/health", a.health, ["GET"]),
        ("/reset", a.reset, ["POST"]),
        ("/settings", a.get_settings, ["GET"]),
        ("/settings", a.put_settings, ["PUT"]),
        ("/citizens", a.list_citizens, ["GET"]),
        ("/citizens/{cpr}", a.put_citizen, ["PUT"]),
        ("/citizens/{cpr}", a.get_citizen, ["GET"]),
        ("/citizens/{cpr}", a.delete_citizen, ["DELETE"]),
        ("/citizens/{cpr}/fgvh", a.fgvh, ["POST"]),
        ("/citizens/{cpr}/document", a.put_document, ["PUT"]),
        ("/citizens/{cpr}/document", a.get_document, ["GET"]),
        ("/citizens/{cpr}/document", a.delete_document, ["DELETE"]),
        ("/registers", a.get_registers, ["GET"]),
        ("/registers/{name}", a.put_register, ["PUT"]),
        ("/clock", a.get_clock, ["GET"]),
        ("/clock", a.put_clock, ["PUT"]),
        ("/clock/advance", a.advance_clock, ["POST"]),
        ("/faults", a.add_fault, ["POST"]),
        ("/faults", a.list_faults, ["GET"]),
        ("/faults", a.clear_faults, ["DELETE"]),
        ("/faults/{id}", a.delete_fault, ["DELETE"]),
        ("/certificates", a.certificate, ["POST"]),
        ("/ca", a.ca, ["GET"]),
        ("/journal", a.journal, ["GET"]),
        ("/journal/marks", a.add_mark, ["POST"]),
        ("/journal/marks", a.list_marks, ["GET"]),
        ("/unmatched", a.unmatched, ["GET"]),
        ("/minlog/entries", a.minlog_entries, ["GET"]),
        ("/idsas/salt", a.get_salt, ["GET"]),
        ("/idsas/salt", a.rotate_salt, ["POST", "PUT"]),
    ]
    return [Route(p + path, _guard(state, fn, public=path == "/health"), methods=methods)
            for path, fn, methods in table]
