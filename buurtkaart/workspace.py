"""The workspace: one GeoPackage file holding every layer of one municipality, in EPSG:31370.

This module is the only one that reads or writes the file. The file is in SQLite's WAL mode and is only ever
changed in place, inside one SQLite transaction, under one exclusive lock (``<file>.lock``, the maintained
``filelock`` library, which also works on Windows):

* :meth:`Workspace.write` replaces whole layers: every given layer is emptied and refilled with plain SQL
  (:mod:`buurtkaart._gpkg`) inside one ``BEGIN IMMEDIATE`` transaction. Readers (GDAL, other sessions) keep
  reading the last committed state until the commit and then see the new one: never an error, never half a
  layer. The file is never replaced while someone may have it open.
* :meth:`Workspace.transaction` yields a ``sqlite3`` connection inside ``BEGIN IMMEDIATE`` for small record
  changes (one member, one audit line); :func:`gpkg_geometry_blob` encodes a geometry for SQL inserts.

A writer killed half-way leaves uncommitted frames in ``<file>-wal``; SQLite ignores them on the next open, by
a reader too (no hot journal that only a read-write open could roll back). A file from before WAL mode is
switched to it under the lock by the first :meth:`Workspace.open`, which rolls back a crashed writer's journal.

A ``postgresql://`` location opens the server store instead (:mod:`buurtkaart.pg_workspace`, a subclass with the
same API); :func:`is_server_url`, :func:`workspace_at`, :func:`location_exists` and the hooks in :meth:`Workspace.open`
and :meth:`Workspace.create` are the only dispatch.

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
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import filelock
import geopandas as gpd
import pandas as pd
import pyogrio

from buurtkaart._conform import _cast, conform
from buurtkaart._gpkg import geometry_from_blob, gpkg_geometry_blob, replace_rows
from buurtkaart.errors import BuurtkaartError, SchemaError, WorkspaceError
from buurtkaart.migrations import check_version
from buurtkaart.schema import LAYERS, SCHEMA_VERSION, WORKING_CRS, layer_spec
from buurtkaart.texts import t

__all__ = ["Workspace", "_cast", "conform", "geometry_from_blob", "gpkg_geometry_blob", "is_server_url",
           "location_exists", "resolve_path", "workspace_at"]

ENV_VAR = "BUURTKAART_WORKSPACE"
DEFAULT_PATH = Path("data") / "demo.gpkg"
_LOCK_TIMEOUT_S = 30.0
_LOCK_POLL_S = 0.005
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: Layers changed only record by record (buurtkaart._records inside :meth:`Workspace.transaction`), never replaced
#: whole: the accounts, the members, the append-only audit log (its triggers would go with it) and login counts.
RECORD_ONLY_LAYERS = ("users", "members", "audit_log", "login_attempts")
#: Name of the temporary file a new workspace is built in beside its place (older versions made such copies too).
_TMP_PREFIX, _TMP_SUFFIX = ".{stem}.", ".tmp.gpkg"


def refuse_record_only(layers: Mapping[str, object]) -> None:
    """Refuse a whole-layer write of a layer of :data:`RECORD_ONLY_LAYERS` (both backends)."""
    protected = [name for name in layers if name in RECORD_ONLY_LAYERS]
    if protected:
        raise WorkspaceError(t("workspace.record_only", layers=", ".join(protected)))


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


# --------------------------------------------------------------------------------------------- workspace
class Workspace:
    """A buurtkaart workspace file. Open with :meth:`open`, make a new one with :meth:`create`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    # ---- opening
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Workspace:
        """Open an existing workspace, checking that it is one and that its schema version is ours.

        A file left by a crashed writer of an older version (rollback journal) is recovered first, under the lock.
        A server URL opens a :class:`~buurtkaart.pg_workspace.PostgisWorkspace`.
        """
        location = resolve_path(path)
        if isinstance(location, str):  # server store hook
            from buurtkaart.pg_workspace import PostgisWorkspace

            return PostgisWorkspace.open(location)
        ws = cls(location)
        if not ws.path.exists():
            raise WorkspaceError(t("workspace.not_found", path=ws.path), problems=[t("workspace.env_hint")])
        ws._ensure_wal()
        check_version(ws.path, ws.metadata.get("schema_version"))
        ws.remove_stale_copies()
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
        """Create a workspace at ``path`` with ``layers`` (missing layers are created empty), atomically.

        With ``overwrite`` an existing workspace gets the new content in one transaction (see :meth:`load_from`).
        A server URL creates a :class:`~buurtkaart.pg_workspace.PostgisWorkspace`.
        """
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
        tmp = ws.path.with_name(f"{_TMP_PREFIX.format(stem=ws.path.stem)}{uuid.uuid4().hex}{_TMP_SUFFIX}")
        try:
            with ws.lock():  # under the lock: no other process's open takes the copy for a stale one
                for name, frame in all_layers.items():
                    _write_layer(tmp, name, frame)
                    os.chmod(tmp, 0o600)  # GDAL creates a new file with the umask's mode: private at once
                _set_wal(tmp)
                if not ws.path.exists():  # the workspace holds personal data: readable by its owner only
                    os.close(os.open(ws.path, os.O_CREAT | os.O_WRONLY, 0o600))
                os.chmod(ws.path, 0o600)
                ws.load_from(tmp)
        except (SchemaError, WorkspaceError):
            raise
        except Exception as exc:
            raise WorkspaceError(t("workspace.write_failed", path=ws.path, reason=exc)) from exc
        finally:
            for file in (tmp, _sidecar(tmp, "-wal"), _sidecar(tmp, "-shm")):
                with contextlib.suppress(FileNotFoundError):
                    file.unlink()
        return ws

    # ---- reading
    @property
    def metadata(self) -> dict[str, str]:
        """The key/value metadata of the workspace (schema_version, municipality, fictional, ...)."""
        try:
            frame = pyogrio.read_dataframe(self.path, layer="metadata")
        except Exception as exc:  # pyogrio raises DataSourceError/DataLayerError for non-GPKG or no table
            if not self.path.exists():  # no server path and no GDAL text for whoever reads this (the app)
                raise WorkspaceError(t("workspace.gone")) from None
            if "metadata" in str(exc) or "not found" in str(exc).lower():
                return {}
            raise WorkspaceError(t("workspace.not_gpkg", name=self.path.name)) from None
        return dict(zip(frame["key"].astype(str), frame["value"].astype(str), strict=True))

    @property
    def is_fictional(self) -> bool:
        """True for the generated demo town: every view must say so."""
        return self.metadata.get("fictional") == "true"

    def child_location(self) -> str:
        """Where another process of this user opens this workspace (:func:`workspace_at`); for a server store the
        full URL, password included, so hand it over privately (a pipe), never on a command line."""
        return str(self.path)

    @property
    def version_token(self) -> tuple[int, ...]:
        """Changes whenever the stored data changes, and only then: a cache key for readers (``st.cache_data``,
        the app's shared indexes and maps).

        In WAL mode a commit lands in ``<file>-wal`` first, so both files count; but an empty ``-wal`` counts as
        absent. Every reader that opens the file while no other connection is open creates an empty ``-wal`` (a
        new modification time each time) and the last one to close deletes it, so under many readers the file
        comes and goes without any change of data; counting it made every shared cache miss under load (the
        resident index rebuilt for a search). Readers never write a frame: a ``-wal`` with frames in it is a
        writer's, and when it is checkpointed into the file the file's own time changes."""
        token: list[int] = []
        for file in (self.path, _sidecar(self.path, "-wal")):
            try:
                stat = file.stat()
            except FileNotFoundError:
                token += [0, 0]
            else:
                token += [stat.st_mtime_ns, stat.st_size] if stat.st_size or file == self.path else [0, 0]
        return tuple(token)

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
        """Replace the given layers, all or nothing, in one transaction. Each frame is checked against the schema
        first; a reader sees every given layer old or every given layer new.

        The layers of :data:`RECORD_ONLY_LAYERS` are refused: they change only record by record, audited.
        """
        refuse_record_only(layers)
        checked = {name: (conform(name, frame, repair=repair) if name in LAYERS else frame)
                   for name, frame in layers.items()}
        try:
            with self.transaction() as con:
                for name, frame in checked.items():
                    spec = LAYERS.get(name)
                    replace_rows(con, name, frame, dtypes=spec.columns if spec else None,
                                 geometry_type=spec.geometry_type if spec else None)
        except (SchemaError, WorkspaceError):
            raise
        except Exception as exc:
            raise WorkspaceError(t("workspace.write_failed", path=self.path, reason=exc)) from exc

    def set_metadata(self, **values: str) -> None:
        """Add or change metadata keys (atomically)."""
        with self.lock():
            meta = {**self.metadata, **{k: str(v) for k, v in values.items()}}
            self.write({"metadata": pd.DataFrame({"key": list(meta), "value": list(meta.values())})})

    def load_from(self, source: str | os.PathLike[str]) -> None:
        """Make the whole workspace a copy of the workspace file ``source``, in one transaction (SQLite backup
        API into the live file; readers see the old or the new content). A missing target is created."""
        source = Path(source)
        with self.lock():
            if self.path.exists() and self.path.stat().st_size and _journal_is_wal(self.path) is None:
                self.path.unlink()  # not SQLite at all (overwrite of a broken file): no reader can have it open
            if not self.path.exists():
                for stale in (_sidecar(self.path, "-wal"), _sidecar(self.path, "-shm")):
                    with contextlib.suppress(FileNotFoundError):
                        stale.unlink()  # left by a deleted file: must not be applied to the new one
            src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
            dst = _connect(self.path)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=WAL")
                ok = dst.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                src.close()
                dst.close()
            if ok != "ok":
                raise WorkspaceError(t("workspace.write_failed", path=self.path, reason=f"quick_check: {ok}"))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A SQLite connection inside ``BEGIN IMMEDIATE`` under the workspace lock; commits on success.

        A failure of the disk or the file (full, read-only, gone: ``sqlite3.OperationalError`` or ``OSError``) rolls
        back and becomes a Dutch :class:`WorkspaceError` without the file's path or SQLite's English text.
        """
        try:
            with self.lock():
                self._ensure_wal()
                con = _connect(self.path)
                try:
                    con.execute("BEGIN IMMEDIATE")
                    yield con
                    con.execute("COMMIT")
                except BaseException:
                    if con.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            con.execute("ROLLBACK")
                    raise
                finally:
                    con.close()
        except BuurtkaartError:  # our own errors (PermissionDenied, WorkspaceError are OSErrors too) pass as they are
            raise
        except (sqlite3.OperationalError, OSError) as exc:
            raise WorkspaceError(t("workspace.change_failed")) from exc

    def remove_stale_copies(self) -> int:
        """Remove temporary files that a killed create (or a whole-layer write of an older version) left (they may hold
        personal data that was erased since); only when no write is running. Returns how many were removed."""
        try:
            with self.lock(timeout_s=0):
                stale = list(self.path.parent.glob(f"{_TMP_PREFIX.format(stem=self.path.stem)}*{_TMP_SUFFIX}"))
                for path in stale:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
        except WorkspaceError:  # a write is running
            return 0
        return len(stale)

    @contextlib.contextmanager
    def lock(self, timeout_s: float = _LOCK_TIMEOUT_S) -> Iterator[None]:
        """Exclusive lock shared by every writer of this workspace, across processes and threads (``filelock``).

        Re-entrant within one thread: a method holding the lock may call another that takes it.
        """
        file_lock = _file_lock(self.path.with_name(self.path.name + ".lock"))
        try:
            file_lock.acquire(timeout=timeout_s, poll_interval=_LOCK_POLL_S)
        except filelock.Timeout:
            raise WorkspaceError(t("workspace.locked", path=self.path)) from None
        try:
            yield
        finally:
            file_lock.release()

    def _ensure_wal(self) -> None:
        """Switch a workspace from before WAL mode to it, once, under the lock. Opening it read-write on the way
        rolls back the journal a crashed writer left, so no later read-only open sees a broken file."""
        if _journal_is_wal(self.path) is not False:
            return
        hot = _sidecar(self.path, "-journal")
        try:
            with self.lock():
                if _journal_is_wal(self.path) is False:
                    _set_wal(self.path)
        except (OSError, sqlite3.Error, WorkspaceError) as exc:
            if hot.exists():  # a crashed writer's journal that only a read-write open can roll back
                raise WorkspaceError(t("workspace.recover_failed", path=self.path, reason=exc)) from exc
            return  # a read-only copy (no rights to write) without a journal reads fine in its old mode


_LOCKS: dict[tuple[int, str], filelock.FileLock] = {}
_LOCKS_GUARD = threading.Lock()


def _file_lock(lock_path: Path) -> filelock.FileLock:
    """One lock object per lock file and process (its count is per thread), so the lock is re-entrant; a forked
    child gets its own."""
    key = (os.getpid(), str(lock_path.resolve()))
    with _LOCKS_GUARD:
        if key not in _LOCKS:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            _LOCKS[key] = filelock.FileLock(key[1], mode=0o600, thread_local=True)
        return _LOCKS[key]


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=_LOCK_TIMEOUT_S, isolation_level=None)
    con.execute("PRAGMA synchronous = FULL")  # a commit is on disk when COMMIT returns
    return con


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _journal_is_wal(path: Path) -> bool | None:
    """True/False from the file header (bytes 18-19 are 2 in WAL mode); None for a file that is not SQLite."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(20)
    except OSError:
        return None
    if len(header) < 20 or not header.startswith(_SQLITE_MAGIC):
        return None
    return header[18] == 2 and header[19] == 2


def _set_wal(path: Path) -> None:
    con = sqlite3.connect(path, timeout=_LOCK_TIMEOUT_S, isolation_level=None)
    try:
        mode = con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    finally:
        con.close()
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError(f"journal_mode={mode}")


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

