"""The manual run's browser page over real HTTP: the token, loopback-only, the questions and answers, durability.

The Prompter asks in a thread of the test (as in a run's main thread); the test plays the page with httpx.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from nspcert.driver.manual_prompts import EVIDENCE_LOG, Prompter
from nspcert.driver.manual_web import COOKIE, WebChannel, WebServer, choice_labels


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[WebServer, Prompter, httpx.Client]]:
    channel = WebChannel(tmp_path / "evidence" / "uploads", lambda: {"total": 6, "done": 2})
    server = WebServer(channel).start()
    prompter = Prompter(tmp_path / "evidence", channel=channel)
    client = httpx.Client(base_url=f"http://127.0.0.1:{server.port}", timeout=10)
    assert client.get(f"/?token={channel.token}").status_code == 303  # the page takes the token, sets the cookie
    try:
        yield server, prompter, client
    finally:
        client.close()
        channel.close()
        server.stop()


class Asked:
    """A Prompter call in a thread, as the run's main thread makes it."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self.result: Any = None
        self.thread = threading.Thread(target=self._run, args=(call,), daemon=True)
        self.thread.start()

    def _run(self, call: Callable[[], Any]) -> None:
        self.result = call()

    def value(self) -> Any:
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the Prompter still waits"
        return self.result


def open_question(client: httpx.Client, after: int = 0) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        question = client.get("/api/state").json()["question"]
        if question is not None and question["id"] > after:
            return dict(question)
        time.sleep(0.02)
    raise AssertionError("no question was published")


def test_the_page_needs_the_runs_token_and_a_loopback_host(tmp_path: Path) -> None:
    channel = WebChannel(tmp_path / "uploads")
    server = WebServer(channel).start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        with httpx.Client(base_url=base) as client:
            assert client.get("/").status_code == 401
            assert client.get("/api/state").status_code == 401
            assert client.get("/?token=guessed").status_code == 403
            taken = client.get(f"/?token={channel.token}")
            assert taken.status_code == 303 and taken.headers["location"] == "/", "the token leaves the address bar"
            cookie = taken.headers["set-cookie"]
            assert f"{COOKIE}={channel.token}" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
            page = client.get("/")
            assert page.status_code == 200 and "<script src=\"/app.js\"" in page.text
            assert "script-src 'self'" in page.headers["content-security-policy"]
            assert page.headers["referrer-policy"] == "no-referrer"
            assert client.get("/app.js").status_code == 200
            assert client.get("/api/state", headers={"Host": f"attacker.example:{server.port}"}).status_code == 400
            foreign = client.post("/api/answer", json={"id": 1, "answer": "y"},
                                  headers={"Origin": "http://attacker.example"})
            assert foreign.status_code == 403
        with pytest.raises(httpx.ConnectError):  # loopback only: not on the machine's other addresses
            httpx.get(f"http://{_other_address()}:{server.port}/", timeout=2)
    finally:
        server.stop()


def _other_address() -> str:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing address
            address = str(probe.getsockname()[0])
        except OSError:
            pytest.skip("no address but loopback on this machine")
    if address.startswith("127."):
        pytest.skip("no address but loopback on this machine")
    return address


def test_an_answer_is_on_disk_before_the_page_is_told_it_is_saved(served: Any) -> None:
    server, prompter, client = served
    asked = Asked(lambda: prompter.choice("fgvh.state", "What does it show? 1 opted out, 2 no opt-out, "
                                          "3 temporarily unavailable, 4 unknown / could not be read",
                                          {"1": "opted_out", "2": "not_opted_out", "3": "unavailable", "4": "unknown"}))
    question = open_question(client)
    assert (question["key"], question["kind"]) == ("fgvh.state", "choice")
    assert question["choices"][2] == {"value": "3", "label": "temporarily unavailable"}
    answered = client.post("/api/answer", json={"id": question["id"], "answer": "3"})
    log = (prompter.evidence_dir / EVIDENCE_LOG).read_text(encoding="utf-8").splitlines()
    assert answered.json() == {"saved": True} and json.loads(log[-1])["answer"] == "3", "fsynced before the reply"
    assert asked.value() == "unavailable"
    assert client.post("/api/answer", json={"id": question["id"], "answer": "1"}).status_code == 409, "answered once"
    state = client.get("/api/state").json()
    assert state["answered"][0] == {"key": "fgvh.state", "answer": "3", "step": "setup"}
    assert state["progress"] == {"total": 6, "done": 2} and state["question"] is None


def test_a_reload_shows_the_same_open_question_and_a_bad_answer_is_asked_again(served: Any) -> None:
    server, prompter, client = served
    asked = Asked(lambda: prompter.number("relatives.count", "How many relatives?"))
    first = open_question(client)
    again = httpx.Client(base_url=client.base_url, cookies=client.cookies)  # another tab of the same browser
    assert open_question(again) == first, "the state lives in the harness: a reload or new tab loses nothing"
    assert client.post("/api/answer", json={"id": first["id"], "answer": "two"}).json() == {"saved": True}
    second = open_question(client, after=first["id"])
    assert second["key"] == "relatives.count" and "Please answer with a number." in json.dumps(
        client.get("/api/state").json()["messages"])
    client.post("/api/answer", json={"id": second["id"], "answer": "2"})
    assert asked.value() == 2
    again.close()


def test_several_lines_are_answered_at_once_and_recorded_line_by_line(served: Any) -> None:
    server, prompter, client = served
    asked = Asked(lambda: prompter.lines("messages", "Type each error or warning shown, one per line; an empty "
                                                     "line ends."))
    question = open_question(client)
    assert question["kind"] == "lines"
    gap = client.post("/api/answer", json={"id": question["id"], "answer": "FSK kan ikke læses\n\nRing til IT"})
    assert gap.status_code == 422 and "empty line ends" in gap.json()["error"]
    saved = client.post("/api/answer", json={"id": question["id"],
                                             "answer": "FSK kan ikke læses\r\nRing til IT\n\n"})
    assert saved.json() == {"saved": True}
    assert asked.value() == ["FSK kan ikke læses", "Ring til IT"]
    answers = [(e.key, e.answer) for e in prompter.evidence]
    assert answers == [("messages", "FSK kan ikke læses"), ("messages", "Ring til IT"), ("messages", "")], \
        "the same evidence as three lines typed at the terminal"
    one_line = Asked(lambda: prompter.ask("citizen.name", "Which name is shown?"))
    question = open_question(client, after=question["id"])
    assert client.post("/api/answer", json={"id": question["id"], "answer": "Jens\nJensen"}).status_code == 422
    client.post("/api/answer", json={"id": question["id"], "answer": "Jens Jensen"})
    assert one_line.value() == "Jens Jensen"


def test_an_uploaded_screenshot_becomes_evidence_with_its_sha256(served: Any, tmp_path: Path) -> None:
    server, prompter, client = served
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    asked = Asked(lambda: prompter.attach("screenshot", "Screenshot of the record (file path; empty to skip)?"))
    question = open_question(client)
    assert question["kind"] == "file"
    stored = client.post("/api/upload", params={"name": "../../record 1.png"}, content=png)
    assert stored.status_code == 201 and stored.json()["name"] == "001-record_1.png", "no path from the page"
    assert client.post("/api/upload", params={"name": "empty.png"}, content=b"").status_code == 422
    client.post("/api/answer", json={"id": question["id"], "answer": stored.json()["path"]})
    asked.value()
    (attached,) = prompter.evidence[-1].attachments
    assert attached["sha256"] == hashlib.sha256(png).hexdigest()
    assert (prompter.evidence_dir / attached["file"]).read_bytes() == png


def test_the_choices_take_the_words_of_the_prompt() -> None:
    assert choice_labels("Who entered the language, as shown? 1 the citizen, 2 a relative, 3 a health "
                         "professional, 4 not shown", ("1", "2", "3", "4")) == [
        {"value": "1", "label": "the citizen"}, {"value": "2", "label": "a relative"},
        {"value": "3", "label": "a health professional"}, {"value": "4", "label": "not shown"}]
    assert choice_labels("In the record of 0101601234 (as opened in step 'x'): organ donor: 1 registered, "
                         "2 not registered, 3 not shown", ("1", "2", "3"))[1] == {"value": "2",
                                                                                   "label": "not registered"}
    assert choice_labels("Pick one", ("a",)) == [{"value": "a", "label": "a"}]
