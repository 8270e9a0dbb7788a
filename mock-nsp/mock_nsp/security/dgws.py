"""The DGWS gate in front of every service but the STS (SPEC §3.1), in this order:

1. no valid STS-signed ID card, or expired → sosigw_no_valid_idcard_in_request
2. IDCardVersion ≠ 1.0.1 → sosigw_no_valid_idcard_in_request
3. no medcom:Header/Linking/MessageID (or malformed XML) → sosigw_syntax_error_in_request
4. CVR not whitelisted, level too low, wrong card type → sosigw_access_denied

Verified cards are cached by the digest of their serialised assertion; expiry is checked on every call.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from lxml import etree

import nsp_vocabulary as v
from mock_nsp.registers.clock import Clock
from mock_nsp.security import hsuid as hsuid_mod
from mock_nsp.security import idcard, xmldsig
from mock_nsp.security.ca import TestCA
from mock_nsp.soap import dgws_fault, header_el

MEDCOM = v.NS["medcom"]


@dataclass(frozen=True)
class Requirement:
    """What a service demands of the caller."""

    min_level: int = 3
    card_type: str | None = None
    require_hsuid: bool = False


@dataclass
class GateResult:
    """What the gate learnt about the caller (also used for the journal summary)."""

    card: idcard.IDCard | None = None
    card_valid: bool = False
    message_id: str | None = None
    hsuid: hsuid_mod.Hsuid | None = None
    #: wsse:Security/wsu:Timestamp/wsu:Created, as sent (None when the request has none)
    timestamp: str | None = None
    #: medcom:Header/SecurityLevel, as sent (None when the request has none)
    security_level: str | None = None


class CardCache:
    """A bounded LRU of verified cards, keyed by SHA-256 of the serialised assertion."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._items: OrderedDict[bytes, idcard.IDCard] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes) -> idcard.IDCard | None:
        with self._lock:
            card = self._items.get(key)
            if card is not None:
                self._items.move_to_end(key)
            return card

    def put(self, key: bytes, card: idcard.IDCard) -> None:
        with self._lock:
            self._items[key] = card
            if len(self._items) > self._size:
                self._items.popitem(last=False)


class DgwsGate:
    """Checks a parsed request envelope; raises SoapFault with the DGWS fault code."""

    def __init__(self, ca: TestCA, clock: Clock) -> None:
        self.clock = clock
        self._sts_der = ca.sts.cert.public_bytes(serialization.Encoding.DER)
        self._sts_cert = ca.sts.cert
        self.cache = CardCache()

    def inspect(self, root: etree._Element) -> GateResult:
        """Read (without judging) what the request carries: card, MessageID, HSUID."""
        result = GateResult()
        header = header_el(root)
        result.message_id = _message_id(header)
        result.timestamp = _timestamp(header)
        result.security_level = _security_level(header)
        result.hsuid = hsuid_mod.parse(header)
        assertion = idcard.find_in_security(root)
        if assertion is not None:
            result.card, result.card_valid = self._card(assertion)
        return result

    def check(self, result: GateResult, req: Requirement, whitelist: frozenset[str] | None = None) -> None:
        """Raise the DGWS fault for the first problem (see the module doc); `whitelist` is the service's CVRs
        (None: every CVR)."""
        card = result.card
        if card is None or not result.card_valid:
            raise dgws_fault(v.FAULT_NO_VALID_IDCARD, "No valid STS-signed ID card in the request")
        now = self.clock.now()
        if card.not_on_or_after is None or card.not_on_or_after <= now:
            raise dgws_fault(v.FAULT_NO_VALID_IDCARD, "The ID card has expired")
        if card.not_before is not None and card.not_before > now:
            raise dgws_fault(v.FAULT_NO_VALID_IDCARD, "The ID card is not yet valid")
        if card.version != v.IDCARD_VERSION:
            raise dgws_fault(v.FAULT_NO_VALID_IDCARD, f"IDCardVersion must be {v.IDCARD_VERSION}")
        if not result.message_id:
            raise dgws_fault(v.FAULT_SYNTAX_ERROR, "medcom:Header/medcom:Linking/medcom:MessageID is missing")
        self._access(result, req, whitelist)

    def _access(self, result: GateResult, req: Requirement, whitelist: frozenset[str] | None) -> None:
        card = result.card
        assert card is not None
        if whitelist is not None and card.cvr not in whitelist:
            raise dgws_fault(v.FAULT_ACCESS_DENIED, f"CVR {card.cvr} is not whitelisted for this service")
        if (card.level or 0) < req.min_level:
            raise dgws_fault(v.FAULT_ACCESS_DENIED, f"Authentication level {card.level} < {req.min_level}")
        if req.card_type is not None and card.type != req.card_type:
            raise dgws_fault(v.FAULT_ACCESS_DENIED, f"This service needs a {req.card_type} ID card")
        if req.require_hsuid and (result.hsuid is None or not result.hsuid.acting_user_cpr):
            raise dgws_fault(v.FAULT_ACCESS_DENIED, "An HSUID header with the acting user is required")

    def _card(self, assertion: etree._Element) -> tuple[idcard.IDCard, bool]:
        key = hashlib.sha256(etree.tostring(assertion)).digest()
        cached = self.cache.get(key)
        if cached is not None:
            return cached, True
        try:
            cert = xmldsig.embedded_certificate(assertion)
            if cert.public_bytes(serialization.Encoding.DER) != self._sts_der:
                return idcard.read(assertion), False
            covered = xmldsig.verify_enveloped(assertion, self._sts_cert, self.clock.now())
        except xmldsig.SignatureError:
            return idcard.read(assertion), False
        card = idcard.read(covered)
        self.cache.put(key, card)
        return card, True


def _timestamp(header: etree._Element | None) -> str | None:
    if header is None:
        return None
    node = header.find(f"{{{v.NS['wsse']}}}Security/{{{v.NS['wsu']}}}Timestamp/{{{v.NS['wsu']}}}Created")
    return (node.text or "").strip() or None if node is not None else None


def _security_level(header: etree._Element | None) -> str | None:
    node = header.find(f"{{{MEDCOM}}}Header/{{{MEDCOM}}}SecurityLevel") if header is not None else None
    return (node.text or "").strip() or None if node is not None else None


def _message_id(header: etree._Element | None) -> str | None:
    if header is None:
        return None
    node = header.find(f"{{{MEDCOM}}}Header/{{{MEDCOM}}}Linking/{{{MEDCOM}}}MessageID")
    if node is None or not (node.text or "").strip():
        return None
    return (node.text or "").strip()

