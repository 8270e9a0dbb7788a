"""The harness's settings, each defined once: its field, its settings-file key, its environment variable, its
``nspcert run`` option, the pytest option that carries it into the run, and its default — and one precedence,
applied by :func:`resolve` wherever a setting is read (the command line's checks before a run, preflight, the
catalogue's ``settings`` fixture):

    a command-line option (when given, i.e. not left at its default) > the environment > the settings file
    (``[nspcert]`` in ``--config``, nspcert.config) > the default.

A new setting is one row in :data:`SETTINGS` (and a field of :class:`HarnessSettings`); the settings file's keys,
its type checks, the precedence, its ``nspcert run`` argument and the pytest option that carries it into the run
(both with the row's help text: nspcert.cli and nspcert.results.collect.options add them from the rows), what
``nspcert run`` checks and the pytest arguments it passes all follow from the row.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Setting:
    field: str  #: the attribute of HarnessSettings
    kind: type  #: str, int, bool, or tuple (a comma-separated list on the command line and in the environment)
    default: Any
    env: str | None = None
    option: str | None = None  #: the pytest option's dest (nspcert.results.collect.options)
    key: str | None = None  #: the settings file's key in [nspcert] (None: not settable there)
    flag: str | None = None  #: the pytest option as ``nspcert run`` passes it (its dest: ``option``)
    run: str | None = None  #: the ``nspcert run`` option (nspcert.cli) whose value ``flag`` passes on
    help: str = ""  #: the help text of the ``nspcert run`` argument and of the pytest option
    metavar: str | None = None
    aliases: tuple[str, ...] = ()  #: other names of the pytest option

    @property
    def run_dest(self) -> str:
        """The attribute argparse gives ``run`` (``--nsp-port`` → ``nsp_port``)."""
        assert self.run, f"{self.field} is not an option of nspcert run"
        return self.run.removeprefix("--").replace("-", "_")


SETTINGS: tuple[Setting, ...] = (
    Setting("sut", str, "reference", "NSPCERT_SUT", "nspcert_sut", "sut", flag="--sut", run="--sut",
            help="reference | manual | driver URL | python:MODULE:FACTORY (default reference)", metavar="SUT",
            aliases=("--nspcert-sut",)),
    Setting("nsp", str, "embedded", "NSPCERT_NSP", "nspcert_nsp", "nsp", flag="--nsp", run="--nsp",
            help="embedded | docker | URL of a running mock (default embedded)", metavar="NSP",
            aliases=("--nspcert-nsp",)),
    Setting("defects", tuple, (), "REFERENCE_EOJ_DEFECTS", "nspcert_reference_defects", "reference_defects",
            flag="--reference-defects", run="--defects", metavar="A,B",
            help="seeded reference-EOJ defects to switch on, comma-separated"),
    Setting("variants", tuple, (), "REFERENCE_EOJ_VARIANTS", "nspcert_reference_variants", "reference_variants",
            flag="--reference-variants", run="--variants", metavar="A,B",
            help="allowed reference-EOJ variants to switch on, comma-separated (docs/variants.md)"),
    Setting("nsp_token", str, "", "NSPCERT_NSP_TOKEN", None, "nsp_token"),
    Setting("slow_answer_ms", int, 3000, "NSPCERT_SLOW_ANSWER_MS", None, "slow_answer_ms"),
    Setting("nsp_port", int, 0, None, "nspcert_nsp_port", flag="--nspcert-nsp-port", run="--nsp-port",
            metavar="PORT", help="the embedded mock NSP listens on 127.0.0.1:PORT (default: a free port), so a manual "
                                 "tester's system keeps its configuration between runs"),
    Setting("ui", bool, False, None, "nspcert_ui", flag="--nspcert-ui", run="--ui",
            help="a manual run: answer in the browser (a local page; its address, with a token, is printed)"),
    Setting("ui_port", int, 0, None, "nspcert_ui_port", flag="--nspcert-ui-port", run="--ui-port", metavar="PORT",
            help="the port of the --ui page (default: a free one)"),
    Setting("system_cvr", str, "12345678", "NSPCERT_SYSTEM_CVR", None, "system_cvr"),
    Setting("system_organisation", str, "Testkommunen Sundhed og Omsorg", "NSPCERT_SYSTEM_ORGANISATION", None,
            "system_organisation"),
)
#: the settings ``nspcert run`` takes on its command line and passes on to the run's pytest
RUN_SETTINGS: tuple[Setting, ...] = tuple(s for s in SETTINGS if s.run)
#: the settings file's [nspcert] keys and the TOML type each must have
FILE_KEYS: dict[str, type] = {s.key: (list if s.kind is tuple else s.kind) for s in SETTINGS if s.key}


@dataclass(frozen=True, slots=True)
class HarnessSettings:
    """A catalogue run's settings, resolved (see the module docstring)."""

    sut: str
    nsp: str
    defects: tuple[str, ...]
    nsp_token: str | None
    log_dir: Path
    slow_answer_ms: int = 3000
    #: allowed variants of the reference EOJ (docs/variants.md): choices another correct system makes
    variants: tuple[str, ...] = ()
    nsp_port: int | None = None  #: a fixed port for the embedded mock NSP (a manual tester's system connects to it)
    ui: bool = False  #: a manual run's questions in the browser
    ui_port: int = 0
    system_cvr: str = "12345678"  #: the CVR and organisation of the function certificate a manual run writes
    system_organisation: str = "Testkommunen Sundhed og Omsorg"


def resolve(options: Mapping[str, Any], file: Mapping[str, Any], log_dir: Path = Path("logs"),
            environ: Mapping[str, str] | None = None) -> HarnessSettings:
    """The settings from pytest options (dest → value), the settings file's [nspcert] table and the environment;
    ``log_dir``: where the programs a run starts write their logs (the run directory's ``logs/``)."""
    env = os.environ if environ is None else environ
    values = {s.field: value(s, options, file, env) for s in SETTINGS}
    values["nsp_token"] = values["nsp_token"] or None
    values["nsp_port"] = values["nsp_port"] or None
    assert set(values) | {"log_dir"} == {f.name for f in fields(HarnessSettings)}
    return HarnessSettings(log_dir=log_dir, **values)


def value(setting: Setting, options: Mapping[str, Any], file: Mapping[str, Any], environ: Mapping[str, str]) -> Any:
    """One setting's value: the first source that has one."""
    given = options.get(setting.option) if setting.option else None
    if given not in (None, "", False) and given != setting.default:
        return _typed(setting, given)
    if setting.env and setting.env in environ:
        return _typed(setting, environ[setting.env])
    if setting.key and setting.key in file:
        return _typed(setting, file[setting.key])
    return setting.default


def option_kwargs(setting: Setting) -> dict[str, Any]:
    """How argparse (``nspcert run``) and pytest (the plugin's option) take the setting: a switch, or a value of its
    kind (a list as comma-separated text). Not given is None (False for a switch), so :func:`resolve` looks further."""
    if setting.kind is bool:
        return {"action": "store_true", "default": False, "help": setting.help}
    return {"type": int if setting.kind is int else str, "default": None, "metavar": setting.metavar,
            "help": setting.help}


class PytestOptions(Protocol):
    """A pytest session's options (``pytest.Config``)."""

    def getoption(self, name: str, default: Any = None, skip: bool = False) -> Any: ...


def from_options(config: PytestOptions, log_dir: Path, environ: Mapping[str, str] | None = None) -> HarnessSettings:
    """The settings of a pytest session from its options (those `nspcert run` passes), the environment and the
    settings file its ``--nspcert-config`` names."""
    from nspcert.config import load_config

    path = config.getoption("nspcert_config", None)
    options = {s.option: config.getoption(s.option, None) for s in SETTINGS if s.option}
    return resolve(options, load_config(Path(path)) if path else {}, log_dir, environ)


def pytest_arguments(setting: Setting, given: Any) -> list[str]:
    """The pytest arguments that pass on the value given to a setting's ``nspcert run`` option: none for a value
    not given (None, "", 0, False), the flag alone for a switch, else the flag and the value as text."""
    assert setting.flag, f"{setting.field} has no pytest option"
    if given in (None, "", 0, False):
        return []
    return [setting.flag] if setting.kind is bool else [setting.flag, str(given)]


def _typed(setting: Setting, raw: Any) -> Any:
    if setting.kind is tuple:
        items = raw.split(",") if isinstance(raw, str) else raw
        return tuple(str(item).strip() for item in items if str(item).strip())
    if setting.kind is bool:
        return raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "yes")
    return setting.kind(raw)
