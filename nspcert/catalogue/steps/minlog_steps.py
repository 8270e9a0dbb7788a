"""Steps about the SUT's own logging of FSK use to MinLog2."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_bdd import given, parsers, then, when

from nspcert.act import minlog_ops
from nspcert.act.actors import LoggedInEmployee
from nspcert.arrange.people import Citizen, People
from nspcert.arrange.registers import danish_now
from nspcert.driver.contract import FlushResult, SutDriver
from nspcert.nsp.admin import MockNspAdmin
from nspcert.nsp.journal import Exchanges
from nspcert.verify import minlog

ROLE = r"(?P<role>nurse|doctor|care worker)"


@pytest.fixture
def looked_at() -> list[str]:
    """CPRs of the citizens looked at in bulk during the scenario."""
    return []


@pytest.fixture
def background_rounds() -> list[FlushResult]:
    """The answers of the rounds of the system's own background MinLog2 sending during the scenario, in order."""
    return []


@pytest.fixture
def minlog_outage() -> dict[str, str]:
    return {}


@pytest.fixture
def minlog_calls(nsp: MockNspAdmin, request: pytest.FixtureRequest) -> Exchanges:
    """The MinLog2 requests the SUT sent in this scenario (only those: a backlog brings a thousand FSK reads)."""
    return Exchanges(nsp.journal(mark=request.node.nodeid, service="minlog"))


@given(parsers.parse("{count:d} citizens the nurse has looked at while MinLog was down"))
def _(count: int, people: People, nsp: MockNspAdmin, driver: SutDriver, employee: LoggedInEmployee,
      looked_at: list[str], evidence_services: set[str]) -> None:
    evidence_services.add("minlog")  # the requirement is about the MinLog requests, not the FSK reads set up here
    outage = minlog_ops.minlog_down(nsp)
    looked_at += minlog_ops.look_at(nsp, driver, employee, [people.citizen(age=50) for _ in range(count)])
    driver.flush_minlog()
    minlog_ops.minlog_back(nsp, outage)


@given(parsers.parse("{count:d} citizens the nurse has looked at"))
def _(count: int, people: People, nsp: MockNspAdmin, driver: SutDriver, employee: LoggedInEmployee,
      looked_at: list[str]) -> None:
    looked_at += minlog_ops.look_at(nsp, driver, employee, [people.citizen(age=50) for _ in range(count)])


@when(parsers.parse("the nurse looks at {count:d} citizens one after another, the system sending MinLog entries on its "
                    "own after each look"))
def _(count: int, people: People, nsp: MockNspAdmin, driver: SutDriver, employee: LoggedInEmployee,
      looked_at: list[str], background_rounds: list[FlushResult], evidence_services: set[str]) -> None:
    evidence_services.add("minlog")  # the requirement is about the MinLog requests, not the FSK reads of the looks
    citizens = [people.citizen(age=50) for _ in range(count)]
    background_rounds += minlog_ops.look_at_sending_on_its_own(nsp, driver, employee, citizens)
    looked_at += [citizen.cpr for citizen in citizens]


@when("the system sends its MinLog entries on its own")
def _(driver: SutDriver, background_rounds: list[FlushResult]) -> None:
    background_rounds.append(minlog_ops.sends_on_its_own(driver))


@given("MinLog refuses the next entry it receives")
def _(nsp: MockNspAdmin) -> None:
    minlog_ops.refuse_next_entry(nsp)


@given("MinLog refuses the citizen's entry every time")
def _(nsp: MockNspAdmin) -> None:
    minlog_ops.refuse_every_first_entry(nsp)


@given("MinLog is down")
def _(nsp: MockNspAdmin, minlog_outage: dict[str, str]) -> None:
    minlog_outage["fault"] = minlog_ops.minlog_down(nsp)


@when("MinLog is back")
def _(nsp: MockNspAdmin, minlog_outage: dict[str, str]) -> None:
    minlog_ops.minlog_back(nsp, minlog_outage["fault"])


@when(parsers.re(r"the system delivers its MinLog entries( (?P<times>\d+) times)?"))
def _(times: str | None, driver: SutDriver) -> None:
    for _ in range(int(times or 1)):
        driver.flush_minlog()


@then(parsers.re(rf'MinLog holds 1 entry for the {ROLE} and the citizen (?P<day>today|on "[\d-]+")'))
def _(role: str, day: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, nsp: MockNspAdmin) -> None:
    date = danish_now().date().isoformat() if day == "today" else day.split('"')[1]
    user = staff[role].employee
    entries = minlog_ops.entries_for(nsp, citizen.cpr, user, date)
    minlog.expect_entries(entries, 1, f"{role} {user.full_name} and citizen {citizen.cpr}", date)


@then(parsers.re(rf"the entry names the {ROLE}'s organisation and an activity the citizen understands"))
def _(role: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, nsp: MockNspAdmin) -> None:
    user = staff[role].employee
    minlog.expect_understandable(minlog_ops.entries_for(nsp, citizen.cpr, user), user,
                                 f"{role} {user.full_name} and citizen {citizen.cpr}")


@then("every MinLog request the system sent is valid against the MinLog2 schema")
def _(minlog_calls: Exchanges) -> None:
    minlog.expect_schema_valid(minlog_calls)


@then("no MinLog request carried more than 500 entries")
def _(minlog_calls: Exchanges) -> None:
    minlog.expect_batches_within_limit(minlog_calls)


@then(parsers.parse("MinLog holds an entry for each of the {count:d} citizens"))
def _(count: int, looked_at: list[str], nsp: MockNspAdmin) -> None:
    assert len(looked_at) == count, "harness: the scenario did not look at the citizens it names"
    minlog.expect_all_logged(nsp.minlog_entries(), looked_at)


@then(parsers.parse("the system gave up on the refused entry after at most {attempts:d} attempts"))
def _(attempts: int, minlog_calls: Exchanges) -> None:
    minlog.expect_gave_up(minlog_calls, attempts)


@then(parsers.parse("the system sent the {count:d} entries in one MinLog request"))
def _(count: int, minlog_calls: Exchanges) -> None:
    minlog.expect_one_request_for(minlog_calls, count)


@then("MinLog received at most 20 requests in any hour")
def _(nsp: MockNspAdmin, request: pytest.FixtureRequest) -> None:
    minlog.expect_hourly_budget(Exchanges(nsp.journal(mark=request.node.nodeid, service="minlog")))  # as of now


@then("every look MinLog has no entry for is still waiting in the system")
def _(looked_at: list[str], background_rounds: list[FlushResult], nsp: MockNspAdmin) -> None:
    assert background_rounds, "harness: the scenario ran no round of the system's own sending"
    minlog.expect_rest_still_queued(nsp.minlog_entries(), looked_at, background_rounds[-1])


@then("only the refused entry was sent a second time")
def _(minlog_calls: Exchanges) -> None:
    minlog.expect_only_refused_resent(minlog_calls)


@then(parsers.re(r"the citizen sees in MinLog that the (?P<role>\w+) of the (?P=role)'s organisation looked at their "
                 r"data today"))
def _(role: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, nsp: MockNspAdmin) -> None:
    entries = minlog_ops.entries_for(nsp, citizen.cpr, day=danish_now().date().isoformat())
    minlog.expect_seen_by_citizen(entries, staff[role].employee, citizen.cpr)


@then(parsers.re(rf'MinLog\'s entry says the {ROLE} looked at the citizen\'s stamkort at "(?P<at>[^"]+)"'))
def _(role: str, at: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, nsp: MockNspAdmin) -> None:
    user = staff[role].employee
    minlog.expect_time_of_use(minlog_ops.entries_for(nsp, citizen.cpr, user), dt.datetime.fromisoformat(at),
                              f"{role} {user.full_name} and citizen {citizen.cpr}")


@then(parsers.re(rf"MinLog's entry names the {ROLE} as the user, acting on behalf of the {ROLE.replace('role', 'other')}"))
def _(role: str, other: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, nsp: MockNspAdmin) -> None:
    user, professional = staff[role].employee, staff[other].employee
    minlog.expect_on_behalf_of(minlog_ops.entries_for(nsp, citizen.cpr), user, professional,
                               f"citizen {citizen.cpr}")


@then("no MinLog entry records a consent override or a 'værdispring'")
def _(citizen: Citizen, nsp: MockNspAdmin) -> None:
    minlog.expect_no_consent_override(minlog_ops.entries_for(nsp, citizen.cpr), f"citizen {citizen.cpr}")
