"""What every control-plane route shares: bodies read within bounds, JSON checked against its schema,
errors as JSON (never a stack trace), and the access guard."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_nsp.plane.context import world
from mock_nsp.plane.control.auth import admitted
from mock_nsp.plane.control.validation import InvalidInput, validate
from mock_nsp.plane.exchange import BodyTooLarge, ClientDisconnect, read_body
from mock_nsp.registers.citizens import CitizenError
from mock_nsp.settings import Settings
from mock_nsp.world.journal import JournalUnavailable
from mock_nsp.world.store import DEFAULT_TENANT, StoreUnavailable

log = logging.getLogger("mock_nsp.admin")
Handler = Callable[[Request], Awaitable[Response]]
#: a control-plane JSON body (a citizen with many relatives is a few KiB)
JSON_LIMIT = 1024 * 1024


class NotFound(LookupError):
    """The named thing (citizen, fault rule, mark, register) does not exist: 404."""


def error(status: int, message: str, path: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if path is not None:
        body["path"] = path
    return JSONResponse(body, status)


async def read_bytes(request: Request, settings: Settings, limit: int) -> bytes:
    return await read_body(request, limit, settings.body_timeout)


async def read_json(request: Request, settings: Settings, schema: str) -> Any:
    """The body as JSON valid by `schemas/<schema>.schema.json` (an empty body is `{}`)."""
    raw = await read_bytes(request, settings, JSON_LIMIT)
    try:
        data = json.loads(raw or b"{}", parse_constant=_no_constant)
    except ValueError as exc:
        raise InvalidInput("/", f"not JSON: {exc}") from None
    validate(schema, data)
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed in JSON")


def guard(fn: Handler, public: bool = False, check: Callable[[Request], bool] = admitted) -> Handler:
    """Check access, then run the handler, turning every failure into a JSON answer."""

    async def wrapped(request: Request) -> Response:
        if not public and not check(request):
            return error(403, _refusal(request))
        try:
            return await fn(request)
        except Exception as exc:  # noqa: BLE001 - every failure gets a JSON answer (see _answer)
            return _answer(request, exc)

    return wrapped


def _refusal(request: Request) -> str:
    name = world(request).name
    if name == DEFAULT_TENANT:
        return "the control plane needs a loopback client or the admin token"
    return f"the control plane of tenant {name!r} needs that tenant's admin token"


def _answer(request: Request, exc: Exception) -> Response:
    if isinstance(exc, InvalidInput | CitizenError):
        return error(422, str(exc), exc.path)
    if isinstance(exc, NotFound):
        return error(404, str(exc))
    if isinstance(exc, BodyTooLarge):
        return error(413, "request body too large")
    if isinstance(exc, TimeoutError):
        return error(408, "request body not received in time")
    if isinstance(exc, OverflowError | ValueError):  # a value the schema lets through but Python cannot hold
        return error(422, f"value out of range: {exc}", "/")
    if isinstance(exc, StoreUnavailable | JournalUnavailable):
        return JSONResponse({"error": f"the mock NSP's store is unavailable: {exc}", "status": "unavailable"}, 503)
    if isinstance(exc, ClientDisconnect):
        log.info("control plane: the client left during %s %s", request.method, request.url.path)
        return error(400, "client disconnected")
    log.error("control plane error in %s %s", request.method, request.url.path, exc_info=exc)
    return error(500, "internal error in the mock's control plane")
