"""Checks of the SUT's own MinLog2 registrations (one per employee × citizen × Danish day, SPEC §6)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from nspcert.checks import require
from nspcert.nsp import wire
from nspcert.nsp.journal import Exchanges
from nspcert.schemas import minlog_schema_errors

MAX_BATCH = 500


def expect_entries(entries: list[dict[str, Any]], count: int, who: str, day: str) -> None:
    require(len(entries) == count, check="MinLog2 entries per employee × citizen × Danish day",
            expected=f"exactly {count} entry for {who} on {day}",
            received=f"{len(entries)} entries" + (f" (sequence numbers {[e.get('sequence_number') for e in entries]})"
                                                  if entries else ""),
            where=f"MinLog2 registrations received by the mock NSP for {who} on {day}")


def expect_understandable(entry: dict[str, Any], organisation_sor: str) -> None:
    require(entry.get("organisation_id") == organisation_sor and entry.get("organisation_source") == "SOR"
            and bool(entry.get("organisation_name")) and bool(entry.get("activity")),
            check="MinLog2 organisation and activity",
            expected=f"OrganisationId source SOR {organisation_sor}, an OrganisationName and an Activity",
            received={key: entry.get(key) for key in ("organisation_id", "organisation_source",
                                                      "organisation_name", "activity")},
            where=f"MinLog2 entry {entry.get('sequence_number')}")


def expect_schema_valid(calls: Exchanges) -> None:
    sent = calls.service("minlog")
    require(bool(sent), check="MinLog2 requests sent", expected="at least one AddRegistrations", received="none",
            where="minlog in the mock NSP journal")
    for call in sent:
        errors = minlog_schema_errors(call.request_body)
        require(not errors, check="MinLog2 RegistrationRequest valid against the 2025-03-12 schema",
                expected="a schema-valid request", received="; ".join(errors[:3]), where=call.where())


def expect_batches_within_limit(calls: Exchanges) -> None:
    for call in calls.service("minlog"):
        count = wire.minlog_entry_count(call.request_body)
        require(count <= MAX_BATCH, check="MinLog2 batch size", expected=f"at most {MAX_BATCH} entries a request",
                received=f"{count} entries", where=call.where())


def expect_only_refused_resent(calls: Exchanges, refused: int = 1) -> None:
    numbers = Counter(number for call in calls.service("minlog")
                      for number in wire.minlog_sequence_numbers(call.request_body))
    resent = sorted(number for number, times in numbers.items() if times > 1)
    require(len(resent) == refused and all(numbers[number] == 2 for number in resent),
            check="only refused MinLog2 entries re-sent", expected=f"{refused} entry sent twice, the rest once",
            received=f"sent more than once: {resent or 'none'} of {len(numbers)}", where="minlog in the journal")


def expect_all_logged(entries: list[dict[str, Any]], cprs: list[str]) -> None:
    logged = {entry.get("person_identifier") for entry in entries}
    missing = [cpr for cpr in cprs if cpr not in logged]
    require(not missing, check="every FSK use logged", expected=f"an entry for each of {len(cprs)} citizens",
            received=f"{len(missing)} missing, e.g. {missing[:3]}", where="MinLog2 registrations in the mock NSP")
