"""Imported wijk and group names without a trailing "(Asse)" that only repeats the municipality (issue 16)."""

from __future__ import annotations

import geopandas as gpd
import shapely

from buurtkaart.importers.boundaries import read_boundaries
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import square


def test_wijk_names_lose_the_repeated_municipality_but_keep_other_parentheses(tmp_path):
    muni = gpd.GeoDataFrame({"code": ["99999"], "name": ["Asse"]}, geometry=[shapely.box(-10, -10, 310, 110)],
                            crs=WORKING_CRS)
    muni.geometry = muni.geometry.translate(150_000, 170_000)
    ws = Workspace.create(tmp_path / "w.gpkg", {"municipality": muni}, municipality="Asse", fictional=True)
    wijken = gpd.GeoDataFrame({"code": ["A0", "A1", "A2"],
                               "naam": ["Walfergem (Asse)", "Asse Centrum (Asse) (asse)", "Kalkoven (noord)"]},
                              geometry=[square(0, 0), square(100, 0), square(200, 0)], crs=WORKING_CRS)
    path = tmp_path / "wijken.geojson"
    wijken.to_file(path)
    frame, _report = read_boundaries(path, kind="wijken", workspace=ws)
    assert frame["name"].tolist() == ["Walfergem", "Asse Centrum", "Kalkoven (noord)"]
    without = read_boundaries(path, kind="wijken")[0]
    assert without["name"].tolist() == wijken["naam"].tolist()  # no workspace: no municipality to recognise
