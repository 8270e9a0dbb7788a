"""The reference EOJ itself: employees open citizens' records, see FSK, change it, and log their use."""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
import threading
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

import nsp_vocabulary as v
from reference_eoj.citizen_view import AccessLog, citizen_view
from reference_eoj.clock import COPENHAGEN, Clock, danish_day, standard_time_day, utc_day
from reference_eoj.defects import Defect
from reference_eoj.identifiers import minlog_organisation, minlog_user
from reference_eoj.minlog_budget import RequestBudget
from reference_eoj.minlog_queue import Flushed, MinLogQueue
from reference_eoj.nsp import idsas, minlog, sfsk, skr
from reference_eoj.nsp.dgws import SystemIdentity
from reference_eoj.nsp.gateway import NspGateway
from reference_eoj.nsp.soap import NspError, SoapClient, SoapFault, wire_style
from reference_eoj.nsp.sts import CardRequest, FunctionCertificate, IdCardProvider
from reference_eoj.pdc import Address, Pdc, PdcError, parse_pdc
from reference_eoj.screen import (
    CONTRACT_VERSION,
    ScreenContext,
    empty_stamkort,
    from_pdc,
    is_protected,
    overview_row,
    unreadable,
)
from reference_eoj.settings import Settings
from reference_eoj.users import Employee, UserStore
from reference_eoj.variants import Variant

log = logging.getLogger(__name__)
SAVED = "Ændringen er gemt i Fælles Stamkort"
#: how long the minlog-quarter-hour-rounds variant lets the oldest MinLog2 entry wait before a round sends
QUARTER_HOUR = timedelta(minutes=15)


class UnknownUser(LookupError):
    pass


class ReferenceEoj:
    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings, self.defects, self.variants = settings, settings.defects, settings.variants
        self.lock = threading.RLock()
        self.db = _open_db(settings)
        self.clock = Clock(timedelta(seconds=self._stored_offset()))
        self.users = UserStore(self.db)
        self.queue = MinLogQueue(self.db, self.defects, settings.minlog_batch_size, settings.minlog_max_attempts)
        self.minlog_budget = RequestBudget(settings.minlog_requests_per_hour, now=self._clock_seconds, db=self.db)
        self.accesses = AccessLog(self.db)
        self.soap = SoapClient(settings.nsp_url, settings.nsp_timeout, transport, wire_style(settings.variants))
        who = CardRequest(settings.cvr, settings.organisation_name, settings.system_name)
        cert = FunctionCertificate.load(settings.certificate, settings.private_key)
        self.cards = IdCardProvider(self.soap, cert, who, self.clock, settings.card_renew_margin, self.defects)
        system = SystemIdentity(settings.system_name, settings.system_version, settings.vendor)
        self.nsp = NspGateway(self.soap, self.cards, system, self.clock, self.defects, self.variants)
        self.shape = sfsk.Shape(sds_order=Variant.SDS_FSK_CLIENT in self.variants,
                                value_lists=Variant.ITI18_VALUE_LISTS in self.variants,
                                sds_ids=Variant.SDS_FSK_CLIENT in self.variants,
                                bare_home=Defect.ITI43_BARE_HOME_COMMUNITY in self.defects)
        self.minlog_form = minlog.Form(interval=Variant.MINLOG_INTERVAL in self.variants,
                                       utc=Variant.MINLOG_UTC_TIMES in self.variants,
                                       optional_elements=Variant.MINLOG_OPTIONAL_ELEMENTS in self.variants)
        self.salt = idsas.SaltCache(self._fetch_salt, self.clock.now, settings.salt_ttl,
                                    never_refresh=Defect.MASKING_STALE_SALT in self.defects,
                                    keep=Variant.IDSAS_SALT_EVERY_TIME not in self.variants)
        self._screens: dict[tuple[str, str], dict[str, Any]] = {}
        self._addresses: dict[str, Address] = {}  # the local patient register's last known address
        self._stale: dict[str, Pdc] = {}  # read only by the stale-cache defect
        self._last_read: dict[str, dict[str, Any]] = {}  # read only by the last-read-on-failure defect
        self._day_cache: dict[str, tuple[str, Pdc]] = {}  # read only by the fsk-cached-until-utc-midnight defect

    def close(self) -> None:
        self.soap.close()
        self.db.close()

    # --- driver operations ------------------------------------------------------------------------------
    def capabilities(self) -> dict[str, Any]:
        s = self.settings
        return {"contract_version": CONTRACT_VERSION, "capabilities": list(s.capabilities),
                "system": {"name": s.system_name, "version": s.system_version, "vendor": s.vendor}}

    def reset(self) -> None:
        with self.lock:
            self.users.clear()
            self.queue.clear()
            self.minlog_budget.forget()
            self.accesses.clear()
            self.cards.forget()
            self.salt.forget()
            self._screens.clear()
            self._addresses.clear()
            self._stale.clear()
            self._last_read.clear()
            self._day_cache.clear()
            self.nsp.forget()
            self.set_clock(None)

    def log_in(self, data: dict[str, Any]) -> str:
        with self.lock:
            return self.users.add(Employee.from_json(data))

    def open(self, cpr: str, user_id: str) -> dict[str, Any]:
        """Open the record: read FSK fresh, show it, and log the use in MinLog2 (once a day)."""
        with self.lock:
            employee = self._employee(user_id)
            screen = self._shown(cpr, employee, self.clock.now())
            self._screens[(user_id, cpr)] = screen
            return screen

    def overview(self, cprs: list[str], user_id: str) -> dict[str, Any]:
        """The employee's citizen list (driver capability ``overview``): each citizen with the FGVH status and
        symbol FSK gives now, read fresh as when a record is opened (and logged as a use of FSK)."""
        with self.lock:
            employee = self._employee(user_id)
            now = self.clock.now()
            rows = [overview_row(self._shown(cpr, employee, now), self.defects) for cpr in cprs]
            return {"contract_version": CONTRACT_VERSION, "citizens": rows, "messages": []}

    def _shown(self, cpr: str, employee: Employee, now: datetime) -> dict[str, Any]:
        """What the employee is shown of the citizen's FSK now; a use of FSK (MinLog2) when it was read."""
        ctx = ScreenContext(cpr, now, self.defects, self._addresses.get(cpr), self.variants)
        if Defect.ECPR_NOT_LOOKED_UP in self.defects and not cpr.isdigit():
            return empty_stamkort(ctx)  # the defect: a replacement CPR number is never looked up
        before = Variant.MINLOG_BEFORE_READ in self.variants
        if before:  # as SDS's client: the lookup is logged before FSK is read
            self._log_use(employee, cpr, now)
        try:
            pdc = self._read_fsk(cpr, employee, now)
            screen = from_pdc(pdc, ctx) if pdc is not None else empty_stamkort(ctx)
        except (NspError, PdcError) as exc:
            if Defect.LAST_READ_ON_FAILURE in self.defects and cpr in self._last_read:
                return self._last_read[cpr]
            if Defect.TECHNICAL_ERROR_ONLY in self.defects and isinstance(exc, NspError):
                return unreadable(ctx, exc.user_message)
            return unreadable(ctx, _user_message(exc))
        self._remember_address(cpr, screen)
        self._last_read[cpr] = screen
        if not before:
            self._log_use(employee, cpr, now)
        self._refresh_salt(employee)
        return screen

    def view(self, cpr: str, user_id: str) -> dict[str, Any] | None:
        with self.lock:
            self._employee(user_id)
            return self._screens.get((user_id, cpr))

    def change(self, cpr: str, user_id: str, data: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            employee = self._employee(user_id)
            item, action = str(data["item"]), str(data["action"])
            if item not in skr.ELEMENTS or action not in ("create", "update", "delete"):
                raise ValueError(f"unknown change {action} {item}")
            item_id = data.get("item_id")
            if action == "update" and Defect.SKR_FRESH_ID_ON_UPDATE in self.defects:
                item_id = None  # the defect: a new UUID, not the item's own id
            write = skr.request(cpr, item, action, dict(data.get("values") or {}), item_id,
                                (employee.sor_code, employee.organisation_name),
                                sparse=Variant.SKR_SPARSE_WRITES in self.variants)
            return self._write(cpr, employee, item, action, write)

    def set_clock(self, now: datetime | None) -> datetime:
        with self.lock:
            self.clock.set(now)
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO kv VALUES ('clock_offset', ?)",
                                (str(self.clock.offset.total_seconds()),))
            return self.clock.local_now()

    def flush_minlog(self) -> Flushed:
        """Send everything queued for MinLog2 now (``POST /sut/minlog/flush``, the harness's "send now"): not held
        back by the budget, though its requests count against the hour."""
        with self.lock:
            return self.queue.flush(self._send_minlog)

    def minlog_background(self) -> Flushed:
        """One round of the EOJ's own background MinLog2 sending (its timer, every ``minlog_flush_interval``
        seconds, and ``POST /sut/minlog/background``, driver capability ``minlog.background``): what waits, within
        MinLog2's budget of ≤ 20 requests an hour by the EOJ's clock; the rest waits for a later round."""
        with self.lock:
            if not self.queue.count() or not self._round_due():
                return Flushed(0, 0, self.queue.count(), self.queue.count("dead"))
            limit = None if Defect.MINLOG_NO_BUDGET in self.defects else self.minlog_budget.remaining()
            return self.queue.flush(self._send_minlog, limit)

    def _round_due(self) -> bool:
        """Whether this background round sends: always, but with the minlog-quarter-hour-rounds variant only once
        the oldest waiting entry has waited a quarter of an hour by the EOJ's clock."""
        if Variant.MINLOG_QUARTER_HOUR_ROUNDS not in self.variants:
            return True
        oldest = min(datetime.fromisoformat(entry.at) for entry in self.queue.pending())
        return self.clock.now() - oldest >= QUARTER_HOUR

    def citizen_view(self, cpr: str) -> dict[str, Any]:
        with self.lock:
            return citizen_view(cpr, self.accesses, self.salt.get, CONTRACT_VERSION,
                                name_without_salt=Defect.NAME_WHEN_SALT_MISSING in self.defects)

    # --- FSK read -----------------------------------------------------------------------------------------
    def _read_fsk(self, cpr: str, employee: Employee, now: datetime) -> Pdc | None:
        if Defect.STALE_CACHE in self.defects and cpr in self._stale:
            return self._stale[cpr]
        utc_date = utc_day(now).isoformat()
        if Defect.FSK_CACHED_UNTIL_UTC_MIDNIGHT in self.defects and self._day_cache.get(cpr, ("",))[0] == utc_date:
            return self._day_cache[cpr][1]
        flow = self.nsp.new_flow()
        format_code = v.FORMAT_CODE_PDC_V2 if Defect.PDC_V2_QUERY in self.defects else v.FORMAT_CODE_PDC_V3
        query = sfsk.find_documents(cpr, format_code, self.shape,
                                    scheme=Defect.FORMAT_CODE_WITHOUT_SCHEME not in self.defects)
        body = self.nsp.call("SFSK", v.PATH_SFSK_ITI18, v.ACTION_ITI18, query, employee=employee, citizen_cpr=cpr,
                             flow_id=flow)
        lenient = Defect.REGISTRY_FAILURE_AS_EMPTY in self.defects
        refs = sfsk.parse_find_documents(body, ignore_failure=lenient)
        if not refs:
            if lenient or Defect.NO_DOCUMENT_AS_NO_OPT_OUT in self.defects:
                return None
            raise NspError("SFSK ITI-18: no FSK document", f"{sfsk.UNAVAILABLE}: intet stamkort fundet")
        body = self.nsp.call("SFSK", v.PATH_SFSK_ITI43, v.ACTION_ITI43, sfsk.retrieve(refs[0], self.shape),
                             employee=employee, citizen_cpr=cpr, flow_id=flow)
        try:
            pdc = parse_pdc(sfsk.parse_retrieve(body))
        except PdcError:
            if Defect.BAD_DOCUMENT_AS_EMPTY in self.defects:
                return None
            raise
        if Defect.STRICT_PDC_VALIDATION in self.defects and (pdc.unknown_codes() or pdc.misplaced):
            raise PdcError(f"not valid against the schema: {pdc.unknown_codes() + pdc.misplaced}")
        if Defect.UNKNOWN_VERSION_AS_UNREADABLE in self.defects and pdc.template_extension != v.PDC_TEMPLATE_EXT_V3:
            raise PdcError(f"PDC version {pdc.template_extension} is not one this reader knows")
        if pdc.cpr != cpr:
            raise PdcError(f"the document is about {pdc.cpr}, not {cpr}")
        if Defect.AUTHOR_CPR_SHOWN in self.defects:
            pdc = pdc.with_author_cprs_shown()
        if Defect.STALE_CACHE in self.defects:
            self._stale[cpr] = pdc
        self._day_cache[cpr] = (utc_date, pdc)
        return pdc

    def _remember_address(self, cpr: str, screen: dict[str, Any]) -> None:
        citizen = screen.get("citizen") or {}
        if citizen.get("protected") or is_protected(citizen.get("address_text")):
            self._addresses.pop(cpr, None)  # a protected address is never kept, nor shown
        elif citizen.get("address_text"):
            a = citizen["address"]
            self._addresses[cpr] = Address(tuple(a["lines"]), a["postal_code"], a["city"], a["country"])

    # --- FSK write ----------------------------------------------------------------------------------------
    def _write(self, cpr: str, employee: Employee, item: str, action: str, write: skr.Write) -> dict[str, Any]:
        op = skr.operation(item, action)
        retries = self.settings.skr_blind_retries if Defect.SKR_BLIND_RETRY in self.defects else 0
        fault: SoapFault | None = None
        for attempt in range(1 + retries):
            try:
                body = self.nsp.call("SKR", skr.PATH, op, write.payload, employee=employee, citizen_cpr=cpr)
                skr.parse_response(body, item, action)
            except SoapFault as exc:
                fault = exc
                if attempt < retries and skr.is_validation_fault(exc.fault):
                    continue  # the skr-blind-retry defect: re-send a write SKR rejected as invalid
                break
            except NspError as exc:
                if Defect.SKR_UNREACHABLE_AS_SAVED in self.defects:
                    return {"succeeded": True, "message": SAVED, "item_id": None}
                return {"succeeded": False, "message": exc.user_message, "item_id": None}
            self._log_use(employee, cpr, self.clock.now())
            return {"succeeded": True, "message": SAVED, "item_id": write.item_id}
        return self._rejected(fault)

    def _rejected(self, fault: SoapFault | None) -> dict[str, Any]:
        """SKR refused the write: the employee is told why (never told it was saved, but by a defect)."""
        if Defect.SKR_SWALLOW_ERROR in self.defects:
            return {"succeeded": True, "message": SAVED, "item_id": None}
        text = fault.fault.string if fault and fault.fault.string else "ukendt fejl"
        return {"succeeded": False, "message": f"Stamkortregistret afviste ændringen: {text}", "item_id": None}

    # --- MinLog2 ------------------------------------------------------------------------------------------
    def _log_use(self, employee: Employee, cpr: str, now: datetime) -> None:
        day = danish_day(now)
        self.accesses.record(cpr, employee, day, now.astimezone(COPENHAGEN), self.settings.minlog_activity)
        if Defect.MINLOG_NEVER in self.defects:
            return
        key_day = utc_day(now) if Defect.MINLOG_UTC_DAY in self.defects else day
        if Defect.MINLOG_STANDARD_TIME_DAY in self.defects:
            key_day = standard_time_day(now)
        organisation = minlog_organisation(employee, self.settings.cvr, self.variants, self.defects)
        user = minlog_user(employee, self.variants, self.defects)
        entry = minlog.LogEntry(
            sequence_number=str(uuid.uuid4()), system_name=self.settings.system_name,
            activity=self.settings.minlog_activity, at=_minlog_time(now),
            organisation_id=organisation[1], organisation_name=employee.organisation_name, citizen_cpr=cpr,
            user_cpr=employee.cpr, user_name=employee.full_name, user_role=employee.role,
            organisation_source=organisation[0], user_source=user[0], user_id=user[1],
            on_behalf_cpr="" if Defect.MINLOG_NO_ON_BEHALF_OF in self.defects else employee.responsible_cpr,
            addition="Værdispring" if Defect.MINLOG_VAERDISPRING in self.defects else "")
        self.queue.record(entry, key_day, once_a_day=Defect.MINLOG_EVERY_LOOKUP not in self.defects)

    def _send_minlog(self, entries: list[minlog.LogEntry]) -> minlog.RegistrationResult:
        self.minlog_budget.spend()
        if Defect.MINLOG_TIME_OF_DELIVERY in self.defects:
            entries = [dataclasses.replace(entry, at=_minlog_time(self.clock.now())) for entry in entries]
        body = self.nsp.call("MinLog2", v.PATH_MINLOG, minlog.ACTION,
                             minlog.registration_request(entries, self.minlog_form))
        return minlog.parse_response(body)

    # --- IDSAS --------------------------------------------------------------------------------------------
    def _refresh_salt(self, employee: Employee) -> None:
        """Keep the salt current while masked employees use FSK (the citizen view needs it)."""
        if not employee.identity_masked:
            return
        try:
            self.salt.get()
        except NspError as exc:
            log.warning("IDSAS salt not refreshed: %s", exc.detail)

    def _fetch_salt(self) -> str:
        body = self.nsp.call("IDSAS", v.PATH_IDSAS_SALT, v.ACTION_IDSAS_SALT, idsas.get_current_salt_request())
        return idsas.parse_salt(body)

    # --- helpers ------------------------------------------------------------------------------------------
    def _employee(self, user_id: str) -> Employee:
        employee = self.users.get(user_id)
        if employee is None:
            raise UnknownUser(f"unknown user_id {user_id!r}; log in with POST /sut/users")
        return employee

    def _clock_seconds(self) -> float:
        """The EOJ's clock as seconds since the epoch (the MinLog2 request budget counts by it)."""
        return self.clock.now().timestamp()

    def _stored_offset(self) -> float:
        row = self.db.execute("SELECT value FROM kv WHERE key = 'clock_offset'").fetchone()
        return float(row[0]) if row else 0.0


def _open_db(settings: Settings) -> sqlite3.Connection:
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(settings.database, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    return db


def _user_message(exc: Exception) -> str:
    """What the employee is told when FSK could not be read: that it could not, and why."""
    if not isinstance(exc, NspError):
        return f"{sfsk.UNAVAILABLE}: dokumentet kunne ikke læses"
    if exc.user_message.startswith(sfsk.UNAVAILABLE):
        return exc.user_message
    return f"{sfsk.UNAVAILABLE}: {exc.user_message}"


def _minlog_time(now: datetime) -> str:
    """The time of use as MinLog2's DateTime: Danish local time with its offset."""
    return now.astimezone(COPENHAGEN).isoformat(timespec="seconds")
