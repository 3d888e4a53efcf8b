"""Checks + impact preview for one boundary edit, on Asse (real data) and on the 1,000,000-address synthetic region.

The edit: a group takes a 100 m strip of its neighbour along their shared border (both groups change). Timed:
``check_group`` of the edited group (validity, municipality, overlaps, slivers, holes, size, members,
contiguity) plus ``preview_impact`` (addresses, members, streets, infobord sites). Target: under 0.5 s on Asse.
Also timed: snapping a drawn polygon to streets and borders (``snap_drawing``). Median of 5 runs after a warm-up.

Asse: CRAB addresses 2013 (10,994), OSM 2021 streets, the 16 wijken of Asse as groups (../shared/realdata).
"""

from __future__ import annotations

import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from _timing import median_seconds

from buurtkaart.boundaries import check_group, preview_impact, replace_group, snap_drawing
from buurtkaart.schema import WORKING_CRS

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "asse"
RUNS = 5


def _asse() -> dict[str, gpd.GeoDataFrame] | None:
    if not REALDATA.is_dir():
        return None
    bounds = REALDATA / "asse_boundaries_provinciesincijfers.gpkg"
    muni = gpd.read_file(bounds, layer="municipalities").query("in_asse").to_crs(WORKING_CRS)
    wijken = gpd.read_file(bounds, layer="wijken").query("in_asse").to_crs(WORKING_CRS)
    groups = gpd.GeoDataFrame({"group_id": [f"W{i + 1:02d}" for i in range(len(wijken))],
                               "name": wijken["naam"].to_numpy()}, geometry=wijken.geometry.values, crs=WORKING_CRS)
    crab = gpd.read_file(REALDATA / "asse_crab_addresses_2013.gpkg", layer="addresses").query("in_asse")
    crab = crab.to_crs(WORKING_CRS).reset_index(drop=True)
    addresses = gpd.GeoDataFrame({"address_id": [f"A{i}" for i in range(len(crab))], "street": crab["street"],
                                  "housenumber": pd.to_numeric(crab["housenumber"].str.extract(r"(\d+)")[0],
                                                               errors="coerce").astype("Int64")},
                                 geometry=crab.geometry.values, crs=WORKING_CRS)
    osm = gpd.read_file(REALDATA / "asse_osm_2021_streets.gpkg", layer="road_segments").to_crs(WORKING_CRS)
    osm = osm[osm["name"].notna()].explode(index_parts=False).reset_index(drop=True)
    streets = gpd.GeoDataFrame({"street_id": np.arange(1, len(osm) + 1), "name": osm["name"],
                                "road_class": osm["class"]}, geometry=osm.geometry.values, crs=WORKING_CRS)
    return {"municipality": muni, "groups": groups, "addresses": addresses, "streets": streets}


def _members(addresses: gpd.GeoDataFrame, share: float = 0.05) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(0)
    pick = rng.random(len(addresses)) < share
    chosen = addresses[pick]
    return gpd.GeoDataFrame({"member_id": [f"M{i}" for i in range(len(chosen))], "status": "lid"},
                            geometry=chosen.geometry.values, crs=WORKING_CRS)


def _signs(groups: gpd.GeoDataFrame, streets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    from buurtkaart.infoborden import entry_sites, find_entries

    sites = entry_sites(find_entries(groups, streets), groups)
    return gpd.GeoDataFrame({"sign_id": sites["site_id"], "group_ids": sites["group_ids"], "status": "geplaatst"},
                            geometry=sites.geometry.values, crs=WORKING_CRS)


def _edit(groups: gpd.GeoDataFrame, *, strip_m: float = 100.0) -> tuple[gpd.GeoDataFrame, str, str]:
    """The group with the longest shared border takes a ``strip_m`` strip of that neighbour."""
    best = (0.0, 0, 0)
    tree = shapely.STRtree(groups.geometry.values)
    a_idx, b_idx = tree.query(groups.geometry.values, predicate="touches")
    for a, b in zip(a_idx[:400], b_idx[:400], strict=True):
        if a < b:
            shared = shapely.intersection(groups.geometry.values[a].boundary, groups.geometry.values[b].boundary)
            if shared.length > best[0]:
                best = (shared.length, a, b)
    _, a, b = best
    ga, gb = groups.geometry.values[a], groups.geometry.values[b]
    strip = shapely.intersection(shapely.buffer(ga, strip_m), gb)
    ids = groups["group_id"].astype("str").to_numpy()
    edited = replace_group(groups, ids[a], shapely.union(ga, strip))
    edited = replace_group(edited, ids[b], shapely.difference(gb, strip))
    return edited, ids[a], ids[b]


def _bench(label: str, layers: dict[str, gpd.GeoDataFrame]) -> None:
    groups, addresses, streets = layers["groups"], layers["addresses"], layers["streets"]
    muni = shapely.union_all(layers["municipality"].geometry.values)
    members = _members(addresses)
    edited, gid, neighbour = _edit(groups)
    near = groups[groups.geometry.intersects(shapely.buffer(edited.set_index("group_id").geometry[gid], 500))]
    signs = _signs(near, streets)
    for frame in (addresses, members, streets, groups, edited, signs):
        frame.sindex  # noqa: B018 - built once, as a cached loader would keep it
    area = edited.set_index("group_id").geometry[gid]

    def run() -> tuple[object, object]:
        checked = check_group(area, group_id=gid, groups=edited, municipality_area=muni, addresses=addresses,
                              members=members, overlap="trim")
        impact = preview_impact(groups, edited, addresses=addresses, members=members, streets=streets,
                                infoborden=signs)
        return checked, impact

    seconds, (checked, impact) = median_seconds(run, repeat=RUNS, warmup=True)  # type: ignore[misc]
    print(f"{label}: {len(addresses):,} addresses, {len(groups):,} groups, {len(streets):,} street segments, "
          f"{len(members):,} members, {len(signs)} signs near the edit")
    print(f"  edit: {gid} takes a 100 m strip of {neighbour}")
    print(f"  checks + impact preview: {seconds * 1000:.0f} ms (median of {RUNS})")
    print(f"    findings: {[f.code for f in checked.findings]}; households {checked.households}, "  # type: ignore[attr-defined]
          f"members {checked.members}")  # type: ignore[attr-defined]
    print(f"    impact: {impact.summary()}")  # type: ignore[attr-defined]
    # snapping a hand-drawn version of the edited area (vertices moved by up to 4 m)
    drawn = shapely.transform(shapely.simplify(area, 5.0), lambda xy: xy + 4.0 * np.sin(xy[:, ::-1] / 7.0))
    snap_s, _ = median_seconds(lambda: snap_drawing(drawn, streets=streets, groups=edited, group_id=gid,
                                                    addresses=addresses, tolerance_m=8.0), repeat=RUNS, warmup=True)
    print(f"  snap a drawn area to streets and borders (+ keep border streets whole): {snap_s * 1000:.0f} ms")


def main() -> None:
    asse = _asse()
    if asse is None:
        print(f"Asse: skipped (real data not found at {REALDATA})")
    else:
        _bench("Asse (real data, 16 wijken as groups)", asse)
    from buurtkaart.synthetic import synthetic_region

    started = time.perf_counter()
    region = synthetic_region(n_addresses=1_000_000, n_groups=2_000, seed=0)
    print(f"(synthetic region built in {time.perf_counter() - started:.1f} s)")
    _bench("Synthetic region", region)


if __name__ == "__main__":
    main()
