"""Infobord entries, sites and planning on tiny drawable towns (see tests/conftest.py for the grid).

Every drawing: the group square G1 is (0,0)-(100,100); roads are drawn in local metres.
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from buurtkaart.errors import InputError
from buurtkaart.infoborden import count_entries, entry_sites, find_entries, plan_infoborden
from buurtkaart.infoborden.solver import solve_max_cover
from buurtkaart.schema import WORKING_CRS
from tests.conftest import X0, Y0, pt, square


def line(*xy, ) -> shapely.LineString:
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in xy])


def roads(*items) -> gpd.GeoDataFrame:
    """``items``: (name, road_class, line)."""
    return gpd.GeoDataFrame(
        {"street_id": range(len(items)), "name": [i[0] for i in items], "road_class": [i[1] for i in items]},
        geometry=[i[2] for i in items], crs=WORKING_CRS,
    )


@pytest.fixture
def g1() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]}, geometry=[square(0, 0)], crs=WORKING_CRS)


def homes(*xy) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"address_id": [f"a{i}" for i in range(len(xy))]},
                            geometry=[pt(x, y) for x, y in xy], crs=WORKING_CRS)


# ------------------------------------------------------------------------------------------------ entries
def test_road_crossing_once_is_one_entry_with_a_site_inside_on_the_right(g1):
    streets = roads(("Dorpstraat", "minor", line((-300, 50), (50, 50))))
    entries = find_entries(g1, streets)
    assert len(entries) == 1
    entry = entries.iloc[0]
    assert entry["road_name"] == "Dorpstraat" and entry["n_crossings"] == 1
    assert entry["inbound_bearing_deg"] == pytest.approx(90.0)  # traffic comes in going east
    site = entry_sites(entries, g1, setback_m=15, side_offset_m=4).iloc[0]
    assert site.geometry.x - X0 == pytest.approx(15.0, abs=0.6)  # 15 m inside the border
    assert site.geometry.y - Y0 == pytest.approx(46.0, abs=0.1)  # right-hand side of eastbound traffic
    assert site["bearing_deg"] == pytest.approx(270.0)  # faces the incoming traffic
    assert site["group_ids"] == "G1" and not site["shared"] and not site["awv_permit"]


def test_dual_carriageway_crossing_twice_close_together_is_one_entry(g1):
    streets = roads(("Steenweg", "primary", line((-300, 45), (60, 45))),
                    ("Steenweg", "primary", line((60, 55), (-300, 55))))
    entries = find_entries(g1, streets)
    assert len(entries) == 1
    assert entries["n_crossings"].iloc[0] == 2


def test_two_different_roads_close_together_stay_two_entries(g1):
    streets = roads(("Astraat", "minor", line((-300, 45), (60, 45))),
                    ("Bstraat", "minor", line((-300, 60), (60, 60))))
    assert len(find_entries(g1, streets)) == 2


def test_crossings_far_apart_are_separate_entries(g1):
    streets = roads(("Lusweg", "minor", line((-300, 20), (50, 20), (50, 80), (-300, 80))))
    assert len(find_entries(g1, streets)) == 2


def test_road_along_the_border_is_no_entry_but_a_side_street_from_it_is(g1):
    along = roads(("Grensweg", "minor", line((-1, -300), (-1, 400))))
    assert len(find_entries(g1, along)) == 0
    with_side = roads(("Grensweg", "minor", line((-1, -300), (-1, 50))),
                      ("Grensweg", "minor", line((-1, 50), (-1, 400))),
                      ("Zijstraat", "minor", line((-1, 50), (60, 50))))
    entries = find_entries(g1, with_side)
    assert entries["road_name"].tolist() == ["Zijstraat"]


def test_dead_end_that_leaves_and_comes_back_is_no_entry(g1):
    # enters from far west once; inside it leaves the area by 20 m and comes back (a kink, a loop outside)
    streets = roads(("Dorpstraat", "minor", line((-300, 20), (30, 20))),
                    ("Lus", "minor", line((30, 20), (30, 40), (-20, 50), (30, 60), (50, 60))),
                    ("Doodlopend", "minor", line((50, 60), (50, 90), (-30, 90))))
    entries = find_entries(g1, streets)
    assert entries["road_name"].tolist() == ["Dorpstraat"]


def test_dead_end_inside_the_area_is_an_entry(g1):
    streets = roads(("Pijp", "minor", line((-300, 50), (40, 50))))
    assert len(find_entries(g1, streets)) == 1


def test_footpaths_tracks_and_motorways_are_out_unless_asked(g1):
    streets = roads(("Voetweg", "path", line((-300, 30), (50, 30))),
                    ("Veldweg", "track", line((-300, 50), (50, 50))),
                    ("E40", "motorway", line((-300, 70), (300, 70))))
    assert len(find_entries(g1, streets)) == 0
    assert find_entries(g1, streets, road_classes=["path"])["road_name"].tolist() == ["Voetweg"]


def test_regional_road_needs_an_awv_permit(g1):
    streets = roads(("Brusselsesteenweg", "primary", line((-300, 50), (50, 50))))
    streets["ref"] = ["N9"]
    sites = entry_sites(find_entries(g1, streets), g1)
    assert sites["authority"].tolist() == ["gewest"] and sites["awv_permit"].tolist() == [True]


def test_shared_border_gets_one_pole_counted_once(two_squares):
    streets = roads(("Lange weg", "minor", line((-300, 50), (500, 50))))
    entries = find_entries(two_squares, streets)
    assert count_entries(entries).to_dict() == {"G1": 2, "G2": 2}
    sites = entry_sites(entries, two_squares)
    assert len(sites) == 3
    shared = sites[sites["shared"]]
    assert shared["group_ids"].tolist() == ["G1,G2"]
    assert shared.geometry.iloc[0].x - X0 == pytest.approx(100.0, abs=1.0)  # on the shared border
    plan = plan_infoborden(two_squares, streets)
    assert len(plan.sites) == 3 and int(plan.sites["shared"].sum()) == 1


def test_wrong_crs_and_missing_columns_are_gathered_in_one_error(g1):
    streets = roads(("Dorpstraat", "minor", line((-300, 50), (50, 50)))).to_crs(4326)
    with pytest.raises(InputError) as err:
        find_entries(g1.to_crs(4326).drop(columns="group_id"), streets)
    assert any("group_id" in p for p in err.value.problems)
    assert any("EPSG:31370" in p for p in err.value.problems)


# ------------------------------------------------------------------------------------------------ planning
@pytest.fixture
def cross_town(g1):
    """G1 with a road in from the west (3 homes near it) and one from the north (1 home near it)."""
    streets = roads(("Westweg", "minor", line((-300, 50), (50, 50))),
                    ("Noordweg", "minor", line((50, 50), (50, 400))))
    return g1, streets, homes((20, 55), (30, 45), (40, 55), (55, 80))


def test_every_entry_mode_puts_a_sign_on_every_entry(cross_town):
    groups, streets, addresses = cross_town
    plan = plan_infoborden(groups, streets, addresses)
    assert sorted(plan.sites["road_name"]) == ["Noordweg", "Westweg"]
    assert plan.households_covered == 4
    assert all(plan.sites["reason"].str.contains("Invalsweg"))


def test_budget_mode_picks_the_site_covering_most_households(cross_town):
    groups, streets, addresses = cross_town
    plan = plan_infoborden(groups, streets, addresses, mode="budget", budget=1, coverage_distance_m=40)
    assert plan.sites["road_name"].tolist() == ["Westweg"]
    assert plan.households_covered == 3 and plan.gap == 0.0
    per_group = plan_infoborden(groups, streets, addresses, mode="budget", budget=1, per_group=True,
                                coverage_distance_m=40, solver="pulp")
    assert per_group.sites["road_name"].tolist() == ["Westweg"] and per_group.households_covered == 3


def test_households_outside_every_group_do_not_shift_the_others(cross_town):
    groups, streets, addresses = cross_town
    outside = homes((-200, 10), (-150, 10))
    mixed = gpd.GeoDataFrame(pd.concat([outside, addresses], ignore_index=True), crs=WORKING_CRS)
    plan = plan_infoborden(groups, streets, mixed, mode="budget", budget=1, coverage_distance_m=40)
    assert plan.households_total == 6 and plan.households_covered == 3
    assert plan.coverage.household_class[:2].tolist() == [-1, -1]


def test_household_beyond_the_network_distance_is_not_covered(cross_town):
    groups, streets, addresses = cross_town
    plan = plan_infoborden(groups, streets, addresses, coverage_distance_m=5)
    assert plan.households_covered == 0


def test_existing_sign_is_kept_and_the_budget_counts_new_signs(cross_town):
    groups, streets, addresses = cross_town
    first = plan_infoborden(groups, streets)
    north = first.sites[first.sites["road_name"] == "Noordweg"]
    existing = gpd.GeoDataFrame({"sign_id": ["B1"], "group_ids": ["G1"], "status": ["geplaatst"]},
                                geometry=[north.geometry.iloc[0]], crs=WORKING_CRS)
    plan = plan_infoborden(groups, streets, addresses, mode="budget", budget=0, existing=existing,
                           coverage_distance_m=40)
    assert plan.sites["road_name"].tolist() == ["Noordweg"] and plan.kept == 1
    assert plan.sites["sign_id"].tolist() == ["B1"] and plan.sites["status"].tolist() == ["geplaatst"]
    assert plan.households_covered == 1
    assert "1 bestaande borden blijven staan en 0 nieuwe borden komen erbij" in plan.summary()
    one = plan_infoborden(groups, streets, addresses, mode="budget", budget=1, existing=existing,
                          coverage_distance_m=40)
    assert sorted(one.sites["road_name"]) == ["Noordweg", "Westweg"] and one.kept == 1
    assert "en 1 nieuw bord komt erbij (budget: 1 nieuwe borden in totaal" in one.summary()


def test_existing_sign_away_from_any_entry_stays_beside_the_budget(cross_town):
    groups, streets, addresses = cross_town
    existing = gpd.GeoDataFrame({"sign_id": ["B9"], "group_ids": ["G1"], "status": ["geplaatst"]},
                                geometry=[pt(90, 10)], crs=WORKING_CRS)
    plan = plan_infoborden(groups, streets, addresses, mode="budget", budget=0, existing=existing)
    assert plan.sites["sign_id"].tolist() == ["B9"]
    assert "niet aan een invalsweg" in plan.sites["reason"].iloc[0]


def test_every_budget_changes_the_plan_until_nothing_is_left_to_gain(cross_town):
    groups, streets, addresses = cross_town
    everything = plan_infoborden(groups, streets, addresses, coverage_distance_m=40)
    north = everything.sites[everything.sites["road_name"] == "Noordweg"]
    existing = north.iloc[:1].assign(sign_id="B1", status="geplaatst")[["sign_id", "group_ids", "status", "geometry"]]
    plans = [plan_infoborden(groups, streets, addresses, mode="budget", budget=b, existing=existing,
                             coverage_distance_m=40) for b in range(3)]
    assert [len(p.sites) for p in plans] == [1, 2, 2]
    assert [p.households_covered for p in plans] == [1, 4, 4]
    assert "Elke invalsweg heeft in dit plan een bord" in plans[2].summary()
    assert all("Groep -" not in p.summary() for p in plans)
    # 300 m from the northern sign reaches every home: a budget of 1 adds nothing, and the summary says why
    wide = plan_infoborden(groups, streets, addresses, mode="budget", budget=1, existing=existing)
    assert len(wide.sites) == 1 and "meer borden dekken niemand extra" in wide.summary()


def test_bad_options_are_refused_together(cross_town):
    groups, streets, addresses = cross_town
    with pytest.raises(InputError) as err:
        plan_infoborden(groups, streets, addresses, mode="budget", budget=None, coverage_distance_m=-1)
    assert len(err.value.problems) == 2
    with pytest.raises(InputError):
        plan_infoborden(groups, streets, addresses, mode="alles")


# ------------------------------------------------------------------------------------------------ the MILP
@settings(max_examples=40, deadline=None)
@given(
    n_sites=st.integers(1, 6),
    data=st.data(),
)
def test_milp_matches_brute_force(n_sites, data):
    n_classes = data.draw(st.integers(1, 8))
    weights = np.array(data.draw(st.lists(st.integers(1, 20), min_size=n_classes, max_size=n_classes)))
    classes = [np.array(sorted(data.draw(st.sets(st.integers(0, n_sites - 1), min_size=1))))
               for _ in range(n_classes)]
    budget = data.draw(st.integers(0, n_sites))
    result = solve_max_cover(weights, classes, n_sites, budgets=[(np.arange(n_sites), budget)],
                             fixed=np.array([], dtype=np.int64))
    best = 0
    for chosen in itertools.combinations(range(n_sites), budget):
        picked = set(chosen)
        best = max(best, sum(int(w) for w, c in zip(weights, classes, strict=True) if picked & set(c.tolist())))
    assert result.objective == pytest.approx(best)
    assert len(result.chosen) <= budget and result.gap == 0.0
