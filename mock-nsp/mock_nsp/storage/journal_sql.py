"""Reading the journal: filters (tenant, service, operation, CPR, CVR, time, mark, paging) to SQL for either
store (`?` for SQLite, `%s` for PostgreSQL), rows to entries. Every query names its tenant: no filter ever
returns another tenant's entries."""

from __future__ import annotations

import json
from typing import Any

from mock_nsp.world.journal import Filters

MARK_AFTER = "SELECT after_id FROM marks WHERE tenant = {p} AND name = {p} ORDER BY seq DESC LIMIT 1"


def select(f: Filters, p: str, table: str = "journal") -> tuple[str, list[object]]:
    """The query of a page of entries (`p`: the driver's placeholder). A `journal` table holds every tenant's
    entries (a `tenant` column); any other name is one tenant's own table."""
    clauses: list[str] = ["tenant = {p}"] if table == "journal" else ["1 = 1"]
    args: list[object] = [f.tenant] if table == "journal" else []
    for column, value in (("service", f.service), ("operation", f.operation), ("cpr", f.cpr), ("cvr", f.cvr)):
        if value is not None:
            clauses.append(f"{column} = {{p}}")
            args.append(value)
    bounds: tuple[tuple[str, object], ...] = (("at >= {p}", f.since), ("at <= {p}", f.until),
                                              ("id > {p}", f.after_id))
    for clause, bound in bounds:
        if bound is not None:
            clauses.append(clause)
            args.append(bound)
    if f.mark is not None:
        clauses.append(f"id > ({MARK_AFTER})")
        args += [f.tenant, f.mark]
    sql = (f"SELECT id, doc, request_body, response_body FROM {table} WHERE " + " AND ".join(clauses)
           + " ORDER BY id LIMIT {p}")
    return sql.replace("{p}", p), [*args, f.limit]


def entry(row_id: int, doc: str | dict[str, Any], request: bytes | None, response: bytes | None) -> dict[str, Any]:
    item: dict[str, Any] = json.loads(doc) if isinstance(doc, str) else doc
    item["id"] = row_id
    for part, body in (("request", request), ("response", response)):
        if body is not None and isinstance(item.get(part), dict):
            item[part]["body"] = bytes(body).decode("utf-8", errors="replace")
    return item
