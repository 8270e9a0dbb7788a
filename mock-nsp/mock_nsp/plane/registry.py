"""The services the mock serves, by path."""

from __future__ import annotations

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.security import idcard
from mock_nsp.security.dgws import Requirement
from mock_nsp.security.sts import response_parts
from mock_nsp.services import idsas, minlog, sfsk, skr
from mock_nsp.services.base import Call, Reply, Service, local_name
from mock_nsp.settings import RuntimeConfig
from mock_nsp.world.tenant import World


def _sts_operation(body: etree._Element | None, action: str | None) -> str | None:
    return "Issue" if local_name(body) == "RequestSecurityToken" else local_name(body)


def _q(prefix: str, name: str) -> str:
    return f"{{{v.NS[prefix]}}}{name}"


def _no_requirement(config: RuntimeConfig) -> Requirement:
    return Requirement(min_level=0)


#: every service path and the service at it (the same for every tenant)
SERVICE_AT: dict[str, str] = {
    v.PATH_STS: v.SERVICE_STS, v.PATH_SFSK_ITI18: v.SERVICE_SFSK_REGISTRY, v.PATH_SFSK_ITI43: v.SERVICE_SFSK_REPOSITORY,
    v.PATH_SKR: v.SERVICE_SKR, v.PATH_MINLOG: v.SERVICE_MINLOG, v.PATH_MINLOG_DECOUPLED: v.SERVICE_MINLOG,
    v.PATH_IDSAS_SALT: v.SERVICE_IDSAS,
}
PATHS: frozenset[str] = frozenset(SERVICE_AT)


def build_services(state: World) -> list[Service]:
    """The services of one tenant's world."""
    store = sfsk.Sfsk(state.citizens, state.clock, state.config)

    def sts_handle(call: Call) -> Reply:
        requested = next((a for a in call.root.iter(f"{{{v.NS['saml']}}}Assertion") if a.get("id") == "IDCard"), None)
        if requested is not None:
            call.summary["idcard_requested"] = idcard.read(requested).summary(False)
        issued = state.sts.issue(call.root, state.config)
        card = idcard.read(issued.assertion)
        call.summary["idcard"] = {**card.summary(True), "issued": True}
        security, rstr = response_parts(issued, state.clock.now())
        return Reply([rstr], header_elements=[security])

    services = [
        Service(v.SERVICE_STS, (v.PATH_STS,), _sts_operation, _no_requirement, sts_handle, dgws=False,
                accepts=(_q("wst", "RequestSecurityToken"),), soap_actions=(v.ACTION_STS_ISSUE,),
                fault_http_status=lambda config: config.sts_fault_http_status),
        Service(v.SERVICE_SFSK_REGISTRY, (v.PATH_SFSK_ITI18,), sfsk.operation_iti18, sfsk.requirement, store.iti18,
                accepts=(_q("query", "AdhocQueryRequest"),), soap_actions=(v.ACTION_ITI18,)),
        Service(v.SERVICE_SFSK_REPOSITORY, (v.PATH_SFSK_ITI43,), sfsk.operation_iti43, sfsk.requirement,
                store.iti43, accepts=(_q("xds", "RetrieveDocumentSetRequest"),), soap_actions=(v.ACTION_ITI43,)),
        Service(v.SERVICE_SKR, (v.PATH_SKR,), skr.operation, skr.requirement,
                skr.Skr(state.citizens, state.clock, state.config).handle,
                accepts=tuple(_q("skr", f"{op}Request") for op in v.SKR_OPERATIONS), soap_actions=v.SKR_OPERATIONS),
        Service(v.SERVICE_MINLOG, (v.PATH_MINLOG, v.PATH_MINLOG_DECOUPLED), minlog.operation, minlog.requirement,
                minlog.Minlog(state.minlog, state.citizens, state.clock, state.config).handle,
                accepts=(_q("minlog", "RegistrationRequest"),), soap_actions=v.ACTIONS_MINLOG),
        Service(v.SERVICE_IDSAS, (v.PATH_IDSAS_SALT,), idsas.operation, idsas.requirement,
                idsas.handler(lambda: state.salt),
                accepts=(_q("idsas", "GetCurrentSaltRequest"), _q("idsas", "GetCurrentSalt")),
                soap_actions=(v.ACTION_IDSAS_SALT,)),
    ]
    return services
