"""Importing the real Asse files (../shared/realdata/asse): time to set up the workspace from the Statbel
boundaries, and to import the CRAB addresses (GeoPackage, and the same rows as the cp1252 CSV CRAB published) and
the OSM streets, each read + checked + written. Median of 3 runs after a warm-up; also the export of the addresses.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd

from buurtkaart.exports import export_layer
from buurtkaart.importers import import_file, setup_workspace

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "asse"
RUNS = 3


def _median_s(work: Callable[[], object]) -> tuple[float, object]:
    result = work()  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    if not REALDATA.is_dir():
        print(f"real Asse data not found at {REALDATA}: skipped")
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    boundaries = REALDATA / "asse_boundaries_provinciesincijfers.gpkg"
    seconds, made = _median_s(lambda: setup_workspace(boundaries, folder / "asse.gpkg", municipality="23002",
                                                      overwrite=True))
    ws = made[0]  # type: ignore[index]
    print(f"setup workspace (Asse from 17 municipalities): {seconds:.2f} s")
    import_file(ws, "deelgemeenten", boundaries, layer="deelgemeenten")

    crab = REALDATA / "asse_crab_addresses_2013.gpkg"
    seconds, report = _median_s(lambda: import_file(ws, "addresses", crab))
    print(f"import CRAB addresses, GeoPackage (37,979 rows -> {report.kept:,} kept): {seconds:.2f} s")  # type: ignore[attr-defined]

    rows = gpd.read_file(crab).rename(columns={"postcode": "PKANCODE", "municipality": "COMMUNE_NL",
                                               "street": "STREET_NL", "housenumber": "HUISNR", "lat": "LAT",
                                               "lon": "LON"})
    csv = folder / "crab.csv"
    csv.write_bytes(rows[["PKANCODE", "COMMUNE_NL", "STREET_NL", "HUISNR", "LAT", "LON"]].to_csv(index=False)
                    .encode("cp1252"))
    seconds, report = _median_s(lambda: import_file(ws, "addresses", csv))
    print(f"import CRAB addresses, cp1252 CSV with lat/lon ({report.kept:,} kept): {seconds:.2f} s")  # type: ignore[attr-defined]

    osm = REALDATA / "asse_osm_2021_streets.gpkg"
    seconds, report = _median_s(lambda: import_file(ws, "streets", osm))
    named = ws.read("streets")["name"].nunique()
    print(f"import OSM streets (13,670 segments -> {report.kept:,} kept, {named} names): {seconds:.2f} s")  # type: ignore[attr-defined]

    seconds, _ = _median_s(lambda: export_layer(ws, "addresses", folder / "adressen.gpkg"))
    print(f"export 10,994 addresses to GeoPackage: {seconds:.2f} s")


if __name__ == "__main__":
    main()
