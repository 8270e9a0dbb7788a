"""The browser workflow in a real browser: Playwright drives Debian's Chromium through ``nspcert run --sut manual
--ui``, the whole FGVH feature, against the reference EOJ with a seeded defect; the verdicts are those of the HTTP
driver, the answers are durable evidence, a reload and a closed tab lose nothing.

The robot tester (``manual_robot``) does what a person does: it reads the connection guide in the terminal, sets
its system (the reference EOJ) up from it (the mock's base URL, the function certificate's PEM files, the CVR),
opens the printed address, and answers every question on the page from what its system shows (drag and drop,
paste and the file picker for the screenshots). Chromium is Debian's (``apt-get install -y chromium``; Playwright's
own browser download does not work here); without it the test is skipped, and under CI=true it fails.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from manual_robot import REFUSALS, Robot, http_verdicts, verdicts

from nspcert.catalogue.fixtures.sut import start_installed_eoj
from nspcert.driver.http import HttpDriver
from nspcert.driver.manual import EVIDENCE_LOG
from nspcert.driver.manual_prompts import read_log
from nspcert.processes import Program, free_port

CHROMIUM = Path(os.environ.get("NSPCERT_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEFECT = "fgvh-nav-as-false"
#: the whole FGVH feature: the certification scenarios of the FGVH requirements (not the SIT fault scenario)
FGVH = ("--level", "cert", "--", "--requirement=FSK-CERT-FGVH-*")
#: where the screenshots of the page for the documentation go (NSPCERT_DOCS_IMAGES=docs/images)
DOCS_IMAGES = os.environ.get("NSPCERT_DOCS_IMAGES", "")
pytestmark = pytest.mark.slow


def chromium() -> Any:
    """Playwright's sync API, or a skip (a fail under CI=true, where .ci/run installs Debian's chromium)."""
    missing = "" if CHROMIUM.is_file() else f"{CHROMIUM} is missing (apt-get install -y chromium chromium-driver)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = missing or "the playwright package is missing (pip install playwright)"
    if missing:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"CI must run the browser test: {missing}")
        pytest.skip(missing)
    return sync_playwright


@dataclass
class Terminal:
    """What ``nspcert run`` prints, read as it comes."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 120) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (found := re.search(pattern, self.text, re.S)) is not None:
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} not printed: {self.text[-3000:]}")


def install_system(terminal: Terminal, work: Path) -> Program:
    """The tester's system (the reference EOJ with the seeded defect) set up from the connection guide only."""
    guide = terminal.wait_for(r"listens at (?P<base>http://\S+) .*?function certificate \(FOCES, CVR (?P<cvr>\d+), "
                              r"(?P<org>[^)]+)\).*?PEM certificate +(?P<pem>\S+)\n.*?PEM private key +(?P<key>\S+)\n")
    return start_installed_eoj(guide["base"], Path(guide["pem"]), Path(guide["key"]), work / "eoj", (DEFECT,),
                               work / "eoj-logs", guide["cvr"], guide["org"])


@dataclass
class BrowserTester:
    """Answers the page's questions with the robot: one question at a time, by its key."""

    page: Any
    robot: Robot
    url: str
    uploads: list[str] = field(default_factory=list)  # SHA-256 of every screenshot dropped, pasted or picked
    seen: int = 0
    shots: int = 0
    checked_reload: bool = False

    def next_question(self, run: subprocess.Popen[str], timeout: float = 120) -> dict[str, str] | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.page.evaluate("""() => { const q = document.getElementById('question');
                return {id: q.dataset.id, key: q.dataset.key, kind: q.dataset.kind,
                        step: document.getElementById('step').textContent,
                        prompt: document.getElementById('prompt').textContent,
                        finished: getComputedStyle(document.getElementById('finished')).display !== 'none'}; }""")
            if found["id"] and int(found["id"]) > self.seen:
                return dict(found)
            if found["finished"] or run.poll() is not None:
                return None
            time.sleep(0.05)
        raise AssertionError("no question on the page")

    def answer(self, question: dict[str, str]) -> None:
        self.seen = int(question["id"])
        step, key, kind, prompt = question["step"], question["key"], question["kind"], question["prompt"]
        if kind in ("lines", "note"):
            self._type(self.robot.answer_lines(step, key, prompt), "\n")
        elif kind == "file":
            self._attach()
            self.robot.answer(step, key, prompt)  # the robot's own answer (no file) is not used
        elif kind in ("act", "yes", "choice"):
            self.page.click(f'#fields button[data-answer="{self.robot.answer(step, key, prompt)}"]')
        else:
            self._reload_keeps_a_draft(question)
            self._type([self.robot.answer(step, key, prompt)], "")
        self.page.wait_for_function(f"""() => document.getElementById('question').dataset.id !== '{self.seen}'
            || document.getElementById('status').textContent.startsWith('Saved')""", timeout=60_000)
        said = self.page.evaluate("() => document.getElementById('status').textContent")
        if said.startswith(REFUSALS) or "refused" in said:
            self.robot.problems.append(f"{key}: the page refused the answer: {said}")

    def _type(self, lines: list[str], separator: str) -> None:
        self.page.fill("#answer", separator.join(lines) if separator else lines[0])
        self.page.click("#submit")

    def _reload_keeps_a_draft(self, question: dict[str, str]) -> None:
        """Once: a half-typed answer survives a reload, and a closed tab reopened from the terminal's address."""
        if self.checked_reload:
            return
        self.checked_reload = True
        self.page.fill("#answer", "half-typed")
        self.page.reload()
        self.page.wait_for_function(f"() => document.getElementById('question').dataset.id === '{question['id']}'")
        assert self.page.input_value("#answer") == "half-typed", "a reload keeps the draft"
        context = self.page.context
        self.page.close()
        self.page = context.new_page()
        self.page.goto(self.url)
        self.page.wait_for_function(f"() => document.getElementById('question').dataset.id === '{question['id']}'")
        assert self.page.input_value("#answer") == "half-typed", "a closed tab reopened loses nothing"

    def _attach(self) -> None:
        """The screenshot of the page itself, dropped, pasted or picked in turn."""
        data = self.page.screenshot()
        self.uploads.append(hashlib.sha256(data).hexdigest())
        way = ("drop", "paste", "picker")[self.shots % 3]
        self.shots += 1
        if way == "picker":
            self.page.set_input_files("#file", files=[{"name": "record.png", "mimeType": "image/png", "buffer": data}])
        else:
            self.page.evaluate("""([way, encoded]) => {
                const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
                const file = new File([bytes], 'record.png', {type: 'image/png'});
                const transfer = new DataTransfer(); transfer.items.add(file);
                if (way === 'drop') {
                    document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: transfer,
                                                                                          bubbles: true}));
                } else {
                    document.dispatchEvent(new ClipboardEvent('paste', {clipboardData: transfer, bubbles: true}));
                } }""", [way, base64.b64encode(data).decode()])
        self.page.wait_for_function("() => !document.getElementById('attach').disabled", timeout=30_000)
        if DOCS_IMAGES and self.shots == 1:
            self.page.screenshot(path=str(Path(DOCS_IMAGES) / "manual-ui-screenshot.png"))
        self.page.click("#attach")


class Background:
    """A call in a thread (the HTTP driver's run beside the browser's: it mostly waits)."""

    def __init__(self, call: Callable[[], dict[str, str]]) -> None:
        self._value: dict[str, str] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(call,), daemon=True)
        self._thread.start()

    def _run(self, call: Callable[[], dict[str, str]]) -> None:
        try:
            self._value = call()
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            self._error = error

    def result(self) -> dict[str, str]:
        self._thread.join(timeout=300)
        if self._error is not None:
            raise self._error
        assert self._value is not None, "the HTTP driver's run did not finish"
        return self._value


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_playwright = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def test_the_fgvh_feature_answered_in_the_browser_gives_the_http_drivers_verdicts(tmp_path: Path,
                                                                                  browser: Any) -> None:
    over_http = Background(lambda: http_verdicts(tmp_path, (DEFECT,), "-m", "cert", FGVH[-1]))  # meanwhile
    port = free_port()
    command = [sys.executable, "-m", "nspcert.cli", "run", "--sut", "manual", "--ui", "--nsp-port", str(port),
               "--report-dir", str(tmp_path / "reports"), *FGVH]
    run = subprocess.Popen(command, cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, start_new_session=True)
    terminal = Terminal(run)
    system: Program | None = None
    try:
        system = install_system(terminal, tmp_path)
        url = terminal.wait_for(r"(http://127\.0\.0\.1:\d+/\?token=\S+)")[1]
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(url)
        started = time.monotonic()
        with HttpDriver(system.base_url) as sut:
            tester = BrowserTester(page, Robot(sut), url)
            while (question := tester.next_question(run)) is not None:
                if DOCS_IMAGES and question["key"] == "fgvh.state":
                    tester.page.screenshot(path=str(Path(DOCS_IMAGES) / "manual-ui.png"))
                tester.answer(question)
            notices = tester.page.evaluate("() => Array.from(document.querySelectorAll('#messages .notice'), "
                                           "m => m.textContent)")
        code = run.wait(timeout=120)
        seconds = time.monotonic() - started
    finally:
        if run.poll() is None:
            run.kill()
        if system is not None:
            system.stop()
    print(f"browser run: {tester.seen} questions on the page in {seconds:.0f} s, {len(tester.robot.asked)} answers")
    assert tester.robot.problems == [], tester.robot.problems
    assert [n for n in notices if "first call has arrived at the mock NSP: sts" in n], notices
    assert f"listens at http://127.0.0.1:{port} " in terminal.text, "--nsp-port fixes the mock's port"
    assert "test session starts" not in terminal.text and "-m pytest" not in terminal.text, terminal.text[-2000:]
    run_dir = next(p for p in (tmp_path / "reports").iterdir() if p.name != "latest")
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["harness_errors"] == [], summary["harness_errors"]
    through_page = verdicts(summary)
    assert through_page == over_http.result(), "the same verdicts as the HTTP driver"
    assert sorted(set(through_page.values())) == ["fail", "pass"] and code == 1
    evidence = run_dir / "manual-evidence"
    assert len(read_log(evidence)) == len(tester.robot.asked) and (evidence / EVIDENCE_LOG).is_file()
    attached = [a["sha256"] for line in read_log(evidence) for a in line.get("attachments", [])]  # type: ignore[union-attr]
    assert attached == tester.uploads and len(attached) >= 3, "dropped, pasted and picked: each kept with its SHA-256"
    assert (run_dir / "system-certificate" / "function-certificate.p12").is_file()
