"""The members layer from a file that buurtkaart exported (``buurtkaart export members``, in any format: CSV,
Excel, GeoPackage, GeoJSON, shapefile, KML), recognised by its ``member_id`` column.

A member whose ``member_id`` is stored gets the file's values (status, dates, group, notes ... as written) when
they really differ (NA and None alike, dates as text, the point within 1 mm): only those rows are written and
audited ``gewijzigd``, unchanged rows are not touched. A new ``member_id`` is added. A stored member missing from
the file is **kept** and counted in the report: an import never erases people by omission. Only with
``remove_missing`` are they erased (as in :func:`buurtkaart.members.gdpr.erase_person`, audited ``verwijderd``, file
compacted), and then a file that would keep fewer than half of 10 or more stored members is refused unless
``force``. The workflow fields are checked
first: a status outside :data:`buurtkaart.vocabulary.MEMBER_STATUSES`, a date that is no date, an unknown group, an id
used twice, a phone number or e-mail address that is none: every such row is listed in one Dutch error.

A member list without ``member_id`` (the municipality's own list) is read by :mod:`buurtkaart.importers.members`:
its people are added, those already present skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd
import shapely

from buurtkaart import _records
from buurtkaart.importers import _validate as v
from buurtkaart.importers._guard import check_not_shrinking
from buurtkaart.importers._layer_file import layer_rows
from buurtkaart.importers.report import ImportReport
from buurtkaart.members import audit
from buurtkaart.members.membership import normalise_phone
from buurtkaart.texts import t
from buurtkaart.vocabulary import MEMBER_STATUSES
from buurtkaart.workspace import Workspace

if TYPE_CHECKING:
    from buurtkaart.importers.members import MemberImport

#: The member columns that hold a date (ISO ``YYYY-MM-DD`` in the workspace).
DATE_COLUMNS = ("applied_on", "status_on", "declared_on", "screened_on", "added_on", "sticker_on", "left_on")
_SHOWN = 10
#: Two points of one member closer than this are the same point (a file's coordinates are rounded).
POINT_TOLERANCE_M = 0.001


def read_member_layer(raw: pd.DataFrame, workspace: Workspace, report: ImportReport, *, crs: str | None = None,
                      force: bool = False, remove_missing: bool = False) -> MemberImport:
    """Check an exported members file (``raw``, as read) against ``workspace``; nothing is written yet."""
    from buurtkaart.importers.members import _EMAIL, _PHONE, MemberImport, iso_dates

    problems = v.Problems()
    frame = layer_rows(raw, "members", problems, report, crs=crs)
    problems.raise_if_any(report.source)
    frame["phone"] = frame["phone"].map(normalise_phone, na_action="ignore").astype("str")
    frame["email"] = frame["email"].str.lower()
    frame["status"] = frame["status"].str.lower()
    v.duplicate_problems(frame["member_id"], "member_id", problems)
    groups = set(workspace.read("groups", columns=["group_id"])["group_id"].astype("str"))
    checks = [
        (frame["name"].isna(), "import.members_no_name", {}),
        (frame["address_text"].isna(), "import.members_no_address_rows", {}),
        (frame["phone"].notna() & ~frame["phone"].fillna("").str.match(_PHONE), "import.members_bad_phone", {}),
        (frame["email"].notna() & ~frame["email"].fillna("").str.match(_EMAIL), "import.members_bad_email", {}),
        (~frame["status"].isin(MEMBER_STATUSES), "import.members_bad_status", {"known": ", ".join(MEMBER_STATUSES)}),
        (frame["group_id"].notna() & ~frame["group_id"].isin(groups), "import.members_unknown_group",
         {"known": ", ".join(sorted(groups)) or "-"}),
        (frame["housenumber"].notna() & pd.to_numeric(frame["housenumber"], errors="coerce").isna(),
         "import.members_bad_housenumber", {}),
    ]
    for mask, key, values in checks:
        if mask.any():
            problems.add(t(key, rows=_rows(mask), **values))
    for column in DATE_COLUMNS:
        bad = iso_dates(frame[column])[1]
        if bad.any():
            problems.add(t("import.members_bad_dates", column=column, rows=_rows(bad)))
    problems.raise_if_any(report.source)
    for column in DATE_COLUMNS:
        frame[column] = iso_dates(frame[column])[0].astype("str")
    frame["housenumber"] = pd.to_numeric(frame["housenumber"], errors="coerce").astype("Int64")
    frame = frame.reset_index(drop=True)
    stored = _by_id(workspace.read("members").to_dict("records"))
    added, changed, unchanged = _compare(frame, stored)
    missing = sorted(set(stored) - set(frame["member_id"].astype("str")))
    if remove_missing:
        check_not_shrinking("members", stored=len(stored), kept=len(stored) - len(missing), new=len(frame),
                            force=force)
    report.note("import.note.members_layer", added=len(added), changed=len(changed), unchanged=len(unchanged),
                removed=len(missing) if remove_missing else 0)
    if missing and not remove_missing:
        report.note("import.note.members_missing_kept", count=len(missing))
    report.kept = len(frame)
    return MemberImport(frame, report, replace=True, remove_missing=remove_missing)


def store_member_layer(workspace: Workspace, members: MemberImport, *, actor: object = audit.CLI_ACTOR
                       ) -> list[str]:
    """Write the file's members in one transaction: new ones added, stored ones whose values differ rewritten,
    unchanged ones left alone, with an audit line per kind of change (added, changed, removed); returns the ids of
    the file. Stored members missing from the file are kept, unless ``members.remove_missing``: then they are
    erased for good (the file is compacted afterwards, as after an erasure)."""
    from buurtkaart.members import gdpr

    frame = members.frame
    ids = [str(i) for i in frame["member_id"]]
    with workspace.transaction() as con:
        _records.ensure_table(con, "members")
        stored = _by_id(_records.select(con, "members", with_geometry=True))
        added, changed, _ = _compare(frame, stored)
        removed = sorted(set(stored) - set(ids)) if members.remove_missing else []
        gdpr._erase(con, removed + changed)  # changed rows are written again below, with the file's values
        written = set(added) | set(changed)
        for _, row in frame.iterrows():
            if str(row["member_id"]) not in written:
                continue
            values = {k: (None if pd.isna(row[k]) else row[k]) for k in frame.columns if k != "geometry"}
            point = row.geometry if isinstance(row.geometry, shapely.Geometry) else None
            _records.insert(con, "members", values, geometry=None if point is None or point.is_empty else point)
        detail = f"import uit {members.report.source}"
        for action, subject_ids in (("aangemaakt", added), ("gewijzigd", changed), ("verwijderd", removed)):
            if subject_ids:
                audit.record(con, actor=actor, action=action, subject="members",  # type: ignore[arg-type]
                             subject_ids=subject_ids, detail=detail)
    if removed:
        gdpr._compact(workspace)
    return ids


def _by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(row["member_id"]): row for row in rows}


def _compare(frame: pd.DataFrame, stored: dict[str, dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    """The ids of ``frame`` that are new, that differ from their ``stored`` row, and that are the same."""
    added: list[str] = []
    changed: list[str] = []
    unchanged: list[str] = []
    columns = [c for c in frame.columns if c != "geometry"]
    for row in frame.to_dict("records"):
        member_id = str(row["member_id"])
        old = stored.get(member_id)
        if old is None:
            added.append(member_id)
        elif any(_plain(row.get(c)) != _plain(old.get(c)) for c in columns) or not _same_point(
                row.get("geometry"), old.get("geometry")):
            changed.append(member_id)
        else:
            unchanged.append(member_id)
    return added, changed, unchanged


def _plain(value: object) -> str | None:
    """A value as compared: missing (None, NA, NaN, empty text) is ``None``, a whole number has no ``.0``, a date
    is its ISO text, anything else its text.

    >>> [_plain(v) for v in (None, float("nan"), pd.NA, "", 12, 12.0, "12", pd.Timestamp("2025-01-02"))]
    [None, None, None, None, '12', '12', '12', '2025-01-02']
    """
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):  # type: ignore[call-overload]
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp | dt.date):
        return value.date().isoformat() if isinstance(value, pd.Timestamp) else value.isoformat()
    text = str(value).strip()
    return text or None


def _same_point(new: object, old: object) -> bool:
    """Both without a point, or both points within :data:`POINT_TOLERANCE_M` of each other."""
    new = new if isinstance(new, shapely.Geometry) and not new.is_empty else None
    old = old if isinstance(old, shapely.Geometry) and not old.is_empty else None
    if new is None or old is None:
        return new is None and old is None
    return bool(shapely.equals_exact(new, old, tolerance=POINT_TOLERANCE_M))


def _rows(mask: pd.Series) -> str:
    from buurtkaart.importers.members import _line

    numbers = [str(_line(label)) for label in mask.index[mask.to_numpy(dtype=bool)]]
    return ", ".join(numbers[:_SHOWN]) + (" ..." if len(numbers) > _SHOWN else "")
