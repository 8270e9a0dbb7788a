"""The checks of nspcert.verify judge only what they are given something to judge, and say so otherwise.

A Then step whose check loops over recorded calls or entries passes on an empty journal unless the check
first requires that the SUT sent something: each such check here fails with a NonConformance when the SUT
sent nothing (the results collector then names the scenario's requirement). Also: how a refused stamkort
change is judged (SKR's refusal, or the SUT's own), and the metadata and MinLog-view checks on crafted input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import nsp_vocabulary as v
from nspcert.act.screen import Screen
from nspcert.arrange import documents
from nspcert.checks import NonConformance
from nspcert.driver.contract import STAMKORT_ITEMS, ChangeResult, Employee
from nspcert.nsp.journal import Exchanges
from nspcert.verify import display, faults, fgvh, fsk_read, identity, minlog
from nspcert.verify import stamkort as verify_stamkort

NURSE = Employee(cpr="0101801234", given_name="Hanne", family_name="Holm", authorisation_id="ABC12",
                 role="sygeplejerske", sor_code="123456789012345", organisation_name="Hjemmeplejen Nord",
                 yder_number="012345", sks_code="1301011")
NOTHING = Exchanges([])


@pytest.mark.parametrize("check", [
    lambda: minlog.expect_understandable([], NURSE, "the nurse"),
    lambda: minlog.expect_batches_within_limit(NOTHING),
    lambda: identity.expect_organisation(NOTHING.fsk_calls(), NURSE),
    lambda: identity.expect_responsible_user(NOTHING.fsk_calls(), NURSE),
    lambda: identity.expect_system_named(NOTHING.fsk_calls()),
    lambda: identity.expect_unique_message_ids(NOTHING),
    lambda: identity.expect_no_expired_card(NOTHING),
    lambda: identity.expect_system_user_operations(NOTHING),
    lambda: minlog.expect_gave_up(NOTHING, 10),
    lambda: minlog.expect_one_request_for(NOTHING, 3),
    lambda: identity.expect_soap11_binding(NOTHING),
], ids=["understandable", "batches", "organisation", "responsible-user", "system-named", "message-ids", "expired-card",
        "system-user-operations", "gave-up", "one-request", "soap11-binding"])
def test_a_check_fails_when_the_sut_sent_nothing(check: Callable[[], None]) -> None:
    with pytest.raises(NonConformance, match="expected at least one"):
        check()


def _skr(fault: str | None = None) -> dict[str, Any]:
    summary = {"fault": {"code": "Client", "string": fault}} if fault else {}
    return {"id": 1, "service": "skr", "operation": "CreateRelative", "summary": summary}


REASON = "Feltet Relative/Note må ikke indeholde et CPR-nummer"


@pytest.mark.parametrize(("result", "calls"), [
    (ChangeResult(False, f"Stamkortregistret afviste ændringen: {REASON}"), [_skr(REASON)]),
    (ChangeResult(False, "Et CPR-nummer må ikke stå i en note. Ændringen er ikke gemt."), []),
], ids=["refused-by-skr", "refused-by-the-sut-itself"])
def test_a_refusal_conforms_when_not_saved_and_explained(result: ChangeResult, calls: list[dict[str, Any]]) -> None:
    verify_stamkort.expect_refused_with_reason(result, Exchanges(calls))
    verify_stamkort.expect_single_attempt(result, Exchanges(calls))


@pytest.mark.parametrize(("result", "calls", "complaint"), [
    (ChangeResult(True, "Ændringen er gemt"), [_skr(REASON)], "reported as saved"),
    (ChangeResult(True, "Ændringen er gemt"), [], "reported as saved"),
    (ChangeResult(False, "Fejl"), [_skr(REASON)], "SKR's reason"),
    (ChangeResult(False, ""), [], "a message telling the employee why"),
    (ChangeResult(False, "Ikke gemt"), [_skr()], "writes accepted by SKR"),
], ids=["saved-despite-skr", "saved-without-writing", "reason-missing", "silent-local-refusal",
        "skr-accepted-it"])
def test_a_refusal_fails_when_saved_unexplained_or_untrue(result: ChangeResult, calls: list[dict[str, Any]],
                                                          complaint: str) -> None:
    with pytest.raises(NonConformance, match=complaint):
        verify_stamkort.expect_refused_with_reason(result, Exchanges(calls))


def test_a_refused_change_sent_twice_or_claimed_saved_unsent_is_a_retry_failure() -> None:
    with pytest.raises(NonConformance, match="2 calls"):
        verify_stamkort.expect_single_attempt(ChangeResult(False, REASON), Exchanges([_skr(REASON), _skr(REASON)]))
    with pytest.raises(NonConformance, match="0 calls, change reported as saved"):
        verify_stamkort.expect_single_attempt(ChangeResult(True, "gemt"), NOTHING)


def _search(document: str, repository: str, home: str) -> dict[str, Any]:
    rim = v.NS["rim"]
    body = (f'<q:AdhocQueryResponse xmlns:q="{v.NS["query"]}" xmlns:rim="{rim}"><rim:RegistryObjectList>'
            f'<rim:ExtrinsicObject home="{home}"><rim:Slot name="repositoryUniqueId"><rim:ValueList>'
            f"<rim:Value>{repository}</rim:Value></rim:ValueList></rim:Slot>"
            f'<rim:ExternalIdentifier identificationScheme="{v.SCHEME_DOCUMENT_UNIQUE_ID}" value="{document}"/>'
            "</rim:ExtrinsicObject></rim:RegistryObjectList></q:AdhocQueryResponse>")
    return {"id": 1, "service": "sfsk-registry", "response": {"body": body}}


def _retrieve(document: str, repository: str, home: str | None) -> dict[str, Any]:
    community = f"<x:HomeCommunityId>{home}</x:HomeCommunityId>" if home is not None else ""
    body = (f'<x:RetrieveDocumentSetRequest xmlns:x="{v.NS["xds"]}"><x:DocumentRequest>'
            f"{community}<x:RepositoryUniqueId>{repository}</x:RepositoryUniqueId>"
            f"<x:DocumentUniqueId>{document}</x:DocumentUniqueId></x:DocumentRequest></x:RetrieveDocumentSetRequest>")
    return {"id": 2, "service": "sfsk-repository", "request": {"body": body}}


def test_the_metadata_check_wants_the_entrys_repository_and_community() -> None:
    doc, repo, home = "1.2.3^abc", "1.2.208.176.43210.8.10.12", "urn:oid:1.2.208.176.43210.8.10.12"
    fsk_read.expect_entry_metadata_used(Exchanges([_search(doc, repo, home), _retrieve(doc, repo, home)]))
    fsk_read.expect_retrieved_what_was_found(Exchanges([_search(doc, "9.9", home), _retrieve(doc, repo, home)]))
    with pytest.raises(NonConformance, match="XDS metadata"):
        fsk_read.expect_entry_metadata_used(Exchanges([_search(doc, "9.9", home), _retrieve(doc, repo, home)]))
    with pytest.raises(NonConformance, match="XDS metadata"):
        fsk_read.expect_entry_metadata_used(Exchanges([_search(doc, repo, home), _retrieve(doc, repo, "urn:oid:9")]))
    with pytest.raises(NonConformance, match="DocumentUniqueId"):
        fsk_read.expect_retrieved_what_was_found(Exchanges([_search(doc, repo, home), _retrieve("x", repo, home)]))


def test_the_metadata_check_takes_a_retrieve_without_home_community_as_sds_sends_it() -> None:
    """IHEXDSB.xsd: HomeCommunityId minOccurs="0"; SDS's own FSK client sends none (variant sds-fsk-client)."""
    doc, repo, home = "1.2.3^abc", "1.2.208.176.43210.8.10.12", "urn:oid:1.2.208.176.43210.8.10.12"
    fsk_read.expect_entry_metadata_used(Exchanges([_search(doc, repo, home), _retrieve(doc, repo, None)]))
    with pytest.raises(NonConformance, match="XDS metadata"):  # the defect iti43-bare-home-community
        fsk_read.expect_entry_metadata_used(Exchanges([_search(doc, repo, home),
                                                       _retrieve(doc, repo, home.removeprefix("urn:oid:"))]))


def _hsuid_call(name_format: str, value: str) -> dict[str, Any]:
    return {"id": 3, "service": "sfsk-registry", "operation": "RegistryStoredQuery",
            "summary": {"hsuid": {"org_using_id": value, "org_using_id_name_format": name_format}}}


@pytest.mark.parametrize(("name_format", "value"), [(v.HSUID_ORG_NAMEFORMAT_SOR, NURSE.sor_code),
                                                    (v.HSUID_ORG_NAMEFORMAT_YDER, NURSE.yder_number),
                                                    (v.HSUID_ORG_NAMEFORMAT_SKS, NURSE.sks_code)])
def test_the_organisation_may_be_named_by_any_of_its_identifiers(name_format: str, value: str) -> None:
    identity.expect_organisation(Exchanges([_hsuid_call(name_format, value)]).fsk_calls(), NURSE)


@pytest.mark.parametrize(("name_format", "value"), [(v.HSUID_ORG_NAMEFORMAT_SOR, NURSE.yder_number),
                                                    (v.HSUID_ORG_NAMEFORMAT_YDER, NURSE.sor_code),
                                                    (v.HSUID_ORG_NAMEFORMAT_SKS, "9999999"),
                                                    ("nsi:cvr", "12345678")])
def test_the_organisation_named_under_another_kind_or_another_unit_fails(name_format: str, value: str) -> None:
    with pytest.raises(NonConformance, match="HSUID OrgUsingID"):
        identity.expect_organisation(Exchanges([_hsuid_call(name_format, value)]).fsk_calls(), NURSE)


def _minlog_entry(source: str, value: str, **more: Any) -> dict[str, Any]:
    return {"organisation_source": source, "organisation_id": value, "organisation_name": "Hjemmeplejen Nord",
            "activity": "Opslag i Fælles Stamkort", "caller_cvr": "12345678", "sequence_number": "s1"} | more


@pytest.mark.parametrize(("source", "value"), [("SOR", NURSE.sor_code), ("YDER", NURSE.yder_number),
                                               ("CVR", "12345678")])
def test_a_minlog_organisation_by_sor_yder_or_the_systems_cvr_is_understandable(source: str, value: str) -> None:
    minlog.expect_understandable([_minlog_entry(source, value)], NURSE, "the nurse")


@pytest.mark.parametrize(("source", "value"), [("SOR", NURSE.yder_number), ("YDER", NURSE.sor_code),
                                               ("CVR", "87654321"), ("SOR", "")])
def test_a_minlog_organisation_mislabelled_or_of_another_organisation_fails(source: str, value: str) -> None:
    with pytest.raises(NonConformance, match="MinLog2 organisation"):
        minlog.expect_understandable([_minlog_entry(source, value)], NURSE, "the nurse")


def _fsk_call(service: str, action: str | None, namespace: str = v.NS["soap"], wsa: str = "",
              fault: dict[str, str] | None = None) -> dict[str, Any]:
    addressing = f'<a:Action xmlns:a="http://www.w3.org/2005/08/addressing">{wsa}</a:Action>' if wsa else ""
    body = f'<e:Envelope xmlns:e="{namespace}"><e:Header>{addressing}</e:Header><e:Body/></e:Envelope>'
    headers = {"content-type": "text/xml"} | ({"soapaction": action} if action is not None else {})
    return {"id": 4, "service": service, "request": {"headers": headers, "body": body},
            "summary": {"fault": fault} if fault else {}}


@pytest.mark.parametrize("call", [
    _fsk_call("sfsk-registry", f'"{v.ACTION_ITI18}"'), _fsk_call("sfsk-registry", v.ACTION_ITI18),
    _fsk_call("sfsk-repository", v.ACTION_ITI43), _fsk_call("sfsk-registry", '""', wsa=v.ACTION_ITI18),
], ids=["quoted", "unquoted", "retrieve", "empty-with-ws-addressing"])
def test_an_fsk_call_in_soap11_naming_its_operation_is_routed(call: dict[str, Any]) -> None:
    identity.expect_soap11_binding(Exchanges([call]))


@pytest.mark.parametrize("call", [
    _fsk_call("sfsk-registry", None, v.NS["soap12"], fault={"code": "VersionMismatch", "string": "SOAP 1.1"}),
    _fsk_call("sfsk-registry", "DocumentRegistry_RegistryStoredQuery"),
    _fsk_call("sfsk-repository", v.ACTION_ITI18), _fsk_call("sfsk-registry", None),
    _fsk_call("sfsk-registry", '""', wsa=v.ACTION_ITI43),
], ids=["soap12", "operation-name", "other-operation", "none", "empty-with-another-ws-addressing-action"])
def test_an_fsk_call_the_platform_cannot_route_fails(call: dict[str, Any]) -> None:
    with pytest.raises(NonConformance, match="SOAP 1.1 call naming its operation"):
        identity.expect_soap11_binding(Exchanges([call]))


def test_the_citizens_minlog_view_needs_the_employee_as_well_as_the_organisation() -> None:
    entry = {"organisation_name": NURSE.organisation_name, "user_person_identifier": NURSE.cpr, "user_source": "CPR"}
    minlog.expect_seen_by_citizen([entry], NURSE, "0101501234")
    by_authorisation = {"user_person_identifier": NURSE.authorisation_id, "user_source": "Autorisation"}
    minlog.expect_seen_by_citizen([entry | by_authorisation], NURSE, "0101501234")
    with pytest.raises(NonConformance, match="the employee Hanne Holm"):
        minlog.expect_seen_by_citizen([entry | {"user_person_identifier": "0202802345"}], NURSE, "0101501234")
    with pytest.raises(NonConformance, match="the employee Hanne Holm"):  # the defect minlog-authorisation-as-cpr
        minlog.expect_seen_by_citizen([entry | by_authorisation | {"user_source": "CPR"}], NURSE, "0101501234")


def test_the_driver_contract_offers_no_change_of_fgvh_or_register_data() -> None:
    """FSK-CERT-FGVH-05, FSK-SIT-SKR-08: only the typed-in items can be changed through the contract."""
    assert set(STAMKORT_ITEMS) == {"relative", "temporary_address", "language", "contact_phone", "dentist"}


def test_a_blocking_or_consent_step_on_opening_fails() -> None:
    read = {"fsk": {"read": True}, "messages": []}
    faults.expect_no_blocking_asked(Screen("0101501234", read))
    asked = read | {"messages": [{"level": "warning", "text": "Borgeren har spærret for Fælles Stamkort"}]}
    with pytest.raises(NonConformance, match="blocking or consent"):
        faults.expect_no_blocking_asked(Screen("0101501234", asked))


def test_a_refusal_reported_as_saved_names_the_skr_exchange_it_judged() -> None:
    """The report links the exchanges a failing check names ("journal #N") to their evidence files."""
    with pytest.raises(NonConformance) as raised:
        verify_stamkort.expect_refused_with_reason(ChangeResult(True, "gemt"), Exchanges([_skr(REASON)]))
    assert "(journal #1)" in raised.value.where


def _with_messages(*messages: tuple[str, str]) -> Screen:
    return Screen("0101501234", {"fsk": {"read": True}, "messages": [{"level": lv, "text": t} for lv, t in messages]})


@pytest.mark.parametrize("messages", [
    [("warning", "Ukendt version af Fælles Stamkort (4.0)")],
    [("error", "Stamkortet er i en version, systemet ikke kender")],
    [("warning", "FSK 4.0 understøttes ikke")],
    [("info", "Åbnet"), ("warning", "Unsupported FSK version")],
    [("error", "Denne udgave af Fælles Stamkort kan systemet ikke vise")],
], ids=["names-both", "speaks-of-a-version", "names-the-version", "english", "udgave"])
def test_an_unknown_version_is_flagged_when_the_employee_is_told_of_the_version(
        messages: list[tuple[str, str]]) -> None:
    """FSK-CERT-VER-01: a warning or error that speaks of the stamkort's version."""
    display.expect_unknown_version_flagged(_with_messages(*messages), "4.0")


@pytest.mark.parametrize("messages", [
    [],
    [("error", "Fælles Stamkort kunne ikke hentes: dokumentet kunne ikke læses")],
    [("warning", "Borgerens egen læge er ikke oplyst")],
    [("info", "Stamkortet er af version 4.0")],
    [("warning", "Stamkort 14.05 fejlede")],
], ids=["silent", "unrelated-error", "unrelated-warning", "only-an-info", "another-number"])
def test_an_unknown_version_is_not_flagged_by_silence_or_an_unrelated_message(messages: list[tuple[str, str]]) -> None:
    """An error about something else (e.g. 'FSK could not be read') does not tell the employee what is wrong."""
    with pytest.raises(NonConformance, match="unknown version flagged"):
        display.expect_unknown_version_flagged(_with_messages(*messages), "4.0")


def test_the_version_a_document_names_is_read_from_its_header_template() -> None:
    cda = (b'<ClinicalDocument xmlns="urn:hl7-org:v3"><templateId root="1.2.208.184.16.1" extension="3.0"/>'
           b'<templateId root="2.16.840.1.113883.10.20.3"/></ClinicalDocument>')
    assert documents.template_version(cda) == "3.0"
    assert documents.template_version(documents.with_template_version(cda, "4.0")) == "4.0"
    with pytest.raises(ValueError, match="no PDC-DK header template"):
        documents.template_version(b'<ClinicalDocument xmlns="urn:hl7-org:v3"/>')


# --- what MedCom's documents carry, shown as words (FSK-CERT-DSP-14, -DSP-15, -FGVH-06) -------------------------
def _protected(address_text: str, address: dict[str, Any] | None = None, name: str = "ADRESSEBESKYTTET") -> Screen:
    return Screen("0108589995", {"citizen": {"name": name, "address_text": address_text, "address": address,
                                             "protected": True}})


@pytest.mark.parametrize("screen", [
    _protected("ADRESSEBESKYTTET", {"lines": ["ADRESSEBESKYTTET"], "postal_code": None, "city": None}),
    _protected("ADRESSEBESKYTTET"),
    _protected("Adresse: ADRESSEBESKYTTET (navne- og adressebeskyttelse)"),
], ids=["the-marker", "text-only", "own-words-around-it"])
def test_a_protected_address_in_words_conforms(screen: Screen) -> None:
    display.expect_protected_in_words(screen, "ADRESSEBESKYTTET")


@pytest.mark.parametrize("screen", [
    _protected("ConfAddr, ADRESSEBESKYTTET, NI, NI, NI"),
    _protected("ADRESSEBESKYTTET", {"lines": ["ADRESSEBESKYTTET"], "postal_code": "NI", "city": "NI"}),
    _protected(""),
], ids=["codes", "null-flavour-as-parts", "no-marker"])
def test_a_protected_address_as_fsk_codes_it_fails(screen: Screen) -> None:
    with pytest.raises(NonConformance, match="protected address shown in words"):
        display.expect_protected_in_words(screen, "ADRESSEBESKYTTET")


#: the dentist of MedCom's maximal example as the registers hold it (nspcert.arrange.medcom.MAXIMAL)
MAXIMAL_DENTIST = {"clinic": "Tandklinikken smil. nu",
                   "person": {"prefix": ["Tandlæge"], "given": ["Jette"], "family": "Testesen"}}


def _dentist(name: str, clinic: str | None) -> Screen:
    return Screen("0108589995", {"dentist": {"name": name, "clinic": clinic}})


@pytest.mark.parametrize("screen", [
    _dentist("Tandlæge Jette Testesen", "Tandklinikken smil. nu"),
    _dentist("Jette Testesen, Tandklinikken smil. nu", None),
    _dentist("TANDKLINIKKEN SMIL. NU", "Jette  Testesen"),
], ids=["name-and-clinic", "all-in-the-name", "other-fields-and-case"])
def test_the_dentist_with_clinic_and_name_conforms(screen: Screen) -> None:
    """FSK-CERT-DSP-02: the clinic and the dentist's name, in whichever dentist field the system shows them."""
    display.expect_dentist(screen, MAXIMAL_DENTIST)


@pytest.mark.parametrize("screen", [
    _dentist("Tandlæge Jette Testesen", None),
    _dentist("Tandklinikken smil. nu", "Tandklinikken smil. nu"),
    Screen("0108589995", {"dentist": None}),
], ids=["without-the-clinic", "without-the-dentist", "no-dentist"])
def test_the_dentist_without_clinic_or_name_fails(screen: Screen) -> None:
    with pytest.raises(NonConformance, match="dentist shown with clinic and name"):
        display.expect_dentist(screen, MAXIMAL_DENTIST)


def test_the_maximal_check_reads_the_dentist_the_registers_hold() -> None:
    from nspcert.arrange.medcom import MAXIMAL

    model = {"gp": {"name": "x"}, "coverage_group": {"value": "1"}, "language": {"code": "de"},
             "temporary_address": {"from": "2023-08-08"}, "contact_phones": [{"value": "1"}],
             "relatives": [{"name": "x"}], "custody": [{"name": "x"}],
             "registrations": {k: {"registered": True} for k in ("organ_donor", "treatment_will", "living_will")},
             "dentist": {"name": "Tandlæge Jette Testesen", "clinic": None}}
    display.expect_maximal(Screen(MAXIMAL.cpr, model))  # without the registers: only that a dentist is shown
    with pytest.raises(NonConformance, match="dentist shown with clinic and name"):
        display.expect_maximal(Screen(MAXIMAL.cpr, model), MAXIMAL.citizen())
    model["dentist"]["clinic"] = "Tandklinikken smil. nu"
    display.expect_maximal(Screen(MAXIMAL.cpr, model), MAXIMAL.citizen())


def _relations(relation: str, child: str = "Far") -> Screen:
    return Screen("0108589995", {"relatives": [{"name": "Lise Berggren", "relation": relation}],
                                 "custody": [{"name": "Gitte Berggren", "relation": child}]})


EXPECTED_RELATIONS = ({"Lise Berggren": ("uspec_paaroerende", "Uspecificeret pårørende")},
                      {"Gitte Berggren": ("far", "Far")})


@pytest.mark.parametrize("relation", ["Uspecificeret pårørende", "uspecificeret pårørende", "Pårørende"],
                         ids=["display", "display-lower-case", "own-words"])
def test_a_relation_by_its_name_or_in_the_systems_own_words_conforms(relation: str) -> None:
    display.expect_relations_in_words(_relations(relation), *EXPECTED_RELATIONS)
    display.expect_relations_in_words(_relations(relation, child="far"), *EXPECTED_RELATIONS)


@pytest.mark.parametrize("relation", ["uspec_paaroerende", "Pårørende (uspec_paaroerende)", ""],
                         ids=["code", "code-in-brackets", "nothing"])
def test_a_relation_shown_as_its_code_fails(relation: str) -> None:
    with pytest.raises(NonConformance, match="relations shown by their name"):
        display.expect_relations_in_words(_relations(relation), *EXPECTED_RELATIONS)


def _fgvh(text: str) -> Screen:
    return Screen("0108589995", {"fgvh": {"state": "unavailable", "symbol_shown": False, "text": text}})


@pytest.mark.parametrize("text", [v.FGVH_TEXT_TRUE, v.FGVH_TEXT_NAV, "Fravalg af genoplivning: midlertidigt ukendt"])
def test_the_opt_out_told_in_words_conforms(text: str) -> None:
    fgvh.expect_told_in_words(_fgvh(text))


@pytest.mark.parametrize("text", ["NAV", "true", "FGVH: false", "nullFlavor", " "])
def test_the_opt_out_told_as_its_coded_value_fails(text: str) -> None:
    with pytest.raises(NonConformance, match="opt-out status told in words"):
        fgvh.expect_told_in_words(_fgvh(text))
