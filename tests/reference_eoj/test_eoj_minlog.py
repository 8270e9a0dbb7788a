"""MinLog2 sending: refused entries are given up visibly, a refused request blocks nothing behind it, an
outage counts no attempt, and the background sending keeps ≤ 20 requests an hour by the EOJ's clock."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from eoj_fake_nsp import FakeNsp
from eoj_support import EojFactory

import nsp_vocabulary as v
from nspcert.driver.contract import DriverError
from reference_eoj.app import _flush_loop
from reference_eoj.minlog_budget import RequestBudget
from reference_eoj.service import ReferenceEoj
from reference_eoj.users import Employee


def queue(eoj: ReferenceEoj, n: int) -> list[str]:
    """``n`` entries (n employees on one citizen), their sequence numbers in queue order."""
    for i in range(n):
        eoj._log_use(Employee(f"{i:010d}", "A", "B", "", "", "1", "Org"), "0101601234",
                     datetime(2025, 5, 1, 10, tzinfo=UTC))
    return [e.sequence_number for e in eoj.queue.pending()]


def test_an_entry_refused_five_times_is_given_up_and_reported(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, eoj = make_eoj()
    refused, good = queue(eoj, 2)
    fake_nsp.minlog_refuse.add(refused)
    answers = [driver.flush_minlog() for _ in range(6)]
    assert [(a.sent, a.failed, a.queued, a.given_up) for a in answers] == [
        (1, 1, 1, 0), (0, 1, 1, 0), (0, 1, 1, 0), (0, 1, 1, 0), (0, 1, 0, 1), (0, 0, 0, 1)]
    sent = [d.findtext("SequenceNumber") for d in fake_nsp.minlog_entries()]
    assert sent.count(refused) == 5 and sent.count(good) == 1  # given up: not sent a sixth time


def test_a_refused_request_counts_attempts_and_blocks_nothing_behind_it(make_eoj: EojFactory,
                                                                         fake_nsp: FakeNsp) -> None:
    driver, eoj = make_eoj(minlog_batch_size=1)
    poisoned, *others = queue(eoj, 3)
    fake_nsp.minlog_poison.add(poisoned)
    first = driver.flush_minlog()
    assert (first.sent, first.failed, first.queued, first.given_up) == (2, 1, 1, 0)
    answers = [driver.flush_minlog() for _ in range(5)]
    assert (answers[3].queued, answers[3].given_up) == (0, 1) and answers[4].sent == 0
    requests = [[d.findtext("SequenceNumber") for d in c.body.iter("Destination")] for c in fake_nsp.calls(v.PATH_MINLOG)]
    assert requests == [[poisoned], *[[s] for s in others], *[[poisoned]] * 4]


def test_an_outage_counts_no_attempt(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, eoj = make_eoj(minlog_batch_size=1)
    queue(eoj, 2)
    fake_nsp.down.add(v.PATH_MINLOG)
    answers = [driver.flush_minlog() for _ in range(7)]
    assert {(a.sent, a.queued, a.given_up) for a in answers} == {(0, 2, 0)}
    assert len(fake_nsp.calls(v.PATH_MINLOG)) == 7  # the first batch fails: the second is not tried
    fake_nsp.down.clear()
    assert driver.flush_minlog().sent == 2


def test_the_eojs_budget_is_minlog2s_20_requests_an_hour_kept_in_its_state_dir(make_eoj: EojFactory,
                                                                                 fake_nsp: FakeNsp) -> None:
    """The EOJ's own setting and database (the catalogue judges the budget through ``POST /sut/minlog/background``,
    FSK-SIT-LOG-11; that the count survives a restart it cannot see)."""
    _, eoj = make_eoj(minlog_batch_size=1)
    assert eoj.minlog_budget.remaining() == 20
    queue(eoj, 21)
    assert eoj.minlog_background().sent == 20
    assert (eoj.minlog_background().sent, eoj.queue.count()) == (0, 1)
    kept = eoj.db.execute("SELECT COUNT(*) FROM minlog_requests").fetchone()[0]
    assert kept == 20, "the requests sent are counted in the EOJ's database, so a restart gives no fresh hour"


def test_the_background_round_keeps_the_hourly_budget(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    _, eoj = make_eoj(minlog_batch_size=1)
    clock = [0.0]
    eoj.minlog_budget = RequestBudget(2, 3600, lambda: clock[0])
    queue(eoj, 3)
    assert eoj.minlog_background().sent == 2
    assert (eoj.minlog_background().sent, eoj.queue.count()) == (0, 1)
    clock[0] = 3600.5
    assert eoj.minlog_background().sent == 1
    assert len(fake_nsp.calls(v.PATH_MINLOG)) == 3


def test_an_explicit_flush_sends_everything_but_counts_against_the_hour(make_eoj: EojFactory,
                                                                        fake_nsp: FakeNsp) -> None:
    driver, eoj = make_eoj(minlog_batch_size=1)
    eoj.minlog_budget = RequestBudget(2, 3600, lambda: 0.0)
    queue(eoj, 3)
    assert driver.flush_minlog().sent == 3
    assert eoj.minlog_budget.remaining() == 0


def test_the_background_loop_sends_no_more_than_the_budget(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    _, eoj = make_eoj(minlog_batch_size=1)
    eoj.minlog_budget = RequestBudget(2, 3600)
    queue(eoj, 5)
    stop = threading.Event()
    loop = threading.Thread(target=_flush_loop, args=(eoj, 0.01, stop))
    loop.start()
    try:
        stop.wait(0.5)
    finally:
        stop.set()
        loop.join(5)
    assert len(fake_nsp.calls(v.PATH_MINLOG)) == 2 and eoj.queue.count() == 3


def test_the_budget_is_kept_in_its_database_for_the_next_process(tmp_path: Path) -> None:
    clock = [1000.0]
    first = sqlite3.connect(tmp_path / "eoj.sqlite3")
    budget = RequestBudget(2, 3600, lambda: clock[0], db=first)
    budget.spend()
    budget.spend()
    first.close()
    again = RequestBudget(2, 3600, lambda: clock[0], db=sqlite3.connect(tmp_path / "eoj.sqlite3"))
    assert again.remaining() == 0
    clock[0] += 3600.5
    assert again.remaining() == 2


@pytest.mark.parametrize(("per_window", "window"), [(-1, 3600.0), (20, 0.0)])
def test_a_budget_without_sense_is_refused(per_window: int, window: float) -> None:
    with pytest.raises(ValueError, match="request budget"):
        RequestBudget(per_window, window)


def test_the_budget_counts_by_the_eojs_clock_an_hour_later_frees_it(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    """``PUT /sut/clock`` moves the budget's hour: the catalogue's "an hour later" frees it (FSK-SIT-LOG-11)."""
    driver, eoj = make_eoj(minlog_batch_size=1, minlog_requests_per_hour=2)
    start = datetime(2025, 3, 4, 9, tzinfo=UTC)
    driver.set_clock(start)
    queue(eoj, 3)
    answers = [driver.minlog_background() for _ in range(3)]
    assert [(a.sent, a.queued) for a in answers] == [(2, 1), (0, 1), (0, 1)]
    driver.set_clock(start + timedelta(minutes=59))
    assert driver.minlog_background().sent == 0
    driver.set_clock(start + timedelta(hours=1, minutes=1))
    assert (driver.minlog_background().sent, eoj.queue.count()) == (1, 0)
    assert len(fake_nsp.calls(v.PATH_MINLOG)) == 3


def test_setting_the_clock_back_frees_nothing_and_reset_forgets_the_requests(make_eoj: EojFactory,
                                                                            fake_nsp: FakeNsp) -> None:
    driver, eoj = make_eoj(minlog_batch_size=1, minlog_requests_per_hour=2)
    driver.set_clock(datetime(2025, 3, 4, 9, tzinfo=UTC))
    queue(eoj, 3)
    assert driver.minlog_background().sent == 2
    driver.set_clock(datetime(2025, 3, 4, 7, tzinfo=UTC))
    assert (driver.minlog_background().sent, eoj.minlog_budget.remaining()) == (0, 0)
    driver.reset()
    assert eoj.minlog_budget.remaining() == 2


def test_the_no_budget_defect_sends_every_round(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, eoj = make_eoj("minlog-no-budget", minlog_batch_size=1, minlog_requests_per_hour=2)
    queue(eoj, 3)
    assert driver.minlog_background().sent == 3
    assert len(fake_nsp.calls(v.PATH_MINLOG)) == 3


def test_an_unclaimed_background_round_is_501(make_eoj: EojFactory) -> None:
    driver, _ = make_eoj(capabilities=("minlog", "clock"))
    with pytest.raises(DriverError, match="501"):
        driver.minlog_background()
