"""The `postgres` fixture: the hosted mode's tests skip with a reason where PostgreSQL is not installed, and fail
under CI=true (where .ci/run must have installed it): a skipped hosted test never passes CI unnoticed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import postgres

#: the harness tests' conftest, where the fixture lives
CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

_TEST = """
def test_needs_postgres(postgres):
    assert postgres.url
"""


def _run_without_postgres(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str) -> pytest.RunResult:
    def missing() -> None:
        raise postgres.NoPostgres("PostgreSQL is not installed (Debian: apt-get install -y postgresql)")

    monkeypatch.setattr(postgres, "bindir", missing)
    monkeypatch.setenv("CI", ci)
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(_TEST)
    return pytester.runpytest_inprocess("-p", "no:xdist", "-p", "no:cacheprovider", "-rs")


def test_without_postgresql_the_hosted_tests_skip_naming_it(pytester: pytest.Pytester,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run_without_postgres(pytester, monkeypatch, "")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*PostgreSQL is not installed (Debian: apt-get install -y postgresql)*"])


def test_without_postgresql_under_ci_the_hosted_tests_fail(pytester: pytest.Pytester,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run_without_postgres(pytester, monkeypatch, "true")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*CI must install it*"])
