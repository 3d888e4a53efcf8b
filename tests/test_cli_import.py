"""``buurtkaart setup``, ``import`` and ``export`` through the command line: reports, Dutch errors, exit codes,
and a workspace left byte-for-byte unchanged by a failed import."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from buurtkaart.cli import main
from buurtkaart.schema import WORKING_CRS
from tests.conftest import pt, square


def run(workspace: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--workspace", str(workspace), *args])
    return result.exit_code, result.output


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    municipalities = gpd.GeoDataFrame(
        {"code": ["11001", "11002"], "naam": ["Teststad", "Buurdorp"]},
        geometry=[shapely.union(square(0, 0), square(100, 0)), square(200, 0)], crs=WORKING_CRS)
    out["boundaries"] = tmp_path / "gemeenten.geojson"
    municipalities.to_crs("EPSG:4326").to_file(out["boundaries"], driver="GeoJSON")
    wgs = gpd.GeoSeries([pt(10, 10), pt(150, 50), pt(280, 50)], crs=WORKING_CRS).to_crs("EPSG:4326")
    out["addresses"] = tmp_path / "crab.csv"
    out["addresses"].write_bytes(pd.DataFrame({
        "PKANCODE": ["1730", "1730", "1700"], "COMMUNE_NL": ["Teststad", "Teststad", "Buurdorp"],
        "STREET_NL": ["Nerviërsstraat", "Kerkstraat", "Dorpsstraat"], "HUISNR": ["1", "2A", "3"],
        "LAT": wgs.y.astype(str), "LON": wgs.x.astype(str)}).to_csv(index=False).encode("cp1252"))
    out["garbage"] = tmp_path / "rommel.csv"
    out["garbage"].write_bytes(bytes(range(256)) * 10)
    bowtie = shapely.Polygon([pt(0, 0), pt(100, 100), pt(100, 0), pt(0, 100)])
    out["bad_groups"] = tmp_path / "groepen.gpkg"
    gpd.GeoDataFrame({"group_id": ["G1"], "name": ["Vlinder"]}, geometry=[bowtie], crs=WORKING_CRS).to_file(
        out["bad_groups"], driver="GPKG")
    return out


def test_setup_asks_to_choose_a_municipality_then_imports(tmp_path: Path, files: dict[str, Path]) -> None:
    ws = tmp_path / "w.gpkg"
    code, output = run(ws, "setup", str(files["boundaries"]))
    assert code == 1
    assert "2 gemeenten" in output and "11001 Teststad" in output and "11002 Buurdorp" in output
    assert not ws.exists()
    code, output = run(ws, "setup", str(files["boundaries"]), "--municipality", "teststad")
    assert code == 0, output
    assert "1 behouden, 1 weggelaten" in output
    code, output = run(ws, "import", "addresses", str(files["addresses"]))
    assert code == 0, output
    assert "2 behouden, 1 weggelaten" in output and "cp1252" in output
    code, output = run(ws, "info", "--json")
    layers = {row["layer"]: row["features"] for row in json.loads(output)["layers"]}
    assert layers["addresses"] == 2 and layers["municipality"] == 1


def test_import_municipality_creates_a_missing_workspace(tmp_path: Path, files: dict[str, Path]) -> None:
    ws = tmp_path / "nieuw.gpkg"
    code, output = run(ws, "import", "municipality", str(files["boundaries"]), "-m", "11002", "--json")
    assert code == 0, output
    assert json.loads(output)["kept"] == 1
    assert ws.exists()


@pytest.mark.parametrize(("kind", "file", "message"), [
    ("addresses", "garbage", "geen tekstbestand"),
    ("groups", "bad_groups", "--repair"),
    ("streets", "addresses", "geen geometrie"),
    ("addresses", "missing", "bestaat niet"),
])
def test_failed_import_leaves_the_workspace_byte_for_byte(tmp_path: Path, files: dict[str, Path], kind: str,
                                                          file: str, message: str) -> None:
    ws = tmp_path / "w.gpkg"
    assert run(ws, "setup", str(files["boundaries"]), "-m", "11001")[0] == 0
    assert run(ws, "import", "addresses", str(files["addresses"]))[0] == 0
    before = ws.read_bytes()
    path = files.get(file, tmp_path / "bestaat_niet.csv")
    code, output = run(ws, "import", kind, str(path))
    assert code == 1
    assert output.startswith("Fout:") and message in output
    assert ws.read_bytes() == before


def test_dry_run_reports_without_storing(tmp_path: Path, files: dict[str, Path]) -> None:
    ws = tmp_path / "w.gpkg"
    run(ws, "setup", str(files["boundaries"]), "-m", "11001")
    before = ws.read_bytes()
    code, output = run(ws, "import", "addresses", str(files["addresses"]), "--dry-run")
    assert code == 0 and "2 behouden" in output and "niets opgeslagen" in output
    assert ws.read_bytes() == before


def test_column_option_maps_fields(tmp_path: Path, files: dict[str, Path]) -> None:
    ws = tmp_path / "w.gpkg"
    run(ws, "setup", str(files["boundaries"]), "-m", "11001")
    csv = tmp_path / "eigen.csv"
    p = pt(20, 20)
    csv.write_text(f"STRNM;HNR;PC;X;Y\nKerkstraat;5;1730;{p.x};{p.y}\n", encoding="utf-8")
    code, output = run(ws, "import", "addresses", str(csv), "-c", "street=STRNM", "-c", "housenumber=HNR")
    assert code == 0, output
    code, output = run(ws, "import", "addresses", str(csv), "-c", "street")
    assert code == 1 and "VELD=KOLOM" in output
    code, output = run(ws, "import", "addresses", str(csv), "-c", "straat=STRNM")
    assert code == 1 and "straat" in output and "housenumber" in output


def test_export_writes_the_format_of_the_extension(tmp_path: Path, files: dict[str, Path]) -> None:
    ws = tmp_path / "w.gpkg"
    run(ws, "setup", str(files["boundaries"]), "-m", "11001")
    run(ws, "import", "addresses", str(files["addresses"]))
    target = tmp_path / "adressen.geojson"
    code, output = run(ws, "export", "addresses", str(target))
    assert code == 0 and "2 objecten" in output
    back = gpd.read_file(target)
    assert back.crs == "EPSG:4326" and sorted(back["street"]) == ["Kerkstraat", "Nerviërsstraat"]
    code, output = run(ws, "export", "addresses", str(tmp_path / "adressen.pdf"))
    assert code == 1 and ".pdf" in output
