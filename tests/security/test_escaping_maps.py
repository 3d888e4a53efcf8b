"""Stored script in every map (issue 12, attack 1): hostile group, street and address names reach tooltips,
cluster labels, legends and the layer control only as text."""

from __future__ import annotations

import folium
import geopandas as gpd
import pytest
import shapely

from buurtkaart.coverage import analyse
from buurtkaart.maps import (
    add_points,
    base_map,
    finish_map,
    group_map,
    overview_map,
    resident_map,
)
from buurtkaart.maps.boundaries import compare_map, edit_map
from buurtkaart.maps.coverage import coverage_map
from buurtkaart.maps.infoborden import infobord_map
from buurtkaart.workspace import Workspace
from tests.conftest import pt, square
from tests.security.conftest import SCRIPT, assert_inert


def _render(m: folium.Map) -> str:
    return m.get_root().render()


@pytest.fixture
def layers(hostile_demo: Workspace) -> dict[str, gpd.GeoDataFrame]:
    return {name: hostile_demo.read(name) for name in ("municipality", "deelgemeenten", "wijken", "groups",
                                                       "streets", "addresses", "infoborden")}


def test_overview_map_with_addresses_shows_hostile_names_as_text(layers):
    html = _render(overview_map(layers, with_addresses=True, fictional=True))
    assert_inert(html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html.replace("\\u0026", "&")  # still shown, as text


def test_resident_map_names_the_hostile_group_in_the_layer_control_as_text(layers):
    groups = layers["groups"]
    first = str(groups["group_id"].iloc[0])
    point = groups.geometry.iloc[0].representative_point()
    html = _render(resident_map(point, groups=groups, highlight=[first], streets=layers["streets"], fictional=True))
    assert_inert(html)


def test_group_map_of_a_coordinator_shows_hostile_names_as_text(layers):
    groups = layers["groups"]
    html = _render(group_map(str(groups["group_id"].iloc[0]), groups=groups, streets=layers["streets"],
                             signs=layers["infoborden"], addresses=layers["addresses"]))
    assert_inert(html)


def test_coverage_map_with_street_layer_shows_hostile_names_as_text(layers):
    report = analyse(layers["addresses"], layers["groups"], streets=layers["streets"])
    html = _render(coverage_map(report, groups=layers["groups"], streets=layers["streets"]))
    assert_inert(html)


def test_boundary_maps_show_hostile_names_as_text(layers):
    groups = layers["groups"]
    assert_inert(_render(edit_map(groups, group_id=str(groups["group_id"].iloc[0]), streets=layers["streets"])))
    new = groups.copy()
    new.loc[new.index[0], "geometry"] = new.geometry.iloc[0].buffer(20)
    from buurtkaart.boundaries.history import compare_groups

    diff = compare_groups(groups, new)
    assert_inert(_render(compare_map(groups, new, diff, streets=layers["streets"])))


def test_infobord_map_shows_hostile_reasons_as_text(layers):
    signs = layers["infoborden"].copy()
    signs["reason"] = SCRIPT
    html = _render(infobord_map(signs, groups=layers["groups"], streets=layers["streets"]))
    assert_inert(html)


@pytest.mark.parametrize("cluster", [False, True])
def test_point_labels_are_escaped_in_plain_markers_and_in_clusters(cluster):
    frame = gpd.GeoDataFrame({"label": [SCRIPT, "gewoon"]}, geometry=[pt(10, 10), pt(20, 20)], crs=31370)
    m = base_map(bounds=frame)
    add_points(m, frame, name=SCRIPT, tooltip_column="label", cluster=cluster)
    assert_inert(_render(finish_map(m)))


def test_layer_names_are_escaped_once():
    frame = gpd.GeoDataFrame({"name": ["a"]}, geometry=[square(0, 0)], crs=31370)
    m = base_map(bounds=frame)
    layer = folium.GeoJson(shapely.geometry.mapping(square(0, 0)), name="A & B").add_to(m)
    finish_map(m)
    assert layer.layer_name == "A &amp; B"


@pytest.mark.parametrize("hostile", [SCRIPT, "[Klik hier](https://evil.example/x)", "![x](https://evil.example/p.png)"])
def test_an_import_with_markup_in_group_names_is_refused_and_stores_nothing(tmp_workspace, tmp_path, hostile):
    from click.testing import CliRunner

    from buurtkaart.cli import main
    from buurtkaart.errors import InputError
    from buurtkaart.importers import prepare_import

    source = tmp_path / "groepen.geojson"
    gpd.GeoDataFrame({"code": ["G1", "G2"], "naam": ["Centrum", hostile]}, geometry=[square(0, 0), square(100, 0)],
                     crs=31370).to_crs(4326).to_file(source)
    with pytest.raises(InputError) as err:
        prepare_import(tmp_workspace, "groups", source)
    assert repr(hostile) in "\n".join(err.value.problems)
    result = CliRunner().invoke(main, ["--workspace", str(tmp_workspace.path), "import", "groups", str(source)])
    assert result.exit_code == 1 and "opmaak" in result.output
    assert tmp_workspace.read("groups").empty
