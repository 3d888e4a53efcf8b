"""Issue 15 on the real Asse files (../shared/realdata/asse): a BeST-Address CSV in the October 2026 layout
(Lambert 2008) the size of a region, read for Asse; the street import with the roads beyond the border; the entries
of the 16 wijken on those roads. Median of 3 runs after a warm-up.

The BeST file is made from the real CRAB points of the study box (Asse 10,994, neighbours 26,985): every Asse
address once (every tenth with two boxes), the neighbours' rows repeated under other NIS codes up to about 500,000
rows (Flanders' file holds about 3.5 million), so that the time of reading a whole regional file shows.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from _timing import median_seconds

from buurtkaart.importers import import_file, read_best_addresses, setup_workspace
from buurtkaart.infoborden import entry_roads, find_entries

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "asse"
RUNS = 3
NEIGHBOUR_COPIES = 18


def _best_csv(path: Path) -> int:
    crab = gpd.read_file(REALDATA / "asse_crab_addresses_2013.gpkg")
    lambert = crab.geometry.to_crs("EPSG:3812")
    frame = pd.DataFrame({
        "EPSG:3812_x": lambert.x.round(2), "EPSG:3812_y": lambert.y.round(2), "EPSG:4326_lat": crab["lat"],
        "EPSG:4326_lon": crab["lon"], "address_id": np.arange(len(crab)).astype(str), "box_number": "",
        "house_number": crab["housenumber"], "municipality_id": np.where(crab["in_asse"], "23002", "23000"),
        "municipality_name_de": crab["municipality"], "municipality_name_fr": crab["municipality"],
        "municipality_name_nl": crab["municipality"], "postcode": crab["postcode"], "postname_fr": "",
        "postname_nl": "", "street_id": "", "streetname_de": "", "streetname_fr": crab["street"],
        "streetname_nl": crab["street"], "region_code": "BE-VLG", "status": "current"})
    asse = frame[crab["in_asse"].to_numpy()]
    boxes = [asse.iloc[::10].assign(box_number=str(b)) for b in (1, 2)]
    others = frame[~crab["in_asse"].to_numpy()]
    copies = [others.assign(municipality_id=f"{23100 + i}") for i in range(NEIGHBOUR_COPIES)]
    table = pd.concat([asse, *boxes, *copies], ignore_index=True)
    table["address_id"] = np.arange(len(table)).astype(str)
    table.to_csv(path, index=False)
    return len(table)


def main() -> None:
    if not REALDATA.is_dir():
        print(f"real Asse data not found at {REALDATA}: skipped")
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-registers-"))
    boundaries = REALDATA / "asse_boundaries_provinciesincijfers.gpkg"
    ws, _ = setup_workspace(boundaries, folder / "asse.gpkg", municipality="23002")
    import_file(ws, "deelgemeenten", boundaries, layer="deelgemeenten")

    csv = folder / "openaddress-bevlg.csv"
    rows = _best_csv(csv)
    seconds, (frame, report) = median_seconds(lambda: read_best_addresses(csv, workspace=ws), repeat=RUNS,
                                              warmup=True)
    print(f"read BeST CSV, Lambert 2008 ({rows:,} rows, {csv.stat().st_size / 1e6:.0f} MB -> {len(frame):,} Asse "
          f"households, {report.dropped.get('import.best.reason.building_with_boxes', 0):,} buildings with boxes): "
          f"{seconds:.2f} s (read in chunks of 200,000 rows)")

    osm = REALDATA / "asse_osm_2021_streets.gpkg"
    seconds, report = median_seconds(lambda: import_file(ws, "streets", osm), repeat=RUNS, warmup=True)
    print(f"import OSM streets with the roads beyond the border ({report.kept:,} streets, "  # type: ignore[attr-defined]
          f"{len(ws.read('streets_outside')):,} segments outside): {seconds:.2f} s")
    import_file(ws, "groups", boundaries, layer="wijken")
    groups = ws.read("groups")
    seconds, entries = median_seconds(lambda: find_entries(groups, entry_roads(ws)), repeat=RUNS, warmup=True)
    only, before_entries = median_seconds(lambda: find_entries(groups, ws.read("streets")), repeat=RUNS)
    print(f"entries of the 16 wijken: {len(entries)} with the roads beyond the border in {seconds:.2f} s, "
          f"{len(before_entries)} on the streets only in {only:.2f} s")


if __name__ == "__main__":
    main()
