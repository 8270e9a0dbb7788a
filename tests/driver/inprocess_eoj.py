"""An in-process Python driver over the reference EOJ: the ``--sut python:inprocess_eoj:create`` example.

It calls the EOJ's service object directly (no HTTP adapter), as a vendor's Python driver would call its
own system. Configured by environment (a vendor would read its own settings): ``INPROCESS_EOJ_NSP_URL``,
``INPROCESS_EOJ_CERTIFICATE``, ``INPROCESS_EOJ_PRIVATE_KEY``, ``INPROCESS_EOJ_STATE_DIR``; with
``INPROCESS_EOJ_BREAK=fgvh`` it drops the FGVH part of every screen (to show the harness catches it).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from nspcert.driver.contract import Capabilities, ChangeResult, Employee, FlushResult, StamkortChange
from reference_eoj.defects import Defects
from reference_eoj.service import ReferenceEoj
from reference_eoj.settings import Settings


class InProcessEoj:
    def __init__(self, eoj: ReferenceEoj, broken_part: str | None = None) -> None:
        self.eoj, self.broken_part = eoj, broken_part

    def capabilities(self) -> Capabilities:
        return Capabilities.from_json(self.eoj.capabilities())

    def reset(self) -> None:
        self.eoj.reset()

    def log_in(self, employee: Employee) -> str:
        return self.eoj.log_in(employee.to_json())

    def open_record(self, cpr: str, user_id: str) -> dict[str, Any]:
        return self._shown(self.eoj.open(cpr, user_id))

    def view(self, cpr: str, user_id: str) -> dict[str, Any]:
        screen = self.eoj.view(cpr, user_id)
        if screen is None:
            raise LookupError(f"the record of {cpr} is not open")
        return self._shown(screen)

    def change_stamkort(self, cpr: str, user_id: str, change: StamkortChange) -> ChangeResult:
        return ChangeResult.from_json(self.eoj.change(cpr, user_id, change.to_json(user_id)))

    def set_clock(self, now: datetime | None) -> None:
        self.eoj.set_clock(now)

    def flush_minlog(self) -> FlushResult:
        flushed = self.eoj.flush_minlog()
        return FlushResult(flushed.sent, flushed.failed, flushed.queued, flushed.given_up)

    def minlog_background(self) -> FlushResult:
        flushed = self.eoj.minlog_background()
        return FlushResult(flushed.sent, flushed.failed, flushed.queued, flushed.given_up)

    def citizen_view(self, cpr: str) -> dict[str, Any]:
        return self.eoj.citizen_view(cpr)

    def overview(self, cprs: list[str], user_id: str) -> dict[str, Any]:
        return self.eoj.overview(cprs, user_id)

    def close(self) -> None:
        self.eoj.close()

    def _shown(self, screen: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in screen.items() if k != self.broken_part}


def create() -> InProcessEoj:
    env = os.environ
    settings = Settings(nsp_url=env["INPROCESS_EOJ_NSP_URL"], certificate=Path(env["INPROCESS_EOJ_CERTIFICATE"]),
                        private_key=Path(env["INPROCESS_EOJ_PRIVATE_KEY"]), cvr="12345678",
                        organisation_name="Testkommunen Sundhed og Omsorg",
                        state_dir=Path(env["INPROCESS_EOJ_STATE_DIR"]), defects=Defects(), nsp_timeout=1.5,
                        minlog_flush_interval=0)
    return InProcessEoj(ReferenceEoj(settings), env.get("INPROCESS_EOJ_BREAK"))
