"""The HTTP driver contract routes (``nspcert/driver/openapi.yaml``) over :class:`ReferenceEoj`."""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reference_eoj.minlog_queue import Flushed
from reference_eoj.service import ReferenceEoj, UnknownUser

log = logging.getLogger(__name__)
#: a citizen's CPR number, or a replacement CPR number (eCPR: DDMMYY, the century digit, two letters, a digit)
CPR = re.compile(r"^[0-9]{7}(?:[0-9]{2}|[A-Z]{2})[0-9]$")
Handler = Callable[[ReferenceEoj, Request], Any]


def create_app(eoj: ReferenceEoj, flush_interval: float = 0.0) -> Starlette:
    routes = [
        Route("/sut/capabilities", _bind(eoj, capabilities), methods=["GET"]),
        Route("/sut/reset", _bind(eoj, reset), methods=["POST"]),
        Route("/sut/users", _bind(eoj, log_in), methods=["POST"]),
        Route("/sut/citizens/{cpr}/open", _bind(eoj, open_record), methods=["POST"]),
        Route("/sut/citizens/{cpr}/view", _bind(eoj, view), methods=["GET"]),
        Route("/sut/citizens/{cpr}/stamkort", _claimed(eoj, "stamkort.write", change_stamkort), methods=["POST"]),
        Route("/sut/clock", _claimed(eoj, "clock", set_clock), methods=["PUT"]),
        Route("/sut/minlog/flush", _claimed(eoj, "minlog", flush_minlog), methods=["POST"]),
        Route("/sut/minlog/background", _claimed(eoj, "minlog.background", minlog_background), methods=["POST"]),
        Route("/sut/citizens/{cpr}/citizen-view", _claimed(eoj, "citizen-view", citizen_view), methods=["GET"]),
        Route("/sut/overview", _claimed(eoj, "overview", overview), methods=["POST"]),
    ]
    return Starlette(routes=routes, lifespan=_lifespan(eoj, flush_interval))


def _claimed(eoj: ReferenceEoj, capability: str, handler: Handler) -> Callable[[Request], Any]:
    """The route of an optional capability answers 501 when the EOJ is configured not to claim it."""
    bound = _bind(eoj, handler)

    async def endpoint(request: Request) -> Response:
        if capability not in eoj.settings.capabilities:
            return JSONResponse({"error": f"capability {capability!r} not claimed"}, status_code=501)
        response: Response = await bound(request)
        return response

    return endpoint


def _lifespan(eoj: ReferenceEoj, interval: float) -> Callable[[Starlette], Any]:
    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        stop = threading.Event()
        if interval > 0:
            threading.Thread(target=_flush_loop, args=(eoj, interval, stop), daemon=True).start()
        yield
        stop.set()

    return lifespan


def _flush_loop(eoj: ReferenceEoj, interval: float, stop: threading.Event) -> None:
    """Send queued MinLog2 entries regularly (every 180 s by default), within ≤ 20 requests an hour: each tick is
    one round of the background sending, the round ``POST /sut/minlog/background`` runs on request."""
    while not stop.wait(interval):
        try:
            eoj.minlog_background()
        except Exception:
            log.exception("automatic MinLog2 flush failed; the entries stay queued")


def _bind(eoj: ReferenceEoj, handler: Handler) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        try:
            body = await request.json() if request.method in ("POST", "PUT") and await request.body() else {}
            if not isinstance(body, dict):
                raise TypeError("the body must be a JSON object")
            result = await _run_sync(handler, eoj, request, body)
        except UnknownUser as exc:
            return _error(404, str(exc))
        except (ValueError, KeyError, TypeError) as exc:
            return _error(422, f"{type(exc).__name__}: {exc}")
        return result if isinstance(result, Response) else JSONResponse(result)

    return endpoint


async def _run_sync(handler: Handler, eoj: ReferenceEoj, request: Request, body: dict[str, Any]) -> Any:
    request.state.body = body
    return await run_in_threadpool(handler, eoj, request)


def _cpr(request: Request) -> str:
    cpr = str(request.path_params["cpr"])
    if not CPR.match(cpr):
        raise ValueError("cpr must be a CPR number (10 digits) or a replacement CPR number (DDMMYYCAAG)")
    return cpr


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def capabilities(eoj: ReferenceEoj, request: Request) -> Any:
    return eoj.capabilities()


def reset(eoj: ReferenceEoj, request: Request) -> Any:
    eoj.reset()
    return Response(status_code=204)


def log_in(eoj: ReferenceEoj, request: Request) -> Any:
    return JSONResponse({"user_id": eoj.log_in(request.state.body)}, status_code=201)


def open_record(eoj: ReferenceEoj, request: Request) -> Any:
    return eoj.open(_cpr(request), str(request.state.body["user_id"]))


def view(eoj: ReferenceEoj, request: Request) -> Any:
    screen = eoj.view(_cpr(request), request.query_params.get("user_id", ""))
    return screen if screen is not None else _error(404, "the record is not open; POST …/open first")


def change_stamkort(eoj: ReferenceEoj, request: Request) -> Any:
    body = request.state.body
    return eoj.change(_cpr(request), str(body["user_id"]), body)


def set_clock(eoj: ReferenceEoj, request: Request) -> Any:
    raw = request.state.body.get("now")
    now = eoj.set_clock(datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None)
    return {"now": now.isoformat()}


def flush_minlog(eoj: ReferenceEoj, request: Request) -> Any:
    return _flushed(eoj.flush_minlog())


def minlog_background(eoj: ReferenceEoj, request: Request) -> Any:
    return _flushed(eoj.minlog_background())


def _flushed(flushed: Flushed) -> dict[str, int]:
    return {"sent": flushed.sent, "failed": flushed.failed, "queued": flushed.queued, "given_up": flushed.given_up}


def citizen_view(eoj: ReferenceEoj, request: Request) -> Any:
    return eoj.citizen_view(_cpr(request))


def overview(eoj: ReferenceEoj, request: Request) -> Any:
    body = request.state.body
    cprs = body.get("cprs")
    if not isinstance(cprs, list) or not all(isinstance(cpr, str) and CPR.match(cpr) for cpr in cprs):
        raise ValueError("cprs must be a list of CPR numbers")
    return eoj.overview(cprs, str(body["user_id"]))
