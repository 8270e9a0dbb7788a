"""Clients of the NSP services the reference EOJ uses (SOAP 1.1, DGWS 1.0.1)."""

from __future__ import annotations
