"""Accounts and members: how long a login, an application, a list and an erasure take on the demo workspace, and
how many applications per second several writer processes store at once.

``python benchmarks/run.py members``
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import tempfile
import time
from pathlib import Path

from buurtkaart.members import accounts, gdpr, membership
from buurtkaart.members import lists as member_lists
from buurtkaart.members.accounts import User

WRITERS = 8
WRITE_S = 5.0


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (n={len(ordered)})"


def _timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def _addresses(ws, n: int) -> list[str]:
    addresses = ws.read("addresses")
    addresses = addresses[addresses["box"].isna() & addresses["suffix"].isna()].head(n)
    return [f"{r.street} {r.housenumber}, {r.postcode}" for r in addresses.itertuples()]


def _writer(path: str, texts: list[str], barrier, results) -> None:
    from buurtkaart.assignment.points import GroupIndex
    from buurtkaart.geocoding.lookup import AddressIndex
    from buurtkaart.workspace import Workspace

    ws = Workspace.open(path)
    index, groups = AddressIndex.from_workspace(ws), GroupIndex.from_workspace(ws)
    barrier.wait()
    deadline = time.monotonic() + WRITE_S
    count = 0
    while time.monotonic() < deadline:
        membership.submit_application(ws, membership.Application(
            name="Bench Schrijver", address_text=texts[count % len(texts)], phone="0470 00 00 00",
            declaration_accepted=True, consent_police=True), index=index, groups=groups)
        count += 1
    results.put(count)


def main() -> None:
    from buurtkaart.assignment.points import GroupIndex
    from buurtkaart.geocoding.lookup import AddressIndex
    from buurtkaart.synthetic import make_demo_workspace

    folder = Path(tempfile.mkdtemp(prefix="bench-members-"))
    started = time.perf_counter()
    ws = make_demo_workspace(folder / "demo.gpkg")
    print(f"demo workspace with accounts: {time.perf_counter() - started:.1f} s, "
          f"{len(ws.read('members'))} members and candidates")

    print("login (argon2id verify + counters + audit line):",
          _ms(_timed(lambda: accounts.authenticate(ws, "demo-gemeente", accounts.DEMO_PASSWORD), 10)))

    index, groups = AddressIndex.from_workspace(ws), GroupIndex.from_workspace(ws)
    texts = _addresses(ws, 200)
    i = iter(range(10**9))
    print("application (lookup + group + insert + audit):", _ms(_timed(lambda: membership.submit_application(
        ws, membership.Application(name="Bench Kandidaat", address_text=texts[next(i) % len(texts)],
                                   phone="0470 00 00 00", declaration_accepted=True, consent_police=True),
        index=index, groups=groups), 30)))

    staff, police = User("bench", "staff"), User("bench-politie", "police")
    coordinator = accounts.get_user(ws, "demo-coordinator")
    print("police screening queue:", _ms(_timed(lambda: member_lists.screening_queue(ws, police), 10)))
    print("coordinator group list:", _ms(_timed(lambda: member_lists.group_people(ws, coordinator), 10)))
    print("sticker list in walking order:", _ms(_timed(lambda: member_lists.sticker_list(ws, coordinator), 10)))
    print("staff: every group's members:", _ms(_timed(lambda: member_lists.group_people(ws, staff), 5)))
    victims = iter(ws.read("members")["member_id"].head(5).tolist())
    print("GDPR erasure (delete + VACUUM):", _ms(_timed(lambda: gdpr.erase_person(ws, staff, next(victims)), 5)))

    ctx = mp.get_context("fork")  # run.py loads this file by path: spawn could not find _writer again
    barrier = ctx.Barrier(WRITERS)
    results = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(str(ws.path), texts, barrier, results)) for _ in range(WRITERS)]
    for p in procs:
        p.start()
    total = sum(results.get(timeout=300) for _ in procs)
    for p in procs:
        p.join()
    print(f"{WRITERS} writer processes for {WRITE_S:.0f} s: {total} applications stored, "
          f"{total / WRITE_S:.1f} per second")


if __name__ == "__main__":
    main()
