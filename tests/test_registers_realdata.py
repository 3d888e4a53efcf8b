"""Issue 15 on the real Asse files (../shared/realdata/asse; skipped where absent): a workspace made the way a
municipality makes it (setup, deelgemeenten, OSM streets, CRAB addresses, the 16 wijken as groups).

* Entries on the municipal border: with the roads beyond the border that the street import now keeps, the
  every-entry count of each wijk equals the independent count of ``test_infoborden_realdata`` made on the raw
  file's roads (all of them, up to 1 km around Asse), and the N47 and N9 entries are found.
* Ichelgemstraat 23 (kept by the address import 3.5 m over the border) is not told it is outside.
* Petrus Ascanusstraat 40 bus 1: the building is found, the box is not in the register.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from buurtkaart.assignment.points import GroupIndex
from buurtkaart.coverage import coverage_by
from buurtkaart.geocoding.lookup import AddressIndex
from buurtkaart.importers import import_file, setup_workspace
from buurtkaart.infoborden import entry_roads, find_entries
from buurtkaart.infoborden._network import drivable_streets
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import REALDATA
from tests.test_infoborden_realdata import MERGE_M, REACH_M, TOL_M, _independent_count

pytestmark = pytest.mark.realdata

BOUNDARIES = "asse_boundaries_provinciesincijfers.gpkg"


@pytest.fixture(scope="module")
def asse(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    if not REALDATA.is_dir():
        pytest.skip(f"real Asse data not found at {REALDATA} (it lives in ../shared beside the project)")
    ws, _ = setup_workspace(REALDATA / BOUNDARIES, tmp_path_factory.mktemp("asse") / "asse.gpkg",
                            municipality="23002")
    import_file(ws, "deelgemeenten", REALDATA / BOUNDARIES, layer="deelgemeenten")
    import_file(ws, "streets", REALDATA / "asse_osm_2021_streets.gpkg")
    import_file(ws, "addresses", REALDATA / "asse_crab_addresses_2013.gpkg")
    import_file(ws, "groups", REALDATA / BOUNDARIES, layer="wijken")
    return ws


def test_border_entries_match_an_independent_count_of_roads_that_continue_outside(asse: Workspace) -> None:
    groups = asse.read("groups")
    assert len(groups) == 16
    options = {"border_tolerance_m": TOL_M, "merge_distance_m": MERGE_M, "reach_m": REACH_M}
    entries = find_entries(groups, entry_roads(asse), **options)
    streets_only = find_entries(groups, asse.read("streets"), **options)
    raw = gpd.read_file(REALDATA / "asse_osm_2021_streets.gpkg", layer="road_segments").to_crs(WORKING_CRS)
    roads = drivable_streets(raw.rename(columns={"class": "road_class"}))
    ours = entries.groupby("group_id").size().reindex(groups["group_id"], fill_value=0)
    before = streets_only.groupby("group_id").size().reindex(groups["group_id"], fill_value=0)
    theirs = pd.Series([_independent_count(p, roads) for p in groups.geometry.values], index=groups["group_id"])
    print(f"entries: {before.sum()} on the streets only, {ours.sum()} with the roads beyond the border, "
          f"{theirs.sum()} independent; per wijk:", dict(zip(ours.index, zip(before, ours, theirs, strict=True),
                                                              strict=True)))
    pd.testing.assert_series_equal(ours, theirs, check_names=False, check_dtype=False)
    assert before.sum() < ours.sum()
    refs = entries["ref"].fillna("")
    n47 = entries[refs.eq("N47")]
    assert "Dendermondsesteenweg" in set(n47["road_name"])
    assert not streets_only["ref"].fillna("").eq("N47").any()  # missed before
    n9 = entries[refs.str.match(r"^N9[a-z]?$")]
    assert {"Gentsesteenweg", "Nieuwe Gentsesteenweg"} <= set(n9["road_name"])
    assert (entries.loc[refs.str.match(r"^N\d"), "authority"] == "gewest").all()


def test_ichelgemstraat_23_over_the_border_is_not_told_it_is_outside(asse: Workspace) -> None:
    result = AddressIndex.from_workspace(asse).lookup("Ichelgemstraat 23, 1730 Asse")
    assert result.status == "exact"
    muni = asse.read("municipality").geometry.iloc[0]
    assert 0 < muni.distance(result.point) < 5  # the import kept it 3.5 m over the border
    row = GroupIndex.from_workspace(asse).assign(gpd.GeoSeries([result.point], crs=WORKING_CRS)).iloc[0]
    assert (row["status"], row["group_id"]) == ("toegewezen", "23002B0")  # the wijk Mollem, along the border
    table = coverage_by(asse.read("addresses"), asse.read("groups"), level="municipality",
                        municipality_area=asse.read("municipality")).iloc[0]
    assert table["households"] == 10_994 and table["outside"] == 0


def test_a_box_the_register_does_not_have_is_not_found(asse: Workspace) -> None:
    result = AddressIndex.from_workspace(asse).lookup("Petrus Ascanusstraat 40 bus 1")
    assert result.found and result.box is None and result.address_id is not None
    assert "het gebouw is gevonden in het adressenregister, maar bus 1 staat er niet in" in result.message
    print(result.message)


def test_a_newer_register_of_asse_reports_exactly_what_changed(asse: Workspace, tmp_path) -> None:
    import time

    import shapely

    from buurtkaart.importers import prepare_import

    raw = gpd.read_file(REALDATA / "asse_crab_addresses_2013.gpkg", layer="addresses")
    stored = asse.read("addresses")
    asse_rows = raw.index[raw["in_asse"].astype(bool)]
    gone = asse_rows[:3]
    moved = asse_rows[100:102]
    newer = raw.drop(index=gone)
    lambert = newer.loc[moved].to_crs(WORKING_CRS).geometry.translate(xoff=10.0)
    newer.loc[moved, "geometry"] = lambert.to_crs(raw.crs).values
    extra = raw.loc[[asse_rows[200]]].assign(housenumber="9999")
    newer = pd.concat([newer, extra], ignore_index=True)
    path = tmp_path / "crab_nieuwer.gpkg"
    newer.to_file(path, layer="addresses")
    start = time.perf_counter()
    changes = prepare_import(asse, "addresses", path).changes
    seconds = time.perf_counter() - start
    assert changes is not None
    print(f"register update of {len(stored)} addresses prepared in {seconds:.1f} s: {changes.counts}")
    assert changes.counts == {"new": 1, "gone": 3, "moved": 2, "unchanged": len(stored) - 5, "members": 0}
    assert (changes.moved["moved_m"] - 10.0).abs().max() < 0.5
    new = changes.new.iloc[0]
    groups = asse.read("groups")
    holding = groups.loc[groups.geometry.contains(new.geometry), "group_id"].tolist()
    assert new["label"].endswith(" 9999") and [new["group_id"]] == holding
    assert shapely.Point(new.geometry).distance(asse.read("municipality").geometry.iloc[0]) < 5


def test_gaps_of_asse_never_take_a_road_beyond_the_border(asse: Workspace) -> None:
    from buurtkaart.coverage import find_gaps

    groups = asse.read("groups")
    # leave out the wijken along the west border, so that their addresses are uncovered up to the border
    muni = asse.read("municipality").geometry.iloc[0]
    border = groups.geometry.boundary.distance(muni.boundary) < 1.0
    kept = groups[~border.to_numpy()]
    assert 0 < len(kept) < len(groups)
    addresses, streets = asse.read("addresses"), asse.read("streets")
    options = {"municipality_area": asse.read("municipality")}
    own = find_gaps(addresses, streets, kept, **options)
    both = find_gaps(addresses, entry_roads(asse), kept, **options)
    max_own_id = int(streets["street_id"].max())
    ids = [int(i) for text in both[0]["street_ids"] for i in text.split(",") if i]
    assert max(ids) <= max_own_id  # a road outside links, it is never a gap's street
    assert both[0]["households"].sum() == own[0]["households"].sum()  # every uncovered address in one gap
    print(f"gaps with {len(kept)} of {len(groups)} wijken: {len(own[0])} on the own streets, "
          f"{len(both[0])} with the roads beyond the border linking")
    assert len(both[0]) <= len(own[0])
