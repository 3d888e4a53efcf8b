"""The importers on the real Asse files (../shared/realdata/asse; skipped where absent).

The figures come from PROVENANCE.md: 10,994 CRAB addresses with postcode 1730/1731, 2 of them just over the
border of the Statbel polygon; 395 distinct OSM street names in Asse; six deelgemeenten.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from buurtkaart.importers import import_file, read_addresses, read_streets, setup_workspace
from buurtkaart.workspace import Workspace

BOUNDARIES = "asse_boundaries_provinciesincijfers.gpkg"
CRAB = "asse_crab_addresses_2013.gpkg"
OSM = "asse_osm_2021_streets.gpkg"


@pytest.fixture
def asse(realdata: Path, tmp_path: Path) -> Workspace:
    ws, report = setup_workspace(realdata / BOUNDARIES, tmp_path / "asse.gpkg", municipality="23002")
    assert report.dropped == {"import.reason.other_municipality": 16}
    report = import_file(ws, "deelgemeenten", realdata / BOUNDARIES, layer="deelgemeenten")
    assert report.kept == 6
    return ws


def test_asse_boundaries(asse: Workspace, realdata: Path) -> None:
    assert asse.read("municipality")["population"].tolist() == [33505]
    assert sorted(asse.read("deelgemeenten")["name"]) == ["Asse", "Bekkerzeel", "Kobbegem", "Mollem", "Relegem",
                                                          "Zellik"]
    report = import_file(asse, "wijken", realdata / BOUNDARIES, layer="wijken")
    assert report.kept == 16 and report.dropped_total == 79 - 16


def test_crab_gpkg_gives_the_10994_asse_addresses(asse: Workspace, realdata: Path) -> None:
    frame, report = read_addresses(realdata / CRAB, workspace=asse)
    assert len(frame) == 10_994
    assert frame["postcode"].value_counts().to_dict() == {"1730": 7_892, "1731": 3_102}
    assert report.dropped == {"import.reason.other_postcode": 37_979 - 10_994}
    assert any("2 adressen" in n and "net buiten" in n for n in report.notes)
    counts = frame["deelgemeente"].value_counts().to_dict()
    # PROVENANCE: Asse 6,249; Zellik 2,429; Mollem 1,021; Relegem 630; Kobbegem 397; Bekkerzeel 266, plus the two
    # points just over the border, which go to the nearest deelgemeente
    assert sum(counts.values()) == 10_994
    for name, expected in {"Asse": 6_249, "Zellik": 2_429, "Mollem": 1_021, "Relegem": 630, "Kobbegem": 397,
                           "Bekkerzeel": 266}.items():
        assert expected <= counts[name] <= expected + 2
    assert frame["street"].nunique() == 360
    assert frame["address_id"].is_unique


def test_crab_csv_in_cp1252_gives_the_same(asse: Workspace, realdata: Path, tmp_path: Path) -> None:
    """The CRAB CSV as it was published: PKANCODE,COMMUNE_NL,STREET_NL,HUISNR,LAT,LON in cp1252."""
    source = gpd.read_file(realdata / CRAB)
    csv = source.rename(columns={"postcode": "PKANCODE", "municipality": "COMMUNE_NL", "street": "STREET_NL",
                                 "housenumber": "HUISNR", "lat": "LAT", "lon": "LON"})
    csv = csv[["PKANCODE", "COMMUNE_NL", "STREET_NL", "HUISNR", "LAT", "LON"]]
    path = tmp_path / "crab_1730.csv"
    path.write_bytes(csv.to_csv(index=False).encode("cp1252"))
    frame, report = read_addresses(path, workspace=asse)
    assert len(frame) == 10_994
    assert any("cp1252" in n for n in report.notes)
    from_gpkg, _ = read_addresses(realdata / CRAB, workspace=asse)
    assert sorted(frame["address_id"]) == sorted(from_gpkg["address_id"])  # accents decoded the same way


def test_osm_streets_give_the_395_asse_street_names(asse: Workspace, realdata: Path) -> None:
    frame, report = read_streets(realdata / OSM, workspace=asse)
    assert frame["name"].nunique() == 395
    assert frame.geometry.geom_type.eq("LineString").all()
    assert set(frame["road_class"]) <= {"motorway", "trunk", "primary", "secondary", "tertiary", "minor",
                                        "service", "track", "path", "pedestrian"}
    n9 = frame[frame["ref"].fillna("").str.startswith("N9")]
    assert len(n9) and (n9["authority"] == "gewest").all()
    assert "import.reason.not_a_road" in report.dropped and "import.reason.outside_municipality" in report.dropped
    assert frame["deelgemeente"].notna().mean() > 0.99


def test_osm_streets_layer_of_multilines(asse: Workspace, realdata: Path) -> None:
    frame, _ = read_streets(realdata / OSM, workspace=asse, layer="streets")
    assert frame.geometry.geom_type.eq("LineString").all()
    assert 385 <= frame["name"].nunique() <= 410


def test_osm_housenumbers_take_the_nearest_osm_street(asse: Workspace, realdata: Path) -> None:
    import_file(asse, "streets", realdata / OSM)
    frame, report = read_addresses(realdata / "asse_osm_2021_buildings_housenumbers.gpkg", workspace=asse,
                                   layer="housenumbers")
    # PROVENANCE: 3,139 OSM house numbers in Asse (some are lists such as "14;12A", some are doubles)
    assert 2_900 <= len(frame) <= 3_300
    assert frame["street"].notna().all() and frame["deelgemeente"].notna().all()
    assert any("dichtste straat" in n for n in report.notes)
