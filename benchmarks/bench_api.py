"""The public API under load and the street answers, on the real Asse workspace (demo town where
../shared/realdata is absent).

* street answers: a sample of streets through ``street_answer`` on the address layer (an index built per
  call) and every street through the per-street :class:`buurtkaart.assignment.streets.StreetIndex` (first
  and repeated answer); target < 10 ms per street;
* ``buurtkaart serve`` started in its own process on 127.0.0.1 (rate limit off), then a load test with a small
  asyncio HTTP/1.1 keep-alive client (each virtual client sends its next request as soon as the answer is in),
  for 1, 10 and 50 concurrent clients, ``SECONDS_PER_LEVEL`` each: requests per second, p50/p95/p99 latency and
  errors. Queries: 400 register addresses, some with a typo, some streets only, asked again and again (so mostly
  answered from the server's answers cache), then at 10 clients questions that are each asked once (no cache).
  Targets: >= 300 requests/s and p95 < 50 ms at 10 clients, no errors.

    python benchmarks/run.py api
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from buurtkaart.assignment.points import GroupIndex  # noqa: E402
from buurtkaart.assignment.streets import StreetIndex, street_answer  # noqa: E402
from buurtkaart.workspace import Workspace  # noqa: E402
from tests.app.conftest import build_asse, build_demo  # noqa: E402
from tests.conftest import REALDATA  # noqa: E402

HOST = "127.0.0.1"  # loopback only: this benchmark never talks to another machine
LEVELS = (1, 10, 50)
SECONDS_PER_LEVEL = 8.0
START_TIMEOUT_S = 120.0


def _workspace(folder: Path) -> Workspace:
    if REALDATA.is_dir():
        started = time.perf_counter()
        ws = build_asse(folder / "asse.gpkg")
        print(f"real Asse workspace imported in {time.perf_counter() - started:.1f} s "
              f"({len(ws.read('addresses')):,} addresses, {len(ws.read('groups'))} groups = the Asse wijken)")
        return ws
    print(f"(real data absent at {REALDATA}: using the demo town)")
    return build_demo(folder / "demo.gpkg")


def bench_street_answers(ws: Workspace) -> None:
    addresses = ws.read("addresses")
    groups = GroupIndex.from_workspace(ws)
    names = sorted(addresses["street"].dropna().astype(str).unique())
    sample = names[:: max(1, len(names) // 86)][:86]
    started = time.perf_counter()
    old = [street_answer(n, addresses=addresses, groups=groups).text for n in sample]
    old_s = time.perf_counter() - started
    started = time.perf_counter()
    index = StreetIndex(addresses, groups)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    new = [index.answer(n).text for n in names]
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    for n in names:
        index.answer(n)
    again_s = time.perf_counter() - started
    same = all(a == index.answer(n).text for a, n in zip(old, sample, strict=True))
    print(f"street answer one by one (street_answer on the address layer, an index built per call), "
          f"{len(sample)} streets: {1000 * old_s / len(sample):.1f} ms per street ({old_s:.2f} s)")
    print(f"street answer from the StreetIndex (built once in {build_s:.2f} s): all {len(names)} streets, first "
          f"answer {1000 * first_s / len(new):.2f} ms per street, repeated {1000 * again_s / len(names):.3f} ms; "
          f"same texts as before: {'ja' if same else 'NEE'} (target < 10 ms)")


def _queries(ws: Workspace, n: int = 400) -> list[str]:
    rng = random.Random(18)
    addresses = ws.read("addresses").dropna(subset=["street"])
    rows = addresses.sample(n, random_state=18)
    out = []
    for r in rows.itertuples():
        suffix = r.suffix if isinstance(r.suffix, str) else ""
        text = f"{r.street} {r.housenumber}{suffix}, {r.postcode}"
        kind = rng.random()
        if kind < 0.15:
            text = str(r.street)
        elif kind < 0.3:
            i = rng.randrange(1, max(2, len(str(r.street)) - 1))
            text = f"{str(r.street)[:i]}{str(r.street)[i + 1:]} {r.housenumber}"
        out.append(text)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _start(ws: Workspace, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as fh:
        command = [sys.executable, "-c", "from buurtkaart.cli import main; main()", "-w", str(ws.path), "serve",
                   "--host", HOST, "--port", str(port), "--per-minute", "0"]
        proc = subprocess.Popen(command, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"buurtkaart serve stopped (exit {proc.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/openapi.json", timeout=1) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"buurtkaart serve did not answer within {START_TIMEOUT_S} s; see {log}")


async def _client(port: int, queries: list[str], offset: int, until: float, times: list[float],
                  errors: list[str]) -> None:
    """One virtual resident on its own keep-alive connection: request, read the whole answer, next request."""
    reader, writer = await asyncio.open_connection(HOST, port)
    i = offset
    try:
        while time.perf_counter() < until:
            path = "/api/v1/groep?adres=" + urllib.parse.quote(queries[i % len(queries)])
            i += 1
            began = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            await reader.readexactly(length)
            times.append(time.perf_counter() - began)
            if status != 200:
                errors.append(str(status))
    finally:
        writer.close()


async def _level(port: int, queries: list[str], clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    times: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    until = started + seconds
    results = await asyncio.gather(*(_client(port, queries, k * 37, until, times, errors) for k in range(clients)),
                                   return_exceptions=True)
    errors += [type(r).__name__ for r in results if isinstance(r, BaseException)]
    return times, errors, time.perf_counter() - started


def _pct(values: list[float], q: float) -> float:
    return 1000 * statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else float("nan")


def _report(label: str, times: list[float], errors: list[str], wall: float) -> None:
    print(f"  {label}: {len(times) / wall:6.0f} requests/s, p50 {_pct(times, 50):6.1f} ms, "
          f"p95 {_pct(times, 95):6.1f} ms, p99 {_pct(times, 99):6.1f} ms, errors {len(errors)} "
          f"({len(times)} answers in {wall:.1f} s)")


def bench_load(ws: Workspace, folder: Path) -> None:
    port = _free_port()
    started = time.perf_counter()
    proc = _start(ws, port, folder / "serve.log")
    print(f"buurtkaart serve ready in {time.perf_counter() - started:.1f} s (one uvicorn process, 127.0.0.1; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, the load client on the same cores)")
    try:
        queries = _queries(ws)
        asyncio.run(_level(port, queries, 2, 1.0))  # warm-up
        for clients in LEVELS:
            times, errors, wall = asyncio.run(_level(port, queries, clients, SECONDS_PER_LEVEL))
            _report(f"{clients:>2} clients", times, errors, wall)
        # every question new (no answer from the cache): the worst case of a newsletter
        fresh = _queries(ws, n=min(len(ws.read("addresses")), 10_000))
        times, errors, wall = asyncio.run(_level(port, fresh, 10, SECONDS_PER_LEVEL))
        _report("10 clients, every question new (cache misses)", times, errors, wall)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = _workspace(folder)
        bench_street_answers(ws)
        bench_load(ws, folder)


if __name__ == "__main__":
    main()
