"""Record-by-record access to the workspace's small tables (members, users, audit log) through plain SQL.

These helpers run inside :meth:`Workspace.transaction` (``BEGIN IMMEDIATE`` under the workspace lock), so that
several app sessions and command lines writing at once never lose each other's records.

A workspace made before a table or a column was added to :data:`buurtkaart.schema.LAYERS` gets it here, inside
the same transaction (:func:`ensure_table`), so every writer sees the same structure.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from buurtkaart import _gpkg
from buurtkaart._conform import _cast
from buurtkaart._gpkg import SQL_TYPES, geometry_column, geometry_from_blob, gpkg_geometry_blob, quote
from buurtkaart.schema import WORKING_CRS, layer_spec
from buurtkaart.workspace import Workspace


def ensure_table(con: sqlite3.Connection, name: str) -> None:
    """Create table ``name`` (registered as a GeoPackage layer) or add its missing columns, inside ``con``'s
    transaction. Does nothing when the table already matches the schema."""
    spec = layer_spec(name)
    _gpkg.ensure_table(con, name, {c: SQL_TYPES.get(d, "TEXT") for c, d in spec.columns.items()},
                       spec.geometry_type)


def insert(con: sqlite3.Connection, name: str, values: Mapping[str, Any], *, geometry: Any = None) -> None:
    """Insert one record; ``geometry`` (a shapely geometry) goes into the layer's geometry column."""
    columns = list(values)
    params = [values[c] for c in columns]
    geom_col = geometry_column(con, name) if geometry is not None else None
    if geom_col is not None:
        columns.append(geom_col)
        params.append(gpkg_geometry_blob(geometry))
    placeholders = ", ".join("?" for _ in columns)
    con.execute(
        f"INSERT INTO {quote(name)} ({', '.join(quote(c) for c in columns)}) VALUES ({placeholders})", params
    )


def update(con: sqlite3.Connection, name: str, key: str, key_value: Any, values: Mapping[str, Any]) -> int:
    """Update the record whose ``key`` is ``key_value``; returns the number of rows changed."""
    sets = ", ".join(f"{quote(c)} = ?" for c in values)
    cur = con.execute(
        f"UPDATE {quote(name)} SET {sets} WHERE {quote(key)} = ?", [*values.values(), key_value]
    )
    return int(cur.rowcount)


def select(
    con: sqlite3.Connection,
    name: str,
    *,
    where: str = "",
    params: Sequence[Any] = (),
    order_by: str = "fid",
    with_geometry: bool = False,
) -> list[dict[str, Any]]:
    """Rows of ``name`` as dicts (schema columns only, plus ``geometry`` when asked). ``where`` is SQL with ``?``.

    A table that does not exist yet reads as no rows.
    """
    spec = layer_spec(name)
    existing = {row[1] for row in con.execute(f"PRAGMA table_info({quote(name)})")}
    if not existing:
        return []
    columns = [c for c in spec.columns if c in existing]
    exprs = [quote(c) for c in columns]
    geom_col = geometry_column(con, name) if with_geometry and spec.geometry_type else None
    if geom_col is not None:
        exprs.append(quote(geom_col))
    sql = f"SELECT {', '.join(exprs)} FROM {quote(name)}"
    if where:
        sql += f" WHERE {where}"
    sql += f" ORDER BY {order_by}"
    rows = []
    for raw in con.execute(sql, list(params)):
        row = dict(zip(columns, raw[: len(columns)], strict=True))
        for column in spec.columns:
            row.setdefault(column, None)
        if geom_col is not None:
            row["geometry"] = geometry_from_blob(raw[-1])
        rows.append(row)
    return rows


def to_frame(name: str, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame | gpd.GeoDataFrame:
    """Rows (from :func:`select`) as a frame with the schema's columns and dtypes; geometry when present."""
    spec = layer_spec(name)
    rows = list(rows)
    frame = pd.DataFrame(rows, columns=list(spec.columns)) if rows else spec.empty().drop(
        columns="geometry", errors="ignore"
    )
    frame = pd.DataFrame(frame)
    for column, dtype in spec.columns.items():
        frame[column] = _cast(frame[column], dtype)
    if rows and "geometry" in rows[0]:
        return gpd.GeoDataFrame(frame, geometry=[r["geometry"] for r in rows], crs=WORKING_CRS)
    return frame


def reader(ws: Workspace) -> sqlite3.Connection:
    """A read-only SQLite connection to the workspace (waits for a writer instead of failing)."""
    return sqlite3.connect(ws.path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30.0)
