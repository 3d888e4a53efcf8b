"""A police zone on PostGIS: writers in one municipality, writers spread over two, and two police deciding the same
candidates at once (the lock choice in docs/ARCHITECTURE.md, "A police zone").

Each municipality is its own schema with its own write lock, so 16 writers split over two municipalities wait
for each other only within one; two police who decide on the same candidate at the same moment are serialised by
that lock, and the second sees the first's decision (one decision, one audit line per candidate).

``BUURTKAART_TEST_PG_URL=$(.ci/postgres.sh) python benchmarks/run.py zone``
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from buurtkaart import zones  # noqa: E402
from buurtkaart.errors import InputError  # noqa: E402
from buurtkaart.members import audit, membership  # noqa: E402
from buurtkaart.workspace import Workspace  # noqa: E402

PG_ENV = "BUURTKAART_TEST_PG_URL"
PER_WRITER = 20
_STATE: dict[str, object] = {}


def _apply(location: str, count: int, barrier, results) -> None:
    ws = Workspace.open(location)
    index, groups, texts = _STATE[location]  # type: ignore[misc]  # built in the parent, inherited through fork
    barrier.wait()
    for k in range(count):
        membership.submit_application(ws, membership.Application(
            name="Bench Schrijver", address_text=texts[k % len(texts)], phone="0470 00 00 00",
            declaration_accepted=True, consent_police=True), index=index, groups=groups)
    results.put(("stored", count))


def _decide(zone_location: str, username: str, candidates: list[tuple[str, str]], barrier, results) -> None:
    zone = zones.open_zone(zone_location)
    police = zones.zone_user(zone, username)
    barrier.wait()
    decided = refused = 0
    for nis, member_id in candidates:
        try:
            zones.screen(zone, police, nis, member_id, approved=True)
            decided += 1
        except InputError:  # the other officer decided first: the status is no longer "kandidaat"
            refused += 1
    results.put((decided, refused))


def _run(jobs: list[tuple]) -> tuple[float, list]:
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(len(jobs) + 1), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, barrier, results)) for target, *args in jobs]
    for p in procs:
        p.start()
    barrier.wait()
    started = time.perf_counter()
    out = [results.get(timeout=900) for _ in procs]
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join()
    return elapsed, out


def _prepare(location: str) -> None:
    from buurtkaart.assignment.points import GroupIndex
    from buurtkaart.geocoding.lookup import AddressIndex
    from buurtkaart.synthetic import make_demo_workspace

    ws = make_demo_workspace(location)
    addresses = ws.read("addresses")
    plain = addresses[addresses["box"].isna() & addresses["suffix"].isna()].head(300)
    texts = [f"{r.street} {r.housenumber}, {r.postcode}" for r in plain.itertuples()]
    _STATE[location] = (AddressIndex.from_workspace(ws), GroupIndex.from_workspace(ws), texts)


def _members(location: str) -> int:
    return len(Workspace.open(location).read("members"))


def main() -> None:
    url = os.environ.get(PG_ENV)
    if not url:
        print(f"(no {PG_ENV}: a zone exists only on PostGIS; run .ci/postgres.sh)")
        return
    from buurtkaart import _pg
    from buurtkaart.members.accounts import create_user

    tag = uuid.uuid4().hex[:8]
    sep = "&" if "?" in url else "?"
    schemas = {name: f"bench_{name}_{tag}" for name in ("asse", "merchtem", "zone")}
    loc = {name: f"{url}{sep}schema={schema}" for name, schema in schemas.items()}
    try:
        started = time.perf_counter()
        _prepare(loc["asse"])
        _prepare(loc["merchtem"])
        zone = zones.create_zone(loc["zone"], "AMOW")
        zones.add_municipality(zone, loc["asse"], nis_code="23002")
        zones.add_municipality(zone, loc["merchtem"], nis_code="23052")
        for name in ("politie.a", "politie.b"):
            create_user(zone, name, "bench-wachtwoord-lang", role="police")
        print(f"zone of two demo municipalities written in {time.perf_counter() - started:.1f} s")

        before = _members(loc["asse"])
        elapsed, _ = _run([(_apply, loc["asse"], PER_WRITER)] * 16)
        stored = _members(loc["asse"]) - before
        print(f"16 writers in one municipality: {stored} of {16 * PER_WRITER} applications in {elapsed:.1f} s "
              f"({elapsed / (16 * PER_WRITER) * 1000:.0f} ms per application)")

        before = _members(loc["asse"]) + _members(loc["merchtem"])
        elapsed, _ = _run([(_apply, loc["asse"], PER_WRITER)] * 8 + [(_apply, loc["merchtem"], PER_WRITER)] * 8)
        stored = _members(loc["asse"]) + _members(loc["merchtem"]) - before
        print(f"16 writers over two municipalities (8 + 8): {stored} of {16 * PER_WRITER} applications in "
              f"{elapsed:.1f} s ({elapsed / (16 * PER_WRITER) * 1000:.0f} ms per application)")

        queue = zones.screening_queue(zone, zones.zone_user(zone, "politie.a"))
        candidates = list(zip(queue["nis_code"], queue["member_id"], strict=True))[:200]
        elapsed, out = _run([(_decide, loc["zone"], "politie.a", candidates),
                             (_decide, loc["zone"], "politie.b", candidates)])
        decided, refused = sum(o[0] for o in out), sum(o[1] for o in out)
        logs = [audit.read_log(Workspace.open(loc[m]), audit.CLI_ACTOR) for m in ("asse", "merchtem")]
        lines = sum(int((log["action"] == "gewijzigd").sum()) for log in logs)
        print(f"2 police deciding the same {len(candidates)} candidates at once: {decided} decisions, {refused} "
              f"refused as already decided, {lines} audit lines of a decision, in {elapsed:.1f} s"
              f"{'' if decided == lines == len(candidates) else '  <-- DOUBLE OR LOST DECISIONS'}")
    finally:
        _pg.close_pool()
        for location in loc.values():
            with _pg.connect(_pg.parse_location(location), autocommit=True) as con:
                _pg.drop_schema(con)


if __name__ == "__main__":
    main()
