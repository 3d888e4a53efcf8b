"""Snap a drawn polygon or line to street centrelines and existing group borders, keeping border streets whole.

A hand-drawn edge a few metres off a street or a neighbouring group's border is moved onto it (within
``tolerance_m``), so that groups meet without slivers or gaps. Where the snapped border then runs along a
street, the houses on the far side of that street are taken in too, so that both sides of a street stay in one
group; ``split_streets=True`` keeps the split (a deliberate split by side).

>>> import shapely
>>> street = shapely.LineString([(0, 0), (100, 0)])
>>> drawn = shapely.LineString([(10, 3), (90, 4)])
>>> snapped = snap_geometry(drawn, [street], tolerance_m=5)
>>> round(snapped.hausdorff_distance(shapely.LineString([(10, 0), (90, 0)])), 6)
0.0
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from buurtkaart.boundaries._geom import near, polygonal, street_key
from buurtkaart.boundaries.compose import compose_group
from buurtkaart.errors import InputError
from buurtkaart.texts import t
from buurtkaart.validation import require_crs


def snap_geometry(
    geometry: BaseGeometry,
    references: Iterable[BaseGeometry],
    *,
    tolerance_m: float = 10.0,
    step_m: float = 2.0,
) -> BaseGeometry:
    """Move every vertex of ``geometry`` (densified every ``step_m``) that lies within ``tolerance_m`` of the
    ``references`` (lines or polygons, whose borders count) onto the nearest reference point."""
    if tolerance_m <= 0 or step_m <= 0:
        raise InputError(t("boundaries.snap.bad_tolerance", tolerance=tolerance_m, step=step_m))
    lines = [shapely.boundary(g) if g.geom_type in ("Polygon", "MultiPolygon") else g for g in references]
    parts = [p for g in lines if g is not None and not g.is_empty for p in shapely.get_parts(g)]
    if not parts or geometry.is_empty:
        return geometry
    segments, owners = _segments(parts)
    tree = shapely.STRtree(segments)
    return shapely.transform(shapely.segmentize(geometry, step_m),
                             lambda xy: _snap_coords(xy, tree, owners, tolerance_m))


def _segments(lines: list[BaseGeometry]) -> tuple[np.ndarray, np.ndarray]:
    """Every line cut into its two-point segments (a nearest search over short pieces is fast), and for each
    segment the index of the line it came from."""
    pieces, owners = [], []
    for i, line in enumerate(lines):
        xy = shapely.get_coordinates(line)
        if len(xy) >= 2:
            pieces.append(np.stack([xy[:-1], xy[1:]], axis=1))
            owners.append(np.full(len(xy) - 1, i))
    if not pieces:
        return np.array([], dtype=object), np.array([], dtype=int)
    return shapely.linestrings(np.concatenate(pieces)), np.concatenate(owners)


def _snap_coords(xy: np.ndarray, tree: shapely.STRtree, owners: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Snap each vertex to the nearest reference within ``tolerance_m``, but stay on the line the previous vertex
    snapped to while that line is almost as near (within half the tolerance): no zig-zag at junctions."""
    points = shapely.points(xy)
    p_idx, s_idx = tree.query(points, predicate="dwithin", distance=tolerance_m)
    if len(p_idx) == 0:
        return xy
    dist = shapely.distance(points[p_idx], tree.geometries.take(s_idx))
    order = np.lexsort((dist, p_idx))
    p_idx, s_idx, dist = p_idx[order], s_idx[order], dist[order]
    starts = np.flatnonzero(np.r_[True, p_idx[1:] != p_idx[:-1]])
    ends = np.r_[starts[1:], len(p_idx)]
    chosen = starts.copy()  # the nearest candidate of each vertex
    owner = owners[s_idx[chosen]]
    point_of = p_idx[starts]
    for k in np.flatnonzero(ends - starts > 1).tolist():  # only vertices with a choice need the rule
        if k == 0 or point_of[k - 1] != point_of[k] - 1:
            continue
        a, b = int(starts[k]), int(ends[k])
        same = np.flatnonzero((owners[s_idx[a:b]] == owner[k - 1]) & (dist[a:b] <= dist[a] + tolerance_m / 2))
        if len(same):
            chosen[k] = a + int(same[0])
            owner[k] = owner[k - 1]
    out = xy.copy()
    targets = p_idx[chosen]
    links = shapely.shortest_line(points[targets], tree.geometries.take(s_idx[chosen]))
    out[targets] = shapely.get_coordinates(shapely.get_point(links, 1))
    return out


def snap_drawing(
    geometry: BaseGeometry,
    *,
    streets: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame | None = None,
    group_id: str | None = None,
    addresses: gpd.GeoDataFrame | None = None,
    tolerance_m: float = 10.0,
    split_streets: bool = False,
    reach_m: float = 40.0,
) -> BaseGeometry:
    """A drawn group area (or line) snapped to street centrelines and the borders of the other ``groups``.

    For a polygon with ``addresses`` given and ``split_streets=False``, streets that run along the snapped
    border are kept whole: their houses on the outside join the area (see :func:`keep_streets_whole`).
    """
    require_crs(streets, what="streets")
    refs = list(near(streets, geometry, tolerance_m).geometry.values)
    if groups is not None and len(groups):
        require_crs(groups, what="groups")
        others = groups if group_id is None else groups[groups["group_id"] != group_id]
        refs.extend(near(others, geometry, tolerance_m).geometry.values)
    snapped = snap_geometry(geometry, refs, tolerance_m=tolerance_m)
    if snapped.geom_type in ("Polygon", "MultiPolygon"):
        snapped = polygonal(shapely.make_valid(snapped))
        if addresses is not None and not split_streets:
            snapped = keep_streets_whole(snapped, addresses, streets=streets, tolerance_m=tolerance_m,
                                         reach_m=reach_m)
    return snapped


def border_streets(
    area: BaseGeometry, streets: gpd.GeoDataFrame, *, tolerance_m: float = 10.0, min_share: float = 0.5
) -> gpd.GeoDataFrame:
    """The street segments that run along the border of ``area``: at least ``min_share`` of the segment lies
    within ``tolerance_m`` of the border (and at least twice ``tolerance_m`` of it: a crossing is no border)."""
    border = shapely.boundary(area)
    if len(streets) == 0 or border.is_empty:
        return streets.iloc[:0]
    idx = streets.sindex.query(border, predicate="dwithin", distance=tolerance_m)
    nearby = streets.iloc[np.sort(idx)]
    if len(nearby) == 0:
        return nearby
    band = shapely.buffer(border, tolerance_m)
    along = shapely.length(shapely.intersection(nearby.geometry.values, band))
    total = shapely.length(nearby.geometry.values)
    share = np.divide(along, total, out=np.zeros_like(along), where=total > 0)
    return nearby[(share >= min_share) & (along >= 2 * tolerance_m)]


def keep_streets_whole(
    area: BaseGeometry,
    addresses: gpd.GeoDataFrame,
    *,
    streets: gpd.GeoDataFrame,
    tolerance_m: float = 10.0,
    reach_m: float = 40.0,
) -> shapely.MultiPolygon:
    """``area`` grown so that streets along its border keep both sides: the houses of a border street that lie
    outside ``area`` (within ``reach_m`` of the border stretch) join it, with their address cells."""
    require_crs(addresses, what="addresses")
    along = border_streets(area, streets, tolerance_m=tolerance_m)
    area = polygonal(area)
    if len(along) == 0:
        return area
    # only the stretch that runs along the border, not where a street merely crosses it
    band = shapely.buffer(shapely.boundary(area), tolerance_m)
    cut = shapely.get_parts(shapely.intersection(shapely.union_all(along.geometry.values), band))
    lines = shapely.multilinestrings(cut[shapely.get_type_id(cut) == 1])
    pieces = shapely.get_parts(shapely.line_merge(lines))
    pieces = pieces[shapely.length(pieces) > 3 * tolerance_m]
    if len(pieces) == 0:
        return area
    stretch = shapely.union_all(shapely.buffer(pieces, reach_m, cap_style="flat"))
    local = near(addresses, stretch, 0.0)
    names = set(along["name"].map(street_key))
    on_street = local["street"].map(street_key).isin(names).to_numpy()
    candidates = (on_street & shapely.intersects(local.geometry.values, stretch)
                  & ~shapely.intersects(local.geometry.values, area))
    if not candidates.any():
        return area
    mask = pd.Series(False, index=addresses.index)
    mask.loc[local.index[candidates]] = True
    extra = compose_group(addresses, mask, reach_m=reach_m)
    return polygonal(shapely.union(area, extra))
