"""Coverage figures per address, street, group, deelgemeente and municipality.

A household is one address row (a box number is its own row). Each household is exactly one of: covered by one
group (``toegewezen``), in an ``overlap`` of two or more groups, or uncovered (``niet_gedekt``); so per street and
in total ``covered + overlap + uncovered == households``. Members are members' rows with status ``lid``;
participation is members per 100 households.

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]},
...                           geometry=[shapely.box(0, 0, 100, 100)], crs=31370)
>>> addresses = gpd.GeoDataFrame({"street": ["Kerkstraat", "Kerkstraat", "Molenweg"], "housenumber": [1, 1, 2],
...                               "box": [pd.NA, "2", pd.NA]},
...                              geometry=shapely.points([(10, 10), (10, 10), (500, 10)]), crs=31370)
>>> coverage_by(addresses, groups, level="street")[["street", "households", "covered", "uncovered"]]
       street  households  covered  uncovered
0  Kerkstraat           2        2          0
1    Molenweg           1        0          1
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from buurtkaart.coverage._inputs import assign_status, check_inputs, mode_by, raise_problems
from buurtkaart.texts import t
from buurtkaart.vocabulary import AddressStatus, MemberStatus

Level = Literal["address", "street", "group", "deelgemeente", "municipality"]
LEVELS = ("address", "street", "group", "deelgemeente", "municipality")
_COUNTS = ["households", "covered", "overlap", "uncovered", "outside", "members"]


def address_coverage(
    addresses: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    members: pd.DataFrame | None = None,
    *,
    municipality_area: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """One row per address, indexed like ``addresses``: its status, group, all groups it lies in, and members.

    ``group_ids`` lists (comma-separated) every group holding the address (two or more for an overlap);
    ``group_id`` is the one group of a covered address, NA otherwise. With ``municipality_area``, addresses outside
    it are ``buiten_gemeente``.
    """
    check_inputs(addresses, groups, members)
    status = assign_status(addresses.geometry, groups, municipality_area=municipality_area)
    keep = [c for c in ("address_id", "street", "housenumber", "suffix", "box", "postcode", "deelgemeente")
            if c in addresses.columns]
    out = pd.DataFrame(addresses[keep].copy())
    if "postcode" not in out.columns:
        out["postcode"] = pd.Series(pd.NA, index=out.index, dtype="str")
    out["status"] = status["status"].astype("str").to_numpy()
    out["group_id"] = status["group_id"].astype("str").to_numpy()
    out["group_ids"] = status["groups"].to_numpy()
    out["members"] = members_per_address(addresses, members)
    return gpd.GeoDataFrame(out, geometry=addresses.geometry.values, crs=addresses.crs, index=addresses.index)


def _active_members(members: pd.DataFrame | None) -> pd.DataFrame:
    if members is None or len(members) == 0:
        return pd.DataFrame({"group_id": pd.Series([], dtype="str"), "address_id": pd.Series([], dtype="str")})
    active = members[members["status"].astype("str") == MemberStatus.LID]
    cols = {c: active[c].astype("str") if c in active.columns else pd.Series(pd.NA, index=active.index, dtype="str")
            for c in ("group_id", "address_id", "street")}
    return pd.DataFrame(cols)


def members_per_address(addresses: pd.DataFrame, members: pd.DataFrame | None) -> np.ndarray:
    """The number of members (status ``lid``) living at each address (by ``address_id``), in the order of
    ``addresses``: the ``members`` column of :func:`address_coverage`."""
    active = _active_members(members)
    if "address_id" not in addresses.columns or len(active) == 0:
        return np.zeros(len(addresses), dtype=np.int64)
    counts = active["address_id"].dropna().value_counts()
    return addresses["address_id"].astype("str").map(counts).fillna(0).astype("int64").to_numpy()


def _status_counts(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    status = table["status"]
    counted = pd.DataFrame({
        **{k: table[k] for k in keys},
        "households": 1,
        "covered": (status == AddressStatus.TOEGEWEZEN).astype("int64"),
        "overlap": (status == AddressStatus.OVERLAP).astype("int64"),
        "uncovered": (status == AddressStatus.NIET_GEDEKT).astype("int64"),
        "outside": (status == AddressStatus.BUITEN_GEMEENTE).astype("int64"),
        "members": table["members"].astype("int64"),
    })
    return counted.groupby(keys, dropna=False, sort=True)[_COUNTS].sum().reset_index()


def _participation(members: pd.Series, households: pd.Series) -> pd.Series:
    """Members per 100 households (NA where there are no households)."""
    return (100.0 * members / households.where(households > 0)).round(1)


def _by_street(table: pd.DataFrame, streets: gpd.GeoDataFrame | None) -> pd.DataFrame:
    out = _status_counts(table, ["street", "postcode"])
    covered = table[table["status"] == AddressStatus.TOEGEWEZEN]
    pairs = covered[["street", "postcode", "group_id"]].drop_duplicates().sort_values("group_id")
    groups = pairs.groupby(["street", "postcode"], dropna=False)["group_id"].agg(",".join)
    out = out.merge(groups.rename("groups").reset_index(), on=["street", "postcode"], how="left")
    out["groups"] = out["groups"].astype("str")
    out["n_groups"] = out["groups"].str.count(",").add(1).where(out["groups"].notna(), 0).astype("int64")
    out["split"] = out["n_groups"] >= 2
    if "deelgemeente" in table.columns:
        mode = mode_by(table, ["street", "postcode"], "deelgemeente")
        out = out.merge(mode.reset_index(), on=["street", "postcode"], how="left")
    out["participation"] = _participation(out["members"], out["households"])
    if streets is not None and len(streets):
        length = streets.assign(length_m=streets.geometry.length).groupby("name")["length_m"].sum().round(1)
        out["length_m"] = out["street"].map(length)
    return out


def _by_group(table: pd.DataFrame, groups: gpd.GeoDataFrame, members: pd.DataFrame | None) -> pd.DataFrame:
    ids = groups["group_id"].astype("str")
    covered = table[table["status"] == AddressStatus.TOEGEWEZEN]
    households = covered.groupby("group_id").size()
    overlap_rows = table[table["status"] == AddressStatus.OVERLAP]
    overlap_ids = overlap_rows["group_ids"].str.split(",").explode()
    overlap_counts = overlap_ids.value_counts()
    active = _active_members(members)
    member_counts = active["group_id"].dropna().value_counts()
    streets = covered.groupby("group_id")["street"].nunique()
    street_groups = covered.groupby("street")["group_id"].nunique()
    split = covered[covered["street"].map(street_groups) >= 2].groupby("group_id")["street"].nunique()
    out = pd.DataFrame({
        "group_id": ids.to_numpy(),
        "name": groups["name"].astype("str").to_numpy() if "name" in groups.columns else ids.to_numpy(),
        "households": ids.map(households).fillna(0).astype("int64").to_numpy(),
        "overlap": ids.map(overlap_counts).fillna(0).astype("int64").to_numpy(),
        "members": ids.map(member_counts).fillna(0).astype("int64").to_numpy(),
        "streets": ids.map(streets).fillna(0).astype("int64").to_numpy(),
        "split_streets": ids.map(split).fillna(0).astype("int64").to_numpy(),
        "area_km2": (groups.geometry.area / 1e6).round(3).to_numpy(),
    })
    out["participation"] = _participation(out["members"], out["households"])
    return out


def _by_area(table: pd.DataFrame, key: str | None, population: object, areas: Mapping[object, float]) -> pd.DataFrame:
    keys = [key] if key else []
    frame = table.assign(_all=t("coverage.total")) if not key else table
    counted = _status_counts(frame, keys or ["_all"])
    covered = frame[frame["status"] == AddressStatus.TOEGEWEZEN]
    by = keys or ["_all"]
    counted["n_groups"] = counted[by[0]].map(covered.groupby(by[0])["group_id"].nunique()).fillna(0).astype("int64")
    counted["streets"] = counted[by[0]].map(frame.groupby(by[0], dropna=False)["street"].nunique()).astype("int64")
    counted["participation"] = _participation(counted["members"], counted["households"])
    counted["area_km2"] = counted[by[0]].map(areas).astype("float64")
    counted["population"] = counted[by[0]].map(_population_lookup(population, key)).astype("Int64")
    per_1000 = 1000.0 * counted["n_groups"] / counted["population"].astype("float64")
    counted["groups_per_1000"] = per_1000.round(3)
    if not key:
        counted = counted.rename(columns={"_all": "municipality"})
    return counted


def _population_lookup(population: object, key: str | None) -> Mapping[object, object]:
    if population is None:
        return {}
    if isinstance(population, Mapping):
        if key:
            return dict(population)
        return {t("coverage.total"): sum(int(v) for v in population.values())}
    if key:
        return {}
    return {t("coverage.total"): int(population)}  # type: ignore[call-overload]


def coverage_by(
    addresses: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    members: pd.DataFrame | None = None,
    *,
    level: Level = "street",
    population: int | Mapping[str, int] | None = None,
    streets: gpd.GeoDataFrame | None = None,
    deelgemeenten: gpd.GeoDataFrame | None = None,
    municipality_area: gpd.GeoDataFrame | None = None,
    table: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Coverage figures at ``level``: households, covered, overlap, uncovered, members, participation...

    ``population`` is the number of inhabitants (municipality level) or a mapping deelgemeente → inhabitants; it
    gives ``groups_per_1000``. ``streets`` adds street lengths, ``deelgemeenten``/``municipality_area`` (polygons
    with ``name``) add areas. ``table`` is a ready :func:`address_coverage` result (to avoid computing it twice).
    """
    if level not in LEVELS:
        raise_problems([t("coverage.error.level", level=level, known=", ".join(LEVELS))])
    if table is None:
        table = address_coverage(addresses, groups, members, municipality_area=municipality_area)
    if level == "address":
        return table
    if level == "street":
        return _by_street(table, streets)
    if level == "group":
        return _by_group(table, groups, members)
    if level == "deelgemeente":
        if "deelgemeente" not in table.columns:
            raise_problems([t("coverage.error.no_deelgemeente")])
        areas = _areas(deelgemeenten)
        return _by_area(table, "deelgemeente", population, areas)
    areas = ({t("coverage.total"): next(iter(_areas(municipality_area).values()))}
             if municipality_area is not None else {})
    return _by_area(table, None, population, areas)


def _areas(polygons: gpd.GeoDataFrame | None) -> dict[object, float]:
    if polygons is None or len(polygons) == 0:
        return {}
    names = polygons["name"] if "name" in polygons.columns else polygons.index.to_series()
    return dict(zip(names, (polygons.geometry.area / 1e6).round(3), strict=True))


def split_streets(table: gpd.GeoDataFrame) -> pd.DataFrame:
    """Streets whose households are split between groups, one row per (street, group) part.

    Each part gives its households, house-number range and side (``oneven``, ``even`` or ``beide``), so that a
    reader sees ``Kerkstraat 1-57 oneven: G1``. ``table`` is an :func:`address_coverage` result.
    """
    covered = table[table["status"] == AddressStatus.TOEGEWEZEN]
    n_groups = covered.groupby(["street", "postcode"], dropna=False)["group_id"].transform("nunique")
    parts = covered[n_groups >= 2]
    if len(parts) == 0:
        return pd.DataFrame(columns=["street", "postcode", "group_id", "households", "from_number", "to_number",
                                     "side", "parts"])
    numbers = pd.to_numeric(parts["housenumber"], errors="coerce") if "housenumber" in parts.columns \
        else pd.Series(np.nan, index=parts.index)
    odd = (numbers % 2).where(numbers.notna())
    frame = pd.DataFrame({"street": parts["street"], "postcode": parts["postcode"], "group_id": parts["group_id"],
                          "number": numbers.astype("float64"), "odd": odd.astype("float64")})
    grouped = frame.groupby(["street", "postcode", "group_id"], dropna=False)
    out = grouped.agg(households=("number", "size"), from_number=("number", "min"), to_number=("number", "max"),
                      odd_min=("odd", "min"), odd_max=("odd", "max")).reset_index()
    out["side"] = np.select([(out["odd_min"] == 1) & (out["odd_max"] == 1),
                             (out["odd_min"] == 0) & (out["odd_max"] == 0)], ["oneven", "even"], "beide")
    out = out.drop(columns=["odd_min", "odd_max"])
    out["parts"] = out.groupby(["street", "postcode"], dropna=False)["group_id"].transform("size").astype("int64")
    for col in ("from_number", "to_number"):
        out[col] = out[col].round().astype("Int64")
    return out.sort_values(["street", "postcode", "from_number"]).reset_index(drop=True)
