"""What the plane puts into a request's scope: the tenant's world and the tenants of the mock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

if TYPE_CHECKING:
    from mock_nsp.world.tenant import World
    from mock_nsp.world.tenants import Tenants

WORLD = "mock_nsp.world"
TENANTS = "mock_nsp.tenants"


def world(request: Request) -> World:
    """The world of the tenant the request is for (`/t/{name}/…`, or the default tenant)."""
    found: World = request.scope[WORLD]
    return found


def tenants(request: Request) -> Tenants:
    found: Tenants = request.scope[TENANTS]
    return found
