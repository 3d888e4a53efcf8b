"""Groups that split or merge: cut a group's area in two along a drawn line, or join two groups into one.

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["Dorp"]},
...     geometry=[shapely.MultiPolygon([shapely.box(0, 0, 200, 100)])], crs="EPSG:31370")
>>> two = split_group(groups, "G1", shapely.LineString([(120, -10), (120, 110)]), new_id="G2", new_name="Dorp-Oost")
>>> two["group_id"].tolist(), two.area.round().tolist()
(['G1', 'G2'], [12000.0, 8000.0])
>>> merge_groups(two, "G1", "G2").area.round().tolist()
[20000.0]
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
import shapely.ops
from shapely.geometry.base import BaseGeometry

from buurtkaart.boundaries._geom import near, polygonal
from buurtkaart.boundaries.history import remove_group, replace_group
from buurtkaart.boundaries.snap import snap_geometry
from buurtkaart.errors import InputError, NotFound
from buurtkaart.texts import t
from buurtkaart.validation import require_crs


def _area_of(groups: gpd.GeoDataFrame, group_id: str) -> BaseGeometry:
    hit = groups[groups["group_id"].astype("str") == str(group_id)]
    if hit.empty:
        raise NotFound(t("boundaries.unknown_group", group=group_id, known=", ".join(groups["group_id"].astype(str))))
    return hit.geometry.iloc[0]


def split_group(
    groups: gpd.GeoDataFrame,
    group_id: str,
    line: BaseGeometry,
    *,
    new_id: str,
    new_name: str | None = None,
    streets: gpd.GeoDataFrame | None = None,
    tolerance_m: float = 10.0,
) -> gpd.GeoDataFrame:
    """``groups`` with ``group_id`` cut in two by ``line`` (snapped to ``streets`` within ``tolerance_m``): the
    part with the larger area keeps ``group_id``, the other becomes the new group ``new_id``."""
    require_crs(groups, what="groups")
    if str(new_id) in set(groups["group_id"].astype(str)):
        raise InputError(t("boundaries.split.id_taken", group=new_id))
    area = _area_of(groups, group_id)
    if line.geom_type not in ("LineString", "MultiLineString"):
        raise InputError(t("boundaries.split.not_a_line", kind=line.geom_type))
    if streets is not None and len(streets):
        line = snap_geometry(line, list(near(streets, line, tolerance_m).geometry.values), tolerance_m=tolerance_m)
    pieces = [p for p in shapely.get_parts(shapely.ops.split(area, line)) if p.area > 1.0] \
        if shapely.intersects(area, line) else []
    if len(pieces) < 2:
        raise InputError(t("boundaries.split.no_cut"))
    if len(pieces) > 2:
        raise InputError(t("boundaries.split.too_many", count=len(pieces)))
    keep, other = sorted(pieces, key=lambda p: -p.area)
    out = replace_group(groups, group_id, polygonal(keep))
    return replace_group(out, new_id, polygonal(other), name=new_name or str(new_id))


def merge_groups(groups: gpd.GeoDataFrame, keep_id: str, absorb_id: str) -> gpd.GeoDataFrame:
    """``groups`` with ``absorb_id`` joined into ``keep_id`` (one area, the name and id of ``keep_id``)."""
    require_crs(groups, what="groups")
    if str(keep_id) == str(absorb_id):
        raise InputError(t("boundaries.split.same_group", group=keep_id))
    joined = polygonal(shapely.union(_area_of(groups, keep_id), _area_of(groups, absorb_id)))
    out = replace_group(remove_group(groups, absorb_id), keep_id, joined)
    return gpd.GeoDataFrame(pd.DataFrame(out), geometry="geometry", crs=groups.crs)
