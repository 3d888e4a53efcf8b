"""Bulk assignment of a list of people, the street answer, and members after a boundary change.

The drawable town of tests/conftest.py: G1 (west square) | G2 (east square). Kerkstraat runs west to east along
y = 50 through both squares and beyond (odd numbers at y = 40, even at y = 60, x = 10 per number); Grensstraat
runs north along the shared edge x = 100 (odd numbers west of it in G1, even numbers east of it in G2).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from buurtkaart.assignment.bulk import assign_people, reassign_members
from buurtkaart.assignment.streets import street_answer
from buurtkaart.errors import InputError
from buurtkaart.geocoding.lookup import AddressIndex
from buurtkaart.schema import WORKING_CRS
from buurtkaart.vocabulary import PEOPLE_STATUSES
from buurtkaart.workspace import Workspace
from tests.conftest import X0, Y0, pt, square


def town_addresses() -> gpd.GeoDataFrame:
    rows = []
    for n in range(1, 30):
        rows.append(("Kerkstraat", n, pt(n * 10 - 5, 40 if n % 2 else 60)))
    for n in range(1, 11):
        rows.append(("Grensstraat", n, pt(95 if n % 2 else 105, n * 9)))
    return gpd.GeoDataFrame(
        {"address_id": [f"{s[0]}{n}" for s, n, _p in rows], "street": [r[0] for r in rows],
         "housenumber": [r[1] for r in rows], "postcode": "1730", "deelgemeente": "Asse"},
        geometry=[r[2] for r in rows], crs=WORKING_CRS)


@pytest.fixture
def groups(two_squares) -> gpd.GeoDataFrame:
    groups = two_squares.copy()
    groups["name"] = ["Centrum", "Kalkoven"]
    return groups


@pytest.fixture
def index() -> AddressIndex:
    return AddressIndex.from_layers(town_addresses(), municipality_name="Asse")


def test_street_that_is_the_border_between_two_groups(groups):
    answer = street_answer("Grensstraat", addresses=town_addresses(), groups=groups)
    assert answer.text == "Grensstraat 1-9 (oneven): groep Centrum; 2-10 (even): groep Kalkoven"
    assert answer.group_ids == ("G1", "G2")


def test_street_answer_as_a_resident_reads_it(groups):
    municipality = gpd.GeoSeries([shapely.box(X0, Y0, X0 + 400, Y0 + 100)], crs=WORKING_CRS)
    answer = street_answer("kerkstr.", postcode="1730", addresses=town_addresses(), groups=groups,
                           municipality_area=municipality)
    # numbers 1-10 lie in G1 (x < 100), 11-20 in G2, 21-29 east of both squares
    assert answer.text == ("Kerkstraat 1-9 (oneven) en 2-10 (even): groep Centrum; 11-19 (oneven) en 12-20 (even): "
                           "groep Kalkoven; de rest: nog geen groep")
    whole = street_answer("Kerkstraat", addresses=town_addresses()[lambda f: f["housenumber"] < 9], groups=groups)
    assert whole.text == "Kerkstraat: de hele straat hoort bij groep Centrum."
    missing = street_answer("Nergensstraat", addresses=town_addresses(), groups=groups)
    assert missing.parts == () and "Nergensstraat" in missing.text


def _people() -> pd.DataFrame:
    return pd.DataFrame(
        {"naam": ["An", "Bo", "Cas", "Dirk", "Els", "Fien"],
         "Adres": ["Kerkstraat 3", "kerkstr 15, 1730 Asse", "Kerkstraat 27", "Qwertylaan 4",
                   "Dorpstraat 1, 1700 Dilbeek", None]},
        index=[10, 11, 12, 13, 14, 15])


def test_assign_people_report_and_statuses(index, groups):
    out, report = assign_people(_people(), index=index, groups=groups)
    assert list(out.index) == [10, 11, 12, 13, 14, 15]
    assert out["status"].tolist() == ["toegewezen", "toegewezen", "niet_gedekt", "adres_niet_gevonden",
                                      "buiten_gemeente", "adres_niet_gevonden"]
    assert out["group_id"].tolist()[:2] == ["G1", "G2"]
    assert out.loc[11, "group_name"] == "Kalkoven"
    assert out.loc[12, "nearest"].startswith("G2 (")
    assert report.counts == {"toegewezen": 2, "overlap": 0, "niet_gedekt": 1, "adres_niet_gevonden": 2,
                             "buiten_gemeente": 1}
    assert sum(report.counts.values()) == report.total == 6
    text = report.text()
    assert "adres niet gevonden: 2" in text and "rij 13" in text
    assert set(out["status"]) <= set(PEOPLE_STATUSES)
    assert "naam" in out and "Adres" in out  # the input's own columns stay


def test_assign_people_is_idempotent(index, groups):
    first, _ = assign_people(_people(), index=index, groups=groups)
    again, _ = assign_people(_people(), index=index, groups=groups)
    pd.testing.assert_frame_equal(first, again)
    on_its_output, _ = assign_people(first, index=index, groups=groups)
    pd.testing.assert_frame_equal(first, on_its_output)


def test_assign_people_without_address_column_says_which_columns_exist(index, groups):
    with pytest.raises(InputError) as err:
        assign_people(pd.DataFrame({"naam": ["An"], "straat": ["x"]}), index=index, groups=groups)
    assert "naam, straat" in str(err.value)
    with pytest.raises(InputError, match="'woonplaats' bestaat niet"):
        assign_people(_people(), address_column="woonplaats", index=index, groups=groups)


def test_reassign_members_after_a_boundary_change_saves_nothing(tmp_path, groups):
    members = gpd.GeoDataFrame(
        {"member_id": ["M1", "M2", "M3", "M4"], "name": ["An", "Bo", "Cas", "Dirk"],
         "address_text": ["Kerkstraat 3", "Kerkstraat 15", "Kerkstraat 9", "Kerkstraat 5"],
         "status": ["lid", "lid", "kandidaat", "vertrokken"],
         "group_id": ["G1", "G2", "G1", "G1"], "assign_status": ["toegewezen"] * 4},
        geometry=[pt(25, 40), pt(145, 40), pt(85, 40), pt(45, 40)], crs=WORKING_CRS)
    ws = Workspace.create(tmp_path / "w.gpkg", {"groups": groups, "members": members, "addresses": town_addresses()},
                          municipality="Teststad", fictional=True)
    assert reassign_members(ws).empty  # the stored groups already match
    moved = groups.copy()
    moved.geometry = [square(0, 0, 80), shapely.box(X0 + 80, Y0, X0 + 200, Y0 + 100)]  # the border moves west
    token = ws.version_token
    changes = reassign_members(ws, groups=moved)
    assert changes["member_id"].tolist() == ["M3"]  # M4 left: kept as recorded
    assert changes.iloc[0][["old_group_id", "new_group_id"]].tolist() == ["G1", "G2"]
    assert ws.version_token == token
    assert "name" not in changes


def test_two_streets_of_one_name_in_one_postcode_are_answered_per_deelgemeente(groups):
    """Kerkstraat in Asse and in Mollem, both 1730: the same numbers twice, so two streets, not one."""
    from tests.conftest import pt

    addresses = gpd.GeoDataFrame(
        {"street": ["Kerkstraat"] * 4, "housenumber": [1, 3, 1, 3], "postcode": ["1730"] * 4,
         "deelgemeente": ["Asse", "Asse", "Mollem", "Mollem"]},
        geometry=[pt(20, 20), pt(40, 20), pt(120, 20), pt(140, 20)], crs=31370)
    both = street_answer("Kerkstraat", addresses=addresses, groups=groups)
    assert both.text == ("Asse: Kerkstraat: de hele straat hoort bij groep Centrum. — "
                         "Mollem: Kerkstraat: de hele straat hoort bij groep Kalkoven.")
    mollem = street_answer("Kerkstraat", deelgemeente="Mollem", addresses=addresses, groups=groups)
    assert mollem.deelgemeente == "Mollem" and "—" not in mollem.text
    assert mollem.group_ids != street_answer("Kerkstraat", deelgemeente="Asse", addresses=addresses,
                                             groups=groups).group_ids
    # one street that crosses into another deelgemeente (no number twice) is answered whole
    crossing = addresses.assign(housenumber=[1, 3, 5, 7])
    whole = street_answer("Kerkstraat", deelgemeente="Asse", addresses=crossing, groups=groups)
    assert whole.deelgemeente is None and "—" not in whole.text and len(whole.group_ids) == 2
