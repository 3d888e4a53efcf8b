"""Infoborden on the real Asse streets (OSM 2021) with the 16 Asse wijken as groups.

The every-entry count is checked against an independent count: crossings of drivable roads with each area's
shrunk boundary, found with shapely's geometric intersection (not the network), whose outside side belongs to a
part of the road network (found by buffering and dissolving, not by graph nodes) that reaches beyond the
area; crossings of one road within the merge distance are counted once (networkx components).
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely

from buurtkaart.infoborden import find_entries, plan_infoborden
from buurtkaart.infoborden._network import drivable_streets, reference
from tests.conftest import REALDATA

pytestmark = pytest.mark.realdata

TOL_M, MERGE_M, REACH_M = 10.0, 25.0, 100.0


@pytest.fixture(scope="module")
def asse():
    if not REALDATA.is_dir():
        pytest.skip(f"real Asse data not found at {REALDATA}")
    streets = gpd.read_file(REALDATA / "asse_osm_2021_streets.gpkg", layer="road_segments").to_crs(31370)
    streets = streets.rename(columns={"class": "road_class"})
    wijken = gpd.read_file(REALDATA / "asse_boundaries_provinciesincijfers.gpkg", layer="wijken")
    wijken = wijken[wijken["in_asse"]].to_crs(31370)
    groups = wijken.rename(columns={"code": "group_id", "naam": "name"})[["group_id", "name", "geometry"]]
    addresses = gpd.read_file(REALDATA / "asse_crab_addresses_2013.gpkg", layer="addresses")
    addresses = addresses[addresses["in_asse"]].to_crs(31370)
    return groups.reset_index(drop=True), streets, addresses.reset_index(drop=True)


def _independent_count(polygon, roads) -> int:
    core = polygon.buffer(-TOL_M, quad_segs=4)
    window = polygon.buffer(REACH_M + TOL_M, quad_segs=4)
    near = roads[roads.intersects(window)]
    lines = shapely.intersection(near.geometry.values, window)
    outside = shapely.difference(lines, core)
    blobs = shapely.get_parts(shapely.union_all(shapely.buffer(outside[~shapely.is_empty(outside)], 0.05)))
    reach = polygon.buffer(REACH_M + TOL_M - 1.0, quad_segs=4)
    external = [b for b in blobs if not b.within(reach)]
    points, names = [], []
    for geom, name in zip(lines, near["name"], strict=True):
        if not geom.intersects(core):
            continue
        for p in shapely.get_parts(shapely.intersection(geom, core.boundary)):
            if p.geom_type != "Point" or not any(b.intersects(p) for b in external):
                continue
            # the road must go on into the core from here
            if not geom.intersection(core).intersects(p.buffer(0.05)):
                continue
            points.append(p)
            names.append(name)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(points)))
    for i in range(len(points)):
        for j in range(i + 1, len(points)):
            d = points[i].distance(points[j])
            same = pd.isna(names[i]) or pd.isna(names[j]) or names[i] == names[j]
            if d < 0.5 or (d <= MERGE_M and same):
                graph.add_edge(i, j)
    return nx.number_connected_components(graph)


def test_every_entry_count_matches_an_independent_count_of_crossings(asse):
    groups, streets, _ = asse
    entries = find_entries(groups, streets, border_tolerance_m=TOL_M, merge_distance_m=MERGE_M, reach_m=REACH_M)
    roads = drivable_streets(streets)
    ours = entries.groupby("group_id").size().reindex(groups["group_id"], fill_value=0)
    theirs = pd.Series([_independent_count(p, roads) for p in groups.geometry.values], index=groups["group_id"])
    print("entries per wijk (ours, independent):", dict(zip(ours.index, zip(ours, theirs, strict=True), strict=True)))
    assert ours.sum() > 50
    pd.testing.assert_series_equal(ours, theirs, check_names=False, check_dtype=False)


def test_every_site_stands_on_a_real_road_crossing_into_its_group(asse):
    groups, streets, addresses = asse
    plan = plan_infoborden(groups, streets, addresses)
    entries = plan.entries
    roads = drivable_streets(streets)
    never = set(reference()["never_entry"])
    polygons = dict(zip(groups["group_id"], groups.geometry.values, strict=True))
    # each entry point lies on a drivable road, on the edge of its group's core, and the road is no footpath
    on_road = roads.sindex.nearest(entries.geometry.values, return_distance=True, return_all=False)[1]
    assert (on_road < 0.5).all()
    assert not entries["road_class"].isin(never).any()
    assert set(entries["road_class"]) <= set(reference()["default_classes"])
    for entry in entries.itertuples():
        polygon = polygons[entry.group_id]
        assert polygon.contains(entry.geometry)
        assert polygon.boundary.distance(entry.geometry) == pytest.approx(TOL_M, abs=0.5)
        assert entry.inward.length > 0 and polygon.contains(entry.inward.interpolate(0.5, normalized=True))
    # each site stands next to the road (right-hand side, 4 m) inside its group (a shared pole: on the border)
    all_classes = streets[~streets["road_class"].isin(reference()["default_classes"])]
    sites = plan.sites
    dist = roads.sindex.nearest(sites.geometry.values, return_distance=True, return_all=False)[1]
    assert (dist <= 4.5).all()
    for site in sites.itertuples():
        union = shapely.union_all([polygons[g] for g in site.group_ids.split(",")])
        assert union.buffer(1.0).contains(site.geometry)
    assert len(all_classes) > 0  # the data does hold footpaths and motorways that were left out
    assert len(sites) <= len(entries) and int(sites["shared"].sum()) * 2 + (~sites["shared"]).sum() == len(entries)


def test_budget_mode_on_asse_is_optimal_and_within_budget(asse):
    groups, streets, addresses = asse
    plan = plan_infoborden(groups, streets, addresses, mode="budget", budget=2, per_group=True)
    per_group = {g: 0 for g in groups["group_id"]}
    for ids in plan.sites["group_ids"]:
        for g in ids.split(","):
            per_group[g] += 1
    assert max(per_group.values()) <= 2
    assert plan.gap == 0.0 and 0 < plan.households_covered <= plan.households_coverable
    every = plan_infoborden(groups, streets, addresses)
    assert plan.households_covered <= every.households_covered
    assert np.isclose(every.households_covered, every.households_coverable)
