"""The screen model: what the employee sees, as the SUT reports it through the driver contract (SPEC §4).

A thin typed view over the JSON the driver returns (validated against
`nspcert/driver/screen-model.schema.json` by the driver), so checks read `screen.fgvh.state` instead of
digging in dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class FgvhDisplay:
    state: str
    symbol_shown: bool
    text: str


@dataclass(frozen=True, slots=True)
class Screen:
    cpr: str
    model: dict[str, Any]

    @property
    def fgvh(self) -> FgvhDisplay:
        part = self.model.get("fgvh") or {}
        return FgvhDisplay(str(part.get("state", "")), bool(part.get("symbol_shown")), str(part.get("text", "")))

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.model.get("messages") or [])

    def where(self) -> str:
        return f"screen model of citizen {self.cpr} (GET /sut/citizens/{self.cpr}/view)"
