"""The coverage commands on a tiny workspace: the same scenario as the library tests, through the command line."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from buurtkaart.cli import main
from buurtkaart.coverage import coverage_report
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import X0, Y0, pt, square


@pytest.fixture
def town(tmp_path) -> Workspace:
    """G1 covers x = 0..100 of the Dorpstraat (y = 50, x = 0..500); the rest of the street is a gap."""
    rows = [(2 * i + 1 + (k % 2), x, 60 if k % 2 == 0 else 40) for i, x in enumerate(range(20, 400, 20))
            for k in range(2)]
    addresses = gpd.GeoDataFrame({
        "address_id": [f"a{i}" for i in range(len(rows))], "street": "Dorpstraat",
        "housenumber": [n for n, _, _ in rows], "postcode": "9999", "deelgemeente": "Dorp",
    }, geometry=[pt(x, y) for _, x, y in rows], crs=WORKING_CRS)
    streets = gpd.GeoDataFrame({"street_id": [1], "name": ["Dorpstraat"], "road_class": ["minor"]},
                               geometry=[shapely.LineString([(X0, Y0 + 50), (X0 + 500, Y0 + 50)])], crs=WORKING_CRS)
    groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]}, geometry=[square(0, 0)], crs=WORKING_CRS)
    members = gpd.GeoDataFrame({"member_id": ["m1"], "name": ["Fictief Lid"], "address_text": ["Dorpstraat 1"],
                                "address_id": ["a0"], "group_id": ["G1"], "status": ["lid"]},
                               geometry=[pt(20, 60)], crs=WORKING_CRS)
    muni = gpd.GeoDataFrame({"code": ["99999"], "name": ["Teststad"], "population": [500]},
                            geometry=[shapely.box(X0 - 100, Y0 - 100, X0 + 600, Y0 + 200)], crs=WORKING_CRS)
    layers = {"addresses": addresses, "streets": streets, "groups": groups, "members": members,
              "municipality": muni}
    return Workspace.create(tmp_path / "town.gpkg", layers, municipality="Teststad", fictional=True)


def _run(ws: Workspace, *args: str) -> str:
    result = CliRunner().invoke(main, ["--workspace", str(ws.path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_coverage_summary_matches_the_library(town):
    report = coverage_report(town)
    data = json.loads(_run(town, "coverage", "--json"))
    assert data["summary"] == json.loads(json.dumps(report.summary()))
    assert data["summary"]["households"] == 38 and data["summary"]["covered"] == 10
    assert data["summary"]["members"] == 1 and data["summary"]["groups_per_1000"] == 2.0
    text = _run(town, "coverage", "--level", "group")
    assert "West" in text and "Fictieve" in text


def test_gaps_command_lists_and_exports(town, tmp_path):
    out = tmp_path / "gaten.gpkg"
    text = _run(town, "gaps", "-o", str(out))
    assert "gat-1: 28 huishoudens" in text
    written = gpd.read_file(out)
    assert len(written) == 1 and written.crs.to_epsg() == 31370 and written.geom_type.iloc[0] == "MultiPolygon"
    geojson = tmp_path / "gaten.geojson"
    data = json.loads(_run(town, "gaps", "--json", "-o", str(geojson)).split("\n", 1)[1])
    assert data["gaps"][0]["streets"] == "Dorpstraat"
    assert gpd.read_file(geojson).crs.to_epsg() == 4326


def test_low_participation_and_invitations(town, tmp_path):
    text = _run(town, "coverage", "--level", "street", "--low")
    assert "Dorpstraat" in text and "rang" in text
    out = tmp_path / "brieven.csv"
    _run(town, "invitations", "dorpstraat", "-o", str(out))
    rows = pd.read_csv(out)
    assert len(rows) == 38 and list(rows["seq"]) == list(range(1, 39))
    assert rows["side"].iloc[0] == "oneven" and rows["side"].iloc[-1] == "even"


def test_errors_are_dutch_with_exit_code_1(town):
    result = CliRunner().invoke(main, ["--workspace", str(town.path), "invitations", "Nergensstraat"])
    assert result.exit_code == 1 and "Nergensstraat" in result.output
    result = CliRunner().invoke(main, ["--workspace", str(town.path), "coverage", "--low"])
    assert result.exit_code == 2


def test_gaps_max_households_option_never_cuts_a_single_street(town):
    whole = json.loads(_run(town, "gaps", "--json", "--max-households", "0"))["gaps"]
    assert [g["households"] for g in whole] == [28]
    assert json.loads(_run(town, "gaps", "--json", "--max-households", "10"))["gaps"][0]["households"] == 28
