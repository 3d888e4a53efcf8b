"""Coverage figures, gaps, overlaps, participation and delivery order on tiny towns you can draw on paper.

The street town used by most tests (local metres, see conftest)::

    y
    60   o   o   o   o   o   o   o   o   o   o      odd numbers north of the street
    50 ====================================================  Dorpstraat (x = 0 .. 500)
    40   e   e   e   e   e   e   e   e   e   e      even numbers south
         +---------+
         |   G1    |  group G1 covers x = 0 .. 100
         +---------+
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from buurtkaart.coverage import (
    address_coverage,
    coverage_by,
    coverage_gaps,
    delivery_order,
    find_gaps,
    gap_as_group,
    overlaps,
    participation_ranking,
    split_streets,
    walk_index,
)
from buurtkaart.errors import InputError
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import conform
from tests.conftest import X0, Y0, pt, square


def _line(*xy: tuple[float, float]) -> shapely.LineString:
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in xy])


def _addresses(rows: list[tuple]) -> gpd.GeoDataFrame:
    """rows of (street, number, x, y[, box])."""
    frame = pd.DataFrame({
        "address_id": [f"a{i}" for i in range(len(rows))],
        "street": [r[0] for r in rows],
        "housenumber": [r[1] for r in rows],
        "box": [r[4] if len(r) > 4 else pd.NA for r in rows],
        "postcode": "9999",
        "deelgemeente": [r[5] if len(r) > 5 else "Dorp" for r in rows],
    })
    return gpd.GeoDataFrame(frame, geometry=[pt(r[2], r[3]) for r in rows], crs=WORKING_CRS)


def _streets(lines: list[tuple[str, shapely.LineString]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"street_id": range(1, len(lines) + 1), "name": [n for n, _ in lines],
                             "road_class": "minor"}, geometry=[g for _, g in lines], crs=WORKING_CRS)


def _groups(*boxes: tuple[str, shapely.Polygon]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"group_id": [g for g, _ in boxes], "name": [f"Groep {g}" for g, _ in boxes]},
                            geometry=[b for _, b in boxes], crs=WORKING_CRS)


def _dorpstraat(xs: range) -> gpd.GeoDataFrame:
    rows = []
    for i, x in enumerate(xs):
        rows.append(("Dorpstraat", 2 * i + 1, x, 60))
        rows.append(("Dorpstraat", 2 * i + 2, x, 40))
    return _addresses(rows)


# ------------------------------------------------------------------------------------------------ figures
def test_a_box_number_is_a_household(two_squares):
    addresses = _addresses([("Kerkstraat", 5, 50, 50, "1"), ("Kerkstraat", 5, 50, 50, "2"),
                            ("Kerkstraat", 5, 50, 50, "3"), ("Kerkstraat", 7, 60, 50)])
    figures = coverage_by(addresses, two_squares, level="street")
    row = figures.set_index("street").loc["Kerkstraat"]
    assert (row["households"], row["covered"], row["uncovered"]) == (4, 4, 0)
    groups = coverage_by(addresses, two_squares, level="group").set_index("group_id")
    assert groups.loc["G1", "households"] == 4 and groups.loc["G2", "households"] == 0


def test_street_split_in_three_is_listed_with_its_parts():
    groups = _groups(("G1", square(0, 0)), ("G2", square(100, 0)), ("G3", square(200, 0)))
    addresses = _dorpstraat(range(10, 300, 20))
    parts = split_streets(address_coverage(addresses, groups))
    assert list(parts["group_id"]) == ["G1", "G2", "G3"]
    assert list(parts["parts"]) == [3, 3, 3]
    assert list(parts["households"]) == [10, 10, 10]
    assert (parts["from_number"].iloc[0], parts["to_number"].iloc[0]) == (1, 10)
    assert set(parts["side"]) == {"beide"}
    street = coverage_by(addresses, groups, level="street").iloc[0]
    assert street["groups"] == "G1,G2,G3" and street["n_groups"] == 3 and bool(street["split"])
    per_group = coverage_by(addresses, groups, level="group")
    assert list(per_group["split_streets"]) == [1, 1, 1]


def test_split_by_side_names_the_side():
    groups = _groups(("N", shapely.box(X0, Y0 + 50, X0 + 200, Y0 + 100)), ("Z", shapely.box(X0, Y0, X0 + 200, Y0 + 50)))
    parts = split_streets(address_coverage(_dorpstraat(range(10, 200, 20)), groups))
    assert dict(zip(parts["group_id"], parts["side"], strict=True)) == {"N": "oneven", "Z": "even"}


def test_members_and_participation_count_only_members(two_squares):
    addresses = _addresses([("Kerkstraat", n, 10 + n, 50) for n in range(1, 11)])
    members = pd.DataFrame({"member_id": ["m1", "m2", "m3"], "address_id": ["a0", "a1", "a2"],
                            "group_id": ["G1", "G1", pd.NA], "status": ["lid", "lid", "kandidaat"]})
    street = coverage_by(addresses, two_squares, members, level="street").iloc[0]
    assert (street["members"], street["participation"]) == (2, 20.0)
    group = coverage_by(addresses, two_squares, members, level="group").set_index("group_id")
    assert group.loc["G1", "participation"] == 20.0
    assert pd.isna(group.loc["G2", "participation"])  # no households: no participation, not zero


def test_deelgemeente_and_municipality_levels_with_population(two_squares):
    rows = [("A-straat", 1, 50, 50, pd.NA, "Noord"), ("A-straat", 3, 150, 50, pd.NA, "Noord"),
            ("B-straat", 1, 500, 50, pd.NA, "Zuid")]
    addresses = _addresses(rows)
    deel = coverage_by(addresses, two_squares, level="deelgemeente", population={"Noord": 1000, "Zuid": 500})
    deel = deel.set_index("deelgemeente")
    assert deel.loc["Noord", "n_groups"] == 2 and deel.loc["Noord", "groups_per_1000"] == 2.0
    assert deel.loc["Zuid", "uncovered"] == 1 and deel.loc["Zuid", "groups_per_1000"] == 0.0
    muni = gpd.GeoDataFrame({"name": ["Teststad"]}, geometry=[shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)],
                            crs=WORKING_CRS)
    total = coverage_by(addresses, two_squares, level="municipality", population=4000, municipality_area=muni).iloc[0]
    assert (total["households"], total["covered"], total["uncovered"], total["n_groups"]) == (3, 2, 1, 2)
    assert total["groups_per_1000"] == 0.5 and total["area_km2"] == 1.0 and total["streets"] == 2


def test_bad_input_names_every_problem(two_squares):
    wrong = _addresses([("A", 1, 0, 0)]).to_crs(4326).drop(columns="street")
    with pytest.raises(InputError) as err:
        coverage_by(wrong, two_squares.drop(columns="group_id"), level="street")
    text = str(err.value)
    assert "street" in text and "group_id" in text and "EPSG:4326" in text
    with pytest.raises(InputError, match="niveau"):
        coverage_by(_addresses([("A", 1, 0, 0)]), two_squares, level="provincie")  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    points=st.lists(st.tuples(st.integers(-50, 350), st.integers(-50, 150), st.sampled_from("ABC")),
                    min_size=1, max_size=40),
    boxes=st.lists(st.tuples(st.integers(0, 250), st.integers(0, 80), st.integers(10, 150)), min_size=1,
                   max_size=4),
)
def test_every_household_is_covered_overlap_or_uncovered(points, boxes):
    addresses = _addresses([(s, i + 1, x, y) for i, (x, y, s) in enumerate(points)])
    groups = _groups(*((f"G{i}", square(x, y, size)) for i, (x, y, size) in enumerate(boxes)))
    streets = coverage_by(addresses, groups, level="street")
    assert (streets["covered"] + streets["overlap"] + streets["uncovered"] == streets["households"]).all()
    total = coverage_by(addresses, groups, level="municipality").iloc[0]
    assert total["covered"] + total["overlap"] + total["uncovered"] == total["households"] == len(points)
    groups_fig = coverage_by(addresses, groups, level="group")
    assert groups_fig["households"].sum() == total["covered"]


# --------------------------------------------------------------------------------------------------- gaps
def test_uncovered_addresses_form_one_gap_with_a_boundary_of_whole_streets():
    groups = _groups(("G1", square(0, 0)))
    addresses = _dorpstraat(range(20, 400, 20))
    streets = _streets([("Dorpstraat", _line((0, 50), (250, 50))), ("Dorpstraat", _line((250, 50), (500, 50))),
                        ("Zijstraat", _line((0, 50), (0, 300)))])
    gaps, gap_of = find_gaps(addresses, streets, groups)
    assert len(gaps) == 1
    gap = gaps.iloc[0]
    table = address_coverage(addresses, groups)
    uncovered = table["status"] == "niet_gedekt"
    # the address at x = 100 lies on G1's edge: the border rule gives it to G1, so it is not in the gap
    on_edge = addresses.geometry.x == X0 + 100
    assert on_edge.sum() == 2 and (table.loc[on_edge, "status"] == "toegewezen").all()
    assert gap["households"] == uncovered.sum() == 28
    assert gap["streets"] == "Dorpstraat" and gap["gap_id"] == "gat-1" and gap["rank"] == 1
    assert gap.geometry.geom_type == "MultiPolygon" and gap.geometry.is_valid
    assert shapely.covers(gap.geometry, addresses.geometry[uncovered].values).all()
    assert gap.geometry.intersection(groups.geometry.iloc[0]).area < 1e-6
    # whole street: the empty east end of Dorpstraat (x = 400 .. 500) lies inside the proposal
    assert gap.geometry.covers(pt(490, 50))
    assert gap_of[uncovered].eq("gat-1").all() and gap_of[~uncovered].isna().all()


def _two_clusters(gap_m: float) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Two uncovered clusters on one street, joined by an empty segment of ``gap_m`` metres."""
    left = [("Lange Weg", i + 1, x, 55) for i, x in enumerate(range(0, 100, 10))]
    right = [("Lange Weg", 100 + i, 110 + gap_m + x, 55) for i, x in enumerate(range(0, 50, 10))]
    streets = _streets([("Lange Weg", _line((0, 50), (100, 50))),
                        ("Lange Weg", _line((100, 50), (100 + gap_m, 50))),
                        ("Lange Weg", _line((100 + gap_m, 50), (200 + gap_m, 50)))])
    return _addresses(left + right), streets


def test_an_empty_stretch_of_exactly_max_link_m_still_joins_one_gap():
    # last address of the west cluster at x = 90, first of the east cluster at x = 260: 170 m of empty street
    addresses, streets = _two_clusters(150.0)
    none = _groups()
    assert len(coverage_gaps(addresses, streets, none, max_link_m=170.0)) == 1
    split = coverage_gaps(addresses, streets, none, max_link_m=169.0)
    assert list(split["households"]) == [10, 5]
    assert list(split["gap_id"]) == ["gat-1", "gat-2"]
    assert split.geometry.iloc[0].intersection(split.geometry.iloc[1]).area < 1e-6


def test_a_street_inside_a_group_separates_two_gaps():
    addresses, streets = _two_clusters(60.0)
    blocking = _groups(("G9", shapely.box(X0 + 110, Y0 + 20, X0 + 150, Y0 + 80)))
    gaps = coverage_gaps(addresses, streets, blocking, max_link_m=500.0)
    assert list(gaps["households"]) == [10, 5]


def test_gaps_follow_the_network_not_distance():
    # two streets 30 m apart but joined only 2 km away: two gaps, although circles would merge them
    a = [("Noordweg", i + 1, x, 35) for i, x in enumerate(range(0, 100, 10))]
    b = [("Zuidweg", i + 1, x, 5) for i, x in enumerate(range(0, 60, 10))]
    streets = _streets([("Noordweg", _line((0, 30), (1000, 30))), ("Zuidweg", _line((0, 0), (1000, 0))),
                        ("Verbinding", _line((1000, 0), (1000, 30)))])
    gaps = coverage_gaps(_addresses(a + b), streets, _groups(), max_link_m=200.0)
    assert list(gaps["streets"]) == ["Noordweg", "Zuidweg"]


def test_gap_becomes_a_group_in_one_step():
    addresses, streets = _two_clusters(50.0)
    gaps = coverage_gaps(addresses, streets, _groups())
    row = gap_as_group(gaps, "gat-1", group_id="G25")
    ready = conform("groups", row)
    assert ready["group_id"].iloc[0] == "G25" and ready["name"].iloc[0] == "Nieuwe groep Lange Weg"
    assert ready.geometry.iloc[0].geom_type == "MultiPolygon" and row["streets"].iloc[0] == "Lange Weg"
    again = address_coverage(addresses, ready)
    assert (again["status"] == "toegewezen").all()
    with pytest.raises(InputError, match="gat-99"):
        gap_as_group(gaps, "gat-99", group_id="X")


def test_no_uncovered_addresses_gives_no_gaps(two_squares):
    addresses = _addresses([("A", 1, 50, 50)])
    gaps = coverage_gaps(addresses, _streets([("A", _line((0, 50), (100, 50)))]), two_squares)
    assert len(gaps) == 0 and "streets" in gaps.columns and gaps.crs == WORKING_CRS


def test_gap_options_are_checked(two_squares):
    addresses = _addresses([("A", 1, 50, 50)])
    with pytest.raises(InputError) as err:
        coverage_gaps(addresses, two_squares, two_squares, max_link_m=-1, depth_m=0)
    assert "max_link_m" in str(err.value) and "depth_m" in str(err.value) and "geen lijn" in str(err.value)


# ----------------------------------------------------------------------------------------------- overlaps
def test_overlap_addresses_name_both_groups_and_streets():
    groups = _groups(("G1", square(0, 0)), ("G2", square(80, 0)))
    addresses = _addresses([("Kerkstraat", 1, 90, 50), ("Kerkstraat", 3, 95, 50), ("Molenweg", 2, 10, 10),
                            ("Molenweg", 4, 150, 10)])
    table = address_coverage(addresses, groups)
    assert list(table["status"]) == ["overlap", "overlap", "toegewezen", "toegewezen"]
    assert list(table["group_ids"][:2]) == ["G1,G2", "G1,G2"]
    pairs = overlaps(addresses, groups)
    assert len(pairs) == 1
    pair = pairs.iloc[0]
    assert (pair["group_a"], pair["group_b"], pair["households"], pair["streets"]) == ("G1", "G2", 2, "Kerkstraat")
    assert pair["area_m2"] == 2000.0
    group = coverage_by(addresses, groups, level="group").set_index("group_id")
    assert group.loc["G1", "overlap"] == 2 and group.loc["G1", "households"] == 1


def test_touching_groups_do_not_overlap(two_squares):
    assert len(overlaps(_addresses([("A", 1, 100, 50)]), two_squares)) == 0


# ---------------------------------------------------------------------------------------- participation
def test_low_participation_ranks_streets_and_groups():
    groups = _groups(("G1", square(0, 0)), ("G2", square(100, 0)))
    addresses = _addresses([("Laag", n, 10 + n, 20) for n in range(1, 11)]
                           + [("Hoog", n, 110 + n, 20) for n in range(1, 11)]
                           + [("Ver", n, 500 + n, 20) for n in range(1, 11)])
    members = pd.DataFrame({"address_id": [f"a{i}" for i in (0, 10, 11, 12, 13)], "status": "lid",
                            "group_id": ["G1", "G2", "G2", "G2", "G2"]})
    streets = participation_ranking(addresses, groups, members, level="street", min_households=5)
    assert list(streets["street"]) == ["Laag", "Hoog"]  # "Ver" has no group to invite to
    assert list(streets["participation"]) == [10.0, 40.0] and list(streets["rank"]) == [1, 2]
    ranked = participation_ranking(addresses, groups, members, level="group", min_households=5)
    assert list(ranked["group_id"]) == ["G1", "G2"]
    assert participation_ranking(addresses, groups, members, min_households=11).empty


# --------------------------------------------------------------------------------------------- delivery
def test_delivery_walks_up_the_odd_side_and_back_the_even_side_along_the_street_line():
    # an L-shaped street: the walk follows the line, not the straight distance
    rows = [("Hoek", 1, 10, 105), ("Hoek", 3, 60, 105), ("Hoek", 5, 105, 60), ("Hoek", 7, 105, 10),
            ("Hoek", 2, 10, 95), ("Hoek", 4, 95, 60, "2"), ("Hoek", 4, 95, 60, "1"), ("Hoek", 6, 95, 10)]
    streets = _streets([("Hoek", _line((0, 100), (100, 100), (100, 0)))])
    order = delivery_order(_addresses(rows), streets)
    assert list(order["label"]) == ["Hoek 1", "Hoek 3", "Hoek 5", "Hoek 7", "Hoek 6", "Hoek 4 bus 1",
                                    "Hoek 4 bus 2", "Hoek 2"]
    assert list(order["seq"]) == list(range(1, 9))
    assert list(order["side"][:4]) == ["oneven"] * 4


def test_delivery_keeps_addresses_without_postcode_and_walk_index_gives_the_same_order():
    rows = [("Hoek", 1, 10, 105), ("Hoek", 3, 60, 105), ("Hoek", 2, 10, 95), ("Hoek", 4, 95, 60)]
    addresses = _addresses(rows)
    addresses.loc[[1, 2], "postcode"] = pd.NA
    addresses.index = [40, 41, 42, 43]
    streets = _streets([("Hoek", _line((0, 100), (100, 100), (100, 0)))])
    order = delivery_order(addresses, streets)
    assert sorted(order["label"]) == ["Hoek 1", "Hoek 2", "Hoek 3", "Hoek 4"]
    walked = walk_index(addresses, streets)
    assert list(addresses.loc[walked, "address_id"]) == list(order["address_id"])
    assert sorted(walked) == [40, 41, 42, 43]


def test_delivery_chains_streets_nearest_first_and_enters_at_the_near_end():
    rows = ([("Lang", n, 10 * n, 5) for n in range(1, 30, 2)]       # 15 addresses from x=10 to x=290
            + [("Kort", n, 300 + 10 * n, 5) for n in (1, 3)]        # starts just east of Lang's far end
            + [("Ver", 1, 5000, 5)])
    order = delivery_order(_addresses(rows), street_names=["lang", "Kort", "Ver"])
    assert list(order["street"].drop_duplicates()) == ["Lang", "Kort", "Ver"]
    with pytest.raises(InputError, match="Onbestaand"):
        delivery_order(_addresses(rows), street_names=["Lang", "Onbestaand"])


def test_a_gap_too_large_for_one_group_is_cut_into_parts_of_whole_streets():
    # three streets in a row, A - B - C, 10 uncovered households each
    rows = [(name, n, x0 + 10 * n, 55) for name, x0 in (("A-straat", 0), ("B-straat", 200), ("C-straat", 400))
            for n in range(1, 11)]
    streets = _streets([("A-straat", _line((0, 50), (200, 50))), ("B-straat", _line((200, 50), (400, 50))),
                        ("C-straat", _line((400, 50), (600, 50)))])
    addresses = _addresses(rows)
    assert list(coverage_gaps(addresses, streets, _groups(), max_households=None)["households"]) == [30]
    parts = coverage_gaps(addresses, streets, _groups(), max_households=20)
    assert list(parts["households"]) == [20, 10]
    assert list(parts["streets"]) == ["A-straat; B-straat", "C-straat"]
    assert parts.geometry.iloc[0].intersection(parts.geometry.iloc[1]).area < 1e-6
    alone = coverage_gaps(addresses, streets, _groups(), max_households=5)  # a street is never cut
    assert sorted(alone["households"]) == [10, 10, 10]


def test_delivery_accepts_street_names_as_people_type_them():
    addresses = _addresses([("Sint-Jansstraat", 1, 0, 5), ("Brusselsesteenweg", 2, 100, 5)])
    order = delivery_order(addresses, street_names=["St.-Jansstraat", "brusselse stwg"])
    assert sorted(order["street"]) == ["Brusselsesteenweg", "Sint-Jansstraat"]


def test_every_coverage_text_key_exists():
    import re
    from pathlib import Path

    from buurtkaart.cli.coverage_cmds import _TABLE_COLUMNS
    from buurtkaart.texts import catalogue

    root = Path(__file__).resolve().parents[1]
    files = [*root.glob("buurtkaart/coverage/*.py"), root / "buurtkaart/maps/coverage.py",
             root / "buurtkaart/cli/coverage_cmds.py", root / "app_pages/staff_coverage.py"]
    used = {key for f in files for key in re.findall(r"""t\(\s*["'](coverage\.[a-z0-9_.]+)["']""", f.read_text())}
    used |= {f"coverage.column.{c}" for columns in _TABLE_COLUMNS.values() for c in columns}
    used |= {"coverage.column.rank"}
    assert len(used) > 40
    assert sorted(used - set(catalogue())) == []


@settings(max_examples=25, deadline=None)
@given(
    points=st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), min_size=1, max_size=30),
    boxes=st.lists(st.tuples(st.integers(0, 250), st.integers(0, 250), st.integers(20, 120)), max_size=3),
    max_link_m=st.sampled_from([0.0, 40.0, 150.0]),
    max_households=st.sampled_from([None, 3, 350]),
)
def test_every_uncovered_household_is_in_exactly_one_gap(points, boxes, max_link_m, max_households):
    # a 100 m street grid: Noord/Zuid streets at x = 0, 100, 200, 300 and Oost/West streets at y = 0 .. 300
    lines = [(f"Laan {x}", _line((x, 0), (x, 300))) for x in (0, 100, 200, 300)]
    lines += [(f"Straat {y}", _line((0, y), (300, y))) for y in (0, 100, 200, 300)]
    streets = _streets(lines)
    addresses = _addresses([(f"Straat {100 * round(y / 100)}", i + 1, x, y) for i, (x, y) in enumerate(points)])
    groups = _groups(*((f"G{i}", square(x, y, size)) for i, (x, y, size) in enumerate(boxes)))
    gaps, gap_of = find_gaps(addresses, streets, groups, max_link_m=max_link_m, max_households=max_households)
    table = address_coverage(addresses, groups)
    uncovered = table["status"] == "niet_gedekt"
    assert gaps["households"].sum() == uncovered.sum()
    assert gap_of[uncovered].notna().all() and gap_of[~uncovered].isna().all()
    counted = gap_of[uncovered].value_counts()
    assert (gaps.set_index("gap_id")["households"] == counted.reindex(gaps["gap_id"]).to_numpy()).all()
    assert (gaps["households"] > 0).all() and gaps.geometry.is_valid.all()
    geoms = gaps.geometry.values
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    assert shapely.area(shapely.intersection(geoms[a[a < b]], geoms[b[a < b]])).sum() < 0.01
    for gap in gaps.itertuples():  # every uncovered address lies in its own proposal
        own = addresses.geometry[(gap_of == gap.gap_id).to_numpy()].values
        assert shapely.covers(shapely.buffer(gap.geometry, 0.01), own).all()


def test_coverage_map_draws_every_layer():
    from buurtkaart.coverage import analyse
    from buurtkaart.maps.coverage import coverage_map
    from buurtkaart.texts import t

    groups = _groups(("G1", square(0, 0)), ("G2", square(80, 0)))
    addresses = _dorpstraat(range(20, 400, 20))
    streets = _streets([("Dorpstraat", _line((0, 50), (500, 50)))])
    report = analyse(addresses, groups, streets=streets)
    html = coverage_map(report, groups=groups, streets=streets, fictional=True).get_root().render()
    for key in ("coverage.map.layer.groups", "coverage.map.layer.streets", "coverage.map.layer.gaps",
                "coverage.map.layer.overlaps", "maps.fictional_badge"):
        assert t(key) in html
    assert "gat-1" in html and "G1 + G2" in html
    only_gaps = coverage_map(report, groups=groups, layers=["gaps"]).get_root().render()
    assert "gat-1" in only_gaps and "G1 + G2" not in only_gaps


def test_a_coordinator_ranks_only_the_streets_of_their_own_group():
    groups = _groups(("G1", square(0, 0)), ("G2", square(100, 0)))
    addresses = _addresses([("Gedeeld", n, 10 * n, 20) for n in range(1, 20)])  # x = 10 .. 190: split street
    members = pd.DataFrame({"address_id": ["a0", "a1", "a15"], "status": "lid", "group_id": ["G1", "G1", "G2"]})
    own = participation_ranking(addresses, groups, members, group_ids=["G2"], min_households=1)
    assert list(own["street"]) == ["Gedeeld"]
    assert (own["households"].iloc[0], own["members"].iloc[0]) == (10, 1)
    ranked_groups = participation_ranking(addresses, groups, members, level="group", group_ids=["G2"],
                                          min_households=1)
    assert list(ranked_groups["group_id"]) == ["G2"]


def test_delivery_keeps_house_number_order_where_parcel_points_jitter():
    # number 5 sits deep in its parcel and projects before number 3; the walk still goes 1, 3, 5, 7
    rows = [("Dorp", 1, 0, 10), ("Dorp", 3, 30, 10), ("Dorp", 5, 25, 60), ("Dorp", 7, 60, 10),
            ("Dorp", 2, 0, -10), ("Dorp", 4, 40, -10)]
    streets = _streets([("Dorp", _line((0, 0), (100, 0)))])
    order = delivery_order(_addresses(rows), streets)
    assert list(order["housenumber"]) == [1, 3, 5, 7, 4, 2]
