"""Inline previews: XML indented for reading, anything else (or XML that does not parse) as recorded."""

from __future__ import annotations

from pathlib import Path

from nspcert.results.render.preview import readable

ENVELOPE = (b"<?xml version='1.0' encoding='utf-8'?><soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/"
            b"envelope/'><soap:Header><h>x</h></soap:Header><soap:Body><a><b>tekst med  to mellemrum</b></a>"
            b"</soap:Body></soap:Envelope>")


def test_a_one_line_soap_envelope_is_indented_body_first_and_its_text_kept(tmp_path: Path) -> None:
    path = tmp_path / "FSK_1.1.1_A_S.xml"
    path.write_bytes(ENVELOPE)
    lines = readable(path).splitlines()
    assert lines[:2] == ["<!-- the SOAP Body -->", '<soap:Body xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">']
    assert "  <a>" in lines and "    <b>tekst med  to mellemrum</b>" in lines
    assert lines.index("<!-- the SOAP Header (before the Body in the file) -->") > lines.index("  <a>")
    assert "  <h>x</h>" in lines
    assert path.read_bytes() == ENVELOPE  # the evidence file itself is untouched


def test_other_xml_is_indented_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "FSK_1.1.1_A_R.xml"
    path.write_bytes(b"<r><s>1</s></r>")
    assert readable(path).splitlines() == ["<r>", "  <s>1</s>", "</r>"]


def test_xml_that_does_not_parse_and_other_files_are_shown_as_recorded(tmp_path: Path) -> None:
    broken = tmp_path / "FSK_1.1.1_A_R.xml"
    broken.write_bytes(b"<soap:Envelope><unclosed>")
    text = tmp_path / "FSK_1.1.1_B_R.txt"
    text.write_bytes("ingen svar æøå".encode())
    assert readable(broken) == "<soap:Envelope><unclosed>"
    assert readable(text) == "ingen svar æøå"


def test_an_entity_in_a_recorded_request_is_not_expanded(tmp_path: Path) -> None:
    path = tmp_path / "FSK_1.1.1_A_S.xml"
    path.write_bytes(b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>')
    assert "root:" not in readable(path)
