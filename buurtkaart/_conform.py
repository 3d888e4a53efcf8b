"""Checking a frame against the schema of its layer (:func:`conform`), before any write.

>>> import geopandas as gpd, shapely
>>> frame = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]}, geometry=[shapely.box(0, 0, 1, 1)],
...                          crs="EPSG:31370")
>>> conform("groups", frame).geometry.iloc[0].geom_type
'MultiPolygon'
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from buurtkaart.errors import SchemaError
from buurtkaart.schema import LayerSpec, layer_spec
from buurtkaart.texts import t
from buurtkaart.validation import require_columns, require_crs


def conform(name: str, frame: pd.DataFrame, *, repair: bool = False) -> gpd.GeoDataFrame | pd.DataFrame:
    """Check ``frame`` against the spec of layer ``name`` and return it with the schema's columns and dtypes.

    Every problem is gathered into one :class:`SchemaError` (missing columns, no or wrong CRS, wrong or empty
    or invalid geometries, duplicate or empty keys). Optional columns that are missing are added empty; extra
    columns are kept. Single polygons are promoted to multipolygons where the layer holds multipolygons. With
    ``repair=True`` invalid polygons are repaired with ``shapely.make_valid`` instead of refused.
    """
    spec = layer_spec(name)
    problems: list[str] = []
    require_columns(frame, spec.required, what=name, problems=problems)
    out = frame.copy()
    if spec.geometry_type is not None:
        if not isinstance(out, gpd.GeoDataFrame) or out.geometry.name not in out.columns:
            problems.append(t("schema.wrong_geometry", count=len(out), expected=spec.geometry_type, found="geen"))
        else:
            problems.extend(_geometry_problems(spec, out, repair=repair))
            if spec.geometry_type.startswith("Multi"):
                out = out.set_geometry(_promote_multi(out.geometry))
            if out.geometry.name != "geometry":
                out = out.rename_geometry("geometry")
    if spec.key and spec.key in out.columns:
        key = out[spec.key]
        empty = int(key.isna().sum())
        if empty:
            problems.append(t("schema.missing_values", column=spec.key, count=empty))
        dupes = key[key.duplicated() & key.notna()]
        if len(dupes):
            examples = ", ".join(map(str, dupes.unique()[:3]))
            problems.append(t("schema.duplicate_keys", count=len(dupes), key=spec.key, examples=examples))
    if problems:
        raise SchemaError(t("schema.layer_invalid", layer=name), problems=problems)
    for column, dtype in spec.columns.items():
        if column not in out.columns:
            out[column] = pd.Series(pd.NA if dtype != "float64" else np.nan, index=out.index, dtype=dtype)
        else:
            out[column] = _cast(out[column], dtype)
    if repair and spec.geometry_type is not None:
        out = out.set_geometry(_repair(out.geometry))
    ordered = list(spec.columns) + [c for c in out.columns if c not in spec.columns]
    return out[ordered]


def _cast(series: pd.Series, dtype: str) -> pd.Series:
    if dtype == "Int64":
        return pd.to_numeric(series, errors="coerce").round().astype("Int64")
    if dtype == "str":
        return series.astype("str").where(series.notna(), pd.NA).astype("str")
    return series.astype(dtype)


def _geometry_problems(spec: LayerSpec, frame: gpd.GeoDataFrame, *, repair: bool) -> list[str]:
    problems: list[str] = []
    require_crs(frame, what=spec.name, problems=problems)
    geoms = frame.geometry.values
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        problems.append(t("schema.empty_geometry", count=int(empty.sum())))
    types = pd.Series(shapely.get_type_id(geoms[~empty]))
    allowed = _allowed_type_ids(spec.geometry_type or "")
    wrong = types[~types.isin(allowed)]
    if len(wrong):
        found = ", ".join(sorted({_TYPE_NAMES[i] for i in wrong.unique()}))
        problems.append(t("schema.wrong_geometry", count=len(wrong), expected=spec.geometry_type, found=found))
    if not repair:
        invalid = ~shapely.is_valid(geoms) & ~empty
        if invalid.any():
            first = frame.index[invalid][0]
            problems.append(t("schema.invalid_geometry", count=int(invalid.sum()), first=first))
    return problems


_TYPE_NAMES = {0: "Point", 1: "LineString", 2: "LinearRing", 3: "Polygon", 4: "MultiPoint",
               5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection"}


def _allowed_type_ids(geometry_type: str) -> list[int]:
    return {"Point": [0], "LineString": [1], "MultiPolygon": [3, 6], "Polygon": [3]}.get(geometry_type, [])


def _promote_multi(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    values = geoms.values
    single = shapely.get_type_id(values) == 3
    if not single.any():
        return geoms
    promoted = np.array(values, dtype=object)
    promoted[single] = [shapely.MultiPolygon([g]) for g in values[single]]
    return gpd.GeoSeries(promoted, index=geoms.index, crs=geoms.crs, name=geoms.name)


def _repair(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    values = geoms.values
    invalid = ~shapely.is_valid(values)
    if not invalid.any():
        return geoms
    fixed = np.array(values, dtype=object)
    repaired = shapely.make_valid(values[invalid])
    # make_valid may return a collection; keep only its polygonal parts
    fixed[invalid] = [_polygonal(g) for g in repaired]
    return _promote_multi(gpd.GeoSeries(fixed, index=geoms.index, crs=geoms.crs, name=geoms.name))


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom

