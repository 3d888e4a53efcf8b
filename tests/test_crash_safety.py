"""A writer killed at a random moment (SIGKILL: no cleanup, no atexit) never takes the workspace down: after each
kill the file opens read-only and read-write, passes ``PRAGMA integrity_check`` and holds exactly the committed
data. Three writers: the library (whole-layer writes and record writes), ``buurtkaart import`` and
``buurtkaart members erase`` (a transaction and a VACUUM)."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import X0, Y0
from tests.members_helpers import apply, make_ws

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

KILLS = int(os.environ.get("BUURTKAART_KILLS", "20"))
_ROWS = 1500

def _library_writer(path: str, progress: str, start: int) -> None:
    ws = Workspace.open(path)
    with open(progress, "a") as out:
        v = start
        while True:
            v += 1
            n = _ROWS + (v % 7) * 100
            frame = gpd.GeoDataFrame({"address_id": [f"a{v}-{i}" for i in range(n)], "street": f"S{v}",
                                      "housenumber": list(range(1, n + 1)), "postcode": "1730"},
                                     geometry=gpd.points_from_xy([X0 + i % 100 for i in range(n)],
                                                                 [Y0 + i // 100 for i in range(n)]), crs=WORKING_CRS)
            meta = {**ws.metadata, "round": str(v)}
            ws.write({"addresses": frame, "metadata": pd.DataFrame({"key": list(meta), "value": list(meta.values())})})
            with ws.transaction() as con:
                con.execute("INSERT INTO metadata (key, value) VALUES (?, ?)", (f"rec{v}", str(v)))
            out.write(f"{v}\n")
            out.flush()


def _cli_child(*args: str) -> None:
    from buurtkaart.cli import main

    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        main(list(args))


def _start(target, *args) -> mp.process.BaseProcess:
    """A writer forked from this warm process (starts in milliseconds, so the kills land in its work)."""
    proc = mp.get_context("fork").Process(target=target, args=args)
    proc.start()
    return proc


def _kill_after(proc: mp.process.BaseProcess, delay_s: float) -> bool:
    """SIGKILL ``proc`` after ``delay_s``; True when it was still running (killed), False when it had ended."""
    proc.join(timeout=delay_s)
    if proc.exitcode is not None:
        return False
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    return True


def _check_opens(path: Path) -> None:
    """Read-only (SQLite and GDAL) and read-write opens, and an integrity check."""
    ro = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        assert ro.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        ro.close()
    assert Workspace(path).metadata["schema_version"] == "1"  # GDAL, read-only
    ws = Workspace.open(path)
    with ws.transaction() as con:
        con.execute("SELECT count(*) FROM addresses").fetchone()


def _last_progress(progress: Path) -> int:
    lines = progress.read_text().split()
    return int(lines[-1]) if lines else 0


@pytest.mark.slow
def test_library_writer_killed_at_random_moments(tmp_path: Path, two_squares) -> None:
    ws = make_ws(tmp_path, two_squares)
    progress = tmp_path / "progress.txt"
    progress.write_text("")
    rng = random.Random(13)
    kills = 0
    start = 0
    while kills < KILLS:
        committed_before = _last_progress(progress)
        proc = _start(_library_writer, str(ws.path), str(progress), start)
        deadline = time.monotonic() + 120
        while _last_progress(progress) == committed_before:  # wait until it writes
            assert proc.exitcode is None
            assert time.monotonic() < deadline
            time.sleep(0.02)
        kills += _kill_after(proc, rng.uniform(0.0, 0.5))
        _check_opens(ws.path)
        last = _last_progress(progress)
        meta = ws.metadata
        stored = int(meta["round"])
        assert stored in (last, last + 1), (stored, last)
        addresses = ws.read("addresses")
        assert len(addresses) == _ROWS + (stored % 7) * 100
        assert set(addresses["street"]) == {f"S{stored}"}
        if stored == last:
            assert meta[f"rec{stored}"] == str(stored)  # its record write was committed too
        start = stored


def _address_csv(path: Path, street: str, count: int) -> set[str]:
    frame = pd.DataFrame({"address_id": [f"{street}-{i}" for i in range(count)], "street": street,
                          "housenumber": range(1, count + 1), "postcode": "1730",
                          "x": [X0 + 5 + (i % 90) for i in range(count)],
                          "y": [Y0 + 5 + (i // 90) % 90 for i in range(count)]})
    frame.to_csv(path, index=False)
    return set(frame["address_id"])


@pytest.mark.slow
def test_cli_import_killed_at_random_moments(tmp_path: Path, two_squares) -> None:
    ws = make_ws(tmp_path, two_squares)
    files = {name: tmp_path / f"{name}.csv" for name in ("A", "B")}
    ids = {name: _address_csv(path, f"Straat{name}", 800 + 400 * (name == "B")) for name, path in files.items()}
    started = time.monotonic()
    proc = _start(_cli_child, "--workspace", str(ws.path), "import", "addresses", str(files["A"]))
    proc.join(timeout=300)
    assert proc.exitcode == 0
    duration_s = time.monotonic() - started
    rng = random.Random(1313)
    stored = "A"
    kills = 0
    for _ in range(10 * KILLS):
        target = "B" if stored == "A" else "A"
        proc = _start(_cli_child, "--workspace", str(ws.path), "import", "addresses", str(files[target]), "--force")
        killed = _kill_after(proc, rng.uniform(0.5, 1.1) * duration_s)
        kills += killed
        _check_opens(ws.path)
        now = set(ws.read("addresses")["address_id"])
        assert now in (ids["A"], ids["B"])
        if not killed:
            assert proc.exitcode == 0 and now == ids[target]
        stored = "A" if now == ids["A"] else "B"
        if kills == KILLS:
            break
    assert kills == KILLS


@pytest.mark.slow
def test_cli_erasure_killed_at_random_moments(tmp_path: Path, two_squares) -> None:
    ws = make_ws(tmp_path, two_squares)
    frame = gpd.GeoDataFrame({"address_id": [f"f{i}" for i in range(3000)], "street": "Vulstraat",
                              "housenumber": range(1, 3001), "postcode": "1730"},
                             geometry=gpd.points_from_xy([X0 + 5.0] * 3000, [Y0 + 5.0] * 3000), crs=WORKING_CRS)
    ws.write({"addresses": frame})  # a file of some size, so that VACUUM takes a moment
    people = [apply(ws, name=f"Persoon {i}").member_id for i in range(KILLS * 4)]
    started = time.monotonic()
    proc = _start(_cli_child, "--workspace", str(ws.path), "members", "erase", people.pop(), "--yes")
    proc.join(timeout=300)
    assert proc.exitcode == 0
    duration_s = time.monotonic() - started
    rng = random.Random(31)
    kills = 0
    while kills < KILLS and people:
        member_id = people.pop()
        proc = _start(_cli_child, "--workspace", str(ws.path), "members", "erase", member_id, "--yes")
        # kill early enough in the erasure that a loaded machine still catches most runs in flight
        kills += _kill_after(proc, rng.uniform(0.3, 0.95) * duration_s)
        _check_opens(ws.path)
        members = set(ws.read("members")["member_id"])
        assert set(people) <= members  # nobody else touched
        log = ws.read("audit_log")
        erased = log[(log["action"] == "verwijderd") & (log["subject_ids"] == member_id)]
        assert (member_id in members) == erased.empty  # erased and audited together, or neither
    assert kills == KILLS


def test_hot_journal_of_an_old_file_is_rolled_back_on_open(tmp_path: Path, two_squares) -> None:
    """A file from before WAL mode, left with a hot rollback journal by a killed writer, opens by itself."""
    ws = make_ws(tmp_path, two_squares)
    con = sqlite3.connect(ws.path, isolation_level=None)
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    crash = ("import os, signal, sqlite3, sys\n"
             "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
             "con.execute('PRAGMA cache_size=1')\n"
             "con.execute('BEGIN IMMEDIATE')\n"
             "con.execute('DELETE FROM metadata')\n"
             "con.execute('CREATE TABLE filler (x)')\n"
             "con.executemany('INSERT INTO filler VALUES (?)', [(b'x' * 4000,)] * 200)\n"
             "os.kill(os.getpid(), signal.SIGKILL)\n")
    subprocess.run([sys.executable, "-c", crash, str(ws.path)], check=False)
    assert ws.path.with_name(ws.path.name + "-journal").exists()
    with pytest.raises(sqlite3.DatabaseError):  # what every read-only reader used to hit
        sqlite3.connect(ws.path.resolve().as_uri() + "?mode=ro", uri=True).execute(
            "SELECT count(*) FROM metadata").fetchone()
    assert Workspace.open(ws.path).metadata["municipality"] == "Teststad"  # recovers, under the lock
    _check_opens(ws.path)
    assert not ws.path.with_name(ws.path.name + "-journal").exists()
