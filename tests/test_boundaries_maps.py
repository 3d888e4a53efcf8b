"""The boundary editor's maps: drawing with existing shapes editable, drawings back to EPSG:31370, preview, compare."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from buurtkaart.boundaries import check_group, compare_groups, preview_impact, replace_group
from buurtkaart.maps.boundaries import compare_map, drawings_to_geometry, edit_map, preview_map
from buurtkaart.schema import DISPLAY_CRS
from tests import boundaries_town as town
from tests.conftest import square


def as_features(*geoms):
    shown = gpd.GeoSeries(list(geoms), crs="EPSG:31370").to_crs(DISPLAY_CRS)
    return [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)} for g in shown]


def test_edit_map_puts_the_edited_group_in_the_draw_layer():
    html = edit_map(town.groups(), group_id="G1", streets=town.streets(), fictional=True).get_root().render()
    assert "L.Control.Draw" in html and "drawnItems_" in html
    assert html.count("L.polygon(") == 1  # only G1 is editable; G2 is drawn as a plain area
    assert '"circle": false' in html and '"remove": true' in html


def test_drawings_come_back_in_lambert_72():
    area = drawings_to_geometry(as_features(square(0, 0, 100), square(100, 0, 100)))
    assert area.geom_type == "MultiPolygon" and area.area == pytest.approx(20_000, rel=1e-4)
    assert area.bounds[0] == pytest.approx(town.X0, abs=0.01)
    assert drawings_to_geometry([]).is_empty and drawings_to_geometry(None).is_empty
    line = drawings_to_geometry(as_features(town.line((0, 0), (50, 50))))
    assert line.geom_type == "LineString"


def test_preview_map_shows_findings_and_impact():
    groups = town.groups()
    drawn = square(0, 0, 250)
    result = check_group(drawn, group_id="G1", groups=groups, overlap="refuse")
    new = replace_group(groups, "G1", drawn)
    impact = preview_impact(groups, new, addresses=town.addresses())
    html = preview_map(groups, result.geometry, group_id="G1", findings=result.findings, impact=impact,
                       streets=town.streets()).get_root().render()
    assert "overlapt" in html  # the finding's message is the tooltip of its area
    assert "Adressen die veranderen" in html and "#b2182b" in html


def test_compare_map_highlights_what_changed():
    old = town.groups()
    new = replace_group(old, "G1", square(0, 0, 150))
    html = compare_map(old, new, compare_groups(old, new)).get_root().render()
    assert "grens gewijzigd" in html and "Oude versie" in html
