"""The run directory's logs/: the embedded mock's raw journal is dropped when every scenario passed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nspcert.catalogue.fixtures.nsp import remove_journal


def test_the_journal_and_its_wal_files_are_removed(tmp_path: Path) -> None:
    journal = tmp_path / "mock-nsp-journal-main.sqlite"
    conn = sqlite3.connect(journal)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    assert {p.name for p in tmp_path.iterdir()} >= {journal.name, journal.name + "-wal"}
    conn.close()
    (tmp_path / "mock-nsp-1234.log").write_text("started\n")
    remove_journal(journal)
    assert [p.name for p in tmp_path.iterdir()] == ["mock-nsp-1234.log"]
    remove_journal(journal)  # a journal already gone is no error
