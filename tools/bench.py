"""`python -m tools.bench` (`make bench`): ITI-43 through the DGWS gate with the journal on (durable), N concurrent
keep-alive clients, against each target in turn, side by side in one run: the embedded mock (one process), the
hosted mock with one and with two replicas on one PostgreSQL behind HAProxy, WireMock serving the same answer bytes
as a static stub (when Java is installed; the npm package `wiremock` carries its jar), and with `--before DIR` the
mock of another checkout (e.g. a worktree of main before a change: its one process `before1`, and its hosted mode
with one and two replicas `beforehosted1`/`beforehosted2` on the same PostgreSQL and load balancer; `before2`, its
`--workers 2` without a database, is only for a checkout older than the hosted mode). Requests/s, p50/p99 latency,
CPU per request summed over every process a target needs (mock, PostgreSQL, load balancer), RSS, and the ratios.
`--rounds N` alternates the targets N times and reports each target's median round (the machine's speed moves).
`--requests 1000000` is the long mode: it runs until that many answers, samples RSS and reports its slope.

It reports; it never fails on a slow machine. Output: stdout and reports/bench/mock-nsp.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

import nsp_vocabulary as v
from mock_nsp import client as dgws
from tools import bench_proc as proc_info
from tools import bench_targets as targets

CVR = "12345678"
CPR = "0408501111"
TARGET = {"requests_per_second": 2000, "p99_ms": 25}


def prepare(base: str) -> tuple[bytes, bytes]:
    """A citizen, a system card, the document id; one ready ITI-43 HTTP body and the answer the mock gives it."""
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
        body = dgws.service_envelope(card, dgws.iti43_body(doc_id), hsuid=dgws.hsuid_header("0101701234", "1"))
        answer = http.post(v.PATH_SFSK_ITI43, content=body,
                           headers={"content-type": "text/xml", "soapaction": f'"{v.ACTION_ITI43}"'})
        answer.raise_for_status()
        return body, answer.content


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
    rounds: int = 1
    targets: list[str] = field(default_factory=lambda: ["embedded", "hosted1", "hosted2", "wiremock"])
    before: Path | None = None
    requests: int | None = None


#: embedded, hosted with 1 and 2 replicas, WireMock; `before1`/`before2` (another checkout) with --before
DEFAULT_TARGETS = ("embedded", "hosted1", "hosted2", "wiremock")


@contextlib.contextmanager
def _started(name: str, opts: Options, tmp: Path, pg: Any, answer: bytes) -> Iterator[targets.Target | None]:
    work = tmp / f"{name}-{time.monotonic_ns()}"
    if name == "embedded":
        with targets.embedded(work) as t:
            yield t
    elif name.startswith("hosted"):
        with targets.hosted(pg, int(name[len("hosted"):]), work) as t:
            yield t
    elif name.startswith("beforehosted") and opts.before is not None:
        with targets.hosted(pg, int(name[len("beforehosted"):]), work, opts.before) as t:
            yield t
    elif name.startswith("before") and opts.before is not None:
        with targets.checkout(opts.before, int(name[len("before"):]), work) as t:
            yield t
    elif name == "wiremock" and (jar := targets.wiremock_jar()) is not None and answer:
        with targets.wiremock(jar, v.PATH_SFSK_ITI43, answer, "text/xml; charset=utf-8") as t:
            yield t
    else:
        yield None


def _measure_target(name: str, opts: Options, tmp: Path, pg: Any, wire: dict[str, bytes]) -> dict[str, Any] | None:
    with _started(name, opts, tmp, pg, wire.get("answer", b"")) as target:
        if target is None:
            return None
        if target.admin is not None:
            body, answer = prepare(target.admin)
            wire.setdefault("body", body)
            wire.setdefault("answer", answer)
        else:
            body = wire["body"]  # a static stub answers any body: the same request bytes
        request = http_request(target.port, body)
        asyncio.run(load(target.port, request, opts.clients, opts.warmup))
        pids = target.pids()
        rss_before, cpu_before = proc_info.total_rss_kib(pids), proc_info.total_cpu_seconds(pids)
        own_cpu = time.process_time()
        seconds = opts.seconds if opts.requests is None else 1e9
        done = asyncio.run(load(target.port, request, opts.clients, seconds, opts.requests, pids,
                                max(1.0, (opts.requests or 0) / 200_000)))
        server_cpu = proc_info.total_cpu_seconds(pids) - cpu_before
        return _report(target, done, len(pids), server_cpu, time.process_time() - own_cpu, rss_before, pids)


def _report(target: targets.Target, done: Load, processes: int, server_cpu: float, client_cpu: float,
            rss_before: int, pids: list[int]) -> dict[str, Any]:
    n = max(1, len(done.latencies))
    return {
        "target": target.name, "notes": target.notes, "processes": processes,
        "seconds": round(done.elapsed, 2), "requests": len(done.latencies), "errors": len(done.errors),
        "requests_per_second": round(len(done.latencies) / done.elapsed, 1),
        "p50_ms": round(percentile(done.latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(done.latencies, 0.99) * 1000, 2),
        "server_cpu_ms_per_request": round(server_cpu * 1000 / n, 3),
        "server_cpu_cores": round(server_cpu / done.elapsed, 2),
        "client_cpu_ms_per_request": round(client_cpu * 1000 / n, 3),
        "rss_kib": {"after_warmup": rss_before, "after_run": proc_info.total_rss_kib(pids)},
        "rss_over_run": _rss_trend(done.samples),
    }


def _rss_trend(samples: list[tuple[int, int]]) -> dict[str, Any]:
    """RSS against requests answered, leaving out the first tenth (caches and the journal's page cache filling)."""
    steady = [(float(n), float(kib)) for n, kib in samples if samples and n >= samples[-1][0] / 10]
    kib = [k for _, k in samples] or [0]
    return {"samples": len(samples), "first_kib": kib[0], "last_kib": kib[-1], "max_kib": max(kib),
            "slope_kib_per_100k_requests": round(proc_info.slope(steady) * 100_000, 1)}


def run(opts: Options, out: Path) -> dict[str, Any]:
    _event_loop()
    names = [n for n in opts.targets if not n.startswith("before") or opts.before is not None]
    rounds: dict[str, list[dict[str, Any]]] = {}
    wire: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="mock-nsp-bench-") as tmp, _postgres(names) as pg:
        for _ in range(opts.rounds):
            for name in sorted(names, key=lambda n: n == "wiremock"):  # WireMock replays a mock's answer
                result = _measure_target(name, opts, Path(tmp), pg, wire)
                if result is not None:
                    rounds.setdefault(name, []).append(result)
    results = {name: _median(found) for name, found in rounds.items()}
    report = {"benchmark": "mock-nsp ITI-43 (DGWS gate + durable journal), side by side", "clients": opts.clients,
              "seconds": opts.seconds, "rounds": opts.rounds, "targets": results, "ratios": _ratios(results),
              "cpu_per_request_ratios": _ratios(results, "server_cpu_ms_per_request"),
              "skipped": [n for n in names if n not in results], "target": TARGET,
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                          "load_average": [round(x, 2) for x in os.getloadavg()]}}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    return report


@contextlib.contextmanager
def _postgres(names: list[str]) -> Iterator[Any]:
    if not any(n.startswith(("hosted", "beforehosted")) for n in names):
        yield None
        return
    from tools.postgres import NoPostgres, TempPostgres

    try:
        server = TempPostgres()
    except NoPostgres as exc:
        print(f"bench: {exc}: no hosted figures", file=sys.stderr)
        yield None
        return
    with server:
        yield server


def _median(found: list[dict[str, Any]]) -> dict[str, Any]:
    """The round with the median throughput (its own latencies and CPU: figures of one run, not mixed)."""
    ordered = sorted(found, key=lambda r: r["requests_per_second"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["rounds_requests_per_second"] = [r["requests_per_second"] for r in found]
    return chosen


#: (name, numerator, denominator): the comparisons the issue asks for
RATIOS = (("embedded / before, 1 process", "embedded", "before1"),
          ("hosted 1 replica / before, hosted 1 replica", "hosted1", "beforehosted1"),
          ("hosted 2 replicas / before, hosted 2 replicas", "hosted2", "beforehosted2"),
          ("hosted 2 replicas / before --workers 2", "hosted2", "before2"),
          ("hosted 2 replicas / hosted 1 replica", "hosted2", "hosted1"),
          ("embedded / hosted 2 replicas", "embedded", "hosted2"),
          ("embedded / hosted 1 replica", "embedded", "hosted1"),
          ("WireMock / hosted 2 replicas", "wiremock", "hosted2"),
          ("WireMock / before --workers 2", "wiremock", "before2"))


def _ratios(results: dict[str, dict[str, Any]], key: str = "requests_per_second") -> dict[str, float]:
    return {name: round(results[a][key] / results[b][key], 2)
            for name, a, b in RATIOS if a in results and b in results and results[b][key]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--rounds", type=int, default=1, help="alternate the targets this often; report the median")
    p.add_argument("--targets", default=",".join(DEFAULT_TARGETS),
                   help="comma-separated: embedded, hosted1, hosted2 (hostedN), wiremock, before1, before2, "
                        "beforehosted1, beforehosted2 (beforehostedN)")
    p.add_argument("--before", type=Path, default=None, help="another checkout (with its .venv) to compare with")
    p.add_argument("--requests", type=int, default=None, help="run until this many answers (long mode; no time limit)")
    p.add_argument("--out", type=Path, default=Path("reports/bench/mock-nsp.json"))
    a = p.parse_args(argv)
    names = [n.strip() for n in a.targets.split(",") if n.strip()]
    if a.before is not None and not any(n.startswith("before") for n in names):
        names += ["before1", "beforehosted1", "beforehosted2"]
    r = run(Options(a.clients, a.seconds, a.warmup, a.rounds, names, a.before, a.requests), a.out)
    _print(r, a.out)
    return 0


def _print(r: dict[str, Any], out: Path) -> None:
    print(f"mock-nsp ITI-43 bench: {r['clients']} keep-alive clients, {r['seconds']} s per target, "
          f"{r['rounds']} round(s) (median shown)")
    print(f"  {'target':60} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11} {'cores':>6} {'errors':>7}")
    for t in r["targets"].values():
        print(f"  {t['target']:60} {t['requests_per_second']:>8} {t['p50_ms']:>8} {t['p99_ms']:>8} "
              f"{t['server_cpu_ms_per_request']:>11} {t['server_cpu_cores']:>6} {t['errors']:>7}")
        for note in t["notes"]:
            print(f"    ({note})")
    cpu = r.get("cpu_per_request_ratios", {})
    for name, ratio in r["ratios"].items():
        print(f"  {name:60} {ratio:>8}x req/s  {cpu.get(name, '-'):>6}x CPU/req")
    if r["skipped"]:
        print(f"  not measured (not installed): {', '.join(r['skipped'])}")
    print(f"  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs "
          f"(other work on the machine lowers these numbers)  → {out}")


if __name__ == "__main__":
    raise SystemExit(main())
