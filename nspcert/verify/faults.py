"""Checks of what the employee is told when the platform fails."""

from __future__ import annotations

from nspcert.checks import require
from nspcert.screen import Screen


def expect_told_fsk_unreadable(screen: Screen) -> None:
    errors = [message for message in screen.messages if message.get("level") in ("error", "warning")]
    require(bool(errors) and screen.model.get("fsk", {}).get("read") is False,
            check="employee told that FSK could not be read",
            expected="an error or warning message, and FSK marked as not read",
            received=f"messages {screen.messages}, fsk {screen.model.get('fsk')}", where=screen.where())


def expect_fsk_read(screen: Screen) -> None:
    errors = [message for message in screen.messages if message.get("level") == "error"]
    require(not errors and screen.model.get("fsk", {}).get("read") is True,
            check="FSK read and shown without error", expected="FSK read, no error message",
            received=f"messages {screen.messages}, fsk {screen.model.get('fsk')}", where=screen.where())


#: words of a blocking (spærring) or consent override of FSK, removed from FSK 3.0 on 1 December 2024
BLOCKING_WORDS = ("spær", "samtykke", "consent", "block")


def expect_no_blocking_asked(screen: Screen) -> None:
    """FSK is shown on opening, without the employee being asked to lift a blocking or to give consent."""
    asked = [message for message in screen.messages
             if any(word in str(message.get("text", "")).lower() for word in BLOCKING_WORDS)]
    require(screen.model.get("fsk", {}).get("read") is True and not asked,
            check="FSK shown without a blocking or consent step", expected="FSK read, no blocking or consent message",
            received=f"fsk {screen.model.get('fsk')}, messages {asked or screen.messages}", where=screen.where())
