"""IDSAS identity masking: the current salt (``GetCurrentSalt``) and the pseudonym algorithm."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import nsp_vocabulary as v
from reference_eoj.nsp.soap import NspError
from reference_eoj.xml import Element, el

PSEUDONYM_NAMESPACE = uuid.UUID(v.PSEUDONYM_NAMESPACE)


def get_current_salt_request() -> Element:
    return el(None, "idsas", "GetCurrentSaltRequest")


def parse_salt(body: Element) -> str:
    """The Base64 salt: the text of the answer's ``…Salt`` element."""
    for node in body.iter():
        local = str(node.tag).rsplit("}", 1)[-1]
        if local.lower().endswith("salt") and node.text and node.text.strip():
            return node.text.strip()
    raise NspError("IDSAS: no salt in the answer", "Identitetssløring er ikke tilgængelig")


def pseudonym(given_names: str, family_names: str, citizen_cpr: str, salt: str) -> str:
    """UUID v5 over ``FORNAVN(E)+EFTERNAVN(E)+CPR+SALT``: names upper case, spaces → ``+``, UTF-8.

    Every space is one ``+``, as IDSAS words the rule ("alle mellemrum ... erstattes med '+'"): "Hanne  Marie"
    gives ``HANNE++MARIE``; nothing is trimmed or collapsed, because every data source computes the
    pseudonym on its own and they agree on a person only if none tidies the name its own way. The salt is
    used exactly as the Base64 string ``GetCurrentSalt`` answered (Base64 is case-sensitive).
    """
    names = [part.upper().replace(" ", "+") for part in (given_names, family_names)]
    return str(uuid.uuid5(PSEUDONYM_NAMESPACE, "+".join([*names, citizen_cpr, salt])))


class SaltCache:
    """The salt, fetched again once it is older than ``ttl`` (by the EOJ's clock); with ``keep=False`` (the variant
    ``idsas-salt-every-time``) fetched afresh every time it is needed."""

    def __init__(self, fetch: Callable[[], str], now: Callable[[], datetime], ttl: timedelta,
                 never_refresh: bool = False, keep: bool = True) -> None:
        self._fetch, self._now, self._ttl, self._never_refresh = fetch, now, ttl, never_refresh
        self._keep = keep
        self._salt: str | None = None
        self._fetched_at: datetime | None = None

    def get(self) -> str:
        if not self._keep or self._salt is None or self._fetched_at is None or self._expired(self._fetched_at):
            self._salt, self._fetched_at = self._fetch(), self._now()
        return self._salt

    def forget(self) -> None:
        self._salt = self._fetched_at = None

    def _expired(self, fetched_at: datetime) -> bool:
        return not self._never_refresh and self._now() >= fetched_at + self._ttl
