"""Control plane: the operator's routes — tenants (`POST /__admin/tenants` → the tenant's own admin token, shown
once, and its own test CA; `GET /__admin/tenants/{name}`)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import nsp_vocabulary as v
from mock_nsp.plane.context import tenants, world
from mock_nsp.plane.control.auth import operator
from mock_nsp.plane.control.validation import InvalidInput
from mock_nsp.plane.control.web import NotFound, guard, read_json
from mock_nsp.world.store import DEFAULT_TENANT
from mock_nsp.world.tenants import NAME, TenantExists


def _operator(request: Request) -> bool:
    return world(request).name == DEFAULT_TENANT and operator(request, world(request).settings)


async def create(request: Request) -> Response:
    data = await read_json(request, world(request).settings, "tenant")
    name = str(data["name"])
    if name == DEFAULT_TENANT or not NAME.fullmatch(name):
        raise InvalidInput("/name", f"{name!r} is not a tenant name: lower-case letters, digits and '-', up to 63, "
                                    f"not {DEFAULT_TENANT!r}")
    try:
        created, token = await run_in_threadpool(tenants(request).create, name)
    except TenantExists:
        return JSONResponse({"error": f"tenant {name!r} exists already", "path": "/name"}, 409)
    base = str(request.base_url).rstrip("/") + "/t/" + name
    return JSONResponse({"name": name, "base_url": base, "admin_token": token,
                         "ca_pem": created.ca.root.cert_pem}, 201)


async def show(request: Request) -> Response:
    name = str(request.path_params["name"])
    found = tenants(request).world(name)
    if found is None:
        raise NotFound(f"no tenant {name!r}")
    return JSONResponse({"name": name, "base_url": str(request.base_url).rstrip("/") + "/t/" + name,
                         "ca_pem": found.ca.root.cert_pem})


def routes() -> list[Route]:
    return [Route(v.ADMIN_PREFIX + "/tenants", guard(create, check=_operator), methods=["POST"]),
            Route(v.ADMIN_PREFIX + "/tenants/{name}", guard(show, check=_operator), methods=["GET"])]
