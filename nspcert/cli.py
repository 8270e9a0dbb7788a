"""``nspcert``: run the certification catalogue, re-render and verify its reports, start the mock NSP.

    nspcert run [--level sit|cert|e2e|all] [--sut reference|URL|manual|python:MODULE:FACTORY] [--nsp embedded|docker|URL]
                [--config FILE] [--report-dir DIR] [-n WORKERS] [-k EXPR] [--defects a,b] [--variants a,b] [--features DIR]…
                [--waivers FILE] [--test-type self-test|certification] [--test-cprs FILE] [-- PYTEST_ARGS…]
    nspcert report RUN_DIR        re-render summary.json, certification.html and evidence.zip from RUN_DIR/results
    nspcert verify EVIDENCE_ZIP   check a bundle against its manifest (and its synthetic-CPR check)
    nspcert mock [ARGS…]          python -m mock_nsp ARGS…
    nspcert coverage [ARGS…]      the requirement coverage matrix (nspcert.catalogue.coverage)

``run`` lays the catalogue shipped in the package out in the run directory (``<run>/catalogue/``: its features,
its own pytest.ini and test module, see ``nspcert.catalogue.files``) and starts ``python -m pytest`` on it in a
subprocess, from any folder, with these pytest options, which the nspcert plugin defines and the fixtures read
(``config.getoption(dest)``)::

    --sut X                 dest nspcert_sut                 --nsp X            dest nspcert_nsp
    --reference-defects A,B dest nspcert_reference_defects   --nspcert-config F dest nspcert_config
    --reference-variants A,B dest nspcert_reference_variants
    --nspcert-report-dir D  --nspcert-run-id ID  --nspcert-level L  --nspcert-test-type T
    --nspcert-waivers F     --nspcert-test-cprs F
    -m sit|cert|e2e         the level (nothing for "all")     -k EXPR, -n N passed on

``--features DIR`` (repeatable) runs a vendor's own ``.feature`` files beside the catalogue, with the shipped steps
(staged as ``<run>/catalogue/<DIR's name>/``).

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

from nspcert.catalogue import files
from nspcert.results.verdicts import EXIT_HARNESS_ERROR, EXIT_OK, EXIT_USAGE

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
           "--sut", args.sut, "--nsp", args.nsp, "--nspcert-level", args.level, "--nspcert-test-type", args.test_type]
    if args.level != "all":
        cmd += ["-m", args.level]
    for flag, value in (("-k", args.keyword), ("--reference-defects", args.defects),
                        ("--reference-variants", args.variants), ("--nspcert-config", args.config),
                        ("--nspcert-waivers", args.waivers), ("--nspcert-test-cprs", args.test_cprs)):
        if value:
            cmd += [flag, value]
    if args.sut == "manual":  # a person answers the prompts: no output capture, one scenario at a time
        cmd += ["--capture=no", "-p", "no:xdist"]
    elif args.workers:
        cmd += ["-n", str(args.workers)]
    return cmd + list(args.pytest_args)


def _validate_run(args: argparse.Namespace) -> None:
    args.sut = _target("--sut", args.sut, SUT_CHOICES)
    args.nsp = _target("--nsp", args.nsp, NSP_CHOICES)
    _existing_file("--config", args.config)
    _existing_file("--test-cprs", args.test_cprs)
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
    _preflight(args)


def _feature_folder(value: str) -> Path:
    folder = Path(value).resolve()
    if not folder.is_dir() or not any(folder.rglob("*.feature")):
        raise UsageError(f"--features {value!r}: not a folder of .feature files")
    return folder


def _validate_files(args: argparse.Namespace) -> None:
    """The settings and waiver files must be readable and valid (read again by the run itself)."""
    from nspcert.config import ConfigError, load_config
    from nspcert.results.waivers import WaiverError, load_waivers

    try:
        if args.config:
            load_config(Path(args.config))
        args.loaded_waivers = load_waivers(Path(args.waivers)) if args.waivers else []
    except (ConfigError, WaiverError) as exc:
        raise UsageError(f"{'--config' if isinstance(exc, ConfigError) else '--waivers'}: {exc}") from exc


def _preflight(args: argparse.Namespace) -> None:
    """Targets that cannot work and waivers for unknown requirements stop the run before it starts (exit 2)."""
    from nspcert.preflight import PreflightError, check_nsp, check_waiver_ids, effective_nsp

    try:
        check_waiver_ids((w.requirement for w in args.loaded_waivers), _requirements(args))
        check_nsp(effective_nsp(args.nsp, args.config))
    except PreflightError as exc:
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
    print(f"nspcert: run {run_id}: {' '.join(cmd[1:])}", flush=True)
    returncode = subprocess.call(cmd)
    if returncode != PYTEST_USAGE_ERROR and (run_dir / "results").is_dir():
        refresh_latest(report_dir, run_dir)
    else:  # the run never started (pytest refused the options): leave no empty run behind, keep latest
        shutil.rmtree(run_dir, ignore_errors=True)
    return _run_exit_code(returncode, run_dir)


def _start_run_dir(run_dir: Path, args: argparse.Namespace, run_id: str) -> None:
    run_dir.mkdir(parents=True, exist_ok=False)
    invocation = {"run_id": run_id, "level": args.level, "sut": args.sut, "nsp": args.nsp, "config": args.config,
                  "workers": args.workers, "keyword": args.keyword, "defects": args.defects,
                  "variants": args.variants,
                  "waivers": args.waivers, "test_type": args.test_type,
                  "features": [str(folder) for folder in args.features]}
    (run_dir / "invocation.json").write_text(json.dumps(invocation, indent=2), encoding="utf-8")


def _run_exit_code(pytest_returncode: int, run_dir: Path) -> int:
    if pytest_returncode == PYTEST_USAGE_ERROR:  # a bad option, an unknown marker expression, …
        print("nspcert: pytest rejected the options (usage error)", file=sys.stderr)
        return EXIT_USAGE
    summary_path = run_dir / "summary.json"
    if not summary_path.is_file():
        print(f"nspcert: no summary.json in {run_dir}: the harness failed (pytest exit {pytest_returncode})",
              file=sys.stderr)
        return EXIT_HARNESS_ERROR
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    code = int(summary["exit_code"])
    if pytest_returncode in (2, 3) and code != EXIT_HARNESS_ERROR:
        code = EXIT_HARNESS_ERROR
    counts = ", ".join(f"{v} {k}" for k, v in summary["counts"].items())
    print(f"nspcert: {counts} → exit {code} ({summary['result']}); reports in {run_dir}")
    return code


def cmd_report(args: argparse.Namespace) -> int:
    from nspcert.results.build import build_reports

    run_dir = Path(args.run_dir)
    try:
        built = build_reports(run_dir)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from exc
    print(f"nspcert: re-rendered {run_dir}: {built['result']} (exit code of the run: {built['exit_code']})")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from nspcert.results.evidence import verify_bundle

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


def cmd_coverage(args: argparse.Namespace) -> int:
    from nspcert.catalogue import coverage

    return int(coverage.main(list(args.args)) or 0)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="nspcert", description="FSK 3.0 certification harness")
    sub = root.add_subparsers(dest="command", required=True)
    _run_parser(sub.add_parser("run", help="run the catalogue and write reports"))
    report = sub.add_parser("report", help="re-render a run's reports from its results")
    report.add_argument("run_dir")
    report.set_defaults(func=cmd_report)
    verify = sub.add_parser("verify", help="verify an evidence.zip against its manifest")
    verify.add_argument("bundle")
    verify.set_defaults(func=cmd_verify)
    for name, func, text in (("mock", cmd_mock, "start the mock NSP"), ("coverage", cmd_coverage, "coverage matrix")):
        p = sub.add_parser(name, help=text, add_help=False)
        p.add_argument("args", nargs=argparse.REMAINDER)
        p.set_defaults(func=func)
    return root


def _run_parser(run: argparse.ArgumentParser) -> None:
    run.add_argument("--level", choices=LEVELS, default="all", help="which gate's scenarios (default all)")
    run.add_argument("--sut", default="reference",
                     help="reference | manual | driver URL | python:MODULE:FACTORY (default reference)")
    run.add_argument("--nsp", default="embedded", help="embedded | docker | URL of a running mock (default embedded)")
    run.add_argument("--config", help="settings file: [nspcert] settings and the [vendor] table of the report")
    run.add_argument("--report-dir", default="reports", help="parent of the run directory (default reports)")
    run.add_argument("-n", "--workers", type=int, help="parallel workers (pytest-xdist)")
    run.add_argument("-k", dest="keyword", help="select scenarios by keyword expression")
    run.add_argument("--defects", help="seeded reference-EOJ defects to switch on, comma-separated")
    run.add_argument("--variants", help="allowed reference-EOJ variants to switch on, comma-separated (docs/variants.md)")
    run.add_argument("--waivers", help="waiver file (JSON or CSV: requirement, reason, reviewer, date)")
    run.add_argument("--test-type", choices=("self-test", "certification"), default="self-test")
    run.add_argument("--test-cprs", help="file of extra synthetic CPR numbers, one a line")
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
