"""The staff overview map (every layer) and the resident's map (one group, one address).

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]},
...                           geometry=[shapely.box(150000, 170000, 150100, 170100)], crs=31370)
>>> m = overview_map({"groups": groups})
>>> "West" in m.get_root().render()
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.maps.base import (
    add_areas,
    add_legend,
    add_points,
    base_map,
    finish_map,
    group_colors,
    style,
)
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vocabulary import SignStatus

#: Colours of infobord statuses (also used in the legend).
SIGN_STATUS_COLORS = {SignStatus.GEPLAND: "#fdae61", SignStatus.GEPLAATST: "#d95f02",
                      SignStatus.TE_VERWIJDEREN: "#7b3294"}


def _non_empty(frame: gpd.GeoDataFrame | None) -> bool:
    return frame is not None and len(frame) > 0 and isinstance(frame, gpd.GeoDataFrame)


def _bounds_frame(layers: Mapping[str, gpd.GeoDataFrame | None], order: Sequence[str]) -> gpd.GeoDataFrame:
    for name in order:
        frame = layers.get(name)
        if frame is not None and _non_empty(frame):
            return frame
    raise InputError(t("maps.no_bounds"))


def overview_map(
    layers: Mapping[str, gpd.GeoDataFrame | None],
    *,
    with_addresses: bool = False,
    tiles: bool = False,
    fictional: bool = False,
) -> folium.Map:
    """Every layer of a workspace on one map: municipality, deelgemeenten, wijken, groups, infoborden, streets.

    ``layers`` maps layer names (as in ``buurtkaart.schema.LAYERS``) to frames in EPSG:31370; absent or empty
    layers are left out. Addresses (clustered) only with ``with_addresses=True``: they are the heaviest layer.
    """
    bounds = _bounds_frame(layers, ["municipality", "groups", "deelgemeenten", "streets", "addresses"])
    streets = layers.get("streets")
    m = base_map(bounds=bounds, streets=streets if _non_empty(streets) else None, tiles=tiles,
                 fictional=fictional)
    legend: list[tuple[str, str]] = []
    municipality = layers.get("municipality")
    if municipality is not None and _non_empty(municipality):
        add_areas(m, municipality, name=t("maps.layer.municipality"), label_column="name", color="#333333",
                  fill_opacity=0.0, weight=3, dash_array="8 6")
    deelgemeenten = layers.get("deelgemeenten")
    if deelgemeenten is not None and _non_empty(deelgemeenten):
        add_areas(m, deelgemeenten, name=t("maps.layer.deelgemeenten"), label_column="name", color="#666666",
                  fill_opacity=0.0, weight=1.5, dash_array="4 4",
                  tooltip_fields={"name": t("maps.tooltip.deelgemeente")})
    wijken = layers.get("wijken")
    if wijken is not None and _non_empty(wijken):
        add_areas(m, wijken, name=t("maps.layer.wijken"), label_column="name", color="#999999",
                  fill_opacity=0.0, weight=1, show=False)
    groups = layers.get("groups")
    if groups is not None and _non_empty(groups):
        colors = group_colors(groups["group_id"])
        add_areas(m, groups, name=t("maps.layer.groups"), label_column="name", color_column="group_id",
                  colors=colors, tooltip_fields={"name": t("maps.tooltip.group"),
                                                 "group_id": t("maps.tooltip.group_id")})
        legend.append((t("maps.layer.groups"), style()["group_palette"][0]))
    signs = layers.get("infoborden")
    if signs is not None and _non_empty(signs):
        legend.extend(add_sign_layers(m, signs))
    addresses = layers.get("addresses")
    if with_addresses and addresses is not None and _non_empty(addresses):
        add_points(m, address_labels(addresses), name=t("maps.layer.addresses"), tooltip_column="label",
                   kind="address", radius_px=3, cluster=True)
        legend.append((t("maps.layer.addresses"), style()["point_color"]["address"]))
    if legend:
        add_legend(m, legend)
    return finish_map(m)


def add_sign_layers(m: folium.Map, signs: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    """One point layer per infobord status; returns the legend entries."""
    entries = []
    frame = signs.copy()
    frame["label"] = frame["sign_id"].astype(str) + " · " + frame["road_name"].fillna("").astype(str)
    for status, color in SIGN_STATUS_COLORS.items():
        part = frame[frame["status"] == status]
        if len(part):
            label = f"{t('maps.layer.infoborden')}: {status.replace('_', ' ')}"
            add_points(m, part, name=label, tooltip_column="label", color=color, radius_px=6, cluster=False)
            entries.append((label, color))
    return entries


def address_labels(addresses: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Addresses with a ``label`` column as a resident writes them ("Kerkstraat 12A bus 3")."""
    number = addresses["housenumber"].astype("string").fillna("")
    suffix = addresses["suffix"].astype("string").fillna("") if "suffix" in addresses else ""
    box = addresses["box"].astype("string").fillna("") if "box" in addresses else pd.Series("", index=addresses.index)
    label = addresses["street"].astype("string").fillna("") + " " + number + suffix
    label = label.where(box == "", label + " bus " + box)
    out = addresses[["geometry"]].copy()
    out["label"] = label.astype(str)
    return out


def resident_map(
    point: shapely.Point | None,
    *,
    groups: gpd.GeoDataFrame,
    highlight: Sequence[str] = (),
    streets: gpd.GeoDataFrame | None = None,
    fictional: bool = False,
    around_m: float = 120.0,
) -> folium.Map:
    """A small map for a resident: the highlighted groups' areas, the other groups faint, their address.

    The view is fitted to the highlighted groups and the address (plus ``around_m`` metres); only streets near
    that view are sent to the browser, so the map stays small on a phone. A legend names each highlighted group
    in its colour (top right, clear of the fictional-demo badge at the bottom on a narrow screen), and the address.
    The page *Welke groep?* shows the same answer in the embeddable search (:mod:`buurtkaart.api.widget`).
    """
    m = _area_map(point, groups=groups, highlight=highlight, streets=streets, fictional=fictional, around_m=around_m)
    legend = _resident_legend(groups, highlight, with_address=point is not None)
    if legend:
        add_legend(m, legend, position="topright")
    return finish_map(m)


def _chosen(groups: gpd.GeoDataFrame, highlight: Sequence[str]) -> gpd.GeoDataFrame:
    return groups[groups["group_id"].astype(str).isin([str(g) for g in highlight])]


def _answer_view(point: shapely.Point | None, chosen: gpd.GeoDataFrame, around_m: float) -> shapely.Geometry:
    parts = list(chosen.geometry.values)
    if point is not None:
        parts.append(point)
    if not parts:
        raise InputError(t("maps.no_bounds"))
    return shapely.union_all(parts).envelope.buffer(around_m)


def _resident_legend(groups: gpd.GeoDataFrame, highlight: Sequence[str], *,
                     with_address: bool) -> list[tuple[str, str]]:
    colors = group_colors(groups["group_id"])
    names = dict(zip(groups["group_id"].astype(str), groups["name"].astype(str), strict=True))
    legend = [(names[g], colors[g]) for g in dict.fromkeys(str(g) for g in highlight) if g in names]
    if with_address:
        legend.append((t("maps.your_address"), style()["highlight_color"]))
    return legend


def _near_streets(streets: gpd.GeoDataFrame | None, view: shapely.Geometry) -> gpd.GeoDataFrame | None:
    if streets is None or not len(streets):
        return None
    return streets[streets.intersects(view)]


def _add_chosen(parent: Any, chosen: gpd.GeoDataFrame, groups: gpd.GeoDataFrame) -> None:
    if len(chosen):
        add_areas(parent, chosen, name=str(", ".join(chosen["name"].astype(str))), label_column="name",
                  color_column="group_id", colors=group_colors(groups["group_id"]), fill_opacity=0.3,
                  tooltip_fields={"name": t("maps.tooltip.group")})


def _add_address(parent: Any, point: shapely.Point) -> None:
    here = gpd.GeoDataFrame({"label": [t("maps.your_address")]}, geometry=[point], crs=WORKING_CRS)
    add_points(parent, here, name=t("maps.your_address"), tooltip_column="label",
               color=style()["highlight_color"], radius_px=8, cluster=False)


def _area_map(
    point: shapely.Point | None,
    *,
    groups: gpd.GeoDataFrame,
    highlight: Sequence[str],
    streets: gpd.GeoDataFrame | None,
    fictional: bool,
    around_m: float,
) -> folium.Map:
    chosen = _chosen(groups, highlight)
    view = _answer_view(point, chosen, around_m)
    m = base_map(bounds=gpd.GeoDataFrame(geometry=[view], crs=WORKING_CRS), streets=_near_streets(streets, view),
                 fictional=fictional)
    others = groups[~groups.index.isin(chosen.index) & groups.intersects(view)]
    if len(others):
        add_areas(m, others, name=t("maps.layer.groups"), label_column="name", color=style()["uncovered_color"],
                  fill_opacity=0.1, weight=1, tooltip_fields={"name": t("maps.tooltip.group")})
    _add_chosen(m, chosen, groups)
    if point is not None:
        _add_address(m, point)
    return m


def group_map(
    group_id: str,
    *,
    groups: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame | None = None,
    signs: gpd.GeoDataFrame | None = None,
    addresses: gpd.GeoDataFrame | None = None,
    fictional: bool = False,
) -> folium.Map:
    """One group's area for its coordinator: neighbours faint, its infoborden, its addresses (clustered)."""
    m = _area_map(None, groups=groups, highlight=[group_id], streets=streets, fictional=fictional, around_m=150)
    legend = [(str(groups.loc[groups["group_id"].astype(str) == str(group_id), "name"].astype(str).iloc[0])
               if (groups["group_id"].astype(str) == str(group_id)).any() else str(group_id),
               group_colors(groups["group_id"]).get(str(group_id), style()["group_palette"][0]))]
    if signs is not None and len(signs):
        mine = signs[signs["group_ids"].fillna("").astype(str).str.split(",").apply(
            lambda ids: str(group_id) in [i.strip() for i in ids])]
        if len(mine):
            legend.extend(add_sign_layers(m, mine))
    if addresses is not None and len(addresses):
        add_points(m, address_labels(addresses), name=t("maps.layer.addresses"), tooltip_column="label",
                   kind="address", radius_px=3)
        legend.append((t("maps.layer.addresses"), style()["point_color"]["address"]))
    add_legend(m, legend)
    return finish_map(m)
