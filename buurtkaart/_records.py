"""Record-by-record access to the workspace's small tables (members, users, audit log) through plain SQL.

These helpers run inside :meth:`Workspace.transaction` (``BEGIN IMMEDIATE`` under the workspace lock), so that
several app sessions and command lines writing at once never lose each other's records.

A workspace made before a table or a column was added to :data:`buurtkaart.schema.LAYERS` gets it here, inside
the same transaction (:func:`ensure_table`), so every writer sees the same structure.

The same helpers work on a server workspace (:mod:`buurtkaart.pg_workspace`): there ``con`` is a
:class:`buurtkaart._pg.PgConnection`, and the few places where the two databases differ (table structure,
geometry encoding) are decided here, on the connection's type.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from buurtkaart import _gpkg, _pg
from buurtkaart._conform import _cast
from buurtkaart._gpkg import SQL_TYPES, geometry_from_blob, gpkg_geometry_blob, quote
from buurtkaart.schema import WORKING_CRS, layer_spec
from buurtkaart.workspace import Workspace

#: A record connection: SQLite (GeoPackage workspace) or PostgreSQL (server workspace).
Connection = sqlite3.Connection | _pg.PgConnection


def table_columns(con: Connection, name: str) -> list[str]:
    """Columns of table ``name`` (empty when it does not exist)."""
    if isinstance(con, _pg.PgConnection):
        return _pg.table_columns(con, name)
    return [str(row[1]) for row in con.execute(f"PRAGMA table_info({quote(name)})")]


def ensure_table(con: Connection, name: str) -> None:
    """Create table ``name`` (registered as a GeoPackage layer) or add its missing columns, inside ``con``'s
    transaction. Does nothing when the table already matches the schema."""
    if isinstance(con, _pg.PgConnection):
        _pg.ensure_table(con, name)
        return
    spec = layer_spec(name)
    _gpkg.ensure_table(con, name, {c: SQL_TYPES.get(d, "TEXT") for c, d in spec.columns.items()},
                       spec.geometry_type)


def geometry_column(con: Connection, name: str) -> str | None:
    """The geometry column of layer ``name`` as GDAL wrote it (``geom`` by default), or None."""
    if isinstance(con, _pg.PgConnection):
        return _pg.GEOMETRY_COLUMN if _pg.GEOMETRY_COLUMN in _pg.table_columns(con, name) else None
    return _gpkg.geometry_column(con, name)


def insert(con: Connection, name: str, values: Mapping[str, Any], *, geometry: Any = None) -> None:
    """Insert one record; ``geometry`` (a shapely geometry) goes into the layer's geometry column."""
    columns = list(values)
    params = [values[c] for c in columns]
    marks = ["?" for _ in columns]
    geom_col = geometry_column(con, name) if geometry is not None else None
    if geom_col is not None:
        columns.append(geom_col)
        if isinstance(con, _pg.PgConnection):
            params.append(shapely.to_wkb(geometry))
            marks.append(f"ST_GeomFromWKB(?, {_pg.SRID})")
        else:
            params.append(gpkg_geometry_blob(geometry))
            marks.append("?")
    placeholders = ", ".join(marks)
    con.execute(
        f"INSERT INTO {quote(name)} ({', '.join(quote(c) for c in columns)}) VALUES ({placeholders})", params
    )


def update(con: Connection, name: str, key: str, key_value: Any, values: Mapping[str, Any]) -> int:
    """Update the record whose ``key`` is ``key_value``; returns the number of rows changed."""
    sets = ", ".join(f"{quote(c)} = ?" for c in values)
    cur = con.execute(
        f"UPDATE {quote(name)} SET {sets} WHERE {quote(key)} = ?", [*values.values(), key_value]
    )
    return int(cur.rowcount)


def select(
    con: Connection,
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
    existing = set(table_columns(con, name))
    if not existing:
        return []
    columns = [c for c in spec.columns if c in existing]
    exprs = [quote(c) for c in columns]
    geom_col = geometry_column(con, name) if with_geometry and spec.geometry_type else None
    server = isinstance(con, _pg.PgConnection)
    if geom_col is not None:
        exprs.append(f"ST_AsBinary({quote(geom_col)})" if server else quote(geom_col))
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
            row["geometry"] = (shapely.from_wkb(raw[-1]) if raw[-1] is not None else None) if server else (
                geometry_from_blob(raw[-1]))
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
    """A read-only connection to the workspace (SQLite: waits for a writer instead of failing)."""
    server_reader = getattr(ws, "reader", None)
    if server_reader is not None:  # a server workspace
        return server_reader()
    return sqlite3.connect(ws.path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30.0)
