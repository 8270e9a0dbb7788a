"""``python -m reference_eoj``: run the reference EOJ's HTTP driver adapter (see docs/driver-contract.md)."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from reference_eoj.app import create_app
from reference_eoj.defects import Defects
from reference_eoj.service import ReferenceEoj
from reference_eoj.settings import Settings
from reference_eoj.variants import Variants


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="reference-eoj", description="nspcert's reference vendor system (EOJ)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8081)
    p.add_argument("--nsp-url", required=True, help="NSP base URL, e.g. http://127.0.0.1:8080")
    p.add_argument("--certificate", type=Path, required=True, help="function certificate (PEM)")
    p.add_argument("--private-key", type=Path, required=True, help="its private key (PEM, unencrypted)")
    p.add_argument("--cvr", required=True)
    p.add_argument("--organisation-name", required=True)
    p.add_argument("--state-dir", type=Path, required=True, help="where the durable state (SQLite) lives")
    p.add_argument("--defects", default="", help="seeded defects, comma separated (also $REFERENCE_EOJ_DEFECTS)")
    p.add_argument("--variants", default="",
                   help="allowed variants, comma separated (also $REFERENCE_EOJ_VARIANTS; see docs/variants.md)")
    p.add_argument("--nsp-timeout", type=float, default=5.0, help="seconds per NSP call")
    p.add_argument("--minlog-flush-interval", type=float, default=180.0, help="seconds; 0 = only on request")
    p.add_argument("--capabilities", default=None, metavar="A,B",
                   help="claim only these optional capabilities (default: all; '' claims none)")
    p.add_argument("--log-level", default="warning")
    return p.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    settings = Settings(
        nsp_url=args.nsp_url, certificate=args.certificate, private_key=args.private_key, cvr=args.cvr,
        organisation_name=args.organisation_name, state_dir=args.state_dir,
        defects=Defects.from_sources(args.defects),
        variants=Variants.from_sources(args.variants), nsp_timeout=args.nsp_timeout,
        minlog_flush_interval=args.minlog_flush_interval,
    )
    if args.capabilities is None:
        return settings
    claimed = tuple(sorted(name.strip() for name in args.capabilities.split(",") if name.strip()))
    return dataclasses.replace(settings, capabilities=claimed)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = settings_from(args)
    except ValueError as exc:
        print(f"reference-eoj: {exc}", file=sys.stderr)
        return 2
    eoj = ReferenceEoj(settings)
    if settings.defects:
        logging.getLogger("reference_eoj").warning("seeded defects on: %s", ", ".join(settings.defects.names()))
    if settings.variants:
        logging.getLogger("reference_eoj").warning("allowed variants on: %s", ", ".join(settings.variants.names()))
    try:
        uvicorn.run(create_app(eoj, settings.minlog_flush_interval), host=args.host, port=args.port,
                    log_level=args.log_level)
    finally:
        eoj.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
