"""Allowed variants: choices the standards leave to the vendor, which the harness must accept (the variants matrix).

The dual of :mod:`reference_eoj.defects`. Each variant makes the otherwise unchanged reference EOJ do one thing
the way another correct system does it — SDS's own FSK client, a GP system, a hospital, a JAXB client — and names
the source that allows it and the requirements whose checks see the choice. With any set of variants on, every
applicable scenario of the catalogue must still pass (``python -m tools.variantsmatrix``, run by ``make test``).

Switch them on with ``REFERENCE_EOJ_VARIANTS=name,name`` or ``--variants name,name`` (``nspcert run --variants``,
pytest ``--reference-variants``). Variants that make the same choice differently share an *axis* and are never
switched on together; the matrix runs the others together, in as few catalogue runs as the axes allow. The table in
``docs/variants.md`` is generated from :data:`CATALOGUE` (``python -m reference_eoj.variants``).

Declaring a new variant: add it to :class:`Variant` and :data:`CATALOGUE` (behaviour, the source that allows it
quoted with where it says so, the requirements whose checks it exercises, its axes), make the EOJ behave so when
``Variant.X in settings.variants``, add a probe to ``tests/reference_eoj/test_eoj_variants.py`` that shows the
behaviour changes, and regenerate the table in ``docs/variants.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reference_eoj.switches import Switches

ENV_VAR = "REFERENCE_EOJ_VARIANTS"


class Variant(StrEnum):
    XML_RENAMED_PREFIXES = "xml-renamed-prefixes"
    XML_DEFAULT_NAMESPACES = "xml-default-namespaces"
    XML_LAYOUT = "xml-layout"


@dataclass(frozen=True)
class VariantInfo:
    """What a variant does, who allows it, which checks must accept it.

    ``source`` quotes the standard, schema or real client that allows the behaviour and says where. ``judged_by``
    are the requirements whose checks see the choice: the variants matrix runs the whole catalogue, so every check
    meets every variant, but these are the ones that would wrongly fail a system making this choice. ``axes`` name
    the choices the variant makes; two variants with an axis in common are alternatives and never run together.
    """

    behaviour: str
    source: str
    judged_by: tuple[str, ...]
    axes: tuple[str, ...] = ()


#: every requirement judged from the recorded SOAP messages (any change of how they are written meets these)
WIRE_CHECKS = ("FSK-SIT-QRY-02", "FSK-SIT-QRY-03", "FSK-CERT-MD-01", "FSK-SIT-S2S-05", "FSK-SIT-S2S-06",
               "FSK-SIT-LOG-04", "FSK-SIT-LOG-05", "FSK-SIT-LOG-06")

CATALOGUE: dict[Variant, VariantInfo] = {
    Variant.XML_RENAMED_PREFIXES: VariantInfo(
        "writes every namespace under other prefixes (`SOAP-ENV`, `ns1`, `ns2`, …), all declared on the envelope, "
        "as JAXB and CXF clients do",
        "Namespaces in XML 1.0 §3 (a prefix is \"used solely as a placeholder for a namespace name\"); XML-DSig "
        "signed ID cards keep their own form (exclusive c14n)",
        WIRE_CHECKS, axes=("namespace-prefixes",)),
    Variant.XML_DEFAULT_NAMESPACES: VariantInfo(
        "writes every element in a default namespace (`xmlns=\"…\"` where the namespace changes) and undeclares it "
        "(`xmlns=\"\"`) for MinLog2's unqualified children",
        "Namespaces in XML 1.0 §6.2 (\"the scope of a default namespace declaration extends from the beginning of the "
        "start-tag in which it appears to the end of the corresponding end-tag\"; an empty value undeclares it); "
        "minlog2-registration_20250312.xsd `elementFormDefault=\"unqualified\"`",
        WIRE_CHECKS, axes=("namespace-prefixes",)),
    Variant.XML_LAYOUT: VariantInfo(
        "writes a UTF-8 byte order mark and an encoding declaration, indents the envelope with CRLF line ends and "
        "writes each element's attributes in reverse order",
        "XML 1.0 §4.3.3 (a BOM may begin a UTF-8 entity) and §2.8 (the XML declaration), §2.10–2.11 (whitespace "
        "between elements, line ends normalised to LF), §3.1 (\"the order of attribute specifications in a start-tag "
        "… is not significant\"); SOAP 1.1 §4 (the envelope is XML)",
        WIRE_CHECKS, axes=("xml-layout",)),
}


class Variants(Switches[Variant]):
    """The set of switched-on variants; ``Variant.X in variants`` asks whether one is on."""

    names_of = Variant
    kind = "variant"
    env_var = ENV_VAR


def markdown_table() -> str:
    rows = ["| variant | behaviour | allowed by | checks that must accept it |", "|---|---|---|---|"]
    rows += [f"| `{variant.value}` | {info.behaviour} | {info.source} | {', '.join(info.judged_by)} |"
             for variant, info in CATALOGUE.items()]
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
