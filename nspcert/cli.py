"""``nspcert``: run the certification catalogue, re-render and verify its reports, start the mock NSP.

    nspcert run [--level sit|cert|e2e|all] [--sut reference|URL|manual|python:MODULE:FACTORY] [--nsp embedded|docker|URL]
                [--config FILE] [--report-dir DIR] [-n WORKERS] [-k EXPR] [--defects a,b] [--variants a,b] [--features DIR]…
                [--waivers FILE] [--test-type self-test|certification] [--test-cprs FILE] [--language da|en]
                [--baseline RUN_DIR] [--progress auto|line|plain|off] [--nsp-port PORT] [--ui [--ui-port PORT]]
                [-- PYTEST_ARGS…]
    nspcert report RUN_DIR [--language da|en] [--baseline RUN_DIR]
                                  re-render summary.json, certification.html and evidence.zip from RUN_DIR/results
                                  (in the run's own language unless --language is given)
    nspcert diff OLD_RUN NEW_RUN [--language da|en] [--json]
                                  what moved between two runs: exit 0 nothing, 1 something (a re-certification)
    nspcert verify EVIDENCE_ZIP   check a bundle against its manifest (and its synthetic-CPR check)
    nspcert mock [ARGS…]          python -m mock_nsp ARGS…
    nspcert reference-eoj --nsp URL [--host H] [--port P] [--state-dir DIR] [--defects a,b] [--wait S]
                                  the reference EOJ as a service against a running mock NSP (nspcert.command.reference_service)
    nspcert coverage [ARGS…]      the requirement coverage matrix (nspcert.catalogue.coverage)

``run`` lays the catalogue shipped in the package out in the run directory (``<run>/catalogue/``: its features,
its own pytest.ini and test module, see ``nspcert.catalogue.files``) and starts ``python -m pytest`` on it in a
subprocess, from any folder, with these pytest options, which the nspcert plugin defines and the fixtures read
(``config.getoption(dest)``)::

    --sut X                 dest nspcert_sut                 --nsp X            dest nspcert_nsp
    --reference-defects A,B dest nspcert_reference_defects   --nspcert-config F dest nspcert_config
    --reference-variants A,B dest nspcert_reference_variants
    --nspcert-report-dir D  --nspcert-run-id ID  --nspcert-level L  --nspcert-test-type T
    --nspcert-waivers F     --nspcert-test-cprs F            --nspcert-language L   --nspcert-baseline RUN
    -m sit|cert|e2e         the level (nothing for "all")     -k EXPR, -n N passed on

``--features DIR`` (repeatable) runs a vendor's own ``.feature`` files beside the catalogue, with the shipped steps
(staged as ``<run>/catalogue/<DIR's name>/``).

A manual run (``--sut manual``) first shows where the embedded mock NSP listens (``--nsp-port`` fixes its port, so
the tester's system keeps its configuration between runs) and writes the system's function certificate; with
``--ui`` the questions are answered on a local page in the browser (its address is printed in the terminal).

Results go to ``DIR/<run-id>/`` (default DIR: ``reports``; run id ``20261125T170500Z-1a2b3c``) and
``DIR/latest`` points at the newest run (a relative symlink, or a copy where symlinks are not possible).

Exit codes (SPEC §7): 0 every applicable scenario passed (waivers allowed) · 1 at least one fail ·
3 a harness error (takes precedence: the run certifies nothing) · 4 nothing ran · 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import difflib
import json
import secrets
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nspcert.catalogue import files
from nspcert.results.model.verdicts import EXIT_HARNESS_ERROR, EXIT_OK, EXIT_USAGE
from nspcert.results.render.words import LANGUAGES
from nspcert.settings import RUN_SETTINGS, HarnessSettings, option_kwargs, pytest_arguments, resolve

LEVELS = ("sit", "cert", "e2e", "all")
SUT_CHOICES = ("reference", "manual")
NSP_CHOICES = ("embedded", "docker")
PYTEST_USAGE_ERROR = 4


class UsageError(Exception):
    """A usage or configuration error (exit code 2)."""


def new_run_id(now: datetime | None = None) -> str:
    """``YYYYMMDDTHHMMSSZ-<6 hex>`` in UTC."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def _target(option: str, value: str, choices: Sequence[str]) -> str:
    if value in choices or value.startswith(("http://", "https://")):
        return value
    if option == "--sut" and value.startswith("python:"):
        from nspcert.driver.python import spec_problem

        if (problem := spec_problem(value.removeprefix("python:"))) is None:
            return value
        raise UsageError(f"--sut {value!r}: {problem}; expected python:MODULE:FACTORY or python:ENTRY-POINT-NAME")
    hint = difflib.get_close_matches(value, choices, n=1)
    suggestion = f' Did you mean "{hint[0]}"?' if hint else ""
    python = " or python:MODULE:FACTORY | python:ENTRY-POINT-NAME" if option == "--sut" else ""
    raise UsageError(f"{option} {value!r}: expected one of {', '.join(choices)}, an http(s):// URL{python}.{suggestion}")


def _existing_file(option: str, value: str | None) -> str | None:
    if value is not None and not Path(value).is_file():
        raise UsageError(f"{option} {value!r}: no such file")
    return value


def pytest_command(args: argparse.Namespace, run_dir: Path, run_id: str) -> list[str]:
    """The pytest command line of ``nspcert run`` (the catalogue staged in the run directory)."""
    catalogue = [args.catalogue] if args.catalogue else files.stage(run_dir / "catalogue", args.features)
    cmd = [sys.executable, "-m", "pytest", *catalogue, "-p", "no:allure_pytest", "--tb=short",
           "--nspcert-report-dir", str(run_dir), "--nspcert-run-id", run_id,
           "--junitxml", str(run_dir / "junit.xml"), "--cucumberjson", str(run_dir / "cucumber.json"),
           "--alluredir", str(run_dir / "allure-results"),
           *setting_options(args), "--nspcert-level", args.level, "--nspcert-test-type", args.test_type,
           "--nspcert-language", args.language, "--nspcert-progress", _progress(args)]
    if args.level != "all":
        cmd += ["-m", args.level]
    for flag, value in (("-k", args.keyword), ("--nspcert-config", args.config), ("--nspcert-waivers", args.waivers),
                        ("--nspcert-test-cprs", args.test_cprs), ("--nspcert-baseline", args.baseline)):
        if value:
            cmd += [flag, value]
    if args.effective.sut == "manual":  # a person answers the prompts: no output capture, one scenario at a time
        cmd += ["--capture=no", "-p", "no:xdist"]
    elif args.workers:
        cmd += ["-n", str(args.workers)]
    return cmd + list(args.pytest_args)


def setting_options(args: argparse.Namespace) -> list[str]:
    """The pytest options that pass the settings given to ``nspcert run`` on to the run (nspcert.settings)."""
    return [word for s in RUN_SETTINGS for word in pytest_arguments(s, getattr(args, s.run_dest))]


def given_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given to ``nspcert run``, as :func:`nspcert.settings.resolve` takes them (pytest dest → value)."""
    return {s.option: getattr(args, s.run_dest) for s in RUN_SETTINGS if s.option}


def _progress(args: argparse.Namespace) -> str:
    """What the terminal shows: progress (pytest's output goes to <run>/pytest-output.txt), or with ``--progress off``
    pytest's own output. A manual run's tester gets plain lines between the prompts, never an updating line."""
    if args.effective.sut == "manual" and args.progress in ("auto", "line"):
        return "plain"
    return str(args.progress)


def _validate_run(args: argparse.Namespace) -> None:
    _existing_file("--config", args.config)
    _existing_file("--test-cprs", args.test_cprs)
    if args.baseline:
        args.baseline = str(_baseline(args.baseline))
    args.features = [_feature_folder(folder) for folder in args.features]
    if args.features and args.catalogue:
        raise UsageError("--features adds to the shipped catalogue; it cannot be used with --catalogue")
    if args.catalogue is not None and not Path(args.catalogue).is_file():
        raise UsageError(f"--catalogue {args.catalogue!r}: no such test module")
    if args.workers is not None and args.workers < 0:
        raise UsageError(f"-n {args.workers}: the number of workers cannot be negative")
    if args.pytest_args and args.pytest_args[0] == "--":
        args.pytest_args = args.pytest_args[1:]
    _validate_files(args)
    args.effective = _effective_settings(args)  # given here, in the environment or in the settings file
    _target("--sut", args.effective.sut, SUT_CHOICES)
    _target("--nsp", args.effective.nsp, NSP_CHOICES)
    _validate_manual(args)
    _preflight(args)


def _effective_settings(args: argparse.Namespace) -> HarnessSettings:
    """The settings the run's fixtures will resolve (options, environment, settings file; nspcert.settings), so
    that what is checked here and what the run does cannot differ."""
    from nspcert.config import load_config

    return resolve(given_settings(args), load_config(Path(args.config)) if args.config else {})


def _validate_manual(args: argparse.Namespace) -> None:
    """--ui is for a manual run; --nsp-port fixes the embedded mock's port (one process: one mock)."""
    sut, nsp = args.effective.sut, args.effective.nsp
    if args.ui and sut != "manual":
        raise UsageError(f"--ui: the browser page is for a manual run (--sut manual), not --sut {sut}")
    if args.ui_port and not args.ui:
        raise UsageError("--ui-port: only with --ui")
    if args.nsp_port is not None:
        if nsp != "embedded":
            raise UsageError(f"--nsp-port: the port of the embedded mock NSP; --nsp {nsp} is not embedded")
        if args.workers and sut != "manual":
            raise UsageError(f"--nsp-port with -n {args.workers}: each worker starts its own mock NSP, and only one "
                             "can have the port; leave out -n")
    for option, port in (("--nsp-port", args.nsp_port), ("--ui-port", args.ui_port)):
        if port:
            _free(option, port)


def _free(option: str, port: int) -> None:
    import socket

    if not 0 < port < 65536:
        raise UsageError(f"{option} {port}: expected a port number 1-65535")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise UsageError(f"{option} {port}: 127.0.0.1:{port} is in use ({exc.strerror}); choose another port") from exc


def _baseline(value: str) -> Path:
    """A baseline run directory with a summary (checked before the run starts; read again by the run)."""
    from nspcert.results.render.delta import DeltaError, load_summary

    folder = Path(value).resolve()
    try:
        load_summary(folder)
    except (DeltaError, ValueError) as exc:
        raise UsageError(f"--baseline {value!r}: {exc}") from exc
    return folder


def _feature_folder(value: str) -> Path:
    folder = Path(value).resolve()
    if not folder.is_dir() or not any(folder.rglob("*.feature")):
        raise UsageError(f"--features {value!r}: not a folder of .feature files")
    return folder


def _validate_files(args: argparse.Namespace) -> None:
    """The settings and waiver files must be readable and valid (read again by the run itself)."""
    from nspcert.config import ConfigError, load_config
    from nspcert.results.model.waivers import WaiverError, load_waivers

    try:
        if args.config:
            load_config(Path(args.config))
        args.loaded_waivers = load_waivers(Path(args.waivers)) if args.waivers else []
    except (ConfigError, WaiverError) as exc:
        raise UsageError(f"{'--config' if isinstance(exc, ConfigError) else '--waivers'}: {exc}") from exc


def _preflight(args: argparse.Namespace) -> None:
    """Targets that cannot work and waivers for unknown requirements stop the run before it starts (exit 2)."""
    from nspcert.command.preflight import PreflightError, check_nsp
    from nspcert.results.model.waivers import WaiverError, check_waiver_ids

    try:
        check_waiver_ids((w.requirement for w in args.loaded_waivers), _requirements(args))
        check_nsp(args.effective.nsp)
    except (PreflightError, WaiverError) as exc:
        raise UsageError(str(exc)) from exc


def _requirements(args: argparse.Namespace) -> Path:
    """The requirements the run traces to: the shipped catalogue's, or a development catalogue's beside its tests."""
    if args.catalogue:
        return Path(args.catalogue).resolve().parents[1] / "features" / "requirements.csv"
    return files.requirements_csv()


def refresh_latest(report_dir: Path, run_dir: Path) -> Path:
    """Point ``report_dir/latest`` at ``run_dir`` (relative symlink; a copy where symlinks fail)."""
    latest = report_dir / "latest"
    if latest.is_symlink() or latest.is_file():
        latest.unlink()
    elif latest.is_dir():
        shutil.rmtree(latest)
    try:
        latest.symlink_to(run_dir.name, target_is_directory=True)
    except OSError:
        shutil.copytree(run_dir, latest)
    return latest


def cmd_run(args: argparse.Namespace) -> int:
    _validate_run(args)
    run_id = args.run_id or new_run_id()
    report_dir = Path(args.report_dir).resolve()
    run_dir = report_dir / run_id
    _start_run_dir(run_dir, args, run_id)
    cmd = pytest_command(args, run_dir, run_id)
    _save_command(run_dir, cmd)
    print(f"nspcert: run {run_id} → {run_dir}", flush=True)
    returncode = subprocess.call(cmd)
    if returncode != PYTEST_USAGE_ERROR and (run_dir / "results").is_dir():
        refresh_latest(report_dir, run_dir)
    else:  # the run never started (pytest refused the options): leave no empty run behind, keep latest
        shutil.rmtree(run_dir, ignore_errors=True)
    return _run_exit_code(returncode, run_dir)


def _start_run_dir(run_dir: Path, args: argparse.Namespace, run_id: str) -> None:
    run_dir.mkdir(parents=True, exist_ok=False)
    effective = args.effective
    invocation = {"run_id": run_id, "level": args.level, "sut": effective.sut, "nsp": effective.nsp,
                  "config": args.config, "workers": args.workers, "keyword": args.keyword,
                  "defects": ",".join(effective.defects) or None, "variants": ",".join(effective.variants) or None,
                  "waivers": args.waivers, "test_type": args.test_type, "language": args.language,
                  "baseline": args.baseline,
                  "features": [str(folder) for folder in args.features]}
    (run_dir / "invocation.json").write_text(json.dumps(invocation, indent=2), encoding="utf-8")


def _save_command(run_dir: Path, cmd: list[str]) -> None:
    """The pytest command line is for whoever diagnoses the harness: kept in invocation.json, not shown."""
    path = run_dir / "invocation.json"
    invocation = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(invocation | {"command": cmd}, indent=2), encoding="utf-8")


def _stopped(run_dir: Path) -> str:
    """Why pytest stopped early on its own (``--maxfail``/``-x``: "stopping after N failures"), else ""."""
    try:
        return str(json.loads((run_dir / "session.json").read_text(encoding="utf-8")).get("stopped") or "")
    except (OSError, ValueError):
        return ""


def _run_exit_code(pytest_returncode: int, run_dir: Path) -> int:
    if pytest_returncode == PYTEST_USAGE_ERROR:  # a bad option, an unknown marker expression, …
        print("nspcert: pytest rejected the options (usage error)", file=sys.stderr)
        return EXIT_USAGE
    summary_path = run_dir / "summary.json"
    if not summary_path.is_file():
        output = run_dir / "pytest-output.txt"
        seen = f"; pytest's output is in {output}" if output.is_file() else ""
        print(f"nspcert: no summary.json in {run_dir}: the harness failed (pytest exit {pytest_returncode}){seen}",
              file=sys.stderr)
        return EXIT_HARNESS_ERROR
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    code = int(summary["exit_code"])
    stopped = _stopped(run_dir)
    if (pytest_returncode == 3 or (pytest_returncode == 2 and not stopped)) and code != EXIT_HARNESS_ERROR:
        code = EXIT_HARNESS_ERROR
    for scenario in summary["scenarios"]:
        if scenario["verdict"] in ("fail", "error"):
            print(f"nspcert: {scenario['verdict']:5} {scenario['number']} {scenario['name']} "
                  f"({', '.join(scenario['requirements']) or 'no requirement'})")
    if stopped:
        print(f"nspcert: pytest {stopped} (--maxfail): {summary['counts']['total']} scenarios ran, the rest did not")
    counts = ", ".join(f"{v} {k}" for k, v in summary["counts"].items())
    print(f"nspcert: {counts} → exit {code} ({summary['result']}); reports in {run_dir}")
    return code


def cmd_report(args: argparse.Namespace) -> int:
    from nspcert.catalogue.requirements import CatalogueError
    from nspcert.results.model.records import write_json
    from nspcert.results.render.build import BASELINE, build_reports

    run_dir = Path(args.run_dir)
    if not (run_dir / "results").is_dir():
        raise UsageError(f"{run_dir}: no results/ directory (not an nspcert run directory)")
    if args.baseline:
        write_json(run_dir / BASELINE, _summary(args.baseline, "--baseline"))
    try:
        built = build_reports(run_dir, args.language)
    except CatalogueError as exc:
        print(f"nspcert report: the run's requirement catalogue cannot be read: {exc}", file=sys.stderr)
        return EXIT_HARNESS_ERROR
    print(f"nspcert: re-rendered {run_dir}: {built['result']} (exit code of the run: {built['exit_code']})")
    return EXIT_OK


def _summary(run_dir: str, what: str) -> dict[str, Any]:
    from nspcert.results.render.delta import DeltaError, load_summary

    try:
        return load_summary(Path(run_dir))
    except (DeltaError, ValueError) as exc:
        raise UsageError(f"{what} {run_dir!r}: {exc}") from exc


def cmd_diff(args: argparse.Namespace) -> int:
    """What moved between two runs; exit 0 when nothing did (versions aside), 1 when something did."""
    from nspcert.results.render.delta import as_text, compare, moved
    from nspcert.results.render.words import Words

    old, new = _summary(args.old_run, "OLD_RUN"), _summary(args.new_run, "NEW_RUN")
    delta = compare(old, new)
    if args.json:
        print(json.dumps(delta, indent=2, ensure_ascii=False))
    else:
        words = Words.of(args.language or new.get("language"))
        print(f"nspcert diff: {delta['baseline']['run_id']} → {new.get('run_id', '')}")
        print(as_text(delta, str(new.get("run_id", "")), words), end="")
    return 1 if moved(delta) else EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from nspcert.results.render.evidence import verify_bundle

    bundle = Path(args.bundle)
    if not bundle.is_file():
        raise UsageError(f"{bundle}: no such file")
    problems = verify_bundle(bundle)
    for problem in problems:
        print(f"nspcert verify: {problem}", file=sys.stderr)
    if not problems:
        print(f"nspcert verify: {bundle} matches its manifest")
    return 1 if problems else EXIT_OK


def cmd_mock(args: argparse.Namespace) -> int:
    return subprocess.call([sys.executable, "-m", "mock_nsp", *args.args])


def cmd_reference_eoj(args: argparse.Namespace) -> int:
    from nspcert.command.reference_service import NspNotReady, serve

    if not args.nsp.startswith(("http://", "https://")):
        raise UsageError(f"--nsp {args.nsp!r}: expected the http(s):// URL of a running mock NSP")
    defects = [name.strip() for name in (args.defects or "").split(",") if name.strip()]
    try:
        serve(args.nsp, args.host, args.port, Path(args.state_dir) if args.state_dir else None, defects, args.wait)
    except NspNotReady as exc:
        print(f"nspcert reference-eoj: {exc}", file=sys.stderr)
        return EXIT_HARNESS_ERROR
    return EXIT_HARNESS_ERROR  # serve() replaces this process; reaching here means it could not


def cmd_coverage(args: argparse.Namespace) -> int:
    from nspcert.catalogue import coverage

    return int(coverage.main(list(args.args)) or 0)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="nspcert", description="FSK 3.0 certification harness")
    sub = root.add_subparsers(dest="command", required=True)
    _run_parser(sub.add_parser("run", help="run the catalogue and write reports"))
    report = sub.add_parser("report", help="re-render a run's reports from its results")
    report.add_argument("run_dir")
    report.add_argument("--language", choices=LANGUAGES, default=None,
                        help="da (Danish) or en (English); default: the language the run was started with")
    report.add_argument("--baseline", metavar="RUN_DIR", help="show the changes since this earlier run")
    report.set_defaults(func=cmd_report)
    diff = sub.add_parser("diff", help="what moved between two runs (a re-certification delta)")
    diff.add_argument("old_run", metavar="OLD_RUN", help="the baseline run directory (e.g. the approved release)")
    diff.add_argument("new_run", metavar="NEW_RUN", help="the new run directory")
    diff.add_argument("--language", choices=LANGUAGES, default=None, help="default: the new run's language")
    diff.add_argument("--json", action="store_true", help="the delta as JSON (summary.json's delta)")
    diff.set_defaults(func=cmd_diff)
    verify = sub.add_parser("verify", help="verify an evidence.zip against its manifest")
    verify.add_argument("bundle")
    verify.set_defaults(func=cmd_verify)
    _reference_parser(sub.add_parser("reference-eoj", help="run the reference EOJ against a running mock NSP"))
    for name, func, text in (("mock", cmd_mock, "start the mock NSP"), ("coverage", cmd_coverage, "coverage matrix")):
        p = sub.add_parser(name, help=text, add_help=False)
        p.add_argument("args", nargs=argparse.REMAINDER)
        p.set_defaults(func=func)
    return root


def _reference_parser(eoj: argparse.ArgumentParser) -> None:
    eoj.add_argument("--nsp", required=True, help="URL of the running mock NSP (its token: $NSPCERT_NSP_TOKEN)")
    eoj.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    eoj.add_argument("--port", type=int, default=8081, help="port of the driver adapter (default 8081)")
    eoj.add_argument("--state-dir", help="where the certificate and the EOJ's state go (default: a new temporary one)")
    eoj.add_argument("--defects", help="seeded defects to switch on, comma-separated")
    eoj.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the mock NSP (default 60)")
    eoj.set_defaults(func=cmd_reference_eoj)


def _run_parser(run: argparse.ArgumentParser) -> None:
    run.add_argument("--level", choices=LEVELS, default="all", help="which gate's scenarios (default all)")
    for setting in RUN_SETTINGS:  # the harness's settings, each from its row (nspcert.settings)
        assert setting.run
        run.add_argument(setting.run, **option_kwargs(setting))
    run.add_argument("--config", help="settings file: [nspcert] settings and the [vendor] table of the report")
    run.add_argument("--report-dir", default="reports", help="parent of the run directory (default reports)")
    run.add_argument("-n", "--workers", type=int, help="parallel workers (pytest-xdist)")
    run.add_argument("-k", dest="keyword", help="select scenarios by keyword expression")
    run.add_argument("--waivers", help="waiver file (JSON or CSV: requirement, reason, reviewer, date)")
    run.add_argument("--test-type", choices=("self-test", "certification"), default="self-test")
    run.add_argument("--test-cprs", help="file of extra synthetic CPR numbers, one a line")
    run.add_argument("--progress", choices=("auto", "line", "plain", "off"), default="auto",
                     help="the terminal shows scenarios done/total and the feature (auto: one updating line on a "
                          "terminal, plain lines in CI) while pytest's output goes to <run>/pytest-output.txt; "
                          "off shows pytest's own output")
    run.add_argument("--language", choices=LANGUAGES, default="da",
                     help="the report's language: da (Danish, MedCom's protocol language; the default) or en")
    run.add_argument("--baseline", metavar="RUN_DIR",
                     help="an earlier run (e.g. the approved release): the report shows what changed since it")
    run.add_argument("--run-id", help=argparse.SUPPRESS)
    run.add_argument("--catalogue", default=None, help=argparse.SUPPRESS)  # a development catalogue's test module
    run.add_argument("--features", action="append", default=[], metavar="DIR",
                     help="a folder of your own .feature files to run beside the catalogue, with its steps (repeatable)")
    run.add_argument("pytest_args", nargs=argparse.REMAINDER, help="after --: more pytest arguments")
    run.set_defaults(func=cmd_run)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``nspcert`` console script."""
    root = parser()
    args, extra = root.parse_known_args(argv)
    if args.command in ("mock", "coverage"):
        args.args = [*extra, *args.args]  # argparse leaves a leading "--option" out of REMAINDER
    elif extra:
        root.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"nspcert: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_HARNESS_ERROR


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["main", "new_run_id", "parser", "pytest_command", "refresh_latest"]
