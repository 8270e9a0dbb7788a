"""The manual driver's screen model: the tester is asked about a part of the screen when a check reads it.

Asking for everything on every open would mean some forty questions per record, most of which no check
reads. So what every check needs (FSK read, FGVH, name/address, messages) is asked when the record is
opened, and the rest (GP, coverage group, registrations, language, temporary address, dentist, phones,
relatives, custody, and where each came from) is asked the first time a check reads that part. A check
that reads the whole screen (e.g. "nothing protected leaked") therefore asks about every part: that is
what such a check needs. What the tester answers is validated against the screen-model schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from nspcert.driver.manual_prompts import Prompter, parse_moment
from nspcert.driver.screen_model import PartlyAnswered

Asker = Callable[[], Any]
REGISTRATIONS = {"organ_donor": "organ donor", "treatment_will": "treatment will (behandlingstestamente)",
                 "living_will": "living will (livstestamente)"}
ENTERED_BY = {"1": "EnteredCitizen", "2": "EnteredCitizenRelative", "3": "EnteredHealthcareprofessional",
              "4": "not shown"}
PHONE_USES = ("H", "MC", "WP")


class AskedOnRead(Mapping[str, Any]):
    """A screen model (or a part of one) whose pending parts are asked of the tester the first time anything reads
    them: ``get``/``[]`` ask for one part; anything that reads the whole (``items``, ``values``, iteration, ``==``)
    asks for every pending part first, so no un-asked part is ever read as empty. It is
    :class:`~nspcert.driver.screen_model.PartlyAnswered`: ``answered()`` is what is known so far, asking nothing;
    whoever :meth:`watch` es it (the contract's validation) is told after each answer."""

    def __init__(self, known: dict[str, Any], pending: dict[str, Asker]) -> None:
        self._known = dict(known)
        self._pending = {key: ask for key, ask in pending.items() if key not in self._known}
        self._checks: list[Callable[[PartlyAnswered], None]] = []

    def watch(self, check: Callable[[PartlyAnswered], None]) -> None:
        if check not in self._checks:  # the same screen is handed out (and watched) on every view of it
            self._checks.append(check)

    def answered(self) -> dict[str, Any]:
        """What is known so far, with nested parts answered so far (no question is asked)."""
        return {k: _answered(v) for k, v in self._known.items()}

    def pending(self) -> list[str]:
        return list(self._pending)

    def __getitem__(self, key: str) -> Any:
        self._fill(key)
        return self._known[key]

    def __contains__(self, key: object) -> bool:
        return key in self._pending or key in self._known

    def __iter__(self) -> Iterator[str]:
        self._fill_all()
        return iter(self._known)

    def __len__(self) -> int:
        return len(self._known) + len(self._pending)

    def __repr__(self) -> str:
        pending = f", not asked yet: {', '.join(self._pending)}" if self._pending else ""
        return f"{self.answered()!r}{pending}"

    def _fill(self, key: str) -> None:
        if key in self._pending:
            self._known[key] = self._pending.pop(key)()
            for check in self._checks:
                check(self)

    def _fill_all(self) -> None:
        for key in list(self._pending):
            self._fill(key)


def _answered(value: Any) -> Any:
    if isinstance(value, AskedOnRead):
        return value.answered()
    if isinstance(value, list):
        return [_answered(v) for v in value]
    return value


class PartAsker:
    """The questions about the parts of one opened record."""

    def __init__(self, prompter: Prompter, cpr: str, opened_in: str) -> None:
        self.p = prompter
        self.record = f"the record of {cpr} (as opened in step '{opened_in}')"

    def parts(self) -> dict[str, Asker]:
        return {"gp": self.gp, "coverage_group": self.coverage_group, "registrations": self.registrations,
                "language": self.language, "temporary_address": self.temporary_address, "dentist": self.dentist,
                "contact_phones": self.contact_phones, "relatives": self.relatives, "custody": self.custody}

    def gp(self) -> dict[str, Any] | None:
        if not self.p.yes("gp.shown", f"Does {self.record} show a GP (egen læge)?"):
            return None
        return {"name": self.p.ask("gp.name", "Which GP name is shown?"),
                "yder_number": self.p.ask("gp.yder_number", "Which yder number is shown (empty if none)?") or None,
                "phones": self._phones("gp.phones", "the GP")}

    def coverage_group(self) -> AskedOnRead | None:
        value = self.p.ask("coverage_group.value", f"Which coverage group (sygesikringsgruppe) does {self.record} show (empty if none)?")
        return self.with_provenance({"value": value}, "coverage_group", "the coverage group") if value else None

    def registrations(self) -> dict[str, Any]:
        choices = {"1": True, "2": False, "3": None}
        return {key: {"registered": (shown := self._registered(key, label, choices)),
                      "text": {True: "registreret", False: "ikke registreret", None: "ikke vist"}[shown]}
                for key, label in REGISTRATIONS.items()}

    def language(self) -> AskedOnRead | None:
        shown = self.p.ask("language.display", f"Which language does {self.record} show (empty if none)?")
        return self.with_provenance({"code": shown, "display": shown}, "language", "the language") if shown else None

    def temporary_address(self) -> AskedOnRead | None:
        if not self.p.yes("temporary_address.shown", f"Does {self.record} show a temporary address?"):
            return None
        lines = self.p.lines("temporary_address.lines", "Type the temporary address as shown, one line per line; an empty line ends.")
        part = {"address": {"lines": lines}, "from": self.p.day("temporary_address.from", "From which day?"),
                "to": self.p.day("temporary_address.to", "Until which day?", optional=True)}
        return self.with_provenance(part, "temporary_address", "the temporary address")

    def dentist(self) -> dict[str, Any] | None:
        if not self.p.yes("dentist.shown", f"Does {self.record} show a dentist?"):
            return None
        return {"name": self.p.ask("dentist.name", "Which dentist name is shown?"),
                "clinic": self.p.ask("dentist.clinic", "Which clinic is shown (empty if none)?") or None, "phones": []}

    def contact_phones(self) -> list[dict[str, Any]]:
        return self._phones("contact_phones", f"the citizen (patient contact) in {self.record}")

    def relatives(self) -> list[AskedOnRead]:
        count = self.p.number("relatives.count", f"How many relatives (pårørende) does {self.record} show?")
        return [self._relative(i + 1) for i in range(count)]

    def custody(self) -> list[dict[str, Any]]:
        count = self.p.number("custody.count", f"How many children in custody (forældremyndighed) does {self.record} show?")
        return [self._child(i + 1) for i in range(count)]

    # --- pieces ---------------------------------------------------------------------------------------------
    def _child(self, number: int) -> dict[str, Any]:
        key = f"custody.{number}"
        return {"name": self.p.ask(f"{key}.name", f"Child {number}: which name is shown?"),
                "cpr": self.p.ask(f"{key}.cpr", f"Child {number}: which CPR is shown (empty if none)?") or None,
                "relation": self.p.ask(f"{key}.relation", f"Child {number}: which relation is shown?") or None}

    def _relative(self, number: int) -> AskedOnRead:
        key = f"relatives.{number}"
        name = self.p.ask(f"{key}.name", f"Relative {number}: which name is shown?")
        known = {"id": name,  # a tester sees no FSK id; the shown name is how they find the relative again
                 "name": name,
                 "relation": self.p.ask(f"{key}.relation", f"Relative {number}: which relation is shown?") or None,
                 "phones": self._phones(f"{key}.phones", f"relative {name}"),
                 "note": self.p.text(f"{key}.note", f"Relative {number}: type the note exactly as shown, "
                                                    "line by line; an empty line ends (at once if none)") or None}
        return self.with_provenance(known, key, f"the relative {name}")

    def _registered(self, key: str, label: str, choices: dict[str, bool | None]) -> bool | None:
        answer = self.p.choice(f"registrations.{key}", f"In {self.record}: {label}: 1 registered, 2 not registered, 3 not shown",
                               {k: k for k in choices})
        return choices[answer]

    def _phones(self, key: str, whose: str) -> list[dict[str, Any]]:
        phones = []
        for line in self.p.lines(key, f"Type each phone number shown for {whose} as USE NUMBER (use H, MC or WP, "
                                 "e.g. 'MC +4512345678'), one per line; an empty line ends."):
            use, _, value = line.partition(" ")
            if use.upper() not in PHONE_USES or not value.strip():
                self.p.say(f"Skipped {line!r}: start with H, MC or WP, then the number. Type it again.")
                continue
            phones.append({"use": use.upper(), "value": value.strip()})
        return phones

    def with_provenance(self, known: dict[str, Any], part: str, what: str) -> AskedOnRead:
        """``known`` with its provenance asked when read; ``part`` names it in the questions' keys."""
        return AskedOnRead(known, {"provenance": lambda: self._provenance(f"{part}.provenance", what)})

    def _provenance(self, key: str, what: str) -> dict[str, Any]:
        from_fsk = self.p.yes(f"{key}.from_fsk", f"In {self.record}: is {what} marked as data from Fælles Stamkort?")
        kind = self.p.choice(f"{key}.entered_by", f"Who entered {what}, as shown? 1 the citizen, 2 a relative, 3 a health professional, "
                             "4 not shown", ENTERED_BY)
        entered_by = None if kind == "not shown" else {
            "kind": kind, "name": self.p.ask(f"{key}.entered_by.name", "Which name is shown for who entered it (empty if none)?") or None,
            "organisation": self.p.ask(f"{key}.entered_by.organisation", "Which organisation is shown (empty if none)?") or None}
        return {"from_fsk": from_fsk, "source": self.p.ask(f"{key}.source", f"Which source is shown for {what} (empty if none)?"),
                "entered_by": entered_by, **self._entered_at(key, what)}

    def _entered_at(self, key: str, what: str) -> dict[str, str | None]:
        while shown := self.p.ask(f"{key}.entered_at", f"When was {what} entered, as shown (DD-MM-YYYY HH:MM; empty if not shown)?"):
            if (moment := parse_moment(shown)) is not None:
                return {"entered_at": moment, "entered_at_display": shown}
            self.p.say("Please type it as 24-10-2017 14:34.")
        return {"entered_at": None, "entered_at_display": None}
