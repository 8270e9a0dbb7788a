"""The reference EOJ's configuration (command line, see ``__main__``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from reference_eoj import __version__
from reference_eoj.defects import Defects
from reference_eoj.variants import Variants


@dataclass(frozen=True)
class Settings:
    nsp_url: str
    certificate: Path
    private_key: Path
    cvr: str
    organisation_name: str
    state_dir: Path
    defects: Defects = field(default_factory=Defects)
    variants: Variants = field(default_factory=Variants)
    system_name: str = "nspcert reference EOJ"  # ≤ 25 characters: MinLog2 SystemName
    system_version: str = __version__
    vendor: str = "nspcert"
    nsp_timeout: float = 5.0
    card_renew_margin: timedelta = timedelta(minutes=5)
    minlog_batch_size: int = 500
    minlog_max_attempts: int = 5
    minlog_flush_interval: float = 180.0  # seconds; 0 = only on POST /sut/minlog/flush
    minlog_requests_per_hour: int = 20  # MinLog2's budget, kept by the background sending
    minlog_activity: str = "Opslag i Fælles Stamkort"
    salt_ttl: timedelta = timedelta(minutes=30)  # a rotated salt is in use within the hour
    skr_blind_retries: int = 3  # only with the skr-blind-retry defect
    #: the optional driver capabilities claimed; fewer makes it stand in for a system without them
    capabilities: tuple[str, ...] = ("citizen-view", "clock", "identity-masking", "minlog", "minlog.background",
                                     "overview", "stamkort.write")

    @property
    def database(self) -> Path:
        return self.state_dir / "reference-eoj.sqlite3"
