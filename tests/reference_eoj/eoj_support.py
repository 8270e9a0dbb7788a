"""Names the reference EOJ's tests import (a test module must not import ``conftest``: pytest loads every
test folder's conftest under that one module name, so the import finds whichever folder's came first)."""

from __future__ import annotations

from collections.abc import Callable

from nspcert.driver.contract import Employee
from nspcert.driver.http import HttpDriver
from reference_eoj.service import ReferenceEoj

NURSE = Employee(cpr="0101701234", given_name="Hanne Marie", family_name="Hansen", authorisation_id="AB123",
                 role="sygeplejerske", sor_code="123456789012345", organisation_name="Testkommune Hjemmepleje",
                 yder_number="012345", sks_code="1301011")

EojFactory = Callable[..., tuple[HttpDriver, ReferenceEoj]]
