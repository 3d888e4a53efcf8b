"""Importing the real Asse files (../shared/realdata/asse): time to set up the workspace from the Statbel
boundaries, and to import the CRAB addresses (GeoPackage, and the same rows as the cp1252 CSV CRAB published) and
the OSM streets, each read + checked + written. Median of 3 runs after a warm-up; also the export of the addresses.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
from _timing import median_seconds

from buurtkaart.exports import export_layer
from buurtkaart.importers import import_file, setup_workspace

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "asse"
RUNS = 3


def main() -> None:
    if not REALDATA.is_dir():
        print(f"real Asse data not found at {REALDATA}: skipped")
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    boundaries = REALDATA / "asse_boundaries_provinciesincijfers.gpkg"
    seconds, made = median_seconds(lambda: setup_workspace(boundaries, folder / "asse.gpkg", municipality="23002",
                                                           overwrite=True), repeat=RUNS, warmup=True)
    ws = made[0]  # type: ignore[index]
    print(f"setup workspace (Asse from 17 municipalities): {seconds:.2f} s")
    import_file(ws, "deelgemeenten", boundaries, layer="deelgemeenten")

    crab = REALDATA / "asse_crab_addresses_2013.gpkg"
    seconds, report = median_seconds(lambda: import_file(ws, "addresses", crab), repeat=RUNS, warmup=True)
    print(f"import CRAB addresses, GeoPackage (37,979 rows -> {report.kept:,} kept): {seconds:.2f} s")  # type: ignore[attr-defined]

    rows = gpd.read_file(crab).rename(columns={"postcode": "PKANCODE", "municipality": "COMMUNE_NL",
                                               "street": "STREET_NL", "housenumber": "HUISNR", "lat": "LAT",
                                               "lon": "LON"})
    csv = folder / "crab.csv"
    csv.write_bytes(rows[["PKANCODE", "COMMUNE_NL", "STREET_NL", "HUISNR", "LAT", "LON"]].to_csv(index=False)
                    .encode("cp1252"))
    seconds, report = median_seconds(lambda: import_file(ws, "addresses", csv), repeat=RUNS, warmup=True)
    print(f"import CRAB addresses, cp1252 CSV with lat/lon ({report.kept:,} kept): {seconds:.2f} s")  # type: ignore[attr-defined]

    osm = REALDATA / "asse_osm_2021_streets.gpkg"
    seconds, report = median_seconds(lambda: import_file(ws, "streets", osm), repeat=RUNS, warmup=True)
    named = ws.read("streets")["name"].nunique()
    print(f"import OSM streets (13,670 segments -> {report.kept:,} kept, {named} names): {seconds:.2f} s")  # type: ignore[attr-defined]

    out = folder / "adressen.gpkg"
    seconds, _ = median_seconds(lambda: export_layer(ws, "addresses", out), repeat=RUNS, warmup=True)
    print(f"export 10,994 addresses to GeoPackage: {seconds:.2f} s")


if __name__ == "__main__":
    main()
