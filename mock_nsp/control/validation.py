"""JSON Schema validation of control-plane input; errors name the failing JSON pointer."""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match

_FORMATS = FormatChecker()


@_FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if isinstance(value, str):
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@_FORMATS.checks("date", raises=ValueError)
def _date(value: object) -> bool:
    if isinstance(value, str):
        date.fromisoformat(value)
    return True


class InvalidInput(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    def to_json(self) -> dict[str, str]:
        return {"error": "invalid input", "path": self.path, "message": self.message}


@cache
def validator(name: str) -> Draft202012Validator:
    text = resources.files("mock_nsp.schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    return Draft202012Validator(json.loads(text), format_checker=_FORMATS)


def schema(name: str) -> dict[str, Any]:
    schema_doc = validator(name).schema
    assert isinstance(schema_doc, dict)
    return schema_doc


def validate(name: str, data: object) -> None:
    error = best_match(validator(name).iter_errors(data))
    if error is not None:
        pointer = "/" + "/".join(str(p) for p in error.absolute_path)
        raise InvalidInput(pointer, error.message)
