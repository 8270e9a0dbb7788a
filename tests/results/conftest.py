"""A tiny synthetic catalogue (features, steps, requirements) for the report and exit-code tests."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

# pytester is enabled for the whole suite by `-p pytester` in pyproject addopts (pytest_plugins is root-only);
# the synthetic catalogue loads the results plugin as the shipped one does, with -p in its own ini

INI = """
[pytest]
addopts = -p nspcert.pytest_plugin
bdd_features_base_dir = features
markers =
    sit: s
    cert: c
    e2e: e
    requirement(id): r
    capability(name): c
    manual-review: m
"""

REQUIREMENTS = """id,level,area,title,text,source,conformance,severity,capability,not_tested_reason,title_da,text_da
FSK-CERT-FGVH-01,CERT,FGVH,Opt-out shown,The SUT shows the FGVH symbol when the citizen opted out,PDC,SHALL,F1,,,Dansk titel,Dansk tekst
FSK-CERT-FGVH-02,CERT,FGVH,NAV not shown as no opt-out,NAV is shown as temporarily unavailable,PDC,SHALL,F3,,,Dansk titel,Dansk tekst
FSK-SIT-MINLOG-01,SIT,MINLOG,One log a day,One entry per employee per citizen per day,MinLog2,SHALL,F2,minlog,,Dansk titel,Dansk tekst
FSK-SIT-ADM-01,SIT,ADM,Prerequisites recorded,The run records the SUT,§0,SHALL,F4,,"Recorded by the harness itself.",Dansk titel,Dansk tekst
FSK-CERT-SPR-01,CERT,SPR,No print function,No print of the stamkort,§2,SHALL,F3,,"Not observable; the reviewer checks it (manual review).",Dansk titel,Dansk tekst
"""

CONFTEST = '''
import pytest
pytest_plugins = ["catalogue_steps.common"]

def pytest_bdd_apply_tag(tag, function):
    if tag.startswith("req:"):
        pytest.mark.requirement(tag[4:])(function)
        return True
    if tag.startswith("capability:"):
        pytest.mark.capability(tag.split(":", 1)[1])(function)
        return True
    return None
'''

STEPS = '''
import pytest
from pytest_bdd import given, parsers, then, when
from nspcert.checks import NonConformance, require
from nspcert.results import record_exchanges, record_sut_info, record_test_cprs, record_version

ENTRY = {"id": 17, "at": None, "service": "sfsk-registry", "operation": "RegistryStoredQuery", "status": 200,
         "request": {"method": "POST", "path": "/sfsk", "headers": {"Authorization": "Bearer SECRET-TOKEN"},
                     "body": "<soap:Envelope><ds:SignatureValue>c2lnbmF0dXJl</ds:SignatureValue>"
                             "<cpr>0101601234</cpr></soap:Envelope>"},
         "response": {"status": 200, "headers": {}, "body": "<soap:Envelope><ok/></soap:Envelope>"}}


@pytest.fixture(autouse=True)
def _sut(request):
    record_sut_info(request, {"system": "Reference EOJ", "version": "1.2.3", "vendor": "nspcert",
                              "capabilities": ["stamkort.write"]})
    record_version(request, "mock_nsp", "0.1.0")
    record_test_cprs(request, ["0101601234"])


@given(parsers.parse("a citizen who {state}"))
def _citizen(state):
    pass


@when("the employee opens the record")
def _open(request):
    record_exchanges(request, [ENTRY])


@when("the employee opens the record 30 times")
def _open_often(request):
    record_exchanges(request, [{**ENTRY, "id": i} for i in range(30)])


@then("the opt-out symbol is shown")
def _shown():
    require(True, check="FGVH symbol shown", expected="symbol", received="symbol")


@then("the opt-out symbol is missing")
def _missing():
    raise NonConformance(check="FGVH symbol shown", expected="the symbol", received="no symbol",
                         where="screen model of 0101601234")


@then("the harness breaks")
def _broken():
    raise RuntimeError("mock NSP did not answer")


@then("a bare assert fails")
def _bare():
    assert 1 == 2, "harness assertion"


@given("the SUT does not claim minlog")
def _no_minlog():
    pytest.skip("not applicable: SUT does not claim capability 'minlog'")


@then("one entry is logged")
def _logged():
    pass


@then("the reviewer gets a screenshot")
def _screenshot(scenario_evidence, tmp_path):
    shot = tmp_path / "screen.png"
    shot.write_bytes(b"PNG")
    scenario_evidence.add_file(shot, "FGVH symbol on screen", direction="R")


@when("the employee looks at the screen", target_fixture="screen")
def _look():
    from nspcert.act.screen import Screen
    return Screen("0101601234", {"cpr": "0101601234", "citizen": {"name": "Jens Jensen"},
                                 "fgvh": {"state": "opted_out", "symbol_shown": True, "text": "Fravalgt genoplivning"}})


@then("the employee sees the opt-out")
def _sees(screen):
    from nspcert.verify.fgvh import expect_fgvh_state
    expect_fgvh_state(screen, "opted_out")


@then(parsers.parse("the state is {state}"))
def _state(state):
    require(state != "wrong", check="FGVH state", expected="right", received=state)
'''

SCENARIOS = {
    "pass": ("@cert @req:FSK-CERT-FGVH-01", "Opt-out shown",
             ["Given a citizen who opted out", "When the employee opens the record",
              "Then the opt-out symbol is shown"]),
    "fail": ("@cert @req:FSK-CERT-FGVH-02", "Opt-out missing",
             ["Given a citizen who opted out", "When the employee opens the record",
              "Then the opt-out symbol is missing"]),
    "error": ("@cert @req:FSK-CERT-FGVH-01", "Harness breaks",
              ["Given a citizen who opted out", "Then the harness breaks"]),
    "bare": ("@cert @req:FSK-CERT-FGVH-01", "Bare assert",
             ["Given a citizen who opted out", "Then a bare assert fails"]),
    "na": ("@sit @req:FSK-SIT-MINLOG-01 @capability:minlog", "One log per day",
           ["Given the SUT does not claim minlog", "Then one entry is logged"]),
    "shot": ("@cert @manual-review @req:FSK-CERT-FGVH-01", "Screenshot",
             ["Given a citizen who opted out", "Then the reviewer gets a screenshot"]),
    "many": ("@cert @req:FSK-CERT-FGVH-01", "Many exchanges",
             ["Given a citizen who opted out", "When the employee opens the record 30 times",
              "Then the opt-out symbol is shown"]),
    "screen": ("@cert @req:FSK-CERT-FGVH-01", "Screen",
               ["Given a citizen who opted out", "When the employee looks at the screen",
                "Then the employee sees the opt-out"]),
    "outline": ("@cert @req:FSK-CERT-FGVH-01", "Outline",
                ["Given a citizen who <who>", "Then the state is <state>", "",
                 "    Examples:", "      | who | state |", "      | opted out | right |", "      | did not | wrong |"]),
}


def write_catalogue(root: Path, kinds: list[str]) -> None:
    """Write a catalogue with one scenario per kind (pass, fail, error, bare, na) into ``root``."""
    (root / "features").mkdir(exist_ok=True)
    (root / "catalogue_steps").mkdir(exist_ok=True)
    (root / "pytest.ini").write_text(INI)
    (root / "conftest.py").write_text(CONFTEST)
    (root / "catalogue_steps" / "__init__.py").write_text("")
    (root / "catalogue_steps" / "common.py").write_text(STEPS)
    (root / "catalogue_steps" / "test_catalogue.py").write_text("from pytest_bdd import scenarios\n\nscenarios('.')\n")
    (root / "features" / "requirements.csv").write_text(REQUIREMENTS)
    blocks = []
    for kind in kinds:
        tags, name, steps = SCENARIOS[kind]
        body = "\n".join(f"    {s}" if s else "" for s in steps)
        keyword = "Scenario Outline" if kind == "outline" else "Scenario"
        blocks.append(f"  {tags}\n  {keyword}: {name}\n{body}\n")
    feature = "Feature: FGVH display\n  Opt-out of resuscitation is shown.\n\n" + "\n".join(blocks)
    (root / "features" / "catalogue.feature").write_text(textwrap.dedent(feature))


@pytest.fixture
def catalogue(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``catalogue("pass", "fail")`` writes the synthetic catalogue and returns the pytester root."""
    # Inner runs skip plugins the synthetic catalogue never uses: they cost two thirds of each run.
    # (Set after pytester, which clears PYTEST_ADDOPTS when it starts.)
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:hypothesispytest -p no:faker -p no:anyio")

    def make(*kinds: str) -> Path:
        write_catalogue(pytester.path, list(kinds))
        return pytester.path

    return make
