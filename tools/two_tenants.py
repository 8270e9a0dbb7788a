"""`python -m tools.two_tenants [--workers 2]`: the whole catalogue run twice at once against one hosted mock
(PostgreSQL, `--workers N` replicas), each run in a tenant of its own (`nspcert run --nsp URL/t/a` and `…/t/b`),
and once alone against the embedded mock; prints the three verdict lists side by side and whether they agree.

A development check (minutes, not a test): it proves tenants isolate whole certification runs. The three runs'
reports are kept in reports/two-tenants/{a,b,alone}/."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from nspcert.processes import free_port
from tools.postgres import TempPostgres

ROOT = Path(__file__).resolve().parents[1]


def _verdicts(report_dir: Path) -> dict[str, str]:
    (found,) = [p for p in report_dir.glob("*/summary.json") if p.parent.name != "latest"]
    summary = json.loads(found.read_text())
    return {s["nodeid"]: s["verdict"] for s in summary["scenarios"]}


def _run(out: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "nspcert.cli", "run", "--report-dir", str(out), *args],
                            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.two_tenants", description=__doc__)
    p.add_argument("--workers", type=int, default=2)
    a = p.parse_args(argv)
    tmp = ROOT / "reports" / "two-tenants"
    shutil.rmtree(tmp, ignore_errors=True)
    with TempPostgres() as pg:
        port = free_port()
        mock = subprocess.Popen([sys.executable, "-m", "mock_nsp", "--port", str(port), "--database",
                                 pg.database("catalogue"), "--workers", str(a.workers), "--operator-token", "op"],
                                cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(base + "/__admin/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            tokens = {name: httpx.post(base + "/__admin/tenants", json={"name": name},
                                       headers={"authorization": "Bearer op"}).json()["admin_token"]
                      for name in ("a", "b")}
            started = time.monotonic()
            runs = {name: _run(Path(tmp) / name, "--nsp", f"{base}/t/{name}", "-n", "0",
                               env={"NSPCERT_NSP_TOKEN": token}) for name, token in tokens.items()}
            codes = {name: run.wait() for name, run in runs.items()}
            print(f"two tenants at once: exit codes {codes} in {time.monotonic() - started:.0f} s")
        finally:
            mock.terminate()
            mock.wait(30)
        alone = _run(Path(tmp) / "alone", "-n", "2").wait()
        verdicts = {name: _verdicts(Path(tmp) / name) for name in ("a", "b", "alone")}
    print(f"embedded alone: exit {alone}")
    for name, found in verdicts.items():
        counts: dict[str, int] = {}
        for verdict in found.values():
            counts[verdict] = counts.get(verdict, 0) + 1
        print(f"  {name:6} {len(found)} scenarios: {counts}")
    same = verdicts["a"] == verdicts["b"] == verdicts["alone"]
    print("identical verdicts" if same else "VERDICTS DIFFER: " + json.dumps(
        {k: [verdicts[n].get(k) for n in verdicts] for k in verdicts["alone"]
         if len({verdicts[n].get(k) for n in verdicts}) > 1}, indent=1))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
