"""The driver contract's schemas, the errors a breach of them is, and the strict reader of JSON answers.

``screen-model.schema.json``, ``answers.schema.json`` and ``openapi.yaml`` ship beside this module. A breach is a
:class:`DriverError` (a harness *error*, never a vendor *fail*) naming what was invalid and where. The typed answers of
:mod:`nspcert.driver.contract` read JSON through :class:`JsonReader`, so a typed answer is a faithful image of it.
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import jsonschema

from nspcert.driver.screen_model import NOT_ASKED, PartlyAnswered

T = TypeVar("T")


class DriverError(RuntimeError):
    """The driver or the SUT adapter broke the contract (a harness *error*, never a vendor *fail*)."""


class ScreenModelInvalid(DriverError):
    """The screen model does not match ``screen-model.schema.json``."""


class AnswerInvalid(DriverError):
    """Another answer (capabilities, change result, flush result, citizen view) breaks ``answers.schema.json``."""



@cache
def screen_model_schema() -> dict[str, Any]:
    """The JSON Schema of the screen model, as shipped in the package."""
    text = resources.files("nspcert.driver").joinpath("screen-model.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def openapi_text() -> str:
    """The OpenAPI description of the HTTP driver contract, as shipped in the package."""
    return resources.files("nspcert.driver").joinpath("openapi.yaml").read_text("utf-8")


@cache
def answers_schema() -> dict[str, Any]:
    """The JSON Schemas (``$defs``) of the other answers: Capabilities, ChangeResult, FlushResult, CitizenView."""
    text = resources.files("nspcert.driver").joinpath("answers.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_screen_model(screen: Any) -> Mapping[str, Any]:
    """Return ``screen`` if it matches the schema, else raise :class:`ScreenModelInvalid` naming the path.

    A screen model asked part by part (:class:`~nspcert.driver.screen_model.PartlyAnswered`, a person's) is judged
    on what is answered so far, a part not asked yet counting as empty (``NOT_ASKED``), and again after each answer.
    """
    if isinstance(screen, Mapping) and isinstance(screen, PartlyAnswered):
        _validate_answered(screen)
        screen.watch(_validate_answered)
        return screen
    _raise_first_error(jsonschema.Draft202012Validator(screen_model_schema()), screen, "screen model",
                       ScreenModelInvalid)
    assert isinstance(screen, dict)
    return screen


def _validate_answered(screen: PartlyAnswered) -> None:
    validate_screen_model({**NOT_ASKED, **screen.answered()})


def validate_answer(kind: str, answer: Any) -> dict[str, Any]:
    """Return ``answer`` if it matches ``answers.schema.json#/$defs/<kind>``, else raise :class:`AnswerInvalid`."""
    schema = {**answers_schema(), "$ref": f"#/$defs/{kind}"}
    _raise_first_error(jsonschema.Draft202012Validator(schema), answer, kind, AnswerInvalid)
    assert isinstance(answer, dict)
    return answer


def _raise_first_error(validator: jsonschema.Draft202012Validator, instance: Any, what: str,
                       error_type: type[DriverError]) -> None:
    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        path = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise error_type(f"{what} invalid at {path}: {error.message}")


@dataclass(frozen=True)
class JsonReader:
    """Reads one object of a JSON answer strictly into a typed answer: the fields the contract names (others are left out),
    each of its JSON type, nothing converted; a breach is :class:`AnswerInvalid` naming the answer and the field's
    path, worded as the schema validation words it. What the types cannot say (a capability's name, a count's
    minimum) is judged on the typed answer's ``to_json()`` by :class:`nspcert.driver.validating.ValidatingDriver`."""

    answer: str
    at: str = ""

    def within(self, name: str) -> JsonReader:
        return JsonReader(self.answer, self._path(name))

    def fields(self, data: object, required: tuple[str, ...]) -> dict[str, Any]:
        """``data`` as an object with the ``required`` fields. A field the contract does not name is left out of
        the typed answer, not refused: a later minor version may add optional fields (semantic versioning), and an
        adapter that already sends them is still a 1.x adapter."""
        if not isinstance(data, dict):
            raise self._invalid(self.at, f"{reprlib.repr(data)} is not of type 'object'")
        for name in required:
            if name not in data:
                raise self._invalid(self.at, f"{name!r} is a required property")
        return data

    def string(self, data: dict[str, Any], name: str) -> str:
        return self._typed(data[name], self._path(name), str, "'string'")

    def string_or_null(self, data: dict[str, Any], name: str) -> str | None:
        value = data.get(name)
        return None if value is None else self._typed(value, self._path(name), str, "['string', 'null']")

    def boolean(self, data: dict[str, Any], name: str) -> bool:
        return self._typed(data[name], self._path(name), bool, "'boolean'")

    def integer(self, data: dict[str, Any], name: str, default: int | None = None) -> int:
        if default is not None and name not in data:
            return default
        value = data[name]
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON has one number type: 1.0 is the integer 1 (as JSON Schema's "integer" says)
        return self._typed(value, self._path(name), int, "'integer'")

    def unique_strings(self, data: dict[str, Any], name: str) -> frozenset[str]:
        items = self._typed(data[name], self._path(name), list, "'array'")
        for index, item in enumerate(items):
            path = f"{self._path(name)}/{index}"
            self._typed(item, path, str, "'string'")
            if item in items[:index]:
                raise self._invalid(path, f"{item!r} is given twice (the items must be unique)")
        return frozenset(items)

    def _typed(self, value: object, path: str, expected: type[T], json_type: str) -> T:
        if isinstance(value, expected) and (expected is bool or not isinstance(value, bool)):
            return value
        raise self._invalid(path, f"{reprlib.repr(value)} is not of type {json_type}")

    def _path(self, name: str) -> str:
        return f"{self.at}/{name}" if self.at else name

    def _invalid(self, path: str, message: str) -> AnswerInvalid:
        return AnswerInvalid(f"{self.answer} invalid at {path or '(root)'}: {message}")
