"""Everything the mock holds: settings, clock, CA/STS, gate, registers, faults, journal."""

from __future__ import annotations

import base64
import secrets
import tempfile
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mock_nsp.faults import FaultStore
from mock_nsp.journal import Filters, Journal, UnknownMark
from mock_nsp.registers.citizens import CitizenStore
from mock_nsp.registers.clock import Clock
from mock_nsp.security.ca import TestCA
from mock_nsp.security.dgws import DgwsGate
from mock_nsp.security.sts import Sts
from mock_nsp.services.minlog import MinlogStore
from mock_nsp.settings import RuntimeConfig, Settings
from nspcert.vocabulary import SERVICE_MINLOG

#: the journal mark a reset leaves (what is in memory — MinLog2 entries — is restored from after it)
RESET_MARK = "mock-nsp:reset"


def new_salt() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass
class MockState:
    settings: Settings
    config: RuntimeConfig
    clock: Clock
    ca: TestCA
    sts: Sts
    gate: DgwsGate
    citizens: CitizenStore
    faults: FaultStore
    journal: Journal
    minlog: MinlogStore
    salt: str = field(default_factory=new_salt)
    unmatched: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=1000))
    ready: bool = False

    @classmethod
    def create(cls, settings: Settings) -> MockState:
        clock = Clock()
        ca = TestCA.load_or_create(settings.state_dir)
        journal_path = settings.journal_path or _default_journal(settings.state_dir)
        return cls(
            settings=settings, config=settings.runtime.copy(), clock=clock, ca=ca, sts=Sts(ca, clock),
            gate=DgwsGate(ca, clock), citizens=CitizenStore(), faults=FaultStore(),
            journal=Journal(journal_path, settings.journal_cap), minlog=MinlogStore(),
        )

    def reset(self) -> None:
        """Clear registers, faults, clock offset, settings and MinLog; the journal keeps its history, with a
        mark where the reset happened (MinLog2 entries are restored from after the last one on start)."""
        self.journal.mark(RESET_MARK, self.clock.now().isoformat())
        self.citizens.clear()
        self.faults.clear()
        self.clock.reset()
        self.config.__dict__.update(self.settings.runtime.copy().__dict__)
        self.minlog.clear()
        self.unmatched.clear()


    def start(self) -> None:
        """Bring back what the journal holds that lives in memory (the MinLog2 entries received since the last
        reset, so a killed mock loses none), then answer health checks as ready."""
        self.minlog.add(list(_minlog_since_reset(self.journal)))
        self.ready = True

    def problems(self) -> list[str]:
        """Why the mock cannot serve now (empty when it can)."""
        problems = [] if self.ready else ["starting"]
        if not self.journal.alive:
            problems.append("the journal is not recording")
        return problems


def _minlog_since_reset(journal: Journal) -> Iterator[dict[str, Any]]:
    """The accepted entries of every MinLog2 exchange after the last reset mark, oldest first."""
    after: int | None = None
    while True:
        try:
            page = journal.entries(Filters(service=SERVICE_MINLOG, mark=RESET_MARK, after_id=after, limit=1000))
        except UnknownMark:  # never reset: all of the journal counts
            page = journal.entries(Filters(service=SERVICE_MINLOG, after_id=after, limit=1000))
        for exchange in page["entries"]:
            for entry in exchange.get("summary", {}).get("minlog_entries") or []:
                if entry.pop("accepted", False):
                    yield entry
        if len(page["entries"]) < 1000:
            return
        after = page["entries"][-1]["id"]


def _default_journal(state_dir: Path | None) -> Path:
    if state_dir is not None:
        return state_dir / "journal.sqlite"
    return Path(tempfile.mkdtemp(prefix="mock-nsp-")) / "journal.sqlite"
