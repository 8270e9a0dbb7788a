"""`python -m mock_nsp --host 127.0.0.1 --port 8080 [--journal FILE] [--admin-token T] [--state-dir DIR]
[--workers N]`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from mock_nsp.settings import RuntimeConfig, Settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="mock-nsp", description="Mock NSP for Fælles Stamkort 3.0 tests")
    p.add_argument("--host", default=os.environ.get("MOCK_NSP_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("MOCK_NSP_PORT", "8080")))
    p.add_argument("--journal", type=Path, default=None, help="SQLite journal file (default: in --state-dir)")
    p.add_argument("--state-dir", type=Path, default=None, help="keeps the test CA and journal across restarts")
    p.add_argument("--admin-token", default=os.environ.get("MOCK_NSP_ADMIN_TOKEN"))
    p.add_argument("--journal-cap", type=int, default=200_000, help="most exchanges kept (oldest dropped)")
    p.add_argument("--journal-async", action="store_true",
                   help="answer before the journal entry is committed (faster; a kill may lose the last entries)")
    p.add_argument("--sts-fault-http-status", type=int, choices=(200, 500), default=500)
    p.add_argument("--log-level", default="warning")
    p.add_argument("--workers", type=int, default=int(os.environ.get("MOCK_NSP_WORKERS", "1")),
                   help="service-plane processes sharing one mock (default 1)")
    p.add_argument("--worker-of", type=Path, default=None, help=argparse.SUPPRESS)  # set by the supervisor
    return p.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    runtime = RuntimeConfig(sts_fault_http_status=args.sts_fault_http_status)
    shared = args.worker_of / "state.sqlite" if args.worker_of else None
    return Settings(host=args.host, port=args.port, journal_path=args.journal, state_dir=args.state_dir,
                    admin_token=args.admin_token, journal_cap=args.journal_cap, runtime=runtime,
                    journal_durable=not args.journal_async, shared_state=shared)


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    from mock_nsp import worker
    from mock_nsp.app import create_app

    args = parse_args(argv)
    settings = settings_from(args)
    if settings.admin_token is None and not _loopback(settings.host) and args.worker_of is None:
        logging.warning("bound to %s without --admin-token: the control plane answers loopback clients only",
                        settings.host)
    if args.worker_of is not None:
        return worker.run(settings, args.worker_of, args.log_level)
    if args.workers > 1:
        from mock_nsp import supervisor

        return supervisor.serve(settings, args.workers, [*(sys.argv[1:] if argv is None else argv), "--workers", "1"])
    app = create_app(settings)
    sys.setswitchinterval(0.001)  # hand the GIL between the event loop and the journal writer sooner
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=args.log_level, access_log=False,
                proxy_headers=False, server_header=False)
    return 0


def _loopback(host: str) -> bool:
    from mock_nsp.control.auth import is_loopback

    return is_loopback(host)


if __name__ == "__main__":
    raise SystemExit(main())
