"""The harness settings file (`nspcert run --config FILE`): TOML with an `[nspcert]` and a `[vendor]` table.

    [nspcert]
    sut = "http://127.0.0.1:9000"      # reference | manual | URL of your driver adapter | python:MODULE:FACTORY
    nsp = "embedded"                   # embedded | docker | URL of a running mock NSP
    nsp_token = "…"                    # the mock's control-plane token when it is not on loopback
    slow_answer_ms = 8000              # "no answer in time": longer than your system's NSP timeout
    system_cvr = "12345678"            # a manual run: the CVR and organisation of your system's function
    system_organisation = "…"          #   certificate (from the mock's test CA)
    reference_defects = []             # seeded defects for the reference EOJ (harness self-tests)
    reference_variants = []            # allowed variants for the reference EOJ (docs/variants.md)

    [vendor]                           # MedCom's vendor table in certification.html (all optional)
    company = "Journal A/S"            # default: the vendor the SUT names in GET /sut/capabilities
    address = "Testvej 1, 2100 København Ø"
    contact = "Jens Hansen"
    phone = "+45 12 34 56 78"
    email = "certificering@journal.example"

Either table may be left out. Precedence for `[nspcert]`: a command-line option, then an environment
variable, then this file, then the default.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any

SCHEMA: dict[str, type | tuple[type, ...]] = {
    "sut": str, "nsp": str, "nsp_token": str, "slow_answer_ms": int, "reference_defects": list,
    "reference_variants": list,
    "system_cvr": str, "system_organisation": str,
}
VENDOR_KEYS = ("company", "address", "contact", "phone", "email")
TABLES = ("nspcert", "vendor")


class ConfigError(ValueError):
    """The settings file cannot be used; the message names the file, the key and what is allowed."""


def load_config(path: Path) -> dict[str, Any]:
    """The `[nspcert]` table (empty when the file has only `[vendor]`), after checking the whole file."""
    document = _read(path)
    table = document.get("nspcert", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [nspcert] must be a table")
    for key, value in table.items():
        _check(path, key, value)
    load_vendor(path, document)
    return table


def load_vendor(path: Path, document: dict[str, Any] | None = None) -> dict[str, str]:
    """The `[vendor]` table: company, address, contact, phone, email (strings; missing keys left out)."""
    table = (document if document is not None else _read(path)).get("vendor", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [vendor] must be a table with any of {', '.join(VENDOR_KEYS)}")
    for key, value in table.items():
        if key not in VENDOR_KEYS:
            raise ConfigError(f"{path}: unknown key [vendor].{key}{_hint(key, VENDOR_KEYS)}")
        if not isinstance(value, str):
            raise ConfigError(f"{path}: [vendor].{key} must be a string, not {type(value).__name__} ({value!r})")
    return {key: str(table[key]).strip() for key in VENDOR_KEYS if key in table}


def _read(path: Path) -> dict[str, Any]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as problem:
        raise ConfigError(f"{path}: cannot read it as TOML: {problem}") from problem
    unknown = [name for name in document if name not in TABLES]
    if unknown or not document:
        found = f"unknown table [{unknown[0]}]{_hint(unknown[0], TABLES)}; " if unknown else ""
        raise ConfigError(f"{path}: {found}expected a [nspcert] table with any of {', '.join(SCHEMA)}, "
                          f"and/or a [vendor] table with any of {', '.join(VENDOR_KEYS)}")
    return document


def _hint(key: str, known: tuple[str, ...] | dict[str, Any]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f'; did you mean "{close[0]}"?' if close else f"; known: {', '.join(known)}"


def _check(path: Path, key: str, value: Any) -> None:
    if key not in SCHEMA:
        raise ConfigError(f"{path}: unknown key [nspcert].{key}{_hint(key, SCHEMA)}")
    expected = SCHEMA[key]
    if not isinstance(value, expected) or isinstance(value, bool):
        raise ConfigError(f"{path}: [nspcert].{key} must be a {getattr(expected, '__name__', expected)}, "
                          f"not {type(value).__name__} ({value!r})")
