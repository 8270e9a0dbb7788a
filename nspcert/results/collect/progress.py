"""Progress of a catalogue run on the terminal: scenarios done of the total, and the feature being run.

``nspcert run`` passes ``--nspcert-progress=auto`` (``plain`` for a manual run), and then the terminal shows this
instead of pytest's own output, which goes to ``<run>/pytest-output.txt`` (the command line, the session header,
the dots, tracebacks: all there for whoever diagnoses a harness error)::

    line   (a terminal, not CI)  one line, rewritten in place:
           [ 37/115] 35 pass 1 fail 1 n/a · The employee sees the citizen's opt-out … › An unavailable opt-out …
    plain  (CI, a pipe, a manual run)  one line per scenario as it finishes:
           [ 37/115] fail  The employee sees the citizen's opt-out … › An unavailable opt-out register is never …
           and in a manual run (a person answers the prompts) a line as each scenario ends, its heading having
           come before its questions (the manual driver says it: ``ManualDriver.begin``)

Works the same under xdist: the controller learns the total from the workers' collection and the feature and
scenario from the reports (``nspcert_feature``/``nspcert_scenario`` in ``user_properties``, set by the collector).
:class:`Progress` is also what a manual run's browser page shows (``nspcert.driver.manual_web``).
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pytest

from nspcert.settings import from_options

MODES = ("off", "auto", "line", "plain")
PYTEST_OUTPUT = "pytest-output.txt"
SHORT = {"pass": "pass", "fail": "fail", "error": "error", "not_applicable": "n/a", "waived": "waived"}


@dataclass
class Progress:
    """Where a run is: scenarios done of the total, the running one, verdicts so far (read by other threads)."""

    total: int = 0
    done: int = 0
    feature: str = ""
    scenario: str = ""
    verdicts: Counter[str] = field(default_factory=Counter)
    finished: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"total": self.total, "done": self.done, "feature": self.feature, "scenario": self.scenario,
                    "verdicts": dict(self.verdicts), "finished": self.finished}


PROGRESS_KEY = pytest.StashKey[Progress]()


def resolve(mode: str, stream: TextIO, environ: dict[str, str] | None = None) -> str:
    """``auto``: one updating line on a terminal, plain lines in CI (``CI`` set) or when the output is a pipe."""
    env = os.environ if environ is None else environ
    if mode != "auto":
        return mode
    in_ci = env.get("CI", "").lower() not in ("", "0", "false", "no")
    return "line" if stream.isatty() and not in_ci and env.get("TERM") != "dumb" else "plain"


def attach(config: pytest.Config, run_dir: Path) -> Progress:
    """The run's :class:`Progress`, with a reporter on the terminal when ``--nspcert-progress`` asks for one."""
    progress = config.stash[PROGRESS_KEY] = Progress()
    mode = resolve(str(config.getoption("nspcert_progress")), sys.stdout)
    if mode != "off":
        manual = from_options(config, run_dir / "logs").sut == "manual"
        config.pluginmanager.register(ProgressReporter(config, progress, run_dir, mode, sys.stdout, manual),
                                      "nspcert-progress")
    return progress


class ProgressReporter:
    """Shows :class:`Progress` on the terminal and sends pytest's own terminal output to a file in the run."""

    def __init__(self, config: pytest.Config, progress: Progress, run_dir: Path, mode: str, screen: TextIO,
                 manual: bool) -> None:
        self.config, self.progress, self.mode, self.screen, self.manual = config, progress, mode, screen, manual
        self.output_path = run_dir / PYTEST_OUTPUT
        self._output: TextIO | None = None
        self._names: dict[str, str] = {}  # node id → "feature › scenario" (each phase has its own report)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """pytest's terminal reporter writes to ``pytest-output.txt`` from now on, its session header included."""
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:
            return
        from _pytest._io import TerminalWriter

        self.output_path.parent.mkdir(parents=True, exist_ok=True)
        self._output = self.output_path.open("w", encoding="utf-8")
        reporter._tw = TerminalWriter(self._output)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self._output is not None:
            self._output.close()
            self._output = None

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        with self.progress.lock:
            self.progress.total = len(session.items)
        self._show()

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        with self.progress.lock:
            self.progress.total = max(self.progress.total, len(ids))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        if report.when == "setup" and "nspcert_feature" in props:
            with self.progress.lock:
                self.progress.feature, self.progress.scenario = str(props["nspcert_feature"]), str(props["nspcert_scenario"])
            self._names[report.nodeid] = f"{self.progress.feature} › {self.progress.scenario}"
            self._show()
        if report.when == "teardown":
            verdict = str(props.get("nspcert_verdict", "error" if report.failed else "pass"))
            with self.progress.lock:
                self.progress.done += 1
                self.progress.verdicts[verdict] += 1
            if self.manual:  # the scenario's heading came before its questions (the manual driver says it)
                self._line(f"── {self._count(self.progress.done)} {SHORT.get(verdict, verdict)}: "
                           f"{self._names.pop(report.nodeid, report.nodeid)}")
            elif self.mode == "plain":
                name = self._names.pop(report.nodeid, report.nodeid)
                self._line(f"{self._count(self.progress.done)} {SHORT.get(verdict, verdict):6} {name}")
            self._show()

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        with self.progress.lock:
            self.progress.finished = True
        if self.mode == "line":
            self._show()
            self.screen.write("\n")
            self.screen.flush()

    def _count(self, number: int) -> str:
        width = len(str(self.progress.total or number))
        return f"[{number:>{width}}/{self.progress.total or '?'}]"

    def _show(self) -> None:
        if self.mode != "line":
            return
        p = self.progress.snapshot()
        tally = " ".join(f"{n} {SHORT.get(v, v)}" for v, n in sorted(p["verdicts"].items()))
        where = f" · {p['feature']} › {p['scenario']}" if p["feature"] and not p["finished"] else ""
        text = " ".join(part for part in (self._count(p["done"]), tally) if part) + where
        width = shutil.get_terminal_size((100, 20)).columns - 1
        self.screen.write("\r\x1b[K" + (text if len(text) <= width else text[:width - 1] + "…"))
        self.screen.flush()

    def _line(self, text: str) -> None:
        self.screen.write(text + "\n")
        self.screen.flush()
