"""The harness's own tests: where the real NSP reference files are (read by the conformance tests)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: the real NSP WSDLs, XSDs and PDC documents (``../shared/nsp-reference``; never copied into the repo)
NSP_REFERENCE_VARIABLE = "NSPCERT_NSP_REFERENCE"
DEFAULT_NSP_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "nsp-reference"
# Set on import: the test folders' own conftests import their support modules, which read it, before any hook runs.
NSP_REFERENCE = Path(os.environ.setdefault(NSP_REFERENCE_VARIABLE, str(DEFAULT_NSP_REFERENCE)))


def pytest_configure(config: pytest.Config) -> None:
    """Find the reference files once, so a checkout without them fails with one clear sentence."""
    if not (NSP_REFERENCE / "README.md").is_file():
        raise pytest.UsageError(
            f"the NSP reference files were not found at {NSP_REFERENCE}: the conformance tests read the real WSDLs, "
            f"XSDs and PDC documents from ../shared/nsp-reference beside the checkout; set {NSP_REFERENCE_VARIABLE} "
            "to their folder")
