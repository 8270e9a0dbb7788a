"""The synthetic-CPR check of the evidence: a bundle that may hold a real person's CPR cannot be handed over.

**Rule: synthetic by provenance.** Every 10-digit number (``DDMMYYSSSS`` or ``DDMMYY-SSSS``, not part of a
longer number or word) in an evidence file is a candidate. It is accepted when

1. the harness made it **in this scenario** (``record_test_cprs(request, …)``: the scenario's People factory
   records every citizen and employee it makes) or for the whole run (``record_test_cprs(config, …)``); or
2. the catalogue itself names it: written in a feature file (steps, tables, examples: test data the
   catalogue's authors chose and reviewers can read), one of MedCom's published test persons
   (``KNOWN_TEST_CPRS``), or listed in ``--nspcert-test-cprs FILE``; or
3. it cannot be a personal number at all: neither ``DDMMYY`` nor ``DD-60``/``MMYY`` (a substitute number,
   *erstatningspersonnummer*, adds 60 to the day) is a calendar date, or the birth date it encodes lies in the
   future.

Anything else is a *finding*, listed masked (``DDMMYY-xxxx``); ``nspcert run`` then exits 3. Modulus 11 is
**not** a test: CPR has issued numbers that fail it since 2007, so a failing check digit proves nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

KNOWN_TEST_CPRS = frozenset({"0408801111", "0410009234", "2512484916", "2512489996", "0611809735"})
CPR_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{6})-?(\d{4})(?![0-9A-Za-z])")
RULE = ("made by the harness in the scenario, named by the catalogue or --test-cprs, or no possible birth date "
        "(see docs/reports.md)")


def cprs_in(text: str) -> set[str]:
    """Every CPR candidate in ``text``, without the hyphen."""
    return {m.group(1) + m.group(2) for m in CPR_PATTERN.finditer(text)}


def could_be_a_person(cpr: str, today: date) -> bool:
    """True unless no birth date fits: neither the day nor the day less 60 makes a date, or it is in the future."""
    from stdnum.dk import cpr as stdnum_cpr

    for candidate in (cpr, f"{int(cpr[:2]) - 60:02d}{cpr[2:]}" if int(cpr[:2]) > 60 else ""):
        try:
            born = stdnum_cpr.get_birth_date(candidate) if candidate else None
        except Exception:  # noqa: BLE001 - stdnum raises several kinds for an impossible date
            continue
        if born is not None and born <= today:
            return True
    return False


def check_cprs(directory: Path, groups: Iterable[tuple[list[str], frozenset[str]]], today: date) -> dict[str, Any]:
    """Scan evidence files in groups (a scenario's files and what it may contain); findings are masked."""
    checked: set[str] = set()
    findings: list[dict[str, str]] = []
    for names, allowed in groups:
        for name in names:
            for cpr in sorted(cprs_in((directory / name).read_text(encoding="utf-8", errors="replace"))):
                checked.add(cpr)
                if cpr not in allowed and cpr not in KNOWN_TEST_CPRS and could_be_a_person(cpr, today):
                    findings.append({"file": name, "cpr": f"{cpr[:6]}-xxxx"})
    return {"passed": not findings, "candidates": len(checked), "findings": findings, "rule": RULE}
