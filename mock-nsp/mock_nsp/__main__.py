"""`python -m mock_nsp --host 127.0.0.1 --port 8080 [--journal FILE] [--admin-token T] [--state-dir DIR]
[--database postgresql://… [--workers N]] [--operator-token T]`.

Embedded mode (no `--database`, what the harness starts): one process, every tenant's world in memory, the journal
in SQLite. Hosted mode (`--database`): worlds and journal in PostgreSQL, so any number of processes — `--workers N`
(uvicorn's process manager), gunicorn with uvicorn workers on `mock_nsp.plane.app:from_environment()`, or replicas
on several machines behind a load balancer — serve the same mock. Every flag has an environment variable
(`MOCK_NSP_<FLAG>`), which is how a process manager's workers get them."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from mock_nsp.settings import RuntimeConfig, Settings


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"MOCK_NSP_{name}", default)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="mock-nsp", description="Mock NSP for Fælles Stamkort 3.0 tests")
    p.add_argument("--host", default=_env("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(_env("PORT", "8080") or 8080))
    p.add_argument("--journal", type=Path, default=_path(_env("JOURNAL")),
                   help="SQLite journal file (embedded mode; default: in --state-dir)")
    p.add_argument("--state-dir", type=Path, default=_path(_env("STATE_DIR")),
                   help="keeps the default tenant's test CA (and the embedded journal) across restarts")
    p.add_argument("--database", default=_env("DATABASE"),
                   help="hosted mode: a PostgreSQL URL (postgresql://user@host/db) keeping every world and journal")
    p.add_argument("--workers", type=int, default=int(_env("WORKERS", "1") or 1),
                   help="processes serving the mock (hosted mode only; uvicorn's process manager)")
    p.add_argument("--admin-token", default=_env("ADMIN_TOKEN"))
    p.add_argument("--operator-token", default=_env("OPERATOR_TOKEN"),
                   help="creates tenants (POST /__admin/tenants); default: as the default tenant's control plane")
    p.add_argument("--journal-cap", type=int, default=int(_env("JOURNAL_CAP", "200000") or 200_000),
                   help="most exchanges kept per tenant (oldest dropped)")
    p.add_argument("--journal-async", action="store_true", default=_env("JOURNAL_ASYNC") == "1",
                   help="answer before the journal entry is committed (faster; a kill may lose the last entries)")
    p.add_argument("--sts-fault-http-status", type=int, choices=(200, 500),
                   default=int(_env("STS_FAULT_HTTP_STATUS", "500") or 500))
    p.add_argument("--log-level", default=_env("LOG_LEVEL", "warning"))
    return p.parse_args(argv)


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def settings_from(args: argparse.Namespace) -> Settings:
    runtime = RuntimeConfig(sts_fault_http_status=args.sts_fault_http_status)
    return Settings(host=args.host, port=args.port, journal_path=args.journal, state_dir=args.state_dir,
                    admin_token=args.admin_token, journal_cap=args.journal_cap, runtime=runtime,
                    journal_durable=not args.journal_async, operator_token=args.operator_token,
                    database=args.database)


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    args = parse_args(argv)
    settings = settings_from(args)
    if settings.admin_token is None and not _loopback(settings.host):
        logging.warning("bound to %s without --admin-token: the control plane answers loopback clients only",
                        settings.host)
    if args.workers > 1 and not settings.database:
        print("mock-nsp: --workers needs --database: processes share one mock only through PostgreSQL "
              "(the embedded mode keeps its world in its one process)", file=sys.stderr)
        return 2
    sys.setswitchinterval(0.001)  # hand the GIL between the event loop and the journal writer sooner
    options = {"host": settings.host, "port": settings.port, "log_level": args.log_level, "access_log": False,
               "proxy_headers": False, "server_header": False}
    if args.workers > 1:
        _export(args)
        uvicorn.run("mock_nsp.plane.app:from_environment", factory=True, workers=args.workers, **options)
        return 0
    from mock_nsp.plane.app import app_for

    uvicorn.run(app_for(settings), **options)
    return 0


def _export(args: argparse.Namespace) -> None:
    """The flags as the environment a process manager's workers read (`from_environment`)."""
    for key, value in vars(args).items():
        if value is not None and key not in ("workers",):
            os.environ[f"MOCK_NSP_{key.upper()}"] = "1" if value is True else "" if value is False else str(value)


def _loopback(host: str) -> bool:
    from mock_nsp.plane.control.auth import is_loopback

    return is_loopback(host)


if __name__ == "__main__":
    raise SystemExit(main())
