"""Each check of a group area, on the drawable town (tests/boundaries_town.py)."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from buurtkaart.boundaries import SizeGuide, check_group
from buurtkaart.errors import InputError
from buurtkaart.schema import WORKING_CRS
from tests import boundaries_town as town
from tests.conftest import pt, square


def codes(result):
    return {f.code: f.severity for f in result.findings}


def test_a_clean_area_has_no_findings():
    result = check_group(square(0, 0, 200), group_id="G1", groups=town.groups(), municipality_area=town.municipality(),
                         addresses=town.addresses(), guide=SizeGuide(min_households=10, max_households=40))
    assert result.ok and result.findings == []
    assert result.households == 24  # 20 Dorpstraat houses + 4 Kerkstraat houses west of x = 200


def test_twisted_corner_is_repaired_but_a_figure_eight_is_refused():
    twisted = town.poly((0, 0), (100, 0), (100, 100), (0, 100), (1, -1))  # tiny loop at the corner (0, 0)
    assert not twisted.is_valid
    result = check_group(twisted)
    assert codes(result) == {"repaired": "info"} and result.geometry.is_valid
    assert result.geometry.area == pytest.approx(10_000, rel=0.01)
    figure_eight = town.poly((0, 0), (100, 100), (100, 0), (0, 100))
    assert codes(check_group(figure_eight)) == {"invalid": "error"}
    assert not check_group(figure_eight).ok
    assert codes(check_group(shapely.Polygon())) == {"empty": "error"}
    assert codes(check_group(town.line((0, 0), (1, 1)))) == {"not_polygon": "error"}


def test_outside_the_municipality():
    slightly = square(342, 50, 60)  # 2 m of 60 m sticks out east
    result = check_group(slightly, municipality_area=town.municipality())
    assert codes(result) == {"clipped": "warning"}
    assert result.geometry.bounds[2] == pytest.approx(town.X0 + 400)
    mostly = square(380, 50, 60)
    result = check_group(mostly, municipality_area=town.municipality())
    assert codes(result) == {"outside": "error"} and not result.ok


def test_overlap_is_refused_or_trimmed_as_the_user_chooses():
    drawn = square(0, 0, 250)  # reaches 50 m into G2
    groups = town.groups()
    refused = check_group(drawn, group_id="G1", groups=groups, overlap="refuse")
    assert codes(refused)["overlap"] == "error" and not refused.ok
    assert "G2" in refused.findings[0].message
    trimmed = check_group(drawn, group_id="G1", groups=groups, overlap="trim")
    assert codes(trimmed)["trimmed"] == "warning" and trimmed.ok
    assert shapely.intersection(trimmed.geometry, groups.geometry.iloc[1]).area < 1e-6
    # the group's own old area is not an overlap
    assert check_group(square(0, 0, 200), group_id="G1", groups=groups).ok
    with pytest.raises(InputError):
        check_group(drawn, overlap="merge")  # type: ignore[arg-type]


def test_slivers_inside_and_between_groups():
    with_strip = shapely.union(square(0, 0, 100), shapely.box(town.X0 + 100, town.Y0 + 40, town.X0 + 160,
                                                              town.Y0 + 42))
    assert codes(check_group(with_strip))["sliver"] == "warning"
    groups = town.groups().iloc[[1]]
    near_g2 = square(0, 0, 198)  # a 2 m strip between the drawn area and G2
    result = check_group(near_g2, groups=groups, municipality_area=town.municipality())
    assert codes(result)["gap_sliver"] == "warning"
    assert result.findings[-1].geometry.area == pytest.approx(2 * 198, rel=0.01)


def test_holes_small_and_with_addresses():
    ring = shapely.Polygon(square(0, 0, 200).exterior, [square(80, 80, 10).exterior.coords[::-1]])
    assert codes(check_group(ring))["small_hole"] == "warning"
    around_house = shapely.Polygon(square(0, 0, 200).exterior, [square(5, 75, 20).exterior.coords[::-1]])
    found = codes(check_group(around_house, addresses=town.addresses()))
    assert found["hole_addresses"] == "warning"  # D1 (10, 85) lies in the hole


def test_size_guide_and_whatsapp_limit():
    addr = town.addresses()
    small = check_group(square(0, 0, 200), addresses=addr)
    assert codes(small)["size_small"] == "warning"  # 24 < 50
    large = check_group(square(0, 0, 200), addresses=addr, guide=SizeGuide(min_households=5, max_households=20))
    assert codes(large)["size_large"] == "warning"
    members = gpd.GeoDataFrame({"member_id": ["m1", "m2", "m3", "m4"], "status": ["lid", "lid", "lid", "kandidaat"]},
                               geometry=[pt(10, 85), pt(30, 85), pt(50, 85), pt(70, 85)], crs=WORKING_CRS)
    over = check_group(square(0, 0, 200), members=members, guide=SizeGuide(max_members=2))
    assert over.members == 3 and codes(over) == {"members_over_limit": "error"} and not over.ok
    assert check_group(square(0, 0, 200), members=members, guide=SizeGuide(max_members=3)).ok


def test_contiguity():
    two_parts = shapely.MultiPolygon([square(0, 0, 50), square(100, 0, 50)])
    result = check_group(two_parts)
    assert codes(result) == {"not_contiguous": "warning"} and result.ok
    touching_corner = shapely.MultiPolygon([square(0, 0, 50), square(50, 50, 50)])
    assert "not_contiguous" in codes(check_group(touching_corner))
    assert check_group(square(0, 0, 50)).table().empty


def test_findings_table_is_dutch():
    table = check_group(square(380, 50, 60), municipality_area=town.municipality()).table()
    assert list(table.columns) == ["controle", "ernst", "uitleg"]
    assert table["ernst"].tolist() == ["fout"] and table["controle"].tolist() == ["buiten de gemeente"]
    assert "gemeente" in table["uitleg"].iloc[0]
