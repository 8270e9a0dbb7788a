"""Arrange MinLog2 on the mock NSP and read back what it received, in business terms."""

from __future__ import annotations

from typing import Any

from nspcert.nsp.admin import MockNspAdmin


def minlog_down(nsp: MockNspAdmin) -> str:
    """MinLog2 answers every call with HTTP 503 until :func:`minlog_back`."""
    return nsp.add_fault({"service": "minlog", "kind": "http_status", "params": {"status": 503}})


def minlog_back(nsp: MockNspAdmin, fault_id: str) -> None:
    nsp.remove_fault(fault_id)


def refuse_next_entry(nsp: MockNspAdmin) -> None:
    """The next entry MinLog2 receives is refused in FailedLogDataEntries (the rest of the batch is added)."""
    nsp.add_fault({"service": "minlog", "kind": "entry_failure", "params": {"first_entries": 1}, "times": 1})


def entries_for(nsp: MockNspAdmin, cpr: str, user_cpr: str | None = None, day: str | None = None
                ) -> list[dict[str, Any]]:
    filters = {"cpr": cpr} | ({"user": user_cpr} if user_cpr else {}) | ({"date": day} if day else {})
    return nsp.minlog_entries(**filters)
