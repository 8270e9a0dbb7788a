"""The ASGI application: `create_app(settings)`."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_nsp.control.admin import routes as admin_routes
from mock_nsp.dispatch import Dispatcher
from mock_nsp.registry import build_services
from mock_nsp.settings import Settings
from mock_nsp.state import MockState
from mock_nsp.unmatched import Unmatched

ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
log = logging.getLogger("mock_nsp")


class MockApp(Starlette):
    """Starlette, except that a POST to a service path goes straight to the dispatcher: the service plane is the
    hot path, and Starlette's middleware stack and router cost a tenth of an ITI-43 while giving it nothing (the
    dispatcher answers every failure itself)."""

    fast: dict[str, ASGIApp]
    mock: MockState

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.mock.shared.sync()  # what another worker changed is seen by this request
        if scope["type"] == "http" and scope["method"] == "POST":
            handler = self.fast.get(scope["path"])
            if handler is not None and not scope.get("root_path"):
                await handler(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


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
        await state.journal.open()
        await run_in_threadpool(state.start)
        gc.freeze()  # what start-up made lives as long as the process: keep it out of every collection
        try:
            yield
        finally:
            state.close()

    app = MockApp(routes=routes, lifespan=lifespan)
    app.fast = dict.fromkeys(known, dispatcher.asgi)
    app.state.mock = app.mock = state
    return app
