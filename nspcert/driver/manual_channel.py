"""Where the manual driver's questions reach the tester: a terminal, or a page in the browser (``manual_web``).

The :class:`~nspcert.driver.manual_prompts.Prompter` asks, re-asks and records; a channel only shows a
:class:`Question` and returns the answer as one line of text, the same in both channels, so the evidence of a run
answered in the browser is exactly the evidence of a run answered at the terminal. A question's ``kind`` lets the
browser offer the right field (yes/no buttons, the choices, a text area for several lines, a file drop); the
terminal shows the prompt and reads a line whatever the kind.

A *notice* (the system's first call has arrived) may come from another thread at any time: the terminal shows it
at once when a person is at a terminal (and shows the open question's key again), else before the next question;
the browser shows it at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal, Protocol, TextIO

from nspcert.driver.contract import DriverError

Kind = Literal["text", "act", "yes", "choice", "number", "lines", "note", "day", "file"]
#: the prompt of a further line of a multi-line answer (``lines``, ``note``)
FOLLOW = "…"


@dataclass(frozen=True)
class Question:
    """One question to the tester: its stable ``key`` (the same in every run), the prompt, the step it belongs to."""

    key: str
    prompt: str
    step: str
    kind: Kind = "text"
    choices: tuple[str, ...] = ()

    @property
    def follows(self) -> bool:
        """A further line of a multi-line answer (the terminal asks for it with "…")."""
        return self.prompt == FOLLOW


class Channel(Protocol):
    def read(self, question: Question) -> str:
        """The tester's answer (one line; raises DriverError when there will be none)."""

    def say(self, text: str) -> None:
        """Tell the tester something (a re-ask's reason, the connection guide) before the next question."""

    def notify(self, text: str) -> None:
        """Tell the tester something that happened meanwhile (any thread)."""

    def recorded(self) -> None:
        """The answer last read is on disk (the browser page may now say so)."""

    def close(self) -> None: ...


class TerminalChannel:
    """Questions on a text stream, answers read a line at a time (a terminal, or pipes in tests)."""

    def __init__(self, input: TextIO, output: TextIO, *, live: bool = False) -> None:
        self._in, self._out, self._live = input, output, live
        self._lock = threading.Lock()
        self._waiting: Question | None = None  # the question whose answer is being typed
        self._notices: list[str] = []

    def read(self, question: Question) -> str:
        with self._lock:
            self._flush_notices()
            self._out.write(f"\n[{question.step}] {question.prompt}\n{question.key}> ")
            self._out.flush()
            self._waiting = question
        line = self._in.readline()
        with self._lock:
            self._waiting = None
        if line == "":
            raise DriverError(f"no answer from the tester to: {question.prompt}")
        return line.rstrip("\n")

    def say(self, text: str) -> None:
        with self._lock:
            self._out.write(f"{text}\n")
            self._out.flush()

    def notify(self, text: str) -> None:
        """At once to a person at a terminal (the open question's key shown again below it); through a pipe only
        between questions, so a program reading the prompts never sees a notice after a prompt."""
        with self._lock:
            if self._live and self._waiting is not None:
                self._out.write(f"\n{text}\n{self._waiting.key}> ")
                self._out.flush()
            else:
                self._notices.append(text)

    def recorded(self) -> None:
        return None

    def close(self) -> None:
        with self._lock:
            self._flush_notices()

    def _flush_notices(self) -> None:
        for text in self._notices:
            self._out.write(f"\n{text}\n")
        self._notices.clear()
        self._out.flush()
