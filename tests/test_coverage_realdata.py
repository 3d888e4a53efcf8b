"""The coverage analysis on the real Asse data: CRAB addresses, OSM streets and the 16 wijken as groups.

Twelve of the sixteen wijken of Asse act as groups (four are left out, so there are real gaps), and one of them is
widened by 150 m so that it overlaps its neighbours. The figures must add up: covered + overlap + uncovered = all
households, per street and in total, and the gaps hold exactly the uncovered households.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from buurtkaart.coverage import analyse
from buurtkaart.importers import read_addresses
from buurtkaart.schema import WORKING_CRS
from tests.conftest import REALDATA

pytestmark = pytest.mark.realdata


def asse_layers(folder) -> dict[str, gpd.GeoDataFrame]:
    """Addresses, streets, groups, deelgemeenten and municipality of Asse from the real files."""
    addresses, _ = read_addresses(folder / "asse_crab_addresses_2013.gpkg")
    addresses = addresses[addresses["postcode"].isin(["1730", "1731"])].reset_index(drop=True)
    bounds = folder / "asse_boundaries_provinciesincijfers.gpkg"
    deel = gpd.read_file(bounds, layer="deelgemeenten").query("in_asse").to_crs(WORKING_CRS)
    deel = deel.rename(columns={"naam": "name"})[["code", "name", "geometry"]]
    joined = gpd.sjoin(addresses[["geometry"]], deel, how="left", predicate="intersects")
    addresses["deelgemeente"] = joined.groupby(level=0)["name"].first().astype("str")
    muni = gpd.read_file(bounds, layer="municipalities").query("in_asse").to_crs(WORKING_CRS)
    muni = muni.rename(columns={"naam": "name", "pop2020_total": "population"})[["code", "name", "population",
                                                                                  "geometry"]]
    wijken = gpd.read_file(bounds, layer="wijken").query("in_asse").to_crs(WORKING_CRS).reset_index(drop=True)
    groups = wijken.rename(columns={"code": "group_id", "naam": "name"})[["group_id", "name", "geometry"]]
    groups = groups.iloc[[i for i in range(len(groups)) if i % 4 != 3]].reset_index(drop=True)
    groups.loc[0, "geometry"] = groups.geometry.iloc[0].buffer(150.0)
    raw = gpd.read_file(folder / "asse_osm_2021_streets.gpkg", layer="road_segments")
    raw = raw[raw["name"].notna()].to_crs(WORKING_CRS).reset_index(drop=True)
    streets = gpd.GeoDataFrame({"street_id": np.arange(1, len(raw) + 1), "name": raw["name"].astype("str"),
                                "road_class": raw["class"].astype("str")}, geometry=raw.geometry.values,
                               crs=WORKING_CRS)
    return {"addresses": addresses, "streets": streets, "groups": groups, "deelgemeenten": deel,
            "municipality": muni}


@pytest.fixture(scope="module")
def asse():
    if not REALDATA.is_dir():
        pytest.skip(f"real Asse data not found at {REALDATA} (it lives in ../shared beside the project)")
    layers = asse_layers(REALDATA)
    members = _members(layers["addresses"])
    report = analyse(layers["addresses"], layers["groups"], members, streets=layers["streets"],
                     municipality_area=layers["municipality"], deelgemeenten=layers["deelgemeenten"])
    return layers, members, report


def _members(addresses: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every 9th address has a member; their group is filled in by the analysis' own assignment below."""
    chosen = addresses.iloc[::9]
    return pd.DataFrame({"member_id": [f"m{i}" for i in range(len(chosen))],
                         "address_id": chosen["address_id"].to_numpy(), "status": "lid", "group_id": pd.NA})


def test_asse_figures_add_up_per_street_and_in_total(asse):
    layers, _, report = asse
    n = len(layers["addresses"])
    assert n > 10_900  # the 10,994 CRAB addresses of Asse, less exact duplicates the importer drops
    # two CRAB points of Asse lie just over the municipal border (PROVENANCE.md): they are register addresses of
    # Asse, so they count as the municipality's own (issue 15), never as outside
    streets = report.streets
    parts = streets["covered"] + streets["overlap"] + streets["uncovered"] + streets["outside"]
    assert (parts == streets["households"]).all()
    assert streets["households"].sum() == n
    total = report.municipality.iloc[0]
    assert total["outside"] == 0
    assert total["covered"] + total["overlap"] + total["uncovered"] == total["households"] == n
    assert total["covered"] > 0 and total["uncovered"] > 500 and total["overlap"] > 0
    assert report.groups["households"].sum() == total["covered"]
    deel = report.deelgemeenten
    assert deel["households"].sum() == n and len(deel[deel["deelgemeente"].notna()]) == 6
    assert total["population"] == 33_505 and total["groups_per_1000"] == round(1000 * 12 / 33_505, 3)


def test_asse_gaps_hold_every_uncovered_household(asse):
    layers, _, report = asse
    gaps = report.gaps
    total = report.municipality.iloc[0]
    assert gaps["households"].sum() == total["uncovered"]
    assert gaps["households"].is_monotonic_decreasing and list(gaps["rank"]) == list(range(1, len(gaps) + 1))
    assert (gaps.geometry.geom_type == "MultiPolygon").all() and gaps.geometry.is_valid.all()
    uncovered = report.addresses[report.addresses["status"] == "niet_gedekt"]
    assert uncovered["gap_id"].notna().all()
    # each proposal holds nearly all of its own addresses and stays out of the existing groups
    inside = [shapely.covers(g.geometry, uncovered[uncovered["gap_id"] == g.gap_id].geometry.values).mean()
              for g in gaps.itertuples()]
    weights = gaps["households"].to_numpy()
    assert np.average(inside, weights=weights) > 0.999
    # proposals do not overlap each other (contested ground goes to the nearest gap)
    geoms = gaps.geometry.values
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    assert shapely.area(shapely.intersection(geoms[a[a < b]], geoms[b[a < b]])).sum() < 1.0
    groups = shapely.union_all(layers["groups"].geometry.values)
    assert gaps.geometry.intersection(groups).area.sum() < 1.0
    assert gaps["streets"].str.len().gt(0).all()


def test_asse_overlaps_and_members(asse):
    _, members, report = asse
    assert len(report.overlaps) >= 1 and report.overlaps["households"].sum() >= report.municipality.iloc[0][
        "overlap"]
    assert (report.overlap_addresses["group_ids"].str.count(",") >= 1).all()
    assert report.municipality.iloc[0]["members"] == len(members)
    assert report.streets["members"].sum() == len(members)


@pytest.fixture(scope="module")
def asse_workspace(tmp_path_factory):
    """A workspace built by the importers from the real files, with 12 of the 16 wijken as groups."""
    if not REALDATA.is_dir():
        pytest.skip(f"real Asse data not found at {REALDATA} (it lives in ../shared beside the project)")
    from tests.app.conftest import build_asse

    ws = build_asse(tmp_path_factory.mktemp("asse-coverage") / "asse.gpkg")
    groups = ws.read("groups").sort_values("group_id").reset_index(drop=True)
    ws.write({"groups": groups.iloc[[i for i in range(len(groups)) if i % 4 != 3]]})
    return ws


def test_imported_asse_workspace_same_figures_in_library_and_command_line(asse_workspace):
    import json

    from click.testing import CliRunner

    from buurtkaart.cli import main
    from buurtkaart.coverage import coverage_report

    report = coverage_report(asse_workspace)
    s = report.summary()
    assert s["households"] == 10_994 and s["outside"] == 0
    assert s["covered"] + s["overlap"] + s["uncovered"] + s["outside"] == s["households"]
    assert s["gap_households"] == s["uncovered"] > 0 and s["n_groups"] == 12
    streets = report.streets
    assert (streets[["covered", "overlap", "uncovered", "outside"]].sum(axis=1) == streets["households"]).all()
    result = CliRunner().invoke(main, ["--workspace", str(asse_workspace.path), "gaps", "--json"])
    assert result.exit_code == 0, result.output
    gaps = json.loads(result.output)["gaps"]
    assert [g["households"] for g in gaps] == report.gaps["households"].tolist()
    assert [g["streets"] for g in gaps] == report.gaps["streets"].tolist()
