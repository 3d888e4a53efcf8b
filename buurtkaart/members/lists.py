"""The lists made from the members layer, each for the one role that may see it, each view written to the audit log.

* :func:`screening_queue` — police (and staff): candidates waiting to be screened, oldest first.
* :func:`group_people` — a coordinator's own groups (staff: any group): approved candidates to add and members.
* :func:`contact_list` — a coordinator's members with phone and e-mail.
* :func:`member_addresses` — a coordinator's members by address id only (for participation counts).
* :func:`sticker_list` — members still waiting for their sticker, in walking order (:func:`walk_order`, the
  order of the invitation letters, :func:`buurtkaart.coverage.walk_index`).
* :func:`staff_queue` — staff: candidates with no group (uncovered area or overlap).
* :func:`export_list` — any of these lists as CSV bytes; recorded as an export, not a view.

The public sees no one. A coordinator asking for another group's list gets :class:`PermissionDenied`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from buurtkaart import _records
from buurtkaart.coverage.delivery import walk_index
from buurtkaart.errors import InputError, PermissionDenied
from buurtkaart.exports import csv_bytes
from buurtkaart.members import audit
from buurtkaart.members.actors import User, acting_user
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vocabulary import COORDINATOR_VISIBLE_STATUSES, PENDING_STATUSES, MemberStatus
from buurtkaart.workspace import Workspace

#: Statuses a coordinator may see: approved candidates, members, and members who left (until erased).
#: Columns each list shows (personal data limited to what the role needs).
COLUMNS = {
    "screening": ["member_id", "name", "address_text", "phone", "email", "group_id", "applied_on",
                  "declaration_version", "declared_on", "consent_police"],
    "group": ["member_id", "name", "address_text", "phone", "email", "group_id", "status", "applied_on",
              "screened_on", "added_on", "sticker_on", "status_on"],
    "contacts": ["member_id", "name", "phone", "email", "address_text", "group_id"],
    "addresses": ["member_id", "group_id", "address_id", "status"],
    "stickers": ["member_id", "name", "address_text", "street", "housenumber", "group_id", "added_on"],
    "staff": ["member_id", "name", "address_text", "phone", "email", "status", "assign_status", "applied_on"],
}


def _marks(values: Sequence[object]) -> str:
    """``?, ?`` placeholders for an SQL ``IN`` of ``values``."""
    return ", ".join("?" for _ in values)


def _view(
    ws: Workspace, user: User, *, kind: str, where: str, params: Sequence[Any], with_geometry: bool = False,
) -> pd.DataFrame:
    with ws.transaction() as con:
        rows = _records.select(con, "members", where=where, params=params, with_geometry=with_geometry)
        audit.record_view(con, actor=user, subject="members", subject_ids=[r["member_id"] for r in rows],
                          detail=f"lijst {kind}")
    frame = _records.to_frame("members", rows)
    return frame


def _require(ws: Workspace, user: User | str | None, *roles: str) -> User:
    """The acting account as the users table holds it now (the command line counts as staff)."""
    return acting_user(ws, user, *roles, system=True)


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


def screening_queue(ws: Workspace, user: User | str | None) -> pd.DataFrame:
    """Candidates waiting for the police, oldest application first (police and staff).

    Parameters
    ----------
    ws : Workspace
        The workspace.
    user : User, str or None
        The acting police or staff account; ``None`` is refused.

    Returns
    -------
    pandas.DataFrame
        One row per candidate; the viewing is recorded in the audit log.
    """
    actor = _require(ws, user, "police", "staff")
    frame = _view(ws, actor, kind="screening", where="status = ?", params=[MemberStatus.KANDIDAAT])
    return frame.sort_values(["applied_on", "member_id"], kind="stable")[COLUMNS["screening"]].reset_index(drop=True)


def group_people(
    ws: Workspace, user: User | str | None, group_id: str | None = None, *,
    statuses: Sequence[str] = (MemberStatus.GOEDGEKEURD, MemberStatus.LID),
) -> pd.DataFrame:
    """Approved candidates and members of a coordinator's own groups (``group_id`` picks one; staff: any).

    A coordinator sees a candidate only once the police approved them, never a refused one
    (:data:`buurtkaart.vocabulary.COORDINATOR_VISIBLE_STATUSES`).
    """
    actor = _require(ws, user, "coordinator", "staff")
    if actor.role == "coordinator" and not set(statuses) <= set(COORDINATOR_VISIBLE_STATUSES):
        raise PermissionDenied(t("members.denied_status"))
    clause, params = _group_clause(_groups_for(actor, group_id))
    status_clause = f"status IN ({_marks(statuses)})"
    frame = _view(ws, actor, kind="groep", where=f"{clause} AND {status_clause}", params=[*params, *statuses])
    order = {s: i for i, s in enumerate((MemberStatus.GOEDGEKEURD, MemberStatus.KANDIDAAT, MemberStatus.LID,
                                          MemberStatus.GEWEIGERD, MemberStatus.VERTROKKEN))}
    frame = frame.assign(_o=frame["status"].map(order)).sort_values(["_o", "name"], kind="stable")
    return frame[COLUMNS["group"]].reset_index(drop=True)


def contact_list(ws: Workspace, user: User | str | None, group_id: str | None = None) -> pd.DataFrame:
    """Members (``lid``) of a coordinator's group with phone and e-mail, by name.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    user : User, str or None
        The acting account (a coordinator sees only their own groups; staff all); ``None`` is refused.
    group_id : str, optional
        One group of the user's; default all of them.

    Returns
    -------
    pandas.DataFrame
        One row per member; the viewing is recorded in the audit log.
    """
    actor = _require(ws, user, "coordinator", "staff")
    clause, params = _group_clause(_groups_for(actor, group_id))
    frame = _view(ws, actor, kind="contacten", where=f"{clause} AND status = ?",
                  params=[*params, MemberStatus.LID])
    return frame.sort_values("name", kind="stable")[COLUMNS["contacts"]].reset_index(drop=True)


def member_addresses(ws: Workspace, user: User | str | None, group_id: str | None = None) -> pd.DataFrame:
    """Members (``lid``) of a coordinator's group with only their id, group and address id: what participation
    figures count (no names or contact details), by member id."""
    actor = _require(ws, user, "coordinator", "staff")
    clause, params = _group_clause(_groups_for(actor, group_id))
    frame = _view(ws, actor, kind="deelname", where=f"{clause} AND status = ?",
                  params=[*params, MemberStatus.LID])
    return frame.sort_values("member_id", kind="stable")[COLUMNS["addresses"]].reset_index(drop=True)


def sticker_list(ws: Workspace, user: User | str | None, group_id: str | None = None) -> pd.DataFrame:
    """Members still waiting for their sticker, in the order to deliver them on foot (:func:`walk_order`, along
    the workspace's street lines, boxes of one building in order).

    Parameters
    ----------
    ws : Workspace
        The workspace.
    user : User, str or None
        The acting account (a coordinator sees only their own groups; staff all); ``None`` is refused.
    group_id : str, optional
        One group of the user's; default all of them.

    Returns
    -------
    pandas.DataFrame
        One row per member, in walking order (column ``stop``); the viewing is recorded in the audit log.
    """
    actor = _require(ws, user, "coordinator", "staff")
    clause, params = _group_clause(_groups_for(actor, group_id))
    frame = _view(ws, actor, kind="stickers", where=f"{clause} AND status = ? AND sticker_on IS NULL",
                  params=[*params, MemberStatus.LID], with_geometry=True)
    if frame.empty:
        return pd.DataFrame(frame)[COLUMNS["stickers"]].assign(stop=pd.Series(dtype="Int64"))
    addresses = ws.read("addresses")
    extra = [c for c in ("suffix", "box", "postcode") if c in addresses.columns]
    if extra:  # boxes and suffixes of the members' addresses, so that a building is walked in box order
        table = pd.DataFrame(addresses[["address_id", *extra]]).drop_duplicates("address_id").set_index("address_id")
        frame = frame.join(table, on="address_id")
    streets = ws.read("streets")
    ordered = frame.iloc[walk_order(frame, streets=None if streets.empty else streets)]
    out = pd.DataFrame(ordered[COLUMNS["stickers"]]).reset_index(drop=True)
    out.insert(0, "stop", pd.array(range(1, len(out) + 1), dtype="Int64"))
    return out


def staff_queue(ws: Workspace, user: User | str | None) -> pd.DataFrame:
    """Candidates with no group (uncovered area or overlap), for staff to route."""
    actor = _require(ws, user, "staff")
    frame = _view(ws, actor, kind="zonder groep",
                  where=f"group_id IS NULL AND status IN ({_marks(PENDING_STATUSES)})",
                  params=list(PENDING_STATUSES))
    return frame.sort_values(["applied_on", "member_id"], kind="stable")[COLUMNS["staff"]].reset_index(drop=True)


def export_list(ws: Workspace, user: User | str | None, kind: str, group_id: str | None = None) -> bytes:
    """A list as UTF-8 CSV (with BOM, so that Excel reads accents), recorded in the audit log as an export."""
    actor = _require(ws, user, "police", "coordinator", "staff")
    makers: dict[str, Callable[[], pd.DataFrame]] = {
        "screening": lambda: screening_queue(ws, user),
        "staff": lambda: staff_queue(ws, user),
        "contacts": lambda: contact_list(ws, user, group_id),
        "stickers": lambda: sticker_list(ws, user, group_id),
        "group": lambda: group_people(ws, user, group_id),
    }
    if kind not in makers:
        raise InputError(t("members.unknown_list", kind=kind, known=", ".join(makers)))
    frame = makers[kind]()
    with ws.transaction() as con:
        audit.record(con, actor=actor, action="geexporteerd", subject="members",
                     subject_ids=[str(i) for i in frame["member_id"]], detail=f"csv {kind}")
    return csv_bytes(frame, bom=True)


def walk_order(people: pd.DataFrame, *, streets: gpd.GeoDataFrame | None = None) -> np.ndarray:
    """Positions of ``people`` in the order to walk past them: the walking order of the invitation letters
    (:func:`buurtkaart.coverage.walk_index`) — street by street, each street up its odd side and back along its
    even side in the direction the numbers run along the street line (``streets``, else the points' main axis),
    the next street the nearest one not yet done, entered at its near end.

    Needs columns ``street`` and ``housenumber`` and point geometry (EPSG:31370); ``suffix``, ``box`` and
    ``postcode`` are used where present. People without a street or a point come last, by address text.

    >>> import geopandas as gpd, shapely
    >>> people = gpd.GeoDataFrame({"street": ["B", "A", "A", "A", "A"], "housenumber": [1, 4, 1, 3, 2],
    ...     "address_text": [""] * 5}, geometry=[shapely.Point(500, 0)] + [shapely.Point(x, 0) for x in range(4)])
    >>> [f"{s}{n}" for s, n in people.iloc[walk_order(people)][["street", "housenumber"]].values]
    ['A1', 'A3', 'A2', 'A4', 'B1']
    """
    geometry = gpd.GeoSeries(people.geometry.values, crs=getattr(people, "crs", None))
    placed = (people["street"].notna().to_numpy() & ~geometry.isna().to_numpy() & ~geometry.is_empty.to_numpy()
              & (geometry.geom_type == "Point").to_numpy())
    positions = np.arange(len(people))
    columns = [c for c in ("street", "housenumber", "suffix", "box", "postcode") if c in people.columns]
    walk = gpd.GeoDataFrame(people[columns].to_numpy(dtype=object)[placed], columns=columns,
                            geometry=geometry.values[placed], crs=geometry.crs or WORKING_CRS, index=positions[placed])
    walk["housenumber"] = pd.to_numeric(walk["housenumber"], errors="coerce")
    order = list(walk_index(walk, streets)) if placed.any() else []
    text = people["address_text"].astype("str").fillna("").to_numpy() if "address_text" in people.columns else None
    order.extend(sorted(positions[~placed], key=lambda i: (str(text[i]) if text is not None else "", i)))
    return np.asarray(order, dtype=int)
