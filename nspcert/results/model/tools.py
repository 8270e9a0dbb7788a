"""The report's test tools: the versions of what judged a run, read from the installed distributions.

A reviewer sees in "1.4 Testværktøjer / Test tools" (certification.html) and in ``summary.json``'s ``versions`` exactly which
interpreter, test runner, Gherkin engine, XML and signature libraries and HTTP stack checked the system — the ones
the run's own process imported, not the ones a lock file or a requirements list asked for. They are recorded in
``session.json`` when the run ends (``nspcert.results.collect.session``), so ``nspcert report`` re-renders the same table.
"""

from __future__ import annotations

import platform
from importlib import metadata

#: the harness's key dependencies, in the order the table lists them: runner and Gherkin, XML and signatures, HTTP,
#: schemas and CPR rules, the servers the embedded mock and reference EOJ run on, the Allure writer
KEY_DISTRIBUTIONS = ("pytest", "pytest-bdd", "pytest-xdist", "lxml", "signxml", "cryptography", "httpx",
                     "jsonschema", "python-stdnum", "starlette", "uvicorn", "allure-pytest-bdd")
NOT_INSTALLED = "not installed"


def tool_versions() -> dict[str, str]:
    """``{"Python": "3.11.7", "pytest": "9.2.0", …}``: this interpreter and each key distribution as installed."""
    versions = {"Python": platform.python_version()}
    for name in KEY_DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = NOT_INSTALLED
    return versions
