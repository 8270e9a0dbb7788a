"""A robot tester: stands in for the person at the terminal of ``nspcert run --sut manual``.

It reads the manual driver's prompts from the run's output, knows each question by its key (the
``fgvh.state> `` where the answer is typed), carries out every action on the reference EOJ through the HTTP
driver, and answers every question from the reference EOJ's screen model, as a careful person reads their
screen. Like a person it knows only what the prompts say: which employee, which citizen, which record (the
step it was opened in). A prompt it cannot answer from that is a *problem* (a bug of the manual driver): it
is recorded, answered as best it can, and the test fails on it.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from nspcert.driver.contract import ChangeResult, Employee, FlushResult, ResponsibleUser, StamkortChange
from nspcert.driver.http import HttpDriver

PROMPT = re.compile(r"\n\[(?P<step>[^\n]*?)\] (?P<text>(?:(?!\n\[).)*?)\n(?P<key>[\w.-]+)> \Z", re.S)
LOG_IN = re.compile(r"Log in as (?P<name>.+?) \(CPR (?P<cpr>\d{10}), authorisation (?P<auth>.+?), role (?P<role>.+?)\)"
                    r" at (?P<org>.+) \(SOR (?P<sor>\d+)(?:, ydernummer (?P<yder>\d+))?(?:, SKS (?P<sks>\w+))?\)"
                    r"(?P<rest>.*?)\.\n")
ON_BEHALF = re.compile(r"on behalf of the authorised professional with CPR (?P<cpr>\d{10}) \(authorisation (?P<auth>[^)]*)\)")
OPEN = re.compile(r"As (?P<name>.+?), open the record of the citizen with CPR (?P<cpr>[0-9A-Z]{10})")
OVERVIEW = re.compile(r"As (?P<name>.+?), open the list of citizens holding the citizens with CPR (?P<cprs>[0-9A-Z, ]+)\.")
CHANGE = re.compile(r"As (?P<name>.+?), (?P<action>create|update|delete) the (?P<item>[a-z ]+?)"
                    r"(?: \(the one (?:shown as (?P<id>.+?)|the record shows now, FSK id (?P<fsk_id>[^)]+))\))?"
                    r" of (?P<cpr>[0-9A-Z]{10}) in Fælles Stamkort: (?P<values>.*)\n", re.S)
CLOCK = re.compile(r"Set the system's clock to (?P<when>.+?)\. Done\?")
CITIZEN_VIEW = re.compile(r"Open what the citizen (?P<cpr>[0-9A-Z]{10}) is shown")
CITIZEN_VIEW_HIDDEN = re.compile(r"citizen_view\.(?P<number>\d+)\.pseudonymised")
RECORD = re.compile(r"the record of (?P<cpr>[0-9A-Z]{10}) \(as opened in step '(?P<step>.*?)'\)")
REFUSALS = ("Please ", "Skipped ", "No such file")
FGVH_CHOICE = {"opted_out": "1", "not_opted_out": "2", "unavailable": "3", "unknown": "4"}
ENTERED_BY_CHOICE = {"EnteredCitizen": "1", "EnteredCitizenRelative": "2", "EnteredHealthcareprofessional": "3"}
#: the first question about a part of the screen asked after the open: it must say which record it means
PART_OPENERS = ("gp.shown", "coverage_group.value", "registrations.organ_donor", "language.display",
                "temporary_address.shown", "dentist.shown", "contact_phones", "relatives.count", "custody.count")


@dataclass
class Robot:
    """Answers one prompt at a time; ``problems`` are the prompts a careful person could not answer."""

    sut: HttpDriver
    problems: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    _users: dict[str, str] = field(default_factory=dict)  # shown full name -> the EOJ's user id
    #: (cpr, step) -> the screen; opened several times in one step, the last is what is on screen
    _opens: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    _latest: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (name, cpr) -> screen
    _looking_at: dict[str, Any] = field(default_factory=dict)  # the screen the current questions are about
    _queue: list[str] = field(default_factory=list)  # the rest of a multi-line answer
    _hidden: list[bool] = field(default_factory=list)  # per name of the citizen view: a stand-in, not the name
    _change: ChangeResult | None = None
    _list: list[dict[str, Any]] = field(default_factory=list)  # the citizen list (overview) last opened
    _flush: FlushResult | None = None

    def answer(self, step: str, key: str, text: str) -> str:
        self.asked.append(key)
        self.replies.append(reply := self._answer(step, key, text))
        return reply

    def answer_lines(self, step: str, key: str, text: str) -> list[str]:
        """A multi-line answer at once, as typed into the browser's text area: the first line, then the lines the
        robot gives at the terminal's "…" prompts, up to the empty line that ends it (counted as asked, as there)."""
        lines: list[str] = []
        line = self.answer(step, key, text)
        while line:
            lines.append(line)
            line = self.answer(step, key, "…")
        return lines

    def _answer(self, step: str, key: str, text: str) -> str:
        if text == "…":
            return self._queue.pop(0) if self._queue else self._problem(key, text, "no more lines to give")
        if key.startswith(("act.", "system.", "capability.")):
            return self._act(step, key, text)
        if key.startswith(("change.", "flush.")):
            return self._result(key)
        return self._observe(step, key, text)

    # --- actions -----------------------------------------------------------------------------------------
    def _act(self, step: str, key: str, text: str) -> str:
        if key.startswith("system."):
            return str(getattr(self.sut.capabilities().system, key.removeprefix("system.")))
        if key.startswith("capability."):
            return _yes(key.removeprefix("capability.") in self.sut.capabilities().capabilities)
        if key == "act.reset":
            self.sut.reset()
            self._users.clear()
            self._opens.clear()
            self._latest.clear()
            return ""
        if key == "act.log_in":
            return self._log_in(text)
        if key == "act.open_record":
            return self._open(step, text)
        if key == "act.change_stamkort":
            return self._change_stamkort(text)
        if key == "act.set_clock":
            return self._set_clock(text)
        if key == "act.flush_minlog":
            self._flush = self.sut.flush_minlog()
            return ""
        if key == "act.citizen_view":
            return self._citizen_view(text)
        if key == "act.overview":
            return self._overview(text)
        return self._problem(key, text, "an action the robot does not know")

    def _log_in(self, text: str) -> str:
        if (found := LOG_IN.search(text)) is None:
            return self._problem("act.log_in", text, "cannot read who to log in as")
        given, _, family = found["name"].rpartition(" ")
        behalf = ON_BEHALF.search(found["rest"])
        employee = Employee(found["cpr"], given, family, "" if found["auth"] == "none" else found["auth"],
                            found["role"], found["sor"], found["org"], identity_masked="identity masking" in found["rest"],
                            responsible_user=ResponsibleUser(behalf["cpr"], behalf["auth"]) if behalf else None,
                            yder_number=found["yder"] or "", sks_code=found["sks"] or "")
        self._users[found["name"]] = self.sut.log_in(employee)
        return ""

    def _open(self, step: str, text: str) -> str:
        if (found := OPEN.search(text)) is None or found["name"] not in self._users:
            return self._problem("act.open_record", text, "cannot tell who opens which record")
        screen = self.sut.open_record(found["cpr"], self._users[found["name"]])
        self._opens[(found["cpr"], step)] = self._latest[(found["name"], found["cpr"])] = screen
        self._looking_at = screen
        return ""

    def _change_stamkort(self, text: str) -> str:
        if (found := CHANGE.search(text)) is None or found["name"] not in self._users:
            return self._problem("act.change_stamkort", text, "cannot read the change")
        item, item_id = found["item"].replace(" ", "_"), found["id"] or found["fsk_id"]
        if item == "relative" and item_id is not None:  # the tester finds the relative by its shown name
            shown = self._latest.get((found["name"], found["cpr"]), {}).get("relatives") or []
            ids = [r["id"] for r in shown if r["name"] == item_id]
            if len(ids) != 1:
                return self._problem("act.change_stamkort", text, f"{len(ids)} relatives shown as {item_id!r}")
            item_id = ids[0]
        change = StamkortChange(item, found["action"], json.loads(found["values"]), item_id)  # type: ignore[arg-type]
        self._change = self.sut.change_stamkort(found["cpr"], self._users[found["name"]], change)
        return ""

    def _set_clock(self, text: str) -> str:
        if (found := CLOCK.search(text)) is None:
            return self._problem("act.set_clock", text, "cannot read the time")
        when = found["when"]
        self.sut.set_clock(None if when == "the real time" else datetime.fromisoformat(when))
        return "y"

    def _citizen_view(self, text: str) -> str:
        if (found := CITIZEN_VIEW.search(text)) is None:
            return self._problem("act.citizen_view", text, "cannot read whose view")
        users = [a["user"] for a in self.sut.citizen_view(found["cpr"])["accesses"]]
        self._queue = [*(str(user["display_name"]) for user in users), ""]
        self._hidden = [bool(user.get("pseudonymised")) for user in users]
        return ""

    def _overview(self, text: str) -> str:
        if (found := OVERVIEW.search(text)) is None or found["name"] not in self._users:
            return self._problem("act.overview", text, "cannot tell who opens which list")
        cprs = [cpr.strip() for cpr in found["cprs"].split(",")]
        self._list = self.sut.overview(cprs, self._users[found["name"]])["citizens"]
        return ""

    def _result(self, key: str) -> str:
        if key.startswith("change.") and self._change is not None:
            return _yes(self._change.succeeded) if key == "change.saved" else self._change.message
        if key.startswith("flush.") and self._flush is not None:
            return str(getattr(self._flush, key.removeprefix("flush.")))
        return self._problem(key, "", "asked about a result before the action")

    # --- what the screen shows ---------------------------------------------------------------------------
    def _observe(self, step: str, key: str, text: str) -> str:
        if key in PART_OPENERS or key.endswith(".provenance.from_fsk"):
            found = RECORD.search(text)
            if found is None:
                self._problem(key, text, "does not say which record it is about")
            elif (found["cpr"], found["step"]) not in self._opens:
                self._problem(key, text, "names a record the robot did not open in that step")
            else:
                self._looking_at = self._opens[(found["cpr"], found["step"])]
        if key == "citizen_view.names":
            return self._queue.pop(0) if self._queue else ""
        if (hidden := CITIZEN_VIEW_HIDDEN.fullmatch(key)) is not None:
            return "y" if self._hidden[int(hidden["number"]) - 1] else "n"
        if key.startswith("overview."):
            return self._listed_citizen(key, text)
        if key.startswith("citizen_view.") or key.startswith("lines."):
            return self._problem(key, text, "unknown")
        return self._read(key, text, self._looking_at)

    def _read(self, key: str, text: str, screen: dict[str, Any]) -> str:
        head, _, rest = key.partition(".")
        if "provenance" in key:
            return self._provenance(key, text, screen)
        if head in ("fsk", "fgvh", "citizen"):
            value = (screen.get(head) or {}).get(rest)
            if key == "fgvh.state":
                return FGVH_CHOICE[str(value)]
            return _yes(bool(value)) if isinstance(value, bool) else str(value or "")
        if key == "messages":
            return self._lines([str(m["text"]) for m in screen.get("messages") or []])
        if key == "screenshot":
            return ""
        if head == "registrations":
            registered = ((screen.get("registrations") or {}).get(rest) or {}).get("registered")
            return "1" if registered is True else "2" if registered is False else "3"
        if head in ("relatives", "custody"):
            return self._listed(head, rest, screen.get(head) or [])
        if key == "contact_phones":
            return self._lines(_phones(screen.get("contact_phones") or []))
        return self._part(head, rest, screen.get(head))

    def _part(self, head: str, rest: str, part: Any) -> str:
        if rest == "shown":
            return _yes(part is not None)
        if part is None:
            return ""
        if head == "gp" and rest == "phones":
            return self._lines(_phones(part.get("phones") or []))
        if head == "temporary_address" and rest == "lines":
            address = part["address"]
            return self._lines([*address.get("lines", []), f"{address.get('postal_code', '')} {address.get('city', '')}".strip()])
        return str(part.get(rest) or "")

    def _listed(self, head: str, rest: str, items: list[dict[str, Any]]) -> str:
        if rest == "count":
            return str(len(items))
        number, _, what = rest.partition(".")
        item = items[int(number) - 1]
        if what == "phones":
            return self._lines(_phones(item.get("phones") or []))
        if what == "note":
            return self._lines(str(item.get("note") or "").split("\n") if item.get("note") else [])
        return str(item.get(what) or "")

    def _provenance(self, key: str, text: str, screen: dict[str, Any]) -> str:
        path, _, what = key.partition(".provenance.")
        part: Any = screen
        for name in path.split("."):
            part = part[int(name) - 1] if isinstance(part, list) else (part or {}).get(name)
        provenance = (part or {}).get("provenance") or {}
        entered_by = provenance.get("entered_by") or {}
        if what == "from_fsk":
            return _yes(bool(provenance.get("from_fsk")))
        if what == "entered_by":
            return ENTERED_BY_CHOICE.get(str(entered_by.get("kind")), "4")
        if what.startswith("entered_by."):
            return str(entered_by.get(what.removeprefix("entered_by.")) or "")
        if what == "source":
            return str(provenance.get("source") or "")
        if what == "entered_at":
            return str(provenance.get("entered_at_display") or "")
        return self._problem(key, text, "an unknown provenance question")

    def _listed_citizen(self, key: str, text: str) -> str:
        number, _, what = key.removeprefix("overview.").partition(".")
        if not number.isdigit() or int(number) > len(self._list):
            return self._problem(key, text, "asks about a citizen the list does not hold")
        row = self._list[int(number) - 1]
        if what == "name":
            return str(row.get("name") or "")
        value = row["fgvh"][what.removeprefix("fgvh.")]
        if what == "fgvh.state":
            return FGVH_CHOICE[str(value)]
        return _yes(value) if isinstance(value, bool) else str(value)

    def _lines(self, lines: list[str]) -> str:
        self._queue = [*lines[1:], ""] if lines else []
        return lines[0] if lines else ""

    def heard(self, said: str) -> None:
        """What the driver said before its prompt: a re-ask means the robot's answer was refused."""
        for line in said.splitlines():
            if line.startswith(REFUSALS) and self.asked:
                self.problems.append(f"{self.asked[-1]}: answer {self.replies[-1]!r} refused: {line!r}")

    def _problem(self, key: str, text: str, why: str) -> str:
        self.problems.append(f"{key}: {why}: {text!r}")
        return ""



def _yes(value: bool) -> str:
    return "y" if value else "n"


def _phones(phones: list[dict[str, Any]]) -> list[str]:
    return [f"{p['use']} {p['value']}" for p in phones]


def run_with_robot(command: Sequence[str], robot: Robot, *, cwd: str, env: dict[str, str], timeout: float,
                   transcript: list[str]) -> int:
    """Run ``command`` (an ``nspcert run --sut manual``) with ``robot`` at its terminal; its exit code.

    The run has no controlling terminal (a new session), so the manual driver talks to stdin and stdout;
    everything it printed is appended to ``transcript``.
    """
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    assert process.stdin is not None and process.stdout is not None
    decoder, pending, deadline = codecs.getincrementaldecoder("utf-8")(), "", time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=1.0):
                continue
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                return process.wait(timeout=30)
            pending += decoder.decode(chunk)
            if (prompt := PROMPT.search(pending[-20000:])) is not None:
                transcript.append(pending)
                robot.heard(pending[:prompt.start()])
                pending = ""
                reply = robot.answer(prompt["step"], prompt["key"], prompt["text"])
                process.stdin.write(f"{reply}\n".encode())
                process.stdin.flush()
    os.killpg(process.pid, signal.SIGTERM)  # the run this function started, and its children
    process.wait(timeout=30)
    transcript.append(pending)
    raise TimeoutError(f"the manual run did not finish within {timeout} s: {''.join(transcript)[-3000:]}")


def verdicts(summary: dict[str, Any]) -> dict[str, str]:
    """Every scenario's verdict by its node id (an outline's examples share a name)."""
    return {item["nodeid"]: item["verdict"] for item in summary["scenarios"]}


def http_verdicts(tmp_path: Path, defects: tuple[str, ...], *pytest_args: str) -> dict[str, str]:
    """The same scenarios through the HTTP driver against the reference EOJ (the harness starts both)."""
    command = [sys.executable, "-m", "nspcert.cli", "run", "--defects", ",".join(defects),
               "--report-dir", str(tmp_path / "http"), "--", *pytest_args, "-p", "no:xdist"]
    subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    summary = json.loads(next((tmp_path / "http").glob("*/summary.json")).read_text(encoding="utf-8"))
    assert summary["harness_errors"] == [], summary["harness_errors"]
    return verdicts(summary)
