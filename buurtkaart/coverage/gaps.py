"""Coverage gaps: uncovered addresses gathered into gap areas along the street network.

Every uncovered address is attached to its street segment (the nearest segment, preferring one that carries the
address's own street name). Segments are the nodes of a :mod:`networkx` graph; two segments touching each other
are neighbours. Two uncovered addresses belong to one gap when one can walk from one to the other along the
streets passing at most ``max_link_m`` metres without an uncovered address; a segment inside a group blocks the
way, and a road beyond the municipal border (given with ``outside`` True) may link but never belongs to a gap.
Each gap then takes its streets whole (the empty rest of a gap street is added) and gets a proposed boundary:
the union of its street segments buffered by ``depth_m`` and of its addresses, minus the existing groups (and
outside the municipality), so that staff can turn it into a new group in one step
(:func:`gap_as_group`). Gaps are ranked by households.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from buurtkaart.boundaries.compose import group_from_gap
from buurtkaart.coverage._inputs import check_frame, mode_by, name_keys, outside_mask, raise_problems
from buurtkaart.coverage._split import split_large_gaps
from buurtkaart.coverage.figures import address_coverage
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vocabulary import AddressStatus

_SETTINGS = Path(__file__).resolve().parents[1] / "reference" / "coverage.json"
GAP_COLUMNS = ["gap_id", "rank", "households", "members", "streets", "n_streets", "street_ids", "length_m",
               "area_km2", "deelgemeente", "postcode", "name"]


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    """The coverage settings of ``buurtkaart/reference/coverage.json``."""
    with _SETTINGS.open(encoding="utf-8") as fh:
        return json.load(fh)


def _segments(streets: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per LineString part of ``streets`` usable by residents (no motorways), with name, street_id and
    whether it lies beyond the municipal border (``outside``)."""
    frame = streets[~streets["road_class"].astype("str").isin(settings()["no_address_road_classes"])] \
        if "road_class" in streets.columns else streets
    parts, index = shapely.get_parts(frame.geometry.values, return_index=True)
    ids = frame["street_id"].to_numpy()[index] if "street_id" in frame.columns else frame.index.to_numpy()[index]
    return pd.DataFrame({
        "geometry": parts,
        "name": frame["name"].astype("str").fillna("").to_numpy(dtype=object)[index],
        "street_id": ids,
        "length_m": shapely.length(parts),
        "outside": outside_mask(frame)[index],
    })


def _snap(points: np.ndarray, names: np.ndarray, segs: pd.DataFrame, tree: shapely.STRtree) -> np.ndarray:
    """The segment position of every point: nearest, with a bonus for a segment of the point's own street."""
    conf = settings()
    (near_p, _), near_d = tree.query_nearest(points, all_matches=False, return_distance=True)
    reach = np.full(len(points), float(conf["snap_search_m"]))
    reach[near_p] = np.minimum(near_d + conf["same_street_bonus_m"], reach[near_p])
    p, s = tree.query(points, predicate="dwithin", distance=reach)
    score = shapely.distance(points[p], segs["geometry"].to_numpy()[s])
    same = name_keys(names)[p] == name_keys(segs["name"].to_numpy())[s]
    score = score - np.where(same, conf["same_street_bonus_m"], 0.0)
    order = np.lexsort((score, p))
    p, s = p[order], s[order]
    first = np.r_[True, p[1:] != p[:-1]] if len(p) else np.array([], dtype=bool)
    best = np.full(len(points), -1, dtype=np.int64)
    best[p[first]] = s[first]
    far = np.flatnonzero(best < 0)
    if len(far):
        near_p, near_s = tree.query_nearest(points[far], all_matches=False)
        best[far[near_p]] = near_s
    return best


def _graph(segs: pd.DataFrame, nodes: np.ndarray, empty: np.ndarray, tree: shapely.STRtree,
           snapped: np.ndarray, along: np.ndarray) -> nx.Graph:
    """The touching-segments graph over ``nodes``, weighted by the empty street walked between them.

    An edge's weight is the cost of leaving one segment and entering the other where they touch: for an empty
    segment half its length, for a segment with uncovered addresses the distance along it from the touching point
    to its nearest address (``snapped``/``along``: segment and position of each uncovered address).
    """
    geoms = segs["geometry"].to_numpy()
    a, b = tree.query(geoms[nodes], predicate="dwithin", distance=settings()["touch_m"])
    a = nodes[a]
    keep = np.isin(b, nodes) & (a < b)
    a, b = a[keep], b[keep]
    touch = shapely.shortest_line(geoms[a], geoms[b])
    at_a = shapely.line_locate_point(geoms[a], shapely.get_point(touch, 0))
    at_b = shapely.line_locate_point(geoms[b], shapely.get_point(touch, 1))
    half = segs["length_m"].to_numpy() / 2.0
    cost = (np.where(empty[a], half[a], _to_nearest(a, at_a, snapped, along))
            + np.where(empty[b], half[b], _to_nearest(b, at_b, snapped, along)))
    graph = nx.Graph()
    graph.add_nodes_from(nodes.tolist())
    graph.add_weighted_edges_from(zip(a.tolist(), b.tolist(), cost.tolist(), strict=True))
    return graph


def _to_nearest(seg: np.ndarray, at: np.ndarray, snapped: np.ndarray, along: np.ndarray) -> np.ndarray:
    """Distance along segment ``seg`` from position ``at`` to the nearest address on it (inf where it has none)."""
    span = float(max(along.max(initial=0.0), at.max(initial=0.0))) * 2.0 + 10.0
    keys = np.sort(snapped * span + along)
    query = seg * span + at
    right = np.searchsorted(keys, query).clip(0, len(keys) - 1)
    left = (right - 1).clip(0, len(keys) - 1)
    best = np.full(len(seg), np.inf)
    for idx in (left, right):
        same = np.floor(keys[idx] / span).astype(np.int64) == seg
        best = np.where(same, np.minimum(best, np.abs(keys[idx] - query)), best)
    return best


def _link(graph: nx.Graph, sources: list[int], max_link_m: float) -> tuple[nx.utils.UnionFind, dict[int, int]]:
    """Union the source segments joined through at most ``max_link_m`` of empty street.

    Also returns the empty segments on those links (bridges), each with the source segment it was reached from.
    """
    union = nx.utils.UnionFind(sources)
    bridges: dict[int, int] = {}
    if not sources:
        return union, bridges
    dist, paths = nx.multi_source_dijkstra(graph, sources, cutoff=max_link_m)
    for a, b, w in graph.edges(data="weight"):
        if a in dist and b in dist:
            src_a, src_b = paths[a][0], paths[b][0]
            if src_a != src_b and dist[a] + w + dist[b] <= max_link_m + 1e-9:
                union.union(src_a, src_b)
                bridges.update(dict.fromkeys(paths[a], src_a))
                bridges.update(dict.fromkeys(paths[b], src_b))
    return union, bridges


def _whole_streets(graph: nx.Graph, seg_gap: dict[int, int], empty: np.ndarray, names: np.ndarray,
                   outside: np.ndarray) -> None:
    """Add to ``seg_gap`` the empty segments of a gap's own streets connected to it (in place); never a road
    beyond the municipal border."""
    same = nx.Graph()
    free = [n for n in graph.nodes if empty[n] and not outside[n] and n not in seg_gap and names[n] != ""]
    same.add_nodes_from(free)
    same.add_edges_from((a, b) for a, b in graph.edges(free) if b in same and names[a] == names[b])
    for component in nx.connected_components(same):
        name = names[next(iter(component))]
        touching = {seg_gap[n] for c in component for n in graph.neighbors(c) if n in seg_gap and names[n] == name}
        if touching:
            gap = min(touching)
            seg_gap.update(dict.fromkeys(component, gap))


def coverage_gaps(
    addresses: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    members: pd.DataFrame | None = None,
    *,
    max_link_m: float = 150.0,
    depth_m: float = 50.0,
    max_households: int | None = 350,
    municipality_area: gpd.GeoDataFrame | None = None,
    table: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Gap areas of uncovered addresses, largest first: streets, households and a proposed MultiPolygon each.

    ``streets`` may hold the roads beyond the municipal border (:func:`buurtkaart.infoborden.entry_roads`, column
    ``outside``): they only link uncovered addresses (two dead ends joined by a road through the neighbouring
    municipality are one gap); no address is attached to them and no gap takes them as its streets.

    ``max_link_m`` is the longest walk along the streets between two uncovered addresses that still joins them
    into one gap (a street inside a group blocks the way); ``depth_m`` how far the proposed boundary reaches
    from its streets. A gap above ``max_households`` (a group typically has 50 to 350 homes) is cut into parts
    of whole streets (None: never cut). ``table`` is a ready :func:`address_coverage` result.

    Parameters
    ----------
    addresses, streets, groups : GeoDataFrame
        The workspace layers of those names (EPSG:31370).
    members : pandas.DataFrame, optional
        The members layer, for the members per gap.
    max_link_m, depth_m : float
        See above.
    max_households : int or None, default 350
        The largest gap before it is cut into parts of whole streets.
    municipality_area : GeoDataFrame or shapely geometry, optional
        The municipality's area; a proposed area is cut to it.
    table : GeoDataFrame, optional
        A ready :func:`address_coverage` result, to skip computing it again.

    Returns
    -------
    GeoDataFrame
        One row per gap, largest first: its streets, households and a proposed MultiPolygon (EPSG:31370).
    """
    gaps, _ = find_gaps(addresses, streets, groups, members, max_link_m=max_link_m, depth_m=depth_m,
                        max_households=max_households, municipality_area=municipality_area, table=table)
    return gaps


def find_gaps(
    addresses: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    members: pd.DataFrame | None = None,
    *,
    max_link_m: float = 150.0,
    depth_m: float = 50.0,
    max_households: int | None = 350,
    municipality_area: gpd.GeoDataFrame | None = None,
    table: gpd.GeoDataFrame | None = None,
) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """Like :func:`coverage_gaps`, plus the ``gap_id`` of every address (NA outside gaps), indexed like it."""
    problems: list[str] = []
    check_frame(streets, layer="streets", columns=["name"], geometry="line", problems=problems)
    if not max_link_m >= 0:
        problems.append(t("coverage.error.negative", name="max_link_m", value=max_link_m))
    if not depth_m > 0:
        problems.append(t("coverage.error.negative", name="depth_m", value=depth_m))
    if max_households is not None and not max_households > 0:
        problems.append(t("coverage.error.negative", name="max_households", value=max_households))
    raise_problems(problems)
    if table is None:
        table = address_coverage(addresses, groups, members, municipality_area=municipality_area)
    gap_of = pd.Series(pd.NA, index=table.index, dtype="str")
    uncovered = np.flatnonzero(table["status"].to_numpy() == AddressStatus.NIET_GEDEKT)
    segs = _segments(streets)
    outside = segs["outside"].to_numpy()
    own = np.flatnonzero(~outside)
    if len(uncovered) == 0 or len(own) == 0:
        return _empty_gaps(), gap_of
    tree = shapely.STRtree(segs["geometry"].to_numpy())
    points = table.geometry.values[uncovered]
    own_segs = segs.iloc[own].reset_index(drop=True)  # addresses belong to the municipality's own streets
    snapped = own[_snap(np.asarray(points), table["street"].astype("str").to_numpy()[uncovered], own_segs,
                        shapely.STRtree(own_segs["geometry"].to_numpy()))]
    seg_geoms = segs["geometry"].to_numpy()
    middle = shapely.line_interpolate_point(seg_geoms, 0.5, normalized=True)
    blocked = np.zeros(len(segs), dtype=bool)
    if len(groups):
        inside, _ = shapely.STRtree(groups.geometry.values).query(middle, predicate="within")
        blocked[inside] = True
    used = np.zeros(len(segs), dtype=bool)
    used[snapped] = True
    empty = ~used & ~blocked
    nodes = np.flatnonzero(used | empty)
    along = shapely.line_locate_point(seg_geoms[snapped], np.asarray(points))
    graph = _graph(segs, nodes, empty, tree, snapped, along)
    sources = np.flatnonzero(used).tolist()
    union, bridges = _link(graph, sources, max_link_m)
    roots: dict[object, int] = {}
    seg_gap: dict[int, int] = {}
    for s in sources:
        seg_gap[s] = roots.setdefault(union[s], len(roots))
    for bridge, source in bridges.items():
        seg_gap.setdefault(bridge, seg_gap[source])
    _whole_streets(graph, seg_gap, empty, segs["name"].to_numpy(), outside)
    seg_gap = {seg: gap for seg, gap in seg_gap.items() if not outside[seg]}  # a link outside is no gap street
    if max_households is not None:
        seg_gap = split_large_gaps(graph, seg_gap, snapped, segs["name"].to_numpy(), max_households)
    addr_gap = np.array([seg_gap[s] for s in snapped])
    gaps = _build(table.iloc[uncovered], addr_gap, snapped, seg_gap, segs, groups, municipality_area, depth_m)
    labels = dict(zip(gaps["_gap"], gaps["gap_id"], strict=True))
    gap_of.iloc[uncovered] = [labels[g] for g in addr_gap]
    return gaps.drop(columns="_gap"), gap_of


def _empty_gaps() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in GAP_COLUMNS})
    for c in ("rank", "households", "members", "n_streets"):
        frame[c] = frame[c].astype("int64")
    for c in ("length_m", "area_km2"):
        frame[c] = frame[c].astype("float64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=WORKING_CRS), crs=WORKING_CRS)


def _build(
    rows: gpd.GeoDataFrame,
    addr_gap: np.ndarray,
    snapped: np.ndarray,
    seg_gap: dict[int, int],
    segs: pd.DataFrame,
    groups: gpd.GeoDataFrame,
    municipality_area: gpd.GeoDataFrame | None,
    depth_m: float,
) -> gpd.GeoDataFrame:
    seg_ids = np.fromiter(seg_gap.keys(), dtype=np.int64)
    seg_gaps = np.fromiter(seg_gap.values(), dtype=np.int64)
    geoms = segs["geometry"].to_numpy()
    points = np.asarray(rows.geometry.values)
    pad = settings()["address_buffer_m"]
    far = shapely.distance(points, geoms[snapped]) > depth_m - pad
    reach = shapely.shortest_line(points[far], geoms[snapped[far]])
    group_geoms = groups.geometry.values
    group_tree = shapely.STRtree(group_geoms)
    limit = (shapely.union_all(municipality_area.geometry.values)
             if municipality_area is not None and len(municipality_area) else None)
    frame = pd.DataFrame({"_gap": addr_gap, "households": 1, "members": rows["members"].to_numpy(),
                          "deelgemeente": rows["deelgemeente"].to_numpy() if "deelgemeente" in rows else pd.NA,
                          "postcode": rows["postcode"].to_numpy()})
    summary = frame.groupby("_gap").agg(households=("households", "sum"), members=("members", "sum"))
    summary["deelgemeente"] = mode_by(frame, ["_gap"], "deelgemeente")
    summary["postcode"] = mode_by(frame, ["_gap"], "postcode")
    summary = summary.sort_values("households", ascending=False, kind="stable")
    shapes: dict[int, shapely.Geometry] = {}
    for gap in summary.index:
        own_lines = shapely.multilinestrings(geoms[seg_ids[seg_gaps == gap]])
        shape = shapely.buffer(own_lines, depth_m, quad_segs=4)
        own_reach = reach[addr_gap[far] == gap]
        if len(own_reach):
            shape = shapely.union(shape, shapely.buffer(shapely.multilinestrings(own_reach), pad, quad_segs=4))
        if limit is not None:
            shape = shapely.intersection(shape, limit)
        hit = group_tree.query(shape, predicate="intersects")
        if len(hit):
            shape = shapely.difference(shape, shapely.union_all(group_geoms[hit]))
        shapes[gap] = shape
    seeds, seed_gap = _seeds(points, addr_gap, geoms[seg_ids], seg_gaps)
    _share_overlaps(shapes, seeds, seed_gap)
    records = []
    for rank, (gap, row) in enumerate(summary.iterrows(), start=1):
        shape = shapes[gap]
        mine = seg_ids[seg_gaps == gap]
        names = sorted(set(segs["name"].to_numpy()[mine]) - {""})
        street_ids = sorted({str(s) for s in segs["street_id"].to_numpy()[mine]})
        records.append({
            "_gap": gap, "gap_id": f"gat-{rank}", "rank": rank, "households": int(row["households"]),
            "members": int(row["members"]), "streets": "; ".join(names), "n_streets": len(names),
            "street_ids": ",".join(street_ids), "length_m": round(float(segs["length_m"].to_numpy()[mine].sum()), 1),
            "area_km2": round(float(shapely.area(shape)) / 1e6, 4), "deelgemeente": row["deelgemeente"],
            "postcode": row["postcode"], "name": t("coverage.gap.name", street=names[0] if names else "?"),
        })
    multi = [_as_multi(shapes[gap]) for gap in summary.index]
    out = gpd.GeoDataFrame(pd.DataFrame.from_records(records), geometry=multi, crs=WORKING_CRS)
    for c in ("gap_id", "streets", "street_ids", "deelgemeente", "postcode", "name"):
        out[c] = out[c].astype("str")
    return out


def _seeds(points: np.ndarray, addr_gap: np.ndarray, lines: np.ndarray, line_gap: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """Points that stand for each gap when two proposals compete for the same ground: its addresses and points
    every 20 m along its streets (duplicates dropped)."""
    dense = shapely.segmentize(lines, 20.0)
    coords, which = shapely.get_coordinates(dense, return_index=True)
    xy = np.vstack([shapely.get_coordinates(points), coords])
    label = np.concatenate([addr_gap, line_gap[which]])
    _, first = np.unique(np.round(xy, 2), axis=0, return_index=True)
    return xy[first], label[first]


def _share_overlaps(shapes: dict[int, shapely.Geometry], seeds: np.ndarray, seed_gap: np.ndarray) -> None:
    """Where proposals overlap, each keeps the ground nearest to its own addresses and streets (the Voronoi
    cells of its seeds), in place; no proposal swallows another and every address stays in its own proposal."""
    keys = np.array(list(shapes))
    geoms = np.array([shapes[k] for k in keys], dtype=object)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pair = left < right
    left, right = left[pair], right[pair]
    shared = shapely.relate_pattern(geoms[left], geoms[right], "T********")  # interiors meet (also containment)
    left, right = left[shared], right[shared]
    involved = np.unique(np.concatenate([keys[left], keys[right]]))
    if len(involved) == 0:
        return
    mask = np.isin(seed_gap, involved)
    points, labels = seeds[mask], seed_gap[mask]
    x0, y0, x1, y1 = shapely.total_bounds(geoms) + np.array([-500.0, -500.0, 500.0, 500.0])
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points), ordered=True,
                                                       extend_to=shapely.box(x0, y0, x1, y1)))
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], involved, side="left"), np.searchsorted(labels[order], involved,
                                                                                       side="right")
    for gap, start, stop in zip(involved.tolist(), *bounds, strict=True):
        territory = shapely.coverage_union_all(cells[order[start:stop]])
        shapes[gap] = shapely.intersection(shapes[gap], territory)


def _as_multi(shape: shapely.Geometry) -> shapely.MultiPolygon:
    polygons = [p for p in shapely.get_parts(shape) if isinstance(p, shapely.Polygon) and not p.is_empty]
    return shapely.MultiPolygon(polygons)


def gap_as_group(gaps: gpd.GeoDataFrame, gap_id: str, *, group_id: str, name: str | None = None,
                 groups: gpd.GeoDataFrame | None = None, boundary: BaseGeometry | None = None) -> gpd.GeoDataFrame:
    """The gap ``gap_id`` as one row of the groups layer (``group_id``, ``name``, MultiPolygon, ``streets``).

    The area is the boundary engineer's :func:`buurtkaart.boundaries.group_from_gap` (repaired, clipped to
    ``boundary``, without what other ``groups`` cover), so the boundary tools take it as a new group in one step.
    """
    chosen = gaps[gaps["gap_id"] == gap_id]
    if len(chosen) != 1:
        raise_problems([t("coverage.error.unknown_gap", gap_id=gap_id, known=", ".join(gaps["gap_id"].head(10)))])
    row = chosen.iloc[0]
    return gpd.GeoDataFrame(
        {"group_id": [group_id], "name": [name or row["name"]], "streets": [row["streets"]],
         "households": [row["households"]]},
        geometry=[group_from_gap(row, groups=groups, boundary=boundary)], crs=WORKING_CRS,
    )
