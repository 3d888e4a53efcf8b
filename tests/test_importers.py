"""Importers on tiny drawable files (see conftest.py for the drawable town).

The municipality of these tests is the two squares: x 0..200, y 0..100 (local metres). Deelgemeente "West" is the
west square, "Oost" the east one. A neighbour municipality lies east of it (x 200..400).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtkaart.errors import InputError, WorkspaceError
from buurtkaart.importers import (
    import_file,
    read_addresses,
    read_boundaries,
    read_municipality,
    read_streets,
    setup_workspace,
)
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import pt, square


def write_gpkg(path: Path, frame: gpd.GeoDataFrame, layer: str | None = None) -> Path:
    frame.to_file(path, layer=layer or path.stem, driver="GPKG")
    return path


def municipalities() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["11001", "11002"], "naam": ["Teststad", "Buurdorp"], "inwoners": ["1200", "800"]},
        geometry=[shapely.union(square(0, 0), square(100, 0)), shapely.union(square(200, 0), square(300, 0))],
        crs=WORKING_CRS,
    )


@pytest.fixture
def boundary_file(tmp_path: Path) -> Path:
    return write_gpkg(tmp_path / "gemeenten.gpkg", municipalities(), layer="municipalities")


@pytest.fixture
def town(tmp_path: Path, boundary_file: Path) -> Workspace:
    """A workspace for Teststad with its two deelgemeenten."""
    ws, _ = setup_workspace(boundary_file, tmp_path / "teststad.gpkg", municipality="11001")
    parts = gpd.GeoDataFrame({"code": ["11001A", "11001B"], "naam": ["West (Teststad)", "Oost"]},
                             geometry=[square(0, 0), square(100, 0)], crs=WORKING_CRS)
    import_file(ws, "deelgemeenten", write_gpkg(tmp_path / "delen.gpkg", parts))
    return ws


# ------------------------------------------------------------------------------------------------ municipality
def test_several_municipalities_need_a_choice_and_the_error_lists_them(boundary_file: Path) -> None:
    with pytest.raises(InputError) as err:
        read_municipality(boundary_file)
    assert err.value.problems == ["11001 Teststad", "11002 Buurdorp"]
    assert "--municipality" in str(err.value)


@pytest.mark.parametrize("choice", ["11002", "buurdorp", " Buurdorp "])
def test_municipality_chosen_by_code_or_name(boundary_file: Path, choice: str) -> None:
    frame, report = read_municipality(boundary_file, municipality=choice)
    assert frame["code"].tolist() == ["11002"]
    assert frame["population"].tolist() == [800]
    assert report.kept == 1 and report.dropped_total == 1


def test_unknown_municipality_lists_the_choices(boundary_file: Path) -> None:
    with pytest.raises(InputError, match="Gent") as err:
        read_municipality(boundary_file, municipality="Gent")
    assert "11001 Teststad" in err.value.problems


def test_setup_refuses_to_overwrite_an_existing_workspace(tmp_path: Path, boundary_file: Path) -> None:
    ws, _ = setup_workspace(boundary_file, tmp_path / "w.gpkg", municipality="Teststad")
    assert ws.metadata["municipality"] == "Teststad" and ws.metadata["municipality_code"] == "11001"
    assert not ws.is_fictional
    before = ws.path.read_bytes()
    with pytest.raises(WorkspaceError, match="bestaat al"):
        setup_workspace(boundary_file, ws.path, municipality="Buurdorp")
    assert ws.path.read_bytes() == before


def test_importing_the_municipality_again_replaces_it_and_its_metadata(town: Workspace, boundary_file: Path) -> None:
    report = import_file(town, "municipality", boundary_file, municipality="11002")
    assert report.kept == 1
    assert town.metadata["municipality"] == "Buurdorp" and town.metadata["municipality_code"] == "11002"
    assert town.read("municipality")["name"].tolist() == ["Buurdorp"]


# ------------------------------------------------------------------------------------------------ boundaries
def test_deelgemeenten_outside_the_municipality_are_left_out_and_names_cleaned(town: Workspace, tmp_path: Path
                                                                               ) -> None:
    parts = gpd.GeoDataFrame({"code": ["A", "B", "C"], "naam": ["West (Dg.)", "Oost", "Elders"]},
                             geometry=[square(0, 0), square(100, 0), square(300, 0)], crs=WORKING_CRS)
    frame, report = read_boundaries(write_gpkg(tmp_path / "d.gpkg", parts), kind="deelgemeenten", workspace=town)
    assert frame["name"].tolist() == ["West", "Oost"]
    assert report.dropped == {"import.reason.outside_municipality": 1}
    assert report.examples["import.reason.outside_municipality"] == ["Elders"]
    assert frame.geometry.geom_type.eq("MultiPolygon").all()


def test_invalid_polygon_is_refused_with_the_fix_or_repaired_on_request(town: Workspace, tmp_path: Path) -> None:
    bowtie = shapely.Polygon([pt(0, 0), pt(100, 100), pt(100, 0), pt(0, 100)])
    groups = gpd.GeoDataFrame({"group_id": ["G1", "G2"], "name": ["Vlinder", "Vierkant"]},
                              geometry=[bowtie, square(100, 0)], crs=WORKING_CRS)
    path = write_gpkg(tmp_path / "groepen.gpkg", groups)
    before = town.path.read_bytes()
    with pytest.raises(InputError) as err:
        import_file(town, "groups", path)
    assert any("ongeldig" in p and "Vlinder" in p and "--repair" in p for p in err.value.problems)
    assert town.path.read_bytes() == before
    frame, report = read_boundaries(path, kind="groups", workspace=town, repair=True)
    assert frame.geometry.is_valid.all() and len(frame) == 2
    assert any("hersteld" in n for n in report.notes)


def test_every_problem_of_a_boundary_file_is_reported_at_once(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"code": ["A", "A", None], "omschrijving": ["x", "y", "z"]},
                             geometry=[square(0, 0), shapely.Point(1, 1), None], crs=WORKING_CRS)
    with pytest.raises(InputError) as err:
        read_boundaries(write_gpkg(tmp_path / "slecht.gpkg", frame), kind="wijken")
    text = "\n".join(err.value.problems)
    assert "'name'" in text  # no name column
    assert "geen vlak" in text  # a point
    assert "leeg" in text  # an empty geometry and an empty id
    assert "meer dan eens" in text  # duplicate id A


def test_groups_from_kml_get_ids_in_file_order(town: Workspace, tmp_path: Path) -> None:
    groups = gpd.GeoDataFrame({"Name": ["Kerkwijk", "Molenveld"]}, geometry=[square(0, 0), square(100, 0)],
                              crs=WORKING_CRS).to_crs("EPSG:4326")
    path = tmp_path / "groepen.kml"
    groups.to_file(path, driver="KML")
    frame, report = read_boundaries(path, kind="groups", workspace=town)
    assert frame["group_id"].tolist() == ["G01", "G02"]
    assert frame["name"].tolist() == ["Kerkwijk", "Molenveld"]
    assert frame.crs == WORKING_CRS
    assert frame.geometry.iloc[0].equals_exact(shapely.MultiPolygon([square(0, 0)]), tolerance=0.01) or \
        frame.geometry.iloc[0].symmetric_difference(square(0, 0)).area < 1.0
    assert any("ids" in n for n in report.notes)


def test_groups_import_saves_a_version(town: Workspace, tmp_path: Path) -> None:
    groups = gpd.GeoDataFrame({"groep": ["G1"], "naam": ["West"]}, geometry=[square(0, 0)], crs=WORKING_CRS)
    import_file(town, "groups", write_gpkg(tmp_path / "g.gpkg", groups), columns={"id": "groep"})
    assert town.read("groups")["group_id"].tolist() == ["G1"]
    assert len(town.read("group_versions")) >= 1


# ------------------------------------------------------------------------------------------------ CRS
def test_missing_crs_is_refused_and_can_be_given(tmp_path: Path, town: Workspace) -> None:
    parts = gpd.GeoDataFrame({"code": ["A"], "naam": ["West"]}, geometry=[square(0, 0)])
    path = tmp_path / "zonder_crs.shp"
    with pytest.warns(UserWarning, match="crs"):
        parts.to_file(path)
    with pytest.raises(InputError) as err:
        read_boundaries(path, kind="deelgemeenten", workspace=town)
    assert any("--crs" in p and "Lambert 72" in p for p in err.value.problems)
    frame, _ = read_boundaries(path, kind="deelgemeenten", workspace=town, crs="EPSG:31370")
    assert len(frame) == 1


def test_wrong_crs_is_refused_saying_what_the_coordinates_look_like(tmp_path: Path, town: Workspace) -> None:
    parts = gpd.GeoDataFrame({"code": ["A"], "naam": ["West"]}, geometry=[square(0, 0)], crs="EPSG:4326")
    path = write_gpkg(tmp_path / "verkeerd.gpkg", parts)  # Lambert numbers labelled as degrees
    before = town.path.read_bytes()
    with pytest.raises(InputError) as err:
        import_file(town, "deelgemeenten", path)
    assert any("niet in België" in p and "EPSG:31370" in p for p in err.value.problems)
    assert town.path.read_bytes() == before


# ------------------------------------------------------------------------------------------------ addresses
def _latlon(points: list[shapely.Point]) -> gpd.GeoSeries:
    return gpd.GeoSeries(points, crs=WORKING_CRS).to_crs("EPSG:4326")


def test_cp1252_crab_csv_with_lat_lon(town: Workspace, tmp_path: Path) -> None:
    wgs = _latlon([pt(10, 10), pt(150, 50), pt(150, 60), pt(300, 50), pt(120, 50), pt(50, -5)])
    rows = pd.DataFrame({
        "PKANCODE": ["1730", "1730", "1730", "1700", "1700", "1730"],
        "COMMUNE_NL": ["Teststad", "Teststad", "Teststad", "Buurdorp", "Buurdorp", "Teststad"],
        "STREET_NL": ["Nerviërsstraat", "Kerkstraat", "Kerkstraat", "Dorpsstraat", "Grensweg", "Grensweg"],
        "HUISNR": ["55A", "12 bus 3", "7/2", "1", "2", "4"],
        "LAT": wgs.y.round(8).astype(str), "LON": wgs.x.round(8).astype(str),
    })
    path = tmp_path / "crab.csv"
    path.write_bytes(rows.to_csv(index=False).encode("cp1252"))
    frame, report = read_addresses(path, workspace=town)
    assert frame["street"].tolist() == ["Nerviërsstraat", "Kerkstraat", "Kerkstraat", "Grensweg"]
    assert frame["housenumber"].tolist() == [55, 12, 7, 4]
    assert frame["suffix"].tolist()[0] == "A" and frame["box"].tolist()[1:3] == ["3", "2"]
    assert frame["deelgemeente"].tolist() == ["West", "Oost", "Oost", "West"]
    assert frame["address_id"].is_unique
    assert frame.crs == WORKING_CRS
    assert abs(frame.geometry.iloc[0].x - pt(10, 10).x) < 0.01
    # two of postcode 1700 left out, one of them although inside the border; the 1730 point 5 m outside is kept
    assert report.dropped["import.reason.other_postcode"] == 2
    assert report.dropped_total == 2
    assert any("1 van de weggelaten" in n and "Buurdorp 1700" in n for n in report.notes)
    assert any("cp1252" in n for n in report.notes)
    assert any("net buiten" in n and "Grensweg 4" in n for n in report.notes)


def test_a_shared_postcode_keeps_only_what_lies_near_the_municipality(town: Workspace, tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"street": ["Kerkstraat", "Kerkstraat", "Veldweg"], "housenumber": ["1", "2", "9"],
                              "postcode": ["1730", "1730", "1730"]},
                             geometry=[pt(10, 10), pt(20, 10), pt(500, 50)], crs=WORKING_CRS)
    out, report = read_addresses(write_gpkg(tmp_path / "gedeeld.gpkg", frame), workspace=town)
    assert out["street"].tolist() == ["Kerkstraat", "Kerkstraat"]
    assert report.dropped == {"import.reason.own_postcode_far": 1}
    assert report.examples["import.reason.own_postcode_far"] == ["Veldweg 9"]
    assert "50 m" in report.text()


def test_lambert_csv_with_semicolons_and_decimal_commas(town: Workspace, tmp_path: Path) -> None:
    p = pt(20, 30)
    text = f"straatnaam;huisnummer;postcode;x;y\nKerkstraat;3;1730;{p.x:.2f};{p.y:.2f}\n".replace(".", ",")
    text += "Kerkstraat;5;1730;niet;gekend\n"
    path = tmp_path / "adressen.csv"
    path.write_text(text, encoding="utf-8")
    frame, report = read_addresses(path, workspace=town)
    assert len(frame) == 1 and frame.geometry.iloc[0].distance(p) < 0.01
    assert report.dropped == {"import.reason.no_coordinates": 1}


def test_missing_columns_are_all_named(tmp_path: Path, town: Workspace) -> None:
    path = tmp_path / "half.csv"
    path.write_text("straat,lat,lon\nKerkstraat,50.9,4.2\n", encoding="utf-8")
    before = town.path.read_bytes()
    with pytest.raises(InputError) as err:
        import_file(town, "addresses", path)
    assert any("'housenumber'" in p and "straat, lat, lon" in p for p in err.value.problems)
    assert town.path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (bytes(range(256)) * 20, "geen tekstbestand"),
        (b"", "leeg"),
        (b"dit is gewoon een zin zonder kolommen\nen nog een\n", "geen bruikbare kolommen"),
        (b"a,b\n1,2\n3,4,5,6,7\n", "geen geldige CSV"),
    ],
)
def test_garbage_csv_gets_a_clear_error(tmp_path: Path, town: Workspace, content: bytes, expected: str) -> None:
    path = tmp_path / "rommel.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=expected):
        read_addresses(path, workspace=town)


def test_duplicate_and_unnumbered_addresses_are_reported(tmp_path: Path, town: Workspace) -> None:
    points = [pt(10, 10), pt(10, 10), pt(20, 20), pt(30, 30)]
    frame = gpd.GeoDataFrame({"street": ["Kerkstraat"] * 4, "housenumber": ["1", "1", "zn", "3"],
                              "postcode": ["1730"] * 4}, geometry=points, crs=WORKING_CRS)
    out, report = read_addresses(write_gpkg(tmp_path / "a.gpkg", frame), workspace=town)
    assert out["housenumber"].tolist() == [1, 3]
    assert report.dropped == {"import.reason.duplicate_address": 1, "import.reason.no_housenumber": 1}


def test_osm_housenumbers_without_street_take_the_nearest_street(tmp_path: Path, town: Workspace) -> None:
    streets = gpd.GeoDataFrame({"name": ["Kerkstraat", "Molenweg"], "highway": ["residential", "residential"]},
                               geometry=[shapely.LineString([pt(0, 50), pt(200, 50)]),
                                         shapely.LineString([pt(50, 0), pt(50, 40)])], crs=WORKING_CRS)
    import_file(town, "streets", write_gpkg(tmp_path / "s.gpkg", streets))
    numbers = gpd.GeoDataFrame({"addr:housenumber": ["4", "6"]}, geometry=[pt(150, 60), pt(55, 10)],
                               crs=WORKING_CRS)
    frame, report = read_addresses(write_gpkg(tmp_path / "hn.gpkg", numbers), workspace=town)
    assert frame["street"].tolist() == ["Kerkstraat", "Molenweg"]
    assert any("dichtste straat" in n for n in report.notes)


def test_osm_number_lists_become_one_address_each(tmp_path: Path, town: Workspace) -> None:
    frame = gpd.GeoDataFrame({"addr:street": ["Kerkstraat", "Kerkstraat"], "addr:housenumber": ["14;12A", "3"],
                              "addr:postcode": ["1730", "1730"]}, geometry=[pt(10, 10), pt(20, 20)],
                             crs=WORKING_CRS)
    out, report = read_addresses(write_gpkg(tmp_path / "osm.gpkg", frame), workspace=town)
    assert list(zip(out["housenumber"], out["suffix"].fillna(""), strict=True)) == [(14, ""), (12, "A"), (3, "")]
    assert out.geometry.iloc[0].equals(out.geometry.iloc[1])
    assert any("gesplitst" in n for n in report.notes)


def test_zipped_shapefile_with_short_column_names(tmp_path: Path, town: Workspace) -> None:
    import zipfile

    frame = gpd.GeoDataFrame({"STRAATNM": ["Nerviërsstraat"], "HUISNR": ["5 bus 2"], "POSTCODE": ["1730"]},
                             geometry=[pt(10, 10)], crs=WORKING_CRS)
    frame.to_file(tmp_path / "adr.shp")
    archive = tmp_path / "adr.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in tmp_path.glob("adr.*"):
            if part != archive:
                zipped.write(part, part.name)
    out, _ = read_addresses(archive, workspace=town)
    assert out[["street", "housenumber", "box"]].iloc[0].tolist() == ["Nerviërsstraat", 5, "2"]


def test_a_file_that_is_no_excel_workbook(tmp_path: Path, town: Workspace) -> None:
    path = tmp_path / "leden.xlsx"
    path.write_text("geen excel", encoding="utf-8")
    with pytest.raises(InputError, match="Excel"):
        read_addresses(path, workspace=town)


def test_lines_are_no_addresses(tmp_path: Path, town: Workspace) -> None:
    frame = gpd.GeoDataFrame({"street": ["Kerkstraat"], "housenumber": ["1"], "postcode": ["1730"]},
                             geometry=[shapely.LineString([pt(0, 0), pt(1, 1)])], crs=WORKING_CRS)
    with pytest.raises(InputError, match="geen punt"):
        read_addresses(write_gpkg(tmp_path / "lijn.gpkg", frame), workspace=town)


# ------------------------------------------------------------------------------------------------ streets
def test_osm_highway_tags_give_road_class_and_authority(tmp_path: Path, town: Workspace) -> None:
    lines = [
        shapely.MultiLineString([[pt(0, 50), pt(100, 50)], [pt(100, 50), pt(190, 50)]]),
        shapely.LineString([pt(120, 0), pt(120, 100)]),
        shapely.LineString([pt(10, 10), pt(10, 90)]),
        shapely.LineString([pt(20, 10), pt(20, 90)]),
        shapely.LineString([pt(300, 10), pt(300, 90)]),
    ]
    frame = gpd.GeoDataFrame({"name": ["Kerkstraat", "Steenweg", None, "Spoorlijn", "Verweg"],
                              "highway": ["residential", "primary", "footway", "rail", "residential"],
                              "ref": [None, "N9", None, None, None]}, geometry=lines, crs=WORKING_CRS)
    out, report = read_streets(write_gpkg(tmp_path / "osm.gpkg", frame), workspace=town)
    assert out.geometry.geom_type.eq("LineString").all()
    assert out["name"].fillna("-").tolist() == ["Kerkstraat", "Kerkstraat", "Steenweg", "-"]
    assert out["road_class"].tolist() == ["minor", "minor", "primary", "path"]
    assert out["authority"].tolist() == ["gemeente", "gemeente", "gewest", "onbekend"]
    assert out["street_id"].tolist() == [1, 2, 3, 4]
    assert out["deelgemeente"].tolist() == ["West", "Oost", "Oost", "West"]
    assert report.dropped == {"import.reason.not_a_road": 1, "import.reason.outside_municipality": 1}


def test_openmaptiles_classes_and_tile_duplicates(tmp_path: Path, town: Workspace) -> None:
    line = shapely.LineString([pt(0, 20), pt(90, 20)])
    frame = gpd.GeoDataFrame({"name": ["Dreef", "Dreef", "Baan"], "class": ["minor", "minor", "secondary"],
                              "subclass": ["residential", "residential", None], "ref": [None, None, None]},
                             geometry=[line, line.reverse(), shapely.LineString([pt(0, 80), pt(90, 80)])],
                             crs=WORKING_CRS)
    out, report = read_streets(write_gpkg(tmp_path / "omt.gpkg", frame, layer="road_segments"), workspace=town)
    assert out["road_class"].tolist() == ["minor", "secondary"]
    assert out["authority"].tolist() == ["gemeente", "gewest"]
    assert report.dropped == {"import.reason.duplicate_segment": 1}


def test_streets_without_class_column_are_refused(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"name": ["Dreef"]}, geometry=[shapely.LineString([pt(0, 0), pt(9, 9)])],
                             crs=WORKING_CRS)
    with pytest.raises(InputError, match="wegklasse"):
        read_streets(write_gpkg(tmp_path / "x.gpkg", frame))


def test_a_street_mostly_in_the_neighbour_is_left_out_whole(tmp_path: Path, town: Workspace) -> None:
    # Grensstraat: 30 m in Teststad, 150 m in Buurdorp; Dorpsstraat: 150 m in Teststad, 30 m over the border
    frame = gpd.GeoDataFrame(
        {"name": ["Grensstraat", "Grensstraat", "Dorpsstraat", "Dorpsstraat"], "highway": ["residential"] * 4},
        geometry=[shapely.LineString([pt(170, 10), pt(200, 10)]), shapely.LineString([pt(200, 10), pt(350, 10)]),
                  shapely.LineString([pt(50, 90), pt(200, 90)]), shapely.LineString([pt(200, 90), pt(230, 90)])],
        crs=WORKING_CRS)
    out, _ = read_streets(write_gpkg(tmp_path / "grens.gpkg", frame), workspace=town)
    assert out["name"].tolist() == ["Dorpsstraat", "Dorpsstraat"]


def _osm_xml(tmp_path: Path) -> Path:
    nodes = gpd.GeoSeries([pt(0, 50), pt(100, 50), pt(190, 50), pt(100, 0), pt(100, 100)],
                          crs=WORKING_CRS).to_crs("EPSG:4326")
    node_xml = "\n".join(f'  <node id="{i + 1}" version="1" lat="{p.y:.8f}" lon="{p.x:.8f}"/>'
                         for i, p in enumerate(nodes))
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
{node_xml}
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/><tag k="name" v="Kerkstraat"/></way>
  <way id="11" version="1"><nd ref="4"/><nd ref="2"/><nd ref="5"/>
    <tag k="highway" v="secondary"/><tag k="name" v="Steenweg"/><tag k="ref" v="N285"/></way>
  <way id="12" version="1"><nd ref="4"/><nd ref="5"/><tag k="building" v="yes"/></way>
</osm>
"""
    path = tmp_path / "mini.osm"
    path.write_text(text, encoding="utf-8")
    return path


def test_osm_xml_and_pbf(tmp_path: Path, town: Workspace) -> None:
    import osmium

    xml = _osm_xml(tmp_path)
    pbf = tmp_path / "mini.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for obj in osmium.FileProcessor(str(xml)):
            writer.add(obj)
    for path in (xml, pbf):
        out, _ = read_streets(path, workspace=town)
        assert sorted(out["name"]) == ["Kerkstraat", "Steenweg"]
        assert out.set_index("name").loc["Steenweg", "authority"] == "gewest"
        assert out.set_index("name").loc["Kerkstraat", "road_class"] == "minor"
        assert abs(out.geometry.length.sum() - 290.0) < 0.5


def test_broken_pbf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kapot.osm.pbf"
    path.write_bytes(b"\x00\x01garbage" * 10)
    with pytest.raises(InputError, match="OSM"):
        read_streets(path)


def test_every_import_text_key_exists() -> None:
    import re

    from buurtkaart.importers import KINDS
    from buurtkaart.texts import catalogue

    root = Path(__file__).resolve().parents[1]
    sources = [*sorted((root / "buurtkaart" / "importers").glob("*.py")), root / "buurtkaart" / "exports.py",
               root / "buurtkaart" / "cli" / "import_cmds.py", root / "app_pages" / "staff_data.py"]
    used = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r"""["']((?:import|export)\.[a-z_.]+[a-z_])["']""", text))
    used |= {f"import.app.kind.{kind}" for kind in KINDS}
    used -= {"import.cli"}
    missing = sorted(k for k in used if k not in catalogue())
    assert len(used) > 60 and not missing


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.integers(-100, 400), st.integers(-100, 200), st.sampled_from(["1730", "1700", ""]),
                               st.sampled_from(["1", "2A", "3 bus 1", "zn", "", "1"]),
                               st.sampled_from(["Kerkstraat", "Dorp", ""])), min_size=1, max_size=30))
def test_every_address_row_is_kept_or_dropped_with_a_reason(town: Workspace, rows: list[tuple]) -> None:
    """Invariant: kept + left out (per reason) = the rows of the file; what is kept lies near the municipality."""
    import tempfile

    wgs = gpd.GeoSeries([pt(x, y) for x, y, *_ in rows], crs=WORKING_CRS).to_crs("EPSG:4326")
    table = pd.DataFrame({"postcode": [r[2] for r in rows], "huisnummer": [r[3] for r in rows],
                          "straat": [r[4] for r in rows], "lat": wgs.y, "lon": wgs.x})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.csv"
        table.to_csv(path, index=False)
        try:
            out, report = read_addresses(path, workspace=town)
        except InputError as exc:  # nothing left: every row was dropped, and the error says why
            assert exc.problems
            return
    assert report.kept + report.dropped_total == len(rows)
    area = shapely.union(square(0, 0), square(100, 0)).buffer(50.0)
    assert out.geometry.within(area).all()


def test_osm_ways_outside_the_bounding_box_are_not_read(tmp_path: Path) -> None:
    from buurtkaart.importers import read_osm_ways

    xml = _osm_xml(tmp_path)
    everything = read_osm_ways(xml)
    assert len(everything) == 2
    lon, lat = everything.geometry.iloc[0].coords[0]
    with pytest.raises(InputError, match="geen wegen"):
        read_osm_ways(xml, bbox=(lon + 1, lat + 1, lon + 2, lat + 2))
    assert len(read_osm_ways(xml, bbox=(lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01))) == 2


def test_members_export_refused_for_coordinator_and_police(tmp_path):
    """Personal data leaves the workspace only through staff or the command line."""
    import pytest

    from buurtkaart.errors import PermissionDenied
    from buurtkaart.exports import export_layer
    from buurtkaart.members.accounts import User
    from buurtkaart.workspace import Workspace
    from tests.members_helpers import register

    ws = Workspace.create(tmp_path / "w.gpkg", {}, municipality="Teststad", fictional=True)
    register(ws, User("x", "police"), User("s", "staff"))
    for role, groups in (("coordinator", ("G1",)), ("police", ())):
        with pytest.raises(PermissionDenied):
            export_layer(ws, "members", tmp_path / "leden.csv", actor=User("x", role, groups))
    assert not (tmp_path / "leden.csv").exists()
    assert export_layer(ws, "members", tmp_path / "leden.csv", actor=User("s", "staff")) == 0
