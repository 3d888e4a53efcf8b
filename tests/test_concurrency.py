"""Many app sessions at once, for a bounded time (``BUURTKAART_STRESS_S``, default 30 s): 8 writer processes apply,
screen and view, 2 processes import whole address layers (and change metadata), 2 readers keep reading. Every
write must be stored once, and no reader or writer may see an error or a half-written layer. Runs on both backends
(GeoPackage and PostGIS)."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from pathlib import Path

import pandas as pd
import pytest

from buurtkaart.importers import import_file
from buurtkaart.members import audit, membership
from buurtkaart.members import lists as member_lists
from buurtkaart.workspace import Workspace
from tests.conftest import X0, Y0
from tests.members_helpers import CO1, POLICE, STAFF, FakeIndex, apply, make_ws

WRITERS = 8
IMPORTERS = 2
READERS = 2
DURATION_S = float(os.environ.get("BUURTKAART_STRESS_S", "30"))
MIN_ROUNDS = 3
LAYER_SIZES = {"A": 600, "B": 900}


def _writer(path: str, worker: int, barrier, results) -> None:
    try:
        _write(path, worker, barrier, results)
    except BaseException as exc:  # report, so that the test fails with the cause instead of waiting
        results.put((worker, f"{type(exc).__name__}: {exc}"))
        raise


def _write(path: str, worker: int, barrier, results) -> None:
    ws = Workspace.open(path)
    index = FakeIndex()
    barrier.wait()
    deadline = time.monotonic() + DURATION_S
    done: list[tuple[str, str]] = []
    rounds = 0
    while rounds < MIN_ROUNDS or time.monotonic() < deadline:
        receipt = membership.submit_application(
            ws, membership.Application(name=f"Schrijver {worker}-{rounds}", address_text=f"Weststraat {rounds + 1}",
                                       phone="0470 00 00 00", declaration_accepted=True, consent_police=True),
            index=index)
        expected = "kandidaat"
        if rounds % 2 == 0:
            membership.screen(ws, POLICE, receipt.member_id, approved=True)
            expected = "goedgekeurd"
        if rounds % 3 == 0:
            member_lists.group_people(ws, CO1)
        done.append((receipt.member_id, expected))
        rounds += 1
    results.put((worker, done))


def _address_file(folder: Path, name: str) -> Path:
    count = LAYER_SIZES[name]
    path = folder / f"adressen-{name}.csv"
    pd.DataFrame({"address_id": [f"{name}-{i}" for i in range(count)], "street": f"Straat{name}",
                  "housenumber": range(1, count + 1), "postcode": "1730",
                  "x": [X0 + 5 + i % 290 for i in range(count)], "y": [Y0 + 5 + (i // 290) * 10 for i in range(count)]}
                 ).to_csv(path, index=False)
    return path


def _importer(path: str, folder: str, worker: int, barrier, stop, results) -> None:
    """Whole-layer imports (and a metadata change) now and then, as staff do, until told to stop."""
    try:
        ws = Workspace.open(path)
        files = {name: Path(folder) / f"adressen-{name}.csv" for name in LAYER_SIZES}
        barrier.wait()
        imports = 0
        while not stop.wait(0.2):
            import_file(ws, "addresses", files["AB"[(imports + worker) % 2]], force=True)
            ws.set_metadata(**{f"importer{worker}": str(imports)})
            imports += 1
        results.put((f"importer{worker}", imports))
    except BaseException as exc:
        results.put((f"importer{worker}", f"{type(exc).__name__}: {exc}"))
        raise


def _reader(path: str, worker: int, barrier, stop, results) -> None:
    """Reads every layer a page reads, in a loop; any exception or half-written layer is a failure."""
    try:
        ws = Workspace.open(path)
        barrier.wait()
        reads = 0
        while not stop.is_set():
            addresses = ws.read("addresses")
            streets = set(addresses["street"])
            if streets not in ({"StraatA"}, {"StraatB"}):
                raise AssertionError(f"half a layer: {sorted(streets)[:3]}, {len(addresses)} rows")
            if len(addresses) != LAYER_SIZES[streets.pop()[-1]]:
                raise AssertionError(f"{len(addresses)} addresses")
            ws.read("members")
            if ws.metadata.get("schema_version") != "1" or not ws.version_token:
                raise AssertionError("metadata unreadable")
            reads += 1
        results.put((f"reader{worker}", reads))
    except BaseException as exc:
        results.put((f"reader{worker}", f"{type(exc).__name__}: {exc}"))
        raise


@pytest.mark.slow
def test_writers_importers_and_readers_lose_nothing(new_location, tmp_path: Path, two_squares):
    location = new_location("conc")
    ws = make_ws(location, two_squares)
    apply(ws)  # the tables exist before the rush
    for name in LAYER_SIZES:
        _address_file(tmp_path, name)
    import_file(ws, "addresses", tmp_path / "adressen-A.csv")
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(WRITERS + IMPORTERS + READERS + 1)
    results = ctx.Queue()
    stop = ctx.Event()
    writers = [ctx.Process(target=_writer, args=(location, w, barrier, results)) for w in range(WRITERS)]
    others = [ctx.Process(target=_importer, args=(location, str(tmp_path), i, barrier, stop, results))
              for i in range(IMPORTERS)]
    others += [ctx.Process(target=_reader, args=(location, r, barrier, stop, results)) for r in range(READERS)]
    for p in [*writers, *others]:
        p.start()
    written: dict[str, str] = {}
    per_worker = {}
    counts: dict[str, int] = {}
    try:
        barrier.wait(timeout=600)
        for _ in range(WRITERS):
            worker, done = results.get(timeout=600)
            assert not isinstance(done, str), f"{worker} failed: {done}"
            per_worker[worker] = len(done)
            written.update(done)
        stop.set()
        for _ in range(IMPORTERS + READERS):
            name, count = results.get(timeout=300)
            assert not isinstance(count, str), f"{name} failed: {count}"
            counts[name] = count
    finally:
        stop.set()
        for p in [*writers, *others]:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    assert all(p.exitcode == 0 for p in [*writers, *others]), [p.exitcode for p in [*writers, *others]]
    assert len(per_worker) == WRITERS and min(per_worker.values()) >= MIN_ROUNDS
    assert all(counts[f"importer{i}"] >= 1 for i in range(IMPORTERS)), counts
    assert all(counts[f"reader{r}"] >= 1 for r in range(READERS)), counts

    members = ws.read("members")
    stored = dict(zip(members["member_id"], members["status"], strict=True))
    assert len(members) == len(written) + 1
    assert {m: stored.get(m) for m in written} == written
    print(f"{WRITERS} writers stored {len(written)} applications and {len(ws.read('audit_log'))} audit lines; "
          f"{IMPORTERS} importers and {READERS} readers: {counts}, 0 errors")

    log = audit.read_log(ws, STAFF)
    assert sorted(log["log_id"]) == list(range(1, len(log) + 1))  # numbered without gaps or duplicates
    created = log[log["action"] == "aangemaakt"]
    assert set(created["subject_ids"]) == set(written) | set(members["member_id"])
    screened = log[(log["action"] == "gewijzigd")]
    assert set(screened["subject_ids"]) == {m for m, s in written.items() if s == "goedgekeurd"}
