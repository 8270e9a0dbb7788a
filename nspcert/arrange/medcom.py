"""MedCom's five PDC-DK 3.0 test-protocol examples (``PDC-DK_3_0_Testprotokol_v1.0.0``), made by the project.

MedCom certifies a system by loading these documents and looking at the screen. Each example here is the citizen
as the platform's registers hold them (the mock NSP builds the PDC-DK 3.0 document from that, `mock_nsp.pdc`)
and the quirks MedCom's file has beyond what the platform builds (`nspcert.arrange.documents`): a narrative that differs
from the entries, a masked author, a template extension with a leading space, the opt-out's "not available"
written as an extension, a GP where the schema forbids it. `tests/harness/test_medcom_examples.py` proves that
what this makes equals MedCom's published file entry by entry; `serve` has the mock NSP serve it to the system
under test. The CPR numbers are MedCom's published test persons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nspcert.arrange import documents, registers
from nspcert.arrange.documents import RowEdit
from nspcert.arrange.people import Citizen
from nspcert.nsp.admin import MockNspAdmin

Json = dict[str, Any]
Quirk = Callable[[bytes], bytes]
PROTECTION_MARKER = "ADRESSEBESKYTTET"


@dataclass(frozen=True)
class Example:
    """One of MedCom's examples: its published file name, what it shows, its citizen and its quirks."""

    key: str
    file: str
    shows: str
    cpr: str
    given: tuple[str, ...]
    family: str
    born: dt.date
    sex: str
    address: Json
    register: Json
    quirks: tuple[Quirk, ...] = ()
    protection_marker: str | None = None
    unavailable: tuple[str, ...] = ()
    #: the other CPR numbers the document names (a child in custody)
    other_cprs: tuple[str, ...] = ()
    expected: Json = field(default_factory=dict)

    def citizen(self) -> Citizen:
        """The citizen as the platform's registers hold them (a fresh copy: checks may note what they expect)."""
        return Citizen(cpr=self.cpr, given=list(self.given), family=self.family, birth_date=self.born, sex=self.sex,
                       address=dict(self.address), register=_copy(self.register), expected=_copy(self.expected))

    def document(self, built: bytes) -> bytes:
        """MedCom's document from the one the platform built for the citizen: the quirks applied, laid out as
        MedCom publishes it (tabs, CRLF)."""
        for quirk in self.quirks:
            built = quirk(built)
        return documents.as_published(built)

    @property
    def cprs(self) -> list[str]:
        return [self.cpr, *self.other_cprs]

    def label(self) -> str:
        return (f"MedCom PDC-DK 3.0 test example {self.file} ({self.shows}): citizen {self.cpr} "
                f"{' '.join([*self.given, self.family])}")


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _as_medcom_publishes(*quirks: Quirk) -> tuple[Quirk, ...]:
    """The example's own quirks, then what all of MedCom's files have: the generic header template, a stylesheet."""
    return (*quirks, documents.with_medcom_header_template, documents.with_stylesheet)


def serve(nsp: MockNspAdmin, example: Example) -> Citizen:
    """Put the example's citizen in the platform's registers and have FSK serve MedCom's document for them."""
    if example.protection_marker:
        registers.mark_protection_as(nsp, example.protection_marker)
    for register in example.unavailable:
        registers.make_register_unavailable(nsp, register)
    citizen = registers.register_citizen(nsp, example.citizen())
    nsp.serve_document(example.cpr, example.document(nsp.document(example.cpr)))
    return citizen


# --- the data the examples share ------------------------------------------------------------------------------
SCHWENDLUND = ("0108589995", ("Schwendlund", "Test"), dt.date(1958, 8, 1))
HOME: Json = {"lines": ["Testgrusgraven 3"], "postal_code": "3400", "city": "Hillerød", "country": "DK"}
GP_JORGENSEN: Json = {"yder_number": "017735", "name": "Læge Lars Jørgensen", "phones": [{"use": "WP", "value": "69591553"}],
                      "address": {"lines": ["Mosegårdsparken32"], "postal_code": "5642", "city": "Millinge"}}
REGISTRATIONS: Json = {"coverage_group": "1", "organ_donor": True, "treatment_will": True, "living_will": False}
CHILD_CPR = "0505109990"
CUSTODY: list[Json] = [{"cpr": CHILD_CPR, "name": {"given": ["Gitte", "Nancy", "Test"], "family": "Berggren"},
                        "relation": "far"}]
FGVH_CHANGED = "2023-11-02T10:22:56+01:00"
PLEJECENTER = "Plejecenter Herlev"
NOTE_WITH_SPECIAL_CHARACTERS = "Dette er en \"prøve\" på 'nogle' særlige <tegn> ; til test & certificering @ / \\ ^ * .”"


def _by(name: str, at: str | None, by: str = "EnteredCitizen") -> Json:
    return {"by": by, "name": name, "at": at}


def _typed_in(citizen_name: str, *, language_at: str | None, dentist: Json) -> Json:
    """The typed-in items of the two maximal examples (the same ids in both, as MedCom's files have)."""
    by_citizen = _by(citizen_name, "2023-11-08T14:03:06+01:00")
    contact_at = _by(citizen_name, "2023-11-08T14:00:11+01:00")
    return {
        "language": {"id": "985deaf5-bc3a-4d7a-a513-ba70ed45dc6b", "code": "de", "display": "Deutsch",
                     "entered": _by(citizen_name, language_at)},
        "temporary_address": {"id": "690f19b0-661f-4048-ac55-0d7b48395a27", "from": "2023-08-08", "to": "2025-04-19",
                              "address": {"lines": ["Forskerparken 10"], "postal_code": "5230", "city": "Odense",
                                          "country": "Danmark"},
                              "entered": by_citizen},
        "dentist": {"id": "753ccb9e-eaec-40c0-948e-5726d397400b", "yder_number": "410845",
                    "clinic": "Tandklinikken smil. nu",
                    "address": {"lines": ["Nivå Center 40 b"], "postal_code": "2990", "city": "Nivå",
                                "country": "Danmark"},
                    **dentist, "entered": by_citizen},
        "contact_phones": [
            {"id": "b297745a-d2cd-4957-895d-beffa06396da", "use": "H", "value": "+4589898989", "entered": contact_at},
            {"use": "MC", "value": "98765432", "entered": contact_at},
            {"use": "WP", "value": "004586006500", "entered": contact_at}],
        "relatives": [
            {"id": "23d21334-a665-40d7-b6f2-157bdeabea79", "given": "Lise", "family": "Berggren",
             "relation": "uspec_paaroerende",
             "phones": [{"use": "H", "value": "004523232323"}, {"use": "WP", "value": "96856523"}],
             "note": "Kommentar til Lise",
             "entered": {"by": "EnteredHealthcareprofessional", "organisation": PLEJECENTER, "sor": "953741000016009",
                         "at": "2023-08-18T11:23:14+02:00"}},
            {"id": "657e7afa-6753-4625-ba2e-a032b48d21d7", "given": "Bente Test", "family": "Berggren",
             "relation": "uspec_paaroerende",
             "phones": [{"use": "H", "value": "+4589898989"}, {"use": "WP", "value": "96856523"}],
             "note": NOTE_WITH_SPECIAL_CHARACTERS,
             "entered": _by("Bente Test Berggren", "2023-08-18T11:22:01+02:00", "EnteredCitizenRelative")}],
    }


def _masked_name_author(cda: bytes) -> bytes:
    return documents.with_masked_register_author(cda, "CitizenNameAddr")


def _name_author_template_with_space(cda: bytes) -> bytes:
    return documents.with_author_template_extension(cda, "CitizenNameAddr", " 2019-08-14")


def _narrative(edits: dict[int, RowEdit]) -> Quirk:
    return lambda cda: documents.with_narrative_rows(cda, edits)


#: the narrative rows (0 = custody … 7 = language, 9 = dentist, 10 = contacts, 11–12 = relatives) both maximal
#: examples say otherwise than their entries: the language "Danish" (the entry is de/Deutsch) and other times
_MAXIMAL_NARRATIVE = {7: RowEdit(items=("Danish",), changed="2023-08-18 10:34:16 +0200"),
                      9: RowEdit(changed="2023-11-08 14:13:06 +0100")}

MAXIMAL = Example(
    key="maximal", file="PDC-DK_Eks_maksimalt-eksempel.xml",
    shows="every item of a stamkort; relatives coded uspec_paaroerende; a dentist with title",
    cpr=SCHWENDLUND[0], given=SCHWENDLUND[1], family="Mosebryggersen", born=SCHWENDLUND[2], sex="M", address=HOME,
    register={**REGISTRATIONS, "gp": GP_JORGENSEN, "custody": CUSTODY, "fgvh": {"registered_at": FGVH_CHANGED},
              "typed_in": _typed_in("Schwendlund Test Mosebryggersen", language_at="2023-11-08T14:03:07+01:00",
                                    dentist={"person": {"prefix": ["Tandlæge"], "given": ["Jette"], "family": "Testesen"},
                                             "phones": ["80706050", "80756555"]})},
    quirks=_as_medcom_publishes(_masked_name_author, documents.with_dentist_clinic_first,
                                _narrative(_MAXIMAL_NARRATIVE)),
    other_cprs=(CHILD_CPR,),
)

MAX_BERGGREN = "Max Test Berggren"
DIFFERENT_NARRATIVE = Example(
    key="different-narrative", file="PDC-DK_Eks_maksimalt-eksempel-forskellig-narrativ.xml",
    shows="a narrative text that differs from the structured entries",
    cpr="0107729995", given=("Max", "Test"), family="Berggren", born=dt.date(1972, 7, 1), sex="M",
    address={"lines": ["Testervej 18"], "postal_code": "6200", "city": "København V", "country": "DK"},
    register={**REGISTRATIONS, "custody": CUSTODY,
              "gp": {"yder_number": "733536", "name": "Læge Ane Svendsen", "phones": [{"use": "WP", "value": "45553728"}],
                     "address": {"lines": ["Randersvej10"], "postal_code": "1567", "city": "København V"}},
              "fgvh": {"withdrawn_at": FGVH_CHANGED},
              "typed_in": _typed_in(MAX_BERGGREN, language_at=None,
                                    dentist={"clinic_as": "EN", "phones": ["80308060"]})},
    quirks=_as_medcom_publishes(_masked_name_author, _narrative({
        **_MAXIMAL_NARRATIVE,
        0: RowEdit(items=("Relation: Far", f"CPR: {CHILD_CPR}", "Navn: Gitte Forkert Efternavn")),
        1: RowEdit(items=("Max XXX Berggren", "Testervej 18", "6200 København V", "DK")),
        8: RowEdit(items=("Periode: 2023-08-08", "Forskerparken 10", "5230 Odense", "Danmark")),
        9: RowEdit(items=("Tandklinikken smil. nu ", "Nivå Center 40 b", "2990 Nivå", "Danmark"),
                   changed="2023-11-08 14:13:06 +0100"),
        10: RowEdit(items=("tel:+4589898989",)),
        11: RowEdit(items=("Lise Berggren", "Uspecificeret pårørende", "tel:96856523", "Kommentar til Lise"),
                    source=MAX_BERGGREN),
        12: RowEdit(items=("Bente Test Berggren", "mor", "tel:+4589898989", NOTE_WITH_SPECIAL_CHARACTERS),
                    source=MAX_BERGGREN),
    })),
    other_cprs=(CHILD_CPR,),
    expected={"narrative_only": ["Max XXX Berggren", "Forkert Efternavn"],
              "relatives": {"Lise Berggren": "uspec_paaroerende", "Bente Test Berggren": "uspec_paaroerende"}},
)

PROTECTION = Example(
    key="protection", file="PDC-DK_Eks_navne-og-adressebeskyttelse.xml",
    shows="name and address protection (ConfAddr, no information on the address)",
    cpr=SCHWENDLUND[0], given=SCHWENDLUND[1], family="Mosebryggersen", born=SCHWENDLUND[2], sex="F", address=HOME,
    register={**REGISTRATIONS, "protected": True, "gp": GP_JORGENSEN},
    quirks=_as_medcom_publishes(_name_author_template_with_space),
    protection_marker=PROTECTION_MARKER,
)

FGVH_UNAVAILABLE = Example(
    key="fgvh-unavailable", file="PDC-DK_Eks_nullFlavor-ved-FGVH.xml",
    shows="the opt-out register temporarily unavailable (NAV); the GP where the schema forbids it",
    cpr=SCHWENDLUND[0], given=SCHWENDLUND[1], family="Mosebryggersen", born=SCHWENDLUND[2], sex="M", address=HOME,
    register={**REGISTRATIONS, "fgvh": {"registered_at": FGVH_CHANGED},
              "gp": {"yder_number": "067334", "name": "Jens Peter Geil", "phones": [{"use": "WP", "value": "86196463"}],
                     "address": {"lines": ["Ryesgade 31,4. th"], "postal_code": "8000", "city": "Aarhus C"}}},
    quirks=_as_medcom_publishes(documents.with_fgvh_unavailable_as_extension, documents.with_gp_outside_patient_role),
    unavailable=("fgvh",),
)

MINIMAL = Example(
    key="minimal", file="PDC-DK_Eks_minimalt-eksempel.xml (pdc30_minimum.xml)",
    shows="the minimum: the six register entries, no typed-in data",
    cpr=SCHWENDLUND[0], given=SCHWENDLUND[1], family="Mosebryggeren", born=SCHWENDLUND[2], sex="M", address=HOME,
    register={**REGISTRATIONS, "gp": GP_JORGENSEN},
    quirks=_as_medcom_publishes(),
)

EXAMPLES: dict[str, Example] = {e.key: e for e in (MAXIMAL, DIFFERENT_NARRATIVE, PROTECTION, FGVH_UNAVAILABLE, MINIMAL)}
