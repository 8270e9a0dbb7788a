"""Steps about platform failures: STS, DGWS faults, registry errors and broken transport."""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from nspcert.act.screen import Screen
from nspcert.arrange import documents, platform_faults
from nspcert.arrange.people import Citizen
from nspcert.catalogue.fixtures.settings import HarnessSettings
from nspcert.nsp.admin import MockNspAdmin
from nspcert.verify.faults import (
    expect_fsk_read,
    expect_no_blocking_asked,
    expect_not_shown_as_current,
    expect_told_certificate_refused,
    expect_told_fsk_unreadable,
    expect_told_no_stamkort,
)
from nspcert.verify.fgvh import expect_fgvh_state


@given(parsers.re(r'the FSK (?P<part>search|retrieval) fails with the registry error "(?P<error>[^"]+)"'))
def _(part: str, error: str, nsp: MockNspAdmin) -> None:
    platform_faults.registry_error(nsp, error, part)


@given(parsers.parse("the STS refuses to issue ID cards with HTTP status {status:d}"))
def _(status: int, nsp: MockNspAdmin) -> None:
    platform_faults.sts_refuses(nsp, status)


@given(parsers.parse('FSK refuses calls with the DGWS fault "{code}"'))
def _(code: str, nsp: MockNspAdmin) -> None:
    platform_faults.dgws_fault_on_fsk(nsp, code)


@given(parsers.parse("FSK fails with {failure}"))
def _(failure: str, nsp: MockNspAdmin, settings: HarnessSettings) -> None:
    # a held-back answer is journaled when the mock answers it: the platform fixture waits for it (nsp.settle)
    platform_faults.fail_fsk(nsp, failure, settings.slow_answer_ms)


@given("FSK cannot be reached")
def _(nsp: MockNspAdmin) -> None:
    platform_faults.fail_fsk(nsp, "a dropped connection")


@then(parsers.re(r"the [\w ]+ is told that FSK could not be read"))
def _(screen: Screen) -> None:
    expect_told_fsk_unreadable(screen)


@then(parsers.re(r"the [\w ]+ is not told that FSK could not be read"))
def _(screen: Screen) -> None:
    expect_fsk_read(screen)


@then("the opt-out status is shown as unknown")
def _(screen: Screen) -> None:
    expect_fgvh_state(screen, "unknown")


@then(parsers.re(r"the [\w ]+ sees FSK without being asked to lift a blocking or to give consent"))
def _(screen: Screen) -> None:
    expect_no_blocking_asked(screen)


@given("the system's function certificate has been revoked")
def _(nsp: MockNspAdmin) -> None:
    platform_faults.revoke_function_certificates(nsp)


@then(parsers.re(r"the [\w ]+ is told that the system's certificate was refused"))
def _(screen: Screen) -> None:
    expect_told_certificate_refused(screen)


@then(parsers.re(r"the [\w ]+ is told that FSK holds no stamkort for the citizen"))
def _(screen: Screen) -> None:
    expect_told_no_stamkort(screen)


@then("the stamkort read before is not shown as the current one")
def _(screen: Screen) -> None:
    expect_not_shown_as_current(screen)


@given("FSK serves the citizen a document that is not a stamkort")
def _(citizen: Citizen, nsp: MockNspAdmin) -> None:
    nsp.serve_document(citizen.cpr, documents.NOT_A_STAMKORT)
