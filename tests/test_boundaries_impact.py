"""The impact preview of an edit: addresses, members, streets and infobord sites that change group or status."""

from __future__ import annotations

import geopandas as gpd
import shapely

from buurtkaart.boundaries import preview_impact, remove_group, replace_group
from buurtkaart.schema import WORKING_CRS
from tests import boundaries_town as town
from tests.conftest import pt, square


def members():
    return gpd.GeoDataFrame({"member_id": ["m1", "m2"], "status": ["lid", "lid"]},
                            geometry=[pt(210, 85), pt(50, 85)], crs=WORKING_CRS)


def signs():
    return gpd.GeoDataFrame({"sign_id": ["S1", "S2"], "group_ids": ["G2", "G1"], "status": ["geplaatst"] * 2},
                            geometry=[pt(245, 100), pt(2, 100)], crs=WORKING_CRS)


def test_moving_the_border_between_two_groups():
    old = town.groups()
    new = replace_group(replace_group(old, "G1", shapely.box(town.X0, town.Y0, town.X0 + 240, town.Y0 + 200)), "G2",
                        shapely.box(town.X0 + 240, town.Y0, town.X0 + 400, town.Y0 + 200))
    impact = preview_impact(old, new, addresses=town.addresses(), members=members(), streets=town.streets(),
                            infoborden=signs())
    moved = set(impact.addresses["address_id"])
    assert moved == {"D21", "D22", "D23", "D24", "K2", "K4", "K6", "K8"}
    assert set(impact.addresses["old_group"]) == {"G2"} and set(impact.addresses["new_group"]) == {"G1"}
    assert impact.members["member_id"].tolist() == ["m1"]
    assert impact.streets.to_dict("records") == [{"street": "Kerkstraat", "old_groups": "G1, G2", "new_groups": "G1"}]
    # buurtkaart.infoborden: Dorpstraat now enters G2 at x = 240, a shared pole for G1 and G2 where S1 stands;
    # S2 at the west end of G1 stands at no entry road at all
    signs_changed = impact.infoborden.set_index("sign_id")["change"].to_dict()
    assert signs_changed == {"S1": "groepen", "S2": "overbodig"}
    assert impact.changed_groups == ["G1", "G2"]
    assert any("Dorpstraat" in line and "G2 → G1" in line for line in impact.lines())
    assert impact.summary()["adressen"] == 8


def test_growing_into_a_neighbour_makes_an_overlap():
    old = town.groups()
    new = replace_group(old, "G1", square(0, 0, 220))
    impact = preview_impact(old, new, addresses=town.addresses())
    assert set(impact.addresses["new_status"]) == {"overlap"}
    assert impact.addresses["new_group"].isna().all()
    assert "overlap" in impact.lines()[0]


def test_a_group_that_stops():
    old = town.groups()
    new = remove_group(old, "G2")
    impact = preview_impact(old, new, addresses=town.addresses(), infoborden=signs())
    assert set(impact.addresses["new_status"]) == {"niet_gedekt"}
    assert len(impact.addresses) == 24
    assert impact.infoborden.set_index("sign_id").loc["S1", "change"] == "overbodig"


def test_without_streets_signs_near_the_change_are_to_be_checked():
    old = town.groups()
    new = replace_group(old, "G2", shapely.box(town.X0 + 240, town.Y0, town.X0 + 400, town.Y0 + 200))
    impact = preview_impact(old, new, infoborden=signs())
    assert impact.infoborden[["sign_id", "change"]].values.tolist() == [["S1", "controleren"]]


def test_no_change_no_impact():
    old = town.groups()
    impact = preview_impact(old, old.copy(), addresses=town.addresses(), members=members(), streets=town.streets(),
                            infoborden=signs())
    assert impact.is_empty and impact.changed_area.is_empty and impact.lines() == []


def test_edit_preview_pipeline_and_a_group_that_stops():
    from buurtkaart.boundaries import EditContext, preview_edit, preview_removal

    ctx = EditContext(groups=town.groups(), streets=town.streets(), addresses=town.addresses(),
                      infoborden=signs(), municipality_area=town.municipality())
    grown = preview_edit(ctx, "G1", shapely.box(town.X0, town.Y0, town.X0 + 240, town.Y0 + 200), overlap="trim")
    assert grown.check.ok and not grown.can_save  # trimmed back to its own area: nothing changes
    bigger = preview_edit(ctx, "G3", shapely.box(town.X0, town.Y0 + 200, town.X0 + 50, town.Y0 + 260))
    assert not bigger.check.ok  # 60 m of 60 m lies outside the municipality
    stops = preview_removal(ctx, "G2")
    assert [f.code for f in stops.check.findings] == ["group_stops"]
    assert "24 adres" in stops.check.findings[0].message and stops.can_save
    assert list(stops.groups["group_id"]) == ["G1"]
