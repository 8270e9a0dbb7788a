"""Who may use a control plane: the default tenant's answers loopback clients, or anyone presenting the process's
admin token; another tenant's answers only its own admin token; the operator's routes (tenants) the operator
token. The operator token opens every tenant's control plane too."""

from __future__ import annotations

import hmac
import ipaddress

from starlette.requests import Request

from mock_nsp.plane.context import tenants, world
from mock_nsp.settings import Settings
from mock_nsp.world.store import DEFAULT_TENANT

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


def given(request: Request) -> str | None:
    """The token a request presents: `x-admin-token`, or a bearer token."""
    auth = request.headers.get("authorization") or ""
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-admin-token")


def matches(request: Request, token: str | None) -> bool:
    presented = given(request)
    return bool(token) and presented is not None and hmac.compare_digest(presented.encode(), str(token).encode())


def allowed(request: Request, token: str | None) -> bool:
    """No token: loopback clients only. An empty token (`--admin-token ''`) switches the check off, for a
    container published on the host's loopback. Otherwise the token, as `x-admin-token` or a bearer token."""
    if token == "":
        return True
    if token is not None:
        return matches(request, token)
    return is_loopback(request.client.host if request.client else None)


def operator(request: Request, settings: Settings) -> bool:
    """The operator's routes: the operator token; without one, as the default tenant's control plane."""
    if settings.operator_token:
        return matches(request, settings.operator_token)
    return allowed(request, settings.admin_token)


def admitted(request: Request) -> bool:
    """Whether the request may use the control plane of the tenant it is for."""
    w, settings = world(request), world(request).settings
    if settings.operator_token and matches(request, settings.operator_token):
        return True
    if w.name == DEFAULT_TENANT:
        return allowed(request, settings.admin_token)
    return tenants(request).admits(w, given(request))
