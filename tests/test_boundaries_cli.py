"""``buurtkaart groups ...``: the same scenario as the library tests, through the command line."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from buurtkaart.boundaries import export_groups, read_groups_file, replace_group
from buurtkaart.cli import main
from tests import boundaries_town as town


def run(ws, *args):
    result = CliRunner().invoke(main, ["--workspace", str(ws.path), "groups", *args], catch_exceptions=False)
    return result


def test_export_edit_import_history_compare_restore(tmp_workspace, tmp_path):
    ws = tmp_workspace
    municipality = gpd.GeoDataFrame({"code": ["99999"], "name": ["Teststad"]},
                                    geometry=[shapely.MultiPolygon([town.municipality()])], crs="EPSG:31370")
    ws.write({"groups": town.groups(), "addresses": town.addresses(), "municipality": municipality,
              "streets": town.streets()})
    out = tmp_path / "groepen.geojson"
    assert run(ws, "export", str(out)).exit_code == 0
    edited = replace_group(gpd.read_file(out).to_crs("EPSG:31370"), "G1",
                           shapely.box(town.X0, town.Y0, town.X0 + 240, town.Y0 + 200))
    edited.to_file(tmp_path / "nieuw.gpkg")
    # checking the candidate shows the overlap with G2 and what would change; exit code 1 for the error
    checked = run(ws, "check", "--file", str(tmp_path / "nieuw.gpkg"), "--json")
    assert checked.exit_code == 1
    report = json.loads(checked.output)
    assert "overlap" in {f["code"] for f in report["groups"]["G1"]["findings"]}
    assert report["impact"]["adressen"] == 8
    imported = run(ws, "import", str(tmp_path / "nieuw.gpkg"), "--author", "an", "--reason", "Kerkstraat erbij",
                   "--effective-on", "2027-03-01")
    assert imported.exit_code == 0, imported.output
    assert "versie 2" in imported.output
    history = run(ws, "history")
    assert "versie 2" in history.output and "Kerkstraat erbij" in history.output and "versie 1" in history.output
    compared = json.loads(run(ws, "compare", "1", "2", "--json").output)
    assert {row["group_id"]: row["change"] for row in compared} == {"G1": "changed", "G2": "unchanged"}
    restored = run(ws, "restore", "1", "--author", "bert")
    assert restored.exit_code == 0 and "versie 3" in restored.output
    assert run(ws, "check").exit_code == 0
    assert shapely.equals_exact(ws.read("groups").geometry.iloc[0], town.groups().geometry.iloc[0], tolerance=0)


def test_errors_are_dutch_with_exit_code_1(tmp_workspace, tmp_path):
    ws = tmp_workspace
    result = CliRunner().invoke(main, ["--workspace", str(ws.path), "groups", "restore", "5", "--author", "an"])
    assert result.exit_code == 1 and "Versie 5 bestaat niet" in result.output
    bad = CliRunner().invoke(main, ["--workspace", str(ws.path), "groups", "export", str(tmp_path / "x.txt")])
    assert bad.exit_code == 1 and "Onbekend bestandsformaat" in bad.output


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp", ".kml"])
def test_boundary_files_round_trip(tmp_path, suffix):
    path = export_groups(town.groups(), tmp_path / f"groepen{suffix}")
    back = read_groups_file(path)
    assert back[["group_id", "name"]].values.tolist() == [["G1", "West"], ["G2", "Oost"]]
    for a, b in zip(back.geometry, town.groups().geometry, strict=True):
        assert shapely.symmetric_difference(a, b).area < 1.0  # GeoJSON/KML go through EPSG:4326
