"""Low participation: streets and groups ranked by members per 100 households, to aim neighbourhood invitations.

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["G1"]}, geometry=[shapely.box(0, 0, 100, 100)], crs=31370)
>>> addresses = gpd.GeoDataFrame({"address_id": ["a1", "a2", "a3"], "street": ["Dorp", "Dorp", "Veld"]},
...     geometry=shapely.points([(10, 10), (20, 10), (30, 10)]), crs=31370)
>>> members = pd.DataFrame({"address_id": ["a1"], "group_id": ["G1"], "status": ["lid"]})
>>> participation_ranking(addresses, groups, members, min_households=1)[["rank", "street", "participation"]]
   rank street  participation
0     1   Veld            0.0
1     2   Dorp           50.0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import geopandas as gpd
import pandas as pd

from buurtkaart.coverage._inputs import raise_problems
from buurtkaart.coverage.figures import address_coverage, coverage_by
from buurtkaart.texts import t


def participation_ranking(
    addresses: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    members: pd.DataFrame | None = None,
    *,
    level: Literal["street", "group"] = "street",
    min_households: int = 10,
    group_ids: Iterable[str] | None = None,
    table: gpd.GeoDataFrame | None = None,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Streets (covered by a group) or groups from the lowest participation up, with at least ``min_households``.

    Ties are broken by more households first (more letters reach more people). Streets count only their
    households inside groups: an uncovered street has no group to invite to (see the gaps instead).
    ``group_ids`` keeps only those groups (a coordinator's own area: the streets count only the households of
    those groups). ``table``/``figures`` are ready :func:`address_coverage`/:func:`coverage_by` results.
    """
    if level not in ("street", "group"):
        raise_problems([t("coverage.error.level", level=level, known="street, group")])
    if table is None:
        table = address_coverage(addresses, groups, members)
    if group_ids is not None:
        keep = {str(g) for g in group_ids}
        table = table[table["group_id"].isin(keep)]
        groups = groups[groups["group_id"].astype("str").isin(keep)]
        figures = None
    if figures is None:
        figures = coverage_by(addresses, groups, members, level=level, table=table)
        if group_ids is not None and level == "group":
            figures = figures[figures["group_id"].isin(keep)]
    if level == "street":
        figures = figures[figures["covered"] > 0].copy()
        figures["households"] = figures["covered"]
        figures["participation"] = (100.0 * figures["members"] / figures["households"]).round(1)
    figures = figures[figures["households"] >= min_households]
    ranked = figures.sort_values(["participation", "households"], ascending=[True, False], kind="stable")
    ranked = ranked.reset_index(drop=True)
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    return ranked
