"""Schema versions and upgrades, for both backends (GeoPackage file and PostGIS server).

A workspace records its ``schema_version`` in its metadata. :data:`STEPS` holds one step per version after the
first: ``STEPS[n]`` brings a workspace from version ``n - 1`` to ``n`` with plain SQL on the record connection
(the same ``?``-placeholder SQL runs on SQLite and PostgreSQL). :func:`upgrade` runs every missing step and the
version change in **one transaction**: all steps or none. A GeoPackage is first copied beside itself
(``<name>.schema<N>.bak.gpkg``).

Opening checks the version (:func:`check_version`): an older workspace is refused with the command that upgrades
it, a newer one (made by newer code) with the advice to update buurtkaart, both in Dutch.

A new version: raise :data:`buurtkaart.schema.SCHEMA_VERSION` and add its step here. Adding a layer or an optional
column needs no step (absent layers read as empty, :func:`buurtkaart._records.ensure_table` adds columns).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from buurtkaart import schema
from buurtkaart.errors import WorkspaceError
from buurtkaart.texts import t


@dataclass(frozen=True)
class Step:
    """One upgrade step: ``apply(con)`` brings the workspace to ``version`` inside the caller's transaction."""

    version: int
    description: str
    apply: Callable[[Any], None]


#: The upgrade steps by the version they bring a workspace to (none yet: version 1 is the first).
STEPS: dict[int, Step] = {}


@dataclass
class UpgradeResult:
    """What :func:`upgrade` did: from which version to which, with which steps, and the backup file (GeoPackage)."""

    from_version: int
    to_version: int
    steps: list[str] = field(default_factory=list)
    backup: Path | None = None


def check_version(path: object, found: str | None, *, server: bool = False) -> None:
    """Refuse a workspace without a version, or of another schema version than this code's, saying what to do."""
    if found is None:
        raise WorkspaceError(t("workspace.no_metadata", path=path))
    current = schema.SCHEMA_VERSION
    if int(found) > current:
        raise WorkspaceError(t("workspace.version_newer", path=path, found=found, expected=current))
    if int(found) < current:
        key = "workspace.version_older_server" if server else "workspace.version_older"
        raise WorkspaceError(t(key, path=path, found=found, expected=current))


def upgrade(location: str | os.PathLike[str]) -> UpgradeResult:
    """Bring the workspace at ``location`` to the current schema version, in one transaction.

    Does nothing for a current workspace; refuses a newer one and one without a version.
    """
    from buurtkaart.workspace import is_server_url, location_exists, workspace_at

    if not location_exists(location):
        raise WorkspaceError(t("workspace.not_found", path=location), problems=[t("workspace.env_hint")])
    ws = workspace_at(location)
    found = ws.metadata.get("schema_version")
    if found is None:
        raise WorkspaceError(t("workspace.no_metadata", path=ws.path))
    start, current = int(found), schema.SCHEMA_VERSION
    if start > current:
        check_version(ws.path, found)
    result = UpgradeResult(from_version=start, to_version=max(start, current))
    if start == current:
        return result
    missing = [v for v in range(start + 1, current + 1) if v not in STEPS]
    if missing:  # a gap in the list of steps is a programming error, but say it in words
        raise WorkspaceError(t("workspace.upgrade_failed", path=ws.path, reason=f"geen stap naar versie {missing[0]}"))
    if not is_server_url(location):
        result.backup = _backup(Path(location), start)
    try:
        with ws.transaction() as con:
            for version in range(start + 1, current + 1):
                STEPS[version].apply(con)
                result.steps.append(STEPS[version].description)
            con.execute("UPDATE metadata SET value = ? WHERE key = 'schema_version'", (str(current),))
    except WorkspaceError as exc:
        if exc.__cause__ is None:  # our own message (a locked workspace, ...)
            raise
        # a database error inside a step, already made Dutch by the transaction: say it was the upgrade
        raise WorkspaceError(t("workspace.upgrade_failed", path=ws.path,
                               reason=type(exc.__cause__).__name__)) from exc
    except Exception as exc:
        raise WorkspaceError(t("workspace.upgrade_failed", path=ws.path, reason=type(exc).__name__)) from exc
    return result


def _backup(path: Path, version: int) -> Path:
    """Copy the GeoPackage beside itself before upgrading it (SQLite's online backup)."""
    target = path.with_name(f"{path.stem}.schema{version}.bak.gpkg")
    src, dst = sqlite3.connect(path), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target
