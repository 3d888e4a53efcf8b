"""Input checks and the per-address status every coverage figure starts from.

Every address row is one household (a box number is its own row, so its own household). The status of an address
comes from :func:`buurtkaart.assignment.points.assign_points` and its border rule: an address inside exactly one
group is
``toegewezen``, inside two or more it is an ``overlap``, inside none ``niet_gedekt``, outside the municipality
(when one is given) ``buiten_gemeente``; a register address a few metres over the border (kept by the importer for
its postcode) is the municipality's own, not outside.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd

from buurtkaart.assignment.points import assign_points
from buurtkaart.errors import InputError
from buurtkaart.geocoding.addressing import street_key
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.validation import require_columns, require_crs, require_geometry
from buurtkaart.vocabulary import AddressStatus


def outside_mask(roads: pd.DataFrame) -> np.ndarray:
    """True for the rows of ``roads`` that lie beyond the municipal border (the ``outside`` column of
    :func:`buurtkaart.infoborden.entry_roads`); all False without that column.

    >>> outside_mask(pd.DataFrame({"name": ["Dorp", "Buiten"], "outside": [False, True]})).tolist()
    [False, True]
    """
    if "outside" not in roads.columns:
        return np.zeros(len(roads), dtype=bool)
    return roads["outside"].astype("boolean").fillna(False).to_numpy(dtype=bool)


def with_roads_outside(streets: gpd.GeoDataFrame, outside: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """``streets`` and the roads beyond the border ``outside`` (the ``streets_outside`` layer) in one frame with
    the boolean column ``outside``, as :func:`buurtkaart.infoborden.entry_roads` makes it from a workspace."""
    own = streets.assign(outside=False) if "outside" not in streets.columns else streets
    if outside is None or not len(outside):
        return own
    beyond = outside[[c for c in own.columns if c in outside.columns]].assign(outside=True)
    return gpd.GeoDataFrame(pd.concat([own, beyond], ignore_index=True), geometry="geometry", crs=WORKING_CRS)


def check_frame(
    frame: object, *, layer: str, columns: Iterable[str], geometry: str | None = None, problems: list[str]
) -> None:
    """Add to ``problems`` what is wrong with ``frame`` as layer ``layer`` (missing columns, CRS, geometry type)."""
    if not isinstance(frame, pd.DataFrame):
        problems.append(t("coverage.error.not_a_frame", layer=layer, found=type(frame).__name__))
        return
    require_columns(frame, columns, what=layer, problems=problems)
    if geometry is None:
        return
    if not isinstance(frame, gpd.GeoDataFrame) or frame.active_geometry_name not in frame.columns:
        require_geometry(frame, geometry, what=layer, problems=problems)
        return
    require_crs(frame, what=layer, problems=problems)
    require_geometry(frame, geometry, what=layer, problems=problems)


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


def assign_status(points: gpd.GeoSeries, groups: gpd.GeoDataFrame, *,
                  municipality_area: object = None) -> pd.DataFrame:
    """``group_id``, ``status`` and ``groups`` (comma-separated ids of every group holding the point) per point.

    Indexed like ``points``; the assignment engineer's border rule decides points on a shared edge.
    """
    result = assign_points(points, groups, municipality_area=municipality_area, own_points=points, nearest=0)
    status = result["status"].astype("str")
    group_id = result["group_id"].astype("str")
    listed = group_id.copy()
    several = (status == AddressStatus.OVERLAP).to_numpy()
    listed[several] = [",".join(map(str, g)) for g in result["groups"].to_numpy()[several]]
    return pd.DataFrame({"group_id": group_id, "status": status, "groups": listed}, index=points.index)


def mode_by(frame: pd.DataFrame, keys: list[str], column: str) -> pd.Series:
    """The most frequent non-missing ``column`` value per ``keys`` (ties: the first in sort order)."""
    present = frame[[*keys, column]].dropna(subset=[column])
    counts = present.groupby([*keys, column], dropna=False, sort=True).size().rename("_n").reset_index()
    counts = counts.sort_values("_n", ascending=False, kind="stable").drop_duplicates(keys)
    return counts.set_index(keys)[column]


def name_keys(values: object) -> np.ndarray:
    """:func:`buurtkaart.geocoding.addressing.street_key` of every street name (``''`` where missing), computed once per
    distinct name, so that ``Nerviërsstraat`` and ``nervierstraat`` or ``Brusselse stwg`` compare equal."""
    series = pd.Series(values, dtype="str")
    unique = series.dropna().unique()
    keys = {name: street_key(str(name)) for name in unique}
    return series.map(keys).fillna("").to_numpy(dtype=object)
