"""The one validation module: each check gathers into ``problems`` or raises, with one text per kind of problem.

Frames are one 10 m square and one point near the origin of the drawable town (EPSG:31370).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from buurtkaart.errors import InputError
from buurtkaart.texts import t
from buurtkaart.validation import require_columns, require_crs, require_geometry


def _frame(crs: str | None = "EPSG:31370") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"group_id": ["G1", "G2"]},
                            geometry=[shapely.box(0, 0, 10, 10), shapely.Point(5, 5)], crs=crs)


def test_require_crs_accepts_the_working_crs():
    problems: list[str] = []
    require_crs(_frame(), what="groups", problems=problems)
    require_crs(_frame().geometry, what="groups")
    assert problems == []


def test_require_crs_gathers_a_missing_and_a_wrong_crs_with_their_own_texts():
    problems: list[str] = []
    require_crs(_frame(None), what="groups", problems=problems)
    require_crs(_frame("EPSG:4326"), what="streets", problems=problems)
    assert problems == [
        t("validation.no_crs", layer="groups", expected="EPSG:31370"),
        t("validation.wrong_crs", layer="streets", crs="EPSG:4326", expected="EPSG:31370"),
    ]
    assert "to_crs(31370)" in problems[1]


def test_require_crs_raises_without_problems_and_names_the_layer():
    with pytest.raises(InputError) as info:
        require_crs(_frame("EPSG:4326"), what="streets")
    assert "'streets'" in info.value.message
    assert info.value.problems == [t("validation.wrong_crs", layer="streets", crs="EPSG:4326",
                                     expected="EPSG:31370")]


def test_require_columns_gathers_every_missing_column_in_one_text():
    problems: list[str] = []
    missing = require_columns(_frame(), ["group_id", "name", "status"], what="groups", problems=problems)
    assert missing == ["name", "status"]
    assert problems == [t("validation.missing_columns", layer="groups", count=2, columns="name, status")]


def test_require_columns_counts_the_active_geometry_as_geometry_and_raises_without_problems():
    renamed = _frame().rename_geometry("geom")
    assert require_columns(renamed, ["group_id", "geometry"], what="groups") == []
    with pytest.raises(InputError) as info:
        require_columns(pd.DataFrame({"a": [1]}), ["street"], what="addresses")
    assert info.value.problems == [t("validation.missing_columns", layer="addresses", count=1, columns="street")]


def test_require_geometry_gathers_wrong_kinds_and_empty_geometries():
    frame = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10), shapely.Point(5, 5), None], crs="EPSG:31370")
    problems: list[str] = []
    require_geometry(frame, "polygon", what="groups", problems=problems)
    assert problems == [
        t("validation.wrong_geometry", layer="groups", count=1, expected="vlak", found="Point"),
        t("validation.empty_geometry", layer="groups", count=1),
    ]
    problems.clear()
    require_geometry(frame, ("polygon", "point"), what="groups", problems=problems, allow_empty=True)
    assert problems == []


def test_require_geometry_refuses_a_frame_without_geometry_and_raises_without_problems():
    problems: list[str] = []
    require_geometry(pd.DataFrame({"a": [1]}), "point", what="addresses", problems=problems)
    assert problems == [t("validation.no_geometry", layer="addresses")]
    with pytest.raises(InputError) as info:
        require_geometry(_frame(), "line", what="streets")
    assert info.value.problems == [t("validation.wrong_geometry", layer="streets", count=2, expected="lijn",
                                     found="Point, Polygon")]
