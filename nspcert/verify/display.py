"""Checks of what the employee sees of the citizen's stamkort (the screen model, SPEC §4)."""

from __future__ import annotations

import json
import re
from typing import Any

from nspcert.act.screen import Screen
from nspcert.arrange.people import Citizen
from nspcert.checks import require
from nspcert.driver.screen_model import REGISTRATION_KINDS


def _relatives(screen: Screen) -> list[dict[str, Any]]:
    return list(screen.part("relatives") or [])


def find_relative(screen: Screen, name: str) -> dict[str, Any] | None:
    return next((item for item in _relatives(screen) if item.get("name") == name), None)


def expect_relative(screen: Screen, name: str) -> dict[str, Any]:
    found = find_relative(screen, name)
    require(found is not None, check="relative shown", expected=f"the relative {name!r}",
            received=[item.get("name") for item in _relatives(screen)], where=screen.where())
    assert found is not None
    return found


def expect_identity(screen: Screen, citizen: Citizen) -> None:
    shown = screen.part("citizen") or {}
    address = json.dumps(shown.get("address"), ensure_ascii=False) + str(shown.get("address_text"))
    require(screen.part("cpr") == citizen.cpr and citizen.family in str(shown.get("name"))
            and citizen.address["lines"][0] in address,
            check="citizen identity shown", expected=f"{citizen.cpr}, {citizen.name}, {citizen.address['lines'][0]}",
            received=f"{screen.part('cpr')}, {shown.get('name')}, {address}", where=screen.where())


def expect_gp(screen: Screen, name: str, yder_number: str) -> None:
    shown = screen.part("gp") or {}
    require(shown.get("name") == name and shown.get("yder_number") == yder_number, check="the citizen's GP shown",
            expected=f"{name} (ydernummer {yder_number})", received=shown or "no GP", where=screen.where())


def expect_maximal(screen: Screen, citizen: Citizen | None = None) -> None:
    """FSK-CERT-DSP-02: every item of a maximal stamkort is shown; with the ``citizen`` as the registers hold them,
    the dentist's clinic and name too."""
    part = screen.part
    present = {
        "GP": part("gp"), "coverage group": part("coverage_group"), "language": part("language"),
        "temporary address": part("temporary_address"), "dentist": part("dentist"),
        "contact phones": part("contact_phones"), "relatives": part("relatives"), "custody": part("custody"),
    }
    missing = [name for name, value in present.items() if not value]
    registrations = part("registrations") or {}
    missing += [name for name in REGISTRATION_KINDS
                if (registrations.get(name) or {}).get("registered") not in (True, False)]
    require(not missing, check="every item of a maximal stamkort shown", expected="all items",
            received=f"missing: {', '.join(missing) or 'none'}", where=screen.where())
    dentist = ((citizen.register.get("typed_in") or {}).get("dentist") or {}) if citizen else {}
    if dentist:
        expect_dentist(screen, dentist)


def _dentist_words(dentist: dict[str, Any]) -> list[str]:
    """What the employee must read of the dentist FSK holds: the clinic, and the dentist's own given and family
    names when FSK names a person (the register's typed-in dentist: ``clinic``, ``person``)."""
    person = dentist.get("person") or {}
    words = [str(dentist.get("clinic") or ""), *[str(g) for g in person.get("given") or []],
             str(person.get("family") or "")]
    return [w for w in words if w.strip()]


def _folded(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


def expect_dentist(screen: Screen, dentist: dict[str, Any]) -> None:
    """FSK-CERT-DSP-02: the dentist is shown with the clinic and the dentist's name as FSK holds them, in whichever
    of the screen's dentist fields (``name``, ``clinic``) the system puts them (case and spacing aside)."""
    shown = screen.part("dentist") or {}
    text = _folded(f"{shown.get('name') or ''} {shown.get('clinic') or ''}")
    missing = [word for word in _dentist_words(dentist) if _folded(word) not in text]
    require(not missing, check="the dentist shown with clinic and name",
            expected=f"the dentist as FSK holds it: {', '.join(_dentist_words(dentist))}",
            received=(f"name {shown.get('name')!r}, clinic {shown.get('clinic')!r}; not shown: {', '.join(missing)}"
                      if shown else "no dentist"), where=screen.where())


def expect_protected(screen: Screen, citizen: Citizen, marker: str) -> None:
    shown = screen.part("citizen") or {}
    require(bool(shown.get("protected")) and marker in str(shown.get("name")),
            check="protected name/address", expected=f"protected, shown as {marker!r}",
            received=f"protected={shown.get('protected')}, name {shown.get('name')!r}", where=screen.where())


#: how FSK codes a protected name and address (MedCom's protection example): never the words the employee reads
_PROTECTION_CODES = re.compile(r"(?<![A-Za-zÆØÅæøå])(ConfAddr|NI|nullFlavor)(?![A-Za-zÆØÅæøå])")


def expect_protected_in_words(screen: Screen, marker: str) -> None:
    """FSK-CERT-DSP-14: the protected address is shown as the marker's words, never as FSK codes it (the II
    ``ConfAddr``, the parts' ``nullFlavor="NI"``)."""
    shown = screen.part("citizen") or {}
    address = " ".join(str(part) for part in (shown.get("address_text"), json.dumps(shown.get("address"),
                                                                                       ensure_ascii=False)))
    codes = sorted({m.group(1) for m in _PROTECTION_CODES.finditer(f"{shown.get('name')} {address}")})
    require(marker in address and not codes, check="protected address shown in words",
            expected=f"the address shown as {marker!r}, no FSK code (ConfAddr, NI)",
            received=f"address {shown.get('address_text')!r} ({shown.get('address')}); codes shown: {codes or 'none'}",
            where=screen.where())


def _in_words(shown: str, code: str, display: str) -> bool:
    """A relation in words: the display name or the system's own words, not the code (unless the code is the
    word itself, as ``mor``/"Mor")."""
    text = shown.strip()
    if not text:
        return False
    if code.casefold() == display.casefold():
        return True
    return re.search(rf"(?<![\w]){re.escape(code)}(?![\w])", text, re.IGNORECASE) is None


def expect_relations_in_words(screen: Screen, relatives: dict[str, tuple[str, str]],
                              children: dict[str, tuple[str, str]]) -> None:
    """FSK-CERT-DSP-15: each relative's and child's relation (by name: (code, display)) is shown in words."""
    shown = {item.get("name"): str(item.get("relation") or "") for item in _relatives(screen)}
    shown_children = {item.get("name"): str(item.get("relation") or "") for item in screen.part("custody") or []}
    wrong = [f"{name}: {shown.get(name)!r} for {code}" for name, (code, display) in relatives.items()
             if not _in_words(shown.get(name, ""), code, display)]
    wrong += [f"{name}: {shown_children.get(name)!r} for {code}" for name, (code, display) in children.items()
              if not _in_words(shown_children.get(name, ""), code, display)]
    expected = {name: display for name, (_, display) in {**relatives, **children}.items()}
    require(not wrong, check="relations shown by their name",
            expected=f"each relation by its name or in the system's own words, never its code: {expected}",
            received=f"not in words: {'; '.join(wrong)}", where=screen.where())


def expect_nothing_leaked(screen: Screen, *secrets: str) -> None:
    text = json.dumps(screen.whole(), ensure_ascii=False)
    leaked = [secret for secret in secrets if secret and secret in text]
    searched = ", ".join(repr(secret) for secret in secrets if secret)
    require(not leaked, check="nothing protected or masked shown", expected=f"none of {searched} on screen",
            received=f"shown: {', '.join(map(repr, leaked))}" if leaked else f"none of {searched} anywhere on the screen",
            where=screen.where())


def expect_entered_by(screen: Screen, name: str, kind: str, organisation: str | None = None) -> None:
    relative = expect_relative(screen, name)
    who = (relative.get("provenance") or {}).get("entered_by") or {}
    require(who.get("kind") == kind and (organisation is None or who.get("organisation") == organisation),
            check=f"who entered {name}", expected=f"{kind}" + (f" of {organisation}" if organisation else ""),
            received=f"{who.get('kind')} of {who.get('organisation')}", where=screen.where())


def expect_note(screen: Screen, name: str, note: str) -> None:
    relative = expect_relative(screen, name)
    require(relative.get("note") == note, check="relative's note shown exactly", expected=repr(note),
            received=repr(relative.get("note")), where=screen.where())


def _names_the_relation(shown: str, code: str, display: str) -> bool:
    """The relation shown is this one: its display name (any case); a code whose display name is another word
    (``uspec_paaroerende``) may also be shown in the system's own words, but never as the code."""
    if shown.strip().casefold() == display.casefold():
        return True
    return code.casefold() != display.casefold() and _in_words(shown, code, display)


def expect_relations(screen: Screen, relations: dict[str, tuple[str, str]]) -> None:
    """Each relative (by name) with their relation (``relations``: name → (code, display name))."""
    shown = {item.get("name"): item.get("relation") for item in _relatives(screen)}
    require(all(_names_the_relation(str(shown.get(name) or ""), code, display)
                for name, (code, display) in relations.items()),
            check="relatives with relation", expected={name: display for name, (_, display) in relations.items()},
            received=shown, where=screen.where())


def expect_phones(screen: Screen, phones: dict[str, str]) -> None:
    shown = {phone.get("value"): phone.get("use") for item in _relatives(screen) for phone in item.get("phones", [])}
    shown |= {phone.get("value"): phone.get("use") for phone in screen.part("contact_phones") or []}
    require(all(shown.get(number) == use for number, use in phones.items()), check="phones with their use",
            expected=phones, received=shown, where=screen.where())


def expect_temporary_address(screen: Screen, start: str, end: str | None) -> None:
    shown = screen.part("temporary_address") or {}
    require(shown.get("from") == start and shown.get("to") == end, check="temporary address period",
            expected=f"from {start} to {end or '(open)'}", received=f"from {shown.get('from')} to {shown.get('to')}",
            where=screen.where())


def expect_custody(screen: Screen, children: list[Citizen], relation: str) -> None:
    """Each child in the citizen's custody with name, CPR and the relation FSK names (the requirement names all
    three): the relation as FSK's code or its display name, never another relation."""
    shown = {(item.get("cpr"), item.get("name"), str(item.get("relation") or "").casefold())
             for item in screen.part("custody") or []}
    expected = {(child.cpr, child.name, relation.casefold()) for child in children}
    require(expected <= shown, check="children in custody", expected=sorted(expected), received=sorted(shown),
            where=screen.where())


def expect_no_custody(screen: Screen) -> None:
    shown = [item.get("name") for item in screen.part("custody") or []]
    require(not shown, check="no custody on the child's own record", expected="no one in the child's custody",
            received=shown or "none", where=screen.where())


def expect_registration(screen: Screen, name: str, registered: bool) -> None:
    shown = (screen.part("registrations") or {}).get(name) or {}
    require(shown.get("registered") is registered, check=f"{name.replace('_', ' ')} registration",
            expected="registered" if registered else "not registered", received=shown, where=screen.where())


def expect_entered_at(screen: Screen, name: str, local: str) -> None:
    """``local`` is 'YYYY-MM-DD HH:MM' in Danish time; the screen gives ISO-8601 in Danish local time."""
    provenance = expect_relative(screen, name).get("provenance") or {}
    shown = str(provenance.get("entered_at") or "")
    require(shown.replace("T", " ").startswith(local), check="time shown in Danish local time",
            expected=f"{local} (Europe/Copenhagen)", received=shown or "no time", where=screen.where())


def expect_marked_as_fsk(screen: Screen) -> None:
    part = screen.part
    items = [("citizen", part("citizen")), ("coverage group", part("coverage_group")),
             ("language", part("language")), ("temporary address", part("temporary_address"))]
    items += [(f"relative {item.get('name')}", item) for item in _relatives(screen)]
    unmarked = [name for name, item in items
                if item and not ((item.get("provenance") or {}).get("from_fsk")
                                 and (item.get("provenance") or {}).get("source"))]
    require(not unmarked, check="FSK data marked as FSK data with source", expected="every FSK item marked",
            received=f"not marked: {', '.join(unmarked) or 'none'}", where=screen.where())


#: the message levels that flag something to the employee (an "info" does not)
FLAG_LEVELS = ("warning", "error")


def expect_unknown_version_flagged(screen: Screen, version: str) -> None:
    """FSK-CERT-VER-01: the employee is told that the stamkort is of a version the system does not know: a warning
    or error that speaks of the version (names ``version``, the one the document's header names, or says
    "version" or "udgave"). Any other message does not do: a general "FSK could not be read" leaves the employee thinking
    FSK is down, not that the document is of a version the system cannot judge."""
    told = [m for m in screen.messages if m.get("level") in FLAG_LEVELS and _speaks_of_version(m.get("text"), version)]
    require(bool(told), check="stamkort of an unknown version flagged to the employee",
            expected=f"a warning or error telling the employee that the stamkort is of a version ({version}) the "
                     "system does not know",
            received=f"messages {screen.messages}" if screen.messages else "no message", where=screen.where())


def _speaks_of_version(text: object, version: str) -> bool:
    words = str(text or "")
    named = re.search(rf"(?<![0-9.]){re.escape(version)}(?![0-9])", words) is not None
    return named or re.search(r"version|udgave", words, re.IGNORECASE) is not None
