"""Checks of how the SUT shows the citizen's opt-out of resuscitation (FGVH)."""

from __future__ import annotations

import re

from nspcert.act.screen import Screen
from nspcert.checks import require

STATE_WORDS = {
    "opted_out": "the citizen has opted out of resuscitation",
    "not_opted_out": "the citizen has not opted out of resuscitation",
    "unavailable": "the opt-out status is temporarily unavailable",
    "unknown": "the opt-out status is unknown (FSK could not be read)",
}


#: words by which a text tells the employee that the citizen has *not* opted out (SDS's narrative for ``false`` is
#: "Borger ønsker genoplivningsforsøg ved hjertestop"), and that the citizen *has* ("Borger har fravalgt …")
SAYS_NOT_OPTED_OUT = ("ønsker genoplivning", "ikke fravalgt", "intet fravalg", "ingen fravalg", "not opted out",
                      "no opt-out", "wants resuscitation")
SAYS_OPTED_OUT = ("har fravalgt", "has opted out")


def contradiction(state: str, text: str) -> str | None:
    """What ``text`` tells the employee against ``state``, if anything: the words the employee reads must not say
    the opposite of the status the system shows (a status the system does not know never reads as 'no opt-out')."""
    words = text.casefold()
    said_no = next((w for w in SAYS_NOT_OPTED_OUT if w in words), None)
    if state != "not_opted_out" and said_no:
        return f"the text says {said_no!r} (the citizen has not opted out)"
    said_yes = next((w for w in SAYS_OPTED_OUT if w in words), None)
    if state == "not_opted_out" and said_yes and not said_no:
        return f"the text says {said_yes!r} (the citizen has opted out)"
    return None


def expect_fgvh_state(screen: Screen, expected: str) -> None:
    """The status shown is ``expected``, and the words the employee reads with it do not say otherwise."""
    shown = screen.fgvh
    against = contradiction(shown.state, shown.text)
    require(shown.state == expected and against is None, check="FGVH status shown to the employee",
            expected=f"{expected!r} ({STATE_WORDS[expected]}), in words that do not say otherwise",
            received=f"{shown.state!r} with text {shown.text!r}" + (f": {against}" if against else ""),
            where=screen.where())


def expect_symbol(screen: Screen, shown: bool) -> None:
    fgvh = screen.fgvh
    require(fgvh.symbol_shown is shown, check="FGVH symbol",
            expected="the FGVH symbol shown" if shown else "no FGVH symbol",
            received=f"symbol_shown={fgvh.symbol_shown} (state {fgvh.state!r})", where=screen.where())


def expect_never_not_opted_out(screen: Screen) -> None:
    """Safety rule: an unreadable or unavailable status must never look like 'wants resuscitation'."""
    fgvh = screen.fgvh
    against = contradiction(fgvh.state, fgvh.text)
    require(fgvh.state != "not_opted_out" and against is None,
            check="FGVH never shown as 'no opt-out' when the status is not known",
            expected="a state other than 'not_opted_out', in words that do not say 'no opt-out' either",
            received=f"{fgvh.state!r} with text {fgvh.text!r}" + (f": {against}" if against else ""),
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


def expect_listed(listed: Screen, expected: dict[str, str]) -> None:
    """FSK-CERT-FGVH-11: the citizen list shows each citizen's FGVH status as the record would (``expected``: CPR →
    state), the symbol for an opt-out and only for it, in words that do not say otherwise."""
    rows = listed.listed
    for cpr, state in expected.items():
        row = rows.get(cpr)
        fgvh = (row or {}).get("fgvh") or {}
        shown, symbol, text = str(fgvh.get("state", "")), bool(fgvh.get("symbol_shown")), str(fgvh.get("text", ""))
        against = contradiction(shown, text)
        require(row is not None and shown == state and symbol is (state == "opted_out") and against is None,
                check="FGVH on the citizen list",
                expected=f"{cpr} listed as {state!r} ({STATE_WORDS[state]}), "
                         + ("with the FGVH symbol" if state == "opted_out" else "without the FGVH symbol"),
                received="not on the list" if row is None else
                         f"{shown!r}, symbol_shown={symbol}, text {text!r}" + (f": {against}" if against else ""),
                where=listed.where())
