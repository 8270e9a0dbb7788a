"""JSON Schema validation of control-plane input; errors name the failing JSON pointer."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match

_FORMATS = FormatChecker()
#: what the registers may hold: a living citizen's birth, a registration, a typed-in item's time. Outside these
#: years a value is a typing error, and converting it to Danish time or HL7 TS could overflow.
MIN_YEAR, MAX_YEAR = 1800, 2200
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: RFC 3339 / xs:dateTime shape (seconds and offset optional: a naive time is read as Danish time), not the many
#: other forms `datetime.fromisoformat` accepts (week dates, basic format, a space for the T)
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?")


def _in_years(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {MIN_YEAR}..{MAX_YEAR}")


@_FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if isinstance(value, str):
        if not _DATE_TIME.fullmatch(value):
            raise ValueError(f"{value!r} is not an ISO-8601 date-time (YYYY-MM-DDThh:mm:ss±hh:mm)")
        _in_years(datetime.fromisoformat(value.replace("Z", "+00:00")).year)
    return True


@_FORMATS.checks("date", raises=ValueError)
def _date(value: object) -> bool:
    if isinstance(value, str):
        if not _DATE.fullmatch(value):
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")
        _in_years(date.fromisoformat(value).year)
    return True


def is_date(value: str) -> bool:
    """A real day written YYYY-MM-DD (any year: for query filters)."""
    return _DATE.fullmatch(value) is not None and _parses(date.fromisoformat, value)


def is_date_time(value: str) -> bool:
    """A real instant in the shape the schemas accept (any year: for query filters)."""
    return _DATE_TIME.fullmatch(value) is not None and _parses(datetime.fromisoformat, value.replace("Z", "+00:00"))


def _parses(parse: Callable[[str], object], value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


class InvalidInput(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


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
        raise InvalidInput(pointer, f"{error.message} ({error.cause})" if error.cause else error.message)
