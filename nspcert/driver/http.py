"""The HTTP driver: the harness's client of a vendor's adapter speaking ``openapi.yaml`` (SPEC §4).

A transport only: it turns the adapter's HTTP answers into the contract's return types (strictly, see the typed
answers' ``from_json``) and raises :class:`DriverError` when the adapter cannot be reached, answers an HTTP error or
something that is not a JSON object. Whether an answer keeps the contract is judged, as for every other driver, by
:class:`nspcert.driver.validating.ValidatingDriver`, which the harness wraps around it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from nspcert.driver.contract import (
    Capabilities,
    ChangeResult,
    DriverError,
    Employee,
    FlushResult,
    StamkortChange,
    user_id_from_json,
)


class HttpDriver:
    """Drive a SUT through its HTTP adapter at ``base_url`` (wrap it in ``ValidatingDriver`` to check the answers)."""

    def __init__(self, base_url: str, *, timeout: float = 30.0, client: httpx.Client | None = None) -> None:
        self._client = client or httpx.Client(base_url=base_url, timeout=timeout)
        self.base_url = base_url

    def __enter__(self) -> HttpDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def capabilities(self) -> Capabilities:
        return Capabilities.from_json(self._json("GET", "/sut/capabilities"))

    def reset(self) -> None:
        self._call("POST", "/sut/reset")

    def log_in(self, employee: Employee) -> str:
        return user_id_from_json(self._json("POST", "/sut/users", json=employee.to_json()))

    def open_record(self, cpr: str, user_id: str) -> dict[str, Any]:
        return self._json("POST", f"/sut/citizens/{cpr}/open", json={"user_id": user_id})

    def view(self, cpr: str, user_id: str) -> dict[str, Any]:
        return self._json("GET", f"/sut/citizens/{cpr}/view", params={"user_id": user_id})

    def change_stamkort(self, cpr: str, user_id: str, change: StamkortChange) -> ChangeResult:
        return ChangeResult.from_json(self._json("POST", f"/sut/citizens/{cpr}/stamkort", json=change.to_json(user_id)))

    def set_clock(self, now: datetime | None) -> None:
        self._call("PUT", "/sut/clock", json={"now": now.isoformat() if now else None})

    def flush_minlog(self) -> FlushResult:
        return FlushResult.from_json(self._json("POST", "/sut/minlog/flush"))

    def minlog_background(self) -> FlushResult:
        return FlushResult.from_json(self._json("POST", "/sut/minlog/background"))

    def citizen_view(self, cpr: str) -> dict[str, Any]:
        return self._json("GET", f"/sut/citizens/{cpr}/citizen-view")

    def overview(self, cprs: list[str], user_id: str) -> dict[str, Any]:
        return self._json("POST", "/sut/overview", json={"user_id": user_id, "cprs": cprs})

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self._call(method, path, **kwargs)
        try:
            data = response.json()
        except ValueError as exc:
            raise DriverError(f"{method} {path}: answer is not JSON: {response.text[:200]!r}") from exc
        if not isinstance(data, dict):
            raise DriverError(f"{method} {path}: answer is not a JSON object")
        return data

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise DriverError(f"{method} {path}: SUT adapter unreachable: {exc}") from exc
        if response.is_error:
            raise DriverError(f"{method} {path}: HTTP {response.status_code}: {response.text[:300]}")
        return response
