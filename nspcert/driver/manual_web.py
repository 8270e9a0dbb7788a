"""The browser workflow of a manual run (``nspcert run --sut manual --ui``): a small page served by the harness.

The page shows the running scenario and step, what to do in the system, the question with its stable key and the
field that fits it (yes/no, the choices, a text area for several lines, a screenshot drop that takes drag and
drop, paste and a file picker), the answers given so far, and the progress through the catalogue. It is the
:class:`WebChannel` of the manual driver: the :class:`~nspcert.driver.manual_prompts.Prompter` asks, re-asks and
records exactly as at the terminal, so the evidence (``manual-evidence.jsonl``, attachments with their SHA-256) is
the same; an answer is on disk before the page is told it was saved, and the state lives in the harness, so a
reload or a closed tab loses nothing (what is being typed is kept in the browser's local storage as well).

Safety: the server binds 127.0.0.1 only; the address printed in the terminal carries a token made for this run,
which the page trades for a cookie (HttpOnly, SameSite=Strict); every request needs it, a Host other than the
loopback address is refused (DNS rebinding), a POST from another origin is refused, and the page's scripts come
from the page's own origin only (Content-Security-Policy).
"""

from __future__ import annotations

import json
import re
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from nspcert.driver.contract import DriverError
from nspcert.driver.manual_channel import Question

COOKIE = "nspcert_ui"
ANSWER_LIMIT = 100_000  # characters of one answer
UPLOAD_LIMIT = 25 * 1024 * 1024  # bytes of one screenshot
MESSAGES_KEPT, ANSWERS_SHOWN = 50, 12
POLL_WAIT = 2.0  # seconds a page's request for the state waits for a change
MULTI_LINE = ("lines", "note")
Progress = Callable[[], dict[str, Any]]


class AnswerRefused(ValueError):
    """An answer the page may not give (stale, malformed); the page is told why (HTTP 409 or 422)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Published:
    """The question the page shows, with its number in this run."""

    id: int
    key: str
    prompt: str
    step: str
    kind: str
    choices: list[dict[str, str]]


class WebChannel:
    """The manual driver's channel to the browser page: one open question at a time, answers handed over."""

    def __init__(self, uploads: Path, progress: Progress | None = None) -> None:
        self.uploads = uploads
        self.token = secrets.token_urlsafe(24)
        self.session = secrets.token_hex(8)  # the page keeps drafts per run
        self._progress = progress or (lambda: {})
        self._cond = threading.Condition()
        self._question: Published | None = None
        self._answer: str | None = None
        self._buffer: list[str] | None = None  # the further lines of a multi-line answer, still to be read
        self._saved: threading.Event | None = None  # set once the whole answer is on disk
        self._ids = 0
        self._uploads = 0
        self._messages: deque[dict[str, Any]] = deque(maxlen=MESSAGES_KEPT)
        self._answered: deque[dict[str, str]] = deque(maxlen=ANSWERS_SHOWN)
        self._version = 0  # bumped on every change the page shows (it waits for the next one: a long poll)
        self.closed = False

    # --- the Prompter's side (the run's main thread) ------------------------------------------------------------
    def read(self, question: Question) -> str:
        with self._cond:
            if question.follows and self._buffer is not None:
                line = self._buffer.pop(0) if self._buffer else ""
                if not self._buffer and line == "":
                    self._buffer = None
                return line
            self._buffer = None
            self._ids += 1
            self._question = Published(self._ids, question.key, question.prompt, question.step, question.kind,
                                       choice_labels(question.prompt, question.choices))
            self._answer = None
            self._changed()
            while self._answer is None:
                if self.closed:
                    raise DriverError(f"no answer from the tester to: {question.prompt} (the run is closing)")
                self._cond.wait(timeout=0.5)  # a KeyboardInterrupt gets through between waits
            answer, self._answer, self._question = self._answer, None, None
        lines = answer.split("\n")
        with self._cond:
            self._answered.append({"key": question.key, "answer": answer, "step": question.step})
            self._changed()
            if question.kind in MULTI_LINE and _content(question.kind, lines[0]):
                self._buffer = lines[1:]  # read line by line, as typed at the terminal
        return lines[0]

    def say(self, text: str) -> None:
        self._message(text, "say")

    def notify(self, text: str) -> None:
        self._message(text, "notice")

    def recorded(self) -> None:
        with self._cond:
            if self._buffer is None and self._saved is not None:
                self._saved.set()
                self._saved = None

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._changed()

    # --- the page's side (the server's threads) -----------------------------------------------------------------
    def give(self, question_id: int, answer: str) -> threading.Event:
        """Hand the page's answer to the open question; the event is set once it is on disk."""
        if not isinstance(answer, str) or len(answer) > ANSWER_LIMIT:
            raise AnswerRefused(422, f"an answer is text of at most {ANSWER_LIMIT} characters")
        with self._cond:
            question = self._question
            if question is None or question.id != question_id or self._answer is not None:
                raise AnswerRefused(409, "this question has been answered already; the page shows the open one")
            self._answer = _checked(question.kind, answer.replace("\r\n", "\n"))
            self._saved = saved = threading.Event()
            self._changed()
        return saved

    def store_upload(self, name: str, data: bytes) -> Path:
        """A screenshot the page uploaded, kept under ``uploads/`` until the answer names it (then it is copied into
        the evidence with its SHA-256, as a file path typed at the terminal is)."""
        if not data:
            raise AnswerRefused(422, "the file is empty")
        with self._cond:
            self._uploads += 1
            number = self._uploads
        self.uploads.mkdir(parents=True, exist_ok=True)
        path = self.uploads / f"{number:03d}-{_safe_name(name)}"
        path.write_bytes(data)
        return path

    def state(self, after: int = -1, wait: float = 0.0) -> dict[str, Any]:
        """What the page shows; with ``after`` (the version the page has) it waits up to ``wait`` seconds for a
        change first (a long poll: the next question is on the page as soon as it is asked)."""
        with self._cond:
            self._cond.wait_for(lambda: self._version != after, timeout=wait)
            question = asdict(self._question) if self._question is not None and self._answer is None else None
            return {"session": self.session, "version": self._version, "question": question,
                    "messages": list(self._messages),
                    "answered": list(self._answered)[::-1], "progress": self._progress(), "finished": self.closed}

    def _message(self, text: str, kind: str) -> None:
        with self._cond:
            self._messages.append({"at": time.strftime("%H:%M:%S"), "text": text.strip("\n"), "kind": kind})
            self._changed()

    def _changed(self) -> None:
        """Wake the page's waiting requests (and the Prompter waiting for an answer). Holds the lock."""
        self._version += 1
        self._cond.notify_all()


def _checked(kind: str, answer: str) -> str:
    """One line, or for a multi-line answer lines up to the first empty one (an empty line ends the answer, as
    at the terminal: the tester cannot mean one in the middle)."""
    if kind not in MULTI_LINE:
        if "\n" in answer:
            raise AnswerRefused(422, "this answer is one line")
        return answer
    lines = answer.split("\n")
    while lines and not _content(kind, lines[-1]):
        lines.pop()
    if any(not _content(kind, line) for line in lines):
        raise AnswerRefused(422, "an empty line ends the answer: remove the empty line, or what follows it")
    return "\n".join(lines)


def _content(kind: str, line: str) -> bool:
    return bool(line.strip()) if kind == "lines" else line != ""


def choice_labels(prompt: str, choices: tuple[str, ...]) -> list[dict[str, str]]:
    """The choices with the words the prompt gives them ('1 opted out, 2 no opt-out, …' → 1: opted out)."""
    labelled = []
    for choice in choices:
        found = re.search(rf"(?<![\w.]){re.escape(choice)} (.+?)(?=, \S+ |\s*$)", prompt)
        labelled.append({"value": choice, "label": found.group(1) if found else choice})
    return labelled


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip("._")
    return cleaned[:80] or "screenshot.png"


# --- the HTTP side ------------------------------------------------------------------------------------------------


def _page(name: str) -> str:
    return resources.files("nspcert.driver").joinpath(name).read_text(encoding="utf-8")


HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' blob: data:; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def create_app(channel: WebChannel, port: Callable[[], int]) -> Starlette:
    """The page and its API; ``port`` gives the port it is served on (for the Host and Origin checks)."""

    def allowed_hosts() -> set[str]:
        return {f"127.0.0.1:{port()}", f"localhost:{port()}"}

    def guarded(handler: Callable[[Request], Awaitable[Response]], *, page: bool = False) -> Callable[[Request], Awaitable[Response]]:
        async def checked(request: Request) -> Response:
            if request.headers.get("host", "") not in allowed_hosts():
                return PlainTextResponse("unknown host: open the address printed in the terminal", 400)
            origin = request.headers.get("origin")
            if request.method == "POST" and origin is not None and origin.removeprefix("http://") not in allowed_hosts():
                return PlainTextResponse("requests from another site are refused", 403)
            if not page and not secrets.compare_digest(request.cookies.get(COOKIE, ""), channel.token):
                return JSONResponse({"error": "open the address printed in the terminal (it carries the token)"}, 401)
            response = await handler(request)
            response.headers.update(HEADERS)
            return response
        return checked

    async def index(request: Request) -> Response:
        given = request.query_params.get("token", "")
        if given:
            if not secrets.compare_digest(given, channel.token):
                return PlainTextResponse("wrong token: open the address printed in the terminal", 403)
            redirect = RedirectResponse("/", 303)  # the token leaves the address bar (and the history)
            redirect.set_cookie(COOKIE, channel.token, httponly=True, samesite="strict", path="/")
            return redirect
        if not secrets.compare_digest(request.cookies.get(COOKIE, ""), channel.token):
            return PlainTextResponse("open the address printed in the terminal (it carries the token)", 401)
        return Response(_page("manual_page.html"), media_type="text/html; charset=utf-8")

    async def script(request: Request) -> Response:
        return Response(_page("manual_page.js"), media_type="text/javascript; charset=utf-8")

    async def state(request: Request) -> Response:
        try:
            after = int(request.query_params.get("after", "-1"))
        except ValueError:
            after = -1
        wait = POLL_WAIT if after >= 0 else 0.0  # the progress moves without a change here: at most this stale
        return JSONResponse(await run_in_threadpool(channel.state, after, wait))

    async def answer(request: Request) -> Response:
        body = await request.body()
        if len(body) > 4 * ANSWER_LIMIT:
            return JSONResponse({"error": "the answer is too long"}, 413)
        try:
            data = _json_object(body)
            saved = await run_in_threadpool(channel.give, int(data["id"]), data["answer"])
        except AnswerRefused as refused:
            return JSONResponse({"error": str(refused)}, refused.status)
        except (KeyError, TypeError, ValueError):
            return JSONResponse({"error": 'expected {"id": <question number>, "answer": "<text>"}'}, 422)
        on_disk = await run_in_threadpool(saved.wait, 30.0)
        return JSONResponse({"saved": on_disk}, 200 if on_disk else 202)

    async def upload(request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > UPLOAD_LIMIT:
            return JSONResponse({"error": f"a screenshot is at most {UPLOAD_LIMIT // 1024 // 1024} MB"}, 413)
        data = await request.body()
        if len(data) > UPLOAD_LIMIT:
            return JSONResponse({"error": f"a screenshot is at most {UPLOAD_LIMIT // 1024 // 1024} MB"}, 413)
        try:
            path = await run_in_threadpool(channel.store_upload, request.query_params.get("name", ""), data)
        except AnswerRefused as refused:
            return JSONResponse({"error": str(refused)}, refused.status)
        return JSONResponse({"path": str(path), "name": path.name, "size": len(data)}, 201)

    return Starlette(routes=[
        Route("/", guarded(index, page=True)), Route("/app.js", guarded(script)),
        Route("/api/state", guarded(state)), Route("/api/answer", guarded(answer), methods=["POST"]),
        Route("/api/upload", guarded(upload), methods=["POST"]),
    ])


def _json_object(body: bytes) -> dict[str, Any]:
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("not an object")
    return data


class WebServer:
    """The page on 127.0.0.1 (a fixed ``port``, or a free one), served by uvicorn in a thread of the run."""

    def __init__(self, channel: WebChannel, port: int = 0) -> None:
        import uvicorn

        self.channel = channel
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        self.port = int(self._socket.getsockname()[1])
        app = create_app(channel, lambda: self.port)
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]},
                                        name="nspcert-ui", daemon=True)

    @property
    def url(self) -> str:
        """The address to open, with the token (printed in the terminal, never written to a file)."""
        return f"http://127.0.0.1:{self.port}/?token={self.channel.token}"

    def start(self, timeout: float = 10.0) -> WebServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise DriverError(f"the manual run's page did not start on 127.0.0.1:{self.port}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)
        self._socket.close()
