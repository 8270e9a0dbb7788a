"""Platform failures in business words, turned into the mock NSP's fault rules (SPEC §3.2).

    rules_for("no answer in time")  →  a delay on both SFSK services longer than any sane client timeout
"""

from __future__ import annotations

from typing import Any

import nsp_vocabulary as v
from nsp_vocabulary.faults import FaultKind
from nspcert.nsp.admin import MockNspAdmin

FSK_SERVICES = ("sfsk-registry", "sfsk-repository")
#: a placeholder for "longer than the SUT's own NSP timeout": the settings' slow_answer_ms (default 3 s,
#: twice the reference EOJ's 1.5 s; a SUT with a longer timeout configures more)
SLOW = -1

TRANSPORT_FAILURES: dict[str, tuple[FaultKind, dict[str, Any]]] = {
    "a SOAP fault": (FaultKind.SOAP_FAULT, {"code": "soap:Server", "string": "Internal error in SFSK"}),
    "HTTP status 503": (FaultKind.HTTP_STATUS, {"status": 503}),
    "no answer in time": (FaultKind.DELAY, {"ms": SLOW}),
    "a malformed answer": (FaultKind.MALFORMED_BODY, {}),
    "an empty answer": (FaultKind.EMPTY_BODY, {}),
    "a dropped connection": (FaultKind.CONNECTION_DROP, {}),
}


class UnknownFailure(ValueError):
    """A feature names a platform failure the harness does not know (a harness error, not a vendor fail)."""


def fail_fsk(nsp: MockNspAdmin, failure: str, slow_ms: int = 3000) -> None:
    """Make every SFSK call fail in the named way for the rest of the scenario. The mock journals a delayed call
    once it has answered it; the scenario's platform fixture waits for that (:meth:`MockNspAdmin.settle`)."""
    if failure not in TRANSPORT_FAILURES:
        raise UnknownFailure(f"unknown platform failure {failure!r}; known: {', '.join(TRANSPORT_FAILURES)}")
    kind, params = TRANSPORT_FAILURES[failure]
    params = {key: slow_ms if value == SLOW else value for key, value in params.items()}
    for service in FSK_SERVICES:
        nsp.add_fault({"service": service, "kind": kind.value, "params": params})


def fail_skr(nsp: MockNspAdmin, failure: str) -> None:
    """Make every SKR (FSK write) call fail in the named transport way for the rest of the scenario (not delayed:
    a delayed write would be journaled in the next scenario)."""
    if failure not in TRANSPORT_FAILURES or TRANSPORT_FAILURES[failure][0] == FaultKind.DELAY:
        known = [name for name, (kind, _) in TRANSPORT_FAILURES.items() if kind != FaultKind.DELAY]
        raise UnknownFailure(f"unknown failure of FSK's write service {failure!r}; known: {', '.join(known)}")
    kind, params = TRANSPORT_FAILURES[failure]
    nsp.add_fault({"service": "skr", "kind": kind.value, "params": params})


def dgws_fault_on_fsk(nsp: MockNspAdmin, code: str) -> None:
    for service in FSK_SERVICES:
        nsp.add_fault({"service": service, "kind": FaultKind.DGWS_FAULT.value, "params": {"code": code}})


#: which SFSK service answers the part of reading FSK a feature names
FSK_PARTS = {"search": "sfsk-registry", "retrieval": "sfsk-repository"}


def registry_error(nsp: MockNspAdmin, code: str, part: str = "search") -> None:
    """The FSK search (ITI-18) or retrieval (ITI-43) answers as the real platform does when it fails: a normal
    answer with status Failure, no document and a RegistryErrorList naming ``code`` (not a SOAP fault)."""
    if part not in FSK_PARTS:
        raise UnknownFailure(f"unknown part of reading FSK {part!r}; known: {', '.join(FSK_PARTS)}")
    nsp.add_fault({"service": FSK_PARTS[part], "kind": FaultKind.REGISTRY_ERROR.value,
                   "params": {"code": code, "severity": "Error", "context": f"{code}: the registry could not answer"}})


def sts_refuses(nsp: MockNspAdmin, http_status: int) -> None:
    nsp.add_fault({"service": "sts", "kind": FaultKind.SOAP_FAULT.value,
                   "params": {"code": "wst:FailedAuthentication", "string": "Could not issue ID card",
                              "http_status": http_status}})


def refuse_card_once(nsp: MockNspAdmin) -> None:
    """The next FSK search is refused at NSP's DGWS gate as if the ID card were no longer valid (dropped from the
    gate's cache, or expired by the platform's clock): ``sosigw_no_valid_idcard_in_request``, once."""
    nsp.add_fault({"service": "sfsk-registry", "kind": FaultKind.DGWS_FAULT.value,
                   "params": {"code": v.FAULT_NO_VALID_IDCARD}, "times": 1})


def revoke_function_certificates(nsp: MockNspAdmin) -> None:
    """The test CA has revoked the system's function certificate (every function certificate): the STS refuses it."""
    nsp.configure(function_certificates_revoked=True)


def no_stamkort_for_unknown_citizens(nsp: MockNspAdmin) -> None:
    """FSK answers the search for a citizen it holds no stamkort for with success and no document (not an error)."""
    nsp.configure(unknown_patient="empty")


def fsk_unreadable_for(nsp: MockNspAdmin, cpr: str) -> None:
    """The FSK search for one citizen fails (status Failure, XDSRegistryNotAvailable); the others are read."""
    nsp.add_fault({"service": "sfsk-registry", "kind": FaultKind.REGISTRY_ERROR.value, "match": {"cpr": cpr},
                   "params": {"code": v.XDS_ERROR_REGISTRY_NOT_AVAILABLE, "severity": "Error",
                              "context": "the registry could not answer"}})


def service_down(nsp: MockNspAdmin, service: str) -> None:
    """Every call to ``service`` is answered HTTP 503 for the rest of the scenario."""
    nsp.add_fault({"service": service, "kind": FaultKind.HTTP_STATUS.value, "params": {"status": 503}})
