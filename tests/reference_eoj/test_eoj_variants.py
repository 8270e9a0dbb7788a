"""Every allowed variant can be switched on and changes what the EOJ does as declared (the variants matrix's
unit half: the matrix proves the harness accepts the change, these tests that there is a change to accept)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from eoj_fake_nsp import NAV_CPR, FakeNsp
from eoj_support import NURSE, EojFactory
from lxml import etree

import nsp_vocabulary as v
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


PROBES: dict[Variant, Probe] = {
    Variant.XML_RENAMED_PREFIXES: _raw_requests,
    Variant.XML_DEFAULT_NAMESPACES: _raw_requests,
    Variant.XML_LAYOUT: _raw_requests,
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
