"""The SUT driver contract (SPEC §4): the operations every driver offers, and their data.

Three implementations exist: :class:`nspcert.driver.http.HttpDriver` (a vendor's HTTP adapter speaking
``openapi.yaml``), :class:`nspcert.driver.manual.ManualDriver` (a person at a terminal) and
:func:`nspcert.driver.python.load_driver` (a vendor's Python object). All satisfy :class:`SutDriver`.

The contract is versioned by :data:`CONTRACT_VERSION` (semantic: a new minor adds optional fields or
operations; a new major breaks). Its schemas, the errors a breach of them is, and their validation are
:mod:`nspcert.driver.validation` (the names are here too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from nspcert.driver.validation import AnswerInvalid as AnswerInvalid
from nspcert.driver.validation import DriverError as DriverError
from nspcert.driver.validation import JsonReader
from nspcert.driver.validation import ScreenModelInvalid as ScreenModelInvalid
from nspcert.driver.validation import answers_schema as answers_schema
from nspcert.driver.validation import openapi_text as openapi_text
from nspcert.driver.validation import screen_model_schema as screen_model_schema
from nspcert.driver.validation import validate_answer as validate_answer
from nspcert.driver.validation import validate_screen_model as validate_screen_model

CONTRACT_VERSION = "1.3"

CAP_STAMKORT_WRITE = "stamkort.write"
CAP_MINLOG = "minlog"
CAP_IDENTITY_MASKING = "identity-masking"
CAP_CLOCK = "clock"
CAP_CITIZEN_VIEW = "citizen-view"
#: since 1.2: the system shows a citizen list (an overview) with the FGVH symbol (operation ``overview``)
CAP_OVERVIEW = "overview"
#: since 1.3: the system runs one round of its own background MinLog2 sending on request, within its budget of
#: ≤ 20 requests an hour (operation ``minlog_background``)
CAP_MINLOG_BACKGROUND = "minlog.background"
CAPABILITIES = (CAP_STAMKORT_WRITE, CAP_MINLOG, CAP_IDENTITY_MASKING, CAP_CLOCK, CAP_CITIZEN_VIEW, CAP_OVERVIEW,
                CAP_MINLOG_BACKGROUND)

StamkortItem = Literal["relative", "temporary_address", "language", "contact_phone", "dentist"]
StamkortAction = Literal["create", "update", "delete"]
STAMKORT_ITEMS: tuple[StamkortItem, ...] = ("relative", "temporary_address", "language", "contact_phone", "dentist")
STAMKORT_ACTIONS: tuple[StamkortAction, ...] = ("create", "update", "delete")


@dataclass(frozen=True)
class ResponsibleUser:
    """The authorised professional on whose behalf an employee acts (HSUID ``nsi:ResponsibleUser…``)."""

    cpr: str
    authorisation_id: str


@dataclass(frozen=True)
class Employee:
    """The acting employee the harness logs in (``POST /sut/users``).

    ``responsible_user`` is set when the employee (e.g. a care worker without an authorisation) acts on
    behalf of an authorised professional; the SUT then names that professional in HSUID.

    ``yder_number`` and ``sks_code`` (since 1.2) are the unit's other identifiers beside its SOR code: its
    ydernummer (a GP practice) and its SKS code (a hospital department, SHAK). A system may name the unit by any
    of them (HSUID ``nsi:OrgUsingID`` NameFormat ``nsi:sor`` | ``nsi:ynumber`` | ``nsi:skskode``, MinLog2
    ``OrganisationId`` source ``SOR`` | ``YDER``); "" when the unit has none.
    """

    cpr: str
    given_name: str
    family_name: str
    authorisation_id: str
    role: str
    sor_code: str
    organisation_name: str
    identity_masked: bool = False
    responsible_user: ResponsibleUser | None = None
    yder_number: str = ""
    sks_code: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for optional in ("responsible_user", "yder_number", "sks_code"):
            if not data[optional]:
                del data[optional]  # optional in the contract: absent, not null or ""
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Employee:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        if fields.get("responsible_user") is not None:
            fields["responsible_user"] = ResponsibleUser(**fields["responsible_user"])
        return cls(**fields)


def unit_identifiers(employee: Employee) -> str:
    """"SOR 123…, ydernummer 012345, SKS 1301011": the identifiers of the employee's unit, as a person reads them."""
    named = (("SOR", employee.sor_code), ("ydernummer", employee.yder_number), ("SKS", employee.sks_code))
    return ", ".join(f"{label} {value}" for label, value in named if value)


@dataclass(frozen=True)
class SystemInfo:
    name: str
    version: str
    vendor: str

    @classmethod
    def from_json(cls, data: object, read: JsonReader | None = None) -> SystemInfo:
        read = read or JsonReader("SystemInfo")
        info = read.fields(data, ("name", "version", "vendor"))
        return cls(read.string(info, "name"), read.string(info, "version"), read.string(info, "vendor"))


@dataclass(frozen=True)
class Capabilities:
    """What ``GET /sut/capabilities`` answers."""

    system: SystemInfo
    capabilities: frozenset[str] = field(default_factory=frozenset)
    contract_version: str = CONTRACT_VERSION

    def claims(self, capability: str) -> bool:
        return capability in self.capabilities

    def to_json(self) -> dict[str, Any]:
        return {
            "contract_version": self.contract_version,
            "system": asdict(self.system),
            "capabilities": sorted(self.capabilities),
        }

    @classmethod
    def from_json(cls, data: object) -> Capabilities:
        """The answer as it is, or :class:`AnswerInvalid` naming the field missing or of the wrong type."""
        read = JsonReader("Capabilities")
        answer = read.fields(data, ("contract_version", "system", "capabilities"))
        return cls(system=SystemInfo.from_json(answer["system"], read.within("system")),
                   capabilities=read.unique_strings(answer, "capabilities"),
                   contract_version=read.string(answer, "contract_version"))


@dataclass(frozen=True)
class StamkortChange:
    """A change of one typed-in item (``POST /sut/citizens/{cpr}/stamkort``); ``values`` as in the openapi."""

    item: StamkortItem
    action: StamkortAction
    values: dict[str, Any] = field(default_factory=dict)
    item_id: str | None = None

    def to_json(self, user_id: str) -> dict[str, Any]:
        body: dict[str, Any] = {"user_id": user_id, "item": self.item, "action": self.action, "values": self.values}
        if self.item_id is not None:
            body["item_id"] = self.item_id
        return body

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StamkortChange:
        item, action = data["item"], data["action"]
        if item not in STAMKORT_ITEMS or action not in STAMKORT_ACTIONS:
            raise ValueError(f"unknown stamkort change {action} {item}")
        return cls(item=item, action=action, values=dict(data.get("values") or {}), item_id=data.get("item_id"))


@dataclass(frozen=True)
class ChangeResult:
    """Whether a stamkort change succeeded and the message the employee saw."""

    succeeded: bool
    message: str
    item_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> ChangeResult:
        """The answer as it is, or :class:`AnswerInvalid` naming the field missing or of the wrong type."""
        read = JsonReader("ChangeResult")
        answer = read.fields(data, ("succeeded", "message"))
        return cls(succeeded=read.boolean(answer, "succeeded"), message=read.string(answer, "message"),
                   item_id=read.string_or_null(answer, "item_id"))


@dataclass(frozen=True)
class FlushResult:
    """What ``POST /sut/minlog/flush`` (and, since 1.3, ``POST /sut/minlog/background``) answers: entries accepted,
    failed (kept for retry), still queued, and given up (no more retries: a person must look at them; optional, 0
    when the SUT does not say)."""

    sent: int
    failed: int
    queued: int
    given_up: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> FlushResult:
        """The answer as it is, or :class:`AnswerInvalid` naming the field missing or of the wrong type."""
        read = JsonReader("FlushResult")
        answer = read.fields(data, ("sent", "failed", "queued"))
        return cls(sent=read.integer(answer, "sent"), failed=read.integer(answer, "failed"),
                   queued=read.integer(answer, "queued"), given_up=read.integer(answer, "given_up", default=0))


def user_id_from_json(data: object) -> str:
    """The ``user_id`` string of a log-in answer (``POST /sut/users``); whether it is empty is the validation's
    business (:class:`nspcert.driver.validating.ValidatingDriver`)."""
    read = JsonReader("log-in answer")
    answer = read.fields(data, ("user_id",))
    return read.string(answer, "user_id")


@runtime_checkable
class SutDriver(Protocol):
    """How the harness drives a system under test. Every method may raise :class:`DriverError`."""

    def capabilities(self) -> Capabilities: ...

    def reset(self) -> None: ...

    def log_in(self, employee: Employee) -> str: ...

    def open_record(self, cpr: str, user_id: str) -> Mapping[str, Any]: ...

    def view(self, cpr: str, user_id: str) -> Mapping[str, Any]: ...

    def change_stamkort(self, cpr: str, user_id: str, change: StamkortChange) -> ChangeResult: ...

    def set_clock(self, now: datetime | None) -> None: ...

    def flush_minlog(self) -> FlushResult: ...

    def citizen_view(self, cpr: str) -> dict[str, Any]: ...

    def close(self) -> None: ...


@runtime_checkable
class OverviewDriver(Protocol):
    """A driver of a SUT claiming ``overview`` (since 1.2) offers this operation too. It is not part of
    :class:`SutDriver`, so a 1.1 driver without it still is one; the harness asks for it only of a SUT that claims
    the capability (:func:`overview_of`)."""

    def overview(self, cprs: list[str], user_id: str) -> dict[str, Any]: ...


@runtime_checkable
class BackgroundMinlogDriver(Protocol):
    """A driver of a SUT claiming ``minlog.background`` (since 1.3) offers this operation too: one round of the
    SUT's own background MinLog2 sending, as its timer would run it at this moment, within its budget of ≤ 20
    ``AddRegistrations`` requests an hour (unlike ``flush_minlog``, the harness's "send now"). It may send less
    than it could, or nothing (its timer is not due); what it does not send stays queued. Not part of
    :class:`SutDriver`, so a 1.2 driver without it still is one; the harness asks for it only of a SUT that claims
    the capability (:func:`minlog_background_of`)."""

    def minlog_background(self) -> FlushResult: ...


@runtime_checkable
class NarratedDriver(Protocol):
    """A driver a person works through (the manual driver): the harness tells it where in the catalogue the run is,
    and takes what the person attached (screenshots) as evidence, through the same recorder as every other piece of
    evidence. Drivers of a program (HTTP, Python) have none of this; the harness asks only a driver that has it."""

    def begin(self, heading: str) -> None: ...

    def step(self, name: str) -> None: ...

    def answered(self) -> int: ...

    def attachments(self, since: int) -> list[tuple[Path, str]]: ...


@runtime_checkable
class WrappingDriver(Protocol):
    """A driver that passes every call on to ``inner`` (``ValidatingDriver``)."""

    inner: SutDriver


def narrated(driver: SutDriver) -> NarratedDriver | None:
    """``driver``, or the driver it wraps, as a :class:`NarratedDriver` when a person works through it, else None."""
    while not isinstance(driver, NarratedDriver) and isinstance(driver, WrappingDriver):
        driver = driver.inner
    return driver if isinstance(driver, NarratedDriver) else None


def overview_of(driver: SutDriver, cprs: list[str], user_id: str) -> dict[str, Any]:
    """The employee's citizen list holding ``cprs`` (capability ``overview``), from any driver that offers it."""
    if not isinstance(driver, OverviewDriver):
        raise DriverError(f"{type(driver).__name__} has no overview operation, yet the SUT claims '{CAP_OVERVIEW}'")
    return driver.overview(cprs, user_id)


def minlog_background_of(driver: SutDriver) -> FlushResult:
    """One round of the SUT's own background MinLog2 sending (capability ``minlog.background``), from any driver
    that offers it."""
    if not isinstance(driver, BackgroundMinlogDriver):
        raise DriverError(f"{type(driver).__name__} has no minlog_background operation, yet the SUT claims "
                          f"'{CAP_MINLOG_BACKGROUND}'")
    return driver.minlog_background()
