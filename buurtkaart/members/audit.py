"""The audit log: who viewed, exported, changed or deleted personal data, and when.

An append-only table (``audit_log``) in the workspace. Each line names the actor (a username, ``publiek`` for
the public application form, or ``commandoregel`` for the command line), the action, the subject (a layer
name) and the ids of the records touched — member ids and usernames, never names, addresses or phone numbers,
so that erasing a person leaves nothing of them in the log. SQLite triggers refuse any update or delete of a
line. Only municipal staff may read the log (:func:`read_log`).

Every function of :mod:`buurtkaart.members.membership` and :mod:`buurtkaart.members.accounts` that shows or changes
personal
data writes its line with :func:`record` inside the same transaction as the change itself, so there is never a
change without its line.

>>> import tempfile, pathlib
>>> from buurtkaart.workspace import Workspace
>>> ws = Workspace.create(pathlib.Path(tempfile.mkdtemp()) / "w.gpkg", {}, municipality="X", fictional=True)
>>> with ws.transaction() as con:
...     record(con, actor="commandoregel", action="geexporteerd", subject="members", subject_ids=["m-1"])
>>> read_log(ws, CLI_ACTOR)[["actor", "action", "subject_ids"]].to_dict("records")
[{'actor': 'commandoregel', 'action': 'geexporteerd', 'subject_ids': 'm-1'}]
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable

import pandas as pd

from buurtkaart import _records
from buurtkaart.errors import InputError
from buurtkaart.members.actors import CLI_ACTOR as CLI_ACTOR
from buurtkaart.members.actors import PUBLIC_ACTOR as PUBLIC_ACTOR
from buurtkaart.members.actors import SYSTEM_ACTOR as SYSTEM_ACTOR
from buurtkaart.members.actors import User, require_staff
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace

#: What an audit line can say happened.
ACTIONS = (
    "bekeken",
    "geexporteerd",
    "aangemaakt",
    "gewijzigd",
    "verwijderd",
    "aangemeld",
    "aanmelding_mislukt",
    "geblokkeerd",
)

_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)


def now_utc() -> str:
    """The current UTC time as ISO 8601 with seconds (``2026-11-27T22:05:59+00:00``)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def actor_of(actor: User | str | None) -> tuple[str, str]:
    """(name, role) of an actor: a :class:`~buurtkaart.members.accounts.User`, a fixed actor name, or None (public)."""
    if actor is None:
        return PUBLIC_ACTOR, "publiek"
    if isinstance(actor, str) or actor.username in (CLI_ACTOR, SYSTEM_ACTOR):  # the command line acting as staff
        name = actor if isinstance(actor, str) else actor.username
        return name, name
    return actor.username, actor.role


def prepare(con: sqlite3.Connection) -> None:
    """Make sure the audit table exists with its append-only guards (inside ``con``'s transaction)."""
    _records.ensure_table(con, "audit_log")
    if isinstance(con, sqlite3.Connection):  # a server workspace creates its guards with the table
        for sql in _TRIGGERS:
            con.execute(sql)


def record(
    con: sqlite3.Connection,
    *,
    actor: User | str | None,
    action: str,
    subject: str,
    subject_ids: Iterable[str] = (),
    count: int | None = None,
    detail: str = "",
) -> None:
    """Append one audit line inside the caller's transaction (``con`` from :meth:`Workspace.transaction`).

    ``subject_ids`` are record ids (member ids, usernames); ``detail`` a short technical note. Neither may hold
    names, addresses or phone numbers.
    """
    if action not in ACTIONS:
        raise InputError(t("members.audit_unknown_action", action=action, known=", ".join(ACTIONS)))
    prepare(con)
    ids = [str(i) for i in subject_ids]
    name, role = actor_of(actor)
    con.execute(
        "INSERT INTO audit_log (log_id, at, actor, role, action, subject, subject_ids, count, detail) "
        "SELECT COALESCE(MAX(log_id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM audit_log",
        (now_utc(), name, role, action, subject, ",".join(ids), len(ids) if count is None else count, detail),
    )


def record_view(
    con: sqlite3.Connection, *, actor: User | str | None, subject: str, subject_ids: Iterable[str], detail: str,
    window_s: int = 60,
) -> bool:
    """Record that ``actor`` viewed ``subject_ids`` — unless the same actor saw exactly the same records of the same
    list within the last ``window_s`` seconds (an app page redraws on every click). Returns whether a line was
    written."""
    prepare(con)
    ids = ",".join(str(i) for i in subject_ids)
    name, _role = actor_of(actor)
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=window_s)).isoformat(timespec="seconds")
    last = con.execute(
        "SELECT subject_ids FROM audit_log WHERE actor = ? AND action = 'bekeken' AND subject = ? AND detail = ? "
        "AND at >= ? ORDER BY log_id DESC LIMIT 1",
        (name, subject, detail, since),
    ).fetchone()
    if last is not None and (last[0] or "") == ids:
        return False
    record(con, actor=actor, action="bekeken", subject=subject, subject_ids=ids.split(",") if ids else [],
           detail=detail)
    return True


def read_log(
    ws: Workspace,
    user: User | str | None,
    *,
    subject_id: str | None = None,
    actor: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The audit log, newest line first; staff (re-read from the accounts) or the command line. Filter on a record
    id or an actor's username."""
    require_staff(ws, user, message_key="members.denied_audit")
    with _records.reader(ws) as con:
        rows = _records.select(con, "audit_log", order_by="log_id DESC")
    con.close()
    frame = _records.to_frame("audit_log", rows)
    if subject_id is not None:
        frame = frame[frame["subject_ids"].fillna("").str.split(",").map(lambda ids: subject_id in ids)]
    if actor is not None:
        frame = frame[frame["actor"] == actor]
    if limit is not None:
        frame = frame.head(limit)
    return frame.reset_index(drop=True)
