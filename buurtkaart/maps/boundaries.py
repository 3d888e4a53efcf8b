"""Maps of the boundary editor: draw or edit a group area, preview the checks and the impact, compare versions.

Pure functions (no streamlit). The editable area sits in the feature group of folium's Draw plugin, so Leaflet.draw
can edit the existing shape as well as draw new ones; streamlit-folium returns every shape in that group as
``all_drawings`` (GeoJSON in EPSG:4326), which :func:`drawings_to_geometry` turns back into one EPSG:31370 area.

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["G1", "G2"], "name": ["West", "Oost"]},
...     geometry=[shapely.box(150000, 170000, 150100, 170100), shapely.box(150100, 170000, 150200, 170100)],
...     crs="EPSG:31370")
>>> m = edit_map(groups, group_id="G1")
>>> "L.Control.Draw" in m.get_root().render()
True
>>> area = drawings_to_geometry([{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(
...     gpd.GeoSeries([groups.geometry[0]], crs=31370).to_crs(4326)[0])}])
>>> round(area.area)
10000
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from folium.plugins import Draw
from shapely.geometry.base import BaseGeometry

from buurtkaart.boundaries import polygonal
from buurtkaart.boundaries.checks import Finding
from buurtkaart.boundaries.impact import Impact
from buurtkaart.maps.base import (
    add_areas,
    add_legend,
    add_points,
    base_map,
    finish_map,
    group_colors,
    style,
    to_display,
)
from buurtkaart.schema import DISPLAY_CRS, WORKING_CRS
from buurtkaart.texts import t

EDIT_COLOR = "#d7191c"
_AREAS_ONLY = {"polyline": False, "circle": False, "marker": False, "circlemarker": False,
               "polygon": {"allowIntersection": False, "showArea": True, "shapeOptions": {"color": EDIT_COLOR}},
               "rectangle": {"shapeOptions": {"color": EDIT_COLOR}}}
_LINE_ONLY = {"polyline": {"shapeOptions": {"color": EDIT_COLOR, "weight": 4}}, "polygon": False, "rectangle": False,
              "circle": False, "marker": False, "circlemarker": False}
_SEVERITY_COLORS = {"error": "#b2182b", "warning": "#ef8a62", "info": "#67a9cf"}


def _with_areas(groups: gpd.GeoDataFrame, *, exclude: str | None) -> gpd.GeoDataFrame:
    others = groups if exclude is None else groups[groups["group_id"].astype("str") != str(exclude)]
    return others[~(others.geometry.isna() | others.geometry.is_empty)]


def _base(groups: gpd.GeoDataFrame, bounds: gpd.GeoDataFrame | None, streets: gpd.GeoDataFrame | None,
          fictional: bool) -> folium.Map:
    frame = bounds if bounds is not None and len(bounds) else groups
    return base_map(bounds=frame, streets=streets, fictional=fictional)


def _add_groups(m: folium.Map, groups: gpd.GeoDataFrame, *, exclude: str | None, name: str | None = None) -> None:
    others = _with_areas(groups, exclude=exclude)
    if len(others):
        add_areas(m, others, name=name or t("boundaries.map.other_groups"), label_column="name",
                  tooltip_fields={"group_id": t("boundaries.map.tooltip.group_id"),
                                  "name": t("boundaries.map.tooltip.name")},
                  colors=group_colors(groups["group_id"]), color_column="group_id", fill_opacity=0.15)


def edit_map(
    groups: gpd.GeoDataFrame,
    *,
    group_id: str | None = None,
    area: BaseGeometry | None = None,
    streets: gpd.GeoDataFrame | None = None,
    fictional: bool = False,
    draw_line: bool = False,
) -> folium.Map:
    """The map to draw on: the other groups, and the area being edited (``area``, else the stored area of
    ``group_id``) as editable shapes of the Draw plugin (polygons and rectangles; edit and delete enabled).

    ``draw_line=True`` (splitting a group): the area is shown highlighted but not editable, and only lines can
    be drawn."""
    current = area
    if current is None and group_id is not None:
        hit = groups[groups["group_id"].astype("str") == str(group_id)]
        current = hit.geometry.iloc[0] if len(hit) else None
    focus = (gpd.GeoDataFrame(geometry=[current], crs=WORKING_CRS)
             if current is not None and not current.is_empty else None)
    m = _base(groups if len(groups) else focus, focus, streets, fictional)  # type: ignore[arg-type]
    _add_groups(m, groups, exclude=group_id)
    editable = folium.FeatureGroup(name=t("boundaries.map.editing"), control=False)
    if focus is not None and draw_line:
        shown_area = focus.assign(name=t("boundaries.map.editing"))
        add_areas(m, shown_area, name=t("boundaries.map.editing"), label_column="name", color=EDIT_COLOR,
                  fill_opacity=0.2, weight=3)
    elif focus is not None:
        shown = to_display(focus, tolerance_m=0.5).geometry.iloc[0]
        for part in shapely.get_parts(shown):
            if part.geom_type != "Polygon":
                continue
            rings = [[(y, x) for x, y in part.exterior.coords[:-1]]]
            rings += [[(y, x) for x, y in ring.coords[:-1]] for ring in part.interiors]
            folium.Polygon(rings if len(rings) > 1 else rings[0], color=EDIT_COLOR, weight=3, fill=True,
                           fill_opacity=0.2).add_to(editable)
    editable.add_to(m)
    Draw(
        feature_group=editable,
        position="topleft",
        show_geometry_on_click=False,
        draw_options=_LINE_ONLY if draw_line else _AREAS_ONLY,
        edit_options={"edit": True, "remove": True, "poly": {"allowIntersection": False}},
    ).add_to(m)
    add_legend(m, [(t("boundaries.map.editing"), EDIT_COLOR)])
    return finish_map(m)


def drawings_to_geometry(features: Iterable[Mapping[str, Any]] | None) -> BaseGeometry:
    """The shapes returned by the map (GeoJSON features in EPSG:4326) as one EPSG:31370 area (or line).

    Polygons are united; lines are returned as drawn (for snapping); an empty list gives an empty polygon.
    """
    geoms = [shapely.geometry.shape(f["geometry"]) for f in (features or []) if f and f.get("geometry")]
    if not geoms:
        return shapely.MultiPolygon()
    projected = gpd.GeoSeries(geoms, crs=DISPLAY_CRS).to_crs(WORKING_CRS).values
    polygons = [g for g in projected if g.geom_type in ("Polygon", "MultiPolygon")]
    if polygons:
        return polygonal(shapely.union_all([shapely.make_valid(p) for p in polygons]))
    return shapely.union_all(projected)


def preview_map(
    groups: gpd.GeoDataFrame,
    candidate: BaseGeometry,
    *,
    group_id: str | None = None,
    findings: Sequence[Finding] = (),
    impact: Impact | None = None,
    streets: gpd.GeoDataFrame | None = None,
    fictional: bool = False,
) -> folium.Map:
    """The checked area before saving: the other groups, the new area, where each finding lies (coloured by
    severity), and the addresses, members and infobord sites that change."""
    focus = gpd.GeoDataFrame({"name": [t("boundaries.map.candidate")]}, geometry=[candidate], crs=WORKING_CRS)
    focus = focus[~focus.geometry.is_empty]
    m = _base(groups, focus, streets, fictional)
    _add_groups(m, groups, exclude=group_id)
    legend: list[tuple[str, str]] = []
    if len(focus):
        add_areas(m, focus, name=t("boundaries.map.candidate"), label_column="name", color=EDIT_COLOR,
                  fill_opacity=0.2, weight=3)
        legend.append((t("boundaries.map.candidate"), EDIT_COLOR))
    spots = [(f, g) for f in findings for g in [f.geometry] if g is not None and not g.is_empty]
    if spots:
        frame = gpd.GeoDataFrame({"name": [f.message for f, _ in spots], "severity": [f.severity for f, _ in spots]},
                                 geometry=[polygonal(g) if g.geom_type != "Point" else g for _, g in spots],
                                 crs=WORKING_CRS)
        frame = frame[~frame.geometry.is_empty]
        if len(frame):
            add_areas(m, frame, name=t("boundaries.map.findings"), label_column="name",
                      colors=_SEVERITY_COLORS, color_column="severity", fill_opacity=0.55, weight=2)
            for severity in sorted(set(frame["severity"])):
                legend.append((t(f"boundaries.severity.{severity}"), _SEVERITY_COLORS[severity]))
    if impact is not None:
        _add_impact(m, impact, legend)
    if legend:
        add_legend(m, legend)
    return finish_map(m)


def _add_impact(m: folium.Map, impact: Impact, legend: list[tuple[str, str]]) -> None:
    if not impact.changed_area.is_empty:
        changed = gpd.GeoDataFrame({"name": [t("boundaries.map.changed_area")]}, geometry=[impact.changed_area],
                                   crs=WORKING_CRS)
        add_areas(m, changed, name=t("boundaries.map.changed_area"), label_column="name", color="#762a83",
                  fill_opacity=0.1, weight=1, dash_array="4 4")
    if len(impact.addresses):
        points = impact.addresses.copy()
        points["label"] = [f"{s} {n}: {o} → {w}" for s, n, o, w in zip(
            points["street"].fillna(""), points["housenumber"].astype("object").fillna(""),
            points["old_label"], points["new_label"], strict=True)]
        add_points(m, points, name=t("boundaries.map.moved_addresses"), tooltip_column="label", kind="address")
        legend.append((t("boundaries.map.moved_addresses"), style()["point_color"]["address"]))
    if len(impact.members):
        points = impact.members.copy()
        points["label"] = [f"{o} → {w}" for o, w in zip(points["old_label"], points["new_label"], strict=True)]
        add_points(m, points, name=t("boundaries.map.moved_members"), tooltip_column="label", kind="member",
                   radius_px=6)
        legend.append((t("boundaries.map.moved_members"), style()["point_color"]["member"]))
    if len(impact.infoborden):
        points = impact.infoborden.copy()
        points["label"] = points["change_label"].astype("object").fillna("")
        add_points(m, points, name=t("boundaries.map.signs"), tooltip_column="label", kind="infobord", radius_px=7)
        legend.append((t("boundaries.map.signs"), style()["point_color"]["infobord"]))


def compare_map(
    old: gpd.GeoDataFrame,
    new: gpd.GeoDataFrame,
    diff: gpd.GeoDataFrame,
    *,
    streets: gpd.GeoDataFrame | None = None,
    fictional: bool = False,
) -> folium.Map:
    """Two versions on one map: the old areas dashed, the new ones filled, and what changed highlighted."""
    both = gpd.GeoDataFrame(geometry=np.concatenate([old.geometry.values, new.geometry.values]), crs=WORKING_CRS)
    changed = diff[diff["change"].isin(["added", "removed", "changed"]) & diff.geometry.notna()]
    changed = changed[~changed.geometry.is_empty]
    focus = gpd.GeoDataFrame(geometry=changed.buffer(150).values, crs=WORKING_CRS) if len(changed) else None
    m = _base(both, focus, streets, fictional)
    if len(old):
        add_areas(m, old, name=t("boundaries.map.version_old"), label_column="name", color="#555555",
                  fill_opacity=0.0, weight=2, dash_array="6 4")
    _add_groups(m, new, exclude=None, name=t("boundaries.map.version_new"))
    if len(changed):
        add_areas(m, changed, name=t("boundaries.map.changed_area"), label_column="name",
                  tooltip_fields={"group_id": t("boundaries.map.tooltip.group_id"),
                                  "change_label": t("boundaries.map.tooltip.change")},
                  color=EDIT_COLOR, fill_opacity=0.5)
    add_legend(m, [(t("boundaries.map.version_old"), "#555555"), (t("boundaries.map.changed_area"), EDIT_COLOR)])
    return finish_map(m)
