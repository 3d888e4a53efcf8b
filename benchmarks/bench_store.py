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
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _timing import median_seconds  # noqa: E402

from buurtkaart.members import membership  # noqa: E402
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


def _reads(locations: dict[str, str], asse: dict | None) -> dict[str, dict[str, float]]:
    """Read figures, the backends measured in turn (round by round) so that a busy machine slows both alike."""
    from buurtkaart.coverage import coverage_report
    from buurtkaart.geocoding.lookup import AddressIndex

    work = {
        "open": lambda loc: Workspace.open(loc),
        "read addresses": lambda loc: Workspace.open(loc).read("addresses"),
        "lookup index": lambda loc: AddressIndex.from_workspace(Workspace.open(loc)),
    }
    if asse is not None:
        work["coverage of Asse (read + analyse)"] = lambda loc: coverage_report(workspace_at(_ASSE[loc]))
    times: dict[str, dict[str, list[float]]] = {b: {name: [] for name in work} for b in locations}
    for _ in range(5):
        for name, fn in work.items():
            for backend, location in locations.items():
                seconds, _ = median_seconds(lambda fn=fn, location=location: fn(location), repeat=1)
                times[backend][name].append(seconds)
    return {b: {name: statistics.median(v) for name, v in per.items()} for b, per in times.items()}


#: The workspace holding the real Asse layers, per demo workspace location.
_ASSE: dict[str, str] = {}


def _prepare(label: str, location: str, asse: dict | None) -> None:
    from buurtkaart.synthetic import make_demo_workspace

    started = time.perf_counter()
    make_demo_workspace(location)
    print(f"{label}: demo workspace written in {time.perf_counter() - started:.1f} s")
    if asse is not None:  # the real Asse layers in a second workspace beside the demo (schema "<demo>_asse")
        _ASSE[location] = location.replace("demo.gpkg", "asse.gpkg") if location.endswith(".gpkg") else (
            location + "_asse")
        Workspace.create(_ASSE[location], asse, municipality="Asse", overwrite=True)


def _writes(label: str, location: str) -> dict[str, float]:
    global _INDEXES
    from buurtkaart.assignment.points import GroupIndex
    from buurtkaart.geocoding.lookup import AddressIndex

    ws = Workspace.open(location)
    addresses = ws.read("addresses")
    _INDEXES = (AddressIndex.from_workspace(ws), GroupIndex.from_workspace(ws))
    plain = addresses[addresses["box"].isna() & addresses["suffix"].isna()].head(300)
    texts = [f"{r.street} {r.housenumber}, {r.postcode}" for r in plain.itertuples()]
    elapsed8, stored = _writers(location, texts, 8, APPLICATIONS // 8)
    elapsed16, stored16 = _writers(location, texts, 16, 20)
    print(f"{label}: 8 writers stored {stored} of {APPLICATIONS} applications in {elapsed8:.1f} s; "
          f"16 writers at once stored {stored16} of {16 * 20} in {elapsed16:.1f} s"
          f"{'' if stored == APPLICATIONS and stored16 == 320 else '  <-- LOST WRITES'}")
    return {"1,000 applications by 8 writers": elapsed8}


def main() -> None:
    from tests.conftest import REALDATA

    asse = None
    if REALDATA.is_dir():
        from tests.test_coverage_realdata import asse_layers

        asse = asse_layers(REALDATA)
    else:
        print(f"(no real Asse data at {REALDATA}: coverage of Asse skipped)")
    folder = Path(tempfile.mkdtemp(prefix="bench-store-"))
    locations = {"GeoPackage": str(folder / "demo.gpkg")}
    url = os.environ.get(PG_ENV)
    schemas = []
    if url:
        schemas = [f"bench_{uuid.uuid4().hex[:8]}"]
        schemas.append(schemas[0] + "_asse")
        sep = "&" if "?" in url else "?"
        locations["PostGIS"] = f"{url}{sep}schema={schemas[0]}"
    else:
        print(f"(no {PG_ENV}: PostGIS not measured; run .ci/postgres.sh)")
    try:
        for backend, location in locations.items():
            _prepare(backend, location, asse)
        results = _reads(locations, asse)
        for backend, location in locations.items():
            results[backend].update(_writes(backend, location))
        for backend, figures in results.items():
            print(f"{backend}: " + "; ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in figures.items()))
        if "PostGIS" in results:
            print("PostGIS / GeoPackage: " + "; ".join(
                f"{name} {seconds / results['GeoPackage'][name]:.1f}x" for name, seconds in results["PostGIS"].items()))
    finally:
        if url:
            from buurtkaart import _pg

            for schema in schemas:
                with _pg.connect(_pg.parse_location(f"{url}{'&' if '?' in url else '?'}schema={schema}"),
                                 autocommit=True) as con:
                    _pg.drop_schema(con)


if __name__ == "__main__":
    main()
