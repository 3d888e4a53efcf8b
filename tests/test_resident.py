"""The resident's answer (find_group), the single-point assignment and the per-street index, on the
drawable town of tests/test_assign_bulk.py: G1 (west square) | G2 (east square), Kerkstraat through both and
beyond, Grensstraat along their shared edge."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from buurtkaart.assignment.find import MAX_QUERY_CHARS, FindIndex, check_query, find_group
from buurtkaart.assignment.points import GroupIndex
from buurtkaart.assignment.streets import StreetIndex, street_answer
from buurtkaart.errors import InputError
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from tests.conftest import pt, square
from tests.test_assign_bulk import town_addresses


@pytest.fixture
def groups(two_squares) -> gpd.GeoDataFrame:
    groups = two_squares.copy()
    groups["name"] = ["Centrum", "Kalkoven"]
    return groups


@pytest.fixture
def index(groups) -> FindIndex:
    return FindIndex.from_layers(town_addresses(), groups, municipality_name="Asse")


def test_assign_point_equals_assign(groups):
    muni = gpd.GeoDataFrame(geometry=[square(-50, -50, 400)], crs=WORKING_CRS)
    overlapping = gpd.GeoDataFrame({"group_id": ["G1", "G2", "G3"]},
                                   geometry=[square(0, 0), square(100, 0), square(150, 0)], crs=WORKING_CRS)
    for frame in (groups, overlapping):
        gi = GroupIndex(frame, municipality_area=muni)
        points = [pt(50, 50), pt(100, 50), pt(100, 100), pt(175, 50), pt(250, 50), pt(500, 500), pt(0, 0)]
        table = gi.assign(gpd.GeoSeries(points, crs=WORKING_CRS))
        for i, point in enumerate(points):
            status, covering, nearest = gi.assign_point(point)
            assert (status, covering, nearest) == (table.loc[i, "status"], table.loc[i, "groups"],
                                                   table.loc[i, "nearest"])


def test_street_index_answers_like_street_answer_and_keeps_them(groups):
    addresses = town_addresses()
    streets = StreetIndex(addresses, groups)
    for name in ("Kerkstraat", "kerkstr.", "Grensstraat", "Nergensstraat"):
        for postcode in (None, "1730", "1731"):
            expected = street_answer(name, postcode=postcode, addresses=addresses, groups=groups)
            assert streets.answer(name, postcode=postcode) == expected
    assert streets.answer("Kerkstraat") is streets.answer("KERKSTRAAT")
    assert street_answer("Grensstraat", addresses=streets).text == \
        "Grensstraat 1-9 (oneven): groep Centrum; 2-10 (even): groep Kalkoven"


def test_find_group_for_each_kind_of_query(index):
    covered = find_group("kerkstraat 3", index=index)
    assert covered.status == "toegewezen" and covered.group_ids == ("G1",)
    assert covered.message == t("resident.covered", group="Centrum")
    assert covered.street is not None and covered.street.group_ids == ("G1", "G2")
    beyond = find_group("Kerkstraat 25", index=index)  # x = 245: east of both squares
    assert beyond.status == "niet_gedekt" and beyond.nearest[0][:2] == ("G2", "Kalkoven")
    assert beyond.group_ids == ("G2",) and beyond.to_dict()["groups"] == [] and beyond.to_dict()["highlight"] == ["G2"]
    assert "Kalkoven" in beyond.message
    border = find_group("Grensstraat 2", index=index)
    assert border.status == "toegewezen" and border.group_names == ("Kalkoven",)
    street = find_group("Grensstraat", index=index)
    assert street.status is None and street.group_ids == ("G1", "G2") and street.street is not None
    assert street.message == t("resident.street_only", street=street.street.text)
    missing = find_group("Onbekendelaan 4", index=index)
    assert missing.lookup.status == "not_found" and missing.message == t("resident.not_found")
    assert missing.street is None and missing.group_ids == ()


def test_check_query_gathers_every_problem():
    assert check_query("  Kerkstraat   12 ") == "Kerkstraat 12"
    assert check_query(b"Kerkstraat 12") == "Kerkstraat 12"
    for bad, key in (("", "resident.error.empty"), ("\x00\x01", "resident.error.control"),
                     ("x" * (MAX_QUERY_CHARS + 1), None)):
        with pytest.raises(InputError) as err:
            check_query(bad)
        assert err.value.message == t("resident.error.query")
        if key:
            assert t(key) in err.value.problems
    with pytest.raises(InputError) as err:
        check_query("\x00" * (MAX_QUERY_CHARS + 5))
    assert len(err.value.problems) == 2


def test_a_lone_point_outside_every_group_with_no_groups_at_all():
    empty = gpd.GeoDataFrame({"group_id": [], "name": []}, geometry=[], crs=WORKING_CRS)
    adr = gpd.GeoDataFrame({"address_id": ["a"], "street": ["Kerkstraat"], "housenumber": [1], "postcode": ["1730"]},
                           geometry=[shapely.Point(50, 50)], crs=WORKING_CRS)
    answer = find_group("Kerkstraat 1", index=FindIndex.from_layers(adr, empty))
    assert answer.status == "niet_gedekt" and answer.nearest == () and answer.message == t("resident.uncovered")
