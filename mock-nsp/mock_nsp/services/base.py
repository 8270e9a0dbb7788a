"""What a SOAP service of the mock looks like to the dispatcher."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from mock_nsp.security.dgws import GateResult, Requirement
from mock_nsp.settings import RuntimeConfig


@dataclass
class Call:
    """One parsed service-plane request."""

    root: etree._Element
    ns: str
    operation: str | None
    gate: GateResult
    summary: dict[str, Any]
    unavailable: frozenset[str] = frozenset()
    body: etree._Element | None = None
    entry_failure: dict[str, Any] | None = None


@dataclass
class Reply:
    """The body elements of a successful answer."""

    elements: list[etree._Element]
    status: int = 200
    header_elements: list[etree._Element] = field(default_factory=list)
    #: text-node placeholders (see `blob_token`) and the ASCII bytes that replace them after serialising: a big
    #: base64 document is spliced in rather than copied into the tree, escaped and copied out again
    blobs: dict[bytes, bytes] = field(default_factory=dict)

    def blob(self, data: bytes) -> str:
        """Keep `data` (ASCII with nothing to escape, e.g. base64) for the answer; put the result in a text node."""
        token = f"{_BLOB_PREFIX}{len(self.blobs)}\ue000"
        self.blobs[token.encode()] = data
        return token

    def splice(self, serialised: bytes) -> bytes:
        for token, data in self.blobs.items():
            serialised = serialised.replace(token, data, 1)
        return serialised


#: unguessable, so no text a request echoes back can be mistaken for a placeholder
_BLOB_PREFIX = f"\ue000{secrets.token_hex(8)}-"


@dataclass(frozen=True)
class Service:
    """A service: its name, paths, how to name the operation, what the gate demands, and the handler."""

    name: str
    paths: tuple[str, ...]
    operation: Callable[[etree._Element | None, str | None], str | None]
    requirement: Callable[[RuntimeConfig], Requirement]
    handle: Callable[[Call], Reply]
    dgws: bool = True
    #: the body elements (Clark names) the service answers; anything else is also reported as a near-miss
    accepts: tuple[str, ...] = ()
    #: the SOAPAction values the real service is called with; another non-empty one is noted as a near-miss
    soap_actions: tuple[str, ...] = ()
    #: the HTTP status of the service's own SOAP faults (the STS's is a setting: the real one may answer 200)
    fault_http_status: Callable[[RuntimeConfig], int] = lambda config: 500


def local_name(el: etree._Element | None) -> str | None:
    return etree.QName(el).localname if el is not None and isinstance(el.tag, str) else None
