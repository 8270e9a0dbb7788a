"""The control plane answers loopback clients, or anyone presenting the configured token."""

from __future__ import annotations

import hmac
import ipaddress

from starlette.requests import Request

LOOPBACK_NAMES = {"localhost", "testclient"}


def is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed(request: Request, token: str | None) -> bool:
    """No token: loopback clients only. An empty token (`--admin-token ''`) switches the check off, for a
    container published on the host's loopback. Otherwise the token, as `x-admin-token` or a bearer token."""
    if token == "":
        return True
    if token is not None:
        given = request.headers.get("x-admin-token") or ""
        auth = request.headers.get("authorization") or ""
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        return hmac.compare_digest(given.encode(), token.encode())
    return is_loopback(request.client.host if request.client else None)
