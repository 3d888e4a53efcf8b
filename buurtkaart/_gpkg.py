"""GeoPackage tables written with plain SQL inside one SQLite transaction.

Whole-layer writes (:meth:`buurtkaart.workspace.Workspace.write`) and record writes (:mod:`buurtkaart._records`)
both change the live file in place, inside ``BEGIN IMMEDIATE``: readers (GDAL, other sessions) see the old or the
new layer, never a half-written or replaced file. Layers are stored without R-tree triggers, so a plain
``INSERT`` is a valid GeoPackage row once its geometry is encoded with :func:`gpkg_geometry_blob`.

>>> import shapely
>>> geometry_from_blob(gpkg_geometry_blob(shapely.Point(1, 2))).wkt
'POINT (1 2)'
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import struct
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

SRS_ID = 31370
GEOMETRY_COLUMN = "geom"
SQL_TYPES = {"str": "TEXT", "Int64": "INTEGER", "float64": "REAL"}


def quote(name: str) -> str:
    """Quote an SQL identifier (table or column name)."""
    return '"' + name.replace('"', '""') + '"'


# --------------------------------------------------------------------------------------------- geometry blobs
def _header(srs_id: int, empty: bool) -> bytes:
    flags = 0x01 | (0x10 if empty else 0)  # little-endian, no envelope, empty flag
    return b"GP" + struct.pack("<BBi", 0, flags, srs_id)


def gpkg_geometry_blob(geom: BaseGeometry | None, srs_id: int = SRS_ID) -> bytes | None:
    """Encode ``geom`` as a GeoPackage geometry blob (header without envelope + WKB), for plain SQL inserts.

    >>> len(gpkg_geometry_blob(shapely.Point(1, 2)))
    29
    """
    if geom is None:
        return None
    return _header(srs_id, geom.is_empty) + shapely.to_wkb(geom, byte_order=1)


def gpkg_geometry_blobs(geoms: Any, srs_id: int = SRS_ID) -> list[bytes | None]:
    """:func:`gpkg_geometry_blob` for a whole array of geometries at once (missing ones give None)."""
    values = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(values)
    wkb = shapely.to_wkb(values, byte_order=1)
    empty = shapely.is_empty(values)
    full, hollow = _header(srs_id, False), _header(srs_id, True)
    return [None if miss else (hollow if emp else full) + w
            for w, miss, emp in zip(wkb, missing, empty, strict=True)]


def geometry_from_blob(blob: bytes | None) -> BaseGeometry | None:
    """Decode a GeoPackage geometry blob (any envelope) back to a shapely geometry."""
    if blob is None:
        return None
    flags = blob[3]
    envelope_len = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 0x07]
    return shapely.from_wkb(bytes(blob[8 + envelope_len:]))


# --------------------------------------------------------------------------------------------- tables
def table_columns(con: sqlite3.Connection, name: str) -> set[str]:
    """Column names of table ``name`` (empty when it does not exist)."""
    return {row[1] for row in con.execute(f"PRAGMA table_info({quote(name)})")}


def geometry_column(con: sqlite3.Connection, name: str) -> str | None:
    """The geometry column of layer ``name`` as GDAL wrote it (``geom`` by default), or None."""
    row = con.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)", (name,)
    ).fetchone()
    return str(row[0]) if row else None


def ensure_table(con: sqlite3.Connection, name: str, columns: Mapping[str, str], geometry_type: str | None) -> None:
    """Create table ``name`` registered as a GeoPackage layer, or add its missing ``columns`` (name → SQL type),
    inside ``con``'s transaction. Does nothing when the table already has them all."""
    existing = table_columns(con, name)
    if not existing:
        cols = "".join(f", {quote(c)} {sql_type}" for c, sql_type in columns.items())
        geom = f", {quote(GEOMETRY_COLUMN)} {geometry_type.upper()}" if geometry_type else ""
        con.execute(f"CREATE TABLE {quote(name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL{geom}{cols})")
        kind, srs = ("features", SRS_ID) if geometry_type else ("attributes", 0)
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
                    "VALUES (?, ?, ?, '', ?)", (name, kind, name, srs))
        if geometry_type:
            con.execute("INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, "
                        "z, m) VALUES (?, ?, ?, ?, 0, 0)", (name, GEOMETRY_COLUMN, geometry_type.upper(), SRS_ID))
        return
    for column, sql_type in columns.items():
        if column not in existing:
            con.execute(f"ALTER TABLE {quote(name)} ADD COLUMN {quote(column)} {sql_type}")


def replace_rows(con: sqlite3.Connection, name: str, frame: pd.DataFrame, *,
                 dtypes: Mapping[str, str] | None = None, geometry_type: str | None = None) -> None:
    """Replace every row of layer ``name`` by the rows of ``frame``, inside ``con``'s transaction.

    ``dtypes`` are the schema's column types (other columns get a type from their pandas dtype); the table is
    created or widened first. Rows get fids 1..n in frame order, so a reader sees them in that order.
    """
    is_geo = isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns
    if is_geo and geometry_type is None:
        geometry_type = _geometry_type(frame.geometry)
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name) if is_geo else frame)
    columns = {str(c): SQL_TYPES.get((dtypes or {}).get(str(c), ""), _sql_type(attrs[c])) for c in attrs.columns}
    ensure_table(con, name, columns, geometry_type if is_geo else None)
    geom_col = geometry_column(con, name) if is_geo else None
    # GDAL's per-row feature-count triggers cost more than the rows: set aside for this transaction, the count is
    # set once below and the triggers come back before the commit
    triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = "
                           "lower(?) AND name LIKE 'trigger_%_feature_count_%'", (name,)).fetchall()
    for trigger, _sql in triggers:
        con.execute(f"DROP TRIGGER {quote(trigger)}")
    con.execute(f"DELETE FROM {quote(name)}")
    names = ["fid", *columns]
    values: list[list[Any]] = [list(range(1, len(frame) + 1))]
    values += [_sql_values(attrs[c]) for c in attrs.columns]
    if geom_col is not None:
        names.append(geom_col)
        values.append(gpkg_geometry_blobs(frame.geometry.values))
    placeholders = ", ".join("?" for _ in names)
    con.executemany(f"INSERT INTO {quote(name)} ({', '.join(quote(c) for c in names)}) VALUES ({placeholders})",
                    zip(*values, strict=True))
    _touch_contents(con, name, frame.geometry if geom_col is not None else None, len(frame))
    for _trigger, sql in triggers:
        con.execute(sql)


def _touch_contents(con: sqlite3.Connection, name: str, geoms: gpd.GeoSeries | None, count: int) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"
    bounds: list[float | None] = [None] * 4
    if geoms is not None and count and not geoms.is_empty.all():
        bounds = [float(b) for b in geoms.total_bounds]
    con.execute("UPDATE gpkg_contents SET last_change = ?, min_x = ?, min_y = ?, max_x = ?, max_y = ? "
                "WHERE lower(table_name) = lower(?)", (now, *bounds, name))
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_ogr_contents'").fetchone():
        con.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                    (count, name))


def _geometry_type(geoms: gpd.GeoSeries) -> str:
    types = set(geoms.dropna().geom_type)
    return types.pop() if len(types) == 1 else "Geometry"


def _sql_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "BOOLEAN"
    if pd.api.types.is_integer_dtype(series):
        return "INTEGER"
    if pd.api.types.is_float_dtype(series):
        return "REAL"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "DATETIME"
    return "TEXT"


def _sql_values(series: pd.Series) -> list[Any]:
    """Python values SQLite can bind (None for missing; datetimes as ISO text, as GDAL writes them)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ").str.slice(0, 23) + "Z"
        return text.astype(object).where(series.notna(), None).tolist()
    out = series.astype(object).where(series.notna(), None).tolist()
    return [v.item() if isinstance(v, np.generic) else v for v in out]
