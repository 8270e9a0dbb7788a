"""A typed client of the mock NSP's control plane (`/__admin`, SPEC §3.2).

Everything the harness does to *arrange* the platform or *read back* what the SUT sent goes through
here, so steps never see a URL. A failing control-plane call is a harness/mock problem, so it raises
:class:`MockNspError` (an *error* verdict), never :class:`~nspcert.checks.NonConformance`.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import httpx


class MockNspError(RuntimeError):
    """The mock NSP's control plane refused or failed a request from the harness."""


class MockNspAdmin:
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30.0) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=f"{self.base_url}/__admin", headers=headers, timeout=timeout)

    @classmethod
    def over(cls, http: httpx.Client) -> MockNspAdmin:
        """The control plane through a client the caller made, e.g. a Starlette ``TestClient`` of the mock's app or
        one with an ``httpx.MockTransport``: its ``base_url`` is the control plane's (``<mock>/__admin``), its
        headers carry any token, and :meth:`close` closes it."""
        admin = cls.__new__(cls)
        admin.base_url = str(http.base_url).rstrip("/").removesuffix("/__admin")
        admin._http = http
        return admin

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise MockNspError(f"mock NSP {method} /__admin{path} answered {response.status_code}: {response.text[:500]}")
        if not response.content:
            return None
        return response.json() if "json" in response.headers.get("content-type", "") else response.text

    # --- platform -------------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return dict(self._call("GET", "/health"))

    def reset(self) -> None:
        self._call("POST", "/reset")

    def configure(self, **settings: Any) -> dict[str, Any]:
        """Change run-time settings (e.g. ``protected_marker``); :meth:`reset` restores the start-up values."""
        return dict(self._call("PUT", "/settings", json=settings))

    def issue_certificate(self, kind: str, cvr: str, name: str, cpr: str | None = None) -> dict[str, Any]:
        body = {"kind": kind, "cvr": cvr, "name": name} | ({"cpr": cpr} if cpr else {})
        return dict(self._call("POST", "/certificates", json=body))

    # --- registers ------------------------------------------------------------------------------------
    def put_citizen(self, cpr: str, citizen: dict[str, Any]) -> None:
        self._call("PUT", f"/citizens/{cpr}", json=citizen)

    def citizen(self, cpr: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/citizens/{cpr}"))

    def fgvh(self, cpr: str, action: str, at: str) -> None:
        self._call("POST", f"/citizens/{cpr}/fgvh", json={"action": action, "at": at})

    def set_register_available(self, name: str, available: bool) -> None:
        self._call("PUT", f"/registers/{name}", json={"available": available})

    def document(self, cpr: str) -> bytes:
        """The PDC the platform would serve for the citizen now."""
        response = self._http.get(f"/citizens/{cpr}/document")
        if response.status_code != 200:
            raise MockNspError(f"mock NSP GET /__admin/citizens/{cpr}/document answered {response.status_code}")
        return response.content

    def serve_document(self, cpr: str, cda: bytes) -> None:
        """Serve this CDA verbatim for the citizen instead of building one."""
        self._call("PUT", f"/citizens/{cpr}/document", content=cda, headers={"Content-Type": "application/xml"})

    # --- clock and faults -----------------------------------------------------------------------------
    def set_clock(self, now: str) -> None:
        self._call("PUT", "/clock", json={"now": now})

    def clock(self) -> str:
        """The platform's current time (ISO-8601)."""
        return str(self._call("GET", "/clock")["now"])

    def advance_clock(self, **delta: float) -> None:
        self._call("POST", "/clock/advance", json=delta)

    def add_fault(self, rule: dict[str, Any]) -> str:
        return str(self._call("POST", "/faults", json=rule)["id"])

    def remove_fault(self, fault_id: str) -> None:
        self._call("DELETE", f"/faults/{fault_id}")

    def faults(self) -> list[dict[str, Any]]:
        """The fault rules in force, each with how often it has fired (``hits``)."""
        return list(self._call("GET", "/faults")["faults"])

    def settle(self, mark: str, slack: float = 5.0) -> None:
        """Wait until every request a fault rule fired on since ``mark`` is in the journal.

        The mock journals an exchange once it has answered. An answer held back longer than the SUT waits (a
        ``delay``: "no answer in time") is journaled after the step that caused it, and without this after the
        scenario ended: in the next scenario's evidence, with this scenario's citizen. Waits at most the fired
        rules' longest delay plus ``slack`` seconds; a fired request still not journaled then was lost by the
        platform, a :class:`MockNspError`.
        """
        fired = {str(rule["id"]): rule for rule in self.faults() if int(rule.get("hits", 0))}
        if not fired:
            return
        longest = max(float(rule.get("params", {}).get("ms", 0)) for rule in fired.values()) / 1000
        deadline = time.monotonic() + longest + slack
        while True:
            journaled = Counter(rule_id for entry in self.journal(mark=mark)
                                for rule_id in (entry.get("summary") or {}).get("injected", []))
            missing = {rule_id: int(rule["hits"]) - journaled[rule_id] for rule_id, rule in fired.items()
                       if journaled[rule_id] < int(rule["hits"])}
            if not missing:
                return
            if time.monotonic() > deadline:
                raise MockNspError(f"the mock NSP fired fault rules on requests it has not journaled: {missing} "
                                   "(rule id: requests missing)")
            time.sleep(0.1)

    # --- what the SUT sent ----------------------------------------------------------------------------
    def mark(self, name: str) -> None:
        self._call("POST", "/journal/marks", json={"name": name})

    def journal(self, page: int = 1000, **filters: str) -> list[dict[str, Any]]:
        """Every recorded exchange matching ``filters``, read page by page (the journal answers in pages)."""
        entries: list[dict[str, Any]] = []
        while True:
            params = filters | {"limit": str(page)} | ({"after_id": str(entries[-1]["id"])} if entries else {})
            answer = self._call("GET", "/journal", params=params)  # an unknown mark is a 404: MockNspError
            entries.extend(answer["entries"])
            if len(answer["entries"]) < page:
                return entries

    def journal_page(self, limit: int = 1000, **filters: str) -> list[dict[str, Any]]:
        """One page of the journal (the first ``limit`` entries matching ``filters``): a cheap look, e.g. whether
        anything has arrived at all."""
        return list(self._call("GET", "/journal", params=filters | {"limit": str(limit)})["entries"])

    def minlog_entries(self, **filters: str) -> list[dict[str, Any]]:
        return list(self._call("GET", "/minlog/entries", params=filters)["entries"])

    def salt(self) -> str:
        return str(self._call("GET", "/idsas/salt")["salt"])

    def rotate_salt(self) -> str:
        return str(self._call("POST", "/idsas/salt", json={})["salt"])
