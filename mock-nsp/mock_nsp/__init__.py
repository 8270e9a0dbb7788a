"""The mock NSP: the Danish National Service Platform's FSK 3.0 services, for tests (SPEC §3)."""

from __future__ import annotations

__version__ = "0.1.0"
