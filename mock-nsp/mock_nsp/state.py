"""Everything the mock holds: settings, clock, CA/STS, gate, registers, faults, journal."""

from __future__ import annotations

import base64
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from mock_nsp.faults import FaultStore
from mock_nsp.journal import Filters, Journal, UnknownMark
from mock_nsp.journal_remote import RemoteJournal
from mock_nsp.registers.clock import CLOCK, Clock, state_json
from mock_nsp.registers.store import CitizenStore
from mock_nsp.security.ca import TestCA
from mock_nsp.security.dgws import DgwsGate
from mock_nsp.security.sts import Sts
from mock_nsp.services.minlog import Counted, MinlogStore
from mock_nsp.settings import RuntimeConfig, Settings
from mock_nsp.shared import RESET_TABLES, Shared, SharedList, set_kv
from nsp_vocabulary import SERVICE_MINLOG

#: the journal mark a reset leaves (what is in memory — MinLog2 entries — is restored from after it)
RESET_MARK = "mock-nsp:reset"
CONFIG = "config"
SALT = "salt"


def new_salt() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass
class MockState:
    """What one worker process holds. Everything mutable lives in `shared` (see mock_nsp/shared.py), so any
    number of workers serve one mock; the CA is on disk in the state directory; the journal is one SQLite file."""

    settings: Settings
    shared: Shared
    config: RuntimeConfig
    clock: Clock
    ca: TestCA
    sts: Sts
    gate: DgwsGate
    citizens: CitizenStore
    faults: FaultStore
    journal: Journal | RemoteJournal
    minlog: MinlogStore
    unmatched: SharedList
    ready: bool = False
    #: a private shared-state directory this process made (and removes), when none was given
    own_dir: Path | None = None
    #: the IDSAS salt (this worker's copy of the `salt` section)
    salt: str = ""

    @classmethod
    def create(cls, settings: Settings, journal: Journal | RemoteJournal | None = None) -> MockState:
        own_dir, shared = _shared_state(settings)
        clock = Clock(shared)
        ca = TestCA.load_or_create(settings.state_dir)
        journal = journal or Journal(settings.journal_path or _default_journal(settings.state_dir),
                                     settings.journal_cap)
        state = cls(settings=settings, shared=shared, config=settings.runtime.copy(), clock=clock, ca=ca,
                    sts=Sts(ca, clock), gate=DgwsGate(ca, clock), citizens=CitizenStore(shared),
                    faults=FaultStore(shared), journal=journal, minlog=MinlogStore(shared),
                    unmatched=SharedList(shared, "unmatched", 1000), own_dir=own_dir)
        state._share()
        return state

    def _share(self) -> None:
        self.shared.init(CONFIG, self.settings.runtime.to_json())
        self.shared.watch(CONFIG, lambda value: self.config.__dict__.update(_config(value).__dict__))
        self.shared.init(SALT, new_salt())
        self.shared.watch(SALT, self._load_salt)
        self.shared.sync()

    def _load_salt(self, value: Any) -> None:
        self.salt = str(value)

    def rotate_salt(self, salt: str | None) -> str:
        self.shared.put(SALT, salt or new_salt())
        return self.salt

    def update_config(self, data: dict[str, object]) -> None:
        """Apply a schema-validated partial settings update, for every worker."""
        def apply(current: Any) -> dict[str, object]:
            config = _config(current)
            config.update(data)
            return config.to_json()

        self.shared.update(CONFIG, apply)

    def reset(self) -> None:
        """Clear registers, faults, clock offset, settings and MinLog; the journal keeps its history, with a
        mark where the reset happened (MinLog2 entries are restored from after the last one on start)."""
        self.journal.mark(RESET_MARK, self.clock.now().isoformat())
        with self.shared.write() as conn:
            for table in RESET_TABLES:
                conn.execute(f"DELETE FROM {table}")
            self.citizens.clear(conn)
            self.faults.clear(conn)
            self.minlog.clear(conn)
            set_kv(conn, CONFIG, self.settings.runtime.to_json())
            set_kv(conn, CLOCK, state_json(timedelta(0), None))

    def start(self) -> None:
        """Bring back what the journal holds that the shared state does not keep across a restart (the MinLog2
        entries received since the last reset, so a killed mock loses none), then answer health checks as ready.
        Only the process that made the shared state does this; a worker of a multi-process mock finds it done."""
        if self.own_dir is not None:
            restore_minlog(self)
        self.ready = True

    def close(self) -> None:
        self.ready = False
        self.journal.close()
        self.shared.close()
        if self.own_dir is not None:
            shutil.rmtree(self.own_dir, ignore_errors=True)

    def problems(self) -> list[str]:
        """Why the mock cannot serve now (empty when it can)."""
        problems = [] if self.ready else ["starting"]
        if not self.journal.alive:
            problems.append("the journal is not recording")
        return problems


def _shared_state(settings: Settings) -> tuple[Path | None, Shared]:
    """The supervisor's shared state for a worker; a private one (in a directory to remove) for a lone process."""
    if settings.shared_state is not None:
        return None, Shared(settings.shared_state)
    own_dir = Path(tempfile.mkdtemp(prefix="mock-nsp-state-"))
    return own_dir, Shared(own_dir / "state.sqlite")


def restore_minlog(state: MockState) -> None:
    """What MinLog2 held since the last reset, rebuilt from the journal into the (fresh) shared state: the accepted
    entries, and the requests counted against the hourly limit (those of the last hour, and the violations)."""
    entries: list[dict[str, Any]] = []
    requests: list[Counted] = []
    for exchange in _minlog_since_reset(state.journal):
        summary = exchange.get("summary") or {}
        entries += [entry for entry in summary.get("minlog_entries") or [] if entry.pop("accepted", False)]
        if "minlog_limits" in summary:  # the request was counted (minlog.Minlog.handle)
            requests.append(Counted(datetime.fromisoformat(exchange["at"]), list(summary["minlog_limits"] or [])))
    state.minlog.add(entries)
    state.minlog.restore_requests(requests, state.clock.now())


def _config(value: Any) -> RuntimeConfig:
    config = RuntimeConfig()
    config.update(value)
    return config


def _minlog_since_reset(journal: Journal | RemoteJournal) -> Iterator[dict[str, Any]]:
    """Every MinLog2 exchange after the last reset mark, oldest first."""
    after: int | None = None
    while True:
        try:
            page = journal.entries(Filters(service=SERVICE_MINLOG, mark=RESET_MARK, after_id=after, limit=1000))
        except UnknownMark:  # never reset: all of the journal counts
            page = journal.entries(Filters(service=SERVICE_MINLOG, after_id=after, limit=1000))
        yield from page["entries"]
        if len(page["entries"]) < 1000:
            return
        after = page["entries"][-1]["id"]


def _default_journal(state_dir: Path | None) -> Path:
    if state_dir is not None:
        return state_dir / "journal.sqlite"
    return Path(tempfile.mkdtemp(prefix="mock-nsp-")) / "journal.sqlite"
