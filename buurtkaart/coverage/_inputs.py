"""Input checks and the per-address status every coverage figure starts from.

Every address row is one household (a box number is its own row, so its own household). The status of an address
comes from the assignment engineer's :func:`buurtkaart.assign.assign_points` once it exists; until then a thin
local rule does the same job: an address inside exactly one group is ``toegewezen``, inside two or more it is an
``overlap``, inside none ``niet_gedekt``; a point on the edge shared by two groups belongs to the group with the
smallest ``group_id``.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t

#: Status values of an address (the assignment engineer's vocabulary).
COVERED, OVERLAP, UNCOVERED, OUTSIDE = "toegewezen", "overlap", "niet_gedekt", "buiten_gemeente"
STATUSES = (COVERED, OVERLAP, UNCOVERED, OUTSIDE)
#: The members' status that counts as a member of a group.
MEMBER_STATUS = "lid"


def check_frame(
    frame: object, *, layer: str, columns: Iterable[str], geometry: str | None = None, problems: list[str]
) -> None:
    """Add to ``problems`` what is wrong with ``frame`` as layer ``layer`` (missing columns, CRS, geometry type)."""
    if not isinstance(frame, pd.DataFrame):
        problems.append(t("coverage.error.not_a_frame", layer=layer, found=type(frame).__name__))
        return
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        problems.append(t("coverage.error.missing_columns", layer=layer, columns=", ".join(missing)))
    if geometry is None:
        return
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        problems.append(t("coverage.error.no_geometry", layer=layer))
        return
    if frame.crs is None or not frame.crs.equals(WORKING_CRS):
        problems.append(t("coverage.error.wrong_crs", layer=layer, crs=frame.crs, expected=WORKING_CRS))
    geoms = frame.geometry.values
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    allowed = {"point": [0], "line": [1, 5], "polygon": [3, 6]}[geometry]
    wrong = present & ~np.isin(shapely.get_type_id(geoms), allowed)
    if wrong.any():
        problems.append(t("coverage.error.wrong_geometry", layer=layer, count=int(wrong.sum()),
                          expected=t(f"coverage.geometry.{geometry}")))
    if (~present).any():
        problems.append(t("coverage.error.empty_geometry", layer=layer, count=int((~present).sum())))


def raise_problems(problems: list[str]) -> None:
    """Raise one :class:`InputError` naming every problem, if there are any."""
    if problems:
        raise InputError(t("coverage.error.input"), problems=problems)


def check_inputs(addresses: object, groups: object, members: object = None) -> None:
    """Check the three inputs of every coverage figure at once."""
    problems: list[str] = []
    check_frame(addresses, layer="addresses", columns=["street"], geometry="point", problems=problems)
    check_frame(groups, layer="groups", columns=["group_id"], geometry="polygon", problems=problems)
    if members is not None:
        check_frame(members, layer="members", columns=["status"], problems=problems)
        if isinstance(members, pd.DataFrame) and not {"group_id", "address_id"} & set(members.columns):
            problems.append(t("coverage.error.members_link"))
    raise_problems(problems)


def group_memberships(points: gpd.GeoSeries, groups: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every (point position, group_id) pair where the point lies in the group's interior or on its edge.

    Returns columns ``pos`` (0-based position in ``points``), ``group_id`` and ``inside`` (True for the interior,
    False for a point on the edge).
    """
    group_geoms = groups.geometry.values
    pos, gpos = shapely.STRtree(group_geoms).query(points.values, predicate="intersects")
    if len(pos) == 0:
        return pd.DataFrame({"pos": np.array([], dtype=np.int64), "group_id": pd.Series([], dtype="str"),
                             "inside": np.array([], dtype=bool)})
    boundary = shapely.boundary(group_geoms)
    on_edge = shapely.intersects(points.values[pos], boundary[gpos])
    ids = groups["group_id"].astype("str").to_numpy()
    return pd.DataFrame({"pos": pos, "group_id": ids[gpos], "inside": ~on_edge})


def _assign_fallback(points: gpd.GeoSeries, groups: gpd.GeoDataFrame) -> pd.DataFrame:
    pairs = group_memberships(points, groups)
    inside = pairs[pairs["inside"]]
    n_inside = np.bincount(inside["pos"].to_numpy(), minlength=len(points))
    status = np.where(n_inside >= 2, OVERLAP, np.where(n_inside == 1, COVERED, UNCOVERED)).astype(object)
    group_id = pd.Series(pd.NA, index=range(len(points)), dtype="str")
    one = inside[n_inside[inside["pos"].to_numpy()] == 1]
    group_id.iloc[one["pos"].to_numpy()] = one["group_id"].to_numpy()
    edge = pairs[~pairs["inside"] & (n_inside[pairs["pos"].to_numpy()] == 0)]
    if len(edge):
        first = edge.sort_values(["pos", "group_id"]).drop_duplicates("pos")
        group_id.iloc[first["pos"].to_numpy()] = first["group_id"].to_numpy()
        status[first["pos"].to_numpy()] = COVERED
    return pd.DataFrame({"group_id": group_id.to_numpy(), "status": status}, index=points.index)


def assign_status(points: gpd.GeoSeries, groups: gpd.GeoDataFrame) -> pd.DataFrame:
    """``group_id`` and ``status`` of every point, indexed like ``points``."""
    try:
        from buurtkaart.assign import assign_points  # type: ignore[attr-defined]
    except ImportError:
        return _assign_fallback(points, groups)
    result = assign_points(points, groups)
    return pd.DataFrame({"group_id": result["group_id"], "status": result["status"]}, index=points.index)
