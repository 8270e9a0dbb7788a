"""One DGWS call to an NSP service: ID card, headers, HSUID for calls on behalf of an employee."""

from __future__ import annotations

import uuid

import nsp_vocabulary as v
from reference_eoj.clock import Clock
from reference_eoj.defects import Defect, Defects
from reference_eoj.identifiers import hsuid_organisation
from reference_eoj.nsp.dgws import Addressing, HeaderOptions, MessageIds, SystemIdentity, envelope, hsuid_header
from reference_eoj.nsp.soap import SoapClient, SoapFault
from reference_eoj.nsp.sts import IdCardProvider
from reference_eoj.users import Employee
from reference_eoj.variants import Variant, Variants
from reference_eoj.xml import Element

#: the SFSK WSDLs' operation names, which the seeded defect ``wrong-soapaction`` sends as the SOAPAction
WSDL_OPERATIONS = {v.ACTION_ITI18: "DocumentRegistry_RegistryStoredQuery",
                   v.ACTION_ITI43: "DocumentRepository_RetrieveDocumentSet"}
#: how often a call refused for its ID card is sent again with a new card (the idcard-retry-loop defect: more)
CARD_RETRIES = 1
LOOPING_CARD_RETRIES = 4


class NspGateway:
    def __init__(self, soap: SoapClient, cards: IdCardProvider, system: SystemIdentity, clock: Clock,
                 defects: Defects, variants: Variants | None = None) -> None:
        self.soap, self.cards, self.system, self.clock = soap, cards, system, clock
        self._defects, self._variants = defects, variants or Variants()
        self._message_ids = MessageIds(defects)
        self._headers = header_options(self._variants)
        self._first_employee: Employee | None = None  # read only by the hsuid-first-employee defect

    @staticmethod
    def new_flow() -> str:
        return str(uuid.uuid4())

    def call(self, service: str, path: str, action: str, payload: Element, *, employee: Employee | None = None,
             citizen_cpr: str | None = None, flow_id: str | None = None) -> Element:
        """Send ``payload``; with an employee the call carries HSUID naming them (and ``citizen_cpr``).

        NSP refuses a card it no longer accepts (``sosigw_no_valid_idcard_in_request``: expired by the platform's
        clock, or dropped from its cache) before it does anything else, so the call is sent again once with a new
        card from the STS; a second refusal is the employee's error message."""
        retries = 0 if Defect.NO_IDCARD_RETRY in self._defects else (
            LOOPING_CARD_RETRIES if Defect.IDCARD_RETRY_LOOP in self._defects else CARD_RETRIES)
        for attempt in range(retries + 1):
            try:
                return self._send(service, path, action, payload, employee, citizen_cpr, flow_id)
            except SoapFault as exc:
                if attempt == retries or exc.fault.dgws_code != v.FAULT_NO_VALID_IDCARD:
                    raise
                self.cards.forget()
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _send(self, service: str, path: str, action: str, payload: Element, employee: Employee | None,
              citizen_cpr: str | None, flow_id: str | None) -> Element:
        now = self.clock.now()
        card = self.cards.card_for(employee)
        hsuid = None
        if employee is not None and Defect.NO_HSUID not in self._defects:
            named = self._named(employee)
            hsuid = hsuid_header(named, citizen_cpr or "", self.system, now,
                                 responsible_user=Defect.HSUID_NO_RESPONSIBLE_USER not in self._defects,
                                 organisation=hsuid_organisation(named, self._variants, self._defects),
                                 consent_override=self._headers.consent_override)
        message_id = self._message_ids.next()
        request = envelope(card, payload, now=now, message_id=message_id, flow_id=flow_id or self.new_flow(),
                           hsuid=hsuid, options=self._headers, addressing=Addressing(action, self.soap.url(path)),
                           timestamp=Defect.NO_TIMESTAMP not in self._defects,
                           level=4 if Defect.SECURITY_LEVEL_NOT_THE_CARDS in self._defects else None)
        fsk = path in (v.PATH_SFSK_ITI18, v.PATH_SFSK_ITI43)
        if fsk and Defect.WRONG_SOAPACTION in self._defects:
            action = WSDL_OPERATIONS.get(action, action)
        version = "1.2" if fsk and Defect.SOAP12_ENVELOPE in self._defects else "1.1"
        return self.soap.call(service, path, action, request, version=version)

    def _named(self, employee: Employee) -> Employee:
        """The employee HSUID names: the one who acts (the hsuid-first-employee defect: whoever acted first)."""
        if Defect.HSUID_FIRST_EMPLOYEE not in self._defects:
            return employee
        self._first_employee = self._first_employee or employee
        return self._first_employee

    def forget(self) -> None:
        self._first_employee = None


def header_options(variants: Variants) -> HeaderOptions:
    if Variant.HEADERS_ALL_OPTIONAL in variants:
        return HeaderOptions(medcom="all", addressing=True, reversed_order=True, consent_override=True)
    if Variant.HEADERS_MINIMAL in variants:
        return HeaderOptions(medcom="minimal")
    return HeaderOptions()
