"""Steps about the citizen, their Fælles Stamkort and what the employee sees of it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytest_bdd import given, parsers, then, when

import nsp_vocabulary as v
from nsp_vocabulary import relation_display
from nspcert.act.actors import LoggedInEmployee
from nspcert.act.screen import Screen
from nspcert.act.sut import open_record
from nspcert.arrange import documents, medcom, platform_faults, registers, variants
from nspcert.arrange.people import Citizen, People
from nspcert.driver.contract import SutDriver
from nspcert.nsp.admin import MockNspAdmin
from nspcert.nsp.journal import Exchanges
from nspcert.results import record_test_cprs, record_test_data
from nspcert.verify import display, fsk_read

ROLE = r"(?P<role>nurse|doctor|care worker)"
Enrol = Callable[[Citizen], Citizen]


# --- the citizen ------------------------------------------------------------------------------------
@given(parsers.parse("a citizen aged {age:d}"), target_fixture="citizen")
def _(age: int, people: People, enrol: Enrol) -> Citizen:
    return enrol(people.citizen(age=age))


@given(parsers.parse("a citizen aged {age:d} with a GP"), target_fixture="citizen")
def _(age: int, people: People, enrol: Enrol) -> Citizen:
    return enrol(variants.with_gp(people.citizen(age=age)))


@given(parsers.parse('the platform marks a protected name and address as "{marker}"'))
def _(marker: str, nsp: MockNspAdmin) -> None:
    registers.mark_protection_as(nsp, marker)


#: how a scenario names each of MedCom's PDC-DK 3.0 test examples (nspcert/arrange/medcom.py)
MEDCOM_EXAMPLES = {
    "minimal example": medcom.MINIMAL,
    "maximal example": medcom.MAXIMAL,
    "example with a narrative that differs from its data": medcom.DIFFERENT_NARRATIVE,
    "name and address protection example": medcom.PROTECTION,
    "example of an unavailable opt-out register": medcom.FGVH_UNAVAILABLE,
}


@given(parsers.re(r"a citizen whose stamkort is MedCom's (?P<which>.+)"), target_fixture="citizen")
def _(which: str, nsp: MockNspAdmin, request: pytest.FixtureRequest) -> Citizen:
    """FSK serves MedCom's test document, as MedCom's test protocol loads it; the report names the example."""
    example = MEDCOM_EXAMPLES[which]
    citizen = medcom.serve(nsp, example)
    citizen.expected["medcom_example"] = example
    record_test_cprs(request.node, example.cprs)
    record_test_data(request, example.label())
    return citizen


@given("a citizen with name and address protection", target_fixture="citizen")
def _(people: People, enrol: Enrol) -> Citizen:
    citizen = people.citizen(age=52)
    citizen.register["protected"] = True
    return enrol(citizen)


@given("a citizen whose FSK 3.0 document still carries the 2.0 service marker", target_fixture="citizen")
def _(people: People, nsp: MockNspAdmin, enrol: Enrol) -> Citizen:
    citizen = enrol(people.citizen(age=73))
    nsp.serve_document(citizen.cpr, documents.with_service_marker(nsp.document(citizen.cpr)))
    return citizen


@given(parsers.parse('a citizen whose FSK document says it is of version "{version}"'), target_fixture="citizen")
def _(version: str, people: People, nsp: MockNspAdmin, enrol: Enrol) -> Citizen:
    citizen = enrol(people.citizen(age=71))
    nsp.serve_document(citizen.cpr, documents.with_template_version(nsp.document(citizen.cpr), version))
    return citizen


@given("a citizen without a GP whose FSK has an entry type unknown today and a birth time with a clock time",
       target_fixture="citizen")
def _(people: People, nsp: MockNspAdmin, enrol: Enrol) -> Citizen:
    citizen = enrol(people.citizen(age=83))
    nsp.serve_document(citizen.cpr, documents.with_unknown_entry_and_long_birth_time(nsp.document(citizen.cpr)))
    return citizen


@given("the citizen has since got name and address protection")
def _(citizen: Citizen, enrol: Enrol) -> None:
    citizen.register["protected"] = True
    enrol(citizen)


@given("a citizen with items entered by the citizen, a relative and a health professional", target_fixture="citizen")
def _(people: People, enrol: Enrol) -> Citizen:
    citizen = variants.with_relatives(
        people.citizen(age=58),
        # named authors, masked by CPR (MSK) as in MedCom's examples; the professional's entry is by SOR there
        variants.relative("Bodil", "Lund", "mor", who=variants.entered("EnteredCitizen", name="Karen Lund")),
        variants.relative("Ib", "Lund", "far", who=variants.entered("EnteredCitizenRelative", name="Ib Lund")),
        variants.relative("Søs", "Lund", "søster", who=variants.entered(
            "EnteredHealthcareprofessional", name="Anne Sygeplejerske", organisation=variants.ORGANISATION)),
    )
    return enrol(citizen)


@given("a citizen with a relative whose note is:", target_fixture="citizen")
def _(docstring: str, people: People, enrol: Enrol) -> Citizen:
    note = docstring
    citizen = variants.with_relatives(people.citizen(age=61), variants.relative("Lis", "Krog", "nabo", note=note))
    citizen.expected["note"] = note
    return enrol(citizen)


#: the relatives of "a citizen with 3 relatives …" and their relation codes (one whose display name is other words)
THREE_RELATIVES = {"Anna Berg": "datter", "Bo Berg": "søn", "Carl Dahl": "uspec_paaroerende"}


@given("a citizen with 3 relatives and phones for home, mobile and work", target_fixture="citizen")
def _(people: People, enrol: Enrol) -> Citizen:
    citizen = variants.with_relatives(
        people.citizen(age=80),
        variants.relative("Anna", "Berg", "datter", phones=[{"use": "H", "value": "+4533221100"}]),
        variants.relative("Bo", "Berg", "søn", phones=[{"use": "MC", "value": "+4522110099"}]),
        variants.relative("Carl", "Dahl", "uspec_paaroerende", phones=[{"use": "WP", "value": "+4544556677"}]),
    )
    return enrol(citizen)


@given(parsers.re(r'a citizen with a temporary address from "(?P<start>[\d-]+)"( to "(?P<end>[\d-]+)"| and no end date)'),
       target_fixture="citizen")
def _(start: str, end: str | None, people: People, enrol: Enrol) -> Citizen:
    return enrol(variants.with_temporary_address(people.citizen(age=70), start, end))


@given(parsers.parse("a citizen with custody of {count:d} children"), target_fixture="citizen")
def _(count: int, people: People, enrol: Enrol) -> Citizen:
    children = [people.citizen(age=age) for age in range(4, 4 + 3 * count, 3)]
    citizen = variants.with_custody(people.citizen(age=38, female=True), children)
    citizen.expected["children"] = children
    return enrol(citizen)


@given("a citizen registered as organ donor and with a living will but no treatment will", target_fixture="citizen")
def _(people: People, enrol: Enrol) -> Citizen:
    citizen = people.citizen(age=66)
    citizen.register |= {"organ_donor": True, "living_will": True, "treatment_will": False}
    return enrol(citizen)


@given(parsers.parse('a citizen with a relative entered at "{at}"'), target_fixture="citizen")
def _(at: str, people: People, enrol: Enrol) -> Citizen:
    relative = variants.relative("Eva", "Holm", "datter", who=variants.by_citizen(at))
    return enrol(variants.with_relatives(people.citizen(age=77), relative))


@given("a citizen with a relative entered by the citizen", target_fixture="citizen")
def _(people: People, enrol: Enrol) -> Citizen:
    relative = variants.relative("Eva", "Holm", "datter")
    return enrol(variants.with_relatives(people.citizen(age=77), relative))


# --- opening the record -----------------------------------------------------------------------------
@given(parsers.re(rf"the {ROLE} has opened the citizen's record"), target_fixture="screen")
@when(parsers.re(rf"the {ROLE} opens the citizen's record(?P<again> again)?"), target_fixture="screen")
def _(role: str, staff: dict[str, LoggedInEmployee], screens: dict[str, Screen], citizen: Citizen,
      driver: SutDriver, request: pytest.FixtureRequest) -> Screen:
    screens[role] = open_record(driver, staff[role], citizen.cpr)
    example = citizen.expected.get("medcom_example")
    if example is not None:
        record_test_data(request, f"FSK serves {example.label()}")
    return screens[role]


@when(parsers.re(rf"the {ROLE} opens the citizen's record (?P<times>twice|\d+ times)"), target_fixture="screen")
def _(role: str, times: str, staff: dict[str, LoggedInEmployee], screens: dict[str, Screen], citizen: Citizen,
      driver: SutDriver) -> Screen:
    count = 2 if times == "twice" else int(times.split()[0])
    screens[role] = open_record(driver, staff[role], citizen.cpr, times=count)
    return screens[role]


# --- what the employee sees -------------------------------------------------------------------------
@then(parsers.re(rf"the {ROLE} sees the citizen's name, CPR number and address"))
def _(screen: Screen, citizen: Citizen) -> None:
    display.expect_identity(screen, citizen)


@then(parsers.re(rf"the {ROLE} sees the citizen's GP"))
def _(screen: Screen, citizen: Citizen) -> None:
    gp = citizen.register["gp"]
    display.expect_gp(screen, gp["name"], gp["yder_number"])


@then(parsers.re(rf"the {ROLE} sees the relatives and the name from the structured data"))
def _(screen: Screen, citizen: Citizen) -> None:
    display.expect_identity(screen, citizen)
    for relative in citizen.register["typed_in"]["relatives"]:
        display.expect_relative(screen, f"{relative['given']} {relative['family']}")


@then(parsers.re(rf"the {ROLE} sees each relative's and child's relation by its name, not its code"))
def _(screen: Screen, citizen: Citizen) -> None:
    relatives = {f"{r['given']} {r['family']}": _relation(r) for r in citizen.register["typed_in"]["relatives"]}
    children = {" ".join([*c["name"]["given"], c["name"]["family"]]): _relation(c) for c in citizen.register["custody"]}
    display.expect_relations_in_words(screen, relatives, children)


def _relation(item: dict[str, object]) -> tuple[str, str]:
    code = str(item["relation"])
    return code, str(item.get("relation_display") or relation_display(code))


@then(parsers.re(rf"the {ROLE} does not see the names that appear only in the narrative text"))
def _(screen: Screen, citizen: Citizen) -> None:
    display.expect_nothing_leaked(screen, *citizen.expected["narrative_only"])


@then(parsers.re(rf"the {ROLE} sees the citizen's name from FSK"))
def _(screen: Screen, citizen: Citizen) -> None:
    display.expect_identity(screen, citizen)


@then(parsers.re(rf"the {ROLE} sees every registered item of the citizen's stamkort"))
def _(screen: Screen, citizen: Citizen) -> None:
    display.expect_maximal(screen, citizen)


@then(parsers.re(rf"the {ROLE} sees the protection marker FSK sent instead of the citizen's name and address"))
def _(screen: Screen, citizen: Citizen, nsp: MockNspAdmin) -> None:
    display.expect_protected(screen, citizen, documents.protection_marker(nsp.document(citizen.cpr)))


@then(parsers.re(rf"the {ROLE} sees the protected address in words, not as FSK codes it"))
def _(screen: Screen, citizen: Citizen, nsp: MockNspAdmin) -> None:
    display.expect_protected_in_words(screen, documents.protection_marker(nsp.document(citizen.cpr)))


@then(parsers.re(rf"the {ROLE} does not see the citizen's real name or address"))
def _(screen: Screen, citizen: Citizen) -> None:
    display.expect_nothing_leaked(screen, citizen.family, citizen.address["lines"][0])


@then(parsers.re(rf"the {ROLE} sees for each item whether the citizen, a relative or a health professional entered it"))
def _(screen: Screen) -> None:
    display.expect_entered_by(screen, "Bodil Lund", "EnteredCitizen")
    display.expect_entered_by(screen, "Ib Lund", "EnteredCitizenRelative")
    display.expect_entered_by(screen, "Søs Lund", "EnteredHealthcareprofessional")


@then(parsers.re(rf"the {ROLE} sees the health professional's organisation"))
def _(screen: Screen) -> None:
    display.expect_entered_by(screen, "Søs Lund", "EnteredHealthcareprofessional", variants.ORGANISATION)


@then(parsers.re(rf"the {ROLE} does not see any masked CPR number"))
def _(screen: Screen) -> None:
    display.expect_nothing_leaked(screen, v.MASKED_CPR)


@then(parsers.re(rf"the {ROLE} sees the relative's note exactly as written"))
def _(screen: Screen, citizen: Citizen) -> None:
    display.expect_note(screen, "Lis Krog", citizen.expected["note"])


@then(parsers.re(rf"the {ROLE} sees each relative with their relation"))
def _(screen: Screen) -> None:
    display.expect_relations(screen, {name: (code, relation_display(code)) for name, code in THREE_RELATIVES.items()})


@then(parsers.re(rf"the {ROLE} sees each phone number with its use"))
def _(screen: Screen) -> None:
    display.expect_phones(screen, {"+4533221100": "H", "+4522110099": "MC", "+4544556677": "WP"})


@then(parsers.re(rf'the {ROLE} sees the temporary address from "(?P<start>[\d-]+)"'
                 r'( to "(?P<end>[\d-]+)"| with no end date)'))
def _(screen: Screen, start: str, end: str | None) -> None:
    display.expect_temporary_address(screen, start, end)


@then(parsers.re(rf"the {ROLE} sees each child with name, CPR number and relation"))
def _(screen: Screen, citizen: Citizen) -> None:
    display.expect_custody(screen, citizen.expected["children"], "mor")


@then(parsers.re(rf"the {ROLE} sees that an organ donor registration and a living will are registered"))
def _(screen: Screen) -> None:
    display.expect_registration(screen, "organ_donor", True)
    display.expect_registration(screen, "living_will", True)


@then(parsers.re(rf"the {ROLE} sees that no treatment will is registered"))
def _(screen: Screen) -> None:
    display.expect_registration(screen, "treatment_will", False)


@then(parsers.re(rf'the {ROLE} sees the relative as entered at "(?P<local>[^"]+)" Danish time'))
def _(screen: Screen, local: str) -> None:
    display.expect_entered_at(screen, "Eva Holm", local)


@then(parsers.re(rf"every item the {ROLE} sees from FSK is marked as FSK data with its source"))
def _(screen: Screen) -> None:
    display.expect_marked_as_fsk(screen)


@then("the relative is marked with when it was entered")
def _(screen: Screen) -> None:
    display.expect_entered_at(screen, "Eva Holm", "2025-01-15 14:34")


@then(parsers.re(rf"the {ROLE} is warned that the stamkort is of a version the system does not know"))
def _(screen: Screen, citizen: Citizen, nsp: MockNspAdmin) -> None:
    display.expect_unknown_version_flagged(screen, documents.template_version(nsp.document(citizen.cpr)))


# --- how FSK was read -------------------------------------------------------------------------------
@then("the system searched for the citizen's approved on-demand FSK in version 3.0")
def _(calls: Exchanges, citizen: Citizen) -> None:
    fsk_read.expect_v3_search(calls, citizen.cpr)


@then("the system never asked for FSK version 2.0")
def _(calls: Exchanges) -> None:
    fsk_read.expect_no_v2_search(calls)


@then("the system retrieved the document the search returned")
def _(calls: Exchanges) -> None:
    fsk_read.expect_retrieved_what_was_found(calls)


@then("the system retrieved it from the repository and community the search's metadata named")
def _(calls: Exchanges) -> None:
    fsk_read.expect_entry_metadata_used(calls)


@then("the system read FSK from the platform both times")
def _(calls: Exchanges) -> None:
    fsk_read.expect_reads(calls, 2)


# --- the failure modes of issue 12 -----------------------------------------------------------------------------
@given(parsers.parse("a citizen aged {age:d} for whom FSK holds no stamkort"), target_fixture="citizen")
def _(age: int, people: People, nsp: MockNspAdmin) -> Citizen:
    platform_faults.no_stamkort_for_unknown_citizens(nsp)
    return people.citizen(age=age)  # never enrolled: the platform has no stamkort for them


@given(parsers.parse("a citizen aged {age:d} known only by a replacement CPR number"), target_fixture="citizen")
def _(age: int, people: People, nsp: MockNspAdmin) -> Citizen:
    platform_faults.no_stamkort_for_unknown_citizens(nsp)
    return people.replacement_citizen(age=age)  # not in CPR, so FSK holds no stamkort for them


@given("FSK serves the citizen's stamkort without the opt-out entry, as an FSK 2.0 stamkort had none")
def _(citizen: Citizen, nsp: MockNspAdmin) -> None:
    nsp.serve_document(citizen.cpr, documents.without_fgvh_entry(nsp.document(citizen.cpr)))


@then(parsers.re(rf'the {ROLE} sees the relative "(?P<name>[^"]+)"$'))
def _(name: str, screen: Screen) -> None:
    display.expect_relative(screen, name)


@then(parsers.re(rf"the {ROLE} does not see the address the citizen had"))
def _(screen: Screen, citizen: Citizen) -> None:
    display.expect_nothing_leaked(screen, citizen.address["lines"][0])


@given(parsers.parse("a citizen aged {age:d} in the custody of a mother and of a guardian"), target_fixture="citizen")
def _(age: int, people: People, enrol: Enrol) -> Citizen:
    child = enrol(people.citizen(age=age))
    holders = [(enrol(variants.with_custody(people.citizen(age=34, female=True), [child], "mor")), "mor"),
               (enrol(variants.with_custody(people.citizen(age=52), [child], "værge")), "værge")]
    child.expected["custody holders"] = holders
    return child


@when(parsers.re(rf"the {ROLE} opens the record of the child and of each custody holder"), target_fixture="screens")
def _(role: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, driver: SutDriver) -> dict[str, Screen]:
    people = [citizen, *(holder for holder, _ in citizen.expected["custody holders"])]
    return {person.cpr: open_record(driver, staff[role], person.cpr) for person in people}


@then(parsers.re(rf"the {ROLE} sees the child on each custody holder's record, with the holder's relation"))
def _(screens: dict[str, Screen], citizen: Citizen) -> None:
    for holder, relation in citizen.expected["custody holders"]:
        display.expect_custody(screens[holder.cpr], [citizen], relation)


@then(parsers.re(rf"the {ROLE} sees no one in the custody of the child"))
def _(screens: dict[str, Screen], citizen: Citizen) -> None:
    display.expect_no_custody(screens[citizen.cpr])


@then("the system searched FSK for the citizen's replacement CPR number")
def _(calls: Exchanges, citizen: Citizen) -> None:
    fsk_read.expect_searched_for(calls, citizen.cpr)
