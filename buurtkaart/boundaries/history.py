"""Every save of the group areas is a version: author, time, reason, effective date, and the full groups layer.

Nothing is overwritten in place. :func:`save_groups` writes the new groups layer and appends a version (and,
the first time, a version of the state it replaces) in one SQLite transaction under the workspace lock, so two
staff members saving at once never lose a version. :func:`restore_version` saves an old version again as a new
one. The versions live in the tables ``group_versions`` (one row per version) and ``group_version_rows`` (one
row per group per version, geometry stored as the exact GeoPackage WKB).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart import _records
from buurtkaart.boundaries.impact import same_area
from buurtkaart.errors import InputError, NotFound, WorkspaceError
from buurtkaart.schema import LAYERS, WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, conform

SYSTEM_AUTHOR = "systeem"
_VERSIONS = "group_versions"
_ROWS = "group_version_rows"


def save_groups(
    ws: Workspace,
    groups: gpd.GeoDataFrame,
    *,
    author: str,
    reason: str,
    effective_on: str | dt.date | None = None,
    expected_version: int | None = None,
    restored_from: int | None = None,
    reassign_members: bool = True,
) -> int:
    """Replace the groups layer with ``groups`` and record it as a new version; returns the version id.

    ``effective_on`` (YYYY-MM-DD, default today) is the date from which the areas apply. ``expected_version``
    (the version the editor started from) refuses the save when someone else saved in between. With
    ``reassign_members`` the members whose group changes (``buurtkaart.assignment.bulk.reassign_members``) get
    their new group in the same transaction, with one audit line.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    groups : GeoDataFrame
        The whole new groups layer (EPSG:31370).
    author, reason : str
        Who saves and why (kept with the version).
    effective_on, expected_version, restored_from, reassign_members
        See above.

    Returns
    -------
    int
        The id of the new version.
    """
    problems = []
    if not str(author or "").strip():
        problems.append(t("boundaries.history.no_author"))
    if not str(reason or "").strip():
        problems.append(t("boundaries.history.no_reason"))
    effective = _iso_date(effective_on, problems)
    if problems:
        raise InputError(t("boundaries.history.save_refused"), problems=problems)
    frame = conform("groups", groups)
    moved = _member_changes(ws, frame) if reassign_members else None
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with ws.transaction() as con:
        for name in (_VERSIONS, _ROWS, "groups"):
            _records.ensure_table(con, name)
        latest = _latest(con)
        if expected_version is not None and expected_version != latest:
            raise WorkspaceError(t("boundaries.history.conflict", expected=expected_version, latest=latest))
        if latest == 0:
            current = _records.to_frame("groups", _records.select(con, "groups", with_geometry=True))
            if len(current):
                latest = 1
                _append_version(con, latest, current, author=SYSTEM_AUTHOR, saved_at=now,
                                reason=t("boundaries.history.initial_reason"), effective_on=None,
                                restored_from=None)
        version = latest + 1
        _append_version(con, version, frame, author=str(author).strip(), saved_at=now, reason=str(reason).strip(),
                        effective_on=effective, restored_from=restored_from)
        _replace_groups(con, frame)
        if moved is not None and len(moved):
            _apply_member_changes(con, moved, author=str(author).strip(), version=version)
    return version


def list_versions(ws: Workspace) -> pd.DataFrame:
    """Every version, newest first (version_id, saved_at, author, reason, effective_on, restored_from,
    group_count)."""
    frame = ws.read(_VERSIONS)
    return frame.sort_values("version_id", ascending=False).reset_index(drop=True)


def latest_version(ws: Workspace) -> int:
    """The id of the newest version (0 when nothing was saved through the history yet)."""
    versions = ws.read(_VERSIONS, columns=["version_id"])
    return int(versions["version_id"].max()) if len(versions) else 0


def read_version(ws: Workspace, version_id: int) -> gpd.GeoDataFrame:
    """The groups layer exactly as it was saved in version ``version_id``."""
    version_id = int(version_id)
    rows = ws.read(_ROWS, where=f"version_id = {version_id}")
    if len(rows) == 0 and version_id not in set(ws.read(_VERSIONS, columns=["version_id"])["version_id"]):
        raise NotFound(t("boundaries.history.unknown_version", version=version_id,
                         latest=latest_version(ws)))
    return _rows_to_groups(rows)


def compare_versions(ws: Workspace, old_id: int, new_id: int) -> gpd.GeoDataFrame:
    """Per group: added, removed, changed or unchanged between two versions, with the area in hectares before
    and after and the changed area (geometry) itself."""
    old, new = read_version(ws, old_id), read_version(ws, new_id)
    return compare_groups(old, new)


def compare_groups(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Per group id of either frame: ``change`` (added/removed/changed/renamed/unchanged), areas and the
    changed area; changed groups first, then by id."""
    before = old.set_index(old["group_id"].astype("str"))
    after = new.set_index(new["group_id"].astype("str"))
    rows, geoms = [], []
    for gid in sorted(set(before.index) | set(after.index)):
        a = before.geometry.get(gid)
        b = after.geometry.get(gid)
        if a is None:
            change, diff = "added", b
        elif b is None:
            change, diff = "removed", a
        elif not same_area(a, b):
            change, diff = "changed", shapely.symmetric_difference(a, b)
        elif str(before.at[gid, "name"]) != str(after.at[gid, "name"]):
            change, diff = "renamed", None
        else:
            change, diff = "unchanged", None
        name = after.at[gid, "name"] if b is not None else before.at[gid, "name"]
        rows.append({"group_id": gid, "name": name, "change": change,
                     "change_label": t(f"boundaries.history.change.{change}"),
                     "area_before_ha": round(a.area / 10_000, 3) if a is not None else np.nan,
                     "area_after_ha": round(b.area / 10_000, 3) if b is not None else np.nan})
        geoms.append(diff)
    if not rows:
        return gpd.GeoDataFrame({"group_id": [], "change": []}, geometry=[], crs=WORKING_CRS)
    out = gpd.GeoDataFrame(rows, geometry=geoms, crs=WORKING_CRS)
    order = out["change"].map({"added": 0, "removed": 1, "changed": 2, "renamed": 3, "unchanged": 4})
    return out.iloc[order.argsort(kind="stable")].reset_index(drop=True)  # changes first


def restore_version(ws: Workspace, version_id: int, *, author: str, reason: str | None = None,
                    effective_on: str | dt.date | None = None) -> int:
    """Save version ``version_id`` again as a new version (nothing is overwritten); returns the new id."""
    groups = read_version(ws, version_id)
    return save_groups(ws, groups, author=author,
                       reason=reason or t("boundaries.history.restore_reason", version=version_id),
                       effective_on=effective_on, restored_from=int(version_id))


def replace_group(groups: gpd.GeoDataFrame, group_id: str, geometry: Any, *, name: str | None = None
                  ) -> gpd.GeoDataFrame:
    """A copy of ``groups`` with the area of ``group_id`` replaced (or the group added), for one edit.

    >>> g = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]}, geometry=[shapely.box(0, 0, 1, 1)],
    ...                      crs="EPSG:31370")
    >>> replace_group(g, "G2", shapely.box(1, 0, 2, 1), name="Oost")["group_id"].tolist()
    ['G1', 'G2']
    """
    out = groups.copy()
    ids = out["group_id"].astype("str")
    geom = shapely.MultiPolygon([geometry]) if geometry.geom_type == "Polygon" else geometry
    if (ids == str(group_id)).any():
        pos = np.flatnonzero(ids == str(group_id))[0]
        label = out.index[pos]
        out.loc[label, "geometry"] = geom
        if name is not None:
            out.loc[label, "name"] = name
        return out
    row = gpd.GeoDataFrame({"group_id": [str(group_id)], "name": [name or str(group_id)]}, geometry=[geom],
                           crs=groups.crs or WORKING_CRS)
    return gpd.GeoDataFrame(pd.concat([out, row], ignore_index=True), crs=groups.crs or WORKING_CRS)


def remove_group(groups: gpd.GeoDataFrame, group_id: str) -> gpd.GeoDataFrame:
    """A copy of ``groups`` without ``group_id`` (a group that stops)."""
    keep = groups["group_id"].astype("str") != str(group_id)
    if keep.all():
        raise NotFound(t("boundaries.unknown_group", group=group_id, known=", ".join(groups["group_id"])))
    return groups[keep].copy()


# ------------------------------------------------------------------------------------------------ internals
def _iso_date(value: str | dt.date | None, problems: list[str]) -> str:
    if value is None or value == "":
        return dt.date.today().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        problems.append(t("boundaries.history.bad_date", value=value))
        return ""


def _latest(con: sqlite3.Connection) -> int:
    row = con.execute(f"SELECT MAX(version_id) FROM {_records.quote(_VERSIONS)}").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _append_version(con: sqlite3.Connection, version: int, groups: pd.DataFrame, *, author: str, saved_at: str,
                    reason: str, effective_on: str | None, restored_from: int | None) -> None:
    _records.insert(con, _VERSIONS, {"version_id": version, "saved_at": saved_at, "author": author,
                                     "reason": reason, "effective_on": effective_on,
                                     "restored_from": restored_from, "group_count": len(groups)})
    extra = [c for c in groups.columns if c not in ("group_id", "name", "geometry")]
    for row, geom in zip(groups.itertuples(index=False), groups.geometry.values, strict=True):
        values = row._asdict()
        attributes = {c: _plain(values.get(c)) for c in extra if c in values}
        _records.insert(con, _ROWS, {"row_id": f"{version}:{values['group_id']}", "version_id": version,
                                     "group_id": str(values["group_id"]), "name": _plain(values.get("name")),
                                     "attributes": json.dumps(attributes, ensure_ascii=False, sort_keys=True)},
                        geometry=geom)


def _member_changes(ws: Workspace, groups: gpd.GeoDataFrame) -> pd.DataFrame | None:
    """The members whose group changes under ``groups`` (computed before the transaction; members change only
    through the membership workflow, which takes the same lock, so a rare race only delays a re-assignment)."""
    if "members" not in ws.layer_names():
        return None
    from buurtkaart.assignment.bulk import reassign_members

    return reassign_members(ws, groups=groups)


def _apply_member_changes(con: sqlite3.Connection, moved: pd.DataFrame, *, author: str, version: int) -> None:
    from buurtkaart.members import audit

    for row in moved.itertuples(index=False):
        _records.update(con, "members", "member_id", str(row.member_id),
                        {"group_id": _plain(row.new_group_id), "assign_status": _plain(row.new_assign_status)})
    audit.record(con, actor=author, action="gewijzigd", subject="members",
                 subject_ids=moved["member_id"].astype(str).tolist(), count=len(moved),
                 detail=f"groepsgrenzen versie {version}: groep opnieuw toegewezen")


def _replace_groups(con: sqlite3.Connection, groups: gpd.GeoDataFrame) -> None:
    table_columns = set(_records.table_columns(con, "groups"))
    con.execute("DELETE FROM groups")
    for row, geom in zip(groups.drop(columns="geometry").to_dict("records"), groups.geometry.values, strict=True):
        values = {c: _plain(v) for c, v in row.items() if c in table_columns}
        _records.insert(con, "groups", values, geometry=geom)


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _rows_to_groups(rows: pd.DataFrame) -> gpd.GeoDataFrame:
    if len(rows) == 0:
        return LAYERS["groups"].empty()
    rows = rows.reset_index(drop=True)  # read in fid order: the order of the saved frame
    attrs = pd.DataFrame([json.loads(a) if isinstance(a, str) and a else {} for a in rows["attributes"]])
    frame = pd.concat([rows[["group_id", "name"]], attrs], axis=1)
    out = gpd.GeoDataFrame(frame, geometry=rows.geometry.values, crs=WORKING_CRS)
    return conform("groups", out)

