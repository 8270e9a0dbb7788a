"""What the SUT sent to the platform during a scenario, read back from the mock NSP's journal.

    calls = Exchanges(nsp.journal(mark=scenario))
    calls.service("sfsk-registry")          # the ITI-18 searches
    calls.fsk_calls()                        # every SFSK call (search + retrieve)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FSK_SERVICES = ("sfsk-registry", "sfsk-repository")
DGWS_SERVICES = (*FSK_SERVICES, "skr", "minlog", "idsas")


@dataclass(frozen=True, slots=True)
class Exchange:
    entry: dict[str, Any]

    @property
    def id(self) -> int:
        return int(self.entry.get("id", 0))

    @property
    def service(self) -> str:
        return str(self.entry.get("service", ""))

    @property
    def operation(self) -> str:
        return str(self.entry.get("operation", ""))

    @property
    def at(self) -> datetime | None:
        """When the platform received it, by the platform's clock (the one a scenario moves); None if not told."""
        try:
            return datetime.fromisoformat(str(self.entry["at"]).replace("Z", "+00:00"))
        except (KeyError, ValueError):
            return None

    @property
    def status(self) -> int:
        """The HTTP status the platform answered with (0: no answer, the connection dropped)."""
        return int(self.entry.get("status") or 0)

    @property
    def summary(self) -> dict[str, Any]:
        return dict(self.entry.get("summary") or {})

    @property
    def idcard(self) -> dict[str, Any]:
        return dict(self.summary.get("idcard") or {})

    @property
    def hsuid(self) -> dict[str, Any]:
        return dict(self.summary.get("hsuid") or {})

    @property
    def fault(self) -> dict[str, Any]:
        return dict(self.summary.get("fault") or {})

    @property
    def request_body(self) -> str:
        return str((self.entry.get("request") or {}).get("body", ""))

    def request_header(self, name: str) -> str | None:
        """An HTTP header of the request as the SUT sent it (None when it sent none)."""
        headers = (self.entry.get("request") or {}).get("headers") or {}
        found = {str(key).lower(): value for key, value in headers.items()}.get(name.lower())
        return None if found is None else str(found)

    def where(self) -> str:
        return f"{self.service} {self.operation} (journal #{self.id})"


class Exchanges:
    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self._all = [Exchange(entry) for entry in entries]

    def __iter__(self) -> Iterator[Exchange]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def service(self, *names: str) -> list[Exchange]:
        return [exchange for exchange in self._all if exchange.service in names]

    def fsk_calls(self) -> list[Exchange]:
        return self.service(*FSK_SERVICES)

    def dgws_calls(self) -> list[Exchange]:
        return self.service(*DGWS_SERVICES)

    def sts_calls(self) -> list[Exchange]:
        return self.service("sts")
