"""Issue 15 on the real Asse files (../shared/realdata/asse): what a register update costs (the comparison of the
stored 10,994 addresses with a newer file: 3 gone, 2 moved, 1 new; with the group of each new and gone address),
and the coverage gaps of the wijken away from the border with and without the roads beyond it. Median of 3 runs.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
from _timing import median_seconds

from buurtkaart.coverage import find_gaps
from buurtkaart.importers import import_file, setup_workspace
from buurtkaart.importers.register_changes import address_changes, changes_since_import
from buurtkaart.infoborden import entry_roads

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "asse"
BOUNDARIES = REALDATA / "asse_boundaries_provinciesincijfers.gpkg"


def main() -> None:
    if not REALDATA.is_dir():
        print(f"skipped: real Asse data not found at {REALDATA}")
        return
    with tempfile.TemporaryDirectory() as folder:
        ws, _ = setup_workspace(BOUNDARIES, Path(folder) / "asse.gpkg", municipality="23002")
        import_file(ws, "deelgemeenten", BOUNDARIES, layer="deelgemeenten")
        import_file(ws, "streets", REALDATA / "asse_osm_2021_streets.gpkg")
        import_file(ws, "addresses", REALDATA / "asse_crab_addresses_2013.gpkg")
        import_file(ws, "groups", BOUNDARIES, layer="wijken")
        stored = ws.read("addresses")
        newer = stored.drop(index=stored.index[:3]).copy()
        newer.loc[newer.index[100:102], "geometry"] = newer.geometry.iloc[100:102].translate(xoff=10.0).values
        extra = stored.iloc[[200]].assign(housenumber=9999, address_id="nieuw")
        newer = gpd.GeoDataFrame(pd.concat([newer, extra], ignore_index=True), crs=stored.crs)
        groups, muni = ws.read("groups"), ws.read("municipality")
        plain, counts = median_seconds(lambda: address_changes(stored, newer).counts)
        grouped, _ = median_seconds(lambda: address_changes(stored, newer, groups=groups, municipality_area=muni))
        whole, _ = median_seconds(lambda: changes_since_import(ws, newer))
        print(f"register update, {len(stored):,} addresses: compare {plain:.2f} s, with groups {grouped:.2f} s, "
              f"from the workspace with members {whole:.2f} s; {counts}")
        border = (groups.geometry.boundary.distance(muni.geometry.iloc[0].boundary) < 1.0).to_numpy()
        kept, streets, roads = groups[~border], ws.read("streets"), entry_roads(ws)
        own_s, own = median_seconds(lambda: find_gaps(stored, streets, kept, municipality_area=muni)[0])
        both_s, both = median_seconds(lambda: find_gaps(stored, roads, kept, municipality_area=muni)[0])
        print(f"gaps with {len(kept)} of {len(groups)} wijken: own streets {own_s:.2f} s ({len(own)} gaps), "
              f"with the roads beyond the border {both_s:.2f} s ({len(both)} gaps); "
              f"{len(roads) - len(streets):,} road segments outside")


if __name__ == "__main__":
    main()
