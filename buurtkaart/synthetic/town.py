"""The fictional demo town "Demodorp (fictief)": every workspace layer, generated from a seed.

Six villages (one per deelgemeente) with street grids, cul-de-sacs and footpaths, joined by a regional N-road
and collectors; about 10,000 addresses; 24 groups that leave gaps and overlap once; about 1,500 members. The same
seed always gives identical layers. The app opens this town on a fresh machine (:func:`ensure_demo_workspace`).

>>> layers = demo_layers(seed=2019)
>>> len(layers["groups"]), layers["municipality"]["name"].iloc[0]
(24, 'Demodorp (fictief)')
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.errors import InputError, WorkspaceError
from buurtkaart.infoborden.changes import signs_from_sites
from buurtkaart.infoborden.planning import plan_infoborden
from buurtkaart.schema import WORKING_CRS
from buurtkaart.synthetic._addresses import town_addresses
from buurtkaart.synthetic._groups import group_names, town_groups, town_wijken
from buurtkaart.synthetic._layout import deelgemeente_outlines, make_villages, municipality_outline
from buurtkaart.synthetic._members import town_members
from buurtkaart.synthetic._reference import reference
from buurtkaart.synthetic._streets import split_at_junctions, town_streets
from buurtkaart.texts import t
from buurtkaart.vocabulary import PlanMode, SignStatus
from buurtkaart.workspace import Workspace, conform, is_server_url, location_exists

DEFAULT_SEED = 2019
#: Steps of :func:`demo_build` (for a progress bar).
DEMO_STEPS = ("plan", "streets", "addresses", "groups", "members", "infoborden", "check")
#: In the demo the older groups (up to this id) already have their infoborden; the others are planned.
_PLACED_UP_TO_GROUP = "G12"
_PLACED_ON = "2025-06-12"
_PEOPLE_PER_ADDRESS = 2.3


def demo_layers(*, seed: int = DEFAULT_SEED) -> dict[str, gpd.GeoDataFrame]:
    """Every workspace layer of the demo town (except ``metadata``), conforming to :data:`buurtkaart.schema.LAYERS`."""
    layers: dict[str, gpd.GeoDataFrame] = {}
    for _ in demo_build(layers, seed=seed):
        pass
    return layers


def demo_build(layers: dict[str, gpd.GeoDataFrame], *, seed: int = DEFAULT_SEED) -> Iterator[str]:
    """Build the demo layers into ``layers`` step by step, yielding the name of each step once it is done."""
    _check_seed(seed)
    rng = np.random.default_rng(seed)
    villages = make_villages(rng)
    yield DEMO_STEPS[0]

    lines = town_streets(rng, villages)
    municipality = municipality_outline(rng, shapely.union_all([line.geometry for line in lines]))
    dg_ref = reference()["deelgemeenten"]
    deelgemeenten = _gdf({"code": [d["code"] for d in dg_ref], "name": [d["name"] for d in dg_ref],
                          "postcode": [d["postcode"] for d in dg_ref]},
                         deelgemeente_outlines(villages, municipality))
    segments, owner = split_at_junctions(lines)
    mids = shapely.line_interpolate_point(segments, 0.5, normalized=True)
    seg_dg = _locate(shapely.get_coordinates(mids), deelgemeenten)
    streets = _gdf({"street_id": np.arange(1, len(segments) + 1),
                    "name": [lines[k].name for k in owner],
                    "road_class": [lines[k].road_class for k in owner],
                    "ref": [lines[k].ref for k in owner],
                    "authority": [lines[k].authority for k in owner],
                    "deelgemeente": deelgemeenten["name"].to_numpy()[seg_dg]}, segments)
    yield DEMO_STEPS[1]

    raw = town_addresses(rng, lines, villages)
    addresses = _address_frame(raw, deelgemeenten)
    yield DEMO_STEPS[2]

    areas = town_groups(rng, villages, municipality)
    groups = _gdf({"group_id": [f"G{k:02d}" for k in range(1, len(areas) + 1)],
                   "name": group_names(rng, len(areas))}, [polygon for _, polygon in areas])
    wijken_list = town_wijken(villages)
    wijken = _gdf({"code": [f"W{k:02d}" for k in range(1, len(wijken_list) + 1)],
                   "name": [name for name, _ in wijken_list]}, [geom for _, geom in wijken_list])
    yield DEMO_STEPS[3]

    covering, in_overlap = _covering_group(addresses, groups)
    plain = addresses.assign(x=addresses.geometry.x, y=addresses.geometry.y,
                             suffix=addresses["suffix"].fillna(""), box=addresses["box"].fillna(""))
    members_raw = town_members(rng, plain, covering, in_overlap, deelgemeenten, municipality,
                               shapely.union_all(groups.geometry.values))
    members = _gdf(members_raw.drop(columns=["x", "y"]),
                   shapely.points(members_raw["x"].to_numpy(), members_raw["y"].to_numpy()))
    members = members.sort_values("member_id", ignore_index=True)
    yield DEMO_STEPS[4]

    signs = _demo_signs(groups, streets, addresses)
    yield DEMO_STEPS[5]

    muni = _gdf({"code": [reference()["municipality"]["code"]], "name": [reference()["municipality"]["name"]],
                 "population": [round(len(addresses) * _PEOPLE_PER_ADDRESS, -2)]}, [municipality])
    built = {"municipality": muni, "deelgemeenten": deelgemeenten, "wijken": wijken, "streets": streets,
             "addresses": addresses, "groups": groups, "members": members, "infoborden": signs}
    for name, frame in built.items():
        layers[name] = conform(name, frame)  # type: ignore[assignment]
    yield DEMO_STEPS[6]


def _demo_signs(groups: gpd.GeoDataFrame, streets: gpd.GeoDataFrame, addresses: gpd.GeoDataFrame
                ) -> gpd.GeoDataFrame:
    """The demo's infoborden: a sign at every entry road (the circular's rule), already placed for the older
    groups and planned for the others, so that plans, work orders and boundary changes have signs to keep."""
    signs = signs_from_sites(plan_infoborden(groups, streets, addresses, mode=PlanMode.EVERY_ENTRY).sites)
    first_group = signs["group_ids"].str.split(",").str[0]
    placed = (first_group <= _PLACED_UP_TO_GROUP).to_numpy()
    signs.loc[placed, "status"] = SignStatus.GEPLAATST
    signs.loc[placed, "placed_on"] = _PLACED_ON
    return signs.reset_index(drop=True)


def make_demo_workspace(path: str | os.PathLike[str], *, seed: int = DEFAULT_SEED,
                        overwrite: bool = True) -> Workspace:
    """Write the demo town to a new workspace at ``path`` (marked fictional) and return it.

    It gets the demo accounts of :func:`buurtkaart.members.accounts.seed_demo_accounts` (see README, "The demo").

    Parameters
    ----------
    path : str or path
        Where to write the GeoPackage (or a ``postgresql://`` URL).
    seed : int
        The seed of the fictional town (the same seed gives the same town).
    overwrite : bool, default True
        Replace a workspace already there.

    Returns
    -------
    Workspace
        The new, fictional workspace.
    """
    return write_demo_workspace(path, demo_layers(seed=seed), seed=seed, overwrite=overwrite)


def ensure_demo_workspace(path: str | os.PathLike[str]) -> Workspace:
    """Open the workspace at ``path``; create the demo town there first when no file exists yet."""
    target = path if is_server_url(path) else Path(path)
    if location_exists(target):
        return Workspace.open(target)
    try:
        return make_demo_workspace(target, overwrite=False)
    except WorkspaceError:
        if location_exists(target):  # another session created it meanwhile
            return Workspace.open(target)
        raise


def write_demo_workspace(path: str | os.PathLike[str], layers: dict[str, gpd.GeoDataFrame], *, seed: int,
                         overwrite: bool) -> Workspace:
    """Write demo ``layers`` to a new fictional workspace, with the demo accounts (``accounts.DEMO_PASSWORD``)."""
    from buurtkaart.members.accounts import seed_demo_accounts

    ws = Workspace.create(path, layers, municipality=reference()["municipality"]["name"], fictional=True,
                          metadata={"seed": str(seed), "source": "buurtkaart.synthetic (fictieve demo)"},
                          overwrite=overwrite)
    seed_demo_accounts(ws)
    return ws


# --------------------------------------------------------------------------------------------- helpers
def _check_seed(seed: object) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(t("demo.bad_seed", seed=seed))


def _gdf(columns: dict[str, object] | pd.DataFrame, geometry: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(columns), geometry=list(np.asarray(geometry, dtype=object)),
                            crs=WORKING_CRS)


def _locate(xy: np.ndarray, areas: gpd.GeoDataFrame) -> np.ndarray:
    """Index (position) of the area holding each point; the nearest area for points on no area."""
    found = np.full(len(xy), -1)
    for k, geom in enumerate(areas.geometry):
        inside = shapely.contains_xy(geom, xy[:, 0], xy[:, 1]) & (found < 0)
        found[inside] = k
    lost = np.flatnonzero(found < 0)
    if len(lost):
        points = shapely.points(xy[lost])
        dist = np.stack([shapely.distance(points, geom) for geom in areas.geometry], axis=1)
        found[lost] = dist.argmin(axis=1)
    return found


def _address_frame(raw: pd.DataFrame, deelgemeenten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    dg = _locate(raw[["x", "y"]].to_numpy(), deelgemeenten)
    frame = pd.DataFrame({
        "dg": dg,
        "street": raw["street"].to_numpy(),
        "housenumber": raw["housenumber"].to_numpy(),
        "suffix": raw["suffix"].to_numpy(),
        "box_sort": raw["box"].map(lambda b: float(b) if b else -1.0).to_numpy(),
        "box": raw["box"].to_numpy(),
        "postcode": deelgemeenten["postcode"].to_numpy()[dg],
        "deelgemeente": deelgemeenten["name"].to_numpy()[dg],
        "x": raw["x"].to_numpy(), "y": raw["y"].to_numpy(),
    })
    frame = frame.sort_values(["dg", "street", "housenumber", "suffix", "box_sort"], ignore_index=True)
    frame.insert(0, "address_id", [f"A{k:05d}" for k in range(1, len(frame) + 1)])
    frame["suffix"] = frame["suffix"].replace("", None)
    frame["box"] = frame["box"].replace("", None)
    geometry = shapely.points(frame["x"].to_numpy(), frame["y"].to_numpy())
    return _gdf(frame.drop(columns=["dg", "box_sort", "x", "y"]), geometry)


def _covering_group(addresses: gpd.GeoDataFrame, groups: gpd.GeoDataFrame) -> tuple[pd.Series, pd.Series]:
    """The first group (by id) whose area holds each address (NA where none does), and whether two do."""
    pt_idx, group_idx = shapely.STRtree(groups.geometry.values).query(addresses.geometry.values,
                                                                       predicate="within")
    first = pd.Series(group_idx).groupby(pt_idx).min()
    covering = pd.Series(pd.NA, index=addresses.index, dtype="str")
    covering.iloc[first.index.to_numpy()] = groups["group_id"].to_numpy()[first.to_numpy()]
    in_overlap = pd.Series(np.bincount(pt_idx, minlength=len(addresses)) > 1, index=addresses.index)
    return covering, in_overlap
