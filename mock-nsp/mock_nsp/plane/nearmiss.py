"""Near-miss records: requests that reached no service, or the wrong one (GET /__admin/unmatched)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from mock_nsp.world.tenant import World


def note(state: World, request: Request, service: str | None, path: str | None, reason: str,
         similarity: float = 1.0) -> dict[str, Any]:
    """Keep a near-miss (bounded list) and return it for the journal summary."""
    near: dict[str, Any] = {
        "at": state.clock.now().isoformat(), "method": request.method, "path": request.url.path,
        "soap_action": request.headers.get("soapaction"), "content_type": request.headers.get("content-type"),
        "closest_service": service, "closest_path": path, "similarity": round(similarity, 3), "reason": reason,
    }
    state.unmatched.append(near)
    return near
