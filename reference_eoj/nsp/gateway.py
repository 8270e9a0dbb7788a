"""One DGWS call to an NSP service: ID card, headers, HSUID for calls on behalf of an employee."""

from __future__ import annotations

import uuid

import nsp_vocabulary as v
from reference_eoj.clock import Clock
from reference_eoj.defects import Defect, Defects
from reference_eoj.identifiers import hsuid_organisation
from reference_eoj.nsp.dgws import Addressing, HeaderOptions, MessageIds, SystemIdentity, envelope, hsuid_header
from reference_eoj.nsp.soap import SoapClient
from reference_eoj.nsp.sts import IdCardProvider
from reference_eoj.users import Employee
from reference_eoj.variants import Variant, Variants
from reference_eoj.xml import Element

#: the SFSK WSDLs' operation names, which the seeded defect ``wrong-soapaction`` sends as the SOAPAction
WSDL_OPERATIONS = {v.ACTION_ITI18: "DocumentRegistry_RegistryStoredQuery",
                   v.ACTION_ITI43: "DocumentRepository_RetrieveDocumentSet"}


class NspGateway:
    def __init__(self, soap: SoapClient, cards: IdCardProvider, system: SystemIdentity, clock: Clock,
                 defects: Defects, variants: Variants | None = None) -> None:
        self.soap, self.cards, self.system, self.clock = soap, cards, system, clock
        self._defects, self._variants = defects, variants or Variants()
        self._message_ids = MessageIds(defects)
        self._headers = header_options(self._variants)

    @staticmethod
    def new_flow() -> str:
        return str(uuid.uuid4())

    def call(self, service: str, path: str, action: str, payload: Element, *, employee: Employee | None = None,
             citizen_cpr: str | None = None, flow_id: str | None = None) -> Element:
        """Send ``payload``; with an employee the call carries HSUID naming them (and ``citizen_cpr``)."""
        now = self.clock.now()
        card = self.cards.card_for(employee)
        hsuid = None
        if employee is not None and Defect.NO_HSUID not in self._defects:
            hsuid = hsuid_header(employee, citizen_cpr or "", self.system, now,
                                 responsible_user=Defect.HSUID_NO_RESPONSIBLE_USER not in self._defects,
                                 organisation=hsuid_organisation(employee, self._variants, self._defects),
                                 consent_override=self._headers.consent_override)
        message_id = self._message_ids.next()
        request = envelope(card, payload, now=now, message_id=message_id, flow_id=flow_id or self.new_flow(),
                           hsuid=hsuid, options=self._headers, addressing=Addressing(action, self.soap.url(path)))
        fsk = path in (v.PATH_SFSK_ITI18, v.PATH_SFSK_ITI43)
        if fsk and Defect.WRONG_SOAPACTION in self._defects:
            action = WSDL_OPERATIONS.get(action, action)
        version = "1.2" if fsk and Defect.SOAP12_ENVELOPE in self._defects else "1.1"
        return self.soap.call(service, path, action, request, version=version)


def header_options(variants: Variants) -> HeaderOptions:
    if Variant.HEADERS_ALL_OPTIONAL in variants:
        return HeaderOptions(medcom="all", addressing=True, reversed_order=True, consent_override=True)
    if Variant.HEADERS_MINIMAL in variants:
        return HeaderOptions(medcom="minimal")
    return HeaderOptions()
