"""WSDLs and XSDs the project writes itself (shapes of the real ones), served under GET.

The files name each other by absolute URLs on the placeholder host `http://MOCK-NSP-BASE`, replaced by the
base URL the request came to, so a client (zeep, wsimport, CXF) that loads a WSDL from the mock finds every
schema it imports on the same mock."""

from __future__ import annotations

import time
from importlib import resources

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import nsp_vocabulary as v
from mock_nsp.plane.context import world
from mock_nsp.plane.exchange import (
    BodyTooLarge,
    ClientDisconnect,
    Outcome,
    journal_entry,
    read_body,
    record,
    unreadable,
    unrecorded,
)

#: URL path → file in mock_nsp/wsdl
WSDLS = {
    "/sfsk/dgws-wsdl/iti18.wsdl": "iti18.wsdl",
    "/sfsk/dgws-wsdl/iti43.wsdl": "iti43.wsdl",
    "/skr/wsdl/dgws20210602": "skr.wsdl",
    "/minlog2-registration/20250312/RegisterService.wsdl": "minlog.wsdl",
    "/idsas-salt/20230601/salt.wsdl": "idsas.wsdl",
}
#: the schemas the WSDLs import, each under /xsd/<file>
XSDS = {f"/xsd/{name}": name for name in (
    "medcom-dgws-1.0.xsd", "wsse-security.xsd", "hsuid-1.1.xsd", "ebrs-rim-3.0.xsd", "ebrs-rs-3.0.xsd",
    "ebrs-query-3.0.xsd", "ihe-xds-b.xsd", "minlog2-registration-20250312.xsd",
)}
#: service path → WSDL file, for `GET <service path>?wsdl`
BY_SERVICE = {
    "/decoupling/nspservices/sfskreg": "iti18.wsdl",
    "/decoupling/nspservices/sfskrep": "iti43.wsdl",
    "/skr/dgws20210602": "skr.wsdl",
    "/minlog2-registration/20250312/RegisterService": "minlog.wsdl",
    "/decoupling/minlog2-registration/20250312/RegisterService": "minlog.wsdl",
    "/idsas-salt/20230601/salt": "idsas.wsdl",
    "/sts/services/NewSecurityTokenService": "sts.wsdl",
}


CONTENT_TYPE = "text/xml; charset=utf-8"


def _load(name: str) -> bytes:
    return resources.files("mock_nsp.wsdl").joinpath(name).read_bytes()


def routes() -> list[Route]:
    def endpoint(name: str) -> Route:
        async def serve(request: Request) -> Response:
            started = time.perf_counter()
            state = world(request)
            try:  # a GET has no business sending a body; one is read (within bounds) and dropped
                await read_body(request, state.settings.max_body_bytes, state.settings.body_timeout, keep=0)
                base = str(request.base_url).rstrip("/")
                out = Outcome(200, _load(name).replace(b"http://MOCK-NSP-BASE", base.encode()), CONTENT_TYPE)
            except (BodyTooLarge, TimeoutError, ClientDisconnect) as exc:
                out = unreadable(exc)
            out.operation = name
            if not await record(state, journal_entry(state, request, v.SERVICE_WSDL, b"", out, started)):
                out = unrecorded(state)
            return Response(out.body, out.status, media_type=out.content_type)

        return serve  # type: ignore[return-value]

    table = [*WSDLS.items(), *BY_SERVICE.items(), *XSDS.items()]
    return [Route(path, endpoint(name), methods=["GET"]) for path, name in table]
