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
