"""Small geometry helpers shared by the boundaries modules (internal)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from buurtkaart.errors import InputError
from buurtkaart.geocoding.addressing import street_key as _address_street_key
from buurtkaart.texts import t
from buurtkaart.validation import require_crs

#: Parts and holes smaller than this are noise from floating point (m²).
NOISE_M2 = 0.01


def street_key(name: object) -> str:
    """A street name folded for comparison (``buurtkaart.geocoding.addressing.street_key``); NA gives ``""``.

    >>> street_key("  Nerviërsstraat ") == street_key("nerviersstraat")
    True
    """
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ""
    return _address_street_key(str(name))


def polygonal(geom: BaseGeometry | None, *, min_area_m2: float = NOISE_M2) -> shapely.MultiPolygon:
    """The polygonal parts of ``geom`` (larger than ``min_area_m2``) as one MultiPolygon (possibly empty).

    >>> polygonal(shapely.GeometryCollection([shapely.box(0, 0, 1, 1), shapely.Point(5, 5)])).geom_type
    'MultiPolygon'
    """
    if geom is None or geom.is_empty:
        return shapely.MultiPolygon()
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys: list[shapely.Polygon] = []
    for part in parts:
        polys.extend(p for p in shapely.get_parts(part) if p.area > min_area_m2)
    if not polys:
        return shapely.MultiPolygon()
    merged = shapely.union_all(polys) if len(polys) > 1 else polys[0]
    return shapely.MultiPolygon([p for p in shapely.get_parts(merged) if p.area > min_area_m2])


def near(frame: gpd.GeoDataFrame, geom: BaseGeometry, distance_m: float) -> gpd.GeoDataFrame:
    """The rows of ``frame`` within ``distance_m`` of ``geom`` (bounding-box test through the spatial index)."""
    if len(frame) == 0 or geom.is_empty:
        return frame.iloc[:0]
    minx, miny, maxx, maxy = geom.bounds
    box = shapely.box(minx - distance_m, miny - distance_m, maxx + distance_m, maxy + distance_m)
    idx = frame.sindex.query(box, predicate="intersects")
    return frame.iloc[np.sort(idx)]


def as_geometry(value: object) -> BaseGeometry:
    """Accept a shapely geometry, a GeoSeries/GeoDataFrame (dissolved), or a GeoJSON-like mapping."""
    if isinstance(value, BaseGeometry):
        return value
    if isinstance(value, gpd.GeoDataFrame | gpd.GeoSeries):
        require_crs(value, what="geometrie")
        return shapely.union_all(value.geometry.values if isinstance(value, gpd.GeoDataFrame) else value.values)
    if isinstance(value, dict):
        return shapely.geometry.shape(value.get("geometry", value))
    raise InputError(t("boundaries.not_a_geometry", kind=type(value).__name__))
