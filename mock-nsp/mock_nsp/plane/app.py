"""The ASGI application: `create_app(settings[, store, journal])`. Every route exists for the default tenant at the
root and for each other tenant under `/t/{name}/…`; a service request goes straight into its tenant's pipeline."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette._utils import get_route_path
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

import nsp_vocabulary as v
from mock_nsp import soap
from mock_nsp.plane import context
from mock_nsp.plane.control.admin import routes as admin_routes
from mock_nsp.plane.control.tenants import routes as tenant_routes
from mock_nsp.plane.pipeline import Pipeline
from mock_nsp.plane.registry import PATHS, SERVICE_AT, build_services
from mock_nsp.plane.unmatched import Unmatched
from mock_nsp.services.wsdl import routes as wsdl_routes
from mock_nsp.settings import Settings
from mock_nsp.world.journal import Journal
from mock_nsp.world.store import DEFAULT_TENANT, Store, StoreUnavailable
from mock_nsp.world.tenant import World
from mock_nsp.world.tenants import Tenants

ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
TENANT_PREFIX = "/t/"
log = logging.getLogger("mock_nsp")


class MockApp(Starlette):
    """Starlette, except that the tenant is found first (its world refreshed from the store) and a POST to a service
    path goes straight to the tenant's pipeline: the service plane is the hot path, and Starlette's middleware stack
    and router cost a tenth of an ITI-43 while giving it nothing (the pipeline answers every failure itself)."""

    tenants: Tenants
    store: Store
    pipelines: dict[str, Pipeline]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            world = await self._world(scope)
        except StoreUnavailable as exc:
            await _unavailable(scope, str(exc))(scope, receive, send)
            return
        if world is None:
            await _no_tenant(scope)(scope, receive, send)
            return
        scope[context.WORLD], scope[context.TENANTS] = world, self.tenants
        if scope["method"] == "POST" and get_route_path(scope) in PATHS:
            await self._pipeline(world).asgi(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def _world(self, scope: Scope) -> World | None:
        """The tenant's world, fresh: every change committed before this request, on any replica, is seen."""
        path: str = scope["path"]
        name = DEFAULT_TENANT
        if path.startswith(TENANT_PREFIX):
            name, _, _ = path[len(TENANT_PREFIX):].partition("/")
            scope["root_path"] = scope.get("root_path", "") + TENANT_PREFIX + name
        await self.store.sync()
        return self.tenants.world(name)

    def _pipeline(self, world: World) -> Pipeline:
        pipeline = self.pipelines.get(world.name)
        if pipeline is None or pipeline.state is not world:
            pipeline = self.pipelines[world.name] = Pipeline(world, build_services(world))
        return pipeline


def _no_tenant(scope: Scope) -> Response:
    name = str(scope["path"])[len(TENANT_PREFIX):].partition("/")[0]
    message = f"no tenant {name!r} on this mock NSP (an operator creates one with POST /__admin/tenants)"
    if v.ADMIN_PREFIX in str(scope["path"]):
        return JSONResponse({"error": message}, 404)
    return Response(soap.fault_envelope(soap.client_fault(message, http_status=404)), 404, media_type=soap.CT_SOAP11)


def _unavailable(scope: Scope, problem: str) -> Response:
    message = f"the mock NSP's store is unavailable: {problem}"
    if v.ADMIN_PREFIX in str(scope["path"]):
        return JSONResponse({"status": "unavailable", "problems": [message], "error": message}, 503)
    fault = soap.SoapFault(message, "Server", http_status=503)
    return Response(soap.fault_envelope(fault), 503, media_type=soap.CT_SOAP11)


def create_app(settings: Settings | None = None, store: Store | None = None, journal: Journal | None = None) -> MockApp:
    """The mock NSP (embedded mode unless given a store and journal); `app.state.mock` is the default tenant's
    world once started, `app.tenants` every tenant's."""
    settings = settings or Settings()
    if store is None:
        from mock_nsp.storage.memory import MemoryStore

        store = MemoryStore()
    if journal is None:
        from mock_nsp.storage import default_journal_path

        journal = Journal(settings.journal_path or default_journal_path(settings.state_dir), settings.journal_cap)
    tenants = Tenants(settings, store, journal)
    store.open()
    world = tenants.open()
    world.ready = False  # until the start-up (lifespan) has run
    routes = [*admin_routes(), *tenant_routes(), *wsdl_routes(),
              Route("/{path:path}", Unmatched(SERVICE_AT).handle, methods=ALL_METHODS)]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if store.restores_from_journal:
            await run_in_threadpool(world.restore_minlog)
        world.ready = True
        gc.freeze()  # what start-up made lives as long as the process: keep it out of every collection
        try:
            yield
        finally:
            world.ready = False
            journal.close()
            store.close()

    app = MockApp(routes=routes, lifespan=lifespan)
    app.tenants, app.store, app.pipelines = tenants, store, {}
    app.state.mock = world
    return app


def app_for(settings: Settings) -> MockApp:
    """The mock for these settings: hosted (PostgreSQL) with `settings.database`, else embedded."""
    if not settings.database:
        return create_app(settings)
    from mock_nsp.storage.postgres import PostgresStore
    from mock_nsp.storage.postgres_journal import PostgresJournal

    store = PostgresStore(settings.database)
    store.open()  # checks (and applies) the schema migrations before anything else
    return create_app(settings, store, Journal(PostgresJournal(settings.database), settings.journal_cap))


def from_environment() -> MockApp:
    """The factory a process manager calls in each worker (`uvicorn --factory`, gunicorn with uvicorn workers):
    the settings from the `MOCK_NSP_*` environment (see `python -m mock_nsp --help`)."""
    from mock_nsp.__main__ import parse_args, settings_from

    return app_for(settings_from(parse_args([])))
