"""Checks of how the SUT identifies itself and the employee to NSP (STS, DGWS, HSUID)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import nsp_vocabulary as v
from nspcert.act.sut import Turn
from nspcert.checks import require
from nspcert.driver.contract import Employee
from nspcert.nsp import wire
from nspcert.nsp.journal import Exchange, Exchanges


def _some(calls: list[Exchange], what: str) -> None:
    require(bool(calls), check=f"{what} recorded", expected=f"at least one {what}", received=count(calls),
            where="mock NSP journal for this scenario")


def count(found: list[Any]) -> str:
    """How many were found, read as true on a pass and on a fail: "none", "1", "3"."""
    return str(len(found)) if found else "none"


def expect_level3_system_card(calls: Exchanges) -> None:
    issued = [call for call in calls.sts_calls() if not call.fault]
    _some(issued, "ID card issued by the STS")
    kinds = [(call.idcard.get("type"), call.idcard.get("level")) for call in issued]
    require(all(kind == ("system", 3) for kind in kinds), check="ID card requested from the STS",
            expected="a system card at authentication level 3 (function certificate)",
            received=", ".join(f"{kind} level {level}" for kind, level in kinds), where=issued[0].where())


def expect_only_system_cards(calls: Exchanges) -> None:
    fsk = calls.dgws_calls()
    _some(fsk, "call to FSK")
    for call in fsk:
        require(call.idcard.get("type") == "system", check="ID card on routine FSK calls",
                expected="the system card (level 3) on every call",
                received=f"{call.idcard.get('type')} card level {call.idcard.get('level')}", where=call.where())


def expect_security_headers(calls: Exchanges) -> None:
    dgws = calls.dgws_calls()
    _some(dgws, "call to the platform")
    for call in dgws:
        stamped = bool(call.summary.get("timestamp"))
        level, card_level = call.summary.get("security_level"), call.idcard.get("level") if call.idcard else None
        require(bool(call.idcard) and stamped and bool(call.summary.get("message_id")) and _same_level(level, card_level),
                check="DGWS security headers",
                expected="wsse:Security with a wsu:Timestamp and an ID card, and a medcom:Header whose SecurityLevel "
                         "is the ID card's authentication level, with a MessageID",
                received=f"ID card {'present' if call.idcard else 'missing'}"
                         + (f" (level {card_level})" if card_level is not None else "") + ", timestamp "
                         f"{call.summary.get('timestamp') or 'missing'}, SecurityLevel {level or 'missing'}, MessageID "
                         f"{call.summary.get('message_id') or 'missing'}"
                         + (f", fault {call.fault.get('code')}" if call.fault else ""), where=call.where())


def _same_level(header_level: Any, card_level: Any) -> bool:
    """medcom:Header's SecurityLevel names the ID card's authentication level (domain-nsp.md §1.4; SDS's client
    writes the card's level there); a call the platform answers without a card is judged by its other parts."""
    return str(header_level or "").strip() == str(card_level if card_level is not None else "").strip()


#: what a system user (a level-3 system card) may ask SFSK for: search and retrieve
SYSTEM_USER_FSK_OPERATIONS = {"sfsk-registry": ("RegistryStoredQuery",), "sfsk-repository": ("RetrieveDocumentSet",)}


def expect_system_user_operations(calls: Exchanges) -> None:
    """Calls to FSK made with the system card ask only for what system users may, and are never refused for it."""
    fsk = calls.fsk_calls()
    _some(fsk, "call to FSK")
    for call in fsk:
        allowed = SYSTEM_USER_FSK_OPERATIONS.get(call.service, ())
        require(call.idcard.get("type") != "system" or (call.operation in allowed
                                                         and call.fault.get("code") != v.FAULT_ACCESS_DENIED),
                check="operations called with the system ID card", expected=f"one of {', '.join(allowed)}, allowed",
                received=f"{call.operation}" + (f", refused {call.fault.get('code')}" if call.fault else ""),
                where=call.where())


def expect_unique_message_ids(calls: Exchanges) -> None:
    _some(calls.dgws_calls(), "call to the platform")
    counts = Counter(str(call.summary.get("message_id")) for call in calls.dgws_calls())
    repeated = {message_id: n for message_id, n in counts.items() if n > 1}
    require(not repeated, check="unique MessageID per call", expected="a new Linking/MessageID on every call",
            received=f"{len(counts)} distinct MessageIDs on {sum(counts.values())} calls"
                     + (f", repeated: {repeated}" if repeated else ""), where="medcom:Header of the recorded calls")


def expect_acting_employee(calls: list[Exchange], employee: Employee) -> None:
    _some(calls, "call to FSK")
    for call in calls:
        hsuid = call.hsuid
        require(hsuid.get("user_type") == v.HSUID_USER_TYPE_PROFESSIONAL
                and hsuid.get("acting_user_cpr") == employee.cpr,
                check="HSUID acting user", expected=f"{v.HSUID_USER_TYPE_PROFESSIONAL} with CPR {employee.cpr}",
                received=f"{hsuid.get('user_type') or 'no HSUID'} with CPR {hsuid.get('acting_user_cpr')}",
                where=call.where())


def expect_responsible_user(calls: list[Exchange], professional: Employee) -> None:
    """HSUID names the authorised professional the employee acts for (ResponsibleUser… CPR and authorisation)."""
    _some(calls, "call to FSK")
    for call in calls:
        sent = (call.hsuid.get("responsible_user_cpr"), call.hsuid.get("authorization_code"))
        require(sent == (professional.cpr, professional.authorisation_id), check="HSUID responsible user",
                expected=f"ResponsibleUserCivilRegistrationNumber {professional.cpr} and "
                         f"ResponsibleUserAuthorizationCode {professional.authorisation_id}",
                received=f"ResponsibleUserCivilRegistrationNumber {sent[0] or '(none)'} and "
                         f"ResponsibleUserAuthorizationCode {sent[1] or '(none)'}", where=call.where())


def unit_ids(employee: Employee) -> dict[str, str]:
    """HSUID ``nsi:OrgUsingID`` NameFormat → the employee's unit's identifier of that kind (hsuid-1_1.xsd
    ``subjectIdentifierType``: SOR code, ydernummer, SKS/SHAK code; the ones the unit has)."""
    kinds = {v.HSUID_ORG_NAMEFORMAT_SOR: employee.sor_code, v.HSUID_ORG_NAMEFORMAT_YDER: employee.yder_number,
             v.HSUID_ORG_NAMEFORMAT_SKS: employee.sks_code}
    return {name_format: value for name_format, value in kinds.items() if value}


def expect_organisation(calls: list[Exchange], employee: Employee) -> None:
    """Every call names the employee's unit by one of its identifiers, with the NameFormat of that identifier."""
    _some(calls, "call to FSK")
    accepted = unit_ids(employee)
    for call in calls:
        hsuid = call.hsuid
        sent = (hsuid.get("org_using_id_name_format"), hsuid.get("org_using_id"))
        require(sent[0] in accepted and accepted[str(sent[0])] == sent[1], check="HSUID OrgUsingID",
                expected=" or ".join(f"{value} with NameFormat {name_format}" for name_format, value in accepted.items()),
                received=f"{sent[1]} with NameFormat {sent[0]}", where=call.where())


def expect_system_named(calls: list[Exchange]) -> None:
    _some(calls, "call to FSK")
    for call in calls:
        named = {key: call.hsuid.get(key) for key in ("system_name", "system_version", "system_owner")}
        require(all(named.values()), check="HSUID system identification",
                expected="SystemName, SystemVersion and SystemOwnerName", received=str(named), where=call.where())


#: the SOAPAction of each FSK operation (the SFSK WSDLs' wsam:Action; SDS's own client sends these)
FSK_ACTIONS = {"sfsk-registry": v.ACTION_ITI18, "sfsk-repository": v.ACTION_ITI43}


def expect_soap11_binding(calls: Exchanges) -> None:
    """Every FSK call is a SOAP 1.1 envelope naming its operation as the platform routes it: the SOAPAction header
    (quoted or not), or, with an empty SOAPAction, the WS-Addressing Action (docs/soap-binding.md)."""
    fsk = calls.fsk_calls()
    _some(fsk, "call to FSK")
    for call in fsk:
        expected = FSK_ACTIONS[call.service]
        header = call.request_header("soapaction")
        action = (header or "").strip().strip('"')
        try:
            namespace, addressed = wire.envelope_namespace(call.request_body), wire.wsa_action(call.request_body)
        except wire.UnreadableMessage as problem:
            namespace, addressed = f"not XML ({problem})", ""
        routed = action == expected or (not action and addressed == expected)
        require(namespace == v.NS["soap"] and routed, check="SOAP 1.1 call naming its operation",
                expected=f"a SOAP 1.1 envelope ({v.NS['soap']}) with SOAPAction {expected}",
                received=f"envelope {namespace}, SOAPAction {header if header is not None else '(none)'}"
                         + (f", wsa:Action {addressed}" if addressed else "")
                         + (f"; refused: {call.fault.get('code')} {call.fault.get('string')}" if call.fault else ""),
                where=call.where())


def expect_sts_requests(calls: Exchanges, count: int) -> None:
    sts = calls.sts_calls()
    require(len(sts) == count, check="ID card requests to the STS", expected=f"{count} request(s)",
            received=f"{len(sts)} request(s)", where="STS exchanges in the journal")


def expect_no_expired_card(calls: Exchanges) -> None:
    _some(calls.dgws_calls(), "call to the platform")
    for call in calls.dgws_calls():
        valid = call.idcard.get("valid", True) is not False and call.fault.get("code") != v.FAULT_NO_VALID_IDCARD
        require(valid, check="ID card presented to NSP", expected="a valid, unexpired ID card",
                received=f"{'a valid' if valid else 'an invalid or expired'} card (expires {call.idcard.get('expires')})",
                where=call.where())


def expect_each_turn_named(turns: list[Turn]) -> None:
    """FSK-SIT-S2S-09: employees taking turns on one system: every FSK call of a turn names the employee whose turn
    it was as the acting user (not the first to act, not the last to log in)."""
    require(len(turns) > 1, check="turns recorded", expected="several employees' turns", received=str(len(turns)),
            where="the scenario's turns")
    for turn in turns:
        expect_acting_employee(turn.calls_to_fsk(), turn.employee)


def _refused_for_card(calls: Exchanges) -> list[Exchange]:
    return [call for call in calls.dgws_calls() if call.fault.get("code") == v.FAULT_NO_VALID_IDCARD]


def expect_card_renewed_and_resent(calls: Exchanges) -> None:
    """FSK-SIT-S2S-11: after NSP refused a call for its ID card, the system got a new card from the STS and sent the
    call again (and it was answered)."""
    refused = _refused_for_card(calls)
    _some(refused, f"call refused with {v.FAULT_NO_VALID_IDCARD}")
    first = refused[0]
    later = [call for call in calls if call.id > first.id]
    issued = [call for call in later if call.service == "sts" and not call.fault]
    resent = [call for call in later if (call.service, call.operation) == (first.service, first.operation)
              and not call.fault]
    require(bool(issued) and bool(resent) and issued[0].id < resent[0].id,
            check="ID card renewed and the refused call sent again",
            expected="a new ID card from the STS, then the refused call sent again with it",
            received=f"after the refusal: {len(issued)} card(s) issued, the call sent again {len(resent)} time(s)"
                     + (f" (first again as journal #{resent[0].id})" if resent else ""), where=first.where())


def expect_resent_at_most_once(calls: Exchanges) -> None:
    """FSK-SIT-S2S-11: a call NSP keeps refusing for its ID card is sent again once with a new card, not again and
    again (one open of the record: the original call and at most one more)."""
    refused = _refused_for_card(calls)
    _some(refused, f"call refused with {v.FAULT_NO_VALID_IDCARD}")
    sent = Counter((call.service, call.operation) for call in refused)
    require(max(sent.values()) <= 2, check="a call refused for its ID card sent again only once",
            expected="each refused call sent at most twice (once more with a new card)",
            received=", ".join(f"{operation} refused {n} times" for (_, operation), n in sent.items()),
            where="calls refused with sosigw_no_valid_idcard_in_request in the journal")
