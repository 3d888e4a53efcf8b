"""The infoborden map: group areas, every sign site (shared poles in their own colour) with the direction it
faces and its reason, on the workspace's own streets and (muted, dashed) the roads beyond the municipal border.

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]},
...                           geometry=[shapely.box(150000, 170000, 150100, 170100)], crs=31370)
>>> sites = gpd.GeoDataFrame({"site_id": ["IB-G1-001"], "group_ids": ["G1"], "shared": [False],
...                           "bearing_deg": [270.0], "reason": ["Invalsweg Dorpstraat"]},
...                          geometry=[shapely.Point(150015, 170046)], crs=31370)
>>> html = infobord_map(sites, groups).get_root().render()
>>> "Invalsweg Dorpstraat" in html
True
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import shapely

from buurtkaart.maps.base import (
    _records,
    add_areas,
    add_legend,
    add_points,
    base_map,
    finish_map,
    group_colors,
    style,
    text_tooltip,
    to_display,
)
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t

SHARED_COLOR = "#7b3294"
_ARROW_M = 25.0


def infobord_map(
    sites: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    *,
    streets: gpd.GeoDataFrame | None = None,
    roads_outside: gpd.GeoDataFrame | None = None,
    fictional: bool = False,
) -> folium.Map:
    """A folium map of ``sites`` (a plan's sites or the stored signs) over the ``groups``.

    ``roads_outside`` (the ``streets_outside`` layer) are drawn thin, dashed and muted, with their own legend
    line: the roads beyond the municipal border that make a border road an entry."""
    m = base_map(bounds=groups if len(groups) else sites, streets=streets, fictional=fictional)
    legend = []
    if roads_outside is not None and len(roads_outside):
        add_roads_outside(m, roads_outside)
        legend.append((t("maps.layer.streets_outside"), style()["outside_road_color"]))
    if len(groups):
        label = "name" if "name" in groups.columns else "group_id"
        add_areas(m, groups, name=t("maps.layer.groups"), label_column=label, color_column="group_id",
                  colors=group_colors(groups["group_id"]), fill_opacity=0.12)
    frame = sites.copy()
    frame["label"] = _labels(frame)
    shared = frame["shared"].astype(bool) if "shared" in frame.columns else frame["group_ids"].str.contains(",")
    _add_facing(m, frame)
    sign_color = style()["point_color"]["infobord"]
    add_points(m, frame[~shared.to_numpy()], name=t("infoborden.map.layer"), tooltip_column="label",
               kind="infobord", radius_px=6, cluster=False)
    if shared.any():
        add_points(m, frame[shared.to_numpy()], name=t("infoborden.map.shared_layer"), tooltip_column="label",
                   color=SHARED_COLOR, radius_px=7, cluster=False)
    add_legend(m, [(t("infoborden.map.layer"), sign_color), (t("infoborden.map.shared_layer"), SHARED_COLOR),
                   *legend])
    return finish_map(m)


def add_roads_outside(m: folium.Map, roads: gpd.GeoDataFrame) -> folium.GeoJson:
    """The roads beyond the municipal border as thin dashed muted lines (one layer, a name as tooltip)."""
    frame = roads[["name", "geometry"]].copy()
    frame["name"] = frame["name"].fillna("").astype(str)
    merged = frame.dissolve(by="name", as_index=False)
    merged = merged.set_geometry(shapely.line_merge(merged.geometry.values), crs=WORKING_CRS)
    shown, tips, tooltip = text_tooltip(to_display(merged, layer="streets_outside"),
                                        {"name": t("maps.tooltip.street")})
    color = style()["outside_road_color"]
    layer = folium.GeoJson(
        _records(shown, tips),
        name=t("maps.layer.streets_outside"),
        style_function=lambda _f: {"color": color, "weight": 1.5, "opacity": 0.8, "dashArray": "4 4"},
        tooltip=tooltip,
    )
    layer.add_to(m)
    return layer


def _labels(frame: gpd.GeoDataFrame) -> list[str]:
    ids = frame["sign_id"] if "sign_id" in frame.columns else frame["site_id"]
    reasons = frame["reason"] if "reason" in frame.columns else frame.get("note", ids)
    return [t("infoborden.map.popup", site_id=i, reason=r if isinstance(r, str) else "")
            for i, r in zip(ids, reasons, strict=True)]


def _add_facing(m: folium.Map, frame: gpd.GeoDataFrame) -> None:
    """A short line from each site in the direction its sign faces."""
    bearings = frame["bearing_deg"].to_numpy(dtype=float)
    ok = np.isfinite(bearings)
    if not ok.any():
        return
    points = frame.geometry.values[ok]
    rad = np.radians(bearings[ok])
    xy = shapely.get_coordinates(points)
    ends = np.column_stack([xy[:, 0] + _ARROW_M * np.sin(rad), xy[:, 1] + _ARROW_M * np.cos(rad)])
    lines = shapely.linestrings(np.stack([xy, ends], axis=1))
    shown = to_display(gpd.GeoDataFrame(geometry=lines, crs=WORKING_CRS), tolerance_m=0, layer="infoborden")
    folium.GeoJson(
        shown.__geo_interface__, name=t("infoborden.map.facing_layer"),
        style_function=lambda _f: {"color": style()["point_color"]["infobord"], "weight": 3, "opacity": 0.9},
    ).add_to(m)
