"""`nspcert run` takes its settings from nspcert.settings' rows: every row with a command-line option is an argument of
`nspcert run` and an option of the nspcert pytest plugin under the names the row gives, reaches the pytest command,
and resolves the same in the command line's checks (cli._effective_settings) as in the run's ``settings`` fixture —
whether it is given on the command line, in the environment or in the settings file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from nspcert import cli
from nspcert.settings import RUN_SETTINGS, SETTINGS, HarnessSettings, Setting, from_options

PLUGIN_OPTIONS = "nspcert.results.collect.options"
SOURCES = ("option", "env", "file")


def given(setting: Setting, source: str) -> Any:
    """A value of the setting's kind, different for each source and from the default."""
    n = SOURCES.index(source) + 1
    if setting.kind is bool:
        return True
    if setting.kind is int:
        return 8440 + n
    if setting.kind is tuple:
        return (f"a{n}", f"b{n}")
    return f"http://127.0.0.1:900{n}/{setting.field}"


def argv(setting: Setting, value: Any) -> list[str]:
    """The `nspcert run` arguments a user types to give the setting this value."""
    assert setting.run
    if setting.kind is bool:
        return [setting.run] if value else []
    return [setting.run, ",".join(value) if setting.kind is tuple else str(value)]


def environ(setting: Setting, value: Any) -> str:
    if setting.kind is bool:
        return "true" if value else "false"
    return ",".join(value) if setting.kind is tuple else str(value)


def run_args(words: list[str]) -> argparse.Namespace:
    return cli.parser().parse_args(["run", *words])


def both_sides(pytester: pytest.Pytester, args: argparse.Namespace) -> tuple[HarnessSettings, HarnessSettings]:
    """What the command line checks, and what the run's fixture resolves from the pytest options it is given."""
    config = ["--nspcert-config", args.config] if args.config else []
    parsed = pytester.parseconfig("-p", PLUGIN_OPTIONS, *cli.setting_options(args), *config)
    return cli._effective_settings(args), from_options(parsed, Path("logs"))


@pytest.fixture(autouse=True)
def no_settings_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in SETTINGS:
        if setting.env:
            monkeypatch.delenv(setting.env, raising=False)


def test_every_command_line_setting_is_an_argument_of_nspcert_run_and_an_option_of_the_plugin(
        pytester: pytest.Pytester) -> None:
    assert RUN_SETTINGS, "no setting on the command line"
    for setting in RUN_SETTINGS:
        assert setting.option and setting.flag, f"{setting.field}: {setting.run} passes on no pytest option"
        value = given(setting, "option")
        args = run_args(argv(setting, value))
        assert getattr(args, setting.run_dest) in (value, environ(setting, value)), f"nspcert run {setting.run}"
        config = pytester.parseconfig("-p", PLUGIN_OPTIONS, *cli.setting_options(args))
        assert config.getoption(setting.option) in (value, environ(setting, value)), f"pytest {setting.flag}"


def test_every_command_line_setting_reaches_the_pytest_command(tmp_path: Path) -> None:
    words = [word for s in RUN_SETTINGS for word in argv(s, given(s, "option"))]
    args = run_args([*words, "--catalogue", str(tmp_path / "test_catalogue.py")])
    args.effective = cli._effective_settings(args)
    command = cli.pytest_command(args, tmp_path, "20261125T170500Z-abcdef")
    for setting in RUN_SETTINGS:
        assert setting.flag in command, f"{setting.run} is not passed on"
        if setting.kind is not bool:
            assert command[command.index(setting.flag) + 1] == environ(setting, given(setting, "option"))
        assert getattr(args.effective, setting.field) == given(setting, "option")


def test_what_is_not_given_is_not_passed_on() -> None:
    """Not given on the command line: the run resolves it from the environment, the settings file or the default."""
    assert cli.setting_options(run_args([])) == []


def test_a_settings_argument_and_its_pytest_option_are_made_from_its_row_with_one_help_text(
        pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run_args(["--help"])
    run_help = " ".join(capsys.readouterr().out.split())
    pytest_help = " ".join(pytester.runpytest("-p", PLUGIN_OPTIONS, "--help").stdout.str().split())
    for setting in RUN_SETTINGS:
        assert setting.help, f"{setting.field} has no help text"
        # argparse and pytest wrap lines and may break a long word apart: compare the first words
        words = " ".join(setting.help.split()[:5]).replace("%", "%%")
        assert words.replace("%%", "%") in run_help, f"nspcert run {setting.run}"
        assert words in pytest_help or words.replace("%%", "%") in pytest_help, f"pytest {setting.flag}"


def _file(path: Path, values: dict[str, Any]) -> Path:
    def toml(value: Any) -> str:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, tuple):
            return "[" + ", ".join(f'"{item}"' for item in value) + "]"
        return str(value) if isinstance(value, int) else f'"{value}"'

    path.write_text("[nspcert]\n" + "".join(f"{key} = {toml(v)}\n" for key, v in values.items()), encoding="utf-8")
    return path


def _cases(setting: Setting) -> list[tuple[str, ...]]:
    """Each of the setting's sources alone, and all of them at once (the first in the precedence wins)."""
    sources = tuple(source for source, name in zip(SOURCES, (setting.run, setting.env, setting.key), strict=True)
                    if name)
    return [(source,) for source in sources] + ([sources] if len(sources) > 1 else [])


CASES = [(setting, sources) for setting in SETTINGS for sources in _cases(setting)]


@pytest.mark.parametrize(("setting", "sources"), CASES,
                         ids=[f"{s.field}-{'+'.join(sources)}" for s, sources in CASES])
def test_a_setting_resolves_the_same_before_the_run_and_in_it(pytester: pytest.Pytester,
                                                              monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                              setting: Setting, sources: tuple[str, ...]) -> None:
    words = argv(setting, given(setting, "option")) if "option" in sources else []
    if "env" in sources:
        assert setting.env
        monkeypatch.setenv(setting.env, environ(setting, given(setting, "env")))
    if "file" in sources:
        assert setting.key
        words += ["--config", str(_file(tmp_path / "nspcert.toml", {setting.key: given(setting, "file")}))]
    before, during = both_sides(pytester, run_args(words))
    assert before == during
    assert getattr(before, setting.field) == given(setting, sources[0])


def test_every_setting_at_once_resolves_the_same_before_the_run_and_in_it(pytester: pytest.Pytester,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         tmp_path: Path) -> None:
    for setting in SETTINGS:
        if setting.env:
            monkeypatch.setenv(setting.env, environ(setting, given(setting, "env")))
    config = _file(tmp_path / "nspcert.toml", {s.key: given(s, "file") for s in SETTINGS if s.key})
    words = [word for s in RUN_SETTINGS for word in argv(s, given(s, "option"))]
    before, during = both_sides(pytester, run_args([*words, "--config", str(config)]))
    assert before == during
    assert before.sut == given(next(s for s in SETTINGS if s.field == "sut"), "option")
