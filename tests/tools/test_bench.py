"""`python -m tools.bench` runs end to end (a very short run, the embedded mock and one hosted replica on a
throwaway PostgreSQL) and writes its side-by-side report. A smoke test of the tool, not a timed test."""

from __future__ import annotations

import json
from pathlib import Path

from tools import bench
from tools.postgres import TempPostgres


def test_a_short_bench_run_reports_the_targets_side_by_side(tmp_path: Path, postgres: TempPostgres) -> None:
    out = tmp_path / "bench.json"
    argv = ["--clients", "4", "--seconds", "0.5", "--warmup", "0.2", "--targets", "embedded,hosted1", "--out", str(out)]
    assert bench.main(argv) == 0
    report = json.loads(out.read_text())
    assert set(report["targets"]) == {"embedded", "hosted1"}
    for result in report["targets"].values():
        assert result["requests"] > 0 and result["errors"] == 0
        assert result["p99_ms"] >= result["p50_ms"] > 0 and result["server_cpu_ms_per_request"] > 0
        assert result["rss_kib"]["after_run"] > 0
    assert report["ratios"]["embedded / hosted 1 replica"] > 0
