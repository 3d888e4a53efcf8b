"""Helpers every folium map of buurtkaart is built from: display conversion, base map, layers, legend, assets.

Maps are built by pure functions (no streamlit): layers come in EPSG:31370 and are converted once, here, to
EPSG:4326 after simplifying them in metres and rounding the coordinates, so that the map sent to a browser stays
small. Tooltips and layer names are Dutch (``buurtkaart/locale/nl/maps.json``); colours and widths come from
``buurtkaart/reference/map_style.json``.

The base map is drawn from the workspace's own streets (no internet needed); web tiles are an option
(``tiles=True``). Leaflet and its plugins normally load from public CDNs; :mod:`buurtkaart.maps.assets` serves
local copies instead (and embeds them in one HTML file for downloads). Do not use
``branca.colormap`` legends in app maps (streamlit-folium then loads d3 from a CDN): use :func:`add_legend`.

A topic map (``maps/coverage.py``, ...) looks like::

    m = base_map(bounds=groups, streets=streets, fictional=ws.is_fictional)
    add_areas(m, groups, name=t("maps.layer.groups"), label_column="name", colors=group_colors(groups["group_id"]),
              color_column="group_id", tooltip_fields={"name": t("maps.tooltip.group")})
    add_points(m, signs, name=t("maps.layer.infoborden"), tooltip_column="sign_id", kind="infobord")
    add_legend(m, [(t("maps.layer.infoborden"), style()["point_color"]["infobord"])])
    finish_map(m)

>>> import geopandas as gpd, shapely
>>> frame = gpd.GeoDataFrame({"name": ["A"]}, geometry=[shapely.box(150000, 170000, 150100, 170100)], crs=31370)
>>> shown = to_display(frame)
>>> shown.crs.to_epsg(), round(shown.geometry.iloc[0].bounds[0], 3)
(4326, 4.369)
>>> m = base_map(bounds=frame, fictional=True)
>>> _ = add_areas(m, frame, name="Groepen", label_column="name")
>>> html = finish_map(m).get_root().render()
>>> "FICTIEVE DEMO" in html
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template

from buurtkaart.errors import InputError
from buurtkaart.maps._dutch_controls import DutchControls
from buurtkaart.safe_text import html_text
from buurtkaart.schema import DISPLAY_CRS, WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.validation import require_columns, require_crs

_STYLE_FILE = Path(__file__).resolve().parents[1] / "reference" / "map_style.json"


@lru_cache(maxsize=1)
def style() -> dict[str, Any]:
    """The map style reference data (colours, street widths, thresholds)."""
    with _STYLE_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


# ------------------------------------------------------------------------------------------ geometry at the edge
#: pyproj prepares a transformation once per thread (about 0.1 s for EPSG:31370 → 4326), and Streamlit runs every
#: page run in a new thread: so every projection to the display CRS runs in this one long-lived thread instead.
_PROJECTION_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="buurtkaart-projection")


def _displayed(geoms: Any, index: Any = None) -> gpd.GeoSeries:
    """EPSG:31370 geometries as a GeoSeries in EPSG:4326 (``GeoSeries.to_crs``, in the projection thread)."""
    series = gpd.GeoSeries(geoms, index=index, crs=WORKING_CRS)
    return _PROJECTION_THREAD.submit(series.to_crs, DISPLAY_CRS).result()


def to_display(
    frame: gpd.GeoDataFrame,
    *,
    tolerance_m: float | None = None,
    decimals: int | None = None,
    layer: str = "",
) -> gpd.GeoDataFrame:
    """``frame`` (EPSG:31370) simplified by ``tolerance_m`` metres, in EPSG:4326, coordinates rounded.

    Five decimals is about one metre, which is all a resident's screen can show.
    """
    require_crs(frame, what=layer or "?")
    tolerance = style()["simplify_tolerance_m"] if tolerance_m is None else tolerance_m
    digits = style()["coordinate_decimals"] if decimals is None else decimals
    geoms = frame.geometry.values
    if tolerance > 0:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    shown = _displayed(geoms, frame.index)
    rounded = shapely.transform(shown.values, lambda xy: np.round(xy, digits))
    out = frame.copy()
    out = out.set_geometry(gpd.GeoSeries(rounded, index=frame.index, crs=DISPLAY_CRS), crs=DISPLAY_CRS)
    return out


def display_bounds(frame: gpd.GeoDataFrame) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of an EPSG:31370 frame, for ``Map.fit_bounds``."""
    if frame.empty or frame.geometry.isna().all():
        raise InputError(t("maps.no_bounds"))
    minx, miny, maxx, maxy = _displayed(frame.geometry).total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def _records(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> dict[str, Any]:
    """A compact GeoJSON FeatureCollection with only ``columns`` as properties (NA → null)."""
    geoms = frame.geometry.values
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    values = []
    for column in columns:
        array = frame[column].to_numpy(dtype=object)[keep]
        array[pd.isna(array)] = None
        values.append(array.tolist())
    shapes = json.loads("[" + ",".join(shapely.to_geojson(geoms[keep]).tolist()) + "]") if keep.any() else []
    features = [
        {"type": "Feature", "properties": dict(zip(columns, row, strict=True)), "geometry": shape}
        for shape, row in zip(shapes, zip(*values, strict=True) if values else [()] * len(shapes), strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def text_tooltip(
    frame: gpd.GeoDataFrame, fields: Mapping[str, str], *, labels: bool = True, sticky: bool = True
) -> tuple[gpd.GeoDataFrame, list[str], folium.GeoJsonTooltip]:
    """A tooltip that shows data as text: ``fields`` maps column → Dutch label. Returns ``frame`` with an
    HTML-escaped copy of each column (``tip_0``, ``tip_1``...; the originals stay raw for styling), the names of
    those copies (to put in :func:`_records`) and the tooltip. Every tooltip of every map is made here, because
    Leaflet puts tooltip text into the page as HTML."""
    out = frame.copy()
    tips = []
    for i, column in enumerate(fields):
        tips.append(f"tip_{i}")
        out[tips[-1]] = [html_text(v) for v in frame[column].to_numpy(dtype=object)]
    tooltip = folium.GeoJsonTooltip(fields=tips, aliases=[html_text(a) for a in fields.values()], labels=labels,
                                    sticky=sticky)
    return out, tips, tooltip


# ------------------------------------------------------------------------------------------ the base map
def base_map(
    *,
    bounds: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame | None = None,
    tiles: bool = False,
    fictional: bool = False,
) -> folium.Map:
    """An empty map fitted to ``bounds`` (any EPSG:31370 frame), with the workspace's own streets as base layer.

    ``tiles=True`` adds OpenStreetMap web tiles as a base-layer option (needs internet). ``fictional=True``
    marks the map itself as a fictional demo (a badge in the corner), so a screenshot cannot be mistaken.
    """
    m = folium.Map(location=None, tiles=None, control_scale=False, zoom_start=14)
    m.add_child(_MetricScale())
    m.add_child(DutchControls())
    # without a tile layer Leaflet has no maxZoom, and the marker cluster plugin refuses to start without one
    m.options["max_zoom"] = 19
    m.options["min_zoom"] = 10
    m.options["zoom_snap"] = 0.25
    fit = display_bounds(bounds)
    m.fit_bounds(fit, padding=(12, 12))
    m.add_child(_FitOnResize(fit))
    background = style()["map_background"]
    root: Any = m.get_root()
    root.header.add_child(
        Element(f"<style>.leaflet-container {{ background: {background}; }}</style>"), name="buurtkaart_bg"
    )
    if tiles:
        folium.TileLayer("OpenStreetMap", name=t("maps.layer.tiles"), overlay=False, control=True).add_to(m)
        folium.TileLayer(
            tiles="", attr=t("maps.attribution_own"), name=t("maps.layer.none"), overlay=False, control=True,
            show=False,
        ).add_to(m)
    if streets is not None and len(streets):
        add_streets(m, streets)
    if fictional:
        add_badge(m, t("maps.fictional_badge"), position="bottomleft")
    return m


def add_streets(m: folium.Map, streets: gpd.GeoDataFrame, *, name: str | None = None) -> folium.GeoJson:
    """The streets as thin lines (regional N-roads brown and wider), one feature per street name and class."""
    require_columns(streets, ["name", "road_class"], what="streets")
    frame = streets[["name", "road_class", "geometry"]].copy()
    if "authority" in streets.columns:
        frame["authority"] = streets["authority"].fillna("").astype(str)
    else:
        frame["authority"] = ""
    frame["name"] = frame["name"].fillna("").astype(str)
    frame["road_class"] = frame["road_class"].fillna("").astype(str)
    merged = _dissolve(frame, ["name", "road_class", "authority"])
    merged = merged.set_geometry(shapely.line_merge(merged.geometry.values), crs=WORKING_CRS)
    shown, tips, tooltip = text_tooltip(to_display(merged, layer="streets"), {"name": t("maps.tooltip.street")})
    widths = style()["street_width_px"]
    colors = style()["street_color"]

    def street_style(feature: dict[str, Any]) -> dict[str, Any]:
        props = feature["properties"]
        return {
            "color": colors.get(props.get("authority") or "", colors["default"]),
            "weight": widths.get(props.get("road_class") or "", widths["default"]),
            "opacity": 0.9,
        }

    layer = folium.GeoJson(
        _records(shown, ["road_class", "authority", *tips]),
        name=name or t("maps.layer.streets"),
        style_function=street_style,
        tooltip=tooltip,
        smooth_factor=1.0,
    )
    layer.add_to(m)
    return layer


def _dissolve(frame: gpd.GeoDataFrame, keys: list[str]) -> gpd.GeoDataFrame:
    """``frame.dissolve(by=keys, as_index=False)`` for string keys without missing values: one union per key
    combination, sorted by the keys; without pandas' per-group overhead (a resident's map is drawn per answer).

    >>> import shapely
    >>> f = gpd.GeoDataFrame({"a": ["y", "x", "y"]}, geometry=[shapely.Point(0, 0), shapely.Point(1, 1),
    ...                      shapely.Point(2, 2)], crs=WORKING_CRS)
    >>> _dissolve(f, ["a"]).to_wkt().values.tolist()
    [['x', 'POINT (1 1)'], ['y', 'MULTIPOINT ((0 0), (2 2))']]
    """
    rows = frame.sort_values(keys, kind="stable")
    values = rows[keys].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, (values[1:] != values[:-1]).any(axis=1)]) if len(rows) else np.array([], int)
    geoms = np.asarray(rows.geometry.values, dtype=object)
    bounds = [*starts.tolist(), len(rows)]
    unions = [shapely.union_all(geoms[a:b]) for a, b in pairwise(bounds)]
    out = rows[keys].iloc[starts].reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry=unions, crs=frame.crs)


# ------------------------------------------------------------------------------------------ overlays
def group_colors(group_ids: Iterable[Any]) -> dict[str, str]:
    """A stable colour per group id (sorted ids take the palette in turn).

    >>> group_colors(["G2", "G1"])
    {'G1': '#0072B2', 'G2': '#E69F00'}
    """
    palette = style()["group_palette"]
    ids = sorted({str(g) for g in group_ids if not pd.isna(g)})
    return {gid: palette[i % len(palette)] for i, gid in enumerate(ids)}


def add_areas(
    m: folium.Map,
    areas: gpd.GeoDataFrame,
    *,
    name: str,
    label_column: str,
    tooltip_fields: Mapping[str, str] | None = None,
    color: str | None = None,
    colors: Mapping[str, str] | None = None,
    color_column: str | None = None,
    fill_opacity: float = 0.25,
    weight: float = 2.0,
    dash_array: str | None = None,
    show: bool = True,
) -> folium.GeoJson:
    """Polygons with a Dutch tooltip (``tooltip_fields`` maps column → Dutch label; default the label column).

    One colour for all (``color``) or one per value of ``color_column`` (``colors``, e.g. :func:`group_colors`).
    """
    fields = dict(tooltip_fields or {label_column: t("maps.tooltip.name")})
    require_columns(areas, list(dict.fromkeys([label_column, *fields, *([color_column] if color_column else [])])),
                    what=name)
    shown, tips, tooltip = text_tooltip(to_display(areas, layer=name), fields)
    default = color or style()["group_palette"][0]
    palette = dict(colors or {})

    def area_style(feature: dict[str, Any]) -> dict[str, Any]:
        value = feature["properties"].get(color_column) if color_column else None
        fill = palette.get(str(value), default) if value is not None else default
        out = {"color": fill, "fillColor": fill, "weight": weight, "fillOpacity": fill_opacity}
        if dash_array:
            out["dashArray"] = dash_array
        return out

    layer = folium.GeoJson(
        _records(shown, [*([color_column] if color_column else []), *tips]),
        name=name,
        style_function=area_style,
        highlight_function=lambda _f: {"weight": weight + 2, "fillOpacity": min(fill_opacity + 0.2, 1.0)},
        tooltip=tooltip,
        show=show,
    )
    layer.add_to(m)
    return layer


def add_points(
    m: folium.Map,
    points: gpd.GeoDataFrame,
    *,
    name: str,
    tooltip_column: str | None = None,
    kind: str = "default",
    color: str | None = None,
    radius_px: float = 5.0,
    cluster: bool | None = None,
    show: bool = True,
) -> folium.FeatureGroup | FastMarkerCluster:
    """Points as small circles with a Dutch tooltip; clustered (FastMarkerCluster) when there are many.

    ``kind`` picks the colour from the style (infobord, address, member, candidate); ``cluster=None`` clusters
    above the style's ``cluster_threshold``.
    """
    if tooltip_column:
        require_columns(points, [tooltip_column], what=name)
    fill = color or style()["point_color"].get(kind, style()["point_color"]["default"])
    shown = to_display(points, tolerance_m=0, layer=name)
    shown = shown[~(shown.geometry.isna() | shown.geometry.is_empty)]
    xy = shapely.get_coordinates(shown.geometry.values)
    # Leaflet shows a tooltip string as HTML: every label is escaped here, for the cluster and the plain markers
    labels = ([html_text(v) for v in shown[tooltip_column].to_numpy(dtype=object)]
              if tooltip_column else [""] * len(shown))
    many = len(shown) > style()["cluster_threshold"]
    if cluster if cluster is not None else many:
        rows = [[float(y), float(x), label] for (x, y), label in zip(xy, labels, strict=True)]
        callback = (
            "function (row) { var mk = L.circleMarker(new L.LatLng(row[0], row[1]), "
            f"{{radius: {radius_px}, color: '#ffffff', weight: 1, fillColor: {json.dumps(fill)}, fillOpacity: 0.9}});"
            " if (row[2]) { mk.bindTooltip(row[2]); } return mk; }"
        )
        icon = (
            "function (cluster) { var n = cluster.getChildCount(); var size = n < 100 ? 30 : (n < 1000 ? 36 : 42);"
            " return L.divIcon({html: '<div style=\"font:bold 12px sans-serif;background:' + "
            + json.dumps(fill)
            + " + ';color:#fff;box-sizing:border-box;border:3px solid rgba(255,255,255,0.8);border-radius:50%;"
            "width:' + size + 'px;height:' + size + 'px;line-height:' + (size - 6) + 'px;text-align:center;"
            "box-shadow:0 0 3px rgba(0,0,0,0.5)\">' + n + '</div>', className: 'buurtkaart-cluster',"
            " iconSize: L.point(size, size)}); }"
        )
        layer = FastMarkerCluster(rows, callback=callback, name=name, show=show, disableClusteringAtZoom=18,
                                  icon_create_function=icon)
        layer.add_to(m)
        return layer
    group = folium.FeatureGroup(name=name, show=show)
    for (x, y), label in zip(xy, labels, strict=True):
        folium.CircleMarker(
            location=[float(y), float(x)], radius=radius_px, color="#ffffff", weight=1, fill=True,
            fill_color=fill, fill_opacity=0.9, tooltip=label or None,
        ).add_to(group)
    group.add_to(m)
    return group


# ------------------------------------------------------------------------------------------ controls
class _HtmlControl(MacroElement):
    """A Leaflet control holding fixed HTML (legend, badge)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = html
        self.position = position
        self.css_class = css_class


class _FitOnResize(MacroElement):
    """Fit the map's view again when its frame gets its real size (Streamlit sizes the frame after drawing),
    until the user moves the map themselves."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, bounds) {
            var moved = false;
            var container = map.getContainer();
            ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (name) {
                container.addEventListener(name, function () { moved = true; }, {passive: true});
            });
            if (window.ResizeObserver) {
                new ResizeObserver(function () {
                    map.invalidateSize();
                    if (!moved && container.clientHeight > 0) {
                        map.fitBounds(bounds, {padding: [12, 12]});
                    }
                }).observe(container);
            }
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitOnResize"
        self.bounds = bounds


class _MetricScale(MacroElement):
    """A scale bar in metres only (Leaflet's default adds feet and miles)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, metric: true}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


_BOX = ("background: rgba(255,255,255,0.92); padding: 6px 8px; border-radius: 4px; font: 12px/1.4 sans-serif;"
        " box-shadow: 0 1px 4px rgba(0,0,0,0.3); color: #222;")


def legend_html(entries: Sequence[tuple[str, str]], *, title: str | None = None) -> str:
    """The HTML of a legend of (Dutch label, colour) pairs, every value escaped."""
    rows = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:middle;'
        f'background:{html_text(color)};border:1px solid #555"></span>{html_text(label)}</div>'
        for label, color in entries
    )
    head = f"<b>{html_text(title or t('maps.legend.title'))}</b>"
    return f'<div style="{_BOX}">{head}{rows}</div>'


def add_legend(m: folium.Map, entries: Sequence[tuple[str, str]], *, title: str | None = None,
               position: str = "bottomright") -> None:
    """A legend of (Dutch label, colour) pairs in a corner of the map."""
    m.add_child(_HtmlControl(legend_html(entries, title=title), position=position, css_class="buurtkaart-legend"))


def add_badge(m: folium.Map, text: str, *, position: str = "bottomleft") -> None:
    """A striking label on the map itself (the fictional demo)."""
    box = _BOX.replace("color: #222;", "color: #fff;").replace("rgba(255,255,255,0.92)", "#b2182b")
    m.add_child(_HtmlControl(f'<div style="{box} font-weight: bold;">{html_text(text)}</div>',
                             position=position, css_class="buurtkaart-badge"))


def finish_map(m: folium.Map, *, collapsed: bool = True) -> folium.Map:
    """Add the layer control (last, so that it lists every layer) and return the map.

    Leaflet's layer control shows layer names as HTML, and a layer may be named after a group: every name is
    escaped here, once.
    """
    child: Any
    for child in m._children.values():
        name = getattr(child, "layer_name", None)
        if isinstance(name, str) and not getattr(child, "_buurtkaart_escaped", False):
            child.layer_name = html_text(name)
            child._buurtkaart_escaped = True
    folium.LayerControl(collapsed=collapsed).add_to(m)
    return m


def payload_bytes(m: folium.Map) -> int:
    """Size in bytes of the map's own HTML and script (what a browser receives besides the cached libraries)."""
    return len(m.get_root().render().encode("utf-8"))
