"""Checks of what the employee is told when the platform fails."""

from __future__ import annotations

import re
from datetime import datetime

from nspcert.act.screen import Screen
from nspcert.checks import require

#: how a message speaks of the stamkort ("stamkort", or FSK as a word of its own): a message that says only "HTTP
#: 503", "SFSK kunne ikke kontaktes" or "STS refused the call" does not tell the employee that the citizen's Fælles
#: Stamkort is missing
STAMKORT_WORDS = re.compile(r"stamkort|(?<![a-zæøå])fsk(?![a-zæøå])", re.IGNORECASE)


def speaks_of_stamkort(text: object) -> bool:
    return STAMKORT_WORDS.search(str(text or "")) is not None


def expect_told_fsk_unreadable(screen: Screen) -> None:
    """FSK marked as not read, and an error or warning telling the employee that the stamkort could not be read
    (the message is read as the employee reads it: it must speak of the stamkort)."""
    told = [m for m in screen.messages if m.get("level") in ("error", "warning") and speaks_of_stamkort(m.get("text"))]
    require(bool(told) and screen.part("fsk", {}).get("read") is False,
            check="employee told that FSK could not be read",
            expected="an error or warning saying that Fælles Stamkort could not be read, and FSK marked as not read",
            received=f"messages {screen.messages}, fsk {screen.part('fsk')}", where=screen.where())


def expect_fsk_read(screen: Screen) -> None:
    errors = [message for message in screen.messages if message.get("level") == "error"]
    require(not errors and screen.part("fsk", {}).get("read") is True,
            check="FSK read and shown without error", expected="FSK read, no error message",
            received=f"messages {screen.messages}, fsk {screen.part('fsk')}", where=screen.where())


#: words of a blocking (spærring) or consent override of FSK, removed from FSK 3.0 on 1 December 2024
BLOCKING_WORDS = ("spær", "samtykke", "consent", "block")


def expect_no_blocking_asked(screen: Screen) -> None:
    """FSK is shown on opening, without the employee being asked to lift a blocking or to give consent."""
    asked = [message for message in screen.messages
             if any(word in str(message.get("text", "")).lower() for word in BLOCKING_WORDS)]
    require(screen.part("fsk", {}).get("read") is True and not asked,
            check="FSK shown without a blocking or consent step", expected="FSK read, no blocking or consent message",
            received=f"fsk {screen.part('fsk')}, messages {asked or screen.messages}", where=screen.where())


#: words by which a message names the function certificate as the cause
CERTIFICATE_WORDS = ("certifikat", "certificate", "foces", "oces")


def expect_told_certificate_refused(screen: Screen) -> None:
    """FSK-SIT-ERR-05: the STS refused the system's function certificate (expired, revoked): the employee is told FSK
    could not be read *because of the certificate*, so someone renews it, not that FSK is down."""
    told = [m for m in screen.messages if m.get("level") in ("error", "warning")
            and any(word in str(m.get("text", "")).casefold() for word in CERTIFICATE_WORDS)]
    require(bool(told) and screen.part("fsk", {}).get("read") is False,
            check="employee told that the system's certificate was refused",
            expected="FSK marked as not read, and an error or warning naming the system's (function) certificate as the "
                     "cause",
            received=f"messages {screen.messages}, fsk {screen.part('fsk')}", where=screen.where())


def expect_told_no_stamkort(screen: Screen) -> None:
    """FSK-CERT-FGVH-07/-08: FSK holds no stamkort for the citizen: the employee is told so (a warning or error that
    speaks of the stamkort), and no stamkort is shown as read."""
    told = [m for m in screen.messages if m.get("level") in ("error", "warning") and speaks_of_stamkort(m.get("text"))]
    require(bool(told) and screen.part("fsk", {}).get("read") is not True,
            check="employee told that there is no stamkort to show",
            expected="a warning or error about the citizen's Fælles Stamkort, and no stamkort shown as read",
            received=f"messages {screen.messages}, fsk {screen.part('fsk')}", where=screen.where())


def expect_not_shown_as_current(screen: Screen) -> None:
    """FSK-CERT-FGVH-10: after FSK was lost, a stamkort the system read earlier may be shown only marked as not read
    now (``fsk.read`` false, an earlier ``retrieved_at``), never as the current one."""
    fsk = screen.part("fsk") or {}
    retrieved, opened = _instant(fsk.get("retrieved_at")), _instant(screen.part("opened_at"))
    current = fsk.get("read") is True or (retrieved is not None and opened is not None and retrieved >= opened)
    require(not current, check="stamkort read earlier not shown as the current one",
            expected="FSK not shown as read now (an earlier stamkort only marked with when it was read)",
            received=f"fsk {fsk}, opened at {opened}", where=screen.where())


def _instant(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
