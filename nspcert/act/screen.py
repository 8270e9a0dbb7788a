"""The screen model: what the employee sees, as the SUT reports it through the driver contract (SPEC §4),
and the citizen view: what the citizen is shown of who used their data (identity masking).

A thin typed view over the JSON the driver returns (validated against
`nspcert/driver/screen-model.schema.json` by the driver), so checks read `screen.fgvh.state` or
`screen.part("relatives")` instead of digging in dicts.

Screens are evidence: a reviewer of a *passing* run must see what the employee was shown. So every Screen tells its
recorder (:mod:`nspcert.evidence`) that it was shown, and which top-level part (``fgvh``, ``relatives``, …) a check
then read through :meth:`Screen.part`; the report saves each screen as an evidence file and shows the parts a Then
step judged in its "Actual result".

A manual tester's screen model is asked part by part as checks read it (``nspcert.driver.manual_screen``): a
:class:`~collections.abc.Mapping` that asks on read and says what is answered so far
(:class:`~nspcert.driver.screen_model.PartlyAnswered`). :meth:`Screen.known` never asks; :meth:`Screen.whole` asks for
everything still pending.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nspcert.driver.screen_model import answered_so_far, plain_model
from nspcert.evidence import Evidence, recorded


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
    model: Mapping[str, Any]
    viewer: str = EMPLOYEE
    evidence: Evidence = field(default_factory=recorded, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.evidence.shown(self)

    def part(self, name: str, default: Any = None) -> Any:
        """The top-level part ``name`` as shown (``default`` when the screen has none); a check's read of it is
        evidence of the step running the check."""
        value = self.model.get(name, default)
        self.evidence.read(self, name)
        return value

    def whole(self) -> dict[str, Any]:
        """Every part as plain JSON data, for a check that reads the whole screen (a manual tester is asked about
        every part still pending)."""
        return plain_model(self.model)

    def known(self) -> dict[str, Any]:
        """The parts the SUT (or the tester) has already given, without asking for more and without a read event."""
        return answered_so_far(self.model)

    @property
    def fgvh(self) -> FgvhDisplay:
        part = self.part("fgvh") or {}
        return FgvhDisplay(str(part.get("state", "")), bool(part.get("symbol_shown")), str(part.get("text", "")))

    @property
    def listed(self) -> dict[str, dict[str, Any]]:
        """The citizens of a citizen list (viewer :data:`OVERVIEW`) by CPR, as the list shows them."""
        return {str(row.get("cpr")): row for row in self.part("citizens") or []}

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.part("messages") or [])

    def where(self) -> str:
        return _WORDS[self.viewer][0].format(cpr=self.cpr)

    def describe(self) -> str:
        """What the screen is, for the evidence index."""
        return _WORDS[self.viewer][1].format(cpr=self.cpr)


#: for each viewer: where the screen came from (a check's "where"), and what it is (the evidence index)
_WORDS = {
    EMPLOYEE: ("screen model of citizen {cpr} (GET /sut/citizens/{cpr}/view)",
               "the screen the employee was shown (citizen {cpr})"),
    CITIZEN: ("citizen view of {cpr} (GET /sut/citizens/{cpr}/citizen-view)",
              "what the citizen was shown of who used their data (citizen {cpr})"),
    OVERVIEW: ("citizen list holding {cpr} (POST /sut/overview)", "the citizen list the employee was shown (citizens {cpr})"),
}
