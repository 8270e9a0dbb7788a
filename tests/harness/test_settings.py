"""One precedence for every setting (nspcert.settings): an option given > the environment > the settings file >
the default — one table, the same resolve() the CLI, preflight and the catalogue's fixture use."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from nspcert.config import SCHEMA
from nspcert.settings import SETTINGS, HarnessSettings, resolve

# field, option (dest → value), environment, file, expected
PRECEDENCE: list[tuple[str, dict[str, Any], dict[str, str], dict[str, Any], Any]] = [
    ("sut", {}, {}, {}, "reference"),
    ("sut", {}, {}, {"sut": "manual"}, "manual"),
    ("sut", {}, {"NSPCERT_SUT": "http://env"}, {"sut": "manual"}, "http://env"),
    ("sut", {"nspcert_sut": "http://opt"}, {"NSPCERT_SUT": "http://env"}, {"sut": "manual"}, "http://opt"),
    ("sut", {"nspcert_sut": "reference"}, {"NSPCERT_SUT": "http://env"}, {}, "http://env"),  # the default: not given
    ("nsp", {"nspcert_nsp": "embedded"}, {}, {"nsp": "docker"}, "docker"),
    ("nsp", {"nspcert_nsp": "http://opt"}, {"NSPCERT_NSP": "docker"}, {}, "http://opt"),
    ("defects", {}, {}, {"reference_defects": ["a", "b"]}, ("a", "b")),
    ("defects", {"nspcert_reference_defects": ""}, {"REFERENCE_EOJ_DEFECTS": "c, d"}, {}, ("c", "d")),
    ("defects", {"nspcert_reference_defects": "e"}, {"REFERENCE_EOJ_DEFECTS": "c"}, {}, ("e",)),
    ("variants", {}, {"REFERENCE_EOJ_VARIANTS": "x"}, {"reference_variants": ["y"]}, ("x",)),
    ("nsp_token", {}, {}, {}, None),
    ("nsp_token", {}, {"NSPCERT_NSP_TOKEN": "t1"}, {"nsp_token": "t2"}, "t1"),
    ("slow_answer_ms", {}, {}, {}, 3000),
    ("slow_answer_ms", {}, {}, {"slow_answer_ms": 8000}, 8000),
    ("slow_answer_ms", {}, {"NSPCERT_SLOW_ANSWER_MS": "9000"}, {"slow_answer_ms": 8000}, 9000),
    ("nsp_port", {"nspcert_nsp_port": None}, {}, {}, None),
    ("nsp_port", {"nspcert_nsp_port": 8443}, {}, {}, 8443),
    ("ui", {"nspcert_ui": True}, {}, {}, True),
    ("system_cvr", {}, {"NSPCERT_SYSTEM_CVR": "87654321"}, {"system_cvr": "11111111"}, "87654321"),
    ("system_organisation", {}, {}, {"system_organisation": "Region Test"}, "Region Test"),
]


@pytest.mark.parametrize(("field", "options", "environ", "file", "expected"), PRECEDENCE)
def test_each_setting_takes_the_first_source_that_has_it(field: str, options: dict[str, Any],
                                                         environ: dict[str, str], file: dict[str, Any],
                                                         expected: Any) -> None:
    assert getattr(resolve(options, file, Path("logs"), environ), field) == expected


def test_every_setting_is_in_the_table_once_and_the_file_keys_follow_from_it() -> None:
    names = [s.field for s in SETTINGS]
    assert len(names) == len(set(names))
    assert set(names) | {"log_dir"} == {f.name for f in fields(HarnessSettings)}
    assert set(SCHEMA) == {s.key for s in SETTINGS if s.key}
    assert all(s.env or s.option or s.key for s in SETTINGS)


def test_a_number_that_is_not_one_is_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        resolve({}, {}, Path("logs"), {"NSPCERT_SLOW_ANSWER_MS": "soon"})
