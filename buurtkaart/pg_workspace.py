"""The server store: a workspace in PostgreSQL/PostGIS with the same layers and API as the GeoPackage.

``Workspace.open("postgresql://USER@HOST:PORT/DB")`` (or ``--workspace``/``BUURTKAART_WORKSPACE``) returns a
:class:`PostgisWorkspace`. It keeps the GeoPackage workspace's guarantees with the database's own means:

* :meth:`PostgisWorkspace.write` replaces whole layers in **one transaction** (all layers or none), refusing
  frames that do not :func:`~buurtkaart.workspace.conform`; readers keep seeing the old rows until it commits.
* :meth:`PostgisWorkspace.transaction` yields a connection inside a transaction for record changes. Every
  writer of one workspace first takes the same transaction-level advisory lock, so record changes are
  serialised exactly as in the GeoPackage (no lost update, no duplicate audit line number); readers are never
  blocked (MVCC).
* the audit log refuses update, delete and truncate by triggers.
* :attr:`PostgisWorkspace.version_token` is a counter that every committed change raises (a cache key).

Each layer is a table with a ``fid`` key, the schema's columns, and a ``geom geometry(<type>, 31370)`` column
with a GiST index.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart import _pg, schema
from buurtkaart._pg import GEOMETRY_COLUMN, PgConnection, quote
from buurtkaart.errors import BuurtkaartError, SchemaError, WorkspaceError
from buurtkaart.migrations import check_version
from buurtkaart.schema import LAYERS, WORKING_CRS, layer_spec
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, _cast, conform, workspace_at


class PostgisWorkspace(Workspace):
    """A buurtkaart workspace in a PostGIS database (see the module documentation)."""

    path: str  # type: ignore[assignment]  # the URL without password, shown to people

    def __init__(self, location: str) -> None:
        self._location = _pg.parse_location(str(location))
        self.path = self._location.label

    def child_location(self) -> str:
        """The full URL of this workspace (with the password it was opened with), for a child process."""
        return _pg._SECRETS.get(self.path, self.path)

    # ---- opening
    @classmethod
    def open(cls, path: Any = None) -> PostgisWorkspace:
        """Open an existing server workspace, checking its schema version."""
        ws = cls(str(path))
        with ws._connect(autocommit=True) as con:
            exists = _pg.schema_exists(con)
        if not exists:
            raise WorkspaceError(t("workspace.not_found", path=ws.path), problems=[t("workspace.env_hint")])
        check_version(ws.path, ws.metadata.get("schema_version"), server=True)
        return ws

    @classmethod
    def create(
        cls,
        path: Any,
        layers: Mapping[str, pd.DataFrame],
        *,
        municipality: str,
        fictional: bool = False,
        metadata: Mapping[str, str] | None = None,
        overwrite: bool = False,
    ) -> PostgisWorkspace:
        """Create the workspace schema with every layer (missing ones empty), in one transaction."""
        ws = cls(str(path))
        meta = {
            "schema_version": str(schema.SCHEMA_VERSION),
            "municipality": municipality,
            "fictional": "true" if fictional else "false",
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **(metadata or {}),
        }
        checked = {name: conform(name, frame) if name in LAYERS else frame for name, frame in layers.items()}
        checked["metadata"] = pd.DataFrame({"key": list(meta), "value": list(meta.values())})
        with ws._connect(autocommit=True) as con:
            _pg.ensure_postgis(con, ws.path)
        with ws._write_transaction() as con:
            if _pg.schema_exists(con):
                if not overwrite:
                    raise WorkspaceError(t("workspace.write_failed", path=ws.path, reason="werkruimte bestaat al"))
                _pg.drop_schema(con)
            _pg.create_schema(con)
            for name in LAYERS:
                _pg.ensure_table(con, name)
            for name, frame in checked.items():
                _store_layer(con, name, frame)
        return ws

    # ---- reading
    @property
    def metadata(self) -> dict[str, str]:
        """The key/value metadata of the workspace (schema_version, municipality, fictional, ...)."""
        with self._connect(autocommit=True) as con:
            if "metadata" not in _pg.table_names(con):
                return {}
            return {str(k): str(v) for k, v in con.execute("SELECT key, value FROM metadata ORDER BY fid")}

    @property
    def version_token(self) -> tuple[int, int]:
        """Raised by every committed change of any table: a cache key for readers."""
        with self._connect(autocommit=True) as con:
            return (_pg.version(con), 0)

    def layer_names(self) -> list[str]:
        """Names of the layers stored in the workspace."""
        with self._connect(autocommit=True) as con:
            return _pg.table_names(con)

    def read(
        self, name: str, *, columns: list[str] | None = None, where: str | None = None
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        """Read layer ``name`` with the schema's dtypes; an absent layer reads as an empty frame.

        ``where`` is an SQL filter (e.g. ``"group_id = 'G01'"``), ``columns`` limits the attributes read.
        """
        spec = LAYERS.get(name)
        with self._connect(autocommit=True) as con:
            stored = _pg.table_columns(con, name)
            if not stored:
                if spec is None:
                    known = ", ".join(_pg.table_names(con))
                    raise WorkspaceError(t("schema.unknown_layer", layer=name, known=known))
                return spec.empty()
            attrs = [c for c in stored if c not in ("fid", GEOMETRY_COLUMN)]
            if columns is not None:
                attrs = [c for c in attrs if c in columns]
            has_geom = GEOMETRY_COLUMN in stored
            exprs = [quote(c) for c in attrs] + ([f"ST_AsBinary({GEOMETRY_COLUMN})"] if has_geom else [])
            sql = f"SELECT {', '.join(exprs) or '1'} FROM {quote(name)}"
            if where:
                sql += f" WHERE {where}"
            cur = con.raw.cursor(binary=True)  # binary results: no text parsing of numbers and geometries
            data = cur.execute(sql + " ORDER BY fid").fetchall()
        return _frame(name, attrs, data, has_geom)

    def info(self) -> list[dict[str, object]]:
        """One row per stored layer: name, feature count, geometry type, CRS."""
        rows: list[dict[str, object]] = []
        with self._connect(autocommit=True) as con:
            for name in _pg.table_names(con):
                count = con.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()[0]
                spec = LAYERS.get(name)
                geometry_type = spec.geometry_type if spec is not None else None
                rows.append({"layer": name, "features": int(count), "geometry_type": geometry_type or "",
                             "crs": WORKING_CRS if geometry_type else "",
                             "personal": bool(spec is not None and spec.personal)})
        return rows

    # ---- writing
    def write(self, layers: Mapping[str, pd.DataFrame], *, repair: bool = False) -> None:
        """Replace the given layers, all or nothing (one transaction). Each frame is checked first; the layers
        that change only record by record are refused, as in the GeoPackage."""
        from buurtkaart import workspace as _workspace

        _workspace.refuse_record_only(layers)
        checked = {name: (conform(name, frame, repair=repair) if name in LAYERS else frame)
                   for name, frame in layers.items()}
        with self._write_transaction() as con:
            for name, frame in checked.items():
                _store_layer(con, name, frame)

    def set_metadata(self, **values: str) -> None:
        """Add or change metadata keys (one transaction)."""
        with self._write_transaction() as con:
            for key, value in values.items():
                if not con.execute("UPDATE metadata SET value = ? WHERE key = ?", (str(value), key)).rowcount:
                    con.execute("INSERT INTO metadata (key, value) VALUES (?, ?)", (key, str(value)))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PgConnection]:  # type: ignore[override]
        """A connection inside a transaction holding the workspace's write lock; commits on success."""
        with self._write_transaction(wrap_errors=False) as con:
            yield con

    @contextlib.contextmanager
    def lock(self, timeout_s: float = 30.0) -> Iterator[None]:
        """The workspace's exclusive write lock (a session advisory lock), held for the block.

        Re-entrant within one thread, as the GeoPackage's lock is: a write or record transaction of this thread
        inside the block does not wait for the lock it already holds (e.g. a read, merge and write as one step).
        """
        held = _held_locks()
        key = self._lock_id()
        if held.get(key):
            held[key] += 1
            try:
                yield
            finally:
                held[key] -= 1
            return
        import psycopg

        lock_key = _pg.lock_key(self._location.schema)
        with self._connect(autocommit=True) as con:
            con.execute(f"SET lock_timeout = {int(timeout_s * 1000)}")
            try:
                con.execute("SELECT pg_advisory_lock(?)", (lock_key,))
            except psycopg.errors.LockNotAvailable:
                con.execute("RESET lock_timeout")
                raise WorkspaceError(t("workspace.locked", path=self.path)) from None
            held[key] = 1
            try:
                yield
            finally:
                held.pop(key, None)
                con.execute("SELECT pg_advisory_unlock(?)", (lock_key,))
                con.execute("RESET lock_timeout")

    def load_from(self, source: str | os.PathLike[str]) -> None:
        """Make the whole workspace a copy of the workspace at ``source`` (a GeoPackage file or a server URL), in
        one transaction: readers see the old or the new content. A missing target schema is created."""
        src = workspace_at(source)
        meta = src.metadata
        if not meta:
            raise WorkspaceError(t("workspace.no_metadata", path=src.path))
        layers = {name: src.read(name) for name in src.layer_names() if name != "metadata"}
        type(self).create(self.path, layers, municipality=meta.get("municipality", ""),
                          fictional=meta.get("fictional") == "true", metadata=meta, overwrite=True)

    def _ensure_wal(self) -> None:
        """Nothing to do: the database server keeps its own log (the GeoPackage switches to WAL mode here)."""

    def reader(self) -> PgConnection:
        """A read-only connection (each statement sees the latest committed data)."""
        return _pg.connect(self._location, autocommit=True, readonly=True)

    def vacuum(self, table: str) -> None:
        """Reclaim the space of deleted rows of ``table`` (after an erasure), outside any transaction."""
        with self._connect(autocommit=True) as con:
            con.execute(f"VACUUM {quote(table)}")

    # ---- internals
    def _lock_id(self) -> tuple[int, str, str]:
        return (os.getpid(), self._location.conninfo, self._location.schema)

    def _connect(self, *, autocommit: bool = False) -> PgConnection:
        return _pg.connect(self._location, autocommit=autocommit)

    @contextlib.contextmanager
    def _write_transaction(self, *, wrap_errors: bool = True) -> Iterator[PgConnection]:
        con = self._connect()
        try:
            con.execute("SET LOCAL lock_timeout = 30000")
            if not _held_locks().get(self._lock_id()):  # this thread may already hold it (see :meth:`lock`)
                _pg.take_write_lock(con, self.path)
            yield con
            con.raw.commit()
        except BaseException as exc:
            con.raw.rollback()
            if not wrap_errors or isinstance(exc, BuurtkaartError) or not isinstance(exc, Exception):
                raise
            reason = getattr(getattr(exc, "diag", None), "message_primary", None) or type(exc).__name__
            raise WorkspaceError(t("workspace.write_failed", path=self.path, reason=reason)) from exc
        finally:
            con.close()


_HELD = threading.local()


def _held_locks() -> dict[tuple[int, str, str], int]:
    """The workspace locks this thread holds through :meth:`PostgisWorkspace.lock` (with their depth)."""
    held = getattr(_HELD, "locks", None)
    if held is None:
        held = _HELD.locks = {}
    return held


def _frame(name: str, attrs: list[str], data: list[tuple[Any, ...]], has_geom: bool) -> pd.DataFrame:
    spec = LAYERS.get(name)
    columns = list(zip(*data, strict=True)) if data else [() for _ in range(len(attrs) + has_geom)]
    frame = pd.DataFrame({c: pd.Series(columns[i], dtype=None if data else _empty_dtype(spec, c))
                          for i, c in enumerate(attrs)}, index=pd.RangeIndex(len(data)))
    if spec is not None:
        for column, dtype in spec.columns.items():
            if column in frame.columns:
                frame[column] = _cast(frame[column], dtype)
    if not has_geom:
        return frame
    wkb = np.array(columns[-1], dtype=object)
    geoms = shapely.from_wkb(wkb) if len(wkb) else np.array([], dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=WORKING_CRS), crs=WORKING_CRS)


def _empty_dtype(spec: Any, column: str) -> str:
    return str(spec.columns.get(column, "object")) if spec is not None else "object"


def _store_layer(con: PgConnection, name: str, frame: pd.DataFrame) -> None:
    """Replace the rows of table ``name`` by ``frame`` (COPY), inside ``con``'s transaction."""
    geo = isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns
    geom_name = frame.geometry.name if geo else None
    spec_columns = layer_spec(name).columns if name in LAYERS else {}
    attrs = [c for c in frame.columns if c != geom_name and c not in ("fid", GEOMETRY_COLUMN)]
    extra = {c: str(frame[c].dtype) for c in attrs if c not in spec_columns}
    _pg.ensure_table(con, name, extra)
    if geo and GEOMETRY_COLUMN not in _pg.table_columns(con, name):
        raise SchemaError(t("schema.layer_invalid", layer=name))
    con.execute(f"DELETE FROM {quote(name)}")
    if not len(frame):
        return
    values = [_python_values(frame[c]) for c in attrs]
    target = [quote(c) for c in attrs]
    if geo:
        geoms = shapely.set_srid(np.asarray(frame.geometry.values, dtype=object), _pg.SRID)
        values.append(list(shapely.to_wkb(geoms, hex=True, include_srid=True)))
        target.append(GEOMETRY_COLUMN)
    with con.raw.cursor().copy(f"COPY {quote(name)} ({', '.join(target)}) FROM STDIN") as copy:
        for row in zip(*values, strict=True):
            copy.write_row(row)


def _python_values(series: pd.Series) -> list[Any]:
    """A column as Python values for COPY (NA as None, numpy scalars as Python numbers)."""
    return [_pg.plain(v) for v in series.tolist()]
