"""A screen model as data: what a driver's ``view`` returns (SPEC §4, ``screen-model.schema.json``).

A program's driver (HTTP, Python) returns plain JSON data. A person's driver (``nspcert.driver.manual_screen``)
returns a :class:`~collections.abc.Mapping` whose parts are asked of the tester the first time something reads
them, so a record that only needs its FGVH read is not forty questions long. Such a model is
:class:`PartlyAnswered`: it says what is answered so far without asking more.

:func:`answered_so_far` is the part of any model already known (evidence records it without asking); :func:`plain`
is all of it as plain JSON data (asking whatever is still pending).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

#: the registrations a screen model shows (``registrations``), each registered, not registered or not shown
REGISTRATION_KINDS = ("organ_donor", "treatment_will", "living_will")
#: what a part not asked yet counts as when a partly answered screen model is validated: schema-valid and empty
NOT_ASKED: dict[str, Any] = {
    "gp": None, "coverage_group": None, "language": None, "temporary_address": None, "dentist": None,
    "registrations": {k: {"registered": None, "text": "not asked"} for k in REGISTRATION_KINDS},
    "contact_phones": [], "relatives": [], "custody": [],
}


@runtime_checkable
class PartlyAnswered(Protocol):
    """A screen model (or a part of one) some of whose parts are only asked when read."""

    def answered(self) -> dict[str, Any]:
        """What is known so far, nested parts included, as plain data; asks nothing."""
        ...

    def pending(self) -> list[str]:
        """The parts not asked yet."""
        ...

    def watch(self, check: Callable[[PartlyAnswered], None]) -> None:
        """Call ``check`` with the model after each part is answered (the contract's validation)."""
        ...


def answered_so_far(model: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of ``model`` already known, as plain data, without asking for more."""
    if isinstance(model, PartlyAnswered):
        return model.answered()
    return dict(model)


def plain_model(model: Mapping[str, Any]) -> dict[str, Any]:
    """``model`` as plain JSON data: every part of a partly answered model is asked."""
    return {str(key): plain(item) for key, item in model.items()}


def plain(value: Any) -> Any:
    """``value`` as plain JSON data (dicts, lists, scalars): every part of a partly answered model is asked."""
    if isinstance(value, Mapping):
        return plain_model(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value
