"""One DGWS call to an NSP service: ID card, headers, HSUID for calls on behalf of an employee."""

from __future__ import annotations

import uuid

import nsp_vocabulary as v
from reference_eoj.clock import Clock
from reference_eoj.defects import Defect, Defects
from reference_eoj.nsp.dgws import MessageIds, SystemIdentity, envelope, hsuid_header
from reference_eoj.nsp.soap import SoapClient, SoapFault
from reference_eoj.nsp.sts import IdCardProvider
from reference_eoj.users import Employee
from reference_eoj.xml import Element

#: how often a call refused for its ID card is sent again with a new card (the idcard-retry-loop defect: more)
CARD_RETRIES = 1
LOOPING_CARD_RETRIES = 4


class NspGateway:
    def __init__(self, soap: SoapClient, cards: IdCardProvider, system: SystemIdentity, clock: Clock,
                 defects: Defects) -> None:
        self.soap, self.cards, self.system, self.clock = soap, cards, system, clock
        self._defects = defects
        self._message_ids = MessageIds(defects)
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
            hsuid = hsuid_header(self._named(employee), citizen_cpr or "", self.system, now,
                                 responsible_user=Defect.HSUID_NO_RESPONSIBLE_USER not in self._defects)
        request = envelope(card, payload, now=now, message_id=self._message_ids.next(),
                           flow_id=flow_id or self.new_flow(), hsuid=hsuid,
                           timestamp=Defect.NO_TIMESTAMP not in self._defects)
        return self.soap.call(service, path, action, request)

    def _named(self, employee: Employee) -> Employee:
        """The employee HSUID names: the one who acts (the hsuid-first-employee defect: whoever acted first)."""
        if Defect.HSUID_FIRST_EMPLOYEE not in self._defects:
            return employee
        self._first_employee = self._first_employee or employee
        return self._first_employee

    def forget(self) -> None:
        self._first_employee = None
