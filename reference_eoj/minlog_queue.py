"""The durable MinLog2 queue (SQLite, WAL): survives a restart and a MinLog outage.

One entry per employee × citizen × day key (the key table makes the rule hold across restarts); batches
of at most ``batch_size``; after a partial failure only the failed sequence numbers stay queued.

Two kinds of failure are told apart. An *outage* (no usable answer: refused, timeout, HTTP 5xx without a
SOAP fault) stops the flush and keeps everything queued without counting an attempt: nothing is lost
however long MinLog2 is down. A *refusal* (MinLog2 answered: a failed entry, or a SOAP fault for the whole
request, e.g. a schema rejection) counts an attempt for each entry concerned, and the flush goes on with
the next batch so one poisoned batch blocks nothing behind it. An entry refused ``max_attempts`` times is
*given up*: kept in the database, no longer sent, and counted in every flush answer (``given_up``) until a
person deals with it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from reference_eoj.defects import Defect, Defects
from reference_eoj.nsp.minlog import LogEntry, RegistrationResult
from reference_eoj.nsp.soap import NspError, SoapFault

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS minlog_queue (
  seq TEXT PRIMARY KEY, entry TEXT NOT NULL, created REAL NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'pending', last_error TEXT);
CREATE TABLE IF NOT EXISTS minlog_days (
  user_cpr TEXT NOT NULL, citizen_cpr TEXT NOT NULL, day TEXT NOT NULL, seq TEXT NOT NULL,
  PRIMARY KEY (user_cpr, citizen_cpr, day));
"""


@dataclass(frozen=True)
class Flushed:
    sent: int
    failed: int
    queued: int
    given_up: int = 0


class MinLogQueue:
    def __init__(self, db: sqlite3.Connection, defects: Defects, batch_size: int = 500, max_attempts: int = 5) -> None:
        self._db, self._defects = db, defects
        self._batch_size, self._max_attempts = batch_size, max_attempts
        db.executescript(_SCHEMA)

    def record(self, entry: LogEntry, day: date, once_a_day: bool = True) -> bool:
        """Queue ``entry`` unless this employee × citizen × day is already logged; True when queued."""
        with self._db:
            if once_a_day:
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO minlog_days VALUES (?, ?, ?, ?)",
                    (entry.user_cpr, entry.citizen_cpr, day.isoformat(), entry.sequence_number))
                if cursor.rowcount == 0:
                    return False
            self._db.execute("INSERT INTO minlog_queue (seq, entry, created) VALUES (?, ?, ?)",
                             (entry.sequence_number, json.dumps(entry.to_json()), time.time()))
        return True

    def pending(self) -> list[LogEntry]:
        rows = self._db.execute("SELECT entry FROM minlog_queue WHERE status = 'pending' ORDER BY created, rowid")
        return [LogEntry.from_json(json.loads(row[0])) for row in rows]

    def count(self, status: str = "pending") -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM minlog_queue WHERE status = ?", (status,)).fetchone()[0])

    def clear(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM minlog_queue")
            self._db.execute("DELETE FROM minlog_days")

    def flush(self, send: Callable[[list[LogEntry]], RegistrationResult], max_requests: int | None = None) -> Flushed:
        """Send pending entries batch by batch (at most ``max_requests`` requests); an outage stops the flush."""
        sent = failed = 0
        for batch in self._batches(self.pending())[:max_requests]:
            try:
                result = send(batch)
            except SoapFault as exc:  # MinLog2 answered, refusing the whole request
                self._refused(batch, exc)
                failed += len(batch)
                continue
            except NspError as exc:  # no usable answer: MinLog2 is down, the rest would fail too
                self._outage(batch, exc)
                break
            sent += len(batch) - len(result.failed)
            failed += len(result.failed)
            self._settle(batch, result)
        return Flushed(sent=sent, failed=failed, queued=self.count(), given_up=self.count("dead"))

    def _batches(self, entries: list[LogEntry]) -> list[list[LogEntry]]:
        if Defect.MINLOG_OVERSIZED_BATCH in self._defects:
            return [entries] if entries else []
        size = 1 if Defect.MINLOG_ONE_REQUEST_PER_ENTRY in self._defects else self._batch_size
        return [entries[i:i + size] for i in range(0, len(entries), size)]

    def _outage(self, batch: list[LogEntry], exc: NspError) -> None:
        log.warning("MinLog2 unavailable, %d entries stay queued: %s", len(batch), exc.detail)
        if Defect.MINLOG_DROP_ON_OUTAGE in self._defects:
            self._drop(batch)
            return
        with self._db:
            self._db.executemany("UPDATE minlog_queue SET last_error = ? WHERE seq = ?",
                                 [(exc.detail, e.sequence_number) for e in batch])

    def _refused(self, batch: list[LogEntry], exc: SoapFault) -> None:
        log.warning("MinLog2 refused a request of %d entries: %s", len(batch), exc.detail)
        if Defect.MINLOG_DROP_ON_OUTAGE in self._defects:
            self._drop(batch)
            return
        self._count_attempts({e.sequence_number: exc.detail for e in batch})

    def _settle(self, batch: list[LogEntry], result: RegistrationResult) -> None:
        keep_all = bool(result.failed) and Defect.MINLOG_RESEND_ALL in self._defects
        done = [e for e in batch if e.sequence_number not in result.failed and not keep_all]
        self._drop(done)
        self._count_attempts(result.failed)

    def _drop(self, entries: list[LogEntry]) -> None:
        with self._db:
            self._db.executemany("DELETE FROM minlog_queue WHERE seq = ?", [(e.sequence_number,) for e in entries])
            if Defect.MINLOG_ONCE_PER_QUEUE in self._defects:  # forgets the day's use once its entry has left
                self._db.executemany("DELETE FROM minlog_days WHERE seq = ?", [(e.sequence_number,) for e in entries])

    def _count_attempts(self, errors: dict[str, str]) -> None:
        """One more refusal for each entry; an entry refused ``max_attempts`` times is given up."""
        limit = 2**31 if Defect.MINLOG_RETRY_FOREVER in self._defects else self._max_attempts
        with self._db:
            for seq, error in errors.items():
                self._db.execute(
                    "UPDATE minlog_queue SET attempts = attempts + 1, last_error = ?, "
                    "status = CASE WHEN attempts + 1 >= ? THEN 'dead' ELSE 'pending' END WHERE seq = ?",
                    (error, limit, seq))
        for seq in self._dead(errors):
            log.error("MinLog2 entry %s given up after %d refusals", seq, self._max_attempts)

    def _dead(self, seqs: dict[str, str]) -> list[str]:
        rows = self._db.execute("SELECT seq FROM minlog_queue WHERE status = 'dead'").fetchall()
        return [r[0] for r in rows if r[0] in seqs]
