"""The harness's own pseudonym computation (nspcert/act/masking.py) against fixed vectors, and the reference EOJ's
agreeing with it: a masking scenario judges the SUT by the harness's computation, so the two must not drift."""

from __future__ import annotations

import pytest

from nspcert.act.masking import pseudonym, pseudonym_input
from reference_eoj.nsp import idsas

SALT = "c2FsdA=="  # Base64 of "salt", used as the text GetCurrentSalt answered

#: (given names, family names, expected input, expected pseudonym). The pseudonyms were computed once with
#: Python's uuid.uuid5(NAMESPACE_OID, input) outside this code base and written down, so a change of the
#: algorithm cannot recompute its own answer.
VECTORS = [
    ("Hanne Marie", "Hansen", "HANNE+MARIE+HANSEN+0408801111+c2FsdA==", "b23ec71e-b55b-5eb8-b94e-c936022dad9e"),
    # IDSAS: every space is a + ("alle mellemrum ... erstattes med '+'"): two spaces are two pluses
    ("Hanne  Marie", "Hansen", "HANNE++MARIE+HANSEN+0408801111+c2FsdA==", "3c1b22ee-0d2a-5475-9e37-d9e426fc8d7f"),
]


@pytest.mark.parametrize(("given", "family", "text", "expected"), VECTORS, ids=["one-space", "two-spaces"])
def test_the_harness_computes_the_fixed_vectors(given: str, family: str, text: str, expected: str) -> None:
    assert pseudonym_input(given, family, "0408801111", SALT) == text
    assert pseudonym(given, family, "0408801111", SALT) == expected


@pytest.mark.parametrize(("given", "family"), [("Hanne Marie", "Hansen"), ("Hanne  Marie", "Hansen"),
                                               ("Søren", "Ørsted Nielsen"), (" Ida", "Holm "), ("ida", "holm")])
def test_the_reference_eoj_computes_what_the_harness_computes(given: str, family: str) -> None:
    assert idsas.pseudonym(given, family, "0408801111", SALT) == pseudonym(given, family, "0408801111", SALT)
