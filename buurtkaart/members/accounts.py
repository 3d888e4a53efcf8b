"""Accounts and roles: municipal staff, coordinators (of one or more groups) and police. The public has no login.

Passwords are stored as argon2id hashes (argon2-cffi, OWASP parameters); after :data:`MAX_FAILED_ATTEMPTS` wrong
passwords in a row an account is locked for :data:`LOCKOUT_MINUTES` minutes (staff or ``buurtkaart users unlock``
lift it sooner); :mod:`buurtkaart.members._login` decides this inside write transactions, the same way for a name
that is no
account. A failed login says the same for an unknown user and a wrong password. The first staff account is made
on the command line (``buurtkaart users add NAME --role staff``); after that staff manage accounts in the app.
Where a municipality configures single sign-on (Streamlit's ``st.login``), the app maps the e-mail address the
identity provider confirms to an account with :func:`user_for_email`.

What each role may see is decided by :meth:`User.may_see_group`; every function that returns or changes personal
data first re-reads the acting account from the ``users`` table (:func:`buurtkaart.members.actors.acting_user`).

>>> import tempfile, pathlib, geopandas as gpd, shapely
>>> from buurtkaart.workspace import Workspace
>>> groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]},
...                           geometry=[shapely.box(0, 0, 100, 100)], crs="EPSG:31370")
>>> ws = Workspace.create(pathlib.Path(tempfile.mkdtemp()) / "w.gpkg", {"groups": groups},
...                       municipality="X", fictional=True)
>>> create_user(ws, "an.peeters", "lang-genoeg-wachtwoord", role="coordinator", group_ids=["G1"])
User(username='an.peeters', role='coordinator', group_ids=('G1',), display_name='an.peeters')
>>> authenticate(ws, "an.peeters", "lang-genoeg-wachtwoord").may_see_group("G1")
True
>>> authenticate(ws, "an.peeters", "fout")
Traceback (most recent call last):
...
buurtkaart.errors.PermissionDenied: Aanmelden mislukt: onbekende gebruikersnaam of verkeerd wachtwoord.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from buurtkaart import _records
from buurtkaart.errors import InputError, NotFound, PermissionDenied
from buurtkaart.members import audit
from buurtkaart.members._login import HASHER
from buurtkaart.members._login import LOCKOUT_MINUTES as LOCKOUT_MINUTES
from buurtkaart.members._login import MAX_FAILED_ATTEMPTS as MAX_FAILED_ATTEMPTS
from buurtkaart.members._login import authenticate as authenticate
from buurtkaart.members.actors import RESERVED_USERNAMES, User, acting_user, is_usable, user_from_row
from buurtkaart.members.actors import require_staff as require_staff
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace

#: The roles that can log in. The public has no account.
ROLES = ("staff", "coordinator", "police")
#: Shortest password accepted.
MIN_PASSWORD_LENGTH = 10
#: Password of every demo account (fictional demo workspaces only; see README, "The demo").
DEMO_PASSWORD = "demo-wachtwoord"

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: argon2id (see :mod:`buurtkaart.members._login`); older hashes are upgraded at the next login.
_HASHER = HASHER


def _require_staff(ws: Workspace, actor: object) -> User:
    return require_staff(ws, actor, message_key="members.denied_users")


def _known_groups(con) -> set[str]:
    try:
        return {str(r[0]) for r in con.execute("SELECT group_id FROM groups") if r[0] is not None}
    except Exception:  # no groups table yet
        return set()


def _validate(
    username: str, password: str | None, role: str, group_ids: Sequence[str], email: str, known: set[str]
) -> list[str]:
    problems = []
    if not _USERNAME.match(username or ""):
        problems.append(t("members.bad_username"))
    elif username in RESERVED_USERNAMES:
        problems.append(t("members.username_reserved"))
    if password is not None:
        problems.extend(_password_problems(username, password))
    if role not in ROLES:
        problems.append(t("members.bad_role", role=role, roles=", ".join(ROLES)))
    if role == "coordinator" and not group_ids:
        problems.append(t("members.coordinator_needs_group"))
    if role in ("staff", "police") and group_ids:
        problems.append(t("members.groups_only_for_coordinator"))
    unknown = [g for g in group_ids if g not in known]
    if unknown:
        problems.append(t("members.unknown_groups", groups=", ".join(unknown)))
    if email and not _EMAIL.match(email):
        problems.append(t("members.bad_email_account"))
    return problems


def _password_problems(username: str, password: str) -> list[str]:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(t("members.password_too_short", length=MIN_PASSWORD_LENGTH))
    if username and password.lower() == username.lower():
        problems.append(t("members.password_is_username"))
    return problems


def create_user(
    ws: Workspace,
    username: str,
    password: str,
    *,
    role: str,
    group_ids: Iterable[str] = (),
    display_name: str = "",
    email: str = "",
    actor: User | str = audit.CLI_ACTOR,
) -> User:
    """Create an account. ``actor`` is the staff member doing it (or the command line). Every problem at once."""
    actor = _require_staff(ws, actor)
    username = (username or "").strip().lower()
    groups = tuple(dict.fromkeys(str(g).strip() for g in group_ids if str(g).strip()))
    email = (email or "").strip().lower()
    password_hash = _HASHER.hash(password) if len(password or "") >= MIN_PASSWORD_LENGTH else None
    with ws.transaction() as con:
        _records.ensure_table(con, "users")
        problems = _validate(username, password or "", role, groups, email, _known_groups(con))
        if _records.select(con, "users", where="username = ?", params=[username]):
            problems.append(t("members.user_exists", username=username))
        if email and _records.select(con, "users", where="lower(email) = ?", params=[email]):
            problems.append(t("members.email_in_use"))
        if problems:
            raise InputError(t("members.user_invalid"), problems=problems)
        _records.insert(
            con,
            "users",
            {
                "username": username,
                "display_name": display_name or username,
                "email": email or None,
                "role": role,
                "group_ids": ",".join(groups),
                "password_hash": password_hash,
                "failed_attempts": 0,
                "locked_until": None,
                "active": "ja",
                "created_on": audit.now_utc(),
                "last_login": None,
            },
        )
        audit.record(con, actor=actor, action="aangemaakt", subject="users", subject_ids=[username],
                     detail=f"rol {role}")
    return User(username, role, groups, display_name or username)


def get_user(ws: Workspace, username: str | None) -> User | None:
    """The usable account ``username``, or None (unknown, deactivated, locked, or no username)."""
    if not username:
        return None
    with _records.reader(ws) as con:
        rows = _records.select(con, "users", where="username = ?", params=[username])
    con.close()
    return user_from_row(rows[0]) if rows and is_usable(rows[0]) else None


def user_for_email(ws: Workspace, email: str) -> User:
    """The active account whose e-mail is ``email`` (single sign-on: the identity provider confirmed it)."""
    email = (email or "").strip().lower()
    with _records.reader(ws) as con:
        rows = _records.select(con, "users", where="lower(email) = ? AND active = 'ja'", params=[email])
    con.close()
    if not email or len(rows) != 1:
        raise PermissionDenied(t("members.sso_no_account"))
    return user_from_row(rows[0])


def unlock_user(ws: Workspace, username: str, *, actor: User | str = audit.CLI_ACTOR) -> None:
    """Lift a lock-out now (staff or the command line)."""
    _change(ws, username, {"locked_until": None, "failed_attempts": 0}, actor=actor, detail="ontgrendeld")


def set_password(ws: Workspace, username: str, password: str, *, actor: User | str = audit.CLI_ACTOR) -> None:
    """Give ``username`` a new password (staff, the command line, or the user themself)."""
    if isinstance(actor, User) and actor.username == username:
        actor = acting_user(ws, actor, *ROLES)
    else:
        actor = _require_staff(ws, actor)
    problems = _password_problems(username, password or "")
    if problems:
        raise InputError(t("members.user_invalid"), problems=problems)
    _change(ws, username, {"password_hash": _HASHER.hash(password), "failed_attempts": 0, "locked_until": None},
            actor=actor, detail="wachtwoord", check_staff=False)


def set_active(ws: Workspace, username: str, active: bool, *, actor: User | str = audit.CLI_ACTOR) -> None:
    """Deactivate (no login, kept for the audit trail) or reactivate an account.

    Staff cannot deactivate their own account in the app, and the last active staff account is never deactivated
    (nobody could then manage accounts); the check and the change happen in one transaction.
    """
    acting = _require_staff(ws, actor)
    if not active and isinstance(acting, User) and acting.username == username:
        raise PermissionDenied(t("members.deactivate_self"))
    with ws.transaction() as con:
        _records.ensure_table(con, "users")
        if not active:
            staff = _records.select(con, "users", where="role = 'staff' AND active = 'ja'")
            if [r["username"] for r in staff] == [username]:
                raise PermissionDenied(t("members.deactivate_last_staff", username=username))
        if not _records.update(con, "users", "username", username, {"active": "ja" if active else "nee"}):
            raise NotFound(t("members.user_not_found", username=username))
        audit.record(con, actor=acting, action="gewijzigd", subject="users", subject_ids=[username],
                     detail="actief" if active else "gedeactiveerd")


def set_groups(ws: Workspace, username: str, group_ids: Iterable[str], *, actor: User | str = audit.CLI_ACTOR) -> None:
    """Change the groups of a coordinator."""
    groups = tuple(dict.fromkeys(str(g).strip() for g in group_ids if str(g).strip()))
    with _records.reader(ws) as con:
        known = _known_groups(con)
        rows = _records.select(con, "users", where="username = ?", params=[username])
    con.close()
    if rows:
        problems = _validate(username, None, str(rows[0]["role"]), groups, "", known)
        if problems:
            raise InputError(t("members.user_invalid"), problems=problems)
    _change(ws, username, {"group_ids": ",".join(groups)}, actor=actor, detail="groepen")


def _change(ws: Workspace, username: str, values: dict, *, actor: User | str, detail: str,
            check_staff: bool = True) -> None:
    if check_staff:
        actor = _require_staff(ws, actor)
    with ws.transaction() as con:
        _records.ensure_table(con, "users")
        if not _records.update(con, "users", "username", username, values):
            raise NotFound(t("members.user_not_found", username=username))
        audit.record(con, actor=actor, action="gewijzigd", subject="users", subject_ids=[username], detail=detail)


def list_users(ws: Workspace, actor: User | str) -> pd.DataFrame:
    """Every account without its password hash (staff or the command line); the view is audited."""
    actor = _require_staff(ws, actor)
    with ws.transaction() as con:
        rows = _records.select(con, "users", order_by="username")
        audit.record(con, actor=actor, action="bekeken", subject="users",
                     subject_ids=[r["username"] for r in rows])
    frame = _records.to_frame("users", rows)
    return frame.drop(columns=["password_hash"])


def seed_demo_accounts(ws: Workspace) -> dict[str, str]:
    """Demo accounts for the fictional demo workspace, all with password :data:`DEMO_PASSWORD`.

    ``demo-gemeente`` (staff), ``demo-politie`` (police), and ``demo-coordinator`` / ``demo-coordinator2`` for
    the first two groups (sorted by id). Refused on a real (non-fictional) workspace. Returns username → role.
    Accounts that already exist are left as they are.
    """
    if not ws.is_fictional:
        raise PermissionDenied(t("members.demo_only_fictional"))
    with _records.reader(ws) as con:
        groups = sorted(_known_groups(con))
        existing = {r["username"] for r in _records.select(con, "users")}
    con.close()
    wanted: list[tuple[str, str, tuple[str, ...], str]] = [
        ("demo-gemeente", "staff", (), "Demo gemeente (preventiedienst)"),
        ("demo-politie", "police", (), "Demo politie AMOW"),
    ]
    for i, group in enumerate(groups[:2]):
        wanted.append((f"demo-coordinator{'' if i == 0 else i + 1}", "coordinator", (group,),
                       f"Demo coördinator {group}"))
    made = {}
    for username, role, group_ids, name in wanted:
        if username not in existing:
            create_user(ws, username, DEMO_PASSWORD, role=role, group_ids=group_ids, display_name=name,
                        actor=audit.SYSTEM_ACTOR)
        made[username] = role
    return made


def session_binding(ws: Workspace, username: str) -> str | None:
    """What a remembered login (:mod:`buurtkaart.members.sessions`) is bound to: a digest of the active account's
    password
    hash, so that a new password ends every earlier session. None for an unknown or deactivated account."""
    with _records.reader(ws) as con:
        rows = _records.select(con, "users", where="username = ? AND active = 'ja'", params=[username])
    con.close()
    if not rows:
        return None
    return hashlib.sha256(str(rows[0]["password_hash"]).encode()).hexdigest()
