"""Where the shipped catalogue lies, and how one run lays it out: found as package data of ``nspcert.catalogue``,
never from the working directory or a checkout, so an installed harness runs from any folder.

    features_dir()              the shipped Gherkin features and requirements.csv
    stage(folder, extra=[…])    the catalogue laid out for one run in ``folder``: a copy of the features (and of
                                a vendor's own feature folders beside them), the run's own pytest.ini and its one
                                test module; returns pytest's arguments

A run is staged rather than run in place because everything pytest reports is relative to its rootdir: node ids
(``test_catalogue.py::test_…``), and the feature paths Allure and the report name. With the staged folder as the
rootdir those are the same wherever nspcert is installed, a vendor's features sit beside the catalogue's, no
pytest configuration of the folder a vendor runs in applies, and the run directory keeps the exact Gherkin that
judged (``<run>/catalogue/``).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

#: the staged test module binds every feature folder; pytest-bdd puts each scenario in it as a test function
TEST_MODULE = '''"""The catalogue of this run, staged by nspcert (nspcert.catalogue.files.stage): every scenario of the shipped
features and of a vendor's own feature folders, bound to the shipped step libraries."""

from pytest_bdd import scenarios

for folder in {folders!r}:
    scenarios(folder, features_base_dir=folder)
'''


def package_dir() -> Path:
    """The installed ``nspcert.catalogue`` package (a real folder: the catalogue is not run from a zip)."""
    folder = Path(str(files("nspcert.catalogue")))
    if not folder.is_dir():
        raise RuntimeError(f"the nspcert catalogue is not a folder on disk ({folder}): install nspcert unzipped")
    return folder


def features_dir() -> Path:
    return package_dir() / "features"


def requirements_csv() -> Path:
    return features_dir() / "requirements.csv"


def stage(folder: Path, extra: Sequence[Path] = ()) -> list[str]:
    """Lay the catalogue out in ``folder`` (created; must not exist) with a vendor's feature folders ``extra``
    beside it, each under its own name; return the arguments that make pytest run it."""
    folder.mkdir(parents=True)
    shutil.copyfile(package_dir() / "pytest.ini", folder / "pytest.ini")
    bound = [_copy(features_dir(), folder / "features")]
    bound += [_copy(source, folder / _free_name(folder, source.name)) for source in extra]  # in turn: names differ
    (folder / "test_catalogue.py").write_text(TEST_MODULE.format(folders=bound), encoding="utf-8")
    return [str(folder / "test_catalogue.py"), "-c", str(folder / "pytest.ini"), "--rootdir", str(folder)]


def _copy(source: Path, target: Path) -> str:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    return str(target)


def _free_name(folder: Path, name: str) -> str:
    """``name``, or ``name-2``, … when the catalogue (``features``) or another vendor folder has it already."""
    candidate, number = name, 1
    while (folder / candidate).exists() or candidate in ("test_catalogue.py", "pytest.ini"):
        number += 1
        candidate = f"{name}-{number}"
    return candidate
