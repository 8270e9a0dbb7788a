"""One DGWS call to an NSP service: ID card, headers, HSUID for calls on behalf of an employee."""

from __future__ import annotations

import uuid

from reference_eoj.clock import Clock
from reference_eoj.defects import Defect, Defects
from reference_eoj.nsp.dgws import MessageIds, SystemIdentity, envelope, hsuid_header
from reference_eoj.nsp.soap import SoapClient
from reference_eoj.nsp.sts import IdCardProvider
from reference_eoj.users import Employee
from reference_eoj.xml import Element


class NspGateway:
    def __init__(self, soap: SoapClient, cards: IdCardProvider, system: SystemIdentity, clock: Clock,
                 defects: Defects) -> None:
        self.soap, self.cards, self.system, self.clock = soap, cards, system, clock
        self._defects = defects
        self._message_ids = MessageIds(defects)

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
                                 responsible_user=Defect.HSUID_NO_RESPONSIBLE_USER not in self._defects)
        request = envelope(card, payload, now=now, message_id=self._message_ids.next(),
                           flow_id=flow_id or self.new_flow(), hsuid=hsuid)
        return self.soap.call(service, path, action, request)
