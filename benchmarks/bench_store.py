"""The two store backends side by side, in one run: GeoPackage file and PostGIS server.

For each backend: open, read the addresses, build the address lookup index, 1,000 applications by 8 writer
processes, 16 writers at once (every application must be stored), and the coverage report of Asse (real data,
skipped where ../shared/realdata is absent). Reads on PostGIS should stay within 3x of the GeoPackage.

``BUURTKAART_TEST_PG_URL=$(.ci/postgres.sh) python benchmarks/run.py store`` (without the URL only the GeoPackage
is measured).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _timing import median_seconds  # noqa: E402

from buurtkaart import membership  # noqa: E402
from buurtkaart.workspace import Workspace, workspace_at  # noqa: E402

PG_ENV = "BUURTKAART_TEST_PG_URL"
APPLICATIONS = 1000


def _writer(location: str, texts: list[str], count: int, barrier, results) -> None:
    ws = Workspace.open(location)
    index, groups = _INDEXES  # built once in the parent, inherited through fork
    barrier.wait()
    for k in range(count):
        membership.submit_application(ws, membership.Application(
            name="Bench Schrijver", address_text=texts[k % len(texts)], phone="0470 00 00 00",
            declaration_accepted=True, consent_police=True), index=index, groups=groups)
    results.put(count)


_INDEXES: tuple = ()


def _writers(location: str, texts: list[str], writers: int, per_writer: int) -> tuple[float, int]:
    """Wall time of ``writers`` processes each storing ``per_writer`` applications, and how many were stored."""
    ws = Workspace.open(location)
    before = len(ws.read("members"))
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(writers + 1), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(location, texts, per_writer, barrier, results))
             for _ in range(writers)]
    for p in procs:
        p.start()
    barrier.wait()
    started = time.perf_counter()
    for _ in procs:
        results.get(timeout=600)
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join()
    return elapsed, len(ws.read("members")) - before


def _measure(label: str, location: str, asse: dict | None) -> dict[str, float]:
    global _INDEXES
    from buurtkaart.assign import GroupIndex
    from buurtkaart.coverage import coverage_report
    from buurtkaart.lookup import AddressIndex
    from buurtkaart.synthetic import make_demo_workspace

    started = time.perf_counter()
    make_demo_workspace(location)
    print(f"{label}: demo workspace written in {time.perf_counter() - started:.1f} s")
    out: dict[str, float] = {}
    out["open"], ws = median_seconds(lambda: Workspace.open(location), repeat=5)
    out["read addresses"], addresses = median_seconds(lambda: ws.read("addresses"), repeat=5)
    out["lookup index"], index = median_seconds(lambda: AddressIndex.from_workspace(ws), repeat=3)
    _INDEXES = (index, GroupIndex.from_workspace(ws))
    plain = addresses[addresses["box"].isna() & addresses["suffix"].isna()].head(300)
    texts = [f"{r.street} {r.housenumber}, {r.postcode}" for r in plain.itertuples()]
    out["1,000 applications by 8 writers"], stored = _writers(location, texts, 8, APPLICATIONS // 8)
    print(f"  {len(addresses):,} addresses; 8 writers stored {stored} of {APPLICATIONS} applications")
    elapsed16, stored16 = _writers(location, texts, 16, 20)
    print(f"  16 writers at once stored {stored16} of {16 * 20} applications in {elapsed16:.1f} s"
          f"{'' if stored16 == 320 else '  <-- LOST WRITES'}")
    if asse is not None:
        target = workspace_at(location)
        target.write(asse)
        out["coverage of Asse (read + analyse)"], _ = median_seconds(lambda: coverage_report(target), repeat=3)
    for name, seconds in out.items():
        print(f"  {name}: {seconds * 1000:.0f} ms")
    return out


def main() -> None:
    from tests.conftest import REALDATA

    asse = None
    if REALDATA.is_dir():
        from tests.test_coverage_realdata import asse_layers

        asse = asse_layers(REALDATA)
    else:
        print(f"(no real Asse data at {REALDATA}: coverage of Asse skipped)")
    folder = Path(tempfile.mkdtemp(prefix="bench-store-"))
    results = {"GeoPackage": _measure("GeoPackage", str(folder / "demo.gpkg"), asse)}
    url = os.environ.get(PG_ENV)
    if not url:
        print(f"(no {PG_ENV}: PostGIS not measured; run .ci/postgres.sh)")
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    location = f"{url}{'&' if '?' in url else '?'}schema={schema}"
    try:
        results["PostGIS"] = _measure("PostGIS", location, asse)
    finally:
        from buurtkaart import _pg

        with _pg.connect(_pg.parse_location(location), autocommit=True) as con:
            _pg.drop_schema(con)
    print("PostGIS / GeoPackage:")
    for name, seconds in results["PostGIS"].items():
        print(f"  {name}: {seconds / results['GeoPackage'][name]:.1f}x")


if __name__ == "__main__":
    main()
