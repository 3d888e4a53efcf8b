"""Issue 15's ``buurtkaart fetch`` at the size of Asse, against the tests' local stand-in for the services
(tests/fetch_server.py on 127.0.0.1, so the figures are the client's and the importers' own, not the internet's):
the real boundary of Asse, the real CRAB 2013 points of the study box as API v2 addresses (10,994 of Asse, every
tenth with two boxes, one in twenty retired), the real OSM segments as Wegenregister segments. A cold run (every
page and detail asked, 4 at a time) and a warm run (everything from the cache). Skips without ../shared/realdata.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from buurtkaart.fetch import fetch_municipality
from tests.conftest import X0, Y0
from tests.fetch_server import FakeServices, serve

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "asse"
_CLASS = {"motorway": ("H", "101"), "trunk": ("H", "102"), "primary": ("P2", "103"), "secondary": ("S2", "103"),
          "tertiary": ("L1", "103"), "minor": ("L2", "103"), "service": ("-9", "120"), "track": ("-9", "125"),
          "path": ("-9", "114")}


def _services() -> FakeServices:
    crab = gpd.read_file(REALDATA / "asse_crab_addresses_2013.gpkg").to_crs("EPSG:31370")
    asse = crab[crab["in_asse"].astype(bool).to_numpy()].reset_index(drop=True)
    rows = []
    for i, row in enumerate(asse.itertuples()):
        xy = (row.geometry.x - X0, row.geometry.y - Y0)
        status = "retired" if i % 20 == 19 else "current"
        place = ("23002", "Asse", str(row.postcode))
        rows.append((str(i), row.street, str(row.housenumber), None, status, place, xy))
        if i % 10 == 0:
            rows += [(f"{i}b{b}", row.street, str(row.housenumber), str(b), "current", place, xy) for b in (1, 2)]
    municipalities = gpd.read_file(REALDATA / "asse_boundaries_provinciesincijfers.gpkg", layer="municipalities")
    municipalities = municipalities.to_crs("EPSG:31370")[["code", "naam", "geometry"]]
    osm = gpd.read_file(REALDATA / "asse_osm_2021_streets.gpkg", layer="road_segments").to_crs("EPSG:31370")
    cat = osm["class"].map(lambda c: _CLASS.get(str(c), ("-8", "103")))
    segments = gpd.GeoDataFrame({
        "WS_OIDN": np.arange(len(osm)), "LSTRNM": osm["name"].fillna("-9"), "RSTRNM": osm["name"].fillna("-9"),
        "WEGCAT": [c[0] for c in cat], "MORF": [c[1] for c in cat],
        "BEHEER": np.where(osm["ref"].fillna("").str.match(r"^[NRAE]\d"), "AWV112", "23002")},
        geometry=osm.geometry.values, crs="EPSG:31370")
    return FakeServices(rows=rows, boundaries=municipalities, segments=segments, page=500)


def main() -> None:
    if not REALDATA.is_dir():
        print("skipped: ../shared/realdata/asse is absent")
        return
    with tempfile.TemporaryDirectory() as folder, serve(_services()) as services:
        tmp = Path(folder)
        for run in ("cold", "warm"):
            started = time.perf_counter()
            report = fetch_municipality("23002", tmp / f"{run}.gpkg", cache_dir=tmp / "cache",
                                        base_url=services.base_url, retries=0)
            seconds = time.perf_counter() - started
            kept = {r.kind: r.kept for r in report.reports}
            print(f"fetch Asse ({run}): {seconds:.1f} s, {report.requests} requests, {report.cache_hits} from the "
                  f"cache; kept {kept}")


if __name__ == "__main__":
    main()
