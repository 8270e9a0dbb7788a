"""The screen model: what the employee sees, as the SUT reports it through the driver contract (SPEC §4).

A thin typed view over the JSON the driver returns (validated against
`nspcert/driver/screen-model.schema.json` by the driver), so checks read `screen.fgvh.state` instead of
digging in dicts.

Screens are evidence: a reviewer of a *passing* run must see what the employee was shown. So every Screen
tells the listeners registered with :func:`listen` that it was shown, and which top-level parts of it
(``fgvh``, ``relatives``, …) a check then read; the report collector saves each screen as an evidence file
and shows the parts a Then step judged in its "Actual result". Without listeners this costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: ``listener(event, screen, part)``: event "shown" (part "") when a Screen is made, "read" when a check reads a part
ScreenListener = Callable[[str, "Screen", str], None]
_LISTENERS: list[ScreenListener] = []


def listen(listener: ScreenListener) -> Callable[[], None]:
    """Register ``listener`` for screen events; returns the function that unregisters it."""
    _LISTENERS.append(listener)
    return lambda: _LISTENERS.remove(listener)


def _tell(event: str, screen: Screen, part: str) -> None:
    for listener in _LISTENERS:
        listener(event, screen, part)


class _ReadTracking(dict[str, Any]):
    """The screen model as a dict that reports which top-level part a check reads (``get`` or ``[]``)."""

    def __init__(self, model: dict[str, Any], screen: Screen) -> None:
        super().__init__(model)
        self._screen = screen

    def get(self, key: str, default: Any = None) -> Any:
        _tell("read", self._screen, key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        _tell("read", self._screen, key)
        return super().__getitem__(key)


@dataclass(frozen=True, slots=True)
class FgvhDisplay:
    state: str
    symbol_shown: bool
    text: str


@dataclass(frozen=True, slots=True)
class Screen:
    cpr: str
    model: dict[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "model", _ReadTracking(self.model, self))
        _tell("shown", self, "")

    @property
    def fgvh(self) -> FgvhDisplay:
        part = self.model.get("fgvh") or {}
        return FgvhDisplay(str(part.get("state", "")), bool(part.get("symbol_shown")), str(part.get("text", "")))

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.model.get("messages") or [])

    def where(self) -> str:
        return f"screen model of citizen {self.cpr} (GET /sut/citizens/{self.cpr}/view)"
