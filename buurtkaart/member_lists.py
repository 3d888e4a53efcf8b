"""The lists made from the members layer, each for the one role that may see it, each view written to the audit log.

* :func:`screening_queue` — police (and staff): candidates waiting to be screened, oldest first.
* :func:`group_people` — a coordinator's own groups (staff: any group): approved candidates to add and members.
* :func:`contact_list` — a coordinator's members with phone and e-mail.
* :func:`sticker_list` — members still waiting for their sticker, in walking order (:func:`walk_order`).
* :func:`staff_queue` — staff: candidates with no group (uncovered area or overlap).
* :func:`export_list` — any of these lists as CSV bytes; recorded as an export, not a view.

The public sees no one. A coordinator asking for another group's list gets :class:`PermissionDenied`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from buurtkaart import _records, audit
from buurtkaart.accounts import User
from buurtkaart.errors import InputError, PermissionDenied
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace

#: Statuses a coordinator may see: approved candidates, members, and members who left (until erased).
COORDINATOR_STATUSES = ("goedgekeurd", "lid", "vertrokken")
#: Columns each list shows (personal data limited to what the role needs).
COLUMNS = {
    "screening": ["member_id", "name", "address_text", "phone", "email", "group_id", "applied_on",
                  "declaration_version", "declared_on", "consent_police"],
    "group": ["member_id", "name", "address_text", "phone", "email", "group_id", "status", "applied_on",
              "screened_on", "added_on", "sticker_on", "status_on"],
    "contacts": ["member_id", "name", "phone", "email", "address_text", "group_id"],
    "stickers": ["member_id", "name", "address_text", "street", "housenumber", "group_id", "added_on"],
    "staff": ["member_id", "name", "address_text", "phone", "email", "status", "assign_status", "applied_on"],
}


def _view(
    ws: Workspace, user: User, *, kind: str, where: str, params: Sequence[Any], with_geometry: bool = False,
) -> pd.DataFrame:
    with ws.transaction() as con:
        rows = _records.select(con, "members", where=where, params=params, with_geometry=with_geometry)
        audit.record_view(con, actor=user, subject="members", subject_ids=[r["member_id"] for r in rows],
                          detail=f"lijst {kind}")
    frame = _records.to_frame("members", rows)
    return frame


def _require(user: User | None, *roles: str) -> User:
    if user is None or user.role not in roles:
        raise PermissionDenied(t("members.denied_role", roles=", ".join(roles)))
    return user


def _groups_for(user: User, group_id: str | None) -> list[str] | None:
    """The groups a list covers: one asked for (checked), or all of a coordinator's; None means every group."""
    if group_id is not None:
        if not user.may_see_group(group_id):
            raise PermissionDenied(t("members.denied_group"))
        return [group_id]
    if user.role == "staff":
        return None
    return list(user.group_ids)


def _group_clause(groups: list[str] | None) -> tuple[str, list[str]]:
    if groups is None:
        return "1 = 1", []
    if not groups:
        return "0 = 1", []
    return f"group_id IN ({', '.join('?' for _ in groups)})", list(groups)


def screening_queue(ws: Workspace, user: User | None) -> pd.DataFrame:
    """Candidates waiting for the police, oldest application first (police and staff)."""
    actor = _require(user, "police", "staff")
    frame = _view(ws, actor, kind="screening", where="status = 'kandidaat'", params=[])
    return frame.sort_values(["applied_on", "member_id"], kind="stable")[COLUMNS["screening"]].reset_index(drop=True)


def group_people(
    ws: Workspace, user: User | None, group_id: str | None = None, *,
    statuses: Sequence[str] = ("goedgekeurd", "lid"),
) -> pd.DataFrame:
    """Approved candidates and members of a coordinator's own groups (``group_id`` picks one; staff: any).

    A coordinator sees a candidate only once the police approved them, never a refused one
    (:data:`COORDINATOR_STATUSES`).
    """
    actor = _require(user, "coordinator", "staff")
    if actor.role == "coordinator" and not set(statuses) <= set(COORDINATOR_STATUSES):
        raise PermissionDenied(t("members.denied_status"))
    clause, params = _group_clause(_groups_for(actor, group_id))
    status_clause = f"status IN ({', '.join('?' for _ in statuses)})"
    frame = _view(ws, actor, kind="groep", where=f"{clause} AND {status_clause}", params=[*params, *statuses])
    order = {s: i for i, s in enumerate(("goedgekeurd", "kandidaat", "lid", "geweigerd", "vertrokken"))}
    frame = frame.assign(_o=frame["status"].map(order)).sort_values(["_o", "name"], kind="stable")
    return frame[COLUMNS["group"]].reset_index(drop=True)


def contact_list(ws: Workspace, user: User | None, group_id: str | None = None) -> pd.DataFrame:
    """Members (``lid``) of a coordinator's group with phone and e-mail, by name."""
    actor = _require(user, "coordinator", "staff")
    clause, params = _group_clause(_groups_for(actor, group_id))
    frame = _view(ws, actor, kind="contacten", where=f"{clause} AND status = 'lid'", params=params)
    return frame.sort_values("name", kind="stable")[COLUMNS["contacts"]].reset_index(drop=True)


def sticker_list(ws: Workspace, user: User | None, group_id: str | None = None) -> pd.DataFrame:
    """Members still waiting for their sticker, in the order to deliver them on foot (:func:`walk_order`)."""
    actor = _require(user, "coordinator", "staff")
    clause, params = _group_clause(_groups_for(actor, group_id))
    frame = _view(ws, actor, kind="stickers", where=f"{clause} AND status = 'lid' AND sticker_on IS NULL",
                  params=params, with_geometry=True)
    if frame.empty:
        return pd.DataFrame(frame)[COLUMNS["stickers"]].assign(stop=pd.Series(dtype="Int64"))
    ordered = frame.iloc[walk_order(frame)]
    out = pd.DataFrame(ordered[COLUMNS["stickers"]]).reset_index(drop=True)
    out.insert(0, "stop", pd.array(range(1, len(out) + 1), dtype="Int64"))
    return out


def staff_queue(ws: Workspace, user: User | None) -> pd.DataFrame:
    """Candidates with no group (uncovered area or overlap), for staff to route."""
    actor = _require(user, "staff")
    frame = _view(ws, actor, kind="zonder groep",
                  where="group_id IS NULL AND status IN ('kandidaat', 'goedgekeurd')", params=[])
    return frame.sort_values(["applied_on", "member_id"], kind="stable")[COLUMNS["staff"]].reset_index(drop=True)


def export_list(ws: Workspace, user: User | None, kind: str, group_id: str | None = None) -> bytes:
    """A list as UTF-8 CSV (with BOM, so that Excel reads accents), recorded in the audit log as an export."""
    actor = _require(user, "police", "coordinator", "staff")
    makers: dict[str, Callable[[], pd.DataFrame]] = {
        "screening": lambda: screening_queue(ws, actor),
        "staff": lambda: staff_queue(ws, actor),
        "contacts": lambda: contact_list(ws, actor, group_id),
        "stickers": lambda: sticker_list(ws, actor, group_id),
        "group": lambda: group_people(ws, actor, group_id),
    }
    if kind not in makers:
        raise InputError(t("members.unknown_list", kind=kind, known=", ".join(makers)))
    frame = makers[kind]()
    with ws.transaction() as con:
        audit.record(con, actor=actor, action="geexporteerd", subject="members",
                     subject_ids=[str(i) for i in frame["member_id"]], detail=f"csv {kind}")
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")


def walk_order(people: pd.DataFrame) -> np.ndarray:
    """Positions of ``people`` in the order to walk past them: street by street, each street up its odd side and
    back down its even side, the next street the nearest one not yet done, starting in the west.

    Needs columns ``street`` and ``housenumber`` and point geometry (EPSG:31370); people without a street come
    last, by address text.

    >>> import geopandas as gpd, shapely
    >>> people = gpd.GeoDataFrame({"street": ["B", "A", "A", "A", "A"], "housenumber": [1, 4, 1, 3, 2],
    ...     "address_text": [""] * 5}, geometry=[shapely.Point(500, 0)] + [shapely.Point(x, 0) for x in range(4)])
    >>> [f"{s}{n}" for s, n in people.iloc[walk_order(people)][["street", "housenumber"]].values]
    ['A1', 'A3', 'A4', 'A2', 'B1']
    """
    streets = people["street"].astype("object").where(people["street"].notna(), None)
    has_street = streets.notna().to_numpy()
    positions = np.arange(len(people))
    xy = np.column_stack([people.geometry.x.to_numpy(), people.geometry.y.to_numpy()])
    names = sorted({str(s) for s in streets[has_street]})
    centres = {n: xy[(streets == n).to_numpy()].mean(axis=0) for n in names}
    route: list[str] = []
    if names:
        current = min(names, key=lambda n: (centres[n][0], n))
        route.append(current)
        todo = set(names) - {current}
        while todo:
            here = centres[current]
            current = min(todo, key=lambda n: (float(np.hypot(*(centres[n] - here))), n))
            route.append(current)
            todo.discard(current)
    order: list[int] = []
    numbers = pd.to_numeric(people["housenumber"], errors="coerce").fillna(0).to_numpy()
    for name in route:
        idx = positions[(streets == name).to_numpy()]
        odd = sorted(idx[numbers[idx] % 2 == 1], key=lambda i: (numbers[i], i))
        even = sorted(idx[numbers[idx] % 2 == 0], key=lambda i: (-numbers[i], i))
        order.extend(odd + even)
    rest = positions[~has_street]
    order.extend(sorted(rest, key=lambda i: (str(people["address_text"].iloc[i]), i)))
    return np.asarray(order, dtype=int)
