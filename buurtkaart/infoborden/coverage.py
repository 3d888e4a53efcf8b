"""Which households each sign site covers.

A household counts as covered by a site when that site stands on one of the household's ways in from outside:
the site's entry leads, along the streets inside the group's area, to the household's street within
``distance_m`` (networkx Dijkstra on the group's inner network). Households are the rows of the addresses layer
(one box = one household); each belongs to the group given by its ``group_id`` column (as written by
``buurtkaart.assignment.points``) or, when that column is absent, to the group whose area contains it.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from buurtkaart.infoborden._network import GroupNetwork
from buurtkaart.validation import require_crs


@dataclass
class Coverage:
    """Households grouped into demand classes that are covered by the same set of sites.

    ``weights[k]`` households are covered by any of the sites ``sites_of_class[k]`` (positions in the sites
    frame). ``per_site[s]`` is the number of households site ``s`` can cover. ``household_class`` maps the
    position of each household to its class (-1: no site can cover it).
    """

    weights: np.ndarray
    sites_of_class: list[np.ndarray]
    per_site: np.ndarray
    household_class: np.ndarray
    households_total: int

    @property
    def coverable(self) -> int:
        """Households that at least one site can cover."""
        return int(self.weights.sum())


def household_groups(addresses: gpd.GeoDataFrame, groups: gpd.GeoDataFrame) -> pd.Series:
    """The group of each household (indexed like ``addresses``; NA outside every group or in an overlap).

    Uses the ``group_id`` column when present, else :func:`buurtkaart.assignment.points.assign_points` (its border
    rule).
    """
    if "group_id" in addresses.columns:
        return addresses["group_id"].astype("str")
    if not len(addresses):
        return pd.Series([], index=addresses.index, dtype="str")
    require_crs(addresses, what="addresses")
    from buurtkaart.assignment.points import assign_points

    return assign_points(addresses.geometry, groups[["group_id", groups.geometry.name]])["group_id"].astype("str")


def site_coverage(
    sites: gpd.GeoDataFrame,
    entries: gpd.GeoDataFrame,
    networks: dict[str, GroupNetwork],
    addresses: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    *,
    distance_m: float,
    snap_distance_m: float = 150.0,
) -> Coverage:
    """The coverage of every site in ``sites`` (positions as in ``sites``)."""
    n_sites = len(sites)
    site_of_entry: dict[str, int] = {}
    for pos, entry_ids in enumerate(sites["entry_ids"].tolist()):
        for entry_id in str(entry_ids).split(","):
            site_of_entry[entry_id] = pos
    owner = household_groups(addresses, groups).reset_index(drop=True)
    valid = owner.notna().to_numpy()
    positions = np.flatnonzero(valid)
    rows_of = {key: positions[at] for key, at in
               owner[valid].reset_index(drop=True).groupby(owner[valid].to_numpy(), sort=False).indices.items()}
    household_class = np.full(len(addresses), -1, dtype=np.int64)
    weights: list[int] = []
    classes: list[np.ndarray] = []
    per_site = np.zeros(n_sites, dtype=np.int64)
    points = np.asarray(addresses.geometry.values)
    by_group = entries.groupby("group_id", sort=False)
    for group_id, network in networks.items():
        rows = rows_of.get(group_id, np.array([], dtype=np.int64))
        if not len(rows) or group_id not in by_group.groups:
            continue
        group_entries = by_group.get_group(group_id)
        cover = _group_cover(network, group_entries, points[rows], distance_m=distance_m,
                             snap_distance_m=snap_distance_m)
        cols = np.array([site_of_entry[e] for e in group_entries["entry_id"]], dtype=np.int64)
        # two entries of one group on the same site (rare) act as one column
        used, local = np.unique(cols, return_inverse=True)
        site_cover = np.zeros((len(rows), len(used)), dtype=bool)
        for j, col in enumerate(local.tolist()):
            site_cover[:, col] |= cover[:, j]
        patterns, inverse, counts = np.unique(site_cover, axis=0, return_inverse=True, return_counts=True)
        per_site[used] += site_cover.sum(axis=0)
        inverse = inverse.reshape(-1)
        mapping = np.full(len(patterns), -1, dtype=np.int64)
        for k, (pattern, count) in enumerate(zip(patterns, counts, strict=True)):
            if pattern.any():
                mapping[k] = len(classes)
                classes.append(used[pattern])
                weights.append(int(count))
        household_class[rows] = mapping[inverse]
    return Coverage(np.array(weights, dtype=np.int64), classes, per_site, household_class, len(addresses))


def _group_cover(network: GroupNetwork, group_entries, points, *, distance_m: float, snap_distance_m: float):
    """A boolean matrix (household × entry): entry leads to the household within ``distance_m``."""
    cover = np.zeros((len(points), len(group_entries)), dtype=bool)
    p = network.pieces
    core = np.flatnonzero(p.core)
    if not len(core):
        return cover
    tree = shapely.STRtree(p.geoms[core])
    hit_points, hit_pieces = tree.query_nearest(points, max_distance=snap_distance_m, all_matches=False)
    if not len(hit_points):
        return cover
    hit_pieces = core[hit_pieces]
    lines = p.geoms[hit_pieces]
    along = shapely.line_locate_point(lines, points[hit_points])
    lengths = p.length_m[hit_pieces]
    u = p.u[hit_pieces]
    v = p.v[hit_pieces]
    graph = network.core_graph()
    for j, nodes in enumerate(group_entries["nodes"].tolist()):
        sources = [n for n in nodes if n in graph]
        if not sources:
            continue
        dist = nx.multi_source_dijkstra_path_length(graph, sources, cutoff=distance_m, weight="length")
        reached = np.full(len(network.coords), np.inf)
        reached[np.fromiter(dist.keys(), dtype=np.int64, count=len(dist))] = np.fromiter(
            dist.values(), dtype=np.float64, count=len(dist))
        du = reached[u] + along
        dv = reached[v] + (lengths - along)
        cover[hit_points, j] = np.minimum(du, dv) <= distance_m
    return cover
