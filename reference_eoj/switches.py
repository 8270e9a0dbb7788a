"""Named switches of the reference EOJ: seeded defects (``defects.py``) and allowed variants (``variants.py``).

Both are switched the same way: a command-line flag (``--defects a,b`` / ``--variants a,b``) merged with an
environment variable (``REFERENCE_EOJ_DEFECTS`` / ``REFERENCE_EOJ_VARIANTS``); an unknown name is refused, so a
typo never silently tests nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import ClassVar, Generic, Self, TypeVar

E = TypeVar("E", bound=StrEnum)


class Switches(Generic[E]):
    """The set of switched-on members of ``names``; ``X in switches`` asks whether one is on."""

    names_of: ClassVar[type[StrEnum]]
    kind: ClassVar[str]
    env_var: ClassVar[str]

    def __init__(self, on: Iterable[E] = ()) -> None:
        self._on: frozenset[E] = frozenset(on)

    def __contains__(self, item: object) -> bool:
        return item in self._on

    def __iter__(self) -> Iterator[E]:
        return iter(sorted(self._on))

    def __bool__(self) -> bool:
        return bool(self._on)

    def names(self) -> list[str]:
        return sorted(item.value for item in self._on)

    @classmethod
    def parse(cls, text: str | None) -> Self:
        """Parse ``name,name``; an unknown name is an error (a typo must not silently test nothing)."""
        names = [n.strip() for n in (text or "").split(",") if n.strip()]
        known = cls.names_of._value2member_map_
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValueError(f"unknown {cls.kind}(s) {', '.join(unknown)}; "
                             f"known: {', '.join(m.value for m in cls.names_of)}")
        return cls([known[n] for n in names])  # type: ignore[misc]

    @classmethod
    def from_sources(cls, flag: str | None, environ: dict[str, str] | None = None) -> Self:
        env = (environ if environ is not None else dict(os.environ)).get(cls.env_var, "")
        return cls.parse(",".join(p for p in (flag, env) if p))
