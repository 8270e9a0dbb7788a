"""The only test module of the catalogue: every scenario under features/ (SPEC §2)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios(".")
