"""What an edit of the group areas changes, before it is saved: addresses, members, streets and infobord sites.

Only what lies in the changed area (where the old and the new areas of a group differ) can change, so the
preview looks there only: fast enough to run on every edit.

>>> import geopandas as gpd, shapely
>>> old = gpd.GeoDataFrame({"group_id": ["G1"]}, geometry=[shapely.box(0, 0, 10, 10)], crs="EPSG:31370")
>>> new = gpd.GeoDataFrame({"group_id": ["G1"]}, geometry=[shapely.box(0, 0, 20, 10)], crs="EPSG:31370")
>>> addr = gpd.GeoDataFrame({"address_id": ["a", "b"], "street": ["Dorp", "Dorp"], "housenumber": [1, 2]},
...                         geometry=[shapely.Point(5, 5), shapely.Point(15, 5)], crs="EPSG:31370")
>>> preview_impact(old, new, addresses=addr).addresses[["address_id", "old_label", "new_label"]].values.tolist()
[['b', 'geen groep', 'G1']]
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from buurtkaart.assignment.points import GroupIndex
from buurtkaart.boundaries._geom import near, polygonal
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.validation import require_crs
from buurtkaart.vocabulary import AddressStatus

#: How far from a changed border an infobord site is looked at again (m).
SIGN_REACH_M = 30.0
#: Two areas whose borders lie less than this apart (m, on average) are the same area (rounding, not an edit).
SAME_WITHIN_M = 0.01
#: Streets this far around the changed groups are enough to find their entry roads (m).
_ENTRY_REACH_M = 250.0
#: Grid size of the group index for the changed area (small: few points, built on every edit).
_GRID_CELLS = 20_000


@dataclass
class Impact:
    """The preview of one edit: what changes group or status, plus the changed area itself."""

    changed_area: shapely.MultiPolygon
    addresses: gpd.GeoDataFrame
    members: gpd.GeoDataFrame
    streets: pd.DataFrame
    infoborden: gpd.GeoDataFrame
    changed_groups: list[str]

    @property
    def is_empty(self) -> bool:
        """True when nothing changes for anyone."""
        return not (len(self.addresses) or len(self.members) or len(self.streets) or len(self.infoborden))

    def summary(self) -> dict[str, int]:
        """Counts per kind, for a headline or ``--json``."""
        return {"adressen": len(self.addresses), "leden": len(self.members), "straten": len(self.streets),
                "infoborden": len(self.infoborden), "groepen": len(self.changed_groups)}

    def headline(self) -> str:
        """One Dutch sentence that sums the preview up and never contradicts it: nothing changes, only a border
        moves (no address, member, street or sign changes group), or the counts of what changes."""
        if not self.changed_groups:
            return t("boundaries.impact.headline.nothing")
        groups = t("boundaries.impact.headline.groups", count=len(self.changed_groups),
                   ids=", ".join(self.changed_groups))
        if self.is_empty:
            return t("boundaries.impact.headline.border_only", groups=groups)
        parts = [t(f"boundaries.impact.headline.{kind}", count=count)
                 for kind, count in (("addresses", len(self.addresses)), ("members", len(self.members)),
                                     ("streets", len(self.streets)), ("signs", len(self.infoborden))) if count]
        listed = parts[0] if len(parts) == 1 else t("boundaries.impact.headline.and", first=", ".join(parts[:-1]),
                                                                                    last=parts[-1])
        return t("boundaries.impact.headline.changes", changes=listed, groups=groups)

    def lines(self) -> list[str]:
        """The preview as Dutch sentences, one per change (addresses grouped per street and move)."""
        out = []
        if len(self.addresses):
            moves = self.addresses.groupby(["street", "old_label", "new_label"], sort=True).size()
            for (street, old, new), count in moves.items():
                out.append(t("boundaries.impact.address_line", count=count, street=street, old=old, new=new))
        for row in self.members.itertuples():
            out.append(t("boundaries.impact.member_line", member=row.member_id, old=row.old_label, new=row.new_label))
        for row in self.streets.itertuples():
            out.append(t("boundaries.impact.street_line", street=row.street, old=row.old_groups or "-",
                         new=row.new_groups or "-"))
        for row in self.infoborden.itertuples():
            sign = row.sign_id if isinstance(row.sign_id, str) else row.site_id
            out.append(t("boundaries.impact.sign_line", sign=sign, change=row.change_label))
        return out


def changed_area(old_groups: gpd.GeoDataFrame, new_groups: gpd.GeoDataFrame) -> tuple[shapely.MultiPolygon, list[str]]:
    """Where any group's area differs between ``old_groups`` and ``new_groups``, and which groups changed."""
    old = dict(zip(old_groups["group_id"].astype("str"), old_groups.geometry.values, strict=True))
    new = dict(zip(new_groups["group_id"].astype("str"), new_groups.geometry.values, strict=True))
    pieces, changed = [], []
    for gid in sorted(set(old) | set(new)):
        a, b = old.get(gid), new.get(gid)
        if a is not None and b is not None and shapely.equals_exact(a, b, tolerance=0.0):
            continue
        if a is None or b is None:
            pieces.append(a if b is None else b)
        else:
            if same_area(a, b):
                continue  # rounding from a file round trip (e.g. through EPSG:4326), not an edit
            pieces.append(shapely.symmetric_difference(a, b))
        changed.append(gid)
    return polygonal(shapely.union_all(pieces) if pieces else None), changed


def same_area(a: BaseGeometry, b: BaseGeometry) -> bool:
    """True when ``a`` and ``b`` differ by no more than coordinate rounding (borders within about 1 cm).

    >>> same_area(shapely.box(0, 0, 100, 100), shapely.box(0.001, 0, 100.001, 100))
    True
    """
    if shapely.equals_exact(a, b, tolerance=0.0):
        return True
    slack = SAME_WITHIN_M * max(a.length, b.length)
    return bool(shapely.symmetric_difference(a, b).area <= slack)


def assign_to_groups(points: np.ndarray, groups: gpd.GeoDataFrame | GroupIndex | None
                     ) -> tuple[pd.Series, pd.Series]:
    """The group of each point (NA unless ``toegewezen``) and its status, by ``buurtkaart.assignment.points``'s
    border rule.

    Meant for the few points of a changed area: pass the groups near it (or a :func:`local_index` of them).
    """
    series = gpd.GeoSeries(np.asarray(points, dtype=object), crs=WORKING_CRS)
    if len(series) == 0:
        return pd.Series([], dtype="str"), pd.Series([], dtype="str")
    index = local_index(groups) if isinstance(groups, gpd.GeoDataFrame) else groups
    if index is None:
        return (pd.Series([pd.NA] * len(series), dtype="str"),
                pd.Series([AddressStatus.NIET_GEDEKT] * len(series), dtype="str"))
    out = index.assign(series, nearest=0)
    return out["group_id"].astype("str").reset_index(drop=True), out["status"].astype("str").reset_index(drop=True)


def local_index(groups: gpd.GeoDataFrame) -> GroupIndex | None:
    """A small ``buurtkaart.assignment.points.GroupIndex`` of a few groups (None when there are none)."""
    return GroupIndex(groups, max_cells=_GRID_CELLS) if len(groups) else None


def preview_impact(
    old_groups: gpd.GeoDataFrame,
    new_groups: gpd.GeoDataFrame,
    *,
    addresses: gpd.GeoDataFrame | None = None,
    members: gpd.GeoDataFrame | None = None,
    streets: gpd.GeoDataFrame | None = None,
    infoborden: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
) -> Impact:
    """Compare the groups before and after an edit: who changes group or status (covered, overlap, uncovered).

    ``roads`` are the roads the sign sites are found on (default ``streets``; pass
    :func:`buurtkaart.infoborden.entry_roads` to see the entries from beyond the municipal border)."""
    for frame, label in ((old_groups, "groups"), (new_groups, "groups")):
        require_crs(frame, what=label)
    area, changed = changed_area(old_groups, new_groups)
    old_local = near(old_groups, area, 1.0)
    new_local = near(new_groups, area, 1.0)
    old_index, new_index = local_index(old_local), local_index(new_local)
    addr = _moved_points(addresses, area, old_index, new_index, ["address_id", "street", "housenumber"])
    mem = _moved_points(members, area, old_index, new_index, ["member_id", "status"])
    street_rows = _street_changes(streets, area, old_local, new_local)
    signs = _sign_changes(infoborden, area, changed, new_groups, streets if roads is None else roads)
    return Impact(area, addr, mem, street_rows, signs, changed)


def _moved_points(points: gpd.GeoDataFrame | None, area: BaseGeometry, old: GroupIndex | None,
                  new: GroupIndex | None, keep: list[str]) -> gpd.GeoDataFrame:
    columns = [*keep, "old_group", "new_group", "old_status", "new_status", "old_label", "new_label"]
    if points is None or len(points) == 0 or area.is_empty:
        return gpd.GeoDataFrame({c: pd.Series(dtype="str") for c in columns}, geometry=[], crs="EPSG:31370")
    require_crs(points, what="points")
    idx = points.sindex.query(area, predicate="intersects")
    local = points.iloc[np.sort(idx)]
    geoms = local.geometry.values
    old_group, old_status = assign_to_groups(geoms, old)
    new_group, new_status = assign_to_groups(geoms, new)
    moved = ((old_group.fillna("") != new_group.fillna("")) | (old_status != new_status)).to_numpy()
    out = local.loc[moved, [c for c in keep if c in local.columns]].copy()
    out["old_group"] = old_group[moved].to_numpy()
    out["new_group"] = new_group[moved].to_numpy()
    out["old_status"] = old_status[moved].to_numpy()
    out["new_status"] = new_status[moved].to_numpy()
    out["old_label"] = [_label(g, s) for g, s in zip(out["old_group"], out["old_status"], strict=True)]
    out["new_label"] = [_label(g, s) for g, s in zip(out["new_group"], out["new_status"], strict=True)]
    return gpd.GeoDataFrame(out, geometry=local.geometry.values[moved], crs=points.crs)


def _label(group: object, status: str) -> str:
    if status == AddressStatus.TOEGEWEZEN:
        return str(group)
    return t(f"boundaries.impact.status.{status}")


def _street_changes(streets: gpd.GeoDataFrame | None, area: BaseGeometry, old: gpd.GeoDataFrame,
                    new: gpd.GeoDataFrame) -> pd.DataFrame:
    empty = pd.DataFrame({"street": pd.Series(dtype="str"), "old_groups": pd.Series(dtype="str"),
                          "new_groups": pd.Series(dtype="str")})
    if streets is None or len(streets) == 0 or area.is_empty:
        return empty
    require_crs(streets, what="streets")
    idx = streets.sindex.query(area, predicate="intersects")
    touched = streets.iloc[np.sort(idx)]
    names = touched["name"].dropna().unique()
    if len(names) == 0:
        return empty
    segments = streets[streets["name"].isin(names)]
    rows = []
    for name, part in segments.groupby("name", sort=True):
        line = shapely.union_all(part.geometry.values)
        before, after = _groups_on(line, old), _groups_on(line, new)
        if before != after:
            rows.append({"street": name, "old_groups": ", ".join(before), "new_groups": ", ".join(after)})
    return pd.DataFrame(rows) if rows else empty


def _groups_on(line: BaseGeometry, groups: gpd.GeoDataFrame, min_length_m: float = 5.0) -> list[str]:
    if len(groups) == 0:
        return []
    lengths = shapely.length(shapely.intersection(groups.geometry.values, line))
    return sorted(groups["group_id"].astype("str")[lengths >= min_length_m])


def _sign_changes(signs: gpd.GeoDataFrame | None, area: BaseGeometry, changed: list[str],
                  new_groups: gpd.GeoDataFrame, streets: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Signs of the changed groups against the sites the new areas need (``buurtkaart.infoborden``): signs to
    move, to remove or to re-letter, and sites still without a sign. Without streets: signs near the changed area.
    """
    columns = ["sign_id", "site_id", "group_ids", "change", "change_label"]
    empty = gpd.GeoDataFrame({c: pd.Series(dtype="str") for c in columns}, geometry=[], crs=WORKING_CRS)
    if signs is None or len(signs) == 0 or not changed:
        return empty
    require_crs(signs, what="infoborden")
    touched = set(changed)
    mine = np.array([bool(touched & _ids(g)) for g in signs["group_ids"].fillna("")], dtype=bool)
    affected = signs[mine]
    if len(affected) == 0:
        return empty
    if streets is None or len(streets) == 0:
        reach = shapely.buffer(area, SIGN_REACH_M)
        remaining = set(new_groups["group_id"].astype("str"))
        gone = np.array([bool(_ids(g) & (touched - remaining)) for g in affected["group_ids"]], dtype=bool)
        close = shapely.intersects(affected.geometry.values, reach)
        pick = gone | close
        out = affected.loc[pick, ["sign_id", "group_ids"]].copy()
        out["site_id"] = None
        out["change"] = np.where(gone[pick], "overbodig", "controleren")
        out["change_label"] = [t(f"boundaries.impact.sign.{c}") for c in out["change"]]
        return gpd.GeoDataFrame(out[columns], geometry=affected.geometry.values[pick], crs=WORKING_CRS)
    from buurtkaart.infoborden import entry_sites, find_entries
    from buurtkaart.infoborden.changes import compare_signs

    kept = new_groups[new_groups["group_id"].astype("str").isin(touched)]
    if len(kept):
        roads = near(streets, shapely.union_all(kept.geometry.values), _ENTRY_REACH_M)
        sites = entry_sites(find_entries(kept, roads), kept)
    else:
        sites = gpd.GeoDataFrame({"site_id": pd.Series(dtype="str"), "group_ids": pd.Series(dtype="str")},
                                 geometry=[], crs=WORKING_CRS)
    diff = compare_signs(affected, sites)
    diff = diff[diff["change"] != "ok"]
    out = pd.DataFrame({"sign_id": diff["sign_id"], "site_id": diff["site_id"],
                        "group_ids": diff["new_group_ids"].fillna(diff["old_group_ids"]),
                        "change": diff["change"], "change_label": diff["description"]})
    return gpd.GeoDataFrame(out, geometry=diff.geometry.values, crs=WORKING_CRS)


def _ids(value: object) -> set[str]:
    return {g.strip() for g in str(value).split(",") if g.strip()}
