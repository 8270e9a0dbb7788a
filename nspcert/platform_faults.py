"""Platform failures in business words, turned into the mock NSP's fault rules (SPEC §3.2).

    rules_for("no answer in time")  →  a delay on both SFSK services longer than any sane client timeout
"""

from __future__ import annotations

import os
from typing import Any

from nspcert.nsp.admin import MockNspAdmin

FSK_SERVICES = ("sfsk-registry", "sfsk-repository")
#: "no answer in time": longer than the SUT's own NSP timeout must be (the reference EOJ runs with 1.5 s,
#: fixtures/sut.py); a SUT with a longer timeout sets NSPCERT_SLOW_ANSWER_MS above it
SLOW_MS = int(os.environ.get("NSPCERT_SLOW_ANSWER_MS", "3000"))

TRANSPORT_FAILURES: dict[str, tuple[str, dict[str, Any]]] = {
    "a SOAP fault": ("soap_fault", {"code": "soap:Server", "string": "Internal error in SFSK"}),
    "HTTP status 503": ("http_status", {"status": 503}),
    "no answer in time": ("delay", {"ms": SLOW_MS}),
    "a malformed answer": ("malformed_body", {}),
    "an empty answer": ("empty_body", {}),
    "a dropped connection": ("connection_drop", {}),
}


class UnknownFailure(ValueError):
    """A feature names a platform failure the harness does not know (a harness error, not a vendor fail)."""


def fail_fsk(nsp: MockNspAdmin, failure: str) -> None:
    """Make every SFSK call fail in the named way for the rest of the scenario."""
    if failure not in TRANSPORT_FAILURES:
        raise UnknownFailure(f"unknown platform failure {failure!r}; known: {', '.join(TRANSPORT_FAILURES)}")
    kind, params = TRANSPORT_FAILURES[failure]
    for service in FSK_SERVICES:
        nsp.add_fault({"service": service, "kind": kind, "params": params})


def dgws_fault_on_fsk(nsp: MockNspAdmin, code: str) -> None:
    for service in FSK_SERVICES:
        nsp.add_fault({"service": service, "kind": "dgws_fault", "params": {"code": code}})


def registry_error(nsp: MockNspAdmin, code: str) -> None:
    nsp.add_fault({"service": "sfsk-registry", "kind": "soap_fault",
                   "params": {"code": code, "string": f"{code}: the registry could not answer"}})


def sts_refuses(nsp: MockNspAdmin, http_status: int) -> None:
    nsp.add_fault({"service": "sts", "kind": "soap_fault",
                   "params": {"code": "wst:FailedAuthentication", "string": "Could not issue ID card",
                              "http_status": http_status}})
