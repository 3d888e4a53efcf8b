"""Logging in (:func:`authenticate`): the lock-out is decided inside write transactions, unknown names take the same
path as wrong passwords, and a per-client throttle sits on top.

An attempt runs in three steps:

1. **Count** (one short write transaction under the workspace lock): refuse a throttled client or a locked name;
   otherwise count the attempt as a failure *before* the password is checked. The attempt that would be number
   :data:`MAX_FAILED_ATTEMPTS` + 1 locks the name at once, so that a burst of simultaneous attempts checks at most
   :data:`MAX_FAILED_ATTEMPTS` passwords.
2. **Check** the password (argon2id, about 0.1 s; outside the lock, so other logins go on). An unknown name is
   checked against a dummy hash: the same work, the same time.
3. **Decide** (a second write transaction): a right password logs in only if the name is not locked *now* and no
   other attempt on it started meanwhile (a burst also stops the right password); a wrong one locks the name at the
   limit and
   counts against the client. Unknown names are counted, locked and audited exactly like accounts, with the same
   messages, so no answer tells whether an account exists.

Accounts keep their count in ``users``; names that are no account, and clients, in ``login_attempts`` under a
SHA-256 hash (never the typed name or the address itself).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from buurtkaart import _records
from buurtkaart.errors import PermissionDenied
from buurtkaart.members import audit
from buurtkaart.members.actors import User, user_from_row
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace

#: Wrong passwords in a row before a name is locked.
MAX_FAILED_ATTEMPTS = 5
#: How long a locked name stays locked.
LOCKOUT_MINUTES = 15
#: Failed logins from one client (any names) within :data:`CLIENT_WINDOW_MINUTES` before it must wait.
CLIENT_MAX_FAILURES = 20
CLIENT_WINDOW_MINUTES = 15
#: argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 0.1 s per login on a small server.
HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return HASHER.hash("buurtkaart-dummy-password")


def _digest(prefix: str, value: str) -> str:
    return prefix + hashlib.sha256(value.encode("utf-8")).hexdigest()


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _until(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(str(value)) if value else None


@dataclass
class _Counter:
    """The failure count and lock of one name (an account's row in ``users``, else a ``login_attempts`` row)."""

    con: sqlite3.Connection
    account: dict[str, Any] | None
    subject: str

    @classmethod
    def load(cls, con: sqlite3.Connection, username: str) -> _Counter:
        _records.ensure_table(con, "users")
        _records.ensure_table(con, "login_attempts")
        rows = _records.select(con, "users", where="username = ?", params=[username])
        return cls(con, rows[0] if rows else None, _digest("naam:", username))

    def _row(self) -> dict[str, Any]:
        if self.account is not None:
            return self.account
        rows = _records.select(self.con, "login_attempts", where="subject = ?", params=[self.subject])
        return rows[0] if rows else {"failed_attempts": 0, "locked_until": None}

    @property
    def failed(self) -> int:
        return int(self._row().get("failed_attempts") or 0)

    def locked_until(self, now: dt.datetime) -> dt.datetime | None:
        until = _until(self._row().get("locked_until"))
        return until if until is not None and until > now else None

    def set(self, now: dt.datetime, **values: Any) -> None:
        if self.account is not None:
            _records.update(self.con, "users", "username", self.account["username"], values)
            self.account = {**self.account, **values}
        else:
            _upsert(self.con, self.subject, {**values, "last_at": _iso(now)})

    def lock(self, now: dt.datetime) -> None:
        self.set(now, failed_attempts=0, locked_until=_iso(now + dt.timedelta(minutes=LOCKOUT_MINUTES)))
        audit.record(self.con, actor=audit.SYSTEM_ACTOR, action="geblokkeerd", subject="users",
                     subject_ids=[self.audit_id], detail=f"{LOCKOUT_MINUTES} minuten")

    @property
    def audit_id(self) -> str:
        return str(self.account["username"]) if self.account is not None else self.subject[:16]


def _upsert(con: sqlite3.Connection, subject: str, values: dict[str, Any]) -> None:
    if not _records.update(con, "login_attempts", "subject", subject, values):
        _records.insert(con, "login_attempts", {"subject": subject, "failed_attempts": 0, **values})


def _client_locked(con: sqlite3.Connection, client_key: str | None, now: dt.datetime) -> dt.datetime | None:
    if client_key is None:
        return None
    rows = _records.select(con, "login_attempts", where="subject = ?", params=[client_key])
    until = _until(rows[0]["locked_until"]) if rows else None
    return until if until is not None and until > now else None


def _client_failed(con: sqlite3.Connection, client_key: str | None, now: dt.datetime) -> None:
    if client_key is None:
        return
    rows = _records.select(con, "login_attempts", where="subject = ?", params=[client_key])
    row = rows[0] if rows else {}
    recent = _until(row.get("last_at"))
    failed = int(row.get("failed_attempts") or 0) if recent and recent > now - dt.timedelta(
        minutes=CLIENT_WINDOW_MINUTES) else 0
    values: dict[str, Any] = {"failed_attempts": failed + 1, "last_at": _iso(now)}
    if failed + 1 >= CLIENT_MAX_FAILURES:
        values.update(failed_attempts=0, locked_until=_iso(now + dt.timedelta(minutes=CLIENT_WINDOW_MINUTES)))
    _upsert(con, client_key, values)


def _minutes_left(until: dt.datetime, now: dt.datetime) -> int:
    return max(1, int((until - now).total_seconds() // 60) + 1)


def _refuse(con: sqlite3.Connection, counter: _Counter, reason: str) -> None:
    actor: User | str = user_from_row(counter.account) if counter.account is not None else audit.PUBLIC_ACTOR
    audit.record(con, actor=actor, action="aanmelding_mislukt", subject="users", subject_ids=[counter.audit_id],
                 detail=reason)


def authenticate(ws: Workspace, username: str, password: str, *, now: dt.datetime | None = None,
                 client: str | None = None) -> User:
    """The user for ``username`` and ``password``; :class:`PermissionDenied` otherwise, with the same text for an
    unknown name and a wrong password (a locked name, known or not, says until when). ``client`` identifies where
    the attempt comes from (the app passes the visitor's address) for the per-client throttle.

    Parameters
    ----------
    ws : Workspace
        The workspace whose ``users`` table holds the account.
    username, password : str
        What the person typed.
    now : datetime, optional
        The time of the attempt (tests); default now.
    client : str, optional
        Where the attempt comes from, for the per-client throttle.

    Returns
    -------
    User
        The account, active and not locked; the attempt is recorded.
    """
    now = now or dt.datetime.now(dt.UTC)
    username = (username or "").strip().lower()
    client_key = _digest("client:", str(client)) if client else None
    refusal: PermissionDenied | None = None
    reserved = 0
    with ws.transaction() as con:  # 1. count
        counter = _Counter.load(con, username)
        client_until = _client_locked(con, client_key, now)
        until = counter.locked_until(now)
        if client_until is not None:
            _refuse(con, counter, "client wacht")
            refusal = PermissionDenied(t("members.login_throttled", minutes=_minutes_left(client_until, now)))
        elif until is not None:
            _refuse(con, counter, "geblokkeerd")
            refusal = PermissionDenied(t("members.account_locked", minutes=_minutes_left(until, now)))
        elif counter.failed + 1 > MAX_FAILED_ATTEMPTS:
            counter.lock(now)
            _refuse(con, counter, "te veel tegelijk")
            refusal = PermissionDenied(t("members.account_locked", minutes=LOCKOUT_MINUTES))
        else:
            reserved = counter.failed + 1
            counter.set(now, failed_attempts=reserved)
        stored_hash = (counter.account or {}).get("password_hash")
    if refusal is not None:
        raise refusal
    ok = False  # 2. check
    try:
        ok = HASHER.verify(stored_hash or _dummy_hash(), password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    ok = ok and bool(stored_hash)
    with ws.transaction() as con:  # 3. decide
        counter = _Counter.load(con, username)
        account = counter.account
        until = counter.locked_until(now)
        # a right password counts only if no other attempt on this name started meanwhile (a burst) and it is
        # still the same active, unlocked account
        ok = ok and account is not None and account.get("active") == "ja" and until is None \
            and account.get("password_hash") == stored_hash and counter.failed == reserved
        if ok and account is not None:
            values = {"failed_attempts": 0, "locked_until": None, "last_login": _iso(now)}
            if HASHER.check_needs_rehash(str(stored_hash)):
                values["password_hash"] = HASHER.hash(password)
            counter.set(now, **values)
            user = user_from_row(account)
            audit.record(con, actor=user, action="aangemeld", subject="users", subject_ids=[user.username])
            return user
        _refuse(con, counter, f"poging {counter.failed}" if until is None else "geblokkeerd")
        _client_failed(con, client_key, now)
        if until is None and counter.failed >= MAX_FAILED_ATTEMPTS:
            counter.lock(now)
            refusal = PermissionDenied(t("members.account_locked", minutes=LOCKOUT_MINUTES))
        elif until is not None:
            refusal = PermissionDenied(t("members.account_locked", minutes=_minutes_left(until, now)))
        else:
            refusal = PermissionDenied(t("members.login_failed"))
    raise refusal
