"""The real NSP artefacts the conformance tests read: WSDLs, XSDs, PDC documents and STS requests in
``../shared/nsp-reference`` beside the checkout (or where ``NSPCERT_NSP_REFERENCE`` says). They are never copied
into the repository, so a clone elsewhere has none: a test that needs one is skipped, with one reason for all of
them; under ``CI=true`` (CI has ../shared) a missing file fails the test instead, so CI never silently loses them.

    schema = etree.XMLSchema(etree.parse(str(reference("sfsk/xsd/medcom.xsd"))))
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

VARIABLE = "NSPCERT_NSP_REFERENCE"
DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "nsp-reference"


def folder() -> Path:
    return Path(os.environ.get(VARIABLE) or DEFAULT)


def available() -> bool:
    return (folder() / "README.md").is_file()


def reference(relative: str) -> Path:
    """The reference file at ``relative``; skips the test (fails it under CI=true) when the folder is absent."""
    if not available():
        reason = (f"the real NSP reference files are not at {folder()}: set {VARIABLE} to ../shared/nsp-reference "
                  "to run the conformance tests that read them")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)
    path = folder() / relative
    if not path.exists():
        raise FileNotFoundError(f"{path}: not in the NSP reference files ({VARIABLE}={folder()})")
    return path
