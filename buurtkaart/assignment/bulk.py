"""Bulk assignment: a list of people with addresses → their group, with a report; members after a boundary change.

* :func:`assign_people` takes a table (CSV/Excel read into a DataFrame) with an address column, looks every
  address up (:meth:`buurtkaart.geocoding.lookup.AddressIndex.lookup_many`) and assigns the points to groups
  (:func:`buurtkaart.assignment.points.assign_points`). Each row ends in exactly one status of
  :data:`buurtkaart.vocabulary.PEOPLE_STATUSES`. The
  input is not changed; running it again on the same input, or on its own output, gives the same result.
* :func:`assign_members` / :func:`reassign_members` recompute the group of the workspace's active members
  (kandidaat, goedgekeurd, lid) for new group boundaries and return the changes without saving them.

>>> import geopandas as gpd, pandas as pd, shapely
>>> from buurtkaart.geocoding.lookup import AddressIndex
>>> adr = gpd.GeoDataFrame({"address_id": ["a1", "a2"], "street": ["Kerkstraat", "Kerkstraat"],
...     "housenumber": [1, 2], "postcode": ["1730", "1730"]},
...     geometry=[shapely.Point(10, 10), shapely.Point(500, 10)], crs="EPSG:31370")
>>> groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["Centrum"]},
...     geometry=[shapely.box(0, 0, 100, 100)], crs="EPSG:31370")
>>> people = pd.DataFrame({"naam": ["An", "Bo", "Cas"], "adres": ["Kerkstraat 1", "Kerkstr 2", "Xyzlaan 9"]})
>>> out, report = assign_people(people, index=AddressIndex.from_layers(adr), groups=groups)
>>> out["status"].tolist()
['toegewezen', 'niet_gedekt', 'adres_niet_gevonden']
>>> report.counts["toegewezen"], report.total
(1, 3)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from buurtkaart.assignment.find import FIND_COLUMNS, FindIndex, find_groups
from buurtkaart.assignment.points import GroupIndex
from buurtkaart.errors import InputError
from buurtkaart.geocoding.lookup import AddressIndex
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vocabulary import JOINING_OR_MEMBER_STATUSES, LOOKUP_FOUND_STATUSES, PEOPLE_STATUSES, AddressStatus

#: Column names looked for when ``address_column`` is not given (case-insensitive).
ADDRESS_COLUMNS = ("adres", "address", "address_text", "adres_tekst", "volledig adres", "straat en nummer")
#: Columns :func:`assign_people` adds (replacing them when the input already has them).
OUTPUT_COLUMNS = FIND_COLUMNS


@dataclass
class AssignReport:
    """What happened to each row: counts per status and the rows that need a person to look at them."""

    counts: dict[str, int]
    total: int
    not_found: list[tuple[Any, str, str]] = field(default_factory=list)  # (row label, text, suggestions)
    overlap: list[tuple[Any, str]] = field(default_factory=list)  # (row label, group ids)
    uncovered: list[tuple[Any, str]] = field(default_factory=list)  # (row label, nearest groups)

    def text(self, *, max_rows: int = 20) -> str:
        """The report in Dutch, one line per status and the rows to check."""
        lines = [t("assign.report.title", total=self.total)]
        lines += [t(f"assign.report.count.{status}", count=self.counts.get(status, 0)) for status in PEOPLE_STATUSES]
        for title, rows in (("not_found", self.not_found), ("overlap", self.overlap), ("uncovered", self.uncovered)):
            if rows:
                lines.append(t(f"assign.report.section.{title}"))
                lines += [f"  {t('assign.report.row', row=row[0])}: " + " — ".join(str(v) for v in row[1:] if v)
                          for row in rows[:max_rows]]
                if len(rows) > max_rows:
                    lines.append("  " + t("assign.report.more", count=len(rows) - max_rows))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "counts": dict(self.counts),
                "not_found": [{"row": str(r), "text": x, "suggestions": s} for r, x, s in self.not_found],
                "overlap": [{"row": str(r), "groups": g} for r, g in self.overlap],
                "uncovered": [{"row": str(r), "nearest": n} for r, n in self.uncovered]}


def find_address_column(frame: pd.DataFrame, address_column: str | None = None) -> str:
    """The column holding the address text: ``address_column`` or a usual name (:data:`ADDRESS_COLUMNS`)."""
    if address_column is not None:
        if address_column not in frame.columns:
            raise InputError(t("assign.error.people"), problems=[
                t("assign.error.no_column", column=address_column, columns=", ".join(map(str, frame.columns)))])
        return address_column
    lower = {str(c).strip().lower(): c for c in frame.columns}
    for name in ADDRESS_COLUMNS:
        if name in lower:
            return lower[name]
    raise InputError(t("assign.error.people"), problems=[
        t("assign.error.no_address_column", known=", ".join(ADDRESS_COLUMNS),
          columns=", ".join(map(str, frame.columns)))])


def assign_people(frame: pd.DataFrame, *, address_column: str | None = None, index: AddressIndex | FindIndex,
                  groups: gpd.GeoDataFrame | GroupIndex | None = None, municipality_area: Any = None
                  ) -> tuple[pd.DataFrame, AssignReport]:
    """Look up and assign every row of ``frame``; returns (frame with :data:`OUTPUT_COLUMNS` added, report).

    The rows are answered by :func:`buurtkaart.assignment.find.find_groups` (the same composition as a resident's
    single question). ``index`` is a :class:`~buurtkaart.assignment.find.FindIndex`, or an
    :class:`~buurtkaart.geocoding.lookup.AddressIndex` together with ``groups`` (the groups layer or a
    :class:`GroupIndex`; ``municipality_area`` marks points outside the municipality). The result is indexed like
    ``frame``. An address whose postcode is not one of the register's (another municipality) is
    ``buiten_gemeente``; one that is not found, or not unambiguously, is ``adres_niet_gevonden`` with the
    register's suggestions.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per person, with the address as text in one column.
    address_column : str, optional
        That column; found by its usual names (``adres``, ``address``...) when omitted.
    index : FindIndex or AddressIndex
        A :class:`~buurtkaart.assignment.find.FindIndex` (``FindIndex.from_workspace(ws)``), or the register to look
        the addresses up in together with ``groups``.
    groups : GeoDataFrame or GroupIndex, optional
        With an ``AddressIndex``: the groups layer, or a prepared :class:`~buurtkaart.assignment.points.GroupIndex`.
    municipality_area : optional
        With ``groups`` as a layer: the municipality's area, to tell ``buiten_gemeente`` from ``niet_gedekt``.

    Returns
    -------
    tuple of (pandas.DataFrame, AssignReport)
        ``frame`` indexed as given with the :data:`OUTPUT_COLUMNS` added, and the counts per status.
    """
    column = find_address_column(frame, address_column)
    if not isinstance(index, FindIndex):
        if groups is None:
            raise TypeError("assign_people: an AddressIndex needs groups")
        group_index = (groups if isinstance(groups, GroupIndex)
                       else GroupIndex(groups, municipality_area=municipality_area))
        index = FindIndex(index, group_index)
    base = frame.drop(columns=[c for c in OUTPUT_COLUMNS if c in frame.columns and c != column])
    texts = base[column].astype("object").where(base[column].notna(), "").astype(str).str.strip()
    found = find_groups(texts, index=index)
    out = base.copy()
    for name in OUTPUT_COLUMNS:
        out[name] = found[name]
    return out, _report(out, texts)


def _report(out: pd.DataFrame, texts: pd.Series) -> AssignReport:
    counts = {str(s): int((out["status"] == s).sum()) for s in PEOPLE_STATUSES}
    report = AssignReport(counts=counts, total=len(out))
    for label, row in out.iterrows():
        if row["status"] == AddressStatus.ADRES_NIET_GEVONDEN:
            sugg = row["suggestions"] if isinstance(row["suggestions"], str) else ""
            report.not_found.append((label, str(texts.loc[label]), sugg))
        elif row["status"] == AddressStatus.OVERLAP:
            report.overlap.append((label, str(row["groups"])))
        elif row["status"] == AddressStatus.NIET_GEDEKT:
            report.uncovered.append((label, str(row["nearest"])))
    return report


# ------------------------------------------------------------------------------------------------ members
def assign_members(members: gpd.GeoDataFrame, *, groups: gpd.GeoDataFrame | GroupIndex,
                   municipality_area: Any = None, index: AddressIndex | None = None) -> pd.DataFrame:
    """``group_id`` and ``assign_status`` of every member for ``groups``, indexed like ``members``.

    A member without a point is looked up from ``address_text`` when ``index`` is given (else ``geen_punt``).
    Members who left or were refused keep their recorded group (returned unchanged).
    """
    group_index = groups if isinstance(groups, GroupIndex) else GroupIndex(groups, municipality_area=municipality_area)
    geometry = members.geometry.copy() if isinstance(members, gpd.GeoDataFrame) else gpd.GeoSeries(
        [None] * len(members), index=members.index, crs=WORKING_CRS)
    missing = geometry.isna() | geometry.is_empty
    if index is not None and missing.any() and "address_text" in members:
        found = index.lookup_many(members.loc[missing, "address_text"].astype("object").fillna("").astype(str))
        located = found["status"].isin(LOOKUP_FOUND_STATUSES)
        geometry.loc[located[located].index] = found.geometry[located]
    assigned = group_index.assign(gpd.GeoSeries(geometry, crs=WORKING_CRS), nearest=0)
    out = pd.DataFrame({"group_id": assigned["group_id"], "assign_status": assigned["status"]}, index=members.index)
    active = members["status"].isin(JOINING_OR_MEMBER_STATUSES) if "status" in members else pd.Series(
        True, index=members.index)
    for column in ("group_id", "assign_status"):
        if column in members:
            out.loc[~active, column] = members.loc[~active, column]
    return out.astype("str")


def reassign_members(ws: Any, *, groups: gpd.GeoDataFrame | None = None, index: AddressIndex | None = None
                     ) -> pd.DataFrame:
    """The members whose group would change under ``groups`` (default: the workspace's own groups). Saves nothing.

    Returns one row per changed member, indexed like the members layer: ``member_id``, ``old_group_id``,
    ``new_group_id``, ``old_assign_status``, ``new_assign_status`` (no names or contact details).
    """
    members = ws.read("members")
    if groups is None:
        groups = ws.read("groups")
    area = ws.read("municipality")
    if members.empty or groups.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in
                             ("member_id", "old_group_id", "new_group_id", "old_assign_status", "new_assign_status")})
    new = assign_members(members, groups=groups, municipality_area=None if area.empty else area,
                         index=index)
    old_group = members["group_id"].astype("str")
    old_status = members["assign_status"].astype("str")
    changed = (old_group.fillna("\0") != new["group_id"].fillna("\0")) | (
        old_status.fillna("\0") != new["assign_status"].fillna("\0"))
    return pd.DataFrame({
        "member_id": members["member_id"].astype("str"),
        "old_group_id": old_group, "new_group_id": new["group_id"],
        "old_assign_status": old_status, "new_assign_status": new["assign_status"],
    })[changed]
