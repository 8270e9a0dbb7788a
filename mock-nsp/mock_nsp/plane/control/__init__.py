"""Mock NSP package."""

from __future__ import annotations
