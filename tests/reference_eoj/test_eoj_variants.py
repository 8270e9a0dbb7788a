"""Every allowed variant can be switched on and changes what the EOJ does as declared (the variants matrix's
unit half: the matrix proves the harness accepts the change, these tests that there is a change to accept)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from eoj_fake_nsp import NAV_CPR, FakeNsp
from eoj_support import NURSE, EojFactory
from lxml import etree

import nsp_vocabulary as v
from nspcert.driver.contract import StamkortChange
from nspcert.driver.http import HttpDriver
from reference_eoj.service import ReferenceEoj
from reference_eoj.variants import CATALOGUE, Variant, Variants, markdown_table

ROOT = Path(__file__).resolve().parents[2]
Probe = Callable[[HttpDriver, ReferenceEoj, FakeNsp], object]


def infoset(node: etree._Element) -> object:
    """What XML and SOAP 1.1 compare: names (namespace + local), attributes as a set, text, children in order;
    whitespace between elements and prefixes are not part of it."""
    children = [child for child in node if isinstance(child.tag, str)]
    text = (node.text or "") if not children else (node.text or "").strip()
    return (node.tag, sorted(node.attrib.items()), text, [infoset(child) for child in children],
            [(child.tail or "").strip() for child in children])


def _opened(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> None:
    user = d.log_in(NURSE)
    d.open_record(NAV_CPR, user)
    d.flush_minlog()


def _raw_requests(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    """Every request as sent, by path (the bytes: a variant of the XML form changes these)."""
    _opened(d, e, f)
    return {x.path: x.raw for x in f.exchanges}


def _fsk_requests(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    """The ITI-18 slots in order, the ITI-43 DocumentRequest, the envelope's first bytes and the SOAPAction."""
    _opened(d, e, f)
    (search,), (retrieve,) = f.calls(v.PATH_SFSK_ITI18), f.calls(v.PATH_SFSK_ITI43)
    slots = [slot.get("name") for slot in search.body.iter(f"{{{v.NS['rim']}}}Slot")]
    request = [(etree.QName(x).localname, x.text) for x in retrieve.body.iter(f"{{{v.NS['xds']}}}*")
               if not len(x)]
    return slots, request, search.raw[:5], search.headers.get("soapaction"), search.headers.get("content-type")


def _entry_types(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    _opened(d, e, f)
    slot = next(s for s in f.calls(v.PATH_SFSK_ITI18)[0].body.iter(f"{{{v.NS['rim']}}}Slot")
                if s.get("name") == "$XDSDocumentEntryType")
    return [value.text for value in slot.iter(f"{{{v.NS['rim']}}}Value")]


def _http_headers(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    _opened(d, e, f)
    return [(x.headers.get("soapaction"), x.headers.get("content-type")) for x in f.exchanges]


def _organisation(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    """HSUID's OrgUsingID (NameFormat, value) and MinLog2's OrganisationId (source, value)."""
    _opened(d, e, f)
    hsuid = f.calls(v.PATH_SFSK_ITI18)[0].header("hsuid", "HsuidHeader")
    assert hsuid is not None
    org = next(a for a in hsuid.iter(f"{{{v.NS['hsuid']}}}Attribute") if a.get("Name") == "nsi:OrgUsingID")
    (entry,) = f.minlog_entries()
    minlog = entry.find("OrganisationId")
    assert minlog is not None
    return (org.get("NameFormat"), org.findtext(f"{{{v.NS['hsuid']}}}AttributeValue")), (minlog.get("source"),
                                                                                         minlog.text)


def _minlog_user(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    _opened(d, e, f)
    (entry,) = f.minlog_entries()
    user = entry.find("UserPersonIdentifier")
    assert user is not None
    return user.get("source"), user.text


def _minlog_elements(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    """The LogDataEntry's elements in order, and its times."""
    _opened(d, e, f)
    (request,) = f.calls(v.PATH_MINLOG)
    entry = next(request.body.iter("LogDataEntry"))
    return [x.tag for x in entry.iter() if isinstance(x.tag, str)], [x.text for x in entry.iter("*")
                                                                      if str(x.tag).endswith("DateTime")]


def _minlog_when_the_read_fails(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    f.down.add(v.PATH_SFSK_ITI43)
    _opened(d, e, f)
    return len(f.minlog_entries())


def _headers(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    """The SOAP header blocks of the search in order, the medcom:Header's elements and HSUID's attributes."""
    _opened(d, e, f)
    envelope = f.calls(v.PATH_SFSK_ITI18)[0].envelope
    header = envelope.find(f"{{{v.NS['soap']}}}Header")
    assert header is not None
    medcom = header.find(f"{{{v.NS['medcom']}}}Header")
    assert medcom is not None
    return ([etree.QName(x).localname for x in header], [etree.QName(x).localname for x in medcom.iter()],
            [a.get("Name") for a in header.iter(f"{{{v.NS['hsuid']}}}Attribute")])


def _relative_relation(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    """The relation shown for a relative FSK codes ``uspec_paaroerende`` (the NAV sample's relative, recoded)."""
    sample = f.documents[NAV_CPR].decode("utf-8")
    f.documents[NAV_CPR] = sample.replace('displayName="forældre"', 'displayName="Uspecificeret pårørende"').replace(
        'code="forældre"', 'code="uspec_paaroerende"').encode("utf-8")
    screen = d.open_record(NAV_CPR, d.log_in(NURSE))
    return [relative["relation"] for relative in screen["relatives"]]


def _fgvh_texts(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    """The opt-out text for FSK's NAV, and when FSK cannot be read."""
    user = d.log_in(NURSE)
    shown = d.open_record(NAV_CPR, user)["fgvh"]["text"]
    f.down.update({v.PATH_SFSK_ITI18, v.PATH_SFSK_ITI43})
    return shown, d.open_record(NAV_CPR, user)["fgvh"]["text"]


def _skr_writes(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    """A relative and an open-ended temporary address written to SKR: the authors, and the period's bounds."""
    user = d.log_in(NURSE)
    d.change_stamkort(NAV_CPR, user, StamkortChange("relative", "create", {"given": "Else", "relation": "mor"}))
    d.change_stamkort(NAV_CPR, user, StamkortChange("temporary_address", "create", {
        "from": "2026-12-01", "address": {"lines": ["Sommervej 1"], "postal_code": "8000", "city": "Aarhus C"}}))
    bodies = [x.body for x in f.calls(v.PATH_SKR)]
    return ([len(list(body.iter(f"{{{v.NS['cda']}}}author"))) for body in bodies],
            [(etree.QName(x).localname, dict(x.attrib)) for body in bodies
             for x in body.iter(f"{{{v.NS['cda']}}}low", f"{{{v.NS['cda']}}}high")])


def _salt_fetches(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    """GetCurrentSalt calls for two opens by a masked employee and two citizen views, all within a minute."""
    user = d.log_in(dataclasses.replace(NURSE, identity_masked=True))
    d.open_record(NAV_CPR, user)
    d.open_record(NAV_CPR, user)
    d.citizen_view(NAV_CPR)
    d.citizen_view(NAV_CPR)
    return len(f.calls(v.PATH_IDSAS_SALT))


def _background_rounds(d: HttpDriver, e: ReferenceEoj, f: FakeNsp) -> object:
    """What each background MinLog2 round sends of two looks: after each, ten minutes on, over a quarter of an hour
    on (by the EOJ's clock)."""
    start = datetime(2025, 3, 4, 9, tzinfo=UTC)
    d.set_clock(start)
    user = d.log_in(NURSE)
    d.open_record(NAV_CPR, user)
    rounds = [d.minlog_background().sent]
    d.open_record(NAV_CPR, d.log_in(dataclasses.replace(NURSE, cpr="0101704321")))
    for minutes in (0, 10, 16):
        d.set_clock(start + timedelta(minutes=minutes))
        rounds.append(d.minlog_background().sent)
    return rounds, len(f.calls(v.PATH_MINLOG))


PROBES: dict[Variant, Probe] = {
    Variant.SDS_FSK_CLIENT: _fsk_requests,
    Variant.ITI18_VALUE_LISTS: _entry_types,
    Variant.SOAPACTION_UNQUOTED: _http_headers,
    Variant.GP_YDERNUMMER: _organisation,
    Variant.HOSPITAL_SKS: _organisation,
    Variant.MINLOG_ORGANISATION_CVR: _organisation,
    Variant.MINLOG_USER_AUTHORISATION: _minlog_user,
    Variant.MINLOG_OPTIONAL_ELEMENTS: _minlog_elements,
    Variant.MINLOG_INTERVAL: _minlog_elements,
    Variant.MINLOG_UTC_TIMES: _minlog_elements,
    Variant.MINLOG_BEFORE_READ: _minlog_when_the_read_fails,
    Variant.HEADERS_ALL_OPTIONAL: _headers,
    Variant.HEADERS_MINIMAL: _headers,
    Variant.XML_RENAMED_PREFIXES: _raw_requests,
    Variant.XML_DEFAULT_NAMESPACES: _raw_requests,
    Variant.XML_LAYOUT: _raw_requests,
    Variant.RELATIONS_OWN_WORDS: _relative_relation,
    Variant.FGVH_OWN_WORDS: _fgvh_texts,
    Variant.SKR_SPARSE_WRITES: _skr_writes,
    Variant.IDSAS_SALT_EVERY_TIME: _salt_fetches,
    Variant.MINLOG_QUARTER_HOUR_ROUNDS: _background_rounds,
}

#: variants that change only how the messages are written, never what they say
SAME_INFOSET = {Variant.XML_RENAMED_PREFIXES, Variant.XML_DEFAULT_NAMESPACES, Variant.XML_LAYOUT}


@pytest.mark.parametrize("variant", list(Variant), ids=str)
def test_variant_changes_its_behaviour(variant: Variant, make_eoj: EojFactory, fake_nsp: FakeNsp,
                                       tmp_path: Path) -> None:
    probe = PROBES[variant]
    driver, eoj = make_eoj(state_dir=tmp_path / "default")
    ours = probe(driver, eoj, fake_nsp)
    sent_ours = list(fake_nsp.exchanges)
    fake_nsp.__init__()  # type: ignore[misc]
    driver, eoj = make_eoj(variants=Variants.parse(variant.value), state_dir=tmp_path / variant.value)
    theirs = probe(driver, eoj, fake_nsp)
    assert ours != theirs, f"{variant}: switching it on changed nothing: {ours!r}"
    if variant in SAME_INFOSET:
        sent = [(x.path, infoset(x.envelope)) for x in fake_nsp.exchanges if x.path != v.PATH_STS]
        expected = [(x.path, infoset(x.envelope)) for x in sent_ours if x.path != v.PATH_STS]
        assert [path for path, _ in sent] == [path for path, _ in expected]
        for (path, got), (_, want) in zip(sent, expected, strict=True):
            assert _without_ids(got) == _without_ids(want), f"{variant}: {path} says something else"


def _without_ids(tree: object) -> object:
    """An infoset with the values that differ on every call (message ids, times, sequence numbers) blanked."""
    if not isinstance(tree, tuple):
        return tree
    tag, attributes, text, children, tails = tree
    volatile = str(tag).rsplit("}", 1)[-1] in {"MessageID", "FlowID", "Created", "SequenceNumber", "DateTime", "DocumentUniqueId",
                                               "AttributeValue", "Assertion"}
    attributes = [(k, "" if k in ("IssueInstant",) else val) for k, val in attributes]
    return (tag, attributes, "" if volatile else text,
            [] if str(tag).endswith("}Assertion") else [_without_ids(c) for c in children], tails)


def test_every_variant_has_a_probe_and_documentation() -> None:
    assert set(PROBES) == set(Variant) == set(CATALOGUE)
    assert all(info.behaviour and info.source and info.judged_by for info in CATALOGUE.values())
    assert all(v.value in markdown_table() for v in Variant)


def test_docs_variants_md_has_exactly_the_printed_table() -> None:
    printed = subprocess.run([sys.executable, "-m", "reference_eoj.variants"], capture_output=True, text=True,
                             check=True).stdout
    doc = (ROOT / "docs" / "variants.md").read_text("utf-8")
    assert printed.strip() in doc, "regenerate the table in docs/variants.md with python -m reference_eoj.variants"


def test_every_requirement_a_variant_names_is_in_the_catalogue() -> None:
    from nspcert.catalogue.requirements import catalogue

    named = {r for info in CATALOGUE.values() for r in info.judged_by}
    assert named <= set(catalogue()), f"not in the catalogue: {sorted(named - set(catalogue()))}"


def test_unknown_variant_is_refused_and_env_and_flag_are_merged() -> None:
    with pytest.raises(ValueError, match="unknown variant"):
        Variants.parse("xml-layout,no-such-thing")
    both = Variants.from_sources("xml-layout", {"REFERENCE_EOJ_VARIANTS": "xml-renamed-prefixes"})
    assert both.names() == ["xml-layout", "xml-renamed-prefixes"]
