"""Every seeded defect can be switched on and changes its one behaviour (the EOJ's own kill matrix)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from eoj_fake_nsp import FALSE_CPR, NAV_CPR, FakeNsp, pdc_with_fgvh
from eoj_support import NURSE, EojFactory
from lxml import etree
from nsp_reference import reference

import nsp_vocabulary as v
from nspcert.arrange import documents
from nspcert.driver.contract import ResponsibleUser, StamkortChange
from nspcert.driver.http import HttpDriver
from reference_eoj.defects import CATALOGUE, Defect, Defects, markdown_table
from reference_eoj.service import ReferenceEoj
from reference_eoj.users import Employee

Probe = Callable[[HttpDriver, ReferenceEoj, FakeNsp], object]


def _minlog_count_after_two_opens(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.open_record(NAV_CPR, user)
    d.open_record(NAV_CPR, user)
    return d.flush_minlog().sent


def _minlog_across_utc_midnight(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.set_clock(datetime(2025, 6, 1, 21, 30, tzinfo=UTC))  # 23:30 Danish
    d.open_record(NAV_CPR, user)
    d.set_clock(datetime(2025, 6, 1, 22, 30, tzinfo=UTC))  # 00:30 Danish, next day; same UTC day
    d.open_record(NAV_CPR, user)
    d.set_clock(datetime(2025, 6, 2, 0, 30, tzinfo=UTC))  # 02:30 Danish; next UTC day
    d.open_record(NAV_CPR, user)
    d.flush_minlog()
    return [x.findtext("DateTime") for x in f.minlog_entries()]


def _minlog_after_outage(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    f.down.add(v.PATH_MINLOG)
    d.flush_minlog()
    f.down.clear()
    return d.flush_minlog().sent


def _minlog_request_sizes(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    from reference_eoj.users import Employee

    for i in range(501):
        e._log_use(Employee(f"{i:010d}", "A", "B", "", "", "1", "Org"), NAV_CPR, datetime(2025, 5, 1, tzinfo=UTC))
    d.flush_minlog()
    return [len(list(x.body.iter("Destination"))) for x in f.calls(v.PATH_MINLOG)]


def _minlog_sent_after_partial_failure(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.open_record(NAV_CPR, user)
    d.open_record(FALSE_CPR, user)
    f.minlog_fail.add(e.queue.pending()[0].sequence_number)
    d.flush_minlog()
    d.flush_minlog()
    return len(f.minlog_entries())


def _minlog_attempts_of_an_entry_refused_every_time(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    seq = e.queue.pending()[0].sequence_number
    for _ in range(8):
        f.minlog_fail.add(seq)  # the fake refuses a sequence number once each time it is named
        d.flush_minlog()
    return sum(1 for x in f.minlog_entries() if x.findtext("SequenceNumber") == seq)


def _fgvh_of(value: str) -> Probe:
    def probe(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
        f.documents[FALSE_CPR] = pdc_with_fgvh(value)
        return d.open_record(FALSE_CPR, d.log_in(NURSE))["fgvh"]
    return probe


def _fsk_read_with_unknown_entry(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    future = (b'<entry><observation classCode="OBS" moodCode="EVN"><templateId root="1.2.208.184.16.1.10.20.1.99"/>'
              b'<code code="FutureRegistration" codeSystem="1.2.208.184.100.1"/></observation></entry></section>')
    f.documents[FALSE_CPR] = f.documents[FALSE_CPR].replace(b"</section>", future, 1)
    return d.open_record(FALSE_CPR, d.log_in(NURSE))["fsk"]["read"]


def _messages_for_a_version_4_document(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.documents[FALSE_CPR] = documents.with_template_version(f.documents[FALSE_CPR], "4.0")
    return d.open_record(FALSE_CPR, d.log_in(NURSE))["messages"]


def _fgvh_when_fsk_down(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.down.add(v.PATH_SFSK_ITI43)
    return d.open_record(NAV_CPR, d.log_in(NURSE))["fgvh"]["state"]


def _fsk_read_when_the_search_finds_nothing(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    return d.open_record("0101011234", d.log_in(NURSE))["fsk"]["read"]  # a CPR the fake registry has no FSK for


def _second_open_after_change(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.open_record(FALSE_CPR, user)
    f.documents[FALSE_CPR] = pdc_with_fgvh("true")
    return d.open_record(FALSE_CPR, user)["fgvh"]["state"]


def _iti18_format_code(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    return f.calls(v.PATH_SFSK_ITI18)[0].envelope.xpath("string(//*[@name='$XDSDocumentEntryFormatCode'])")


def _hsuid_present(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    return f.calls(v.PATH_SFSK_ITI18)[0].header("hsuid", "HsuidHeader") is not None


def _responsible_user_sent_for_a_care_worker(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    care_worker = dataclasses.replace(NURSE, cpr="0202801234", authorisation_id="", role="social- og sundhedshjælper",
                                      responsible_user=ResponsibleUser(NURSE.cpr, NURSE.authorisation_id))
    d.open_record(NAV_CPR, d.log_in(care_worker))
    hsuid = f.calls(v.PATH_SFSK_ITI18)[0].header("hsuid", "HsuidHeader")
    assert hsuid is not None
    return [(a.get("Name"), a.findtext("{*}AttributeValue")) for a in hsuid.iter("{*}Attribute")
            if "ResponsibleUser" in str(a.get("Name"))]


def _card_type(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    return f.calls(v.PATH_STS)[0].envelope.xpath("string(//*[@Name='sosi:IDCardType'])")


def _sts_calls_after_expiry(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.open_record(NAV_CPR, user)
    d.set_clock(datetime.now(UTC) + timedelta(hours=25))
    d.open_record(NAV_CPR, user)
    return len(f.calls(v.PATH_STS))


def _distinct_message_ids(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    return len({x.envelope.findtext(f".//{{{v.NS['medcom']}}}MessageID") for x in f.exchanges if x.path != v.PATH_STS})


def _name_with_different_narrative(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.documents[FALSE_CPR] = f.documents[FALSE_CPR].replace(b"<item>Sofie Bach</item>", b"<item>Forkert</item>")
    return d.open_record(FALSE_CPR, d.log_in(NURSE))["citizen"]["name"]


def _address_after_protection(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.open_record(FALSE_CPR, user)
    f.documents[FALSE_CPR] = f.documents[FALSE_CPR].replace(
        b"<streetAddressLine>Morb\xc3\xa6rvej 200</streetAddressLine>",
        b"<streetAddressLine>BESKYTTET NAVN/ADRESSE</streetAddressLine>")
    return d.open_record(FALSE_CPR, user)["citizen"]["address_text"]


def _medcom(file: str) -> Probe:
    """Open the record of MedCom's example ``file`` (its CPR), as FSK would serve it; the screen model."""
    def probe(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
        f.documents[MEDCOM_CPR] = reference(f"medcom-pdc-3.0/{file}").read_bytes()
        return d.open_record(MEDCOM_CPR, d.log_in(NURSE))
    return probe


MEDCOM_CPR = "0108589995"


def _protected_address(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    screen = _medcom("PDC-DK_Eks_navne-og-adressebeskyttelse.xml")(d, e, f)
    assert isinstance(screen, dict)
    return screen["citizen"]["address_text"]


def _relations(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    screen = _medcom("PDC-DK_Eks_maksimalt-eksempel.xml")(d, e, f)
    assert isinstance(screen, dict)
    return [item["relation"] for item in [*screen["relatives"], *screen["custody"]]]


def _dentist(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    screen = _medcom("PDC-DK_Eks_maksimalt-eksempel.xml")(d, e, f)
    assert isinstance(screen, dict)
    return screen["dentist"]["name"], screen["dentist"]["clinic"]


def _skr_calls_on_rejection(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.skr_fault = "Pårørende må ikke indeholde et CPR-nummer"
    d.change_stamkort(NAV_CPR, d.log_in(NURSE), StamkortChange("relative", "create", {"given": "0101601234"}))
    return len(f.calls(v.PATH_SKR))


def _skr_result_on_rejection(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.skr_fault = "Der findes allerede en midlertidig adresse"
    change = StamkortChange("temporary_address", "create", {"address": {"lines": ["Vej 1"]}, "from": "2025-01-01"})
    return d.change_stamkort(NAV_CPR, d.log_in(NURSE), change).succeeded


def _skr_id_of_an_update(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    item = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    d.change_stamkort(NAV_CPR, d.log_in(NURSE), StamkortChange("language", "update", {"code": "fr"}, item))
    return f.calls(v.PATH_SKR)[0].body.xpath("string(//*[local-name()='observation']/*[local-name()='id']/@extension)")


def _skr_result_when_unreachable(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.down.add(v.PATH_SKR)
    change = StamkortChange("temporary_address", "create", {"address": {"lines": ["Vej 1"]}, "from": "2025-01-01"})
    return d.change_stamkort(NAV_CPR, d.log_in(NURSE), change).succeeded


def _relative_entered_at(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    return d.open_record(NAV_CPR, d.log_in(NURSE))["relatives"][0]["provenance"]["entered_at_display"]


def _salt_calls_over_two_hours(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.citizen_view(NAV_CPR)
    d.set_clock(datetime.now(UTC) + timedelta(hours=2))
    d.citizen_view(NAV_CPR)
    return len(f.calls(v.PATH_IDSAS_SALT))


# --- the failure modes of issue 12 -------------------------------------------------------------------------------
def _searches_after_one_card_refusal(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.card_refusals = 1
    d.open_record(NAV_CPR, d.log_in(NURSE))
    return len(f.calls(v.PATH_SFSK_ITI18)), len(f.calls(v.PATH_STS))


def _searches_when_every_card_is_refused(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.card_refusals = 99
    d.open_record(NAV_CPR, d.log_in(NURSE))
    return len(f.calls(v.PATH_SFSK_ITI18))


DOCTOR = dataclasses.replace(NURSE, cpr="0202701234", given_name="Bo", family_name="Berg", role="læge")


def _acting_users_of_two_employees(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    for employee in (NURSE, DOCTOR):
        d.open_record(NAV_CPR, d.log_in(employee))
    return [x.header("hsuid", "HsuidHeader").xpath("string(.//*[@Name='nsi:ActingUserCivilRegistrationNumber'])")
            for x in f.calls(v.PATH_SFSK_ITI18)]


def _sts_calls_two_minutes_before_expiry(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.open_record(NAV_CPR, user)
    d.set_clock(datetime.now(UTC) + timedelta(hours=23, minutes=58))
    d.open_record(NAV_CPR, user)
    return len(f.calls(v.PATH_STS))


def _fsk_read_with_a_card_starting_ahead(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.card_starts_in = timedelta(minutes=3)
    return d.open_record(NAV_CPR, d.log_in(NURSE))["fsk"]["read"]


def _message_when_the_certificate_is_revoked(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.sts_fault = "Certificate has been revoked"
    return d.open_record(NAV_CPR, d.log_in(NURSE))["messages"]


def _minlog_entries_of_look_deliver_look(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.open_record(NAV_CPR, user)
    d.flush_minlog()
    d.open_record(NAV_CPR, user)
    d.flush_minlog()
    return len(f.minlog_entries())


def _minlog_time_delivered_two_hours_later(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.set_clock(datetime(2025, 3, 4, 22, 50, tzinfo=UTC))
    d.open_record(NAV_CPR, d.log_in(NURSE))
    d.set_clock(datetime(2025, 3, 5, 0, 50, tzinfo=UTC))
    d.flush_minlog()
    return [x.findtext("DateTime") for x in f.minlog_entries()]


def _minlog_on_behalf_of(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    care_worker = dataclasses.replace(NURSE, cpr="0202801234", authorisation_id="", role="social- og sundhedshjælper",
                                      responsible_user=ResponsibleUser(NURSE.cpr, NURSE.authorisation_id))
    d.open_record(NAV_CPR, d.log_in(care_worker))
    d.flush_minlog()
    return [x.findtext("OnBehalfOfPersonIdentifier") for x in f.minlog_entries()]


def _minlog_addition(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    d.flush_minlog()
    return [x.findtext("Addition") for x in f.minlog_entries()]


def _minlog_entries_on_the_25_hour_sunday(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    for local in ("2025-10-26T00:30:00+02:00", "2025-10-26T23:30:00+01:00"):
        d.set_clock(datetime.fromisoformat(local))
        d.open_record(NAV_CPR, user)
    d.flush_minlog()
    return len(f.minlog_entries())


def _fgvh_when_the_search_finds_nothing(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    return d.open_record("0101011234", d.log_in(NURSE))["fgvh"]["state"]


def _searches_for_a_replacement_cpr(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record("0101551AB1", d.log_in(NURSE))
    return len(f.calls(v.PATH_SFSK_ITI18))


def _fgvh_without_the_entry(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.documents[FALSE_CPR] = documents.without_fgvh_entry(f.documents[FALSE_CPR])
    return d.open_record(FALSE_CPR, d.log_in(NURSE))["fgvh"]["state"]


def _fsk_read_after_it_is_lost(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.open_record(FALSE_CPR, user)
    f.down.add(v.PATH_SFSK_ITI18)
    return d.open_record(FALSE_CPR, user)["fsk"]["read"]


def _fgvh_after_danish_midnight(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.set_clock(datetime.fromisoformat("2025-06-01T23:30:00+02:00"))
    d.open_record(FALSE_CPR, user)
    f.documents[FALSE_CPR] = pdc_with_fgvh("true")
    d.set_clock(datetime.fromisoformat("2025-06-02T00:30:00+02:00"))  # the same UTC day
    return d.open_record(FALSE_CPR, user)["fgvh"]["state"]


def _without_the_citizens_address(cda: bytes) -> bytes:
    root = etree.fromstring(cda)
    for value in root.xpath(".//cda:observation[cda:code/@code='CitizenNameAddr']/cda:value", namespaces=v.NS):
        if value.get(f"{{{v.NS['xsi']}}}type") == "AD":
            for part in list(value):
                value.remove(part)
            value.set("nullFlavor", "NI")
    return etree.tostring(root)


def _fsk_read_of_a_deceased_citizen(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.documents[FALSE_CPR] = _without_the_citizens_address(f.documents[FALSE_CPR])
    return d.open_record(FALSE_CPR, d.log_in(NURSE))["fsk"]["read"]


def _address_once_the_citizen_has_died(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.open_record(FALSE_CPR, user)
    f.documents[FALSE_CPR] = _without_the_citizens_address(f.documents[FALSE_CPR])
    return d.open_record(FALSE_CPR, user)["citizen"]["address_text"]


def _custody_relation(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    custody = (b'<entry><observation classCode="OBS" moodCode="EVN"><templateId root="1.2.208.184.16.1.10.20.1.23"/>'
               b'<code code="ChildCustody" codeSystem="1.2.208.184.100.1"/>'
               b'<value xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="II" root="1.2.208.176.1.2" '
               b'extension="0101151234"/><value xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CD" '
               b'code="v\xc3\xa6rge" codeSystem="1.2.208.184.100.2" displayName="v\xc3\xa6rge"/>'
               b'</observation></entry></section>')
    f.documents[FALSE_CPR] = f.documents[FALSE_CPR].replace(b"</section>", custody, 1)
    return [c["relation"] for c in d.open_record(FALSE_CPR, d.log_in(NURSE))["custody"]]


def _symbol_on_the_citizen_list(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.documents[FALSE_CPR] = pdc_with_fgvh("true")
    return [row["fgvh"]["symbol_shown"] for row in d.overview([FALSE_CPR], d.log_in(NURSE))["citizens"]]


def _timestamps(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    return [x.envelope.findtext(f".//{{{v.NS['wsu']}}}Timestamp/{{{v.NS['wsu']}}}Created") is not None
            for x in f.calls(v.PATH_SFSK_ITI18)]


def _security_levels(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    return [x.envelope.findtext(f".//{{{v.NS['medcom']}}}Header/{{{v.NS['medcom']}}}SecurityLevel")
            for x in f.calls(v.PATH_SFSK_ITI18)]


def _fgvh_words_when_fsk_down(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.down.add(v.PATH_SFSK_ITI43)
    return d.open_record(NAV_CPR, d.log_in(NURSE))["fgvh"]["text"]


def _message_when_fsk_down(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.down.add(v.PATH_SFSK_ITI43)
    return d.open_record(NAV_CPR, d.log_in(NURSE))["messages"]


def _citizen_view_without_salt(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(dataclasses.replace(NURSE, identity_masked=True)))
    f.down.add(v.PATH_IDSAS_SALT)
    e.salt.forget()
    return [a["user"] for a in d.citizen_view(NAV_CPR)["accesses"]]


def _fsk_read_of_an_error_page(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.documents[FALSE_CPR] = documents.NOT_A_STAMKORT
    return d.open_record(FALSE_CPR, d.log_in(NURSE))["fsk"]["read"]
def _home_community_sent(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    return f.calls(v.PATH_SFSK_ITI43)[0].body.findtext(f".//{{{v.NS['xds']}}}HomeCommunityId")


def _hsuid_organisation(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    hsuid = f.calls(v.PATH_SFSK_ITI18)[0].header("hsuid", "HsuidHeader")
    assert hsuid is not None
    org = next(a for a in hsuid.iter(f"{{{v.NS['hsuid']}}}Attribute") if a.get("Name") == "nsi:OrgUsingID")
    return org.get("NameFormat"), org.findtext(f"{{{v.NS['hsuid']}}}AttributeValue")


def _minlog_identifiers(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    d.flush_minlog()
    (entry,) = f.minlog_entries()
    return [(x.tag, x.get("source"), x.text) for x in entry if x.get("source")]


def _how_the_search_is_sent(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    d.open_record(NAV_CPR, d.log_in(NURSE))
    search = f.calls(v.PATH_SFSK_ITI18)[0]
    return search.envelope.tag, search.headers.get("soapaction"), search.headers.get("content-type")


def _minlog_requests_for_two_looks(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    user = d.log_in(NURSE)
    d.open_record(NAV_CPR, user)
    d.open_record(FALSE_CPR, user)
    d.flush_minlog()
    return [len(list(x.body.iter("Destination"))) for x in f.calls(v.PATH_MINLOG)]


def _minlog_requests_of_background_rounds(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    """21 looks (by 21 employees), a round of the background sending after each: the requests sent in the hour."""
    for i in range(21):
        e._log_use(Employee(f"{i:010d}", "A", "B", "", "", "1", "Org"), NAV_CPR, e.clock.now())
        d.minlog_background()
    return len(f.calls(v.PATH_MINLOG)), e.queue.count()


def _entered_by_names(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    screen = d.open_record(NAV_CPR, d.log_in(NURSE))
    return [(r["provenance"]["entered_by"] or {}).get("name") for r in screen["relatives"]]


PROBES: dict[Defect, Probe] = {
    Defect.MINLOG_EVERY_LOOKUP: _minlog_count_after_two_opens,
    Defect.MINLOG_NEVER: _minlog_count_after_two_opens,
    Defect.MINLOG_UTC_DAY: _minlog_across_utc_midnight,
    Defect.MINLOG_DROP_ON_OUTAGE: _minlog_after_outage,
    Defect.MINLOG_OVERSIZED_BATCH: _minlog_request_sizes,
    Defect.MINLOG_RESEND_ALL: _minlog_sent_after_partial_failure,
    Defect.MINLOG_RETRY_FOREVER: _minlog_attempts_of_an_entry_refused_every_time,
    Defect.FGVH_NAV_AS_FALSE: _fgvh_of("NAV"),
    Defect.FGVH_ERROR_AS_FALSE: _fgvh_when_fsk_down,
    Defect.FGVH_SYMBOL_ON_FALSE: _fgvh_of("false"),
    Defect.FGVH_IGNORED: _fgvh_of("true"),
    Defect.STRICT_PDC_VALIDATION: _fsk_read_with_unknown_entry,
    Defect.UNKNOWN_VERSION_AS_UNREADABLE: _messages_for_a_version_4_document,
    Defect.STALE_CACHE: _second_open_after_change,
    Defect.PDC_V2_QUERY: _iti18_format_code,
    Defect.REGISTRY_FAILURE_AS_EMPTY: _fsk_read_when_the_search_finds_nothing,
    Defect.NO_HSUID: _hsuid_present,
    Defect.HSUID_NO_RESPONSIBLE_USER: _responsible_user_sent_for_a_care_worker,
    Defect.EMPLOYEE_CARD: _card_type,
    Defect.IGNORE_IDCARD_EXPIRY: _sts_calls_after_expiry,
    Defect.REUSED_MESSAGE_ID: _distinct_message_ids,
    Defect.NARRATIVE_RENDER: _name_with_different_narrative,
    Defect.PROTECTED_ADDRESS_LEAK: _address_after_protection,
    Defect.PROTECTION_MARKERS_SHOWN: _protected_address,
    Defect.RELATION_CODE_SHOWN: _relations,
    Defect.FGVH_RAW_VALUE: _fgvh_of("true"),
    Defect.REGISTRATIONS_UNREAD: lambda d, e, f: d.open_record(NAV_CPR, d.log_in(NURSE))["registrations"],
    Defect.SKR_BLIND_RETRY: _skr_calls_on_rejection,
    Defect.SKR_SWALLOW_ERROR: _skr_result_on_rejection,
    Defect.SKR_FRESH_ID_ON_UPDATE: _skr_id_of_an_update,
    Defect.TIMEZONE_UTC_DISPLAY: _relative_entered_at,
    Defect.MASKING_STALE_SALT: _salt_calls_over_two_hours,
    Defect.NO_IDCARD_RETRY: _searches_after_one_card_refusal,
    Defect.IDCARD_RETRY_LOOP: _searches_when_every_card_is_refused,
    Defect.HSUID_FIRST_EMPLOYEE: _acting_users_of_two_employees,
    Defect.IDCARD_RENEW_AT_EXPIRY: _sts_calls_two_minutes_before_expiry,
    Defect.IDCARD_STRICT_NOT_BEFORE: _fsk_read_with_a_card_starting_ahead,
    Defect.CERTIFICATE_ERROR_GENERIC: _message_when_the_certificate_is_revoked,
    Defect.MINLOG_ONCE_PER_QUEUE: _minlog_entries_of_look_deliver_look,
    Defect.MINLOG_TIME_OF_DELIVERY: _minlog_time_delivered_two_hours_later,
    Defect.MINLOG_NO_ON_BEHALF_OF: _minlog_on_behalf_of,
    Defect.MINLOG_VAERDISPRING: _minlog_addition,
    Defect.MINLOG_STANDARD_TIME_DAY: _minlog_entries_on_the_25_hour_sunday,
    Defect.NO_DOCUMENT_AS_NO_OPT_OUT: _fgvh_when_the_search_finds_nothing,
    Defect.ECPR_NOT_LOOKED_UP: _searches_for_a_replacement_cpr,
    Defect.FGVH_MISSING_AS_FALSE: _fgvh_without_the_entry,
    Defect.LAST_READ_ON_FAILURE: _fsk_read_after_it_is_lost,
    Defect.FSK_CACHED_UNTIL_UTC_MIDNIGHT: _fgvh_after_danish_midnight,
    Defect.ADDRESS_REQUIRED: _fsk_read_of_a_deceased_citizen,
    Defect.REMEMBERED_ADDRESS_SHOWN: _address_once_the_citizen_has_died,
    Defect.CUSTODY_RELATION_FIXED: _custody_relation,
    Defect.OVERVIEW_WITHOUT_SYMBOL: _symbol_on_the_citizen_list,
    Defect.NO_TIMESTAMP: _timestamps,
    Defect.SECURITY_LEVEL_NOT_THE_CARDS: _security_levels,
    Defect.FGVH_UNKNOWN_WORDS_NO_OPT_OUT: _fgvh_words_when_fsk_down,
    Defect.TECHNICAL_ERROR_ONLY: _message_when_fsk_down,
    Defect.FORMAT_CODE_WITHOUT_SCHEME: _iti18_format_code,
    Defect.NAME_WHEN_SALT_MISSING: _citizen_view_without_salt,
    Defect.BAD_DOCUMENT_AS_EMPTY: _fsk_read_of_an_error_page,
    Defect.ITI43_BARE_HOME_COMMUNITY: _home_community_sent,
    Defect.HSUID_YDERNUMMER_AS_SOR: _hsuid_organisation,
    Defect.MINLOG_YDERNUMMER_AS_SOR: _minlog_identifiers,
    Defect.MINLOG_AUTHORISATION_AS_CPR: _minlog_identifiers,
    Defect.SOAP12_ENVELOPE: _how_the_search_is_sent,
    Defect.WRONG_SOAPACTION: _how_the_search_is_sent,
    Defect.AUTHOR_CPR_SHOWN: _entered_by_names,
    Defect.MINLOG_ONE_REQUEST_PER_ENTRY: _minlog_requests_for_two_looks,
    Defect.MINLOG_NO_BUDGET: _minlog_requests_of_background_rounds,
    Defect.SKR_UNREACHABLE_AS_SAVED: _skr_result_when_unreachable,
    Defect.DENTIST_CLINIC_DROPPED: _dentist,
}


def test_every_defect_has_a_probe_and_documentation() -> None:
    assert set(PROBES) == set(Defect) == set(CATALOGUE)
    assert all(info.requirements and info.behaviour for info in CATALOGUE.values())
    assert all(d.value in markdown_table() for d in Defect)


def test_docs_defects_md_has_exactly_the_printed_table() -> None:
    import subprocess
    import sys
    from pathlib import Path

    printed = subprocess.run([sys.executable, "-m", "reference_eoj.defects"], capture_output=True, text=True,
                             check=True).stdout
    doc = (Path(__file__).resolve().parents[2] / "docs" / "defects.md").read_text("utf-8")
    assert printed.strip() in doc, "regenerate the table in docs/defects.md with python -m reference_eoj.defects"
    ids_table = doc.split("## Requirement ids used", 1)[1]
    named = {r for info in CATALOGUE.values() for r in info.requirements}
    assert not {r for r in named if f"| {r} |" not in ids_table}, "docs/defects.md: an id is not explained"


SPEC_DEFECTS = ["minlog-every-lookup", "minlog-never", "minlog-utc-day", "minlog-drop-on-outage", "minlog-oversized-batch", "fgvh-nav-as-false", "fgvh-error-as-false", "fgvh-symbol-on-false", "stale-cache", "pdc-v2-query", "no-hsuid", "employee-card", "ignore-idcard-expiry", "narrative-render", "protected-address-leak", "skr-blind-retry", "skr-swallow-error", "timezone-utc-display", "masking-stale-salt"]


def test_every_spec_defect_exists() -> None:
    assert set(SPEC_DEFECTS) <= {d.value for d in Defect}


def test_unknown_defect_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown defect"):
        Defects.parse("minlog-never,no-such-thing")


def test_env_and_flag_are_merged() -> None:
    defects = Defects.from_sources("no-hsuid", {"REFERENCE_EOJ_DEFECTS": "stale-cache"})
    assert defects.names() == ["no-hsuid", "stale-cache"]


@pytest.mark.parametrize("defect", list(Defect), ids=str)
def test_defect_changes_its_behaviour(defect: Defect, make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    probe = PROBES[defect]
    driver, eoj = make_eoj()
    correct = probe(driver, eoj, fake_nsp)
    fake_nsp.__init__()  # type: ignore[misc]
    other_driver, other_eoj = make_eoj(defect.value, state_dir=eoj.settings.state_dir.parent / "defective")
    defective = probe(other_driver, other_eoj, fake_nsp)
    assert correct != defective, f"{defect}: {correct!r} == {defective!r}"


def test_every_named_requirement_is_in_the_catalogue() -> None:
    from nspcert.catalogue.requirements import catalogue

    known = set(catalogue())
    named = {r for info in CATALOGUE.values() for r in (*info.requirements, *info.also_breaks)}
    assert named <= known, f"not in the catalogue: {sorted(named - known)}"


def test_what_a_defect_also_breaks_is_apart_from_what_it_is_about() -> None:
    """The kill matrix judges a defect by its own requirements; ``also_breaks`` only documents side effects."""
    assert all(not set(info.requirements) & set(info.also_breaks) for info in CATALOGUE.values())
    assert all(len(set(info.also_breaks)) == len(info.also_breaks) for info in CATALOGUE.values())


def test_skr_blind_retry_re_sends_only_validation_faults(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, _ = make_eoj("skr-blind-retry")
    fake_nsp.skr_dgws_fault = "sosigw_access_denied"
    result = driver.change_stamkort(NAV_CPR, driver.log_in(NURSE), StamkortChange("language", "create", {"code": "de"}))
    assert not result.succeeded and len(fake_nsp.calls(v.PATH_SKR)) == 1  # not a validation fault: sent once
