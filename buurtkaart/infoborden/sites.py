"""A sign site per entry: on the entering road, ``setback_m`` inside the area, on the right-hand side that
incoming traffic sees (Belgium drives on the right), facing that traffic.

Where two groups share a border and a road crosses it, the two entries (one into each group) get one pole on
the border with a sign on each side; it is counted once.

>>> import geopandas as gpd, shapely
>>> from buurtkaart.infoborden.entries import find_entries
>>> area = gpd.GeoDataFrame({"group_id": ["G1"]}, geometry=[shapely.box(0, 0, 100, 100)], crs="EPSG:31370")
>>> road = gpd.GeoDataFrame({"name": ["Dorpstraat"], "road_class": ["minor"]},
...                         geometry=[shapely.LineString([(-300, 50), (50, 50)])], crs="EPSG:31370")
>>> sites = entry_sites(find_entries(area, road), area, setback_m=15, side_offset_m=4)
>>> site = sites.iloc[0]
>>> (round(site.geometry.x), round(site.geometry.y)), float(site["bearing_deg"]), bool(site["shared"])
((15, 46), 270.0, False)
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.infoborden.entries import check_groups
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vocabulary import PLAN_DEFAULTS

SITE_COLUMNS = [
    "site_id", "group_ids", "entry_ids", "road_name", "road_class", "ref", "authority", "awv_permit",
    "bearing_deg", "shared",
]


def entry_sites(
    entries: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    *,
    setback_m: float = PLAN_DEFAULTS.setback_m,
    side_offset_m: float = 4.0,
    shared_distance_m: float = 50.0,
) -> gpd.GeoDataFrame:
    """One site per entry, or one shared pole per pair of entries crossing the same shared border.

    ``entries`` comes from :func:`buurtkaart.infoborden.entries.find_entries`. ``bearing_deg`` is the compass
    direction the sign faces (towards incoming traffic); on a shared pole the second sign faces the opposite way.
    """
    groups = check_groups(groups)
    if not (setback_m >= 0 and side_offset_m >= 0 and shared_distance_m >= 0):
        raise InputError(t("infoborden.error.options_invalid"), problems=[
            t("infoborden.error.negative", option=name, value=value)
            for name, value in (("setback_m", setback_m), ("side_offset_m", side_offset_m),
                                ("shared_distance_m", shared_distance_m)) if not value >= 0
        ])
    polygons = dict(zip(groups["group_id"].astype(str), groups.geometry.values, strict=True))
    pairs = _shared_pairs(entries, shared_distance_m)
    paired = {i for pair in pairs for i in pair}
    rows = []
    records = entries.to_dict(orient="records")
    for i, entry in enumerate(records):
        if i in paired:
            continue
        road_point, travel = _setback_point(entry["inward"], polygons[entry["group_id"]].boundary, setback_m)
        rows.append(_row([entry], _offset_right(road_point, travel, side_offset_m), (travel + 180.0) % 360.0))
    for i, j in pairs:
        first, second = records[i], records[j]
        a, b = first["geometry"], second["geometry"]
        mid = shapely.Point((a.x + b.x) / 2, (a.y + b.y) / 2)
        travel = float(first["inbound_bearing_deg"])
        approach = first.get("approach")
        if isinstance(approach, shapely.LineString) and approach.length > 0:  # the pole stands on the road
            mid, travel = _point_near(approach, mid)
        rows.append(_row([first, second], _offset_right(mid, travel, side_offset_m), (travel + 180.0) % 360.0))
    frame = pd.DataFrame(rows, columns=[*SITE_COLUMNS, "geometry"])
    for column in ("site_id", "group_ids", "entry_ids", "road_name", "road_class", "ref", "authority"):
        frame[column] = frame[column].astype("str")
    frame["awv_permit"] = frame["awv_permit"].astype(bool)
    frame["shared"] = frame["shared"].astype(bool)
    frame["bearing_deg"] = frame["bearing_deg"].astype("float64").round(1)
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(frame["geometry"].tolist(), crs=WORKING_CRS),
                           crs=WORKING_CRS)
    return out.sort_values("site_id", ignore_index=True)


def _row(members, point, bearing):
    best = members[0]
    group_ids = ",".join(sorted(str(m["group_id"]) for m in members))
    entry_ids = ",".join(sorted(str(m["entry_id"]) for m in members))
    ref = best["ref"]
    permit = best["authority"] == "gewest"
    return {
        "site_id": "IB-" + "+".join(sorted(str(m["entry_id"]) for m in members)),
        "group_ids": group_ids,
        "entry_ids": entry_ids,
        "road_name": best["road_name"],
        "road_class": best["road_class"],
        "ref": ref,
        "authority": best["authority"],
        "awv_permit": bool(permit),
        "bearing_deg": bearing,
        "shared": len(members) > 1,
        "geometry": point,
    }


def _setback_point(inward: shapely.LineString, boundary, setback_m: float) -> tuple[shapely.Point, float]:
    """The first point along ``inward`` at least ``setback_m`` from the boundary (else the farthest one), and
    the travel bearing there."""
    length = inward.length
    steps = np.linspace(0.0, length, max(2, int(np.ceil(length)) + 1))
    points = shapely.line_interpolate_point(inward, steps)
    dist = shapely.distance(boundary, points)
    enough = np.flatnonzero(dist >= setback_m - 1e-6)
    k = int(enough[0]) if len(enough) else int(np.argmax(dist))
    a = inward.interpolate(max(steps[k] - 2.0, 0.0))
    b = inward.interpolate(min(steps[k] + 2.0, length))
    travel = float(np.degrees(np.arctan2(b.x - a.x, b.y - a.y)) % 360.0)
    return points[k], travel


def _point_near(line: shapely.LineString, point: shapely.Point) -> tuple[shapely.Point, float]:
    """The point of ``line`` nearest ``point`` and the direction of ``line`` there."""
    at = line.project(point)
    a = line.interpolate(max(at - 2.0, 0.0))
    b = line.interpolate(min(at + 2.0, line.length))
    return line.interpolate(at), float(np.degrees(np.arctan2(b.x - a.x, b.y - a.y)) % 360.0)


def _offset_right(point: shapely.Point, travel_deg: float, offset_m: float) -> shapely.Point:
    """``point`` moved ``offset_m`` to the right of someone travelling towards ``travel_deg``."""
    rad = np.radians(travel_deg)
    dx, dy = np.sin(rad), np.cos(rad)
    return shapely.Point(point.x + dy * offset_m, point.y - dx * offset_m)


def _shared_pairs(entries: gpd.GeoDataFrame, shared_distance_m: float) -> list[tuple[int, int]]:
    """Pairs of entries into two different groups on one road, close together, traffic going opposite ways."""
    if len(entries) < 2:
        return []
    points = np.asarray(entries.geometry.values)
    tree = shapely.STRtree(points)
    left, right = tree.query(points, predicate="dwithin", distance=shared_distance_m)
    candidates = []
    groups = entries["group_id"].to_numpy()
    names = entries["road_name"].to_numpy()
    bearings = entries["inbound_bearing_deg"].to_numpy()
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j or groups[i] == groups[j]:
            continue
        if not (pd.isna(names[i]) or pd.isna(names[j]) or names[i] == names[j]):
            continue
        turn = abs((bearings[i] - bearings[j] + 180.0) % 360.0 - 180.0)
        if turn < 135.0:
            continue
        candidates.append((float(shapely.distance(points[i], points[j])), i, j))
    used: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates):
        if i not in used and j not in used:
            used |= {i, j}
            pairs.append((i, j))
    return pairs
