"""IDSAS salt (`GetCurrentSalt`): the current Base64 salt for identity-masking pseudonyms."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.security.dgws import Requirement
from mock_nsp.services.base import Call, Reply, local_name
from mock_nsp.settings import RuntimeConfig
from mock_nsp.soap import SoapFault

IDSAS = v.NS["idsas"]


def handler(salt: Callable[[], str]) -> Callable[[Call], Reply]:
    def handle(call: Call) -> Reply:
        if local_name(call.body) not in ("GetCurrentSaltRequest", "GetCurrentSalt"):
            raise SoapFault("Expected idsas:GetCurrentSaltRequest", "Client")
        response = etree.Element(f"{{{IDSAS}}}GetCurrentSaltResponse", nsmap={"idsas": IDSAS})
        etree.SubElement(response, f"{{{IDSAS}}}Salt").text = salt()
        return Reply([response])

    return handle


def operation(body: etree._Element | None, action: str | None) -> str | None:
    return "GetCurrentSalt" if local_name(body) in ("GetCurrentSaltRequest", "GetCurrentSalt") else local_name(body)


def requirement(config: RuntimeConfig) -> Requirement:
    return Requirement(min_level=config.idsas_min_level)
