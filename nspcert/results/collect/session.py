"""The controller's side of a reporting run: collection errors, session.json, and the reports at the end."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from nspcert.results.collect.recorder import RunContext
from nspcert.results.model.layout import save_layout
from nspcert.results.model.records import RESULTS, write_json
from nspcert.results.model.waivers import WaiverError, check_waiver_ids, load_waivers, save_waivers
from nspcert.settings import from_options

DETAILS_LIMIT = 8000
VENDOR = "vendor.json"


def prepare_run_dir(config: pytest.Config, run_dir: Path) -> None:
    """Empty results/, default the junit/cucumber/allure paths into the run, copy what a re-render needs."""
    shutil.rmtree(run_dir / RESULTS, ignore_errors=True)
    (run_dir / RESULTS).mkdir(parents=True, exist_ok=True)
    default_report_paths(config.option, run_dir)
    requirements = Path(config.getoption("nspcert_requirements") or config.rootpath / "features" / "requirements.csv")
    if requirements.is_file():
        shutil.copyfile(requirements, run_dir / "requirements.csv")
    _copy_waivers(config, run_dir, requirements)
    cprs = config.getoption("nspcert_test_cprs")
    if cprs:
        shutil.copyfile(cprs, run_dir / "test-cprs.txt")
    save_layout(run_dir, features_dir(config))
    _save_vendor(config, run_dir)
    _copy_baseline(config, run_dir)


def features_dir(config: pytest.Config) -> Path:
    """pytest-bdd's features base directory (``bdd_features_base_dir``, relative to the rootdir)."""
    try:
        base = config.getini("bdd_features_base_dir")
    except ValueError:  # pytest-bdd not loaded: the catalogue's convention
        base = ""
    return config.rootpath / str(base or "features")


def default_report_paths(option: Any, run_dir: Path, *, controller: bool = True) -> None:
    """junit, cucumber and allure output into the run unless given. xdist workers write allure results
    themselves, so they get the directory too (without cleaning it: the controller did, before they started)."""
    if not option.xmlpath:
        option.xmlpath = str(run_dir / "junit.xml")
    if getattr(option, "cucumber_json_path", "missing") is None:
        option.cucumber_json_path = str(run_dir / "cucumber.json")
    if getattr(option, "allure_report_dir", "missing") is None:
        option.allure_report_dir = str(run_dir / "allure-results")
        option.clean_alluredir = controller


def _save_vendor(config: pytest.Config, run_dir: Path) -> None:
    """The [vendor] table of --nspcert-config, for MedCom's vendor table (kept in the run for re-rendering)."""
    from nspcert.config import ConfigError, load_vendor

    path = config.getoption("nspcert_config")
    try:
        vendor = load_vendor(Path(path)) if path else {}
    except ConfigError as exc:
        raise pytest.UsageError(f"--nspcert-config: {exc}") from exc
    write_json(run_dir / VENDOR, vendor)


def _copy_baseline(config: pytest.Config, run_dir: Path) -> None:
    """The baseline run's summary, kept in the run: the delta is computed from it on every (re-)render."""
    from nspcert.results.render.build import BASELINE
    from nspcert.results.render.delta import DeltaError, load_summary

    baseline = config.getoption("nspcert_baseline")
    if not baseline:
        return
    try:
        write_json(run_dir / BASELINE, load_summary(Path(baseline)))
    except DeltaError as exc:
        raise pytest.UsageError(f"--nspcert-baseline: {exc}") from exc


def _copy_waivers(config: pytest.Config, run_dir: Path, requirements: Path) -> None:
    """Valid waivers for known requirements only: a typo in an id would silently waive nothing."""
    waivers = config.getoption("nspcert_waivers")
    if waivers:
        try:
            loaded = load_waivers(Path(waivers))
            check_waiver_ids((w.requirement for w in loaded), requirements)
        except WaiverError as exc:
            raise pytest.UsageError(f"--nspcert-waivers: {exc}") from exc
        save_waivers(run_dir, loaded)


class SessionTracker:
    """Registered on the controller of a reporting run only: collection errors, and the reports at the end."""

    def __init__(self, config: pytest.Config, ctx: RunContext) -> None:
        self.config = config
        self.ctx = ctx
        self.started = time.time()
        self.collection_errors: list[dict[str, str]] = []
        self.internal_errors: list[str] = []
        self.built: dict[str, Any] | None = None

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """xdist: hand each worker the controller's run date (waivers expire by it)."""
        node.workerinput["nspcert_run_date"] = self.ctx.run_date.isoformat()

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append({"nodeid": report.nodeid, "message": report.longreprtext[-DETAILS_LIMIT:]})

    def pytest_internalerror(self, excrepr: Any, excinfo: Any) -> None:
        self.internal_errors.append(str(excrepr)[-DETAILS_LIMIT:])

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        from nspcert.results.render.build import build_reports

        write_json(self.ctx.run_dir / "session.json", self.session_info(session, int(exitstatus)))
        try:
            self.built = build_reports(self.ctx.run_dir)
        except Exception as exc:  # noqa: BLE001 - reported; the missing summary makes `nspcert run` exit 3
            self.built = {"error": f"{type(exc).__name__}: {exc}"}

    def session_info(self, session: pytest.Session, exitstatus: int) -> dict[str, Any]:
        from nspcert import __version__
        from nspcert.results.model.tools import tool_versions

        config = self.config
        option = config.option
        settings = from_options(config, self.ctx.run_dir / "logs")
        return {
            "run_id": config.getoption("nspcert_run_id") or self.ctx.run_dir.name,
            "harness_version": __version__,
            "tools": tool_versions(),
            "started": self.started,
            "finished": time.time(),
            "pytest_exitstatus": exitstatus,
            # pytest's --maxfail/-x stop ("stopping after N failures"): under xdist the run then ends "interrupted"
            # (exit 2), in one process "failed" (exit 1); either way the vendor's fail, not the harness's error
            "stopped": str(session.shouldfail) if session.shouldfail else "",
            "collected": session.testscollected,
            "collection_errors": self.collection_errors,
            "internal_errors": self.internal_errors,
            "args": [str(a) for a in config.invocation_params.args],
            "options": {
                "sut": settings.sut, "nsp": settings.nsp,
                "level": config.getoption("nspcert_level"), "test_type": config.getoption("nspcert_test_type"),
                "reference_defects": ",".join(settings.defects), "reference_variants": ",".join(settings.variants),
                "config": config.getoption("nspcert_config"), "keyword": option.keyword or "",
                "markexpr": option.markexpr or "", "language": config.getoption("nspcert_language"),
                "baseline": config.getoption("nspcert_baseline"),
            },
        }

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        built = self.built
        if built is None:
            return
        terminalreporter.write_sep("-", "nspcert")
        if "error" in built:
            terminalreporter.write_line(f"nspcert: building the reports failed: {built['error']}", red=True)
            return
        counts = ", ".join(f"{v} {k}" for k, v in built["counts"].items() if k != "total")
        terminalreporter.write_line(f"nspcert: {counts}; exit code {built['exit_code']} ({built['result']})")
        terminalreporter.write_line(f"nspcert: reports in {built['run_dir']}")
