"""The screen model: what the employee sees, as the SUT reports it through the driver contract (SPEC §4),
and the citizen view: what the citizen is shown of who used their data (identity masking).

A thin typed view over the JSON the driver returns (validated against
`nspcert/driver/screen-model.schema.json` by the driver), so checks read `screen.fgvh.state` instead of
digging in dicts.

Screens are evidence: a reviewer of a *passing* run must see what the employee was shown. So every Screen
tells the listeners registered with :func:`listen` that it was shown, and which top-level parts of it
(``fgvh``, ``relatives``, …) a check then read; the report collector saves each screen as an evidence file
and shows the parts a Then step judged in its "Actual result". Without listeners this costs nothing.
"""

from __future__ import annotations

from _collections_abc import dict_items, dict_keys, dict_values
from collections.abc import Callable, Iterator
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
    """The screen model seen through a proxy that reports which top-level part a check reads (``get``/``[]``).

    It delegates to the driver's model instead of copying it: a manual driver's model asks the tester for
    a part only when a check reads it, and a copy would ask every question at once. It subclasses dict so
    checks treat it as one, and its own storage holds the parts already known, because C code such as
    ``json.dumps`` looks at that storage first (an empty one is written as ``{}`` without asking ``items``).
    """

    def __init__(self, source: dict[str, Any], screen: Screen) -> None:
        super().__init__(dict.items(source))
        self.source = source
        self._screen = screen

    def get(self, key: str, default: Any = None) -> Any:
        value = self.source.get(key, default)
        _tell("read", self._screen, key)
        return value

    def __getitem__(self, key: str) -> Any:
        value = self.source[key]
        _tell("read", self._screen, key)
        return value

    def __contains__(self, key: object) -> bool:
        return key in self.source

    def __iter__(self) -> Iterator[str]:
        return iter(self.source)

    def __len__(self) -> int:
        return len(self.source)

    def __repr__(self) -> str:
        return repr(self.source)

    def keys(self) -> dict_keys[str, Any]:
        return self.source.keys()

    def items(self) -> dict_items[str, Any]:
        return self.source.items()

    def values(self) -> dict_values[str, Any]:
        return self.source.values()

    def copy(self) -> dict[str, Any]:
        return dict(self.source.items())


@dataclass(frozen=True, slots=True)
class FgvhDisplay:
    state: str
    symbol_shown: bool
    text: str


#: who is shown a screen: the employee (the record, ``GET …/view``), the citizen (``GET …/citizen-view``), or the
#: employee's citizen list (``POST /sut/overview``, capability ``overview``; ``cpr`` names the citizens listed)
EMPLOYEE = "employee"
CITIZEN = "citizen"
OVERVIEW = "overview"


@dataclass(frozen=True, slots=True)
class Screen:
    cpr: str
    model: dict[str, Any]
    viewer: str = EMPLOYEE

    def __post_init__(self) -> None:
        object.__setattr__(self, "model", _ReadTracking(self.model, self))
        _tell("shown", self, "")

    def known(self) -> dict[str, Any]:
        """The parts the SUT (or the tester) has already given, without asking for more and without a read event."""
        source = self.model.source if isinstance(self.model, _ReadTracking) else self.model
        return dict(dict.items(source))

    @property
    def fgvh(self) -> FgvhDisplay:
        part = self.model.get("fgvh") or {}
        return FgvhDisplay(str(part.get("state", "")), bool(part.get("symbol_shown")), str(part.get("text", "")))

    @property
    def listed(self) -> dict[str, dict[str, Any]]:
        """The citizens of a citizen list (viewer :data:`OVERVIEW`) by CPR, as the list shows them."""
        return {str(row.get("cpr")): row for row in self.model.get("citizens") or []}

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.model.get("messages") or [])

    def where(self) -> str:
        if self.viewer == CITIZEN:
            return f"citizen view of {self.cpr} (GET /sut/citizens/{self.cpr}/citizen-view)"
        if self.viewer == OVERVIEW:
            return f"citizen list holding {self.cpr} (POST /sut/overview)"
        return f"screen model of citizen {self.cpr} (GET /sut/citizens/{self.cpr}/view)"

    def describe(self) -> str:
        """What the screen is, for the evidence index."""
        if self.viewer == CITIZEN:
            return f"what the citizen was shown of who used their data (citizen {self.cpr})"
        if self.viewer == OVERVIEW:
            return f"the citizen list the employee was shown (citizens {self.cpr})"
        return f"the screen the employee was shown (citizen {self.cpr})"
