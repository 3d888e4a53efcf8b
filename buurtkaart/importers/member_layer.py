"""The members layer from a file that buurtkaart exported (``buurtkaart export members``, in any format: CSV,
Excel, GeoPackage, GeoJSON, shapefile, KML), recognised by its ``member_id`` column.

Such a file **is the layer**, as for every other layer: a member whose ``member_id`` is stored gets the file's
values (status, dates, group, notes ... as written), a new ``member_id`` is added, and a stored member missing from
the file is removed (erased as in :func:`buurtkaart.gdpr.erase_person`, audited ``verwijderd``). A file that would
keep fewer than half of 10 or more stored members is refused unless ``force``. The workflow fields are checked
first: a status outside :data:`buurtkaart.membership.STATUSES`, a date that is no date, an unknown group, an id
used twice, a phone number or e-mail address that is none: every such row is listed in one Dutch error.

A member list without ``member_id`` (the municipality's own list) is read by :mod:`buurtkaart.importers.members`:
its people are added, those already present skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import shapely

from buurtkaart import _records, audit
from buurtkaart.errors import InputError
from buurtkaart.importers import _validate as v
from buurtkaart.importers._layer_file import layer_rows
from buurtkaart.importers.report import ImportReport
from buurtkaart.membership import STATUSES, normalise_phone
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace

if TYPE_CHECKING:
    from buurtkaart.importers.members import MemberImport

#: The member columns that hold a date (ISO ``YYYY-MM-DD`` in the workspace).
DATE_COLUMNS = ("applied_on", "status_on", "declared_on", "screened_on", "added_on", "sticker_on", "left_on")
_GUARD_MIN_ROWS = 10
_GUARD_SHARE = 0.5
_SHOWN = 10


def read_member_layer(raw: pd.DataFrame, workspace: Workspace, report: ImportReport, *, crs: str | None = None,
                      force: bool = False) -> MemberImport:
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
        (~frame["status"].isin(STATUSES), "import.members_bad_status", {"known": ", ".join(STATUSES)}),
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
    stored = set(workspace.read("members", columns=["member_id"])["member_id"].astype("str"))
    ids = set(frame["member_id"])
    removed = sorted(stored - ids)
    _check_not_shrinking(len(stored), len(stored) - len(removed), len(frame), force=force)
    report.note("import.note.members_layer", added=len(ids - stored), updated=len(ids & stored),
                removed=len(removed))
    report.kept = len(frame)
    return MemberImport(frame.reset_index(drop=True), report, replace=True)


def store_member_layer(workspace: Workspace, members: MemberImport, *, actor: object = audit.CLI_ACTOR
                       ) -> list[str]:
    """Make the stored members those of the file, in one transaction with an audit line per kind of change
    (added, changed, removed); returns the ids of the file. Removed people are erased for good (the file is
    compacted afterwards, as after an erasure)."""
    from buurtkaart import gdpr

    frame = members.frame
    ids = [str(i) for i in frame["member_id"]]
    with workspace.transaction() as con:
        _records.ensure_table(con, "members")
        stored = {str(row["member_id"]) for row in _records.select(con, "members")}
        removed = sorted(stored - set(ids))
        changed = [i for i in ids if i in stored]
        gdpr._erase(con, removed + changed)  # changed rows are written again below, with the file's values
        for _, row in frame.iterrows():
            values = {k: (None if pd.isna(row[k]) else row[k]) for k in frame.columns if k != "geometry"}
            point = row.geometry if isinstance(row.geometry, shapely.Geometry) else None
            _records.insert(con, "members", values, geometry=None if point is None or point.is_empty else point)
        detail = f"import uit {members.report.source}"
        for action, subject_ids in (("aangemaakt", [i for i in ids if i not in stored]), ("gewijzigd", changed),
                                    ("verwijderd", removed)):
            if subject_ids:
                audit.record(con, actor=actor, action=action, subject="members",  # type: ignore[arg-type]
                             subject_ids=subject_ids, detail=detail)
    if removed:
        gdpr._compact(workspace)
    return ids


def _rows(mask: pd.Series) -> str:
    from buurtkaart.importers.members import _line

    numbers = [str(_line(label)) for label in mask.index[mask.to_numpy(dtype=bool)]]
    return ", ".join(numbers[:_SHOWN]) + (" ..." if len(numbers) > _SHOWN else "")


def _check_not_shrinking(stored: int, kept: int, new: int, *, force: bool) -> None:
    """As for the other layers (:func:`buurtkaart.importers.run.prepare_import`): refuse, unless ``force``, a file
    that keeps fewer than half of 10 or more stored members."""
    if force or stored < _GUARD_MIN_ROWS or kept >= _GUARD_SHARE * stored:
        return
    raise InputError(t("import.would_shrink", kind="members", stored=stored),
                     problems=[t("import.would_shrink_counts", stored=stored, kept=kept, new=new),
                               t("import.would_shrink_fix")])
