"""Two engines for vector files: pyogrio (default) and fiona (optional extra), giving the same frames."""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal

from buurtkaart.errors import InputError
from buurtkaart.exports import write_layer
from buurtkaart.importers._read import read_vector
from buurtkaart.schema import WORKING_CRS
from buurtkaart.vector_io import check_engine, list_layers, read_vector_layer, write_vector
from tests.conftest import pt, square


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": ["Kerkstraat", "Molenweg"], "n": [1, 2]},
                            geometry=[pt(10, 10), pt(150, 50)], crs=WORKING_CRS)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp"])
def test_fiona_and_pyogrio_read_the_same_frame(tmp_path: Path, places: gpd.GeoDataFrame, suffix: str) -> None:
    pytest.importorskip("fiona", reason="the optional extra buurtkaart[fiona] is not installed")
    target = tmp_path / f"plaatsen{suffix}"
    write_layer(places, target, layer_name="plaatsen", engine="fiona")
    by_pyogrio = read_vector(target, layer=None, engine="pyogrio")
    by_fiona = read_vector(target, layer=None, engine="fiona")
    assert by_fiona["name"].tolist() == ["Kerkstraat", "Molenweg"]
    assert_geodataframe_equal(by_fiona[["name", "geometry"]], by_pyogrio[["name", "geometry"]], check_crs=True,
                              check_dtype=False, check_less_precise=True)


def test_fiona_lists_layers_like_pyogrio(tmp_path: Path, places: gpd.GeoDataFrame) -> None:
    pytest.importorskip("fiona", reason="the optional extra buurtkaart[fiona] is not installed")
    target = tmp_path / "twee.gpkg"
    write_vector(places, target, layer="punten", driver="GPKG")
    areas = gpd.GeoDataFrame({"code": ["G1"]}, geometry=[square(0, 0)], crs=WORKING_CRS)
    write_vector(areas, target, layer="groepen", driver="GPKG", engine="fiona")
    assert sorted(list_layers(target, engine="fiona")) == sorted(list_layers(target)) == ["groepen", "punten"]
    assert read_vector_layer(target, layer="groepen", engine="fiona")["code"].tolist() == ["G1"]


def test_unknown_engine_is_refused_in_dutch(tmp_path: Path, places: gpd.GeoDataFrame) -> None:
    with pytest.raises(InputError, match=r"Onbekende leesmotor 'gdal'.*pyogrio, fiona"):
        write_layer(places, tmp_path / "x.gpkg", engine="gdal")
    assert not (tmp_path / "x.gpkg").exists()


def test_missing_fiona_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fiona", None)  # import fiona now raises ImportError
    with pytest.raises(InputError, match=r'pip install "buurtkaart\[fiona\]"'):
        check_engine("fiona")


def test_cli_imports_and_exports_with_fiona(tmp_path: Path) -> None:
    """The same scenario through the command line: a boundary file read and a layer written by fiona."""
    pytest.importorskip("fiona", reason="the optional extra buurtkaart[fiona] is not installed")
    from click.testing import CliRunner

    from buurtkaart.cli import main

    town = gpd.GeoDataFrame({"code": ["99999"], "naam": ["Teststad"]}, geometry=[square(0, 0, 300)], crs=WORKING_CRS)
    wijken = gpd.GeoDataFrame({"code": ["W1", "W2"], "naam": ["West", "Oost"]},
                              geometry=[square(0, 0, 150), square(150, 0, 150)], crs=WORKING_CRS)
    write_layer(town, tmp_path / "gemeente.gpkg", layer_name="gemeente")
    write_layer(wijken, tmp_path / "wijken.geojson", layer_name="wijken", engine="fiona")
    ws = str(tmp_path / "ws.gpkg")
    runner = CliRunner()
    for args in (["setup", str(tmp_path / "gemeente.gpkg"), "--engine", "fiona"],
                 ["import", "wijken", str(tmp_path / "wijken.geojson"), "--engine", "fiona"],
                 ["export", "wijken", str(tmp_path / "uit.shp"), "--engine", "fiona"]):
        result = runner.invoke(main, ["--workspace", ws, *args])
        assert result.exit_code == 0, result.output
    back = read_vector(tmp_path / "uit.shp", layer=None)
    assert sorted(back["name"]) == ["Oost", "West"]
    assert back.crs.equals(WORKING_CRS)
