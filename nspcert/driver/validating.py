"""Check every answer of a driver against the contract, whatever kind of driver it is (SPEC §4).

The harness wraps every driver in :class:`ValidatingDriver` (in one place, the catalogue's ``sut`` fixture): a
vendor's HTTP adapter (:class:`nspcert.driver.http.HttpDriver`, a plain transport whose typed answers are a faithful
image of the JSON), a vendor's Python object and the manual driver (a person) alike; a person's screen model, asked
part by part, is judged on each answer (``contract.validate_screen_model``). A screen model, a citizen view or citizen
list, capabilities, change and flush results (a background MinLog2 round's too) that break the contract are a
:class:`DriverError` naming the operation, the answer and the path in it (a harness *error*, never a vendor *fail*).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar

from nspcert.driver.contract import (
    AnswerInvalid,
    Capabilities,
    ChangeResult,
    Employee,
    FlushResult,
    ScreenModelInvalid,
    StamkortChange,
    SutDriver,
    minlog_background_of,
    overview_of,
    validate_answer,
    validate_screen_model,
)


class _TypedAnswer(Protocol):
    def to_json(self) -> dict[str, Any]: ...


A = TypeVar("A", bound=_TypedAnswer)


class ValidatingDriver:
    """A :class:`SutDriver` that passes every call to ``inner`` and checks what comes back."""

    def __init__(self, inner: SutDriver, name: str = "driver") -> None:
        self.inner, self.name = inner, name

    def __enter__(self) -> ValidatingDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def capabilities(self) -> Capabilities:
        with _answer_of("capabilities"):
            return _typed(self.inner.capabilities(), Capabilities)

    def reset(self) -> None:
        self.inner.reset()

    def log_in(self, employee: Employee) -> str:
        with _answer_of("log_in"):
            user_id = self.inner.log_in(employee)
            if not isinstance(user_id, str) or not user_id:
                raise AnswerInvalid(f"must return a non-empty user id string, not {user_id!r}")
            return user_id

    def open_record(self, cpr: str, user_id: str) -> Mapping[str, Any]:
        with _answer_of("open_record"):
            return validate_screen_model(self.inner.open_record(cpr, user_id))

    def view(self, cpr: str, user_id: str) -> Mapping[str, Any]:
        with _answer_of("view"):
            return validate_screen_model(self.inner.view(cpr, user_id))

    def change_stamkort(self, cpr: str, user_id: str, change: StamkortChange) -> ChangeResult:
        with _answer_of("change_stamkort"):
            return _typed(self.inner.change_stamkort(cpr, user_id, change), ChangeResult)

    def set_clock(self, now: datetime | None) -> None:
        self.inner.set_clock(now)

    def flush_minlog(self) -> FlushResult:
        with _answer_of("flush_minlog"):
            return _typed(self.inner.flush_minlog(), FlushResult)

    def minlog_background(self) -> FlushResult:
        with _answer_of("minlog_background"):
            return _typed(minlog_background_of(self.inner), FlushResult)

    def citizen_view(self, cpr: str) -> dict[str, Any]:
        with _answer_of("citizen_view"):
            return validate_answer("CitizenView", self.inner.citizen_view(cpr))

    def overview(self, cprs: list[str], user_id: str) -> dict[str, Any]:
        with _answer_of("overview"):
            return validate_answer("Overview", overview_of(self.inner, cprs, user_id))

    def close(self) -> None:
        self.inner.close()


@contextlib.contextmanager
def _answer_of(operation: str) -> Iterator[None]:
    """Name ``operation`` in a contract breach found in its answer, by the inner driver's typing or by the schemas."""
    try:
        yield
    except (AnswerInvalid, ScreenModelInvalid) as exc:
        raise type(exc)(f"{operation}: {exc}") from exc


def _typed(answer: object, expected: type[A]) -> A:
    """``answer`` if it is an ``expected`` whose JSON matches ``answers.schema.json#/$defs/<expected>``."""
    if not isinstance(answer, expected):
        raise AnswerInvalid(f"must return {expected.__name__}, not {type(answer).__name__}")
    validate_answer(expected.__name__, answer.to_json())
    return answer
