"""Cheap look at who a request is about (the citizen) and from (the CVR it claims), for fault matching and the
journal. Nothing here is verified: the gate and the services judge."""

from __future__ import annotations

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.security import idcard
from mock_nsp.services import sfsk
from mock_nsp.world.citizens import CitizenRegister


def cpr(service: str, body: etree._Element | None, citizens: CitizenRegister) -> str | None:
    if body is None:
        return None
    if service == v.SERVICE_SFSK_REGISTRY:
        adhoc = body.find(f"{{{v.NS['rim']}}}AdhocQuery")
        if adhoc is None:
            return None
        patient = sfsk.parse_slots(adhoc).get("$XDSDocumentEntryPatientId", [])
        return sfsk.cpr_of(patient[0]) if patient else None
    if service == v.SERVICE_SFSK_REPOSITORY:
        node = body.find(f"{{{v.NS['xds']}}}DocumentRequest/{{{v.NS['xds']}}}DocumentUniqueId")
        hit = citizens.by_document_id((node.text or "").strip()) if node is not None else None
        return hit[0].cpr if hit else None
    for el in body.iter("PersonIdentifier", f"{{{v.NS['skr']}}}PersonCivilRegistrationIdentifier"):
        return (el.text or "").strip() or None
    return None


def claimed_cvr(service: str, body: etree._Element | None) -> str | None:
    """The CareProviderID of the ID card an STS request asks to have issued (the gate, which reads the CVR of
    every other service's caller, does not run for the STS)."""
    if service != v.SERVICE_STS or body is None:
        return None
    for assertion in body.iterfind(f"{{{v.NS['wst']}}}Claims/{{{v.NS['saml']}}}Assertion"):
        return idcard.read(assertion).cvr
    return None
