"""The ASGI application: `create_app(settings)`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from mock_nsp.control.admin import routes as admin_routes
from mock_nsp.dispatch import Dispatcher
from mock_nsp.registry import build_services
from mock_nsp.settings import Settings
from mock_nsp.state import MockState
from mock_nsp.unmatched import Unmatched

ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


def create_app(settings: Settings | None = None, state: MockState | None = None) -> Starlette:
    """The mock NSP as a Starlette app; `app.state.mock` is its MockState."""
    settings = settings or Settings()
    state = state or MockState.create(settings)
    services = build_services(state)
    dispatcher = Dispatcher(state, services)
    known = {path: s.name for s in services for path in s.paths}
    service_routes = [Route(path, dispatcher.handle, methods=["POST"]) for path in known]
    from mock_nsp.services.wsdl import routes as wsdl_routes

    routes = [*service_routes, *admin_routes(state), *wsdl_routes(state),
              Route("/{path:path}", Unmatched(state, known).handle, methods=ALL_METHODS)]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(state.start)
        try:
            yield
        finally:
            state.ready = False
            state.journal.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.mock = state
    return app
