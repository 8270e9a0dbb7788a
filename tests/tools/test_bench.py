"""`python -m tools.bench` runs end to end (a very short run) and writes its report."""

from __future__ import annotations

import json
from pathlib import Path

from tools import bench


def test_a_short_bench_run_reports(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    assert bench.main(["--clients", "4", "--seconds", "0.5", "--warmup", "0.2", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["requests"] > 0 and report["errors"] == 0
    assert report["p99_ms"] >= report["p50_ms"] > 0
    assert report["rss_kib"]["peak"] > 0
