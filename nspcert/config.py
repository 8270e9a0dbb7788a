"""The harness settings file (`nspcert run --config FILE`): TOML with one `[nspcert]` table.

    [nspcert]
    sut = "http://127.0.0.1:9000"      # reference | manual | URL of your driver adapter | python:MODULE:FACTORY
    nsp = "embedded"                   # embedded | docker | URL of a running mock NSP
    nsp_token = "…"                    # the mock's control-plane token when it is not on loopback
    slow_answer_ms = 8000              # "no answer in time": longer than your system's NSP timeout
    reference_defects = []             # seeded defects for the reference EOJ (harness self-tests)

Precedence: a command-line option, then an environment variable, then this file, then the default.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any

SCHEMA: dict[str, type | tuple[type, ...]] = {
    "sut": str, "nsp": str, "nsp_token": str, "slow_answer_ms": int, "reference_defects": list,
}


class ConfigError(ValueError):
    """The settings file cannot be used; the message names the file, the key and what is allowed."""


def load_config(path: Path) -> dict[str, Any]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as problem:
        raise ConfigError(f"{path}: cannot read it as TOML: {problem}") from problem
    table = document.get("nspcert")
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: expected a [nspcert] table with any of {', '.join(SCHEMA)}")
    for key, value in table.items():
        _check(path, key, value)
    return table


def _check(path: Path, key: str, value: Any) -> None:
    if key not in SCHEMA:
        hint = difflib.get_close_matches(key, SCHEMA, n=1)
        raise ConfigError(f"{path}: unknown key [nspcert].{key}" + (f'; did you mean "{hint[0]}"?' if hint else
                                                                     f"; known keys: {', '.join(SCHEMA)}"))
    expected = SCHEMA[key]
    if not isinstance(value, expected) or isinstance(value, bool):
        raise ConfigError(f"{path}: [nspcert].{key} must be a {getattr(expected, '__name__', expected)}, "
                          f"not {type(value).__name__} ({value!r})")
