"""The map builders of buurtkaart.maps on the drawable town: conversion at the edge, clustering, offline assets."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from buurtkaart.errors import InputError
from buurtkaart.maps import (
    add_legend,
    add_points,
    address_labels,
    base_map,
    finish_map,
    group_colors,
    group_map,
    localize_assets,
    overview_map,
    payload_bytes,
    resident_map,
    standalone_html,
    style,
    to_display,
    write_assets,
)
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from tests.conftest import X0, Y0, pt


def _points(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"label": [f"p{i}" for i in range(n)]},
                            geometry=[pt(i % 100, i // 100) for i in range(n)], crs=WORKING_CRS)


def test_to_display_converts_once_to_wgs84_and_rounds(two_squares):
    shown = to_display(two_squares, decimals=5)
    assert shown.crs.to_epsg() == 4326
    coords = shapely.get_coordinates(shown.geometry.values)
    assert ((coords * 1e5).round(6) % 1 == 0).all(), "five decimals, about a metre"
    assert two_squares.crs.to_epsg() == 31370, "the input is not changed"


def test_to_display_simplifies_in_metres():
    wiggly = shapely.LineString([(X0 + x, Y0 + (0.5 if x % 2 else 0)) for x in range(0, 101)])
    frame = gpd.GeoDataFrame({"name": ["a"]}, geometry=[wiggly], crs=WORKING_CRS)
    assert len(shapely.get_coordinates(to_display(frame, tolerance_m=2).geometry.values)) == 2
    assert len(shapely.get_coordinates(to_display(frame, tolerance_m=0).geometry.values)) == 101


def test_to_display_refuses_another_crs_in_dutch(two_squares):
    with pytest.raises(InputError, match="EPSG:31370"):
        to_display(two_squares.to_crs(4326), layer="groups")


def test_base_map_without_anything_to_show_says_what_to_do():
    empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=WORKING_CRS), crs=WORKING_CRS)
    with pytest.raises(InputError) as err:
        base_map(bounds=empty)
    assert err.value.message == t("maps.no_bounds")


def test_many_points_are_clustered_few_are_not():
    threshold = style()["cluster_threshold"]
    few = base_map(bounds=_points(3))
    add_points(few, _points(3), name="Punten", tooltip_column="label")
    many = base_map(bounds=_points(threshold + 1))
    add_points(many, _points(threshold + 1), name="Punten", tooltip_column="label")
    assert "markerClusterGroup" not in finish_map(few).get_root().render()
    html = finish_map(many).get_root().render()
    assert "markerClusterGroup" in html
    assert html.count("circleMarker") == 1, "one JS callback draws every point, not one call per point"


def test_group_colours_are_stable_and_distinct():
    colors = group_colors(["G3", "G1", "G2", "G1"])
    assert list(colors) == ["G1", "G2", "G3"]
    assert len(set(colors.values())) == 3
    assert group_colors(["G2", "G3", "G1"]) == colors


def test_legend_and_tooltips_escape_html(two_squares):
    m = base_map(bounds=two_squares)
    add_legend(m, [("<script>x</script>", "#ff0000")])
    html = finish_map(m).get_root().render()
    assert "<script>x</script>" not in html
    assert "lt;script" in html, "escaped, then JSON-encoded"


def test_overview_map_has_every_layer_with_dutch_names(two_squares):
    streets = gpd.GeoDataFrame({"street_id": [1], "name": ["Kerkstraat"], "road_class": ["minor"],
                                "authority": ["gemeente"]},
                               geometry=[shapely.LineString([pt(0, 50), pt(200, 50)])], crs=WORKING_CRS)
    signs = gpd.GeoDataFrame({"sign_id": ["S1"], "group_ids": ["G1,G2"], "status": ["geplaatst"],
                              "road_name": ["Kerkstraat"]}, geometry=[pt(100, 50)], crs=WORKING_CRS)
    addresses = gpd.GeoDataFrame({"street": ["Kerkstraat"] * 2, "housenumber": pd.array([1, 2], "Int64")},
                                 geometry=[pt(20, 55), pt(120, 45)], crs=WORKING_CRS)
    m = overview_map({"groups": two_squares, "streets": streets, "infoborden": signs, "addresses": addresses},
                     with_addresses=True, fictional=True)
    html = m.get_root().render()
    for text in (t("maps.layer.groups"), t("maps.layer.streets"), t("maps.layer.addresses"),
                 t("maps.fictional_badge"), "Kerkstraat 2", "West", "Oost", "S1"):
        assert text in html, text
    assert "L.control.layers" in html


def test_overview_of_an_empty_workspace_is_a_clear_error():
    with pytest.raises(InputError):
        overview_map({"groups": None})


def test_resident_map_is_fitted_to_the_group_and_leaves_far_streets_out(two_squares):
    near = shapely.LineString([pt(0, 50), pt(200, 50)])
    far = shapely.LineString([pt(5000, 5000), pt(5100, 5000)])
    streets = gpd.GeoDataFrame({"name": ["Dichtbij", "Veraf"], "road_class": ["minor", "minor"]},
                               geometry=[near, far], crs=WORKING_CRS)
    html = resident_map(pt(50, 50), groups=two_squares, highlight=["G1"], streets=streets).get_root().render()
    assert "Dichtbij" in html and "Veraf" not in html
    assert t("maps.your_address") in html
    bounds = re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.S)
    assert bounds is not None


def test_group_map_shows_only_that_groups_signs(two_squares):
    signs = gpd.GeoDataFrame({"sign_id": ["S1", "S2"], "group_ids": ["G1", "G2"], "status": ["gepland"] * 2,
                              "road_name": ["A", "B"]}, geometry=[pt(10, 10), pt(190, 10)], crs=WORKING_CRS)
    html = group_map("G1", groups=two_squares, signs=signs).get_root().render()
    assert "S1" in html and "S2" not in html


def test_address_labels_as_a_resident_writes_them():
    frame = gpd.GeoDataFrame({"street": ["Kerkstraat", "Kerkstraat"], "housenumber": pd.array([12, 3], "Int64"),
                              "suffix": ["A", None], "box": [None, "2"]},
                             geometry=[pt(0, 0), pt(1, 1)], crs=WORKING_CRS)
    assert address_labels(frame)["label"].tolist() == ["Kerkstraat 12A", "Kerkstraat 3 bus 2"]


def test_assets_are_local_and_a_download_opens_offline(tmp_path, two_squares):
    m = base_map(bounds=two_squares)
    add_points(m, _points(400), name="Punten", tooltip_column="label", cluster=True)
    finish_map(m)
    folder = write_assets(tmp_path / "vendor")
    missing = localize_assets(m, base_url="/app/static/vendor/")
    assert missing == []
    html = m.get_root().render()
    links = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert links and all(link.startswith("/app/static/vendor/") for link in links)
    assert all((folder / link.rsplit("/", 1)[-1]).is_file() for link in links)
    offline = standalone_html(m)
    assert "https://cdn" not in offline and "/app/static/" not in offline
    assert "L.markerClusterGroup" in offline and "leaflet" in offline.lower()


def test_localize_does_not_change_other_maps(two_squares):
    first = base_map(bounds=two_squares)
    localize_assets(first, base_url="/local/")
    second = base_map(bounds=two_squares)
    assert all(url.startswith("https://") for _name, url in second.default_js)


def test_payload_of_a_small_map_is_small(two_squares):
    assert payload_bytes(finish_map(base_map(bounds=two_squares))) < 50_000
