"""What changed in the address register since the last import: new, gone (retired) and moved addresses, the group
each new address falls in, and the members whose address is gone.

Two addresses are the same when their key is the same: street, house number, suffix, box, postcode and
deelgemeente (:data:`ADDRESS_KEY`, the key of the importers' duplicate check). A kept address whose point moved
more than ``moved_m`` (5 m) is *moved*. The members at a gone address are personal data: only staff (and the
command line, which acts as staff) get them, and reading them is written to the audit log.

>>> import geopandas as gpd, shapely
>>> def register(rows):
...     return gpd.GeoDataFrame(
...         {"address_id": [r[0] for r in rows], "street": "Dorp", "housenumber": [r[1] for r in rows],
...          "suffix": None, "box": None, "postcode": "1730", "deelgemeente": "Asse"},
...         geometry=[shapely.Point(r[2], 0) for r in rows], crs=31370)
>>> old = register([("a1", 1, 0), ("a2", 2, 20), ("a3", 3, 40)])
>>> new = register([("b1", 1, 0), ("b2", 2, 30), ("b4", 4, 60)])
>>> changes = address_changes(old, new)
>>> changes.new["label"].tolist(), changes.gone["label"].tolist(), changes.moved["moved_m"].tolist()
(['Dorp 4'], ['Dorp 3'], [10.0])
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart import _records
from buurtkaart.errors import InputError
from buurtkaart.members import audit
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vocabulary import JOINING_OR_MEMBER_STATUSES

#: The key that makes two addresses the same (as the importers' duplicate check).
ADDRESS_KEY = ("street", "housenumber", "suffix", "box", "postcode", "deelgemeente")
#: How far a point must move to count as moved.
MOVED_M = 5.0
_ADDRESS_COLUMNS = ["address_id", "label", "street", "housenumber", "suffix", "box", "postcode", "deelgemeente"]
_MEMBER_COLUMNS = ["member_id", "name", "address_text", "address_id", "group_id", "status"]
_REPORT_SUFFIXES = (".csv", ".xlsx")


@dataclass
class RegisterChanges:
    """The changes between the stored register and a newer file.

    ``new``: addresses of the file not in the store, with the ``group_id`` and ``group_status`` (the assignment
    status of :mod:`buurtkaart.assignment.points`) of their point. ``gone``: stored addresses not in the file (retired),
    with the group they were in. ``moved``: addresses in both whose point moved more than ``moved_m``
    (``moved_m`` column, the new point as geometry). ``members``: members (candidate, approved, member) whose
    ``address_id`` is a gone address; personal data, empty unless read for staff. ``unchanged``: how many
    addresses kept their key and point.
    """

    new: gpd.GeoDataFrame
    gone: gpd.GeoDataFrame
    moved: gpd.GeoDataFrame
    members: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_MEMBER_COLUMNS))
    unchanged: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """How many addresses are new, gone, moved and unchanged, and how many members live at a gone one."""
        return {"new": len(self.new), "gone": len(self.gone), "moved": len(self.moved),
                "unchanged": self.unchanged, "members": len(self.members)}

    def lines(self) -> list[str]:
        """A Dutch summary: one line with the counts, one per group that gets new addresses, one for the members.
        No personal data."""
        c = self.counts
        lines = [t("import.changes.summary", new=c["new"], gone=c["gone"], moved=c["moved"],
                   unchanged=c["unchanged"])]
        if c["new"]:
            per_group = self.new["group_id"].fillna(t("import.changes.no_group")).value_counts(sort=False)
            lines.append(t("import.changes.new_per_group", groups=", ".join(
                f"{group}: {count}" for group, count in sorted(per_group.items()))))
        if c["members"]:
            lines.append(t("import.changes.members_gone", count=c["members"]))
        return lines

    def table(self) -> pd.DataFrame:
        """Every change as one row with Dutch headers (for the report file): the change, the address, the group,
        how far it moved, and for each member at a gone address their id, name and status."""
        h = {k: t(f"import.changes.column.{k}") for k in
             ("change", "address", "postcode", "deelgemeente", "group", "moved_m", "member_id", "name", "status")}
        parts = []
        for kind, frame in (("new", self.new), ("gone", self.gone), ("moved", self.moved)):
            part = pd.DataFrame({
                h["change"]: t(f"import.changes.kind.{kind}"), h["address"]: frame["label"].to_numpy(),
                h["postcode"]: frame["postcode"].to_numpy(), h["deelgemeente"]: frame["deelgemeente"].to_numpy(),
                h["group"]: frame["group_id"].to_numpy() if "group_id" in frame else None,
                h["moved_m"]: frame["moved_m"].to_numpy() if "moved_m" in frame else np.nan,
            })
            parts.append(part)
        members = self.members
        parts.append(pd.DataFrame({
            h["change"]: t("import.changes.kind.member"), h["address"]: members["address_text"].to_numpy(),
            h["group"]: members["group_id"].to_numpy(), h["member_id"]: members["member_id"].to_numpy(),
            h["name"]: members["name"].to_numpy(), h["status"]: members["status"].to_numpy(),
        }))
        columns = list(h.values())
        return pd.concat([p.reindex(columns=columns) for p in parts if len(p)] or [pd.DataFrame(columns=columns)],
                         ignore_index=True).astype(object).where(lambda f: f.notna(), None)

    def to_dict(self) -> dict[str, object]:
        """The counts and the summary lines (for ``--json``); no personal data."""
        return {**self.counts, "lines": self.lines()}


def address_changes(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame, *, groups: gpd.GeoDataFrame | None = None,
                    municipality_area: Any = None, moved_m: float = MOVED_M) -> RegisterChanges:
    """The changes from the stored register ``old`` to the newer ``new`` (both ``addresses`` layers).

    ``groups`` (and ``municipality_area``) give the group of each new and each gone address. ``moved_m`` is the
    distance a point must move to count as moved. The members are not read here (:func:`changes_since_import`).
    """
    if not moved_m >= 0:
        raise InputError(t("import.changes.bad_moved_m", value=moved_m))
    old_keys, new_keys = _keys(old), _keys(new)
    new_set, old_set = set(new_keys.tolist()), set(old_keys.tolist())  # hashed (numpy's isin on texts is slow)
    in_new = np.fromiter((key in new_set for key in old_keys), dtype=bool, count=len(old_keys))
    in_old = np.fromiter((key in old_set for key in new_keys), dtype=bool, count=len(new_keys))
    fresh = _addresses(new.loc[~in_old])
    gone = _addresses(old.loc[~in_new])
    position = {key: i for i, key in enumerate(old_keys)}
    matched_new = np.flatnonzero(in_old)
    matched_old = np.array([position[key] for key in new_keys[matched_new]], dtype=np.int64)
    distance = shapely.distance(np.asarray(old.geometry.values)[matched_old],
                                np.asarray(new.geometry.values)[matched_new])
    far = distance > moved_m
    moved = _addresses(new.iloc[matched_new[far]])
    moved["moved_m"] = np.round(distance[far], 1)
    if groups is not None and len(groups):
        from buurtkaart.assignment.points import GroupIndex

        index = GroupIndex(groups, municipality_area=municipality_area, own_points=new.geometry)
        for frame in (fresh, gone):
            if len(frame):
                assigned = index.assign(frame.geometry)
                frame["group_id"] = assigned["group_id"].astype("str").to_numpy()
                frame["group_status"] = assigned["status"].astype("str").to_numpy()
    for frame in (fresh, gone):
        for column in ("group_id", "group_status"):
            if column not in frame:
                frame[column] = pd.Series(pd.NA, index=frame.index, dtype="str")
    return RegisterChanges(new=fresh, gone=gone, moved=moved, unchanged=int(len(matched_new) - far.sum()))


def changes_since_import(workspace: Any, frame: gpd.GeoDataFrame, *, actor: Any = audit.CLI_ACTOR,
                         moved_m: float = MOVED_M) -> RegisterChanges | None:
    """The changes from the workspace's stored addresses to ``frame`` (a newer file, read but not stored), with the
    members at each gone address; None when nothing is stored yet (a first import changes nothing).

    ``actor`` must be staff (or the command line): reading the members is recorded in the audit log.
    """
    from buurtkaart.members.actors import SYSTEM_ACTORS, User, require_staff

    stored = workspace.read("addresses")
    if stored.empty:
        return None
    muni = workspace.read("municipality")
    changes = address_changes(stored, frame, groups=workspace.read("groups"),
                              municipality_area=muni if len(muni) else None, moved_m=moved_m)
    gone_ids = [str(i) for i in changes.gone["address_id"].dropna()]
    if gone_ids:
        if isinstance(actor, User) and actor.username in SYSTEM_ACTORS:  # the command line, as prepare_import passes it
            actor = actor.username
        actor = require_staff(workspace, actor)
        changes.members = _members_at(workspace, gone_ids, actor=actor)
    return changes


def write_changes(changes: RegisterChanges, path: str | os.PathLike[str]) -> int:
    """Write :meth:`RegisterChanges.table` to ``path`` (``.csv`` or ``.xlsx``), every text cell made formula-safe
    (:func:`buurtkaart.safe_text.spreadsheet_frame`), atomically and readable by its owner only (it may name
    members). Returns the number of rows."""
    from buurtkaart.exports import _atomic, write_layer
    from buurtkaart.safe_text import spreadsheet_frame

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _REPORT_SUFFIXES:
        raise InputError(t("import.changes.bad_report_suffix", suffix=suffix or "(geen)",
                           known=", ".join(_REPORT_SUFFIXES)))
    table = changes.table()
    if suffix == ".csv":
        return write_layer(table, target)
    if not target.parent.is_dir():
        raise InputError(t("export.no_folder", folder=target.parent))
    _atomic(target, lambda tmp: spreadsheet_frame(table).to_excel(tmp, index=False, engine="openpyxl"))
    return len(table)


def _keys(frame: pd.DataFrame) -> np.ndarray:
    """The address key of every row as one text (NA as an empty part, numbers as text)."""
    key = pd.Series("", index=frame.index, dtype=object)
    for column in ADDRESS_KEY:
        values = frame[column] if column in frame.columns else pd.Series(pd.NA, index=frame.index)
        part = values.astype("object").where(values.notna(), "").astype(str).str.strip()
        key = key + "\x1f" + part
    return key.to_numpy(dtype=object)


def _addresses(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The address columns (and a readable ``label``: ``Kerkstraat 12A bus 3``) of ``frame``'s rows."""
    label = (frame["street"].astype("str").fillna("?") + " " + frame["housenumber"].astype("str").fillna("?")
             + frame["suffix"].astype("str").fillna("")
             + (" " + t("import.changes.box") + " " + frame["box"].astype("str")).fillna(""))
    out = pd.DataFrame({c: frame[c].to_numpy() for c in _ADDRESS_COLUMNS if c in frame.columns},
                       index=pd.RangeIndex(len(frame)))
    out["label"] = label.to_numpy()
    out = out[[c for c in _ADDRESS_COLUMNS if c in out.columns]]
    return gpd.GeoDataFrame(out, geometry=np.asarray(frame.geometry.values), crs=WORKING_CRS)


def _members_at(workspace: Any, address_ids: list[str], *, actor: Any) -> pd.DataFrame:
    """The active members whose address is one of ``address_ids``, the view written to the audit log."""
    marks = ", ".join("?" for _ in JOINING_OR_MEMBER_STATUSES)
    wanted = set(address_ids)
    with workspace.transaction() as con:
        rows = [r for r in _records.select(con, "members", where=f"status IN ({marks}) AND address_id IS NOT NULL",
                                           params=list(JOINING_OR_MEMBER_STATUSES))
                if str(r.get("address_id")) in wanted]
        if rows:
            audit.record_view(con, actor=actor, subject="members", subject_ids=[r["member_id"] for r in rows],
                              detail="registerwijzigingen")
    if not rows:
        return pd.DataFrame(columns=_MEMBER_COLUMNS)
    return pd.DataFrame(rows)[_MEMBER_COLUMNS].reset_index(drop=True)
