"""A person's rights under the GDPR, and the retention period.

* :func:`export_person` — everything the workspace holds about one person (access request), as a dict or JSON.
* :func:`erase_person` — erase one person (erasure request).
* :func:`apply_retention` — erase refused candidates and members who left once the retention period
  (:data:`DEFAULT_RETENTION_DAYS`, or the workspace's metadata key ``retention_days``) has passed.

Erasing deletes the person's row with SQLite's ``secure_delete`` on and then rebuilds the file (``VACUUM``), so
that no deleted bytes stay behind in it. The audit log keeps only the random member id (``m-…``), which no
longer leads to anyone.
Only municipal staff (or the command line on the server) may do any of this; each act is written to the log.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from buurtkaart import _records
from buurtkaart.errors import InputError, NotFound
from buurtkaart.members import audit
from buurtkaart.members.actors import User, require_staff
from buurtkaart.texts import t
from buurtkaart.vocabulary import FINISHED_STATUSES, PENDING_STATUSES
from buurtkaart.workspace import Workspace

#: Days a refused candidate or a member who left is kept before being erased.
DEFAULT_RETENTION_DAYS = 180
#: Also erased after the retention period: candidates never screened or never added (counted from their last step).
_RETAINED = FINISHED_STATUSES + PENDING_STATUSES
_DUE = f"status IN ({', '.join('?' for _ in _RETAINED)}) AND status_on IS NOT NULL AND status_on <= ?"


_require_staff = require_staff


def person_exists(ws: Workspace, actor: User | str, member_id: str) -> bool:
    """Whether a candidate or member with reference ``member_id`` is on file (staff only; before offering an
    access export or an erasure, so that an unknown or mistyped reference is told at once)."""
    _require_staff(ws, actor)
    with _records.reader(ws) as con:
        rows = (_records.select(con, "members", where="member_id = ?", params=[member_id.strip()])
                if _records.table_columns(con, "members") else [])  # no members table yet: nobody is on file
    con.close()
    return bool(rows)


def export_person(ws: Workspace, actor: User | str, member_id: str) -> dict[str, Any]:
    """Everything about one person: their record (with the declaration texts they accepted) and the audit lines
    about them. Recorded as an export."""
    actor = _require_staff(ws, actor)
    with ws.transaction() as con:
        rows = _records.select(con, "members", where="member_id = ?", params=[member_id], with_geometry=True)
        if not rows:
            raise NotFound(t("members.person_not_found", member_id=member_id))
        audit.record(con, actor=actor, action="geexporteerd", subject="members", subject_ids=[member_id],
                     detail="inzageverzoek")
        lines = _records.select(con, "audit_log", where="(',' || subject_ids || ',') LIKE ?",
                                params=[f"%,{member_id},%"], order_by="log_id")
    record = {k: v for k, v in rows[0].items() if k != "geometry"}
    point = rows[0].get("geometry")
    if point is not None:
        record["x_lambert72"], record["y_lambert72"] = round(point.x, 1), round(point.y, 1)
    return {
        "persoon": record,
        "verklaring": {"versie": record.get("declaration_version"), "intentie": t("members.declaration_intent"),
                       "toestemming": t("members.declaration_consent")},
        "audit": [{k: line[k] for k in ("at", "actor", "role", "action", "detail")} for line in lines],
    }


def export_person_json(ws: Workspace, actor: User | str, member_id: str) -> bytes:
    """:func:`export_person` as indented UTF-8 JSON (to hand over to the person)."""
    return json.dumps(export_person(ws, actor, member_id), ensure_ascii=False, indent=2).encode("utf-8")


def _erase(con: sqlite3.Connection, member_ids: list[str]) -> None:
    if isinstance(con, sqlite3.Connection):
        con.execute("PRAGMA secure_delete = ON")
    for member_id in member_ids:
        con.execute("DELETE FROM members WHERE member_id = ?", (member_id,))


def _compact(ws: Workspace) -> None:
    """Rebuild the file (VACUUM) so that no free page keeps a copy of erased data (e.g. from an earlier
    whole-layer rewrite of the members layer). A server workspace vacuums the members table."""
    vacuum = getattr(ws, "vacuum", None)
    if vacuum is not None:
        vacuum("members")
        return
    with ws.lock():
        con = sqlite3.connect(ws.path, timeout=30.0, isolation_level=None)
        try:
            con.execute("VACUUM")
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no copy of erased pages stays in <file>-wal
        finally:
            con.close()
    ws.remove_stale_copies()  # a killed whole-layer write may have left a copy that still holds the person


def erase_person(ws: Workspace, actor: User | str, member_id: str) -> None:
    """Erase one person from the workspace (GDPR erasure)."""
    actor = _require_staff(ws, actor)
    with ws.transaction() as con:
        _records.ensure_table(con, "members")
        if not _records.select(con, "members", where="member_id = ?", params=[member_id]):
            raise NotFound(t("members.person_not_found", member_id=member_id))
        _erase(con, [member_id])
        audit.record(con, actor=actor, action="verwijderd", subject="members", subject_ids=[member_id],
                     detail="wisverzoek")
    _compact(ws)


def retention_days(ws: Workspace) -> int:
    """The workspace's retention period in days (metadata ``retention_days``, else the default)."""
    value = ws.metadata.get("retention_days")
    try:
        return int(value) if value is not None else DEFAULT_RETENTION_DAYS
    except ValueError:
        raise InputError(t("members.retention_invalid", value=value)) from None


def due_for_erasure(ws: Workspace, *, days: int | None = None, today: dt.date | None = None) -> list[str]:
    """Member ids of refused candidates, members who left and candidates left waiting (``kandidaat``,
    ``goedgekeurd``) whose retention period is over, counted from their last status change (nothing erased)."""
    days = retention_days(ws) if days is None else days
    if days < 0:
        raise InputError(t("members.retention_invalid", value=days))
    cutoff = ((today or dt.date.today()) - dt.timedelta(days=days)).isoformat()
    with _records.reader(ws) as con:
        rows = _records.select(con, "members", where=_DUE, params=[*_RETAINED, cutoff])
    con.close()
    return [str(r["member_id"]) for r in rows]


def apply_retention(
    ws: Workspace, *, actor: User | str = audit.SYSTEM_ACTOR, days: int | None = None,
    today: dt.date | None = None,
) -> list[str]:
    """Erase what :func:`due_for_erasure` finds; returns the erased member ids."""
    actor = _require_staff(ws, actor)
    days = retention_days(ws) if days is None else days
    due = due_for_erasure(ws, days=days, today=today)
    if not due:
        return []
    with ws.transaction() as con:
        # re-check inside the lock: someone may have changed a status since
        cutoff = ((today or dt.date.today()) - dt.timedelta(days=days)).isoformat()
        still = [r["member_id"] for r in _records.select(con, "members", where=_DUE, params=[*_RETAINED, cutoff])]
        _erase(con, still)
        audit.record(con, actor=actor, action="verwijderd", subject="members", subject_ids=still,
                     detail=f"bewaartermijn {days} dagen")
    _compact(ws)
    return [str(m) for m in still]
