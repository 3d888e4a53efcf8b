"""Overlaps: addresses inside two or more groups, with the groups and the streets involved.

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["G1", "G2"]},
...     geometry=[shapely.box(0, 0, 100, 100), shapely.box(80, 0, 200, 100)], crs=31370)
>>> addresses = gpd.GeoDataFrame({"street": ["Kerkstraat", "Kerkstraat"]},
...     geometry=shapely.points([(90, 50), (10, 50)]), crs=31370)
>>> overlaps(addresses, groups)[["group_a", "group_b", "households", "streets", "area_m2"]]
  group_a group_b  households     streets  area_m2
0      G1      G2           1  Kerkstraat   2000.0
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.coverage.figures import address_coverage
from buurtkaart.schema import WORKING_CRS
from buurtkaart.vocabulary import AddressStatus

_ADDRESS_COLUMNS = ["address_id", "street", "housenumber", "suffix", "box", "postcode", "group_ids", "members"]


def overlap_addresses(table: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The addresses of an :func:`address_coverage` result that lie in two or more groups (``group_ids``)."""
    rows = table[table["status"] == AddressStatus.OVERLAP]
    return rows[[c for c in _ADDRESS_COLUMNS if c in rows.columns] + [rows.geometry.name]]


def overlaps(
    addresses: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    members: pd.DataFrame | None = None,
    *,
    min_area_m2: float = 1.0,
    table: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """One row per pair of overlapping groups: the shared area, its households and streets, largest first.

    Pairs that share less than ``min_area_m2`` and no address (touching borders, slivers) are left out.
    """
    if table is None:
        table = address_coverage(addresses, groups, members)
    geoms = groups.geometry.values
    ids = groups["group_id"].astype("str").to_numpy()
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = ids[a] < ids[b]
    a, b = a[keep], b[keep]
    shared = shapely.intersection(geoms[a], geoms[b])
    area = shapely.area(shared)
    rows = overlap_addresses(table)
    listed = rows["group_ids"].str.split(",")
    records = []
    for i in range(len(a)):
        ga, gb = ids[a[i]], ids[b[i]]
        hit = listed.map(lambda gs, ga=ga, gb=gb: ga in gs and gb in gs).to_numpy(dtype=bool) \
            if len(rows) else np.zeros(0, dtype=bool)
        if area[i] < min_area_m2 and not hit.any():
            continue
        streets = sorted(set(rows["street"].to_numpy()[hit]))
        records.append({"group_a": ga, "group_b": gb, "households": int(hit.sum()),
                        "members": int(rows["members"].to_numpy()[hit].sum()), "streets": "; ".join(streets),
                        "area_m2": round(float(area[i]), 1), "geometry": shared[i]})
    columns = ["group_a", "group_b", "households", "members", "streets", "area_m2", "geometry"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    out = gpd.GeoDataFrame(frame, geometry="geometry", crs=WORKING_CRS)
    for c in ("group_a", "group_b", "streets"):
        out[c] = out[c].astype("str")
    out = out.astype({"households": "int64", "members": "int64", "area_m2": "float64"})
    return out.sort_values(["households", "area_m2"], ascending=False, kind="stable").reset_index(drop=True)
