"""nspcert: the FSK 3.0 test and certification harness (SPEC §1)."""

from __future__ import annotations

from importlib.metadata import version

#: the installed distribution's version (pyproject.toml is its one source)
__version__ = version("nspcert")
