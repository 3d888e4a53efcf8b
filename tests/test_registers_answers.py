"""What a resident is told about register addresses: an address a few metres over the simplified municipal border
is the municipality's own, and a box the register does not have is not "found".

The municipality is the two squares x 0..200, y 0..100; G1 is the west square without its northern 20 m
(y 0..80), G2 the east one drawn 3 m over the border (x 100..203). The register has Grensweg 1 at x 202 (2 m over
the border, inside G2), Grensweg 2 at (150, 103) (3 m over the border, north of G2), Grensweg 3 at (50, 103) (3 m
over the border, north of the strip no group covers) and Verweg 5 at x 280 (80 m over: no address of ours lies
there).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from buurtkaart.assignment.points import GroupIndex, assign_points
from buurtkaart.coverage import coverage_by
from buurtkaart.geocoding.lookup import AddressIndex
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import X0, Y0, pt, square

MUNICIPALITY = gpd.GeoDataFrame({"code": ["11001"], "name": ["Teststad"]},
                                geometry=[shapely.union(square(0, 0), square(100, 0))], crs=WORKING_CRS)


def _groups() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"group_id": ["G1", "G2"], "name": ["West", "Oost"]},
                            geometry=[shapely.box(X0, Y0, X0 + 100, Y0 + 80),
                                      shapely.box(X0 + 100, Y0, X0 + 203, Y0 + 100)], crs=WORKING_CRS)


def _register() -> gpd.GeoDataFrame:
    rows = [("a1", "Grensweg", 1, None, (202, 50)), ("a2", "Grensweg", 2, None, (150, 103)),
            ("a3", "Grensweg", 3, None, (50, 103)),
            ("a5", "Verweg", 5, None, (280, 50)), ("k2", "Kerkstraat", 2, None, (50, 50)),
            ("p40", "Petrus Ascanusstraat", 40, None, (20, 20)),
            ("p42-2", "Petrus Ascanusstraat", 42, "2", (30, 20)), ("p42-3", "Petrus Ascanusstraat", 42, "3", (30, 20)),
            ("p44", "Petrus Ascanusstraat", 44, None, (40, 20)), ("p44-1", "Petrus Ascanusstraat", 44, "1", (40, 20))]
    return gpd.GeoDataFrame(
        {"address_id": [r[0] for r in rows], "street": [r[1] for r in rows], "housenumber": [r[2] for r in rows],
         "suffix": [None] * len(rows), "box": [r[3] for r in rows], "postcode": ["1730"] * len(rows),
         "deelgemeente": ["Asse"] * len(rows)},
        geometry=[pt(*r[4]) for r in rows], crs=WORKING_CRS)


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    ws = Workspace.create(tmp_path / "t.gpkg", {"municipality": MUNICIPALITY}, municipality="Teststad",
                          fictional=True)
    ws.write({"addresses": _register(), "groups": _groups()})
    return ws


def test_register_addresses_just_over_the_border_are_the_municipalitys_own(workspace: Workspace) -> None:
    register = _register().set_index("address_id")
    points = register.geometry[["a1", "a2", "a3", "a5", "k2"]]
    plain = assign_points(points, _groups(), municipality_area=MUNICIPALITY)
    assert plain["status"].tolist() == ["buiten_gemeente"] * 4 + ["toegewezen"]
    own = GroupIndex.from_workspace(workspace).assign(points)
    assert own["status"].tolist() == ["toegewezen", "toegewezen", "niet_gedekt", "buiten_gemeente", "toegewezen"]
    assert own["group_id"].tolist()[:2] == ["G2", "G2"]  # a2: as if just inside the border, in G2
    assert own.loc["a3", "nearest"][0] == ("G1", 23.0)  # a3: the strip y 80..100 has no group
    assert GroupIndex(_groups(), municipality_area=MUNICIPALITY, own_points=points).assign(points).equals(own)
    # only the register point itself (within 1 m) counts: a point 1.5 m beside it is still outside
    beside = gpd.GeoSeries([pt(202, 51.5), pt(200, 50)], crs=WORKING_CRS)
    assert GroupIndex.from_workspace(workspace).assign(beside)["status"].tolist() == ["buiten_gemeente",
                                                                                     "toegewezen"]


def test_the_resident_lookup_of_a_register_address_over_the_border_gets_its_group(workspace: Workspace) -> None:
    result = AddressIndex.from_workspace(workspace).lookup("Grensweg 1")
    assert result.status == "exact" and result.address_id == "a1"
    row = GroupIndex.from_workspace(workspace).assign(gpd.GeoSeries([result.point], crs=WORKING_CRS)).iloc[0]
    assert (row["status"], row["group_id"]) == ("toegewezen", "G2")


def test_coverage_counts_a_register_address_over_the_border_as_a_household_of_the_municipality() -> None:
    addresses = _register()
    table = coverage_by(addresses, _groups(), level="municipality", municipality_area=MUNICIPALITY).iloc[0]
    # Verweg 5, 80 m over the border, is outside; Grensweg 1, 2 (in G2) and 3 (in no group) are the municipality's
    assert (table["households"], table["outside"], table["uncovered"]) == (len(addresses), 1, 1)
    assert table["covered"] == len(addresses) - 2


@pytest.mark.parametrize(
    ("text", "address_id", "box", "found_box"),
    [
        ("Petrus Ascanusstraat 40 bus 1", "p40", None, False),  # no boxes at 40
        ("Petrus Ascanusstraat 42 bus 1", None, None, False),  # boxes 2 and 3, no building row
        ("Petrus Ascanusstraat 44 bus 7", "p44", None, False),  # the building row, not box 1
        ("Petrus Ascanusstraat 42 bus 3", "p42-3", "3", True),
        ("Petrus Ascanusstraat 40", "p40", None, True),
        ("Petrus Ascanusstraat 42", None, None, True),  # the building of boxes 2 and 3: not box 2's id
        ("Petrus Ascanusstraat 44", "p44", None, True),
    ],
)
def test_a_box_the_register_does_not_have_is_not_reported_as_found(workspace, text, address_id, box, found_box):
    result = AddressIndex.from_workspace(workspace).lookup(text)
    assert result.found and result.address_id == address_id and result.box == box
    number = int(text.split()[2])
    assert result.point.equals(pt(20 + (number - 40) * 5, 20))  # the building's point
    if found_box:
        assert result.message.endswith("gevonden in het adressenregister.")
    else:
        typed = text.split("bus ")[1]
        assert f"het gebouw is gevonden in het adressenregister, maar bus {typed} staat er niet in" in result.message
        assert result.label == f"Petrus Ascanusstraat {number}, 1730 Asse"  # the deelgemeente stays in the label
    assert pd.isna(result.suffix)


def test_the_street_answer_does_not_put_register_addresses_over_the_border_outside() -> None:
    from buurtkaart.assignment.streets import street_answer

    answer = street_answer("Grensweg", addresses=_register(), groups=_groups(), municipality_area=MUNICIPALITY)
    assert "buiten de gemeente" not in answer.text
    assert answer.group_ids == ("G2",)
    verweg = street_answer("Verweg", addresses=_register(), groups=_groups(), municipality_area=MUNICIPALITY)
    assert "buiten de gemeente" in verweg.text  # 80 m over the border: not the municipality's
