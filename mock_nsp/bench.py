"""`python -m mock_nsp.bench`: ITI-43 through the DGWS gate with the journal on, N concurrent keep-alive
clients against a mock NSP subprocess; reports requests/s, p50/p99 latency and peak RSS (SPEC §8).

It reports; it never fails on a slow machine. Output: stdout and reports/bench/mock-nsp.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from mock_nsp import client as dgws
from nspcert import vocabulary as v

CVR = "12345678"
CPR = "0408501111"
TARGET = {"requests_per_second": 2000, "p99_ms": 25}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_mock(port: int, workdir: Path, journal_async: bool = False) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "mock_nsp", "--host", "127.0.0.1", "--port", str(port),
           "--state-dir", str(workdir / "state"), "--journal", str(workdir / "journal.sqlite"),
           "--journal-cap", "100000", *(["--journal-async"] if journal_async else [])]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
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
        r = http.post(v.PATH_SFSK_ITI18, content=query, headers={"content-type": "text/xml"})
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


async def _client(port: int, request: bytes, until: float, latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(request)
            status = await _read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


async def load(port: int, request: bytes, clients: int, seconds: float) -> tuple[list[float], list[int], float]:
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(_client(port, request, until, latencies, errors) for _ in range(clients)))
    return latencies, errors, time.perf_counter() - started


def rss_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def run(clients: int, seconds: float, warmup: float, out: Path, journal_async: bool = False) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="mock-nsp-bench-") as tmp:
        port = free_port()
        proc = start_mock(port, Path(tmp), journal_async)
        try:
            request = http_request(port, prepare(f"http://127.0.0.1:{port}"))
            asyncio.run(load(port, request, clients, warmup))
            rss_before, cpu_before = rss_kib(proc.pid, "VmRSS"), cpu_seconds(proc.pid)
            latencies, errors, elapsed = asyncio.run(load(port, request, clients, seconds))
            server_cpu = cpu_seconds(proc.pid) - cpu_before
            rss_after, rss_peak = rss_kib(proc.pid, "VmRSS"), rss_kib(proc.pid, "VmHWM")
        finally:
            proc.terminate()
            proc.wait(30)
    result: dict[str, Any] = {
        "benchmark": "mock-nsp ITI-43 (DGWS gate + journal on)",
        "journal": "async" if journal_async else "durable (answer after commit)",
        "clients": clients, "seconds": round(elapsed, 2), "requests": len(latencies), "errors": len(errors),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "server_cpu_ms_per_request": round(server_cpu * 1000 / max(1, len(latencies)), 3),
        "server_cpu_share": round(server_cpu / elapsed, 2),
        "rss_kib": {"after_warmup": rss_before, "after_run": rss_after, "peak": rss_peak},
        "target": TARGET,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average": os.getloadavg()},
    }
    result["meets_target"] = (result["requests_per_second"] >= TARGET["requests_per_second"]
                              and result["p99_ms"] <= TARGET["p99_ms"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m mock_nsp.bench", description=__doc__)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--out", type=Path, default=Path("reports/bench/mock-nsp.json"))
    p.add_argument("--journal-async", action="store_true", help="run the mock with --journal-async")
    args = p.parse_args(argv)
    r = run(args.clients, args.seconds, args.warmup, args.out, args.journal_async)
    print(f"mock-nsp ITI-43 bench ({r['journal']} journal): {r['clients']} clients, {r['requests']} requests in {r['seconds']} s, "
          f"{r['errors']} errors")
    print(f"  requests/s {r['requests_per_second']}  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  "
          f"peak RSS {r['rss_kib']['peak'] / 1024:.1f} MiB (after warm-up {r['rss_kib']['after_warmup'] / 1024:.1f}, "
          f"after run {r['rss_kib']['after_run'] / 1024:.1f})")
    print(f"  server CPU {r['server_cpu_ms_per_request']} ms/request, {r['server_cpu_share']} cores busy")
    print(f"  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs "
          "(other work on the machine lowers these numbers)")
    print(f"  target >= {TARGET['requests_per_second']} req/s and p99 <= {TARGET['p99_ms']} ms: "
          f"{'met' if r['meets_target'] else 'not met on this machine'}  → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
