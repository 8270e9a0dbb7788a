"""Everything the mock holds: settings, clock, CA/STS, gate, registers, faults, journal."""

from __future__ import annotations

import base64
import secrets
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mock_nsp.faults import FaultStore
from mock_nsp.journal import Journal
from mock_nsp.registers.citizens import CitizenStore
from mock_nsp.registers.clock import Clock
from mock_nsp.security.ca import TestCA
from mock_nsp.security.dgws import DgwsGate
from mock_nsp.security.sts import Sts
from mock_nsp.services.minlog import MinlogStore
from mock_nsp.settings import RuntimeConfig, Settings


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
        """Clear registers, faults, clock offset, settings and MinLog; the journal keeps its history."""
        self.citizens.clear()
        self.faults.clear()
        self.clock.reset()
        self.config.__dict__.update(self.settings.runtime.copy().__dict__)
        self.minlog.clear()
        self.unmatched.clear()


def _default_journal(state_dir: Path | None) -> Path:
    if state_dir is not None:
        return state_dir / "journal.sqlite"
    return Path(tempfile.mkdtemp(prefix="mock-nsp-")) / "journal.sqlite"
