"""Synthetic citizens and employees for scenarios: realistic Danish data, never a real person.

Every CPR number made here is *synthetic by construction*: a valid date and century digit, with a
serial chosen so the number fails the modulus-11 check. The harness records each one it makes, so the
evidence check can prove that every CPR in a report came from here (:attr:`People.made`).

The people do not depend on the calendar: ages are counted from :data:`AGE_REFERENCE_DAY`, so a scenario
gets the same citizens and employees on every day it runs, and no CPR is made twice within one factory
however many people it makes.

    people = People(seed="features/certification/fgvh-display.feature::opt-out shown")
    citizen = people.citizen(age=72)
    nurse = people.employee(role="sygeplejerske")
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Set
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from nspcert.driver.contract import Employee, ResponsibleUser

#: the day a requested age is counted from (a citizen "aged 72" was 72 on this day): a fixed day, so the people
#: of a scenario are the same on every day it runs — no birth date, and so no CPR, follows the calendar
AGE_REFERENCE_DAY = dt.date(2025, 1, 1)
ROLES = {"nurse": "sygeplejerske", "doctor": "læge", "care worker": "social- og sundhedshjælper",
         "paramedic": "paramediciner"}


def on_behalf_of(employee: Employee, professional: Employee) -> Employee:
    """``employee`` without an authorisation of their own, acting for the authorised ``professional``
    (HSUID names the professional as the responsible user, domain-nsp.md §1.4)."""
    return dataclasses.replace(employee, authorisation_id="",
                               responsible_user=ResponsibleUser(professional.cpr, professional.authorisation_id))


def with_unit_identifiers(employee: Employee) -> Employee:
    """The employee with their unit's ydernummer (6 digits) and SKS code (7 digits) beside its SOR code, made from
    the SOR code (so a unit always has the same ones, and the factory's other people do not change): a system may
    name the unit by any of them (contract 1.2)."""
    unit = random.Random(f"unit {employee.sor_code}")
    return dataclasses.replace(employee, yder_number=f"{unit.randint(0, 999_999):06d}",
                               sks_code=f"{unit.randint(1_000_000, 9_999_999)}")


def _mod11_ok(cpr: str) -> bool:
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    return sum(int(digit) * weight for digit, weight in zip(cpr, weights, strict=True)) % 11 == 0


def _century_digit(year: int, rng: random.Random) -> int:
    """The 7th CPR digit that puts ``year`` in the right century (CPR office rules)."""
    if year < 1900:
        return rng.choice((5, 6, 7, 8))
    if year < 1937:
        return rng.choice((0, 1, 2, 3))
    return rng.choice((0, 1, 2, 3)) if year < 2000 else 4


def synthetic_cpr(birth_date: dt.date, female: bool, rng: random.Random, taken: Set[str] = frozenset()) -> str:
    """A CPR for ``birth_date`` that fails modulus 11 (so it is no real person issued before 2007) and is not
    in ``taken``. A birth date has over 1,800 such numbers per sex; the caller spreads birth dates."""
    while True:
        serial = f"{_century_digit(birth_date.year, rng)}{rng.randint(0, 99):02d}"
        last = rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
        cpr = f"{birth_date:%d%m%y}{serial}{last}"
        if not _mod11_ok(cpr) and cpr not in taken:
            return cpr


@dataclass
class Citizen:
    cpr: str
    given: list[str]
    family: str
    birth_date: dt.date
    sex: str
    address: dict[str, Any]
    register: dict[str, Any] = field(default_factory=dict)
    #: what the harness remembers about the citizen for later checks (never sent to the platform)
    expected: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return " ".join([*self.given, self.family])

    def as_register(self) -> dict[str, Any]:
        """The citizen model the mock NSP's control plane takes (docs/ARCHITECTURE.md)."""
        base = {"name": {"given": self.given, "family": self.family}, "address": self.address,
                "birth_date": self.birth_date.isoformat(), "sex": self.sex, "coverage_group": "1",
                "organ_donor": False, "treatment_will": False, "living_will": False}
        return base | self.register


class People:
    """A seeded factory, so the same scenario always gets the same people."""

    def __init__(self, seed: str) -> None:
        self._rng = random.Random(seed)
        self._fake = Faker("da_DK")
        self._fake.seed_instance(seed)
        #: every CPR this factory made, in order, each once (the evidence check accepts exactly these as synthetic)
        self.made: list[str] = []
        self._taken: set[str] = set()

    def _cpr(self, birth: dt.date, female: bool) -> str:
        cpr = synthetic_cpr(birth, female, self._rng, self._taken)
        self._taken.add(cpr)
        self.made.append(cpr)
        return cpr

    def _born(self, age: int) -> dt.date:
        """A birth day in the year before the person turned ``age`` on :data:`AGE_REFERENCE_DAY`."""
        turned = AGE_REFERENCE_DAY.replace(year=AGE_REFERENCE_DAY.year - age)
        return turned - dt.timedelta(days=self._rng.randint(1, 364))

    def citizen(self, age: int = 72, female: bool | None = None) -> Citizen:
        female = self._rng.random() < 0.5 if female is None else female
        birth = self._born(age)
        given = self._fake.first_name_female() if female else self._fake.first_name_male()
        return Citizen(
            cpr=self._cpr(birth, female), given=[given], family=self._fake.last_name(),
            birth_date=birth, sex="F" if female else "M", address=self._address(),
        )

    def replacement_citizen(self, age: int = 70) -> Citizen:
        """A citizen known only by a replacement CPR number (X-eCPR, ``DDMMYYCAAG``: the birth date, the century
        digit 1 or 7, two letters, an odd or even last digit by sex), as the national eCPR service issues it to a
        person without a Danish CPR number. Letters where a CPR number has digits: it can never be a person's CPR."""
        female = self._rng.random() < 0.5
        birth = self._born(age)
        while True:
            letters = "".join(self._rng.choice("ABCDEFGHJKLMNPRSTUVXYZ") for _ in range(2))
            last = self._rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
            number = f"{birth:%d%m%y}{1 if birth.year < 2000 else 7}{letters}{last}"
            if number not in self._taken:
                break
        self._taken.add(number)
        self.made.append(number)
        given = self._fake.first_name_female() if female else self._fake.first_name_male()
        return Citizen(cpr=number, given=[given], family=self._fake.last_name(), birth_date=birth,
                       sex="F" if female else "M", address=self._address())

    def employee(self, role: str = "nurse") -> Employee:
        birth = self._born(self._rng.randint(25, 60))
        female = self._rng.random() < 0.5
        employee = Employee(
            cpr=self._cpr(birth, female),
            given_name=self._fake.first_name_female() if female else self._fake.first_name_male(),
            family_name=self._fake.last_name(), role=ROLES.get(role, role),
            authorisation_id=f"{self._rng.randint(0, 99999):05X}"[:5],
            sor_code=str(self._rng.randint(10**14, 10**15 - 1)), organisation_name="Hjemmeplejen Testby Nord",
        )
        return with_unit_identifiers(employee)

    def _address(self) -> dict[str, Any]:
        return {"lines": [self._fake.street_address()], "postal_code": self._fake.postcode(),
                "city": self._fake.city()}
