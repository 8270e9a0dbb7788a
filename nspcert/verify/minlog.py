"""Checks of the SUT's own MinLog2 registrations (one per employee × citizen × Danish day, SPEC §6)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import nsp_vocabulary as v
from nspcert.act.minlog_ops import names_user
from nspcert.checks import require
from nspcert.driver.contract import Employee, FlushResult
from nspcert.nsp import wire
from nspcert.nsp.journal import Exchanges
from nspcert.schemas import minlog_schema_errors
from nspcert.verify.identity import count

MAX_BATCH = v.MINLOG_MAX_ENTRIES_PER_REQUEST
MAX_AN_HOUR = v.MINLOG_MAX_REQUESTS_PER_HOUR
HOUR = timedelta(hours=1)
BUDGET = "FSK-SIT-LOG-11"
DANISH = ZoneInfo(v.DANISH_TZ)


def expect_entries(entries: list[dict[str, Any]], count: int, who: str, day: str) -> None:
    require(len(entries) == count, check="MinLog2 entries per employee × citizen × Danish day",
            expected=f"exactly {count} entry for {who} on {day}",
            received=f"{len(entries)} entries" + (f" (sequence numbers {[e.get('sequence_number') for e in entries]})"
                                                  if entries else ""),
            where=f"MinLog2 registrations received by the mock NSP for {who} on {day}")


def organisation_ids(employee: Employee, entry: dict[str, Any]) -> dict[str, str]:
    """MinLog2 ``OrganisationId`` source → the value naming the employee's organisation by it (2025-03-12 schema,
    ``OrganisationIdSourcePredefinedType``): the unit's SOR code or ydernummer, or the CVR of the ID card the
    system sent the entry with (its organisation as the platform knows it)."""
    ids = {"SOR": employee.sor_code, "YDER": employee.yder_number, "CVR": str(entry.get("caller_cvr") or "")}
    return {source: value for source, value in ids.items() if value}


def expect_understandable(entries: list[dict[str, Any]], employee: Employee, who: str) -> None:
    """Every entry of the employee names the organisation (by one of its identifiers, with an OrganisationName) and an
    activity; there must be an entry to judge."""
    require(bool(entries), check="MinLog2 entries to judge", expected=f"at least one entry for {who}",
            received=count(entries), where=f"MinLog2 registrations received by the mock NSP for {who}")
    for entry in entries:
        accepted = organisation_ids(employee, entry)
        source = str(entry.get("organisation_source"))
        require(accepted.get(source) == entry.get("organisation_id")
                and bool(entry.get("organisation_name")) and bool(entry.get("activity")),
                check="MinLog2 organisation and activity",
                expected="OrganisationId " + " or ".join(f"source {k} {val}" for k, val in accepted.items())
                         + ", an OrganisationName and an Activity",
                received={key: entry.get(key) for key in ("organisation_id", "organisation_source",
                                                          "organisation_name", "activity")},
                where=f"MinLog2 entry {entry.get('sequence_number')}")


def expect_schema_valid(calls: Exchanges) -> None:
    sent = calls.service("minlog")
    require(bool(sent), check="MinLog2 requests sent", expected="at least one AddRegistrations", received=count(sent),
            where="minlog in the mock NSP journal")
    for call in sent:
        errors = minlog_schema_errors(call.request_body)
        require(not errors, check="MinLog2 RegistrationRequest valid against the 2025-03-12 schema",
                expected="a schema-valid request", received="; ".join(errors[:3]) or "schema-valid",
                where=call.where())


def expect_batches_within_limit(calls: Exchanges) -> None:
    _sent(calls, "batch sizes")
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
            received=f"entries for {len(cprs) - len(missing)} of {len(cprs)} citizens"
                     + (f", {len(missing)} missing, e.g. {missing[:3]}" if missing else ""),
            where="MinLog2 registrations in the mock NSP")


def expect_seen_by_citizen(entries: list[dict[str, Any]], employee: Employee, citizen_cpr: str) -> None:
    """The citizen's MinLog view of today: the use named by the employee's organisation *and* the employee."""
    named = [entry for entry in entries if entry.get("organisation_name") == employee.organisation_name
             and names_user(entry, employee)]
    seen = [{key: entry.get(key) for key in ("organisation_name", "user_person_identifier", "user_person_name")}
            for entry in entries]
    require(len(named) == 1, check="the citizen's MinLog view of who used their data",
            expected=f"one entry today naming {employee.organisation_name} and the employee {employee.full_name} "
                     f"(CPR {employee.cpr} or authorisation {employee.authorisation_id})",
            received=seen or "no entries", where=f"MinLog2 registrations for citizen {citizen_cpr} today")


def _sent(calls: Exchanges, what: str) -> list[list[str]]:
    """The sequence numbers of every MinLog2 request; at least one request, or there is nothing to judge."""
    requests = [wire.minlog_sequence_numbers(call.request_body) for call in calls.service("minlog")]
    require(bool(requests), check=f"MinLog2 requests sent ({what})", expected="at least one AddRegistrations request",
            received=count(requests), where="minlog in the mock NSP journal")
    return requests


def expect_gave_up(calls: Exchanges, attempts: int) -> None:
    """An entry MinLog refuses every time is sent at most ``attempts`` times, then set aside (not re-sent for ever);
    the scenario delivers more often than that, so a SUT without a bound sends it more often."""
    sent = Counter(number for numbers in _sent(calls, "retries") for number in numbers)
    most = max(sent.values(), default=0)
    require(0 < most <= attempts, check="MinLog2 retries of a refused entry are bounded",
            expected=f"the refused entry sent at most {attempts} times", received=f"sent {most} times",
            where="minlog in the mock NSP journal")


def expect_one_request_for(calls: Exchanges, entries: int) -> None:
    """Entries waiting together go in one request (at most 500 a request, at most 20 requests an hour). Only the
    requests MinLog2 answered count: those the scenario's outage refused carried nothing MinLog2 received."""
    _sent(calls, "one delivery")
    requests = [wire.minlog_sequence_numbers(call.request_body) for call in calls.service("minlog")
                if call.status == 200 and not call.fault]
    require(len(requests) == 1 and len(requests[0]) == entries, check="MinLog2 entries sent together",
            expected=f"1 AddRegistrations request MinLog2 answered, carrying the {entries} entries",
            received=f"{len(requests)} answered requests carrying {[len(numbers) for numbers in requests]} entries",
            where="minlog in the mock NSP journal")


def _entries_to_judge(entries: list[dict[str, Any]], who: str) -> None:
    require(bool(entries), check="MinLog2 entries to judge", expected=f"at least one entry for {who}",
            received=count(entries), where=f"MinLog2 registrations received by the mock NSP for {who}")


def _instant(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


#: how long after the look its entry's time may lie (the scenario's own steps take seconds, not minutes)
USE_TOLERANCE = timedelta(minutes=10)


def expect_time_of_use(entries: list[dict[str, Any]], looked_at: datetime, who: str) -> None:
    """FSK-SIT-LOG-14: the entry's time is when the employee used the data (DateTime, or a FromDateTime–ToDateTime
    interval holding it), not when the SUT delivered the entry."""
    _entries_to_judge(entries, who)
    for entry in entries:
        at, start, end = (_instant(entry.get(k)) for k in ("date_time", "from_date_time", "to_date_time"))
        if at is not None:
            right = looked_at <= at <= looked_at + USE_TOLERANCE
        else:
            right = start is not None and end is not None and start <= looked_at + USE_TOLERANCE and end >= looked_at
        shown = entry.get("date_time") or f"{entry.get('from_date_time')} – {entry.get('to_date_time')}"
        require(right, check="MinLog2 time of use", expected=f"the time of the look, {looked_at.isoformat()} (within "
                f"{int(USE_TOLERANCE.total_seconds() // 60)} minutes)", received=shown,
                where=f"MinLog2 entry {entry.get('sequence_number')}")


def expect_on_behalf_of(entries: list[dict[str, Any]], employee: Employee, professional: Employee, who: str) -> None:
    """FSK-SIT-LOG-15: an employee acting on behalf of an authorised professional is the user of the entry, and the
    professional is named in OnBehalfOfPersonIdentifier (by CPR or authorisation id, with its source)."""
    _entries_to_judge(entries, who)
    allowed = {("CPR", professional.cpr)} | ({("Autorisation", professional.authorisation_id)}
                                             if professional.authorisation_id else set())
    for entry in entries:
        named = (entry.get("on_behalf_of_source"), entry.get("on_behalf_of_person_identifier"))
        require(named in allowed and entry.get("user_person_identifier") in (employee.cpr, employee.authorisation_id),
                check="MinLog2 entry on behalf of an authorised professional",
                expected=f"UserPersonIdentifier {employee.cpr} ({employee.full_name}) and OnBehalfOfPersonIdentifier "
                         f"naming {professional.full_name}: source CPR {professional.cpr}"
                         + (f" or source Autorisation {professional.authorisation_id}"
                            if professional.authorisation_id else ""),
                received=f"UserPersonIdentifier {entry.get('user_person_identifier')}, OnBehalfOfPersonIdentifier "
                         f"{named[1] or '(none)'}" + (f" (source {named[0]})" if named[0] else ""),
                where=f"MinLog2 entry {entry.get('sequence_number')}")


#: MinLog2 ``Addition`` values of a consent override, and words of the blocking (spærring) retired on 1 Dec 2024
CONSENT_OVERRIDE = ("samtykke", "værdispring", "spærring")


def expect_no_consent_override(entries: list[dict[str, Any]], who: str) -> None:
    """FSK-SIT-LOG-16: FSK can no longer be blocked, so no entry records a consent override or a 'værdispring'
    (Addition Samtykke/Værdispring, or such words in the activity or reason)."""
    _entries_to_judge(entries, who)
    for entry in entries:
        said = {key: entry.get(key) for key in ("addition", "activity", "reason") if entry.get(key)}
        found = [word for word in CONSENT_OVERRIDE for value in said.values() if word in str(value).casefold()]
        require(not found, check="no consent override or 'værdispring' in MinLog2",
                expected="no Addition Samtykke or Værdispring, no blocking or consent words (blocking ended "
                         "1 December 2024)", received=said, where=f"MinLog2 entry {entry.get('sequence_number')}")


def busiest_hour(times: list[datetime]) -> tuple[int, datetime | None]:
    """The most requests in any hour [t, t + 1 h) that starts at a request, and when that hour starts."""
    ordered = sorted(times)
    most, start = 0, None
    for i, first in enumerate(ordered):
        within = sum(1 for later in ordered[i:] if later < first + HOUR)
        if within > most:
            most, start = within, first
    return most, start


def expect_hourly_budget(calls: Exchanges) -> None:
    """FSK-SIT-LOG-11: at most 20 AddRegistrations requests in any hour, by the platform's clock (which the scenario
    moves with the system's). Fewer, or none, is not wrong: the pace is the system's own."""
    sent = calls.service("minlog")
    times = [call.at for call in sent]
    untimed = [call.where() for call, at in zip(sent, times, strict=True) if at is None]
    if untimed:  # the mock's journal broke: a harness error, never the system's fail
        raise LookupError(f"the mock NSP journal gives no time for {', '.join(untimed)}")
    most, start = busiest_hour([at for at in times if at is not None])
    busiest = f", {most} in the hour from {start.astimezone(DANISH).isoformat(timespec='seconds')}" if start else ""
    require(most <= MAX_AN_HOUR, check="MinLog2 requests an hour", requirement=BUDGET,
            expected=f"at most {MAX_AN_HOUR} AddRegistrations requests in any hour",
            received=f"{len(sent)} requests in all{busiest}",
            where="minlog in the mock NSP journal (times by the platform's clock)")


def expect_rest_still_queued(entries: list[dict[str, Any]], cprs: list[str], last_round: FlushResult) -> None:
    """FSK-SIT-LOG-11: what the budget held back is not lost: every look MinLog2 has no entry for is still waiting in
    the system (its last background round's ``queued``)."""
    logged = {entry.get("person_identifier") for entry in entries}
    missing = [cpr for cpr in cprs if cpr not in logged]
    require(last_round.queued >= len(missing), check="MinLog2 entries held back stay queued", requirement=BUDGET,
            expected=f"the {len(missing)} looks MinLog2 has no entry for still waiting in the system",
            received=f"MinLog2 holds entries for {len(cprs) - len(missing)} of {len(cprs)} citizens; the system's "
                     f"last background round: {last_round.sent} sent, {last_round.failed} failed, "
                     f"{last_round.queued} queued, {last_round.given_up} given up",
            where="MinLog2 registrations in the mock NSP, and the system's answer to its last background round "
                  "(POST /sut/minlog/background)")
