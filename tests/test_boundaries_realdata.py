"""The boundary tools on real Asse data (CRAB 2013 addresses, OSM 2021 streets, the 16 wijken as groups).

Skips where ../shared/realdata is absent (see the ``realdata`` fixture).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from buurtkaart.boundaries import StreetPart, check_all_groups, compose_group, select_addresses, snap_geometry
from buurtkaart.schema import WORKING_CRS
from tests.conftest import REALDATA

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def asse():
    if not REALDATA.is_dir():
        pytest.skip(f"real Asse data not found at {REALDATA} (it lives in ../shared beside the project)")
    folder = REALDATA
    crab = gpd.read_file(folder / "asse_crab_addresses_2013.gpkg", layer="addresses").query("in_asse")
    crab = crab.to_crs(WORKING_CRS).reset_index(drop=True)
    numbers = pd.to_numeric(crab["housenumber"].str.extract(r"^(\d+)")[0], errors="coerce").astype("Int64")
    addresses = gpd.GeoDataFrame({"address_id": [f"A{i}" for i in range(len(crab))], "street": crab["street"],
                                  "housenumber": numbers}, geometry=crab.geometry.values, crs=WORKING_CRS)
    osm = gpd.read_file(folder / "asse_osm_2021_streets.gpkg", layer="road_segments").query("in_asse")
    osm = osm[osm["name"].notna()].to_crs(WORKING_CRS).explode(index_parts=False).reset_index(drop=True)
    streets = gpd.GeoDataFrame({"street_id": np.arange(1, len(osm) + 1), "name": osm["name"],
                                "road_class": osm["class"]}, geometry=osm.geometry.values, crs=WORKING_CRS)
    bounds = folder / "asse_boundaries_provinciesincijfers.gpkg"
    wijken = gpd.read_file(bounds, layer="wijken").query("in_asse").to_crs(WORKING_CRS)
    groups = gpd.GeoDataFrame({"group_id": wijken["code"].astype(str), "name": wijken["naam"]},
                              geometry=wijken.geometry.values, crs=WORKING_CRS)
    muni = gpd.read_file(bounds, layer="municipalities").query("in_asse").to_crs(WORKING_CRS)
    return {"addresses": addresses, "streets": streets, "groups": groups,
            "municipality": shapely.union_all(muni.geometry.values)}


def test_odd_side_of_a_real_street_keeps_every_house_on_its_side(asse):
    addresses = asse["addresses"]
    busiest = addresses["street"].value_counts().index[0]
    part = StreetPart(busiest, side="odd")
    chosen = select_addresses(addresses, [part])
    area = compose_group(addresses, chosen, streets=asse["streets"], boundary=asse["municipality"])
    inside = addresses.intersects(area)
    assert inside[chosen].all(), "every odd house of the street is in the area"
    on_street = addresses["street"] == busiest
    even = on_street & ~chosen & addresses["housenumber"].notna()
    odd_points = shapely.MultiPoint(list(addresses.geometry[chosen]))
    shared = even & (addresses.geometry.distance(odd_points) < 0.01)  # an even number at the spot of an odd one
    assert even.sum() > 20 and not inside[even & ~shared].any(), "no even house of the street is in the area"


def test_a_line_drawn_four_metres_off_a_real_street_snaps_onto_it(asse):
    streets = asse["streets"]
    long = streets.loc[streets.length.sort_values().index[-1]].geometry
    piece = shapely.ops.substring(long, 20, min(220, long.length - 20))
    drawn = piece.offset_curve(4.0)
    snapped = snap_geometry(drawn, list(streets.geometry[streets.distance(drawn) < 50]), tolerance_m=8)
    assert snapped.hausdorff_distance(piece) < 3.0 < drawn.hausdorff_distance(piece) + 1


def test_checks_on_the_sixteen_wijken(asse):
    results = check_all_groups(asse["groups"], municipality_area=asse["municipality"], addresses=asse["addresses"])
    assert len(results) == 16
    total = sum(r.households for r in results.values())
    assert 10_000 < total <= len(asse["addresses"]) + 50  # wijken share borders: a few points counted twice
    assert all(r.geometry.is_valid for r in results.values())
