"""Control plane: what was recorded — the journal and its marks, near-misses, parsed MinLog2 entries."""

from __future__ import annotations

from datetime import UTC

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_nsp.plane.context import world
from mock_nsp.plane.control.validation import InvalidInput, is_date, is_date_time
from mock_nsp.plane.control.web import NotFound, read_json
from mock_nsp.registers.clock import parse_instant
from mock_nsp.world.journal import Filters, UnknownMark

#: the most journal entries one page may carry (the harness pages with after_id)
MAX_PAGE = 100_000


class Records:
    async def journal(self, request: Request) -> Response:
        """Reading runs in a worker thread: a large page must not hold up the service plane."""
        try:
            return JSONResponse(await run_in_threadpool(world(request).journal.entries, _filters(request.query_params)))
        except UnknownMark as exc:
            raise NotFound(f"unknown mark {exc.args[0]!r}: add it with POST /__admin/journal/marks") from None

    async def add_mark(self, request: Request) -> Response:
        data = await read_json(request, world(request).settings, "mark")
        at = world(request).clock.now().isoformat()
        await run_in_threadpool(world(request).journal.mark, data["name"], at)
        return JSONResponse({"name": data["name"], "at": at}, 201)

    async def marks(self, request: Request) -> Response:
        return JSONResponse({"marks": await run_in_threadpool(world(request).journal.marks)})

    async def unmatched(self, request: Request) -> Response:
        return JSONResponse({"unmatched": list(world(request).unmatched)})

    async def minlog_entries(self, request: Request) -> Response:
        q = request.query_params
        day = _day(q.get("date"))
        wanted = {"person_identifier": q.get("cpr"), "user_person_identifier": q.get("user"), "local_date": day}
        entries = [e for e in world(request).minlog.entries()
                   if all(value is None or e.get(key) == value for key, value in wanted.items())]
        return JSONResponse({"entries": entries, "stats": world(request).minlog_stats()})


def _day(value: str | None) -> str | None:
    """A `date` filter: a Danish calendar day."""
    if value and not is_date(value):
        raise InvalidInput("/query/date", f"date {value!r} is not a day (YYYY-MM-DD)")
    return value or None


def _filters(q: QueryParams) -> Filters:
    return Filters(service=q.get("service"), operation=q.get("operation"), cpr=q.get("cpr"), cvr=q.get("cvr"),
                   since=_instant(q, "since"), until=_instant(q, "until"), mark=q.get("mark"),
                   limit=_number(q, "limit", 1, MAX_PAGE) or 10_000, after_id=_number(q, "after_id", 0, None))


def _instant(q: QueryParams, name: str) -> str | None:
    value = q.get(name)
    if value and not is_date_time(value):
        raise InvalidInput(f"/query/{name}", f"{name} {value!r} is not an ISO-8601 date-time")
    return parse_instant(value).astimezone(UTC).isoformat() if value else None


def _number(q: QueryParams, name: str, low: int, high: int | None) -> int | None:
    if name not in q:
        return None
    value = q[name]
    if not value.isdigit() or int(value) < low or (high is not None and int(value) > high):
        raise InvalidInput(f"/query/{name}", f"{name} must be a whole number from {low}"
                                             + (f" to {high}" if high is not None else ""))
    return int(value)
