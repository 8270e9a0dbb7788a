"""Start-up settings (CLI flags) and the run-time configuration the control plane can change."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import nsp_vocabulary as v


@dataclass(frozen=True)
class Settings:
    """Fixed for the life of the process."""

    host: str = "127.0.0.1"
    port: int = 8080
    journal_path: Path | None = None
    state_dir: Path | None = None
    admin_token: str | None = None
    journal_cap: int = 200_000
    max_body_bytes: int = 10 * 1024 * 1024
    journal_durable: bool = True
    body_timeout: float = 30.0
    #: the operator's token: creates tenants (and opens every tenant's control plane); None: the operator's routes
    #: are guarded as the default tenant's control plane
    operator_token: str | None = None
    #: hosted mode: the PostgreSQL database (a libpq URL) holding every tenant's world and journal
    database: str | None = None
    runtime: RuntimeConfig = field(default_factory=lambda: RuntimeConfig())

    def admin_requires_token(self) -> bool:
        return self.admin_token is not None


@dataclass
class RuntimeConfig:
    """What `PUT /__admin/settings` may change; `POST /__admin/reset` restores the start-up values."""

    idcard_lifetime: timedelta = timedelta(hours=24)
    sts_fault_http_status: int = 500
    sts_signature: str = "rsa-sha1"
    pdc_v2_cutover: date = date(2025, 1, 15)
    #: the CVRs every DGWS service admits (None: all); the gate applies it, the STS issues cards to any CVR
    cvr_whitelist: frozenset[str] | None = None
    #: a service's own whitelist (None: all), instead of `cvr_whitelist` for that service
    cvr_whitelists: dict[str, frozenset[str] | None] = field(default_factory=dict)
    skr_mode: str = "fsk3"
    require_hsuid: bool = False
    unknown_patient: str = "empty"
    protected_marker: str = v.PROTECTED_MARKER_DEFAULT
    minlog_limit_mode: str = "warn"
    sfsk_min_level: int = 3
    minlog_min_level: int = 3
    idsas_min_level: int = 3
    minlog_reject_unknown_cpr: bool = False
    #: the test CA has revoked every function certificate (FOCES): the STS refuses them as revoked
    function_certificates_revoked: bool = False

    def copy(self) -> RuntimeConfig:
        return dataclasses.replace(self, cvr_whitelists=dict(self.cvr_whitelists))

    def whitelist_for(self, service: str) -> frozenset[str] | None:
        """The CVRs the DGWS gate admits to `service` (None: every CVR)."""
        return self.cvr_whitelists.get(service, self.cvr_whitelist)

    def to_json(self) -> dict[str, object]:
        return {
            "idcard_lifetime_seconds": int(self.idcard_lifetime.total_seconds()),
            "sts_fault_http_status": self.sts_fault_http_status,
            "sts_signature": self.sts_signature,
            "pdc_v2_cutover": self.pdc_v2_cutover.isoformat(),
            "cvr_whitelist": _sorted(self.cvr_whitelist),
            "cvr_whitelists": {name: _sorted(cvrs) for name, cvrs in sorted(self.cvr_whitelists.items())},
            "skr_mode": self.skr_mode,
            "require_hsuid": self.require_hsuid,
            "unknown_patient": self.unknown_patient,
            "protected_marker": self.protected_marker,
            "minlog_limit_mode": self.minlog_limit_mode,
            "sfsk_min_level": self.sfsk_min_level,
            "minlog_min_level": self.minlog_min_level,
            "idsas_min_level": self.idsas_min_level,
            "minlog_reject_unknown_cpr": self.minlog_reject_unknown_cpr,
            "function_certificates_revoked": self.function_certificates_revoked,
        }

    def update(self, data: dict[str, object]) -> None:
        """Apply a schema-validated partial update."""
        for key, value in data.items():
            self._apply(key, value)

    def _apply(self, key: str, value: object) -> None:
        if key == "idcard_lifetime_seconds":
            self.idcard_lifetime = timedelta(seconds=float(str(value)))
        elif key == "pdc_v2_cutover":
            self.pdc_v2_cutover = date.fromisoformat(str(value))
        elif key == "cvr_whitelist":
            self.cvr_whitelist = _cvrs(value)
        elif key == "cvr_whitelists" and isinstance(value, dict):
            self.cvr_whitelists = {str(name): _cvrs(cvrs) for name, cvrs in value.items()}
        else:
            setattr(self, key, value)


def _cvrs(value: object) -> frozenset[str] | None:
    return None if not isinstance(value, list) else frozenset(str(cvr) for cvr in value)


def _sorted(cvrs: frozenset[str] | None) -> list[str] | None:
    return None if cvrs is None else sorted(cvrs)
