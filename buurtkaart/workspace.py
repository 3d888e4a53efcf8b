"""The workspace: one GeoPackage file holding every layer of one municipality, in EPSG:31370.

This module is the only one that reads or writes the file. Two ways to change it, both all-or-nothing and both
under one exclusive lock (``<file>.lock``), so that several app sessions never lose each other's writes:

* :meth:`Workspace.write` replaces whole layers: it copies the file (SQLite backup), writes the layers into the
  copy, checks it, and moves the copy over the original with ``os.replace``. A failed import or a crash leaves the
  previous workspace as it was.
* :meth:`Workspace.transaction` yields a ``sqlite3`` connection inside ``BEGIN IMMEDIATE`` for small record
  changes (one member, one audit line); SQLite makes those atomic itself. Layers are stored without GeoPackage
  R-tree triggers, so plain SQL may insert rows; :func:`gpkg_geometry_blob` encodes a geometry for that.

>>> import tempfile, pathlib
>>> from buurtkaart.schema import LAYERS
>>> path = pathlib.Path(tempfile.mkdtemp()) / "w.gpkg"
>>> ws = Workspace.create(path, {}, municipality="Voorbeeld", fictional=True)
>>> ws.metadata["schema_version"], ws.is_fictional
('1', True)
>>> len(ws.read("addresses"))
0
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import sqlite3
import struct
import time
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry.base import BaseGeometry

from buurtkaart.errors import SchemaError, WorkspaceError
from buurtkaart.migrations import check_version
from buurtkaart.schema import LAYERS, SCHEMA_VERSION, WORKING_CRS, LayerSpec, layer_spec
from buurtkaart.texts import t

ENV_VAR = "BUURTKAART_WORKSPACE"
DEFAULT_PATH = Path("data") / "demo.gpkg"
_LOCK_TIMEOUT_S = 30.0
_SRS_ID = 31370


def resolve_path(path: str | os.PathLike[str] | None = None) -> Path | str:
    """The workspace path: the explicit ``path``, else ``$BUURTKAART_WORKSPACE``, else ``data/demo.gpkg``.

    A server URL (``postgresql://...``) is returned unchanged as a string (see :func:`is_server_url`).
    """
    location = path or os.environ.get(ENV_VAR)
    if is_server_url(location):
        return str(location)
    return Path(location) if location else DEFAULT_PATH


# --------------------------------------------------------------------------------------------- server store hook
# A ``postgresql://`` location opens the PostGIS backend (buurtkaart.pg_workspace, a subclass of Workspace with
# the same API); every other location is a GeoPackage file. These three functions are the only dispatch.
def is_server_url(location: object) -> bool:
    """True for a PostgreSQL URL (``postgresql://`` or ``postgres://``)."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def workspace_at(location: str | os.PathLike[str]) -> Workspace:
    """The workspace at ``location`` (file path or server URL) without the opening checks (for cached readers)."""
    if is_server_url(location):
        from buurtkaart.pg_workspace import PostgisWorkspace

        return PostgisWorkspace(str(location))
    return Workspace(Path(location))


def location_exists(location: str | os.PathLike[str]) -> bool:
    """True when a workspace (file, or server schema) exists at ``location``."""
    if is_server_url(location):
        return "metadata" in workspace_at(location).layer_names()
    return Path(location).exists()


# --------------------------------------------------------------------------------------------- validation
def conform(name: str, frame: pd.DataFrame, *, repair: bool = False) -> gpd.GeoDataFrame | pd.DataFrame:
    """Check ``frame`` against the spec of layer ``name`` and return it with the schema's columns and dtypes.

    Every problem is gathered into one :class:`SchemaError` (missing columns, no or wrong CRS, wrong or empty
    or invalid geometries, duplicate or empty keys). Optional columns that are missing are added empty; extra
    columns are kept. Single polygons are promoted to multipolygons where the layer holds multipolygons. With
    ``repair=True`` invalid polygons are repaired with ``shapely.make_valid`` instead of refused.
    """
    spec = layer_spec(name)
    problems: list[str] = []
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        problems.append(t("schema.missing_columns", columns=", ".join(missing)))
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
    problems = []
    if frame.crs is None:
        problems.append(t("schema.no_crs"))
    elif not frame.crs.equals(WORKING_CRS):
        problems.append(t("schema.wrong_crs", crs=frame.crs.to_string(), expected=WORKING_CRS))
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


# --------------------------------------------------------------------------------------------- GeoPackage blobs
def gpkg_geometry_blob(geom: BaseGeometry | None, srs_id: int = _SRS_ID) -> bytes | None:
    """Encode ``geom`` as a GeoPackage geometry blob (header without envelope + WKB), for plain SQL inserts.

    >>> len(gpkg_geometry_blob(shapely.Point(1, 2)))
    29
    """
    if geom is None:
        return None
    flags = 0x01 | (0x10 if geom.is_empty else 0)  # little-endian, no envelope, empty flag
    return b"GP" + struct.pack("<BBi", 0, flags, srs_id) + shapely.to_wkb(geom, byte_order=1)


def geometry_from_blob(blob: bytes | None) -> BaseGeometry | None:
    """Decode a GeoPackage geometry blob (any envelope) back to a shapely geometry."""
    if blob is None:
        return None
    flags = blob[3]
    envelope_len = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 0x07]
    return shapely.from_wkb(bytes(blob[8 + envelope_len:]))


# --------------------------------------------------------------------------------------------- workspace
class Workspace:
    """A buurtkaart workspace file. Open with :meth:`open`, make a new one with :meth:`create`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    # ---- opening
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Workspace:
        """Open an existing workspace, checking that it is one and that its schema version is ours."""
        location = resolve_path(path)
        if isinstance(location, str):  # server store hook
            from buurtkaart.pg_workspace import PostgisWorkspace

            return PostgisWorkspace.open(location)
        ws = cls(location)
        if not ws.path.exists():
            raise WorkspaceError(t("workspace.not_found", path=ws.path), problems=[t("workspace.env_hint")])
        check_version(ws.path, ws.metadata.get("schema_version"))
        return ws

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        layers: Mapping[str, pd.DataFrame],
        *,
        municipality: str,
        fictional: bool = False,
        metadata: Mapping[str, str] | None = None,
        overwrite: bool = False,
    ) -> Workspace:
        """Create a workspace at ``path`` with ``layers`` (missing layers are created empty), atomically."""
        if is_server_url(path):  # server store hook
            from buurtkaart.pg_workspace import PostgisWorkspace

            return PostgisWorkspace.create(path, layers, municipality=municipality, fictional=fictional,
                                           metadata=metadata, overwrite=overwrite)
        ws = cls(Path(path))
        if ws.path.exists() and not overwrite:
            raise WorkspaceError(t("workspace.write_failed", path=ws.path, reason="bestand bestaat al"))
        ws.path.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "municipality": municipality,
            "fictional": "true" if fictional else "false",
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **(metadata or {}),
        }
        all_layers = {name: spec.empty() for name, spec in LAYERS.items() if name != "metadata"}
        all_layers.update(layers)
        all_layers["metadata"] = pd.DataFrame({"key": list(meta), "value": list(meta.values())})
        ws._replace(all_layers, start_empty=True)
        return ws

    # ---- reading
    @property
    def metadata(self) -> dict[str, str]:
        """The key/value metadata of the workspace (schema_version, municipality, fictional, ...)."""
        try:
            frame = pyogrio.read_dataframe(self.path, layer="metadata")
        except Exception as exc:  # pyogrio raises DataSourceError/DataLayerError for non-GPKG or no table
            if "metadata" in str(exc) or "not found" in str(exc).lower():
                return {}
            raise WorkspaceError(t("workspace.not_gpkg", path=self.path, reason=exc)) from exc
        return dict(zip(frame["key"].astype(str), frame["value"].astype(str), strict=True))

    @property
    def is_fictional(self) -> bool:
        """True for the generated demo town: every view must say so."""
        return self.metadata.get("fictional") == "true"

    @property
    def version_token(self) -> tuple[int, int]:
        """Changes whenever the file changes: a cache key for readers (``st.cache_data``)."""
        stat = self.path.stat()
        return (stat.st_mtime_ns, stat.st_size)

    def layer_names(self) -> list[str]:
        """Names of the layers stored in the file."""
        return [str(name) for name in pyogrio.list_layers(self.path)[:, 0]]

    def read(
        self, name: str, *, columns: list[str] | None = None, where: str | None = None
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        """Read layer ``name`` with the schema's dtypes; an absent layer reads as an empty frame.

        ``where`` is an OGR SQL filter (e.g. ``"group_id = 'G01'"``), ``columns`` limits the attributes read.
        """
        spec = layer_spec(name) if name in LAYERS else None
        if name not in self.layer_names():
            if spec is None:
                raise WorkspaceError(t("schema.unknown_layer", layer=name, known=", ".join(self.layer_names())))
            return spec.empty()
        frame = pyogrio.read_dataframe(self.path, layer=name, columns=columns, where=where, use_arrow=True)
        if spec is None:
            return frame
        for column, dtype in spec.columns.items():
            if column in frame.columns:
                frame[column] = _cast(frame[column], dtype)
        is_geo = spec.geometry_type is not None and isinstance(frame, gpd.GeoDataFrame)
        if is_geo and (frame.crs is None or not frame.crs.equals(WORKING_CRS)):
            frame = frame.set_crs(WORKING_CRS, allow_override=True)
        return frame

    def info(self) -> list[dict[str, object]]:
        """One row per stored layer: name, feature count, geometry type, CRS."""
        rows = []
        for name, geometry_type in pyogrio.list_layers(self.path):
            meta = pyogrio.read_info(self.path, layer=name)
            crs = meta.get("crs")
            rows.append(
                {
                    "layer": str(name),
                    "features": int(meta["features"]),
                    "geometry_type": geometry_type or "",
                    "crs": crs or "",
                    "personal": bool(name in LAYERS and LAYERS[name].personal),
                }
            )
        return rows

    # ---- writing
    def write(self, layers: Mapping[str, pd.DataFrame], *, repair: bool = False) -> None:
        """Replace the given layers, all or nothing. Each frame is checked against the schema first."""
        checked = {name: (conform(name, frame, repair=repair) if name in LAYERS else frame)
                   for name, frame in layers.items()}
        self._replace(checked)

    def set_metadata(self, **values: str) -> None:
        """Add or change metadata keys (atomically)."""
        meta = {**self.metadata, **{k: str(v) for k, v in values.items()}}
        self._replace({"metadata": pd.DataFrame({"key": list(meta), "value": list(meta.values())})})

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A SQLite connection inside ``BEGIN IMMEDIATE`` under the workspace lock; commits on success."""
        with self.lock():
            con = sqlite3.connect(self.path, timeout=_LOCK_TIMEOUT_S, isolation_level=None)
            try:
                con.execute("BEGIN IMMEDIATE")
                yield con
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            finally:
                con.close()

    @contextlib.contextmanager
    def lock(self, timeout_s: float = _LOCK_TIMEOUT_S) -> Iterator[None]:
        """Exclusive lock shared by every writer of this workspace (re-entrant within one thread is not supported)."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
        deadline = time.monotonic() + timeout_s
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise WorkspaceError(t("workspace.locked", path=self.path)) from None
                    time.sleep(0.01)
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _replace(self, layers: Mapping[str, pd.DataFrame], *, start_empty: bool = False) -> None:
        tmp = self.path.with_name(f".{self.path.stem}.{uuid.uuid4().hex}.tmp.gpkg")
        with self.lock():
            try:
                if self.path.exists() and not start_empty:
                    src = sqlite3.connect(self.path)
                    dst = sqlite3.connect(tmp)
                    try:
                        src.backup(dst)
                    finally:
                        src.close()
                        dst.close()
                for name, frame in layers.items():
                    _write_layer(tmp, name, frame)
                con = sqlite3.connect(tmp)
                try:
                    ok = con.execute("PRAGMA quick_check").fetchone()[0]
                finally:
                    con.close()
                if ok != "ok":
                    raise OSError(f"quick_check: {ok}")
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
                _fsync_dir(self.path.parent)
            except SchemaError:
                raise
            except Exception as exc:
                raise WorkspaceError(t("workspace.write_failed", path=self.path, reason=exc)) from exc
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()


def _write_layer(path: Path, name: str, frame: pd.DataFrame) -> None:
    spec = LAYERS.get(name)
    if isinstance(frame, gpd.GeoDataFrame):
        geometry_type = spec.geometry_type if spec is not None else None
        pyogrio.write_dataframe(
            frame,
            path,
            layer=name,
            driver="GPKG",
            geometry_type=geometry_type,
            layer_options={"SPATIAL_INDEX": "NO"},
        )
    else:
        pyogrio.write_dataframe(pd.DataFrame(frame), path, layer=name, driver="GPKG")


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
