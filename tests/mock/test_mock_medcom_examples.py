"""MedCom's five PDC-DK 3.0 test documents, made by the project (`nspcert.arrange.medcom`: the mock NSP builds each from the
citizen in its registers, `nspcert.arrange.documents` adds the example's quirks), equal MedCom's published files entry by
entry (../shared/nsp-reference/medcom-pdc-3.0). Only what the platform makes fresh for every answer differs: the
document id and the time it was made (checked to be a UUID and one instant), and the ids of the register entries
(UUIDs); everything else, narrative included, must be the same.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from lxml import etree
from mocknsp_support import Mock
from nsp_reference import reference
from remote_support import TOKEN, URL
from starlette.testclient import TestClient

import nsp_vocabulary as v
from nspcert.arrange import medcom
from nspcert.nsp.admin import MockNspAdmin

CDA = v.NS["cda"]
NS = {"c": CDA}
FILES = {"maximal": "PDC-DK_Eks_maksimalt-eksempel.xml",
         "different-narrative": "PDC-DK_Eks_maksimalt-eksempel-forskellig-narrativ.xml",
         "protection": "PDC-DK_Eks_navne-og-adressebeskyttelse.xml",
         "fgvh-unavailable": "PDC-DK_Eks_nullFlavor-ved-FGVH.xml",
         "minimal": "pdc30_minimum.xml"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
#: the entries the platform makes from registers: their ids are made fresh for every document
REGISTER_ENTRIES = {"CitizenNameAddr", "CoverageGroup", "OrganDonorRegistration", "TreatmentWillRegistration",
                    "LivingWillRegistration", "NoResuscitationRegistration", "ChildCustody"}
#: the header's times of making the document (all the same instant in one document)
MADE_AT = ("c:effectiveTime", "c:author/c:time", "c:documentationOf/c:serviceEvent/c:effectiveTime/c:low")


@pytest.fixture
def admin(mock: Mock) -> Iterator[MockNspAdmin]:
    """The harness's control-plane client, speaking to the mock under test (in-process, or the one
    ``MOCK_NSP_TEST_URL`` names, e.g. the mock-nsp image)."""
    if url := os.environ.get(URL):
        client = MockNspAdmin(url, os.environ.get(TOKEN))
    else:
        client = MockNspAdmin.over(TestClient(mock.http.app, base_url="http://testserver/__admin"))
    yield client
    client.close()


Canon = tuple[str, tuple[tuple[str, str], ...], str | None, tuple[Any, ...], str | None]


def canon(el: etree._Element) -> Canon:
    """An element as XML means it: name, attributes (any order), text and tail (whitespace-only is layout),
    children in order. Namespace prefixes and where namespaces are declared do not matter."""
    text = el.text if el.text and el.text.strip() else None
    tail = el.tail if el.tail and el.tail.strip() else None
    attrs = tuple(sorted((str(k), str(val)) for k, val in el.attrib.items()))
    children = tuple(canon(child) for child in el if isinstance(child.tag, str))
    return str(el.tag).replace(f"{{{CDA}}}", ""), attrs, text, children, tail


def _made_at(root: etree._Element) -> str:
    """Checks that the header's times of making are one instant and blanks them; returns it."""
    stamps = {node.get("value") for path in MADE_AT for node in root.iterfind(path, NS)}
    assert len(stamps) == 1, f"the header's times of making differ: {stamps}"
    for path in MADE_AT:
        for node in root.iterfind(path, NS):
            node.set("value", "<made-at>")
    return str(stamps.pop())


def _normalise(root: etree._Element) -> etree._Element:
    _made_at(root)
    ident = root.find("c:id", NS)
    assert ident is not None and UUID.match(ident.get("extension", "")), "the document id is not a UUID"
    ident.set("extension", "<document-id>")
    for observation in root.iterfind(".//c:entry/c:observation", NS):
        code = observation.find("c:code", NS)
        entry_id = observation.find("c:id", NS)
        if code is not None and entry_id is not None and code.get("code") in REGISTER_ENTRIES:
            assert UUID.match(entry_id.get("extension", "")), f"{code.get('code')} entry id is not a UUID"
            entry_id.set("extension", "<entry-id>")
    return root


def _parts(root: etree._Element) -> dict[str, list[etree._Element]]:
    header = [child for child in root if isinstance(child.tag, str) and child.tag != f"{{{CDA}}}component"]
    rows = root.findall(".//c:section/c:text//c:tr", NS)
    entries = root.findall(".//c:section/c:entry", NS)
    return {"header": header, "narrative row": rows, "entry": entries}


def _name(part: str, index: int, el: etree._Element) -> str:
    code = el.find(".//c:code", NS)
    what = code.get("code") if part == "entry" and code is not None else etree.QName(el).localname
    return f"{part} {index} ({what})"


def compare(built: bytes, published: bytes) -> list[str]:
    """Every difference, part by part: the header's elements, the narrative's rows, the entries."""
    ours = _normalise(etree.fromstring(built))
    theirs = _normalise(etree.fromstring(published))
    found = []
    if canon_attrs(ours) != canon_attrs(theirs):
        found.append(f"document element attributes: {canon_attrs(ours)} != {canon_attrs(theirs)}")
    for part, mine in _parts(ours).items():
        real = _parts(theirs)[part]
        if len(mine) != len(real):
            found.append(f"{len(mine)} {part}s, MedCom's file has {len(real)}")
        for index, (a, b) in enumerate(zip(mine, real, strict=False)):
            if canon(a) != canon(b):
                found.append(f"{_name(part, index, b)}:\n  ours:   {canon(a)}\n  MedCom: {canon(b)}")
    return found


def canon_attrs(root: etree._Element) -> tuple[tuple[str, str], ...]:
    return canon(root)[1]


def _instructions(cda: bytes) -> list[str]:
    root = etree.fromstring(cda)
    return [str(node) for node in root.itersiblings(preceding=True)]


@pytest.mark.parametrize("key", sorted(FILES))
def test_the_project_makes_medcom_s_example_entry_by_entry(key: str, admin: MockNspAdmin) -> None:
    example = medcom.EXAMPLES[key]
    published = reference(f"medcom-pdc-3.0/{FILES[key]}").read_bytes()
    medcom.serve(admin, example)
    served = admin.document(example.cpr)
    assert compare(served, published) == []
    assert _instructions(served) == _instructions(published)
    assert served.count(b"\r\n") > 100 and b"\n" not in served.replace(b"\r\n", b""), "laid out with CRLF"


def test_the_comparison_sees_a_changed_entry(admin: MockNspAdmin) -> None:
    """The comparison is not blind: MedCom's own file, one relation code changed, differs in that entry only."""
    published = reference("medcom-pdc-3.0/PDC-DK_Eks_maksimalt-eksempel.xml").read_bytes()
    changed = published.replace(b'code="far"', b'code="mor"')
    found = compare(changed, published)
    assert len(found) == 1 and found[0].startswith("entry 0 (ChildCustody)")
