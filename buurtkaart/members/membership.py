"""The joining workflow of a WhatsApp-buurtpreventiegroep: apply → police screening → added by the coordinator →
sticker delivered (``../shared/DOMAIN.md``, "Joining a group").

1. :func:`submit_application` — a resident (the public, no login): status ``kandidaat`` (applied_on,
   declared_on, the declaration's text version, consent to pass the data to the police);
2. :func:`screen` — the police: ``goedgekeurd``, or ``geweigerd`` with a reason (screened_on, screened_by);
3. :func:`mark_added` — the coordinator of the group (or staff) added them to the WhatsApp group: ``lid``
   (added_on, added_by);
4. :func:`mark_sticker` — the coordinator (or staff) delivered the sticker (sticker_on, sticker_by);
5. :func:`mark_left` — a member leaves: ``vertrokken`` (left_on).

The address is checked and its group found with :func:`buurtkaart.assignment.find.find_group` (the same answer a
resident gets on *Welke groep?*).
A candidate in an uncovered area or in an overlap of two groups gets no group: staff see them in
:func:`buurtkaart.members.lists.staff_queue` and give them one with :func:`assign_group`. Every change is one
transaction with its audit line; a coordinator can act only on their own groups' people, police only screen.
Refused candidates and members who left are erased after the retention period (:mod:`buurtkaart.members.gdpr`).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from buurtkaart import _records
from buurtkaart.assignment.find import FindIndex, GroupAnswer, find_group
from buurtkaart.assignment.points import GroupIndex
from buurtkaart.errors import InputError, NotFound, PermissionDenied
from buurtkaart.geocoding.lookup import AddressIndex
from buurtkaart.members import audit
from buurtkaart.members.actors import User, acting_user
from buurtkaart.texts import t
from buurtkaart.vocabulary import PENDING_STATUSES, AddressStatus, MemberStatus
from buurtkaart.workspace import Workspace

MAX_NAME_LENGTH = 100
MAX_ADDRESS_LENGTH = 200
MAX_REASON_LENGTH = 500

_PHONE = re.compile(r"^\+?[0-9]{8,15}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def declaration() -> dict[str, str]:
    """The declaration of intent and the police consent a candidate accepts, with the version of their text."""
    return {
        "version": t("members.declaration_version"),
        "intent": t("members.declaration_intent"),
        "consent": t("members.declaration_consent"),
    }


@dataclass(frozen=True)
class Application:
    """What a resident fills in on the application form."""

    name: str
    address_text: str
    phone: str
    email: str = ""
    declaration_accepted: bool = False
    consent_police: bool = False


@dataclass(frozen=True)
class Receipt:
    """What the resident is told after applying: their reference and the group (not anyone's data)."""

    member_id: str
    group_id: str | None
    group_name: str | None
    assign_status: str
    message: str


def _today(today: dt.date | None) -> str:
    return (today or dt.date.today()).isoformat()


def normalise_phone(phone: str) -> str:
    """Belgian phone numbers as digits with +32 (``0470 12 34 56`` → ``+32470123456``).

    >>> normalise_phone("0470 12 34 56"), normalise_phone("+32 (0)2 452 00 00"), normalise_phone("0032470123456")
    ('+32470123456', '+3224520000', '+32470123456')
    """
    digits = re.sub(r"[\s./()-]", "", phone or "")
    digits = digits.replace("+32(0)", "+32").replace("+320", "+32")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+32" + digits[1:]
    return digits


def _application_problems(app: Application) -> list[str]:
    problems = []
    name = (app.name or "").strip()
    if not name:
        problems.append(t("members.name_missing"))
    elif len(name) > MAX_NAME_LENGTH or _CONTROL.search(name):
        problems.append(t("members.name_invalid", length=MAX_NAME_LENGTH))
    if not _PHONE.match(normalise_phone(app.phone)):
        problems.append(t("members.phone_invalid"))
    if app.email and not _EMAIL.match(app.email.strip()):
        problems.append(t("members.email_invalid"))
    address = (app.address_text or "").strip()
    if not address:
        problems.append(t("members.address_missing"))
    elif len(address) > MAX_ADDRESS_LENGTH or _CONTROL.search(address):
        problems.append(t("members.address_invalid", length=MAX_ADDRESS_LENGTH))
    if not app.declaration_accepted:
        problems.append(t("members.declaration_missing"))
    if not app.consent_police:
        problems.append(t("members.consent_missing"))
    return problems


def _find(ws: Workspace, text: str, index: Any, groups: Any) -> GroupAnswer:
    """The address of ``text`` and its group (:func:`buurtkaart.assignment.find.find_group`); a clear error with
    suggestions when unsure.

    Accepted: an address of the register (``exact``, ``fuzzy_street``) or a house number placed between its
    neighbours (``interpolated``); a street alone, an ambiguous or an unknown address is refused. An uncovered
    point or an overlap gets no group (``group_id`` is then ``None``).
    """
    finder = FindIndex(index if index is not None else AddressIndex.from_workspace(ws),
                       groups if groups is not None else GroupIndex.from_workspace(ws))
    answer = find_group(text, index=finder)
    result = answer.lookup
    if result.point is None or answer.status is None:
        labels = [getattr(s, "label", str(s)) for s in (result.suggestions or ())][:5]
        problems = [t("members.address_suggestion", suggestion=label) for label in labels]
        raise InputError(t("members.address_not_found"), problems=problems or [t("members.address_hint")])
    return answer


def _label(result: Any) -> str | None:
    """``Kerkstraat 12, 1730 Asse``: the address as the register knows it, with its deelgemeente."""
    label = getattr(result, "label", None)
    place = getattr(result, "deelgemeente", None)
    if label and place and str(place) not in label:
        return f"{label} {place}"
    return label


def submit_application(
    ws: Workspace, application: Application, *, index: Any = None, groups: Any = None, today: dt.date | None = None
) -> Receipt:
    """Record a resident's application (the public form). Every problem of the form is reported at once.

    ``index`` (a :class:`buurtkaart.geocoding.lookup.AddressIndex`) and ``groups`` (a
    :class:`buurtkaart.assignment.points.GroupIndex`)
    are built from the workspace when omitted; an app builds them once and passes them in.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    application : Application
        What the resident filled in (name, address, phone, the declaration and the consent ticked).
    index, groups : optional
        Prepared indexes, as above.
    today : date, optional
        The date to record; default today.

    Returns
    -------
    Receipt
        The reference and the group the resident is told; the candidate is stored as ``kandidaat``.
    """
    problems = _application_problems(application)
    if problems:
        raise InputError(t("members.application_invalid"), problems=problems)
    answer = _find(ws, application.address_text.strip(), index, groups)
    found = answer.lookup
    group_id, group_name, assign_status = answer.group_id, answer.group_name, str(answer.status)
    number = re.match(r"\d+", str(found.housenumber or ""))
    member_id = "m-" + uuid.uuid4().hex[:12]
    day = _today(today)
    version = declaration()["version"]
    with ws.transaction() as con:
        _records.ensure_table(con, "members")
        _records.insert(
            con,
            "members",
            {
                "member_id": member_id,
                "name": application.name.strip(),
                "phone": normalise_phone(application.phone),
                "email": application.email.strip().lower() or None,
                "address_text": _label(found) or application.address_text.strip(),
                "address_id": found.address_id,
                "group_id": group_id,
                "status": MemberStatus.KANDIDAAT,
                "applied_on": day,
                "status_on": day,
                "street": found.street,
                "housenumber": int(number.group()) if number else None,
                "assign_status": assign_status,
                "declaration_version": version,
                "declared_on": day,
                "consent_police": "ja",
                "status_by": audit.PUBLIC_ACTOR,
            },
            geometry=found.point,
        )
        audit.record(con, actor=None, action="aangemaakt", subject="members", subject_ids=[member_id],
                     detail=f"kandidaat, {assign_status}, verklaring {version}")
    message = (t("members.applied_group", group=group_name or group_id) if group_id
               else t("members.applied_no_group"))
    return Receipt(member_id, group_id, group_name, assign_status, message)


# --------------------------------------------------------------------------------------------- workflow steps
def _load(con: sqlite3.Connection, member_id: str) -> dict[str, Any]:
    rows = _records.select(con, "members", where="member_id = ?", params=[member_id])
    if not rows:
        raise NotFound(t("members.person_not_found", member_id=member_id))
    return rows[0]


def _require(ws: Workspace, user: User | None, *roles: str) -> User:
    """The acting account as the users table holds it now (active, not locked, its current role and groups)."""
    return acting_user(ws, user, *roles)


def _require_group(user: User, row: dict[str, Any]) -> None:
    if not user.may_see_group(row.get("group_id")):
        raise PermissionDenied(t("members.denied_group"))


def _require_status(row: dict[str, Any], *statuses: str) -> None:
    if row.get("status") not in statuses:
        raise InputError(t("members.wrong_status", member_id=row["member_id"], status=row.get("status"),
                           expected=" of ".join(statuses)))


def _step(
    ws: Workspace,
    user: User,
    member_id: str,
    values: dict[str, Any],
    *,
    detail: str,
    expected: tuple[str, ...],
    check_group: bool = True,
    check: Any = None,
) -> None:
    with ws.transaction() as con:
        _records.ensure_table(con, "members")
        row = _load(con, member_id)
        if check_group:
            _require_group(user, row)
        _require_status(row, *expected)
        if check is not None:
            check(row)
        _records.update(con, "members", "member_id", member_id, {**values, "status_by": user.username})
        audit.record(con, actor=user, action="gewijzigd", subject="members", subject_ids=[member_id],
                     detail=detail)


def screen(
    ws: Workspace, user: User | None, member_id: str, *, approved: bool, reason: str = "",
    today: dt.date | None = None,
) -> None:
    """The police approve a candidate or refuse them with a reason.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    user : User or None
        The acting police account.
    member_id : str
        A candidate (``kandidaat``).
    approved : bool
        Approve (``goedgekeurd``) or refuse (``geweigerd``).
    reason : str
        Why refused (required then; at most :data:`MAX_REASON_LENGTH` characters).
    today : date, optional
        The date to record; default today.

    Returns
    -------
    None
        The status change is written and audited in one transaction.
    """
    police = _require(ws, user, "police")
    reason = (reason or "").strip()
    if not approved and not reason:
        raise InputError(t("members.reason_missing"))
    if len(reason) > MAX_REASON_LENGTH or _CONTROL.search(reason.replace("\n", " ")):
        raise InputError(t("members.reason_invalid", length=MAX_REASON_LENGTH))
    day = _today(today)
    status = MemberStatus.GOEDGEKEURD if approved else MemberStatus.GEWEIGERD
    _step(ws, police, member_id,
          {"status": status, "status_on": day, "screened_by": police.username, "screened_on": day,
           "refusal_reason": None if approved else reason},
          detail=f"{MemberStatus.KANDIDAAT} → {status}", expected=(MemberStatus.KANDIDAAT,), check_group=False)


def mark_added(ws: Workspace, user: User | None, member_id: str, *, today: dt.date | None = None) -> None:
    """The coordinator added the approved candidate to the WhatsApp group: they are now a member (``lid``).

    Parameters
    ----------
    ws : Workspace
        The workspace.
    user : User or None
        The acting coordinator of the member's group, or staff.
    member_id : str
        The approved candidate.
    today : date, optional
        The date to record; default today.

    Returns
    -------
    None
        The status change is written and audited in one transaction.
    """
    actor = _require(ws, user, "coordinator", "staff")
    day = _today(today)

    def has_group(row: dict[str, Any]) -> None:
        if not row.get("group_id"):
            raise InputError(t("members.no_group_yet", member_id=member_id))

    _step(ws, actor, member_id,
          {"status": MemberStatus.LID, "status_on": day, "added_by": actor.username, "added_on": day},
          detail=f"{MemberStatus.GOEDGEKEURD} → {MemberStatus.LID}", expected=(MemberStatus.GOEDGEKEURD,),
          check=has_group)


def mark_sticker(ws: Workspace, user: User | None, member_id: str, *, today: dt.date | None = None) -> None:
    """The member received their letterbox sticker.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    user : User or None
        The acting coordinator of the member's group, or staff.
    member_id : str
        A member (``lid``) without a sticker yet.
    today : date, optional
        The date to record; default today.

    Returns
    -------
    None
        The date is written and audited in one transaction.
    """
    actor = _require(ws, user, "coordinator", "staff")

    def no_sticker_yet(row: dict[str, Any]) -> None:
        if row.get("sticker_on"):
            raise InputError(t("members.sticker_already", member_id=member_id, date=row["sticker_on"]))

    _step(ws, actor, member_id, {"sticker_by": actor.username, "sticker_on": _today(today)},
          detail="sticker afgegeven", expected=(MemberStatus.LID,), check=no_sticker_yet)


def mark_left(ws: Workspace, user: User | None, member_id: str, *, today: dt.date | None = None) -> None:
    """A member left the group (their data is erased after the retention period)."""
    actor = _require(ws, user, "coordinator", "staff")
    day = _today(today)
    _step(ws, actor, member_id, {"status": MemberStatus.VERTROKKEN, "status_on": day, "left_on": day},
          detail=f"{MemberStatus.LID} → {MemberStatus.VERTROKKEN}", expected=(MemberStatus.LID,))


def assign_group(ws: Workspace, user: User | None, member_id: str, group_id: str) -> None:
    """Staff give a candidate of an uncovered area or an overlap their group (e.g. after a new group starts)."""
    staff = _require(ws, user, "staff")
    with ws.transaction() as con:
        known = {r[0] for r in con.execute("SELECT group_id FROM groups")}
    if group_id not in known:
        raise InputError(t("members.unknown_group", group_id=group_id))
    _step(ws, staff, member_id, {"group_id": group_id, "assign_status": AddressStatus.TOEGEWEZEN_DOOR_GEMEENTE},
          detail=f"groep {group_id}", expected=PENDING_STATUSES)
