"""Backups of a workspace: :func:`backup` makes a consistent copy while the app keeps running (SQLite's online
backup API reads one snapshot), checks it (``PRAGMA integrity_check`` and the schema version) and keeps the last
``keep`` copies; :func:`restore` brings one back as a new state of the live file, in one transaction.

A restore first backs up the current state (so it can be undone), keeps the audit log (the log of the restored copy
is a prefix of the current one: the lines written since are added back, with one line for the restore itself) and
erases again every person erased since the copy was made (GDPR: a restore must not bring them back).

>>> import tempfile, pathlib
>>> from buurtkaart.workspace import Workspace, is_server_url
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> ws = Workspace.create(folder / "w.gpkg", {}, municipality="Voorbeeld", fictional=True)
>>> copy = backup(ws, folder / "kopieen", keep=2)
>>> [b.path == copy for b in list_backups(ws, folder / "kopieen")]
[True]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from buurtkaart.errors import InputError, WorkspaceError
from buurtkaart.members import audit
from buurtkaart.schema import SCHEMA_VERSION
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, is_server_url

DEFAULT_KEEP = 14
_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class Backup:
    """One backup file: its path, when it was made (UTC, from its name) and its size."""

    path: Path
    made_at: dt.datetime
    size_bytes: int


def default_folder(ws: Workspace) -> Path:
    """``backups/`` next to the workspace file."""
    _require_file(ws)
    return ws.path.parent / "backups"


def _require_file(ws: Workspace) -> None:
    """Backups here are of a GeoPackage file; a server workspace is backed up by its database (or copied)."""
    if is_server_url(str(ws.path)):
        raise WorkspaceError(t("backup.server", path=ws.path))


def backup(ws: Workspace, folder: str | os.PathLike[str] | None = None, *, keep: int | None = DEFAULT_KEEP
           ) -> Path:
    """Copy the workspace into ``folder`` (default :func:`default_folder`) as ``<name>-<UTC time>.gpkg``, check
    the copy, and delete the oldest copies beyond the last ``keep`` (None keeps all). Returns the new file."""
    _require_file(ws)
    if keep is not None and keep < 1:
        raise InputError(t("backup.bad_keep", keep=keep))
    target_dir = Path(folder) if folder is not None else default_folder(ws)
    try:
        src = _read_snapshot(ws)
        try:
            target = _copy(src, target_dir, ws.path.stem)
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise WorkspaceError(t("backup.failed", path=ws.path, reason=exc)) from exc
    if keep is not None:
        for old in list_backups(ws, target_dir)[:-keep]:
            old.path.unlink()
    return target


def _read_snapshot(ws: Workspace) -> sqlite3.Connection:
    """A read-only connection to the live file inside a read transaction: everything read through it (the copy,
    the audit log) is one snapshot, whatever writers commit meanwhile (WAL)."""
    con = sqlite3.connect(ws.path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30.0, isolation_level=None)
    con.execute("BEGIN")
    con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the snapshot starts at the first read
    return con


def _copy(src: sqlite3.Connection, target_dir: Path, stem: str) -> Path:
    """Copy what ``src`` sees into ``target_dir`` as ``<stem>-<UTC time>.gpkg``, checked, under a new name."""
    target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = dt.datetime.now(dt.UTC).strftime(_STAMP)
    target = target_dir / f"{stem}-{stamp}.gpkg"
    tmp = target_dir / f".{target.name}.tmp"
    try:
        dst = sqlite3.connect(tmp, isolation_level=None)
        try:
            src.backup(dst)  # all pages in one step: one consistent snapshot, writers are not blocked (WAL)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
        os.chmod(tmp, 0o600)  # personal data: only the owner reads it
        check_backup(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)  # a new name nobody has open
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target


def list_backups(ws: Workspace, folder: str | os.PathLike[str] | None = None) -> list[Backup]:
    """The backups of ``ws`` in ``folder``, oldest first."""
    _require_file(ws)
    target_dir = Path(folder) if folder is not None else default_folder(ws)
    found = []
    for path in target_dir.glob(f"{ws.path.stem}-*.gpkg"):
        try:
            made_at = dt.datetime.strptime(path.stem.rsplit("-", 1)[1], _STAMP).replace(tzinfo=dt.UTC)
        except ValueError:
            continue  # not one of ours
        found.append(Backup(path, made_at, path.stat().st_size))
    return sorted(found, key=lambda b: b.made_at)


def check_backup(path: str | os.PathLike[str]) -> None:
    """Raise :class:`WorkspaceError` unless ``path`` is an intact workspace of this schema version."""
    path = Path(path)
    problems = []
    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
            row = con.execute("SELECT value FROM metadata WHERE key = 'schema_version'").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise WorkspaceError(t("backup.not_a_backup", path=path.name, reason=exc)) from exc
    if integrity != "ok":
        problems.append(t("backup.integrity", result=integrity))
    if row is None or str(row[0]) != str(SCHEMA_VERSION):
        problems.append(t("backup.version", found=row[0] if row else "?", expected=SCHEMA_VERSION))
    if problems:
        raise WorkspaceError(t("backup.not_a_backup", path=path.name, reason=t("backup.see_below")),
                             problems=problems)


def restore(ws: Workspace, path: str | os.PathLike[str], *, actor: Any = audit.CLI_ACTOR,
            folder: str | os.PathLike[str] | None = None) -> Path:
    """Bring backup ``path`` back as the new content of ``ws``, in one transaction. The current state is backed
    up first (into ``folder``); that copy's path is returned, so the restore can itself be undone.

    The safety copy, the audit lines carried over and the restore happen under one hold of the workspace lock,
    and the copy and the carried-over lines are read from one snapshot of the live file: no write can come in
    between and be lost (it is either in the safety copy, or made after the restore)."""
    _require_file(ws)
    source = Path(path)
    if not source.is_file():
        raise InputError(t("backup.not_found", path=source.name))
    check_backup(source)
    work = ws.path.with_name(f".{ws.path.stem}.restore.tmp.gpkg")
    target_dir = Path(folder) if folder is not None else default_folder(ws)
    with ws.lock():
        try:
            live = _read_snapshot(ws)
            try:
                before = _copy(live, target_dir, ws.path.stem)
                shutil.copyfile(source, work)
                _carry_over(live, work, source.name, actor=actor)
            finally:
                live.close()
            ws.load_from(work)
        except sqlite3.Error as exc:
            raise WorkspaceError(t("backup.failed", path=ws.path, reason=exc)) from exc
        finally:
            for file in (work, work.with_name(work.name + "-journal")):
                with contextlib.suppress(FileNotFoundError):
                    file.unlink()
    return before


def _carry_over(live: sqlite3.Connection, work: Path, name: str, *, actor: Any) -> None:
    """Into the copy to restore: the audit lines written since it was made (read from ``live``), the erasures since
    then done again, and one audit line for the restore."""
    con = sqlite3.connect(work, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        audit.prepare(con)
        restored_max = con.execute("SELECT COALESCE(MAX(log_id), 0) FROM audit_log").fetchone()[0]
        columns = [r[1] for r in con.execute("PRAGMA table_info(audit_log)") if r[1] != "fid"]
        live_columns = {r[1] for r in live.execute("PRAGMA table_info(audit_log)")}
        shared = [c for c in columns if c in live_columns]
        names = ", ".join(f'"{c}"' for c in shared)
        newer = live.execute(f"SELECT {names} FROM audit_log WHERE log_id > ? ORDER BY log_id",
                             (restored_max,)).fetchall() if shared else []
        con.executemany(f"INSERT INTO audit_log ({names}) VALUES ({', '.join('?' for _ in shared)})", newer)
        erased = [ids for row in newer for ids in _erased_ids(dict(zip(shared, row, strict=True)))]
        if erased and con.execute("SELECT 1 FROM sqlite_master WHERE name = 'members'").fetchone():
            con.execute("PRAGMA secure_delete = ON")
            con.executemany("DELETE FROM members WHERE member_id = ?", [(i,) for i in erased])
        audit.record(con, actor=actor, action="gewijzigd", subject="workspace", detail=f"reservekopie {name}")
        con.execute("COMMIT")
        if erased:
            con.execute("VACUUM")  # no free page of the copy keeps the erased rows
    finally:
        con.close()


def _erased_ids(line: dict[str, Any]) -> list[str]:
    if line.get("action") != "verwijderd" or line.get("subject") != "members" or not line.get("subject_ids"):
        return []
    return [i for i in str(line["subject_ids"]).split(",") if i]
