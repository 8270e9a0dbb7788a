"""Check every answer of a driver against the contract, whatever kind of driver it is (SPEC §4).

The HTTP driver validates the JSON it receives; a vendor's Python driver hands back objects directly, so
the harness wraps it in :class:`ValidatingDriver`: a screen model, a citizen view, capabilities, change
and flush results that break the contract are a :class:`DriverError` (a harness *error*, never a vendor
*fail*), exactly as they would be over HTTP.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from nspcert.driver.contract import (
    AnswerInvalid,
    Capabilities,
    ChangeResult,
    Employee,
    FlushResult,
    StamkortChange,
    SutDriver,
    overview_of,
    validate_answer,
    validate_screen_model,
)

T = TypeVar("T")


class ValidatingDriver:
    """A :class:`SutDriver` that passes every call to ``inner`` and checks what comes back."""

    def __init__(self, inner: SutDriver, name: str = "driver") -> None:
        self.inner, self.name = inner, name

    def capabilities(self) -> Capabilities:
        answer = _typed(self.inner.capabilities(), Capabilities, "capabilities")
        validate_answer("Capabilities", answer.to_json())
        return answer

    def reset(self) -> None:
        self.inner.reset()

    def log_in(self, employee: Employee) -> str:
        user_id = self.inner.log_in(employee)
        if not isinstance(user_id, str) or not user_id:
            raise AnswerInvalid(f"log_in must return a non-empty user id string, not {user_id!r}")
        return user_id

    def open_record(self, cpr: str, user_id: str) -> dict[str, Any]:
        return validate_screen_model(self.inner.open_record(cpr, user_id))

    def view(self, cpr: str, user_id: str) -> dict[str, Any]:
        return validate_screen_model(self.inner.view(cpr, user_id))

    def change_stamkort(self, cpr: str, user_id: str, change: StamkortChange) -> ChangeResult:
        answer = _typed(self.inner.change_stamkort(cpr, user_id, change), ChangeResult, "change_stamkort")
        validate_answer("ChangeResult", answer.to_json())
        return answer

    def set_clock(self, now: datetime | None) -> None:
        self.inner.set_clock(now)

    def flush_minlog(self) -> FlushResult:
        answer = _typed(self.inner.flush_minlog(), FlushResult, "flush_minlog")
        validate_answer("FlushResult", answer.to_json())
        return answer

    def citizen_view(self, cpr: str) -> dict[str, Any]:
        return validate_answer("CitizenView", self.inner.citizen_view(cpr))

    def overview(self, cprs: list[str], user_id: str) -> dict[str, Any]:
        return validate_answer("Overview", overview_of(self.inner, cprs, user_id))

    def close(self) -> None:
        self.inner.close()


def _typed(answer: object, expected: type[T], operation: str) -> T:
    if not isinstance(answer, expected):
        raise AnswerInvalid(f"{operation} must return {expected.__name__}, not {type(answer).__name__}")
    return answer
