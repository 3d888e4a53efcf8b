"""Groups that split along a drawn line (snapped to a street) or merge; both previewed as one change."""

from __future__ import annotations

import pytest
import shapely

from buurtkaart.boundaries import EditContext, merge_groups, preview_groups, split_group
from buurtkaart.errors import InputError, NotFound
from tests import boundaries_town as town


def test_split_along_a_street_drawn_a_few_metres_off():
    groups = town.groups()
    line = town.line((-10, 104), (100, 97), (210, 103))  # roughly along Dorpstraat (y = 100) across G1
    two = split_group(groups, "G1", line, new_id="G3", new_name="West-Noord", streets=town.streets(), tolerance_m=8)
    assert two["group_id"].tolist() == ["G1", "G2", "G3"]
    areas = two.set_index("group_id").geometry
    assert areas["G1"].area == pytest.approx(20_000) and areas["G3"].area == pytest.approx(20_000)
    assert shapely.intersection(areas["G1"], areas["G3"]).area < 1e-6
    assert abs(areas["G1"].bounds[3] - areas["G3"].bounds[1]) < 1e-6 or abs(areas["G3"].bounds[3] -
                                                                             areas["G1"].bounds[1]) < 1e-6


def test_split_refuses_lines_that_do_not_cut_in_two():
    groups = town.groups()
    with pytest.raises(InputError):
        split_group(groups, "G1", town.line((10, 10), (50, 50)), new_id="G3")  # ends inside the area
    with pytest.raises(InputError):
        split_group(groups, "G1", town.line((50, -10), (50, 210), (150, 210), (150, -10)), new_id="G3")  # 3 pieces
    with pytest.raises(InputError):
        split_group(groups, "G1", town.line((50, -10), (50, 210)), new_id="G2")  # id taken
    with pytest.raises(NotFound):
        split_group(groups, "G9", town.line((50, -10), (50, 210)), new_id="G3")


def test_merge_and_preview_of_a_multi_group_change():
    groups = town.groups()
    merged = merge_groups(groups, "G1", "G2")
    assert merged["group_id"].tolist() == ["G1"] and merged.area.iloc[0] == pytest.approx(80_000)
    with pytest.raises(InputError):
        merge_groups(groups, "G1", "G1")
    ctx = EditContext(groups=groups, addresses=town.addresses(), municipality_area=town.municipality())
    preview = preview_groups(ctx, merged)
    assert preview.can_save and preview.impact.changed_groups == ["G1", "G2"]
    assert preview.check.households == 48
    assert {f.code for f in preview.check.findings} == {"size_small"}
    assert preview.check.findings[0].message.startswith("G1: ")
    split = split_group(groups, "G2", town.line((320, -10), (320, 210)), new_id="G3")
    assert len(preview_groups(ctx, split).impact.addresses) == 8  # houses east of x = 320 move to G3
