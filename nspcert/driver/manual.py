"""The manual driver: a person at a terminal acts in the SUT and answers what they see (SPEC §4).

For certification runs of systems without an HTTP adapter. Every prompt and answer is recorded with a
timestamp, and files the tester attaches (screenshots) are copied into the evidence directory with their
SHA-256; :meth:`ManualDriver.close` writes ``manual-evidence.json`` there. Streams are injectable so the
driver is testable (``ManualDriver(input=io.StringIO(...), output=io.StringIO())``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from nspcert.driver.contract import (
    CAPABILITIES,
    CONTRACT_VERSION,
    Capabilities,
    ChangeResult,
    DriverError,
    Employee,
    FlushResult,
    StamkortChange,
    SystemInfo,
    validate_screen_model,
)

FGVH_CHOICES = {"1": "opted_out", "2": "not_opted_out", "3": "unavailable", "4": "unknown"}
EVIDENCE_FILE = "manual-evidence.json"
DEFAULT_EVIDENCE_DIR = Path("reports") / "manual-evidence"


@dataclass
class Evidence:
    at: str
    step: str
    prompt: str
    answer: str
    attachments: list[dict[str, str]] = field(default_factory=list)


class ManualDriver:
    """Drive the SUT through a person; answers become the contract's data, prompts and answers evidence."""

    def __init__(self, evidence_dir: Path | None = None, *, input: TextIO | None = None,
                 output: TextIO | None = None) -> None:
        self.evidence_dir = evidence_dir or DEFAULT_EVIDENCE_DIR
        self.evidence: list[Evidence] = []
        self._terminal = _terminal() if input is None and output is None else None
        self._in = input or self._terminal or sys.stdin
        self._out = output or self._terminal or sys.stdout
        self._step = "setup"
        self._capabilities: Capabilities | None = None
        self._users: dict[str, Employee] = {}
        self._screens: dict[tuple[str, str], dict[str, Any]] = {}

    def step(self, name: str) -> None:
        """Name the scenario step that the next prompts belong to (used in the evidence)."""
        self._step = name

    # --- the contract ----------------------------------------------------------------------------------
    def capabilities(self) -> Capabilities:
        if self._capabilities is None:
            system = SystemInfo(self._ask("System name?"), self._ask("System version?"), self._ask("Vendor?"))
            claimed = frozenset(c for c in CAPABILITIES if self._yes(f"Does the system support '{c}'?"))
            self._capabilities = Capabilities(system=system, capabilities=claimed)
        return self._capabilities

    def reset(self) -> None:
        self._act("Log every user out and clear the system's local caches for the test citizens.")
        self._screens.clear()

    def log_in(self, employee: Employee) -> str:
        self._act(f"Log in as {employee.full_name} (CPR {employee.cpr}, authorisation {employee.authorisation_id}, "
                  f"role {employee.role}) at {employee.organisation_name} (SOR {employee.sor_code}).")
        self._users[employee.cpr] = employee
        return employee.cpr

    def open_record(self, cpr: str, user_id: str) -> dict[str, Any]:
        self._act(f"As {self._name(user_id)}, open the record of the citizen with CPR {cpr}.")
        return self.view(cpr, user_id)

    def view(self, cpr: str, user_id: str) -> dict[str, Any]:
        key = (user_id, cpr)
        if key not in self._screens:
            self._screens[key] = validate_screen_model(self._observe(cpr))
        return self._screens[key]

    def change_stamkort(self, cpr: str, user_id: str, change: StamkortChange) -> ChangeResult:
        target = f" (item {change.item_id})" if change.item_id else ""
        self._act(f"As {self._name(user_id)}, {change.action} the {change.item.replace('_', ' ')}{target} of "
                  f"{cpr} in Fælles Stamkort: {json.dumps(change.values, ensure_ascii=False)}")
        self._screens.pop((user_id, cpr), None)
        succeeded = self._yes("Did the system report the change as saved?")
        return ChangeResult(succeeded=succeeded, message=self._ask("Exactly which message was shown?"))

    def set_clock(self, now: datetime | None) -> None:
        when = now.isoformat() if now else "the real time"
        if not self._yes(f"Set the system's clock to {when}. Done?"):
            raise DriverError(f"the tester could not set the clock to {when}")

    def flush_minlog(self) -> FlushResult:
        self._act("Make the system send the MinLog2 entries it has queued now.")
        sent = self._number("How many entries did it report as sent?")
        return FlushResult(sent=sent, failed=self._number("How many failed?"), queued=self._number("How many queued?"))

    def citizen_view(self, cpr: str) -> dict[str, Any]:
        self._act(f"Open what the citizen {cpr} is shown of who used their data.")
        names = self._lines("Type each employee name or pseudonym shown, one per line; an empty line ends.")
        accesses = [{"date": "", "organisation_name": "", "activity": "",
                     "user": {"display_name": n, "pseudonymised": _looks_like_uuid(n)}} for n in names]
        return {"contract_version": CONTRACT_VERSION, "cpr": cpr, "accesses": accesses}

    def close(self) -> None:
        self.evidence_dir.mkdir(parents=True, exist_ok=True)
        manifest = {"contract_version": CONTRACT_VERSION, "evidence": [asdict(e) for e in self.evidence]}
        (self.evidence_dir / EVIDENCE_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
        if self._terminal is not None:
            self._terminal.close()

    # --- observing the screen ---------------------------------------------------------------------------
    def _observe(self, cpr: str) -> dict[str, Any]:
        read = self._yes(f"Does the record of {cpr} show data from Fælles Stamkort?")
        state = self._choice("What does it show about opt-out of resuscitation (FGVH)? 1 opted out, "
                             "2 no opt-out, 3 temporarily unavailable, 4 unknown / could not be read", FGVH_CHOICES)
        fgvh = {"state": state, "symbol_shown": self._yes("Is the FGVH symbol shown?"),
                "text": self._ask("Which FGVH text is shown?")}
        citizen = None
        if read:
            citizen = {"name": self._ask("Which name is shown?"), "address": None,
                       "address_text": self._ask("Which address is shown?") or None,
                       "protected": self._yes("Is the name/address shown as protected?")}
        messages = [{"level": "error", "text": t} for t in self._lines("Type each error or warning shown, "
                                                                       "one per line; an empty line ends.")]
        self._attach("Screenshot of the record (file path; empty to skip)?")
        return _screen(cpr, read, citizen, fgvh, messages)

    # --- prompting ----------------------------------------------------------------------------------------
    def _act(self, instruction: str) -> None:
        self._ask(f"{instruction}\n  Press Enter when done")

    def _ask(self, prompt: str) -> str:
        self._out.write(f"\n[{self._step}] {prompt}\n> ")
        self._out.flush()
        line = self._in.readline()
        if line == "":
            raise DriverError(f"no answer from the tester to: {prompt}")
        answer = line.rstrip("\n")
        self.evidence.append(Evidence(datetime.now(UTC).isoformat(), self._step, prompt, answer))
        return answer

    def _yes(self, prompt: str) -> bool:
        while (answer := self._ask(f"{prompt} [y/n]").strip().lower()) not in ("y", "n", "yes", "no", "j", "ja", "nej"):
            self._out.write("Please answer y or n.\n")
        return answer in ("y", "yes", "j", "ja")

    def _choice(self, prompt: str, choices: dict[str, str]) -> str:
        while (answer := self._ask(prompt).strip()) not in choices:
            self._out.write(f"Please answer one of {', '.join(choices)}.\n")
        return choices[answer]

    def _number(self, prompt: str) -> int:
        while not (answer := self._ask(prompt).strip()).isdigit():
            self._out.write("Please answer with a number.\n")
        return int(answer)

    def _lines(self, prompt: str) -> list[str]:
        lines: list[str] = []
        while line := self._ask(prompt if not lines else "…").strip():
            lines.append(line)
        return lines

    def _attach(self, prompt: str) -> None:
        while answer := self._ask(prompt).strip():
            source = Path(answer).expanduser()
            if source.is_file():
                self.evidence[-1].attachments.append(self._store(source))
                return
            self._out.write(f"No such file: {source}\n")

    def _store(self, source: Path) -> dict[str, str]:
        self.evidence_dir.mkdir(parents=True, exist_ok=True)
        target = self.evidence_dir / f"{len(self.evidence):03d}_{source.name}"
        shutil.copyfile(source, target)
        return {"file": target.name, "sha256": hashlib.sha256(target.read_bytes()).hexdigest(), "source": str(source)}

    def _name(self, user_id: str) -> str:
        employee = self._users.get(user_id)
        return employee.full_name if employee else user_id


def _screen(cpr: str, read: bool, citizen: dict[str, Any] | None, fgvh: dict[str, Any],
            messages: list[dict[str, str]]) -> dict[str, Any]:
    """A screen model from the tester's answers; what was not asked is left empty (a reviewer judges it)."""
    return {
        "contract_version": CONTRACT_VERSION, "cpr": cpr, "fsk": {"read": read}, "citizen": citizen, "fgvh": fgvh,
        "gp": None, "coverage_group": None,
        "registrations": {k: {"registered": None, "text": "not captured"}
                          for k in ("organ_donor", "treatment_will", "living_will")},
        "language": None, "temporary_address": None, "dentist": None, "contact_phones": [], "relatives": [],
        "custody": [], "messages": messages,
    }


def _terminal() -> TextIO | None:
    """The controlling terminal, so prompts reach the tester even when pytest captures stdin/stdout."""
    try:
        return open("/dev/tty", "r+", encoding="utf-8")  # closed by ManualDriver.close()
    except OSError:
        return None


def _looks_like_uuid(text: str) -> bool:
    parts = text.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12]
