from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from eoj_certs import write_function_certificate
from eoj_fake_nsp import FakeNsp
from eoj_support import EojFactory

from nspcert.driver.http import HttpDriver
from reference_eoj.app import create_app
from reference_eoj.defects import Defects
from reference_eoj.service import ReferenceEoj
from reference_eoj.settings import Settings


@pytest.fixture(scope="session")
def function_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_function_certificate(tmp_path_factory.mktemp("cert"))


@pytest.fixture
def fake_nsp() -> FakeNsp:
    return FakeNsp()


def make_settings(state_dir: Path, cert: tuple[Path, Path], defects: str = "", **overrides: Any) -> Settings:
    return Settings(nsp_url="http://nsp.test", certificate=cert[0], private_key=cert[1], cvr="12345678",
                    organisation_name="Testkommune", state_dir=state_dir, defects=Defects.parse(defects),
                    minlog_flush_interval=0, **overrides)


@pytest.fixture
def make_eoj(tmp_path: Path, function_cert: tuple[Path, Path], fake_nsp: FakeNsp) -> Iterator[EojFactory]:
    opened: list[tuple[HttpDriver, ReferenceEoj]] = []

    def factory(defects: str = "", state_dir: Path | None = None, **settings: Any) -> tuple[HttpDriver, ReferenceEoj]:
        eoj = ReferenceEoj(make_settings(state_dir or tmp_path / "state", function_cert, defects, **settings),
                           transport=fake_nsp.transport())
        client = TestClient(create_app(eoj), base_url="http://eoj.test")
        driver = HttpDriver("http://eoj.test", client=client)
        opened.append((driver, eoj))
        return driver, eoj

    yield factory
    for driver, eoj in opened:
        driver.close()
        eoj.close()
