"""Storage adapters for the world's `Store` protocol: `memory` (embedded mode) and `postgres` (hosted mode); the
journal's adapters `sqlite_journal` and `postgres_journal`."""

from __future__ import annotations

import tempfile
from pathlib import Path


def default_journal_path(state_dir: Path | None) -> Path:
    """The embedded mode's journal when none is named: in the state directory, else in a new temporary one."""
    if state_dir is not None:
        return state_dir / "journal.sqlite"
    return Path(tempfile.mkdtemp(prefix="mock-nsp-")) / "journal.sqlite"
