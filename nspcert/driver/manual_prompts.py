"""The tester's side of the manual driver: prompts, answers, and evidence written as it is given.

Every answer is appended to ``manual-evidence.jsonl`` (flushed and fsynced) the moment it is given, so a
crash or a killed run loses nothing the tester said; :meth:`Prompter.close` adds the summary manifest
``manual-evidence.json``. Attached files are copied into the evidence directory with their SHA-256. The questions
reach the tester through a channel (:mod:`nspcert.driver.manual_channel`): the terminal, or the browser page of
``nspcert run --sut manual --ui``; the answers and the evidence are the same either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from nspcert.driver.contract import CONTRACT_VERSION
from nspcert.driver.manual_channel import FOLLOW, Channel, Kind, Question, TerminalChannel

EVIDENCE_FILE = "manual-evidence.json"
EVIDENCE_LOG = "manual-evidence.jsonl"
YES, NO = ("y", "yes", "j", "ja"), ("n", "no", "nej")


@dataclass
class Evidence:
    at: str
    step: str
    prompt: str
    answer: str
    attachments: list[dict[str, str]] = field(default_factory=list)
    key: str = ""  #: which question this answers (e.g. ``fgvh.state``), the same in every run


class Prompter:
    """Asks the tester, re-asks on an invalid answer, and records every answer durably."""

    def __init__(self, evidence_dir: Path, input: TextIO | None = None, output: TextIO | None = None, *,
                 channel: Channel | None = None) -> None:
        if channel is None:
            if input is None or output is None:
                raise ValueError("a Prompter needs a channel, or an input and an output stream")
            channel = TerminalChannel(input, output)
        self.evidence_dir = evidence_dir
        self.evidence: list[Evidence] = []
        self.step = "setup"
        self.session = str(uuid.uuid4())  # tells this run's lines from an earlier run's in the same log
        self.channel: Channel = channel
        self._log: TextIO | None = None

    # --- questions -----------------------------------------------------------------------------------------
    def ask(self, key: str, prompt: str, kind: Kind = "text", choices: tuple[str, ...] = ()) -> str:
        answer = self._read(key, prompt, kind, choices)
        self._record(Evidence(_now(), self.step, prompt, answer, key=key))
        return answer

    def act(self, key: str, instruction: str) -> None:
        self.ask(key, f"{instruction}\n  Press Enter when done", "act")

    def yes(self, key: str, prompt: str) -> bool:
        while (answer := self.ask(key, f"{prompt} [y/n]", "yes").strip().lower()) not in YES + NO:
            self.say("Please answer y or n.")
        return answer in YES

    def choice(self, key: str, prompt: str, choices: dict[str, str]) -> str:
        while (answer := self.ask(key, prompt, "choice", tuple(choices)).strip()) not in choices:
            self.say(f"Please answer one of {', '.join(choices)}.")
        return choices[answer]

    def number(self, key: str, prompt: str) -> int:
        while not (answer := self.ask(key, prompt, "number").strip()).isdigit():
            self.say("Please answer with a number.")
        return int(answer)

    def lines(self, key: str, prompt: str) -> list[str]:
        lines: list[str] = []
        while line := self.ask(key, prompt if not lines else FOLLOW, "lines").strip():
            lines.append(line)
        return lines

    def text(self, key: str, prompt: str) -> str:
        """A text of one or more lines, each kept exactly as typed (a note with a line break); empty ends."""
        lines: list[str] = []
        while line := self.ask(key, prompt if not lines else FOLLOW, "note"):
            lines.append(line)
        return "\n".join(lines)

    def day(self, key: str, prompt: str, optional: bool = False) -> str | None:
        """A date as shown (DD-MM-YYYY or YYYY-MM-DD), returned as YYYY-MM-DD."""
        while True:
            answer = self.ask(key, f"{prompt} (DD-MM-YYYY{'; empty if none' if optional else ''})", "day").strip()
            if optional and not answer:
                return None
            if (parsed := parse_day(answer)) is not None:
                return parsed
            self.say("Please type a date such as 31-12-2025.")

    def attach(self, key: str, prompt: str) -> None:
        """Ask for a file (a screenshot); copy it into the evidence with its SHA-256. Empty skips."""
        while answer := self._read(key, prompt, "file").strip():
            source = Path(answer).expanduser()
            if source.is_file():
                self._record(Evidence(_now(), self.step, prompt, answer, [self._store(source)], key))
                return
            self._record(Evidence(_now(), self.step, prompt, answer, key=key))
            self.say(f"No such file: {source}")
        self._record(Evidence(_now(), self.step, prompt, "", key=key))

    def say(self, text: str) -> None:
        self.channel.say(text)

    def notify(self, text: str) -> None:
        """Tell the tester something that happened meanwhile (from any thread): the system's first call."""
        self.channel.notify(text)

    # --- evidence -----------------------------------------------------------------------------------------
    def write_manifest(self) -> Path:
        self.evidence_dir.mkdir(parents=True, exist_ok=True)
        manifest = {"contract_version": CONTRACT_VERSION, "session": self.session, "log": EVIDENCE_LOG,
                    "evidence": [asdict(e) for e in self.evidence]}
        path = self.evidence_dir / EVIDENCE_FILE
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
        return path

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
        self.channel.close()

    def _read(self, key: str, prompt: str, kind: Kind, choices: tuple[str, ...] = ()) -> str:
        """The tester's answer to the prompt, through the channel (the terminal shows the key where the answer is
        typed: ``fgvh.state> ``)."""
        return self.channel.read(Question(key, prompt, self.step, kind, choices))

    def _record(self, evidence: Evidence) -> None:
        """Keep the answer and append it to the log on disk before anything else happens."""
        self.evidence.append(evidence)
        if self._log is None:
            self.evidence_dir.mkdir(parents=True, exist_ok=True)
            self._log = (self.evidence_dir / EVIDENCE_LOG).open("a", encoding="utf-8")
        self._log.write(json.dumps({"session": self.session, **asdict(evidence)}, ensure_ascii=False) + "\n")
        self._log.flush()
        os.fsync(self._log.fileno())
        self.channel.recorded()

    def _store(self, source: Path) -> dict[str, str]:
        self.evidence_dir.mkdir(parents=True, exist_ok=True)
        target = self.evidence_dir / f"{len(self.evidence):03d}_{source.name}"
        shutil.copyfile(source, target)
        return {"file": target.name, "sha256": hashlib.sha256(target.read_bytes()).hexdigest(), "source": str(source)}


def read_log(evidence_dir: Path) -> list[dict[str, object]]:
    """Every answer in the durable log (all sessions), e.g. to rebuild evidence after a crash."""
    path = evidence_dir / EVIDENCE_LOG
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def parse_day(text: str) -> str | None:
    for fmt in ("%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def parse_moment(text: str) -> str | None:
    """A time as shown ("DD-MM-YYYY HH:MM"), as ISO-8601 without an offset: it is what the screen showed."""
    day_part, _, clock = text.strip().partition(" ")
    day = parse_day(day_part)
    if day is None or len(clock) != 5 or clock[2] != ":" or not clock.replace(":", "").isdigit():
        return None
    return f"{day}T{clock}"


def _now() -> str:
    return datetime.now(UTC).isoformat()


