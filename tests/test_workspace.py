"""The workspace file: schema checks, atomic writes, versions, locking."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from buurtkaart.errors import SchemaError, WorkspaceError
from buurtkaart.workspace import Workspace, conform, resolve_path
from tests.conftest import square


def test_write_and_read_back_groups(tmp_workspace, two_squares):
    tmp_workspace.write({"groups": two_squares})
    back = tmp_workspace.read("groups")
    assert_geodataframe_equal(back, conform("groups", two_squares), check_dtype=False)


def test_every_problem_reported_at_once(two_squares):
    bad = two_squares.drop(columns="name").to_crs(4326)
    bad.loc[1, "group_id"] = "G1"
    with pytest.raises(SchemaError) as err:
        conform("groups", bad)
    text = str(err.value)
    assert "name" in text and "EPSG:4326" in text and "dubbele" in text


def test_invalid_polygon_refused_or_repaired(two_squares):
    bowtie = shapely.Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])
    frame = two_squares.copy()
    frame.loc[0, "geometry"] = shapely.affinity.translate(bowtie, 150_000, 170_000)
    with pytest.raises(SchemaError, match="ongeldig"):
        conform("groups", frame)
    repaired = conform("groups", frame, repair=True)
    assert repaired.is_valid.all()


def test_failed_write_leaves_workspace_unchanged(tmp_workspace, two_squares):
    tmp_workspace.write({"groups": two_squares})
    before = tmp_workspace.path.read_bytes()
    wrong = gpd.GeoDataFrame({"group_id": ["G9"], "name": ["X"]}, geometry=[square(0, 0)], crs=4326)
    with pytest.raises(SchemaError):
        tmp_workspace.write({"groups": two_squares.iloc[:1], "deelgemeenten": wrong})
    assert tmp_workspace.path.read_bytes() == before
    assert not list(tmp_workspace.path.parent.glob("*.tmp.gpkg"))


def test_crash_during_write_leaves_workspace_unchanged(tmp_workspace, two_squares, monkeypatch):
    tmp_workspace.write({"groups": two_squares})
    before = tmp_workspace.read("groups")

    import buurtkaart.workspace as module

    real = module.replace_rows

    def crash(con, name, frame, **kwargs):
        real(con, name, frame, **kwargs)
        if name == "deelgemeenten":
            raise OSError("schijf vol")

    monkeypatch.setattr(module, "replace_rows", crash)
    deel = gpd.GeoDataFrame({"code": ["A"], "name": ["A"]}, geometry=[square(0, 0)], crs=31370)
    with pytest.raises(WorkspaceError, match="gewijzigd"):
        tmp_workspace.write({"groups": two_squares.iloc[:1], "deelgemeenten": deel})
    assert len(tmp_workspace.read("groups")) == len(before) == 2


def test_other_schema_version_says_what_to_do(tmp_workspace):
    tmp_workspace.set_metadata(schema_version="99")
    with pytest.raises(WorkspaceError, match="Werk buurtkaart bij"):
        Workspace.open(tmp_workspace.path)
    tmp_workspace.set_metadata(schema_version="0")
    with pytest.raises(WorkspaceError, match="upgrade"):
        Workspace.open(tmp_workspace.path)


def test_missing_and_garbage_files(tmp_path):
    with pytest.raises(WorkspaceError, match="bestaat niet"):
        Workspace.open(tmp_path / "nee.gpkg")
    garbage = tmp_path / "kapot.gpkg"
    garbage.write_bytes(b"dit is geen geopackage")
    with pytest.raises(WorkspaceError):
        Workspace.open(garbage)


def test_path_from_flag_env_or_default(monkeypatch, tmp_path):
    assert str(resolve_path()) == "data/demo.gpkg"
    monkeypatch.setenv("BUURTKAART_WORKSPACE", str(tmp_path / "env.gpkg"))
    assert resolve_path() == tmp_path / "env.gpkg"
    assert resolve_path(tmp_path / "flag.gpkg") == tmp_path / "flag.gpkg"


def test_record_transaction_rolls_back_on_error(tmp_workspace):
    with tmp_workspace.transaction() as con:
        con.execute("INSERT INTO metadata (key, value) VALUES ('x', '1')")
    with pytest.raises(RuntimeError), tmp_workspace.transaction() as con:
        con.execute("INSERT INTO metadata (key, value) VALUES ('y', '2')")
        raise RuntimeError("boom")
    meta = tmp_workspace.metadata
    assert meta["x"] == "1" and "y" not in meta


def test_info_lists_layers(tmp_workspace):
    rows = {r["layer"]: r for r in tmp_workspace.info()}
    assert rows["members"]["personal"] and rows["addresses"]["features"] == 0
    assert "31370" in rows["addresses"]["crs"]
    assert isinstance(tmp_workspace.read("metadata"), pd.DataFrame)


def test_overwrite_of_a_broken_file_and_an_old_read_only_file(tmp_path, two_squares):
    broken = tmp_path / "kapot.gpkg"
    broken.write_bytes(b"dit is geen geopackage" * 100)
    ws = Workspace.create(broken, {"groups": two_squares}, municipality="X", overwrite=True)
    assert len(Workspace.open(ws.path).read("groups")) == 2
    import sqlite3

    con = sqlite3.connect(ws.path)
    con.execute("PRAGMA journal_mode=DELETE")  # a file from before WAL mode ...
    con.close()
    ws.path.chmod(0o444)  # ... that we may only read
    try:
        assert Workspace.open(ws.path).metadata["municipality"] == "X"
    finally:
        ws.path.chmod(0o644)
