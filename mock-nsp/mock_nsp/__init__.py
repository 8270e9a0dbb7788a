"""The mock NSP: the Danish National Service Platform's FSK 3.0 services, for tests (SPEC §3)."""

from __future__ import annotations

from importlib.metadata import version

#: the installed distribution's version (mock-nsp/pyproject.toml is its one source)
__version__ = version("nspcert-mock")
