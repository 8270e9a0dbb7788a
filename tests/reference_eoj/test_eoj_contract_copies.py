"""The reference EOJ keeps its own copies of the driver contract's Employee and CONTRACT_VERSION (it stands
alone as the example vendors copy); they must agree with nspcert.driver."""

from __future__ import annotations

import dataclasses

from nspcert.driver import contract
from reference_eoj import screen, users

WORKER = contract.Employee("0202702345", "Lis", "Berg", "", "social- og sundhedshjælper", "123456789012345",
                           "Testkommune", identity_masked=True,
                           responsible_user=contract.ResponsibleUser("0101701234", "AB123"),
                           yder_number="012345", sks_code="1301011")


def test_the_contract_versions_agree() -> None:
    assert screen.CONTRACT_VERSION == contract.CONTRACT_VERSION


def test_the_eoj_reads_every_field_of_the_contract_employee() -> None:
    ours = users.Employee.from_json(WORKER.to_json())
    shared = [f.name for f in dataclasses.fields(contract.Employee) if f.name != "responsible_user"]
    assert {name: getattr(ours, name) for name in shared} == {name: getattr(WORKER, name) for name in shared}
    assert (ours.responsible_cpr, ours.responsible_authorisation_id) == ("0101701234", "AB123")


def test_the_eoj_knows_no_employee_field_the_contract_lacks() -> None:
    contract_fields = {f.name for f in dataclasses.fields(contract.Employee)}
    eoj_fields = {f.name for f in dataclasses.fields(users.Employee)} - {"responsible_cpr",
                                                                        "responsible_authorisation_id"}
    assert eoj_fields | {"responsible_user"} == contract_fields
