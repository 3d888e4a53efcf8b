"""Point → group at the borders, drawn on paper (see tests/conftest.py for the two squares G1 | G2).

::

    200 +-------------------+          corner of three: G3 on top of G1 | G2, the point (100, 100)
        |        G3         |
    100 +---------+---------+
        |   G1    |   G2    |
      0 +---------+---------+
        0        100       200
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtkaart.assignment.points import STATUSES, GroupIndex, assign_points
from buurtkaart.errors import InputError
from buurtkaart.schema import WORKING_CRS
from tests.conftest import X0, Y0, pt, square


def _points(*xy: tuple[float, float], index=None) -> gpd.GeoSeries:
    return gpd.GeoSeries([pt(x, y) for x, y in xy], crs=WORKING_CRS, index=index)


def _groups(*items: tuple[str, shapely.Geometry]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"group_id": [i for i, _g in items], "name": [f"Groep {i}" for i, _g in items]},
                            geometry=[g for _i, g in items], crs=WORKING_CRS)


def test_inside_each_square_and_outside_both(two_squares):
    out = assign_points(_points((50, 50), (150, 50), (250, 50)), two_squares)
    assert out["group_id"].tolist()[:2] == ["G1", "G2"]
    assert out["status"].tolist() == ["toegewezen", "toegewezen", "niet_gedekt"]
    assert pd.isna(out.loc[2, "group_id"])
    assert out.loc[2, "nearest"] == (("G2", 50.0), ("G1", 150.0))
    assert out.loc[0, "nearest"] == ()


def test_point_on_shared_edge_belongs_to_exactly_one_group_the_same_every_time(two_squares):
    edge = _points((100, 50), (100, 0.5), (100, 99.5))
    first = assign_points(edge, two_squares)
    assert first["group_id"].tolist() == ["G2", "G2", "G2"]  # a north-south border: the eastern group
    assert first["groups"].tolist() == [("G2",)] * 3
    # the same answer whatever the row order of the groups, and on every run
    reversed_groups = two_squares.iloc[::-1].reset_index(drop=True)
    for _ in range(3):
        pd.testing.assert_frame_equal(assign_points(edge, reversed_groups), first)


def test_point_on_east_west_border_goes_north():
    groups = _groups(("S", square(0, 0)), ("N", square(0, 100)))
    out = assign_points(_points((50, 100)), groups)
    assert out.loc[0, "group_id"] == "N"


def test_corner_where_three_groups_meet():
    top = shapely.box(X0, Y0 + 100, X0 + 200, Y0 + 200)
    groups = _groups(("G1", square(0, 0)), ("G2", square(100, 0)), ("G3", top))
    out = assign_points(_points((100, 100)), groups)
    assert out.loc[0, "group_id"] == "G3"  # east-north-east of the corner lies G3
    assert out.loc[0, "status"] == "toegewezen"
    shuffled = groups.iloc[[2, 0, 1]].reset_index(drop=True)
    assert assign_points(_points((100, 100)), shuffled).loc[0, "group_id"] == "G3"


def test_corner_where_four_groups_meet_goes_to_north_east():
    groups = _groups(("SW", square(0, 0)), ("SE", square(100, 0)), ("NW", square(0, 100)), ("NE", square(100, 100)))
    assert assign_points(_points((100, 100)), groups).loc[0, "group_id"] == "NE"


def test_outer_edge_of_covered_area_still_belongs_to_its_group(two_squares):
    out = assign_points(_points((200, 50), (0, 50), (150, 100), (200, 100), (150, 0)), two_squares)
    assert out["group_id"].tolist() == ["G2", "G1", "G2", "G2", "G2"]


def test_inside_an_overlap_names_both_groups():
    groups = _groups(("A", square(0, 0)), ("B", square(50, 0)))
    out = assign_points(_points((75, 50), (25, 50), (125, 50), (50, 50)), groups)
    assert out.loc[0, "status"] == "overlap"
    assert out.loc[0, "groups"] == ("A", "B")
    assert pd.isna(out.loc[0, "group_id"])
    assert out["group_id"].tolist()[1:3] == ["A", "B"]
    # on B's western edge but inside A: it belongs to A (inside exactly one group)
    assert out.loc[3, "status"] == "toegewezen" and out.loc[3, "group_id"] == "A"


def test_just_outside_the_municipality(two_squares):
    municipality = gpd.GeoSeries([shapely.box(X0, Y0, X0 + 200, Y0 + 100)], crs=WORKING_CRS)
    wide = _groups(("G1", square(0, 0)), ("G2", shapely.box(X0 + 100, Y0, X0 + 260, Y0 + 100)))
    out = assign_points(_points((200.5, 50), (200, 50), (199.5, 50), (300, 50)), wide, municipality_area=municipality)
    assert out["status"].tolist() == ["buiten_gemeente", "toegewezen", "toegewezen", "buiten_gemeente"]
    assert pd.isna(out.loc[0, "group_id"])
    assert out.loc[0, "groups"] == ("G2",)  # the group drawn over the border is still named
    assert out.loc[1, "group_id"] == "G2"  # on the municipal border counts as inside


def test_result_indexed_like_input_and_missing_points(two_squares):
    points = gpd.GeoSeries([pt(50, 50), None, shapely.Point()], crs=WORKING_CRS, index=["a", "b", "c"])
    out = assign_points(points, two_squares)
    assert list(out.index) == ["a", "b", "c"]
    assert out["status"].tolist() == ["toegewezen", "geen_punt", "geen_punt"]
    assert str(out["group_id"].dtype) == "str" and str(out["status"].dtype) == "str"


def test_bad_input_gathers_every_problem(two_squares):
    bad = two_squares.copy()
    bad.loc[1, "group_id"] = "G1"
    bad = bad.set_crs("EPSG:4326", allow_override=True)
    with pytest.raises(InputError) as err:
        assign_points(_points((50, 50)), bad)
    text = str(err.value)
    assert "dubbele group_id" in text and "EPSG:4326" in text
    with pytest.raises(InputError, match="geen punt"):
        assign_points(gpd.GeoSeries([square(0, 0)], crs=WORKING_CRS), two_squares)
    bowtie = shapely.Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)])
    with pytest.raises(InputError, match="ongeldig"):
        assign_points(_points((5, 5)), _groups(("X", bowtie)))


def test_grid_answers_equal_exact_answers_on_many_points(two_squares):
    rng = np.random.default_rng(3)
    groups = _groups(("A", square(0, 0)), ("B", square(50, 0)), ("C", square(100, 0)),
                     ("D", shapely.Point(X0 + 60, Y0 + 150).buffer(40)))
    xy = np.round(rng.uniform(-20, 220, size=(3000, 2)), 0)  # integers: many points on edges
    points = gpd.GeoSeries(shapely.points(xy[:, 0] + X0, xy[:, 1] + Y0), crs=WORKING_CRS)
    coarse = GroupIndex(groups, max_cells=100).assign(points)
    fine = GroupIndex(groups, max_cells=1_000_000, mixed_share=0.0).assign(points)
    pd.testing.assert_frame_equal(coarse, fine)
    adaptive = GroupIndex(groups)  # a raster as fine as these four simple borders need
    assert adaptive.grid.shape[0] * adaptive.grid.shape[1] < 100_000
    pd.testing.assert_frame_equal(adaptive.assign(points), fine)
    municipality = gpd.GeoSeries([shapely.Point(X0 + 100, Y0 + 60).buffer(110)], crs=WORKING_CRS)
    coarse = GroupIndex(groups, municipality_area=municipality, max_cells=100).assign(points)
    fine = GroupIndex(groups, municipality_area=municipality, max_cells=1_000_000, mixed_share=0.0).assign(points)
    pd.testing.assert_frame_equal(coarse, fine)
    assert set(coarse["status"]) == {"toegewezen", "overlap", "niet_gedekt", "buiten_gemeente"}
    outside = coarse["status"] == "buiten_gemeente"
    assert not municipality.iloc[0].intersects(shapely.MultiPoint(list(points[outside])))


# --------------------------------------------------------------------------------------------- property
_coords = st.integers(min_value=0, max_value=6).map(lambda v: v * 50.0)


@st.composite
def _boxes(draw):
    x0, x1 = sorted(draw(st.lists(_coords, min_size=2, max_size=2, unique=True)))
    y0, y1 = sorted(draw(st.lists(_coords, min_size=2, max_size=2, unique=True)))
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    boxes=st.lists(_boxes(), min_size=1, max_size=5),
    xy=st.lists(st.tuples(st.integers(-2, 14), st.integers(-2, 14)), min_size=1, max_size=40),
)
def test_every_address_ends_in_exactly_one_of_group_overlap_uncovered(boxes, xy):
    groups = gpd.GeoDataFrame({"group_id": [f"G{i}" for i in range(len(boxes))]}, geometry=boxes, crs=WORKING_CRS)
    points = gpd.GeoSeries([pt(x * 25.0, y * 25.0) for x, y in xy], crs=WORKING_CRS)
    out = assign_points(points, groups)
    assert set(out["status"]) <= {"toegewezen", "overlap", "niet_gedekt"}
    for k, p in enumerate(points):
        status, gid, held = out.loc[k, "status"], out.loc[k, "group_id"], out.loc[k, "groups"]
        interiors = [g for g, b in zip(groups["group_id"], boxes, strict=True) if shapely.within(p, b)]
        touching = [g for g, b in zip(groups["group_id"], boxes, strict=True) if shapely.intersects(p, b)]
        if status == "toegewezen":
            assert isinstance(gid, str) and held == (gid,) and gid in touching
            assert len(interiors) <= 1 and (not interiors or interiors == [gid])
        elif status == "overlap":
            assert pd.isna(gid) and len(held) >= 2 and set(held) <= set(touching)
        else:
            assert pd.isna(gid) and held == () and touching == [] and len(out.loc[k, "nearest"]) >= 1
        assert status in STATUSES
