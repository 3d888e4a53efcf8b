"""Workspace write mechanics (issue 13): what a write, a record change, a backup and a restore cost on the demo
town, how often readers fail while whole layers are rewritten, and whether a writer killed at random moments ever
leaves a workspace that does not open.

``python benchmarks/run.py workspace`` (about a minute). ``BENCH_READ_S`` sets the length of the reader run
(default 10 s, the issue measured 30 s).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import sqlite3
import tempfile
import time
from pathlib import Path

from _timing import median_seconds

from buurtkaart.backups import backup, restore
from buurtkaart.synthetic import make_demo_workspace
from buurtkaart.workspace import Workspace

READ_S = float(os.environ.get("BENCH_READ_S", "10"))
KILLS = 10


def bench_writes(ws: Workspace) -> None:
    addresses = ws.read("addresses")
    seconds, _ = median_seconds(lambda: ws.write({"addresses": addresses}), repeat=3)
    print(f"whole-layer write, {len(addresses)} addresses (one SQL transaction in place): {seconds * 1000:.0f} ms")

    def record() -> None:
        with ws.transaction() as con:
            con.execute("INSERT OR REPLACE INTO metadata (key, value) VALUES ('bench', ?)", (str(time.time()),))

    seconds, _ = median_seconds(record, repeat=20)
    print(f"record transaction (lock + BEGIN IMMEDIATE + commit, synchronous=FULL): {seconds * 1000:.1f} ms")
    seconds, _ = median_seconds(lambda: Workspace.open(ws.path), repeat=5)
    print(f"Workspace.open (WAL check + schema check): {seconds * 1000:.0f} ms")


def bench_backup(ws: Workspace, folder: Path) -> None:
    seconds, made = median_seconds(lambda: backup(ws, folder, keep=3), repeat=3)
    print(f"backup (online copy + integrity_check), {made.stat().st_size / 1e6:.1f} MB: {seconds * 1000:.0f} ms")
    seconds, _ = median_seconds(lambda: restore(ws, made, folder=folder / "voor"), repeat=1)
    print(f"restore (backup of the current state + one-transaction copy): {seconds * 1000:.0f} ms")


def _rewriter(path: str, stop) -> None:
    ws = Workspace.open(path)
    addresses = ws.read("addresses")
    while not stop.is_set():
        ws.write({"addresses": addresses})
        ws.set_metadata(bench=str(time.time()))


def _reads(path: str, seconds: float) -> tuple[int, int]:
    ws = Workspace.open(path)
    deadline = time.monotonic() + seconds
    reads = failed = 0
    while time.monotonic() < deadline:
        try:
            if ws.read("addresses").empty or not ws.metadata:
                failed += 1
        except Exception:  # counted, that is the figure
            failed += 1
        reads += 1
    return reads, failed


def bench_reads_under_writes(ws: Workspace) -> None:
    reads, failed = _reads(str(ws.path), READ_S)
    print(f"reads in {READ_S:.0f} s without writers: {reads}, failed: {failed}")
    ctx = mp.get_context("fork")
    stop = ctx.Event()
    writers = [ctx.Process(target=_rewriter, args=(str(ws.path), stop)) for _ in range(2)]
    for p in writers:
        p.start()
    time.sleep(3)  # let them start writing
    reads, failed = _reads(str(ws.path), READ_S)
    stop.set()
    for p in writers:
        p.join(timeout=60)
    print(f"reads in {READ_S:.0f} s while 2 processes rewrite whole layers: {reads}, failed: {failed}")


def _endless_writer(path: str) -> None:
    ws = Workspace.open(path)
    addresses = ws.read("addresses")
    i = 0
    while True:
        ws.write({"addresses": addresses.iloc[: len(addresses) - i % 50]})
        i += 1


def bench_kills(ws: Workspace) -> None:
    rng = random.Random(13)
    recovered = 0
    ctx = mp.get_context("fork")
    for _ in range(KILLS):
        proc = ctx.Process(target=_endless_writer, args=(str(ws.path),))
        proc.start()
        time.sleep(rng.uniform(1.0, 3.0))
        os.kill(proc.pid or 0, signal.SIGKILL)
        proc.join()
        try:
            con = sqlite3.connect(ws.path.resolve().as_uri() + "?mode=ro", uri=True)
            ok = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            con.close()
            ok = ok and Workspace(ws.path).metadata.get("schema_version") == "1" and len(ws.read("addresses")) > 0
        except Exception:
            ok = False
        recovered += ok
    print(f"writer killed at a random moment: the next read-only open worked {recovered} of {KILLS} times")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = make_demo_workspace(folder / "demo.gpkg")
        bench_writes(ws)
        bench_backup(ws, folder / "kopieen")
        bench_reads_under_writes(ws)
        bench_kills(ws)


if __name__ == "__main__":
    main()
