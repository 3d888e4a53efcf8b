"""Point → group: which WhatsApp-buurtpreventiegroep covers each address, with one rule for points on a border.

**The border rule.** A point inside exactly one group's area belongs to that group, even where it touches the
border of another group. A point *on* the border of one or more groups and inside none of them belongs to the
group found 1 mm further on at a fixed angle of 10° north of east (:data:`BORDER_STEP_M`,
:data:`BORDER_ANGLES_DEG`): on a north–south border the eastern group takes it, on an east–west border the
northern group, at a corner where three meet the group lying east-north-east of the corner. Where no group lies
there (the outer edge of the covered area) the step is tried turning clockwise, 10° east of south, then 10° south
of west, then 10° west of north; if still none, the touching group whose ``group_id`` sorts first wins. The rule
depends only on geometry and ids, never on row order, so the answer is the same every time.

**Statuses** (:data:`STATUSES`): ``toegewezen`` (one group), ``overlap`` (inside two or more groups: a conflict
naming all of them in ``groups``, ``group_id`` NA), ``niet_gedekt`` (in no group: ``nearest`` lists the closest
groups with their distance in metres), ``buiten_gemeente`` (outside the municipality, when one is given; this wins
over the others), ``geen_punt`` (missing or empty geometry).

**Register addresses over the border.** The importer keeps an address of the municipality's postcodes that lies a
few metres over the (simplified) border. Given as ``own_points``, such an address is the municipality's own: never
``buiten_gemeente``, and assigned as if it stood just inside the border (1 cm past the border's nearest point), so
it belongs to the group whose area runs along the border there (:mod:`buurtkaart.assignment._own_addresses`).

Speed: a :class:`~buurtkaart.assignment._label_grid.LabelGrid` answers all points away from borders by array
lookup; only
points near a border get an exact test (``STRtree``), so a million addresses take well under a second.

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["G1", "G2"]},
...     geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)], crs="EPSG:31370")
>>> pts = gpd.GeoSeries.from_xy([50, 100, 100, 300], [50, 50, 100, 50], crs="EPSG:31370")
>>> out = assign_points(pts, groups)
>>> out["group_id"].tolist(), out["status"].tolist()
(['G1', 'G2', 'G2', nan], ['toegewezen', 'toegewezen', 'toegewezen', 'niet_gedekt'])
>>> out.loc[3, "nearest"]
(('G2', 100.0), ('G1', 200.0))
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from buurtkaart.assignment._label_grid import EXACT, NONE, LabelGrid
from buurtkaart.assignment._own_addresses import just_inside, own_area
from buurtkaart.errors import InputError
from buurtkaart.texts import t
from buurtkaart.validation import crs_problem, require_columns, require_crs, require_geometry
from buurtkaart.vocabulary import POINT_STATUSES

__all__ = ["BORDER_ANGLES_DEG", "STATUSES", "GroupIndex", "assign_points"]

#: The statuses of :func:`assign_points` (the vocabulary's :data:`buurtkaart.vocabulary.POINT_STATUSES`).
STATUSES: tuple[str, ...] = tuple(map(str, POINT_STATUSES))  # plain strings in results
#: The step and the directions (degrees counter-clockwise from east, tried in turn) of the border rule.
BORDER_STEP_M = 0.001
BORDER_ANGLES_DEG = (10.0, -80.0, -170.0, 100.0)
_ASSIGNED, _OVERLAP, _UNCOVERED, _OUTSIDE, _NO_POINT = range(5)
_OFF = -3  # cell label: outside the municipality
_STATUS_ARROW = pa.array(list(STATUSES), type=pa.string())


class GroupIndex:
    """The groups prepared for fast point → group answers; build once, call :meth:`assign` many times.

    ``municipality_area`` (a polygon, a GeoSeries or GeoDataFrame in EPSG:31370) marks points outside it
    ``buiten_gemeente``; a point on its border counts as inside. ``own_points`` are the municipality's own register
    addresses: the importer keeps those of its postcodes that lie a few metres over the (simplified) border, so
    within 1 m of such a point (at most 50 m over the border) counts as inside too: a register address is never
    told it is outside.

    ``max_cells`` and ``mixed_share`` set the label raster (see
    :class:`~buurtkaart.assignment._label_grid.LabelGrid`): only
    the speed depends on them, never the answers.
    """

    def __init__(self, groups: gpd.GeoDataFrame, *, municipality_area: Any = None, own_points: Any = None,
                 max_cells: int = 4_000_000, mixed_share: float = 0.1) -> None:
        _check_groups(groups)
        order = np.argsort(groups["group_id"].astype("str").to_numpy(dtype=object), kind="stable")
        self.ids = groups["group_id"].astype("str").to_numpy(dtype=object)[order]
        self.names = (groups["name"].astype("object").to_numpy()[order] if "name" in groups
                      else self.ids.copy())
        self.geoms = np.asarray(groups.geometry.values, dtype=object)[order]
        self.tree = shapely.STRtree(self.geoms)
        shapely.prepare(self.geoms)
        strict = _municipality_geometry(municipality_area)
        self.municipality = _with_own_points(strict, own_points)
        #: the municipality itself, where register addresses lie over its border (else None)
        self._strict = strict if self.municipality is not strict else None
        if self._strict is not None:
            shapely.prepare(self._strict)
        extra: tuple[np.ndarray, ...] = ()
        if self.municipality is not None:
            shapely.prepare(self.municipality)
            extra = (np.array([self.municipality], dtype=object),)
        self.grid = LabelGrid(self.geoms, max_cells=max_cells, mixed_share=mixed_share, tree=self.tree,
                              extra=extra)
        # one label per cell for both questions: the group, or _OFF outside the municipality, or EXACT where
        # either border passes (the municipality's is then tested only for points in its own border cells)
        self._code = self.grid.flat_labels(0)
        if self.municipality is not None:
            inner, muni = self.grid.flat_labels(0), self.grid.flat_labels(1)
            self._code = np.where(muni == NONE, _OFF, np.where(muni == EXACT, EXACT, inner)).astype(np.int32)
        self._ids_arrow = pa.array(list(self.ids), type=pa.string())
        singles = np.empty(len(self.ids) + 1, dtype=object)
        singles[:-1] = [(gid,) for gid in self.ids]
        singles[-1] = ()
        self._singles = singles

    @classmethod
    def from_workspace(cls, ws: Any, **options: Any) -> GroupIndex:
        """The groups and municipality of a workspace (with its register addresses as ``own_points``)."""
        muni = ws.read("municipality")
        own = ws.read("addresses", columns=["address_id"]).geometry if len(muni) else None
        return cls(ws.read("groups"), municipality_area=muni if len(muni) else None, own_points=own, **options)

    def name_of(self, group_id: str) -> str:
        """The group's display name (its id when it has none)."""
        pos = int(np.searchsorted(self.ids, group_id))
        if pos < len(self.ids) and self.ids[pos] == group_id:
            name = self.names[pos]
            return str(name) if name is not None and not pd.isna(name) else group_id
        return group_id

    # ---------------------------------------------------------------------------------------------- assign
    def assign(self, points: gpd.GeoSeries | gpd.GeoDataFrame, *, nearest: int = 3,
               nearest_within_m: float = 300.0) -> pd.DataFrame:
        """Assign each point; a frame indexed like ``points`` (see :func:`assign_points`)."""
        geoms, missing, x, y = _point_values(points)
        status, group, groups_col, nearest_col = self._assign(geoms, missing, x, y, nearest=nearest,
                                                              nearest_within_m=nearest_within_m)
        codes = pa.array(group, mask=group < 0)
        index = points.index
        return pd.DataFrame(
            {
                "group_id": pd.Series(self._ids_arrow.take(codes), dtype="str", index=index, copy=False),
                "status": pd.Series(_STATUS_ARROW.take(pa.array(status)), dtype="str", index=index, copy=False),
                "groups": pd.Series(groups_col, index=index, dtype=object, copy=False),
                "nearest": pd.Series(nearest_col, index=index, dtype=object, copy=False),
            },
            index=index,
            copy=False,
        )

    def assign_point(self, point: shapely.Point, *, nearest: int = 3,
                     nearest_within_m: float = 300.0) -> tuple[str, tuple[str, ...], tuple[tuple[str, float], ...]]:
        """One point (EPSG:31370) as plain values: ``(status, groups, nearest)`` as in :meth:`assign`, without
        building a frame (a resident's single question)."""
        geoms = np.array([point], dtype=object)
        status, _group, groups_col, nearest_col = self._assign(
            geoms, np.zeros(1, dtype=bool), np.array([point.x]), np.array([point.y]), nearest=nearest,
            nearest_within_m=nearest_within_m)
        return STATUSES[int(status[0])], tuple(groups_col[0]), tuple(nearest_col[0])

    def _assign(self, geoms: np.ndarray, missing: np.ndarray, x: np.ndarray, y: np.ndarray, *, nearest: int,
                nearest_within_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        n = len(geoms)
        flat = self.grid.locate(x, y)
        label = self._code[flat]
        covered = label >= 0
        status = np.full(n, _UNCOVERED, dtype=np.int8)
        status[covered] = _ASSIGNED
        group = np.maximum(label, -1).astype(np.int64)
        groups_col = self._singles[np.where(covered, label, len(self.ids))]
        exact = np.flatnonzero(label == EXACT)
        if missing.any():
            exact = exact[~missing[exact]]
        if len(exact):
            self._exact(geoms, exact, status, group, groups_col)
        if self.municipality is not None:
            self._outside(geoms, flat, label, exact, missing, status, group, groups_col)
        status[missing] = _NO_POINT
        if self._strict is not None:
            self._over_border(geoms, status, group, groups_col)
        nearest_col = _empty_tuples(n)
        uncovered = np.flatnonzero(status == _UNCOVERED)
        if nearest > 0 and len(uncovered) and len(self.ids):
            self._nearest(geoms, uncovered, nearest_col, k=nearest, within_m=nearest_within_m)
        return status, group, groups_col, nearest_col

    def _exact(self, geoms: np.ndarray, rows: np.ndarray, status: np.ndarray, group: np.ndarray,
               groups_col: np.ndarray) -> None:
        """Points near a border: exact interior test, then the border rule for points on a border."""
        pts = geoms[rows]
        p_all, g_all = self.tree.query(pts)  # bounding boxes, then the prepared interior test per pair
        inside = shapely.contains_properly(self.geoms[g_all], pts[p_all])
        p_idx, g_idx = p_all[inside], g_all[inside]
        hits = np.bincount(p_idx, minlength=len(rows))
        one = np.flatnonzero(hits == 1)
        first = np.full(len(rows), -1, dtype=np.int64)
        first[p_idx[::-1]] = g_idx[::-1]
        status[rows[one]] = _ASSIGNED
        group[rows[one]] = first[one]
        groups_col[rows[one]] = self._singles[first[one]]
        zero = np.flatnonzero(hits == 0)
        group[rows[zero]] = -1
        status[rows[zero]] = _UNCOVERED
        groups_col[rows[zero]] = self._singles[np.full(len(zero), -1)]
        several = np.flatnonzero(hits >= 2)
        if len(several):
            inside = _collect(p_idx, g_idx, len(rows))
            for k in several.tolist():
                status[rows[k]], group[rows[k]] = _OVERLAP, -1
                groups_col[rows[k]] = tuple(self.ids[h] for h in sorted(inside[k]))
        if not len(zero):
            return
        position = np.full(len(rows), -1, dtype=np.int64)
        position[zero] = np.arange(len(zero))
        candidate = position[p_all] >= 0
        cp, cg = p_all[candidate], g_all[candidate]
        touches = shapely.intersects(self.geoms[cg], pts[cp])
        bp, bg = position[cp[touches]], cg[touches]
        touching = _collect(bp, bg, len(zero))
        steps = [(BORDER_STEP_M * math.cos(math.radians(a)), BORDER_STEP_M * math.sin(math.radians(a)))
                 for a in BORDER_ANGLES_DEG]
        for j in np.flatnonzero(np.bincount(bp, minlength=len(zero))).tolist():
            row = rows[zero[j]]
            chosen = self._border_rule(pts[zero[j]], sorted(touching[j]), steps)
            groups_col[row] = tuple(self.ids[h] for h in chosen)
            if len(chosen) == 1:
                status[row], group[row] = _ASSIGNED, chosen[0]
            else:
                status[row] = _OVERLAP

    def _over_border(self, geoms, status, group, groups_col) -> None:
        """Uncovered points outside the municipality itself (so in the area of its register addresses over the
        border): assigned as if they stood just inside the border, past its nearest point."""
        rows = np.flatnonzero(status == _UNCOVERED)
        if len(rows):
            rows = rows[~shapely.intersects(self._strict, geoms[rows])]
        if len(rows):
            moved = geoms.copy()
            moved[rows] = just_inside(geoms[rows], self._strict)
            self._exact(moved, rows, status, group, groups_col)

    def _border_rule(self, point: shapely.Point, touching: list[int], steps: list[tuple[float, float]]) -> list[int]:
        for dx, dy in steps:
            stepped = shapely.Point(point.x + dx, point.y + dy)
            ahead = [g for g in touching if shapely.within(stepped, self.geoms[g])]
            if ahead:
                return ahead
        return touching[:1]  # ids are sorted, so touching[0] sorts first

    def _outside(self, geoms, flat, label, exact, missing, status, group, groups_col) -> None:
        """Points outside the municipality (still listing the groups that hold them), and the exact test near
        its border."""
        outside = np.flatnonzero(label == _OFF)
        if missing.any():
            outside = outside[~missing[outside]]
        if len(outside):
            inner = self.grid.flat_labels(0)[flat[outside]]
            groups_col[outside] = self._singles[np.where(inner >= 0, inner, len(self.ids))]
            near = outside[inner == EXACT]
            if len(near):
                self._exact(geoms, near, status, group, groups_col)
            status[outside], group[outside] = _OUTSIDE, -1
        if len(exact):
            check = exact[self.grid.flat_labels(1)[flat[exact]] == EXACT]
            if len(check):
                off = check[~shapely.intersects(self.municipality, geoms[check])]
                status[off], group[off] = _OUTSIDE, -1

    def _nearest(self, geoms, rows: np.ndarray, out: np.ndarray, *, k: int, within_m: float) -> None:
        """Up to ``k`` groups within ``within_m`` of each point, closest first; at least the nearest one."""
        pts = geoms[rows]
        x, y = shapely.get_x(pts), shapely.get_y(pts)
        boxes = shapely.box(x - within_m, y - within_m, x + within_m, y + within_m)
        p_idx, g_idx = self.tree.query(boxes)  # candidates by bounding box, then one exact distance each
        dist = np.round(shapely.distance(pts[p_idx], self.geoms[g_idx]), 1)
        near = dist <= within_m
        p_idx, g_idx, dist = p_idx[near], g_idx[near], dist[near]
        far = np.flatnonzero(np.bincount(p_idx, minlength=len(rows)) == 0)
        if len(far):
            (fp, fg), fd = self.tree.query_nearest(pts[far], all_matches=False, return_distance=True)
            p_idx = np.concatenate([p_idx, far[fp]])
            g_idx = np.concatenate([g_idx, fg])
            dist = np.concatenate([dist, np.round(fd, 1)])
        order = np.lexsort((g_idx, dist, p_idx))
        p_idx, g_idx, dist = p_idx[order], g_idx[order], dist[order]
        starts = np.flatnonzero(np.r_[True, p_idx[1:] != p_idx[:-1]])
        rank = np.arange(len(p_idx)) - np.repeat(starts, np.diff(np.r_[starts, len(p_idx)]))
        keep = rank < k
        p_idx, g_idx, dist = p_idx[keep], g_idx[keep], dist[keep]
        pairs = list(zip(self.ids[g_idx].tolist(), dist.tolist(), strict=True))
        bounds = np.flatnonzero(np.r_[True, p_idx[1:] != p_idx[:-1], True]).tolist()
        targets = rows[p_idx[bounds[:-1]]].tolist()
        for target, a, b in zip(targets, bounds[:-1], bounds[1:], strict=True):
            out[target] = tuple(pairs[a:b])


def assign_points(points: gpd.GeoSeries | gpd.GeoDataFrame, groups: gpd.GeoDataFrame | GroupIndex, *,
                  municipality_area: Any = None, own_points: Any = None, nearest: int = 3) -> pd.DataFrame:
    """Which group covers each point, by the border rule of this module.

    Returns a frame indexed like ``points`` with ``group_id`` (NA unless ``toegewezen``), ``status`` (one of
    :data:`STATUSES`), ``groups`` (tuple of the ids of every group holding the point, after the border rule) and
    ``nearest`` (tuple of up to ``nearest`` ``(group_id, distance_m)`` pairs for ``niet_gedekt`` points, the
    closest first: the groups within 300 m (``GroupIndex.assign(nearest_within_m=...)``), and always at least the
    nearest group however far). Pass a :class:`GroupIndex` instead of ``groups`` to reuse the prepared groups.
    ``own_points``: the municipality's register addresses, never ``buiten_gemeente`` (see :class:`GroupIndex`).

    >>> import geopandas as gpd, shapely
    >>> groups = gpd.GeoDataFrame({"group_id": ["A", "B"]},
    ...     geometry=[shapely.box(0, 0, 100, 100), shapely.box(50, 0, 150, 100)], crs="EPSG:31370")
    >>> out = assign_points(gpd.GeoSeries.from_xy([75], [50], crs="EPSG:31370"), groups)
    >>> out.loc[0, "status"], out.loc[0, "groups"]
    ('overlap', ('A', 'B'))

    Parameters
    ----------
    points : GeoSeries or GeoDataFrame
        Points in EPSG:31370 (an empty or missing geometry is ``geen_punt``).
    groups : GeoDataFrame or GroupIndex
        The groups layer (``group_id``, polygons in EPSG:31370) or a prepared :class:`GroupIndex`.
    municipality : optional
        The municipality outline; a point outside it is ``buiten_gemeente``.
    own_points : optional
        The register's own addresses, never ``buiten_gemeente``.
    nearest : int, default 3
        How many nearest groups to list for a ``niet_gedekt`` point.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``points``: ``group_id``, ``status``, ``groups`` and ``nearest`` as described above.
    """
    index = (groups if isinstance(groups, GroupIndex)
             else GroupIndex(groups, municipality_area=municipality_area, own_points=own_points))
    return index.assign(points, nearest=nearest)


# ------------------------------------------------------------------------------------------------- helpers
def _empty_tuples(n: int) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out.fill(())
    return out


def _collect(p_idx: np.ndarray, g_idx: np.ndarray, n: int) -> list[list[int]]:
    hits: list[list[int]] = [[] for _ in range(n)]
    for p, g in zip(p_idx.tolist(), g_idx.tolist(), strict=True):
        hits[p].append(g)
    return hits


def _point_values(points: gpd.GeoSeries | gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The point geometries, a mask of missing or empty ones, and their x and y (NaN where missing).

    Every problem is gathered into one error. Fast path: every geometry has an x and a y, so all are points.
    """
    problems: list[str] = []
    series = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    if not isinstance(series, gpd.GeoSeries):
        raise InputError(t("assign.error.points"), problems=[t("assign.error.not_geo")])
    require_crs(series, what="points", problems=problems)
    values = np.asarray(series.values, dtype=object)
    if not problems:
        try:  # NaN for missing geometries and non-points; an empty point raises
            x, y = shapely.get_x(values), shapely.get_y(values)
        except shapely.errors.GEOSException:
            x = y = np.full(1, np.nan)
        if not np.isnan(x).any():
            return values, np.zeros(len(values), dtype=bool), x, y
    types = shapely.get_type_id(values)
    require_geometry(series, "point", what="points", problems=problems, allow_empty=True)
    if problems:
        raise InputError(t("assign.error.points"), problems=problems)
    missing = (types < 0) | shapely.is_empty(values)
    present = values.copy()
    present[missing] = None
    return values, missing, shapely.get_x(present), shapely.get_y(present)


def _check_groups(groups: gpd.GeoDataFrame) -> None:
    problems: list[str] = []
    if not isinstance(groups, gpd.GeoDataFrame):
        raise InputError(t("assign.error.groups"), problems=[t("assign.error.not_geo")])
    if not require_columns(groups, ["group_id"], what="groups", problems=problems):
        ids = groups["group_id"]
        if ids.isna().any():
            problems.append(t("assign.error.empty_ids", count=int(ids.isna().sum())))
        dupes = ids[ids.duplicated() & ids.notna()]
        if len(dupes):
            problems.append(t("assign.error.duplicate_ids", examples=", ".join(map(str, dupes.unique()[:3]))))
    require_crs(groups, what="groups", problems=problems)
    require_geometry(groups, "polygon", what="groups", problems=problems)
    geoms = groups.geometry.values
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    invalid = ~shapely.is_valid(geoms) & ~empty & polygonal
    if invalid.any():
        first = groups["group_id"].iloc[int(np.flatnonzero(invalid)[0])] if "group_id" in groups else "?"
        problems.append(t("assign.error.invalid_groups", count=int(invalid.sum()), first=first))
    if problems:
        raise InputError(t("assign.error.groups"), problems=problems)


def _municipality_geometry(municipality: Any) -> shapely.Geometry | None:
    if municipality is None:
        return None
    if isinstance(municipality, gpd.GeoDataFrame | gpd.GeoSeries):
        if (problem := crs_problem(municipality, what="municipality")) is not None:
            raise InputError(t("assign.error.municipality"), problems=[problem])
        if not len(municipality):
            return None
        return shapely.make_valid(municipality.geometry.union_all())
    if isinstance(municipality, shapely.Geometry):
        return municipality
    raise InputError(t("assign.error.municipality"), problems=[t("assign.error.not_geo")])


def _with_own_points(area: shapely.Geometry | None, points: Any) -> shapely.Geometry | None:
    """``area`` with the register addresses (a GeoSeries or GeoDataFrame in EPSG:31370) just over its border."""
    if area is None or points is None or not len(points):
        return area
    geoms, missing, _, _ = _point_values(points)
    return own_area(area, geoms[~missing])
