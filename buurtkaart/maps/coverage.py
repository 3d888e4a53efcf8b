"""Coverage maps: participation per group and per street (choropleths), gaps, uncovered addresses, overlaps.

Built from a :class:`buurtkaart.coverage.CoverageReport` with the helpers of :mod:`buurtkaart.maps.base`; the
participation classes and colours live in ``buurtkaart/reference/coverage.json``.

>>> import geopandas as gpd, pandas as pd, shapely
>>> from buurtkaart.coverage import analyse
>>> groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]},
...                           geometry=[shapely.box(150000, 170000, 150100, 170100)], crs=31370)
>>> streets = gpd.GeoDataFrame({"street_id": [1], "name": ["Dorp"], "road_class": ["minor"]},
...     geometry=[shapely.LineString([(150000, 170050), (150400, 170050)])], crs=31370)
>>> addresses = gpd.GeoDataFrame({"address_id": ["a", "b"], "street": ["Dorp", "Dorp"], "housenumber": [1, 3],
...     "postcode": ["9999", "9999"]}, geometry=shapely.points([(150050, 170060), (150300, 170060)]), crs=31370)
>>> report = analyse(addresses, groups, streets=streets)
>>> html = coverage_map(report, groups=groups, streets=streets).get_root().render()
>>> "gat-1" in html and "West" in html
True
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.coverage.gaps import settings
from buurtkaart.coverage.report import CoverageReport
from buurtkaart.maps.base import (
    _records,
    add_areas,
    add_legend,
    add_points,
    base_map,
    finish_map,
    text_tooltip,
    to_display,
)
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vocabulary import AddressStatus

LAYERS = ("groups", "streets", "gaps", "uncovered", "overlaps")


def participation_class(values: pd.Series) -> pd.Series:
    """The class index (0 = lowest) of each participation value; -1 where there is none.

    >>> participation_class(pd.Series([0.0, 7.5, 55.0, float("nan")])).tolist()
    [0, 1, 4, -1]
    """
    upper = settings()["participation_classes"]["upper"]
    classes = np.searchsorted(np.asarray(upper, dtype=float), values.to_numpy(dtype=float), side="left")
    return pd.Series(np.where(values.isna(), -1, classes), index=values.index, dtype="int64")


def _class_colors() -> dict[str, str]:
    conf = settings()["participation_classes"]
    return {str(i): c for i, c in enumerate(conf["colors"])} | {"-1": conf["no_data"]}


def legend_entries() -> list[tuple[str, str]]:
    """(Dutch label, colour) of each participation class, lowest first."""
    conf = settings()["participation_classes"]
    bounds = [0, *conf["upper"]]
    labels = [t("coverage.map.class", low=lo, high=hi) for lo, hi in pairwise(bounds)]
    labels.append(t("coverage.map.class_top", low=bounds[-1]))
    return [*zip(labels, conf["colors"], strict=True), (t("coverage.map.no_data"), conf["no_data"])]


def _group_layer(m: folium.Map, report: CoverageReport, groups: gpd.GeoDataFrame) -> None:
    figures = report.groups.set_index("group_id")
    shown = groups[["group_id", "geometry"]].copy()
    shown["group_id"] = shown["group_id"].astype("str")
    for column in ("name", "households", "members", "participation"):
        shown[column] = shown["group_id"].map(figures[column])
    shown["participation"] = shown["participation"].astype("float64")
    shown["klasse"] = participation_class(shown["participation"]).astype("str")
    shown["participation"] = shown["participation"].map(lambda v: "-" if pd.isna(v) else f"{v:.1f}")
    add_areas(m, shown, name=t("coverage.map.layer.groups"), label_column="name", color_column="klasse",
              colors=_class_colors(), fill_opacity=0.55,
              tooltip_fields={"name": t("maps.tooltip.group"), "households": t("coverage.column.households"),
                              "members": t("coverage.column.members"),
                              "participation": t("coverage.column.participation")})


def _street_layer(m: folium.Map, report: CoverageReport, streets: gpd.GeoDataFrame) -> None:
    figures = report.streets.groupby("street")[["households", "members"]].sum()
    lines = streets[["name", "geometry"]].dissolve(by="name", as_index=False)
    lines = lines[lines["name"].isin(figures.index)]
    if lines.empty:
        return
    lines = lines.set_geometry(shapely.line_merge(lines.geometry.values), crs=WORKING_CRS)
    households = lines["name"].map(figures["households"])
    members = lines["name"].map(figures["members"])
    participation = (100.0 * members / households.where(households > 0)).round(1)
    lines["klasse"] = participation_class(participation).astype("str")
    lines["label"] = [t("coverage.map.street_tooltip", street=n, households=h, members=mb,
                        participation="-" if pd.isna(p) else f"{p:.1f}")
                      for n, h, mb, p in zip(lines["name"], households, members, participation, strict=True)]
    colors = _class_colors()
    shown, tips, tooltip = text_tooltip(to_display(lines[["label", "klasse", "geometry"]], layer="streets"),
                                        {"label": ""}, labels=False)
    folium.GeoJson(
        _records(shown, ["klasse", *tips]), name=t("coverage.map.layer.streets"),
        style_function=lambda f: {"color": colors.get(f["properties"]["klasse"], "#999999"), "weight": 4,
                                  "opacity": 0.9},
        tooltip=tooltip, show=False,
    ).add_to(m)


def coverage_map(
    report: CoverageReport,
    *,
    groups: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame | None = None,
    layers: Sequence[str] = LAYERS,
    tiles: bool = False,
    fictional: bool = False,
) -> folium.Map:
    """A folium map of ``report``: group and street participation, gaps, uncovered addresses and overlaps.

    ``layers`` chooses which of :data:`LAYERS` to draw (the street choropleth starts hidden in the layer control).
    """
    colors = settings()["map_colors"]
    bounds = groups if len(groups) else report.addresses
    m = base_map(bounds=bounds, streets=streets if streets is not None and len(streets) else None, tiles=tiles,
                 fictional=fictional)
    if "groups" in layers and len(groups):
        _group_layer(m, report, groups)
    if "streets" in layers and streets is not None and len(streets):
        _street_layer(m, report, streets)
    if "gaps" in layers and len(report.gaps):
        gaps = report.gaps[["gap_id", "households", "streets", "geometry"]].copy()
        add_areas(m, gaps, name=t("coverage.map.layer.gaps"), label_column="gap_id", color=colors["gap"],
                  fill_opacity=0.2, dash_array="6 4",
                  tooltip_fields={"gap_id": t("coverage.map.gap"), "households": t("coverage.column.households"),
                                  "streets": t("coverage.column.streets")})
    uncovered = report.addresses[report.addresses["status"] == AddressStatus.NIET_GEDEKT]
    if "uncovered" in layers and len(uncovered):
        add_points(m, uncovered.assign(label=_labels(uncovered)), name=t("maps.layer.uncovered"),
                   tooltip_column="label", color=colors["uncovered"], radius_px=3)
    if "overlaps" in layers and len(report.overlaps):
        pairs = report.overlaps.assign(label=report.overlaps["group_a"] + " + " + report.overlaps["group_b"])
        add_areas(m, pairs[["label", "households", "geometry"]], name=t("coverage.map.layer.overlaps"),
                  label_column="label", color=colors["overlap"], fill_opacity=0.45,
                  tooltip_fields={"label": t("coverage.map.overlap"), "households": t("coverage.column.households")})
    add_legend(m, [*legend_entries(), (t("coverage.map.layer.gaps"), colors["gap"]),
                   (t("coverage.map.layer.overlaps"), colors["overlap"]),
                   (t("maps.layer.uncovered"), colors["uncovered"])], title=t("coverage.map.legend"))
    return finish_map(m)


def _labels(rows: pd.DataFrame) -> pd.Series:
    number = rows["housenumber"].astype("str").fillna("") if "housenumber" in rows.columns else ""
    return (rows["street"].astype("str") + " " + number).str.strip()
