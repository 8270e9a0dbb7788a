"""Steps about the employee changing the citizen's typed-in stamkort items, and what FSK then holds."""

from __future__ import annotations

from collections.abc import Callable

from pytest_bdd import given, parsers, then, when

from nspcert.act import stamkort
from nspcert.act.actors import LoggedInEmployee
from nspcert.act.screen import Screen
from nspcert.act.sut import open_record
from nspcert.arrange import platform_faults, variants
from nspcert.arrange.people import Citizen
from nspcert.driver.contract import ChangeResult, StamkortChange, SutDriver
from nspcert.nsp.admin import MockNspAdmin
from nspcert.nsp.journal import Exchanges
from nspcert.verify import display
from nspcert.verify import stamkort as verify
from nspcert.verify.identity import expect_acting_employee

ROLE = r"(?P<role>nurse|doctor|care worker)"
ITEM = r"(?P<item>language|home phone|mobile phone|work phone|dentist)"
Enrol = Callable[[Citizen], Citizen]


def change(driver: SutDriver, employee: LoggedInEmployee, citizen: Citizen, what: StamkortChange) -> ChangeResult:
    return driver.change_stamkort(citizen.cpr, employee.user_id, what)


# --- what FSK holds beforehand ------------------------------------------------------------------------
@given(parsers.parse('FSK holds the relative "{name}" as "{relation}" entered by the citizen'))
def _(name: str, relation: str, citizen: Citizen, enrol: Enrol) -> None:
    given_name, family = stamkort.split_name(name)
    enrol(variants.with_relatives(citizen, variants.relative(given_name, family, relation)))


@given(parsers.re(rf'FSK holds the {ITEM} "(?P<value>[^"]+)" entered by the citizen'))
def _(item: str, value: str, citizen: Citizen, enrol: Enrol) -> None:
    enrol(variants.with_typed_item(citizen, stamkort.ITEMS[item], stamkort.item_values(item, value)))


@given("FSK holds a temporary address entered by the citizen")
def _(citizen: Citizen, enrol: Enrol) -> None:
    enrol(variants.with_temporary_address(citizen, "2025-01-01", None))


@given(parsers.re(r'(?P<who>the citizen|a relative with power of attorney) has added the relative "(?P<name>[^"]+)" '
                  r'as "(?P<relation>[^"]+)" on sundhed.dk'))
def _(who: str, name: str, relation: str, citizen: Citizen, enrol: Enrol) -> None:
    given_name, family = stamkort.split_name(name)
    author = variants.entered("EnteredCitizen" if who == "the citizen" else "EnteredCitizenRelative")
    enrol(variants.with_relatives(citizen, variants.relative(given_name, family, relation, who=author)))


# --- the employee's changes ---------------------------------------------------------------------------
@when(parsers.re(rf'the {ROLE} adds the relative "(?P<name>[^"]+)" as "(?P<relation>[^"]+)" '
                 r'with (mobile phone "(?P<mobile>[^"]+)"|the note "(?P<note>[^"]+)")'), target_fixture="change_result")
def _(role: str, name: str, relation: str, mobile: str | None, note: str | None, staff: dict[str, LoggedInEmployee],
      citizen: Citizen, driver: SutDriver) -> ChangeResult:
    return change(driver, staff[role], citizen, stamkort.add_relative(name, relation, mobile, note))


@given("the citizen has died")
def _(citizen: Citizen, enrol: Enrol) -> None:
    citizen.register["deceased"] = True
    enrol(citizen)


@when(parsers.re(rf"the {ROLE} saves (?P<invalid>a .+)"), target_fixture="change_result")
def _(role: str, invalid: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, driver: SutDriver
      ) -> ChangeResult:
    return change(driver, staff[role], citizen, stamkort.INVALID_CHANGES[invalid])


@when(parsers.re(rf'the {ROLE} removes the relative "(?P<name>[^"]+)"'), target_fixture="change_result")
def _(role: str, name: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, driver: SutDriver) -> ChangeResult:
    relative = display.expect_relative(open_record(driver, staff[role], citizen.cpr), name)
    if not relative.get("id"):
        raise RuntimeError(f"the SUT's screen model gives no FSK id for the relative {name!r}; cannot remove it")
    return change(driver, staff[role], citizen, StamkortChange("relative", "delete", {}, str(relative["id"])))


@when(parsers.re(rf'the {ROLE} changes the relation of "(?P<name>[^"]+)" to "(?P<relation>[^"]+)"'),
      target_fixture="change_result")
def _(role: str, name: str, relation: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, driver: SutDriver
      ) -> ChangeResult:
    relative = display.expect_relative(open_record(driver, staff[role], citizen.cpr), name)
    if not relative.get("id"):
        raise RuntimeError(f"the SUT's screen model gives no FSK id for the relative {name!r}; cannot change it")
    return change(driver, staff[role], citizen, stamkort.change_relative(str(relative["id"]), name, relation))


@when(parsers.re(rf'the {ROLE} (?P<verb>registers a|changes the) temporary address (to )?"(?P<address>[^"]+)" '
                 r'from "(?P<start>[\d-]+)"( to "(?P<end>[\d-]+)")?'), target_fixture="change_result")
def _(role: str, verb: str, address: str, start: str, end: str | None, staff: dict[str, LoggedInEmployee],
      citizen: Citizen, driver: SutDriver, nsp: MockNspAdmin) -> ChangeResult:
    item_id = stamkort.fsk_id(nsp, citizen.cpr, "temporary address") if verb.startswith("changes") else None
    return change(driver, staff[role], citizen, stamkort.temporary_address(address, start, end, item_id))


@when(parsers.re(rf'the {ROLE} registers the {ITEM} "(?P<value>[^"]+)"'), target_fixture="change_result")
def _(role: str, item: str, value: str, staff: dict[str, LoggedInEmployee], citizen: Citizen,
      driver: SutDriver) -> ChangeResult:
    return change(driver, staff[role], citizen, stamkort.typed_item(item, value))


@when(parsers.re(rf'the {ROLE} changes the {ITEM} to "(?P<value>[^"]+)"'), target_fixture="change_result")
def _(role: str, item: str, value: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, driver: SutDriver,
      nsp: MockNspAdmin) -> ChangeResult:
    return change(driver, staff[role], citizen, stamkort.typed_item(item, value, stamkort.fsk_id(nsp, citizen.cpr, item)))


@when(parsers.re(rf"the {ROLE} removes the (?P<item>language|home phone|mobile phone|work phone|dentist|"
                 r"temporary address)"), target_fixture="change_result")
def _(role: str, item: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, driver: SutDriver,
      nsp: MockNspAdmin) -> ChangeResult:
    return change(driver, staff[role], citizen, stamkort.removal(item, stamkort.fsk_id(nsp, citizen.cpr, item)))


# --- outcomes ------------------------------------------------------------------------------------------
@then(parsers.re(rf"the {ROLE} is told the change was saved"))
def _(change_result: ChangeResult) -> None:
    verify.expect_saved(change_result)


@given(parsers.parse("FSK's write service fails with {failure}"))
def _(failure: str, nsp: MockNspAdmin) -> None:
    platform_faults.fail_skr(nsp, failure)


@then(parsers.re(rf"the {ROLE} is told the change could not be saved"))
def _(change_result: ChangeResult) -> None:
    verify.expect_not_saved(change_result)


@then(parsers.re(rf"the {ROLE} is told the change was not saved, with FSK's reason"))
def _(change_result: ChangeResult, calls: Exchanges) -> None:
    verify.expect_refused_with_reason(change_result, calls)


@then("the system did not send the refused change again")
def _(change_result: ChangeResult, calls: Exchanges) -> None:
    verify.expect_single_attempt(change_result, calls)


@then(parsers.re(rf"the only write to FSK was the (?P<item>relative|temporary address|language|phone|dentist) the "
                 rf"{ROLE} (added|changed)"))
def _(item: str, calls: Exchanges) -> None:
    verify.expect_only_written(calls, item)


@then(parsers.re(r'FSK holds the relative "(?P<name>[^"]+)" as "(?P<relation>[^"]+)"'))
def _(name: str, relation: str, citizen: Citizen, nsp: MockNspAdmin, enrol: Enrol) -> None:
    found = stamkort.relatives_named(nsp, citizen.cpr, name)
    verify.expect_held(found, f"the relative {name}")
    verify.expect_value(found[0].get("relation"), relation, f"the relation of {name}")


@then(parsers.parse('FSK holds no relative "{name}"'))
def _(name: str, citizen: Citizen, nsp: MockNspAdmin, enrol: Enrol) -> None:
    verify.expect_held(stamkort.relatives_named(nsp, citizen.cpr, name), f"the relative {name}", held=False)


@then(parsers.re(r'FSK holds a temporary address from "(?P<start>[\d-]+)"( to "(?P<end>[\d-]+)"| with no end date)'))
def _(start: str, end: str | None, citizen: Citizen, nsp: MockNspAdmin) -> None:
    held = stamkort.held(nsp, citizen.cpr, "temporary address") or {}
    verify.expect_value((held.get("from"), held.get("to")), (start, end), "the temporary address period")


@then(parsers.re(rf'FSK holds the {ITEM} "(?P<value>[^"]+)"'))
def _(item: str, value: str, citizen: Citizen, nsp: MockNspAdmin) -> None:
    verify.expect_value(stamkort.held_value(nsp, citizen.cpr, item), value, f"the {item}")


@then(parsers.re(r"FSK holds no (?P<item>language|home phone|mobile phone|work phone|dentist|temporary address)"))
def _(item: str, citizen: Citizen, nsp: MockNspAdmin) -> None:
    found = stamkort.held(nsp, citizen.cpr, item)
    verify.expect_held([found] if found else [], f"the {item}", held=False)


@then(parsers.re(rf'the {ROLE} sees the relative "(?P<name>[^"]+)" when the record is opened again'))
def _(role: str, name: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, driver: SutDriver) -> None:
    display.expect_relative(open_record(driver, staff[role], citizen.cpr), name)


@then(parsers.re(rf"FSK shows the relative as entered by a health professional of the {ROLE}'s organisation"))
def _(role: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, nsp: MockNspAdmin, enrol: Enrol) -> None:
    relatives = stamkort.typed_in(nsp, citizen.cpr).get("relatives") or []
    verify.expect_held(relatives, "the relative")
    verify.expect_author(relatives[-1].get("entered") or {}, staff[role].employee)


@then(parsers.re(rf"the write named the {ROLE} as the acting health professional"))
def _(role: str, staff: dict[str, LoggedInEmployee], calls: Exchanges) -> None:
    expect_acting_employee(calls.service("skr"), staff[role].employee)


@then(parsers.re(rf'the {ROLE} sees the relative "(?P<name>[^"]+)" entered by (?P<who>the citizen|a relative of the '
                 rf"citizen|a health professional of the (?P<author>\w+)'s organisation)"))
def _(role: str, name: str, who: str, author: str | None, staff: dict[str, LoggedInEmployee],
      screens: dict[str, Screen], citizen: Citizen, driver: SutDriver) -> None:
    screen = screens.get(role) or open_record(driver, staff[role], citizen.cpr)
    if author:
        organisation = staff[author].employee.organisation_name
        display.expect_entered_by(screen, name, "EnteredHealthcareprofessional", organisation)
    else:
        display.expect_entered_by(screen, name, "EnteredCitizen" if who == "the citizen" else "EnteredCitizenRelative")
