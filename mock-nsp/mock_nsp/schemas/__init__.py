"""Package data."""

from __future__ import annotations
