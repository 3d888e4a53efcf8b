"""Coverage gaps and walks with the roads beyond the municipal border (issue 15).

Teststad is x 0..300, y 0..100; group G1 covers x 0..100. The Eerste Straat and the Tweede Straat are dead ends
of Teststad that stop at its east border (x = 300), 60 m apart; beyond the border the Buitenweg (100 m, in the
neighbouring municipality) joins their ends. One uncovered house on each, 10 m from the border:

    y
    100 +---------+----------------------+
        |   G1    |      Tweede Straat ==+==+
        |         |                      |  | Buitenweg
        |         |      Eerste Straat ==+==+
      0 +---------+----------------------+
        0        100                    300  x
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from buurtkaart.coverage import coverage_gaps, delivery_order, find_gaps
from buurtkaart.schema import WORKING_CRS
from tests.conftest import pt, square


def _line(*xy: tuple[float, float]) -> shapely.LineString:
    return shapely.LineString([pt(x, y) for x, y in xy])


@pytest.fixture
def town() -> dict[str, gpd.GeoDataFrame]:
    streets = gpd.GeoDataFrame(
        {"street_id": [1, 2, 3], "name": ["Eerste Straat", "Tweede Straat", "Dorpstraat"],
         "road_class": ["minor"] * 3, "outside": [False, False, False]},
        geometry=[_line((250, 20), (300, 20)), _line((250, 80), (300, 80)), _line((10, 50), (90, 50))],
        crs=WORKING_CRS)
    outside = gpd.GeoDataFrame(
        {"street_id": [4], "name": ["Buitenweg"], "road_class": ["minor"], "outside": [True]},
        geometry=[_line((300, 20), (320, 20), (320, 80), (300, 80))], crs=WORKING_CRS)
    addresses = gpd.GeoDataFrame(
        {"address_id": ["a1", "a2", "a3"], "street": ["Eerste Straat", "Tweede Straat", "Dorpstraat"],
         "housenumber": pd.array([1, 1, 1], dtype="Int64"), "postcode": "9990", "deelgemeente": "Teststad"},
        geometry=[pt(290, 25), pt(290, 85), pt(50, 55)], crs=WORKING_CRS)
    groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]}, geometry=[square(0, 0)], crs=WORKING_CRS)
    municipality = gpd.GeoDataFrame({"code": ["11001"], "name": ["Teststad"]},
                                    geometry=[shapely.box(*pt(0, 0).coords[0], *pt(300, 100).coords[0])],
                                    crs=WORKING_CRS)
    roads = gpd.GeoDataFrame(pd.concat([streets, outside], ignore_index=True), crs=WORKING_CRS)
    return {"streets": streets, "roads": roads, "addresses": addresses, "groups": groups,
            "municipality": municipality}


def test_a_road_beyond_the_border_links_two_dead_ends_into_one_gap(town) -> None:
    options = {"municipality_area": town["municipality"], "max_link_m": 150.0}
    apart = coverage_gaps(town["addresses"], town["streets"], town["groups"], **options)
    assert len(apart) == 2  # without the road outside: two dead ends, two gaps
    gaps, gap_of = find_gaps(town["addresses"], town["roads"], town["groups"], **options)
    assert len(gaps) == 1
    gap = gaps.iloc[0]
    assert gap["households"] == 2 and gap["streets"] == "Eerste Straat; Tweede Straat"  # not the Buitenweg
    assert gap["length_m"] == pytest.approx(100.0) and gap["street_ids"] == "1,2"
    assert gap.geometry.within(town["municipality"].geometry.iloc[0].buffer(1e-6))
    assert gap_of.tolist()[:2] == ["gat-1", "gat-1"] and pd.isna(gap_of.iloc[2])  # a3 is covered by G1
    # a longer way round outside is no link: the same rule as along the own streets
    far = find_gaps(town["addresses"], town["roads"], town["groups"], municipality_area=town["municipality"],
                    max_link_m=100.0)[0]
    assert len(far) == 2 and "Buitenweg" not in ";".join(far["streets"])


def test_an_address_is_never_attached_to_a_road_beyond_the_border(town) -> None:
    near_outside = town["addresses"].copy()
    near_outside.loc[0, "geometry"] = pt(299, 50)  # 1 m from the border, 21 m from the Buitenweg, 30 m from its street
    near_outside.loc[0, "street"] = "Onbekende Straat"  # no name bonus helps
    gaps = coverage_gaps(near_outside, town["roads"], town["groups"], municipality_area=town["municipality"])
    assert "Buitenweg" not in ";".join(gaps["streets"]) and gaps["households"].sum() == 2


def test_walks_stay_on_the_own_streets(town) -> None:
    addresses = gpd.GeoDataFrame(
        {"street": ["Eerste Straat"] * 4, "housenumber": [1, 2, 3, 4]},
        geometry=[pt(260, 25), pt(265, 15), pt(290, 25), pt(285, 15)], crs=WORKING_CRS)
    same_name_outside = town["roads"].copy()
    same_name_outside.loc[3, "name"] = "Eerste Straat"  # the street's name continues beyond the border
    with_outside = delivery_order(addresses, same_name_outside)
    own = delivery_order(addresses, town["streets"])
    pd.testing.assert_frame_equal(with_outside, own)
    assert with_outside["label"].tolist() == ["Eerste Straat 1", "Eerste Straat 3", "Eerste Straat 4",
                                              "Eerste Straat 2"]


def test_the_coverage_report_links_gaps_through_the_roads_outside_and_counts_only_own_streets(town) -> None:
    from buurtkaart.coverage.report import analyse

    outside = town["roads"][town["roads"]["outside"]].drop(columns="outside")
    report = analyse(town["addresses"], town["groups"], streets=town["streets"].drop(columns="outside"),
                     roads_outside=outside, municipality_area=town["municipality"])
    assert len(report.gaps) == 1 and report.gaps["households"].iloc[0] == 2
    assert "Buitenweg" not in set(report.streets["street"])
