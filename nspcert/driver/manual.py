"""The manual driver: a person at a terminal acts in the SUT and answers what they see (SPEC §4).

For certification runs of systems without an HTTP adapter. Every prompt and answer is recorded with a
timestamp and appended to ``manual-evidence.jsonl`` as it is given (:mod:`nspcert.driver.manual_prompts`),
and files the tester attaches (screenshots) are copied into the evidence directory with their SHA-256;
:meth:`ManualDriver.close` adds the manifest ``manual-evidence.json``. Each open asks afresh; parts of the
screen that few checks read are asked when a check reads them (:mod:`nspcert.driver.manual_screen`).
Streams are injectable so the driver is testable (``ManualDriver(input=io.StringIO(...), output=...)``); a
``channel`` puts the questions elsewhere: the browser page of ``nspcert run --sut manual --ui``
(:mod:`nspcert.driver.manual_web`), with the same answers and evidence.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from nspcert.driver.contract import (
    CAP_MINLOG_BACKGROUND,
    CAPABILITIES,
    CONTRACT_VERSION,
    Capabilities,
    ChangeResult,
    DriverError,
    Employee,
    FlushResult,
    StamkortChange,
    SystemInfo,
    unit_identifiers,
)
from nspcert.driver.manual_channel import Channel, TerminalChannel
from nspcert.driver.manual_prompts import EVIDENCE_FILE, EVIDENCE_LOG, Evidence, Prompter
from nspcert.driver.manual_screen import AskedOnRead, PartAsker
from nspcert.driver.screen_model import NOT_ASKED

FGVH_CHOICES = {"1": "opted_out", "2": "not_opted_out", "3": "unavailable", "4": "unknown"}
DEFAULT_EVIDENCE_DIR = Path("reports") / "manual-evidence"
__all__ = ["DEFAULT_EVIDENCE_DIR", "EVIDENCE_FILE", "EVIDENCE_LOG", "Evidence", "ManualDriver"]

#: capabilities a person cannot offer: one round of the system's background MinLog2 sending, on request, is a timer
#: a tester cannot run, so the manual driver never claims it (its scenarios are not applicable)
NOT_BY_HAND = frozenset({CAP_MINLOG_BACKGROUND})


class ManualDriver:
    """Drive the SUT through a person; answers become the contract's data, prompts and answers evidence."""

    def __init__(self, evidence_dir: Path | None = None, *, input: TextIO | None = None,
                 output: TextIO | None = None, channel: Channel | None = None) -> None:
        self.evidence_dir = evidence_dir or DEFAULT_EVIDENCE_DIR
        self._terminal = _terminal() if input is None and output is None and channel is None else None
        if channel is None:
            channel = TerminalChannel(input or self._terminal or sys.stdin, output or self._terminal or sys.stdout,
                                      live=self._terminal is not None)
        self.prompter = Prompter(self.evidence_dir, channel=channel)
        self._capabilities: Capabilities | None = None
        self._users: dict[str, Employee] = {}
        self._screens: dict[tuple[str, str], AskedOnRead] = {}

    @property
    def evidence(self) -> list[Evidence]:
        """Every prompt and answer so far (also on disk in ``manual-evidence.jsonl``)."""
        return self.prompter.evidence

    def step(self, name: str) -> None:
        """Name the scenario step that the next prompts belong to (used in the evidence)."""
        self.prompter.step = name

    def answered(self) -> int:
        """How many answers the tester has given so far (a mark for :meth:`attachments`)."""
        return len(self.evidence)

    def attachments(self, since: int) -> list[tuple[Path, str]]:
        """The files the tester attached since answer ``since``, each with the step and question it answered."""
        return [(self.evidence_dir / attached["file"], f"{answer.step}: {answer.prompt}")
                for answer in self.evidence[since:] for attached in answer.attachments]

    def begin(self, heading: str) -> None:
        """A new scenario starts (its heading, before its questions)."""
        self.prompter.say(f"\n{heading}")

    def introduce(self, text: str) -> None:
        """Tell the tester something before the first question (how to connect their system)."""
        self.prompter.say(text)

    def notify(self, text: str) -> None:
        """Tell the tester something that happened meanwhile (any thread): the system's first call arrived."""
        self.prompter.notify(text)

    # --- the contract ----------------------------------------------------------------------------------
    def capabilities(self) -> Capabilities:
        if self._capabilities is None:
            ask = self.prompter.ask
            system = SystemInfo(ask("system.name", "System name?"), ask("system.version", "System version?"),
                                ask("system.vendor", "Vendor?"))
            claimed = frozenset(c for c in CAPABILITIES if c not in NOT_BY_HAND
                                and self.prompter.yes(f"capability.{c}", f"Does the system support '{c}'?"))
            self._capabilities = Capabilities(system=system, capabilities=claimed)
        return self._capabilities

    def reset(self) -> None:
        self.prompter.act("act.reset", "Log every user out and clear the system's local caches for the test citizens.")
        self._screens.clear()

    def log_in(self, employee: Employee) -> str:
        self.prompter.act("act.log_in", f"Log in as {employee.full_name} (CPR {employee.cpr}, authorisation "
                          f"{employee.authorisation_id or 'none'}, role {employee.role}) at "
                          f"{employee.organisation_name} ({unit_identifiers(employee)}){_on_behalf(employee)}{_masked(employee)}.")
        self._users[employee.cpr] = employee
        return employee.cpr

    def open_record(self, cpr: str, user_id: str) -> AskedOnRead:
        """Every open is a new look at the screen: the SUT must fetch FSK afresh, so the tester is asked again."""
        self.prompter.act("act.open_record", f"As {self._name(user_id)}, open the record of the citizen with CPR {cpr} "
                          "(close it first if it is open).")
        self._screens[(user_id, cpr)] = self._observe(cpr)
        return self._screens[(user_id, cpr)]

    def view(self, cpr: str, user_id: str) -> AskedOnRead:
        """The screen of the last open (its not-yet-asked parts are asked when read)."""
        key = (user_id, cpr)
        if key not in self._screens:
            self._screens[key] = self._observe(cpr)
        return self._screens[key]

    def change_stamkort(self, cpr: str, user_id: str, change: StamkortChange) -> ChangeResult:
        item = change.item.replace("_", " ")
        self.prompter.act("act.change_stamkort", f"As {self._name(user_id)}, {change.action} the {item}"
                          f"{_which(change)} of {cpr} in Fælles Stamkort: "
                          f"{json.dumps(change.values, ensure_ascii=False)}")
        self._screens.pop((user_id, cpr), None)
        succeeded = self.prompter.yes("change.saved", "Did the system report the change as saved?")
        return ChangeResult(succeeded=succeeded, message=self.prompter.ask("change.message", "Exactly which message was shown?"))

    def set_clock(self, now: datetime | None) -> None:
        when = now.isoformat() if now else "the real time"
        if not self.prompter.yes("act.set_clock", f"Set the system's clock to {when}. Done?"):
            raise DriverError(f"the tester could not set the clock to {when}")

    def flush_minlog(self) -> FlushResult:
        p = self.prompter
        p.act("act.flush_minlog", "Make the system send the MinLog2 entries it has queued now.")
        sent = p.number("flush.sent", "How many entries did it report as sent?")
        return FlushResult(sent=sent, failed=p.number("flush.failed", "How many failed?"), queued=p.number("flush.queued", "How many queued?"))

    def citizen_view(self, cpr: str) -> dict[str, Any]:
        self.prompter.act("act.citizen_view", f"Open what the citizen {cpr} is shown of who used their data.")
        names = self.prompter.lines("citizen_view.names", "Type each employee name or pseudonym shown, one per line; an empty line ends.")
        accesses = [{"date": "", "organisation_name": "", "activity": "",
                     "user": {"display_name": n, "pseudonymised": self._hidden(number, n)}}
                    for number, n in enumerate(names, start=1)]
        return {"contract_version": CONTRACT_VERSION, "cpr": cpr, "accesses": accesses}

    def _hidden(self, number: int, shown: str) -> bool:
        """Whether the citizen is shown a stand-in for the employee (a pseudonym, or the system's own words for a
        hidden employee while no pseudonym can be made) rather than the employee's name: a pseudonym is plain to
        see, any other text only the tester can judge."""
        return _looks_like_uuid(shown) or self.prompter.yes(
            f"citizen_view.{number}.pseudonymised",
            f"Is {shown!r} a stand-in for the employee (a pseudonym or words such as 'hidden employee'), "
            "not the employee's own name?")

    def overview(self, cprs: list[str], user_id: str) -> dict[str, Any]:
        """Capability overview: the tester opens the citizen list holding ``cprs`` and says what it shows of each."""
        p = self.prompter
        p.act("act.overview", f"As {self._name(user_id)}, open the list of citizens holding the citizens with CPR "
              f"{', '.join(cprs)}.")
        citizens = []
        for number, cpr in enumerate(cprs, start=1):
            key = f"overview.{number}"
            state = p.choice(f"{key}.fgvh.state", f"On the list, what does it show about opt-out of resuscitation for "
                             f"{cpr}? 1 opted out, 2 no opt-out, 3 temporarily unavailable, 4 unknown / could not be "
                             "read", FGVH_CHOICES)
            fgvh = {"state": state,
                    "symbol_shown": p.yes(f"{key}.fgvh.symbol_shown", f"Is the FGVH symbol shown for {cpr} on the list?"),
                    "text": p.ask(f"{key}.fgvh.text", f"Which FGVH text (or symbol tooltip) does the list show for {cpr}?")}
            citizens.append({"cpr": cpr, "name": p.ask(f"{key}.name", f"Which name does the list show for {cpr}?") or None,
                             "fgvh": fgvh})
        p.attach("screenshot", "Screenshot of the list (file path; empty to skip)?")
        return {"contract_version": CONTRACT_VERSION, "citizens": citizens, "messages": []}

    def close(self) -> None:
        """Write the manifest (the answers are already on disk) and let go of the terminal."""
        self.prompter.write_manifest()
        self.prompter.close()
        if self._terminal is not None:
            self._terminal.close()
            self._terminal = None

    # --- observing the screen ---------------------------------------------------------------------------
    def _observe(self, cpr: str) -> AskedOnRead:
        p = self.prompter
        read = p.yes("fsk.read", f"Does the record of {cpr} show data from Fælles Stamkort?")
        state = p.choice("fgvh.state", "What does it show about opt-out of resuscitation (FGVH)? 1 opted out, "
                         "2 no opt-out, 3 temporarily unavailable, 4 unknown / could not be read", FGVH_CHOICES)
        fgvh = {"state": state, "symbol_shown": p.yes("fgvh.symbol_shown", "Is the FGVH symbol shown?"),
                "text": p.ask("fgvh.text", "Which FGVH text is shown?")}
        citizen = self._citizen(cpr) if read else None
        messages = [{"level": "error", "text": t} for t in p.lines("messages", "Type each error or warning shown, "
                                                                   "one per line; an empty line ends.")]
        p.attach("screenshot", "Screenshot of the record (file path; empty to skip)?")
        known = {"contract_version": CONTRACT_VERSION, "cpr": cpr, "fsk": {"read": read}, "citizen": citizen,
                 "fgvh": fgvh, "messages": messages}
        asker = PartAsker(p, cpr, p.step)
        if not read:  # nothing of FSK is on screen: there is nothing more to ask
            known |= NOT_ASKED
        screen = AskedOnRead(known, asker.parts() if read else {})
        return screen

    def _citizen(self, cpr: str) -> AskedOnRead:
        p = self.prompter
        known = {"name": p.ask("citizen.name", "Which name is shown?"), "address": None,
                 "address_text": p.ask("citizen.address_text", "Which address is shown?") or None,
                 "protected": p.yes("citizen.protected", "Is the name/address shown as protected?")}
        return PartAsker(p, cpr, p.step).with_provenance(known, "citizen", "the citizen's name and address")

    def _name(self, user_id: str) -> str:
        employee = self._users.get(user_id)
        return employee.full_name if employee else user_id


def _on_behalf(employee: Employee) -> str:
    responsible = employee.responsible_user
    if responsible is None:
        return ""
    return (f", acting on behalf of the authorised professional with CPR {responsible.cpr} "
            f"(authorisation {responsible.authorisation_id})")


def _masked(employee: Employee) -> str:
    return ", in a unit with identity masking (IDSAS: the citizen is shown a pseudonym)" if employee.identity_masked else ""


def _terminal() -> TextIO | None:
    """The controlling terminal, so prompts reach the tester even when pytest captures stdin/stdout."""
    try:
        return open("/dev/tty", "r+", encoding="utf-8")  # closed by ManualDriver.close()
    except OSError:
        return None


def _looks_like_uuid(text: str) -> bool:
    parts = text.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12]


def _which(change: StamkortChange) -> str:
    """Which item a change is about, as the tester can find it: a relative by the name shown (the manual driver's
    relative ids are names); another item is the one the record shows now (FSK holds one temporary address,
    language and dentist at a time), its FSK id given for a system that shows it."""
    if change.item_id is None:
        return ""
    if change.item == "relative":
        return f" (the one shown as {change.item_id})"
    return f" (the one the record shows now, FSK id {change.item_id})"
