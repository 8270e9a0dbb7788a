"""Checks of how the SUT shows the citizen's opt-out of resuscitation (FGVH)."""

from __future__ import annotations

import re

from nspcert.checks import require
from nspcert.screen import Screen

STATE_WORDS = {
    "opted_out": "the citizen has opted out of resuscitation",
    "not_opted_out": "the citizen has not opted out of resuscitation",
    "unavailable": "the opt-out status is temporarily unavailable",
    "unknown": "the opt-out status is unknown (FSK could not be read)",
}


def expect_fgvh_state(screen: Screen, expected: str) -> None:
    shown = screen.fgvh
    require(shown.state == expected, check="FGVH status shown to the employee",
            expected=f"{expected!r} ({STATE_WORDS[expected]})",
            received=f"{shown.state!r} with text {shown.text!r}", where=screen.where())


def expect_symbol(screen: Screen, shown: bool) -> None:
    fgvh = screen.fgvh
    require(fgvh.symbol_shown is shown, check="FGVH symbol",
            expected="the FGVH symbol shown" if shown else "no FGVH symbol",
            received=f"symbol_shown={fgvh.symbol_shown} (state {fgvh.state!r})", where=screen.where())


def expect_never_not_opted_out(screen: Screen) -> None:
    """Safety rule: an unreadable or unavailable status must never look like 'wants resuscitation'."""
    fgvh = screen.fgvh
    require(fgvh.state != "not_opted_out",
            check="FGVH never shown as 'no opt-out' when the status is not known",
            expected="a state other than 'not_opted_out'", received=f"{fgvh.state!r} with text {fgvh.text!r}",
            where=screen.where())


def expect_on_record(screen: Screen) -> None:
    """The opt-out is part of the record the employee opened: the state FSK gave, its symbol and a text."""
    fgvh = screen.fgvh
    require(fgvh.state == "opted_out" and fgvh.symbol_shown and bool(fgvh.text.strip()),
            check="FGVH status on the record the employee opened",
            expected="the opt-out shown on opening the record, with the symbol and a text",
            received=f"state {fgvh.state!r}, symbol_shown={fgvh.symbol_shown}, text {fgvh.text!r}",
            where=screen.where())


#: how the document codes the opt-out (the value's extension or null flavour): never the words the employee reads
_CODED = re.compile(r"(?<![A-Za-zÆØÅæøå])(true|false|NAV|nullFlavor)(?![A-Za-zÆØÅæøå])", re.IGNORECASE)


def expect_told_in_words(screen: Screen) -> None:
    """FSK-CERT-FGVH-06: the status is a text in words (SDS's narrative or the system's own), not the coded value."""
    fgvh = screen.fgvh
    coded = sorted({m.group(1) for m in _CODED.finditer(fgvh.text)})
    require(bool(fgvh.text.strip()) and not coded, check="opt-out status told in words",
            expected="a text in words, e.g. 'Borger har fravalgt genoplivningsforsøg ved hjertestop' or "
                     "'Midlertidig utilgængelig', never true/false/NAV",
            received=f"text {fgvh.text!r}" + (f" (the coded value {', '.join(coded)})" if coded else ""),
            where=screen.where())
