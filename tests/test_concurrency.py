"""Many app sessions at once: 8 writer processes apply, screen and view for a bounded time while a ninth keeps
replacing the whole file (as an import or a metadata change does). Every write must be stored, none twice.
Runs on both backends (GeoPackage and PostGIS)."""

from __future__ import annotations

import multiprocessing as mp
import time

import pytest

from buurtkaart import audit, member_lists, membership
from buurtkaart.workspace import Workspace
from tests.members_helpers import CO1, POLICE, STAFF, FakeIndex, apply, make_ws

pytest.importorskip("buurtkaart.assign", reason="the group of an address comes from buurtkaart.assign")

WRITERS = 8
DURATION_S = 4.0
MIN_ROUNDS = 3


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


def _replacer(path: str, barrier, stop) -> None:
    ws = Workspace.open(path)
    barrier.wait()
    i = 0
    while not stop.wait(0.25):  # an import or a settings change now and then, not in a tight loop
        ws.set_metadata(replaced=str(i))
        i += 1


@pytest.mark.slow
def test_eight_writers_lose_nothing(new_location, two_squares):
    ws = make_ws(new_location("conc"), two_squares)
    apply(ws)  # the tables exist before the rush
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(WRITERS + 1)
    results = ctx.Queue()
    stop = ctx.Event()
    writers = [ctx.Process(target=_writer, args=(str(ws.path), w, barrier, results)) for w in range(WRITERS)]
    replacer = ctx.Process(target=_replacer, args=(str(ws.path), barrier, stop))
    for p in [*writers, replacer]:
        p.start()
    written: dict[str, str] = {}
    per_worker = {}
    try:
        for _ in range(WRITERS):
            worker, done = results.get(timeout=300)
            assert not isinstance(done, str), f"writer {worker} failed: {done}"
            per_worker[worker] = len(done)
            written.update(done)
    finally:
        stop.set()
        for p in [*writers, replacer]:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    assert all(p.exitcode == 0 for p in writers), [p.exitcode for p in writers]
    assert len(per_worker) == WRITERS and min(per_worker.values()) >= MIN_ROUNDS

    members = ws.read("members")
    stored = dict(zip(members["member_id"], members["status"], strict=True))
    assert len(members) == len(written) + 1
    assert {m: stored.get(m) for m in written} == written
    print(f"{WRITERS} writers stored {len(written)} applications and {len(ws.read('audit_log'))} audit lines "
          f"while the file was replaced {int(ws.metadata['replaced']) + 1} times")

    log = audit.read_log(ws, STAFF)
    assert sorted(log["log_id"]) == list(range(1, len(log) + 1))  # numbered without gaps or duplicates
    created = log[log["action"] == "aangemaakt"]
    assert set(created["subject_ids"]) == set(written) | set(members["member_id"])
    screened = log[(log["action"] == "gewijzigd")]
    assert set(screened["subject_ids"]) == {m for m, s in written.items() if s == "goedgekeurd"}
