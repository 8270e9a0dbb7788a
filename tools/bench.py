"""`python -m tools.bench`: ITI-43 through the DGWS gate with the journal on (durable), N concurrent keep-alive
clients against a mock NSP subprocess with `--workers` processes; reports requests/s, p50/p99 latency, CPU per
request and RSS summed over the mock's processes (SPEC §8). `--requests 1000000` is the long mode: it runs until
that many answers, samples RSS as it goes and reports its slope (flat = no leak).

It reports; it never fails on a slow machine. Output: stdout and reports/bench/mock-nsp.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

import nsp_vocabulary as v
from mock_nsp import client as dgws
from nspcert.processes import free_port
from tools import bench_proc as proc_info

CVR = "12345678"
CPR = "0408501111"
TARGET = {"requests_per_second": 2000, "p99_ms": 25}


def start_mock(port: int, workdir: Path, journal_async: bool = False, workers: int = 1) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "mock_nsp", "--host", "127.0.0.1", "--port", str(port),
           "--state-dir", str(workdir / "state"), "--journal", str(workdir / "journal.sqlite"),
           "--journal-cap", "100000", "--workers", str(workers), *(["--journal-async"] if journal_async else [])]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/__admin/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the mock NSP did not start")


def prepare(base: str) -> bytes:
    """A citizen, a system card, the document id; returns one ready ITI-43 HTTP request's body."""
    with httpx.Client(base_url=base, timeout=30) as http:
        http.put(f"/__admin/citizens/{CPR}", json={
            "name": {"given": ["Bench"], "family": "Mark"}, "birth_date": "1950-08-04",
            "fgvh": {"registered_at": "2025-01-01T10:00:00+01:00"},
            "typed_in": {"relatives": [{"given": "Hanne", "family": "Mark", "relation": "datter",
                                        "phones": [{"use": "H", "value": "+4512345678"}]}],
                         "language": {"code": "de"}}}).raise_for_status()
        cert = http.post("/__admin/certificates", json={"kind": "function", "cvr": CVR, "name": "Bench"}).json()
        rst = dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], CVR, "Bench")
        sts = http.post(v.PATH_STS, content=rst, headers={"content-type": "text/xml"})
        sts.raise_for_status()
        card = dgws.card_from_response(sts.content)
        query = dgws.service_envelope(card, dgws.iti18_body(CPR))
        r = http.post(v.PATH_SFSK_ITI18, content=query,
                      headers={"content-type": "text/xml", "soapaction": f'"{v.ACTION_ITI18}"'})
        doc_id = r.text.split(f'identificationScheme="{v.SCHEME_DOCUMENT_UNIQUE_ID}"')[1].split('value="')[1]
        doc_id = doc_id.split('"')[0].replace("&amp;", "&")
        return dgws.service_envelope(card, dgws.iti43_body(doc_id), hsuid=dgws.hsuid_header("0101701234", "1"))


def http_request(port: int, body: bytes) -> bytes:
    head = (f"POST {v.PATH_SFSK_ITI43} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: text/xml; charset=utf-8\r\nSOAPAction: \"{v.ACTION_ITI43}\"\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return status


@dataclass
class Load:
    """One load phase: latencies, non-200 statuses, wall time, and (requests done, RSS KiB) samples."""

    until: float
    budget: int | None = None
    latencies: list[float] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)
    samples: list[tuple[int, int]] = field(default_factory=list)
    elapsed: float = 0.0

    def more(self) -> bool:
        return time.perf_counter() < self.until and (self.budget is None or len(self.latencies) < self.budget)


async def _client(port: int, request: bytes, run: Load) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while run.more():
            started = time.perf_counter()
            writer.write(request)
            status = await _read_response(reader)
            run.latencies.append(time.perf_counter() - started)
            if status != 200:
                run.errors.append(status)
    finally:
        writer.close()


async def _sample(run: Load, pids: list[int], every: float) -> None:
    while run.more():
        run.samples.append((len(run.latencies), proc_info.total_rss_kib(pids)))
        await asyncio.sleep(every)


async def load(port: int, request: bytes, clients: int, seconds: float, budget: int | None = None,
               pids: list[int] | None = None, sample_every: float = 1.0) -> Load:
    started = time.perf_counter()
    run = Load(started + seconds, budget)
    sampler = asyncio.create_task(_sample(run, pids, sample_every)) if pids else None
    await asyncio.gather(*(_client(port, request, run) for _ in range(clients)))
    run.elapsed = time.perf_counter() - started
    if sampler is not None:
        await sampler
        run.samples.append((len(run.latencies), proc_info.total_rss_kib(pids or [])))
    return run


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _event_loop() -> None:
    """uvloop for the clients when installed: the load generator shares the machine's cores with the mock."""
    try:
        import uvloop
    except ImportError:
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


@dataclass
class Options:
    clients: int = 32
    seconds: float = 10.0
    warmup: float = 2.0
    workers: int = 1
    requests: int | None = None
    journal_async: bool = False


def run(opts: Options, out: Path) -> dict[str, Any]:
    _event_loop()
    with tempfile.TemporaryDirectory(prefix="mock-nsp-bench-") as tmp:
        port = free_port()
        proc = start_mock(port, Path(tmp), opts.journal_async, opts.workers)
        try:
            request = http_request(port, prepare(f"http://127.0.0.1:{port}"))
            asyncio.run(load(port, request, opts.clients, opts.warmup))
            result = _measure(port, request, proc.pid, opts)
        finally:
            proc.terminate()
            proc.wait(60)
    result["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                         "load_average": [round(x, 2) for x in os.getloadavg()]}
    result["meets_target"] = (result["requests_per_second"] >= TARGET["requests_per_second"]
                              and result["p99_ms"] <= TARGET["p99_ms"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return result


def _measure(port: int, request: bytes, pid: int, opts: Options) -> dict[str, Any]:
    pids = proc_info.tree(pid)
    rss_before, cpu_before = proc_info.total_rss_kib(pids), proc_info.total_cpu_seconds(pids)
    own_cpu = time.process_time()
    seconds = opts.seconds if opts.requests is None else 1e9
    done = asyncio.run(load(port, request, opts.clients, seconds, opts.requests, pids,
                            max(1.0, (opts.requests or 0) / 200_000)))
    server_cpu = proc_info.total_cpu_seconds(pids) - cpu_before
    client_cpu = time.process_time() - own_cpu
    return _report(done, opts, len(pids), server_cpu, client_cpu, rss_before, pids)


def _report(done: Load, opts: Options, processes: int, server_cpu: float, client_cpu: float, rss_before: int,
            pids: list[int]) -> dict[str, Any]:
    n = max(1, len(done.latencies))
    return {
        "benchmark": "mock-nsp ITI-43 (DGWS gate + journal on)",
        "journal": "async" if opts.journal_async else "durable (answer after commit)",
        "workers": opts.workers, "processes": processes, "clients": opts.clients,
        "seconds": round(done.elapsed, 2), "requests": len(done.latencies), "errors": len(done.errors),
        "requests_per_second": round(len(done.latencies) / done.elapsed, 1),
        "p50_ms": round(percentile(done.latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(done.latencies, 0.99) * 1000, 2),
        "server_cpu_ms_per_request": round(server_cpu * 1000 / n, 3),
        "server_cpu_cores": round(server_cpu / done.elapsed, 2),
        "client_cpu_ms_per_request": round(client_cpu * 1000 / n, 3),
        "rss_kib": {"after_warmup": rss_before, "after_run": proc_info.total_rss_kib(pids),
                    "peak": proc_info.total_rss_kib(pids, "VmHWM")},
        "rss_over_run": _rss_trend(done.samples),
        "target": TARGET,
    }


def _rss_trend(samples: list[tuple[int, int]]) -> dict[str, Any]:
    """RSS against requests answered, leaving out the first tenth (caches and the journal's page cache filling)."""
    steady = [(float(n), float(kib)) for n, kib in samples if samples and n >= samples[-1][0] / 10]
    kib = [k for _, k in samples] or [0]
    return {"samples": len(samples), "first_kib": kib[0], "last_kib": kib[-1], "max_kib": max(kib),
            "slope_kib_per_100k_requests": round(proc_info.slope(steady) * 100_000, 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="mock worker processes (default: CPUs)")
    p.add_argument("--requests", type=int, default=None, help="run until this many answers (long mode; no time limit)")
    p.add_argument("--out", type=Path, default=Path("reports/bench/mock-nsp.json"))
    p.add_argument("--journal-async", action="store_true", help="run the mock with --journal-async")
    a = p.parse_args(argv)
    r = run(Options(a.clients, a.seconds, a.warmup, a.workers, a.requests, a.journal_async), a.out)
    _print(r, a.out)
    return 0


def _print(r: dict[str, Any], out: Path) -> None:
    rss, trend = r["rss_kib"], r["rss_over_run"]
    print(f"mock-nsp ITI-43 bench ({r['journal']} journal): {r['workers']} worker(s) ({r['processes']} processes), "
          f"{r['clients']} clients, {r['requests']} requests in {r['seconds']} s, {r['errors']} errors")
    print(f"  requests/s {r['requests_per_second']}  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms")
    print(f"  server CPU {r['server_cpu_ms_per_request']} ms/request ({r['server_cpu_cores']} cores busy), "
          f"load generator {r['client_cpu_ms_per_request']} ms/request")
    print(f"  RSS (all processes) {rss['after_warmup'] / 1024:.1f} MiB after warm-up, {rss['after_run'] / 1024:.1f} "
          f"after the run; sampled {trend['samples']}x: max {trend['max_kib'] / 1024:.1f} MiB, slope "
          f"{trend['slope_kib_per_100k_requests']} KiB per 100k requests")
    print(f"  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs "
          "(other work on the machine lowers these numbers)")
    print(f"  target >= {TARGET['requests_per_second']} req/s and p99 <= {TARGET['p99_ms']} ms: "
          f"{'met' if r['meets_target'] else 'not met on this machine'}  → {out}")


if __name__ == "__main__":
    raise SystemExit(main())
