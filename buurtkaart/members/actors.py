"""Who is acting: an account re-read from the ``users`` table on every call, or the command line / a scheduled job.

A :class:`User` object is only a claim. Every library function that returns or changes personal data passes it
through :func:`acting_user`, which reads the account again and refuses an account that does not exist, is
deactivated or is locked, and uses the role and groups the table holds *now* (a coordinator moved to another group
sees the new group's members at once). Besides accounts there are exactly two actors: the command line
(:data:`CLI_ACTOR`, whoever can open the workspace file) and scheduled jobs
(:data:`SYSTEM_ACTOR`); they act as staff where a function allows them (``system=True``). Any
other string, a made-up object or None is refused with :class:`~buurtkaart.errors.PermissionDenied`.

>>> import tempfile, pathlib
>>> from buurtkaart.workspace import Workspace
>>> ws = Workspace.create(pathlib.Path(tempfile.mkdtemp()) / "w.gpkg", {}, municipality="X", fictional=True)
>>> acting_user(ws, User("niemand", "staff"), "staff")
Traceback (most recent call last):
...
buurtkaart.errors.PermissionDenied: Deze gebruiker heeft geen actief account ...
>>> acting_user(ws, "commandoregel", "staff", system=True).role
'staff'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from buurtkaart import _pg, _records
from buurtkaart.errors import PermissionDenied
from buurtkaart.pg_workspace import PostgisWorkspace
from buurtkaart.texts import t

if TYPE_CHECKING:
    from buurtkaart.workspace import Workspace

#: Actor name of the public (no login): the application form.
PUBLIC_ACTOR = "publiek"
#: Actor name of the command line (whoever can open the workspace file).
CLI_ACTOR = "commandoregel"
#: Actor name of scheduled jobs (retention).
SYSTEM_ACTOR = "systeem"
#: The actors that are no account (they act as staff where a function allows it).
SYSTEM_ACTORS = (CLI_ACTOR, SYSTEM_ACTOR)
#: Names no account may take (the audit log would mistake it for the command line, a job or the public).
RESERVED_USERNAMES = (CLI_ACTOR, SYSTEM_ACTOR, PUBLIC_ACTOR)


@dataclass(frozen=True)
class User:
    """Someone logged in. ``group_ids`` are the groups of a coordinator (empty for staff and police); ``zone`` is
    the zone schema of a police account of a zone (:mod:`buurtkaart.zones`), empty for a municipality's account."""

    username: str
    role: str
    group_ids: tuple[str, ...] = ()
    display_name: str = ""
    zone: str = field(default="", repr=False)

    def may_see_group(self, group_id: str | None) -> bool:
        """Whether this user may see the members and candidates of ``group_id`` (None: no group yet)."""
        if self.role == "staff":
            return True
        return self.role == "coordinator" and group_id is not None and group_id in self.group_ids

    @property
    def is_staff(self) -> bool:
        return self.role == "staff"


def user_from_row(row: dict[str, Any]) -> User:
    """A :class:`User` from a row of the ``users`` table."""
    groups = tuple(g for g in (row.get("group_ids") or "").split(",") if g)
    return User(username=str(row["username"]), role=str(row["role"]), group_ids=groups,
                display_name=str(row.get("display_name") or row["username"]))


def is_usable(row: dict[str, Any] | None, now: dt.datetime | None = None) -> bool:
    """Whether an account row may act: it exists, is active and is not locked at ``now``."""
    if row is None or row.get("active") != "ja":
        return False
    until = row.get("locked_until")
    return not (until and dt.datetime.fromisoformat(str(until)) > (now or dt.datetime.now(dt.UTC)))


def _role_names(roles: tuple[str, ...]) -> str:
    """The roles in Dutch for a refusal ("gemeentepersoneel, coördinator")."""
    return ", ".join(t(f"app.role.{r}") for r in roles)


def acting_user(
    source: Workspace | sqlite3.Connection,
    actor: object,
    *roles: str,
    system: bool = False,
    message_key: str = "members.denied_role",
) -> User:
    """The account behind ``actor`` as the ``users`` table holds it now, if its role is one of ``roles``.

    ``source`` is the workspace or a connection inside its transaction (then the check and the change see the same
    table). ``system=True`` also admits the command line and scheduled jobs, as staff. Refuses with
    :class:`PermissionDenied` (``message_key`` for a wrong role) anything else.
    """
    if isinstance(actor, str) and actor in SYSTEM_ACTORS:
        if system and "staff" in roles:
            return User(actor, "staff", (), actor)
        raise PermissionDenied(t(message_key, roles=_role_names(roles)))
    if not isinstance(actor, User):
        raise PermissionDenied(t(message_key, roles=_role_names(roles)))
    if actor.zone:  # a police account of a zone: re-read from the zone, admitted in its municipalities only
        return _zone_actor(source, actor, roles, message_key)
    if isinstance(source, sqlite3.Connection):
        rows = _records.select(source, "users", where="username = ?", params=[actor.username])
    else:
        with _records.reader(source) as con:
            rows = _records.select(con, "users", where="username = ?", params=[actor.username])
        con.close()
    row = rows[0] if rows else None
    if not is_usable(row):
        raise PermissionDenied(t("members.actor_unknown"))
    user = user_from_row(row)  # type: ignore[arg-type]
    if roles and user.role not in roles:
        raise PermissionDenied(t(message_key, roles=_role_names(roles)))
    return user


def require_staff(source: Workspace | sqlite3.Connection, actor: object, *,
                  message_key: str = "members.denied_role") -> User:
    """Staff (re-read from the ``users`` table), the command line or a scheduled job; for any library function that
    hands out or changes personal data wholesale."""
    return acting_user(source, actor, "staff", system=True, message_key=message_key)


def _zone_actor(source: object, actor: User, roles: tuple[str, ...], message_key: str) -> User:
    """:func:`acting_user` for a police account of a zone (:mod:`buurtkaart.zones`): re-read from the zone's
    ``users`` table and admitted, as police only, in the zone itself and in the municipalities the zone lists."""
    if not isinstance(source, PostgisWorkspace):
        raise PermissionDenied(t("zones.actor_elsewhere"))
    zone = PostgisWorkspace(_pg.schema_url(source._location.conninfo, actor.zone))
    with zone.reader() as con:
        if not _pg.table_columns(con, _pg.ZONE_REGISTRY):  # not a zone at all (a made-up claim)
            raise PermissionDenied(t("zones.actor_elsewhere"))
        if source._location.schema != actor.zone:
            listed = con.execute(f"SELECT 1 FROM {_pg.ZONE_REGISTRY} WHERE schema = ?", (source._location.schema,))
            if listed.fetchone() is None:
                raise PermissionDenied(t("zones.actor_elsewhere"))
        rows = _records.select(con, "users", where="username = ?", params=[actor.username])
    row = rows[0] if rows else None
    if not is_usable(row):
        raise PermissionDenied(t("members.actor_unknown"))
    user = dataclasses.replace(user_from_row(row), zone=actor.zone)  # type: ignore[arg-type]
    if user.role != "police" or (roles and user.role not in roles):
        raise PermissionDenied(t(message_key, roles=_role_names(roles)))
    return user
