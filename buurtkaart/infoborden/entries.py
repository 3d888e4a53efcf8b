"""Entry points (invalswegen): where a road that people drive or cycle along crosses into a group's area.

Rules (see :mod:`buurtkaart.infoborden._network` for the zones):

* only the ``road_classes`` given (default: trunk, primary, secondary, tertiary, minor; footpaths, tracks and
  motorways are out unless asked for);
* a road running along the border (inside the border band of ``border_tolerance_m``) is not an entry, but a side
  street leaving it into the area is;
* crossings of one road within ``merge_distance_m`` of each other (a dual carriageway, a kink along the border)
  are one entry;
* a dead end or a loop that leaves the area and comes back (never ``reach_m`` beyond it) brings no one in.

>>> import geopandas as gpd, shapely
>>> area = gpd.GeoDataFrame({"group_id": ["G1"]}, geometry=[shapely.box(0, 0, 100, 100)], crs="EPSG:31370")
>>> road = gpd.GeoDataFrame({"name": ["Dorpstraat"], "road_class": ["minor"]},
...                         geometry=[shapely.LineString([(-300, 50), (50, 50)])], crs="EPSG:31370")
>>> entries = find_entries(area, road)
>>> entries[["group_id", "road_name", "n_crossings"]].values.tolist()
[['G1', 'Dorpstraat', 1]]
>>> round(entries.geometry.iloc[0].x), round(entries["inbound_bearing_deg"].iloc[0])
(10, 90)
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.infoborden._network import GroupNetwork, drivable_streets, group_network, inward_bearing_deg, reference
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.validation import require_columns, require_crs
from buurtkaart.vocabulary import PLAN_DEFAULTS

ENTRY_COLUMNS = [
    "entry_id", "group_id", "street_id", "road_name", "road_class", "ref", "authority",
    "inbound_bearing_deg", "n_crossings", "nodes",
]


def entry_roads(ws) -> gpd.GeoDataFrame:
    """The roads the entries of a workspace are found on: its ``streets`` and the roads beyond the municipal border
    (``streets_outside``, kept by the street import within 1 km), told apart by the boolean column ``outside``.
    Without the second, a road that enters a border group from a neighbouring municipality would end at the border
    and look like a dead end; with it, a road that continues outside is an entry and a dead end outside still is
    not (it never reaches ``reach_m`` away). The coverage gaps take this frame too (a road outside only links
    uncovered addresses, :func:`buurtkaart.coverage.find_gaps`); walks leave the roads outside out
    (:func:`buurtkaart.coverage.delivery_order`)."""
    from buurtkaart.coverage import with_roads_outside

    return with_roads_outside(ws.read("streets"), ws.read("streets_outside"))


def check_groups(groups: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``groups`` with a ``group_id`` column and valid polygons in EPSG:31370, or one error naming every problem."""
    problems: list[str] = []
    require_columns(groups, ["group_id"], what="groups", problems=problems)
    require_crs(groups, what="groups", problems=problems)
    if len(groups):
        geoms = groups.geometry.values
        bad = ~np.isin(shapely.get_type_id(geoms), [3, 6]) | shapely.is_empty(geoms) | ~shapely.is_valid(geoms)
        if bad.any():
            problems.append(t("infoborden.error.bad_polygons", count=int(bad.sum())))
    if "group_id" in groups.columns and groups["group_id"].duplicated().any():
        problems.append(t("infoborden.error.duplicate_groups"))
    if problems:
        raise InputError(t("infoborden.error.groups_invalid"), problems=problems)
    return groups


def find_entries(
    groups: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    *,
    road_classes=None,
    border_tolerance_m: float = PLAN_DEFAULTS.border_tolerance_m,
    merge_distance_m: float = PLAN_DEFAULTS.merge_distance_m,
    reach_m: float = PLAN_DEFAULTS.reach_m,
) -> gpd.GeoDataFrame:
    """Every entry point of every group: one row per entry, the point where the road enters the area's core.

    Columns: ``entry_id``, ``group_id``, ``street_id``, ``road_name``, ``road_class``, ``ref``, ``authority``,
    ``inbound_bearing_deg`` (direction of incoming traffic), ``n_crossings`` (crossings merged into this entry),
    ``nodes`` (internal network node ids), ``inward`` and ``approach`` (extra geometries: the road piece leading
    inwards from the crossing, and the one leading up to it from outside) and the crossing point as geometry.
    """
    return entries_and_networks(groups, streets, road_classes=road_classes, border_tolerance_m=border_tolerance_m,
                                merge_distance_m=merge_distance_m, reach_m=reach_m)[0]


def entries_and_networks(
    groups, streets, *, road_classes=None, border_tolerance_m=PLAN_DEFAULTS.border_tolerance_m,
    merge_distance_m=PLAN_DEFAULTS.merge_distance_m, reach_m=PLAN_DEFAULTS.reach_m,
) -> tuple[gpd.GeoDataFrame, dict[str, GroupNetwork]]:
    """:func:`find_entries` and the network of each group (its ``nodes`` refer to that network)."""
    groups = check_groups(groups)
    problems = []
    for name, value in (("border_tolerance_m", border_tolerance_m), ("merge_distance_m", merge_distance_m),
                        ("reach_m", reach_m)):
        if not value >= 0:
            problems.append(t("infoborden.error.negative", option=name, value=value))
    if problems:
        raise InputError(t("infoborden.error.options_invalid"), problems=problems)
    roads = drivable_streets(streets, road_classes=road_classes)
    rows: list[dict] = []
    networks: dict[str, GroupNetwork] = {}
    plain = np.asarray(roads.geometry.values)
    attributes = {c: roads[c].to_numpy(dtype=object) for c in ("street_id", "name", "road_class", "ref", "authority")}
    for group_id, polygon in zip(groups["group_id"], groups.geometry.values, strict=True):
        network = group_network(polygon, roads, border_tolerance_m=border_tolerance_m, reach_m=reach_m,
                                geoms=plain)
        networks[str(group_id)] = network
        rows.extend(_group_entries(str(group_id), network, attributes, merge_distance_m=merge_distance_m))
    frame = pd.DataFrame(rows, columns=[*ENTRY_COLUMNS, "inward", "approach", "geometry"])
    for column in ("group_id", "road_name", "road_class", "ref", "authority", "entry_id"):
        frame[column] = frame[column].astype("str")
    frame["street_id"] = pd.array(frame["street_id"], dtype="Int64")
    frame["n_crossings"] = frame["n_crossings"].astype("int64")
    frame["inbound_bearing_deg"] = frame["inbound_bearing_deg"].astype("float64")
    for column in ("inward", "approach"):
        frame[column] = gpd.GeoSeries(frame[column].tolist(), index=frame.index, crs=WORKING_CRS)
    entries = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(frame["geometry"].tolist(), crs=WORKING_CRS),
                               crs=WORKING_CRS)
    return entries, networks


def _group_entries(group_id, network, attributes, *, merge_distance_m: float) -> list[dict]:
    pieces = network.pieces
    approach_at: dict[int, shapely.LineString] = {}
    for pos in np.flatnonzero(~pieces.core).tolist():
        line, u, v = pieces.geoms[pos], int(pieces.u[pos]), int(pieces.v[pos])
        if v in network.external_nodes:
            approach_at.setdefault(v, line)
        if u in network.external_nodes:
            approach_at.setdefault(u, line.reverse())
    crossings = []
    for node, pos in network.transitions():
        line = pieces.geoms[pos]
        inward = line if int(pieces.u[pos]) == node else line.reverse()
        street = int(pieces.street[pos])
        crossings.append({
            "node": node,
            "point": shapely.Point(network.coords[node]),
            "inward": inward,
            "approach": approach_at.get(node),
            "bearing": inward_bearing_deg(inward, from_start=True),
            "road": {c: values[street] for c, values in attributes.items()},
        })
    rank = reference()["class_rank"]
    out = []
    for cluster in _clusters(crossings, merge_distance_m):
        members = [crossings[i] for i in cluster]
        best = max(members, key=lambda c: (rank.get(c["road"]["road_class"], 0), c["inward"].length))
        road = best["road"]
        out.append({
            "group_id": group_id,
            "street_id": road["street_id"],
            "road_name": road["name"],
            "road_class": road["road_class"],
            "ref": road["ref"],
            "authority": road["authority"],
            "inbound_bearing_deg": best["bearing"],
            "n_crossings": len(members),
            "nodes": sorted({c["node"] for c in members}),
            "inward": best["inward"],
            "approach": best["approach"],
            "geometry": best["point"],
        })
    out.sort(key=lambda r: (r["geometry"].x, r["geometry"].y))
    for i, row in enumerate(out, start=1):
        row["entry_id"] = f"{group_id}-{i:03d}"
    return out


def _same_road(a, b) -> bool:
    name_a, name_b = a["road"]["name"], b["road"]["name"]
    return bool(pd.isna(name_a) or pd.isna(name_b) or name_a == name_b)


def _clusters(crossings: list[dict], merge_distance_m: float) -> list[list[int]]:
    """Single-linkage groups of crossings of the same road within ``merge_distance_m`` of each other."""
    parent = list(range(len(crossings)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if crossings:
        points = shapely.points(np.array([c["point"].coords[0] for c in crossings]))
        tree = shapely.STRtree(points)
        left, right = tree.query(points, predicate="dwithin", distance=merge_distance_m)
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            if i < j and (crossings[i]["node"] == crossings[j]["node"] or _same_road(crossings[i], crossings[j])):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(crossings)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def count_entries(entries: gpd.GeoDataFrame) -> pd.Series:
    """The number of entries per group.

    >>> import geopandas as gpd
    >>> count_entries(gpd.GeoDataFrame({"group_id": ["A", "A", "B"]})).to_dict()
    {'A': 2, 'B': 1}
    """
    require_columns(entries, ["group_id"], what="entries")
    return entries.groupby("group_id").size()
