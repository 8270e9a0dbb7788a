"""The mock NSP's fault kinds: one name per behaviour of a failing platform (SPEC §3.2).

Pure vocabulary (standard library only): the mock gives each kind its behaviour (`mock_nsp.world.faults`), its
control plane's schema admits exactly these, and the harness builds its rules from the same names
(`nspcert.arrange.platform_faults`)."""

from __future__ import annotations

from enum import StrEnum


class FaultKind(StrEnum):
    """What a fault rule does to a matching request."""

    #: the answer comes `params.ms` milliseconds late (delays of several rules add up)
    DELAY = "delay"
    #: a plain HTTP answer with `params.status` (and `params.body`) instead of the service's
    HTTP_STATUS = "http_status"
    #: a SOAP fault (`params.code`, `params.string`, `params.http_status`)
    SOAP_FAULT = "soap_fault"
    #: a DGWS fault as the gateway sends it (`params.code`, e.g. sosigw_access_denied)
    DGWS_FAULT = "dgws_fault"
    #: an answer that is no XML (`params.body`, or a truncated envelope)
    MALFORMED_BODY = "malformed_body"
    #: an answer with no body
    EMPTY_BODY = "empty_body"
    #: the connection closes in the middle of the answer
    CONNECTION_DROP = "connection_drop"
    #: the service answers as it does when `params.register` is down (FGVH → NAV, …)
    REGISTER_UNAVAILABLE = "register_unavailable"
    #: MinLog2 refuses named entries (`params.sequence_numbers`, `first_entries` or `fail_fraction`)
    ENTRY_FAILURE = "entry_failure"
    #: SFSK answers status Failure (or PartialSuccess) with a RegistryErrorList naming `params.code`
    REGISTRY_ERROR = "registry_error"

    @property
    def replaces_answer(self) -> bool:
        """Whether the kind sends its own answer instead of the service's (the first such rule wins)."""
        return self in _REPLACING


_REPLACING = frozenset({FaultKind.HTTP_STATUS, FaultKind.SOAP_FAULT, FaultKind.DGWS_FAULT, FaultKind.MALFORMED_BODY,
                        FaultKind.EMPTY_BODY, FaultKind.CONNECTION_DROP})
