"""The Flemish registers as a municipality downloads them today, on the town you can draw of test_importers_best.py
(Teststad, NIS 11001 = the squares x 0..200, y 0..100; Buurdorp, 11002, east of it): the Adressenregister download
(GeoPackage and shapefile), the Basisregisters API v2 details, and the Wegenregister's road segments.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from buurtkaart.errors import InputError
from buurtkaart.importers import import_file, prepare_import
from buurtkaart.importers.flemish_addresses import is_api_file, is_register_download
from buurtkaart.importers.wegenregister import is_wegenregister_file
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import pt
from tests.test_importers_best import KEPT, ROWS, town  # noqa: F401  (the fixture)

AR_STATUS = {"current": "inGebruik", "proposed": "voorgesteld", "retired": "gehistoreerd", "rejected": "afgekeurd"}


def register_frame(rows=ROWS) -> gpd.GeoDataFrame:
    """The rows of the BeST test as the Adressenregister download has them (short field names)."""
    return gpd.GeoDataFrame(
        {"adresid": [r[0] for r in rows], "straatnmid": [r[1][:3] for r in rows], "straatnm": [r[1] for r in rows],
         "huisnr": [r[2] for r in rows], "busnr": [r[3] for r in rows], "postcode": [r[5][2] for r in rows],
         "gemeentenm": [r[5][1] for r in rows], "niscode": [r[5][0] for r in rows],
         "status": [AR_STATUS[r[4]] for r in rows], "posgeommet": ["aangeduidDoorBeheerder"] * len(rows)},
        geometry=[pt(*r[6]) for r in rows], crs=WORKING_CRS,
    )


def write_register(path: Path) -> Path:
    frame = register_frame()
    if path.suffix == ".gpkg":
        frame.to_file(path, layer="Adres", driver="GPKG")
    else:
        frame.to_file(path, driver="ESRI Shapefile")
    return path


def api_detail(row: tuple, *, crs: int = 31370) -> dict:
    """One address as ``/v2/adressen/{id}`` gives it (JSON-LD)."""
    aid, street, number, box, status, (code, name, postcode), xy = row
    point = gpd.GeoSeries([pt(*xy)], crs=WORKING_CRS).to_crs(f"EPSG:{crs}").iloc[0]
    gml = (f'<gml:Point srsName="https://www.opengis.net/def/crs/EPSG/0/{crs}" '
           f'xmlns:gml="http://www.opengis.net/gml/3.2"><gml:pos>{point.x:.3f} {point.y:.3f}</gml:pos></gml:Point>')
    return {
        "@context": "https://docs.basisregisters.vlaanderen.be/context/adres/2023-03-13/adres_detail.jsonld",
        "@type": "Adres",
        "identificator": {"id": f"https://data.vlaanderen.be/id/adres/{aid}",
                          "naamruimte": "https://data.vlaanderen.be/id/adres", "objectId": aid,
                          "versieId": "2026-10-01T10:00:00+02:00"},
        "gemeente": {"objectId": code, "detail": f"https://api.basisregisters.vlaanderen.be/v2/gemeenten/{code}",
                     "gemeentenaam": {"geografischeNaam": {"spelling": name, "taal": "nl"}}},
        "postinfo": {"objectId": postcode, "detail": f"https://api.basisregisters.vlaanderen.be/v2/postinfo/{postcode}"},
        "straatnaam": {"objectId": street[:3], "detail": "https://api.basisregisters.vlaanderen.be/v2/straatnamen/1",
                       "straatnaam": {"geografischeNaam": {"spelling": street, "taal": "nl"}}},
        "huisnummer": number, "busnummer": box,
        "volledigAdres": {"geografischeNaam": {"spelling": f"{street} {number}, {postcode} {name}", "taal": "nl"}},
        "adresPositie": {"geometrie": {"type": "Point", "gml": gml},
                         "positieGeometrieMethode": "aangeduidDoorBeheerder", "positieSpecificatie": "gebouweenheid"},
        "adresStatus": AR_STATUS[status], "officieelToegekend": status != "proposed",
    }


def write_api(path: Path, items: list[dict]) -> Path:
    path.write_text(json.dumps({"adressen": items}, ensure_ascii=False), encoding="utf-8")
    return path


def _kept(ws: Workspace) -> dict[str, str]:
    stored = ws.read("addresses")
    return dict(zip(stored["address_id"], stored["register_status"], strict=True))


@pytest.mark.parametrize("name", ["adressen.gpkg", "Adres.shp"])
def test_register_download_imports_without_options(tmp_path: Path, town: Workspace, name: str) -> None:  # noqa: F811
    path = write_register(tmp_path / name)
    assert is_register_download(path)
    report = import_file(town, "addresses", path)
    assert _kept(town) == KEPT  # current kept, proposed kept and marked, retired/rejected and Buurdorp left out
    assert report.dropped["import.best.reason.retired"] == 2
    assert report.dropped["import.best.reason.rejected"] == 1
    assert report.dropped["import.reason.other_municipality"] == 2
    assert report.dropped["import.best.reason.building_with_boxes"] == 1
    stored = town.read("addresses").set_index("address_id")
    assert stored.loc["1023", "box"] == "0.3" and stored.loc["1100", "suffix"] == "A"
    assert stored.loc["1100", "deelgemeente"] == "Oost"


@pytest.mark.parametrize("as_number", [False, True])
def test_only_the_municipality_is_read_from_a_download_of_flanders(tmp_path: Path, town: Workspace,  # noqa: F811
                                                                   as_number: bool) -> None:
    frame = register_frame()
    if as_number:
        frame["niscode"] = frame["niscode"].astype(int)
    frame.to_file(tmp_path / "vlaanderen.gpkg", layer="Adres", driver="GPKG")
    report = import_file(town, "addresses", tmp_path / "vlaanderen.gpkg")
    assert _kept(town) == KEPT and report.dropped["import.reason.other_municipality"] == 2
    only_neighbour = frame[frame["niscode"].astype(str) == "11002"]
    only_neighbour.to_file(tmp_path / "buur.gpkg", layer="Adres", driver="GPKG")
    with pytest.raises(InputError, match="geen adressen van deze gemeente"):
        import_file(town, "addresses", tmp_path / "buur.gpkg")


def test_a_plain_address_file_with_huisnummer_is_not_taken_for_the_register(tmp_path: Path) -> None:
    frame = register_frame().rename(columns={"status": "opmerking"}).drop(columns=["adresid"])
    path = tmp_path / "eigen.gpkg"
    frame.to_file(path, layer="eigen", driver="GPKG")
    assert not is_register_download(path)
    other = register_frame().assign(status="actief")  # a status column with other values
    other.to_file(tmp_path / "ander.gpkg", layer="ander", driver="GPKG")
    assert not is_register_download(tmp_path / "ander.gpkg")


@pytest.mark.parametrize("crs", [31370, 3812])
def test_api_details_import_without_options(tmp_path: Path, town: Workspace, crs: int) -> None:  # noqa: F811
    path = write_api(tmp_path / "adressen-11001.json", [api_detail(row, crs=crs) for row in ROWS])
    assert is_api_file(path)
    report = import_file(town, "addresses", path)
    assert _kept(town) == KEPT
    assert report.dropped["import.best.reason.retired"] == 2
    stored = town.read("addresses").set_index("address_id")
    assert stored.loc["1001"].geometry.distance(pt(10, 40)) < 0.01
    assert stored.loc["1022", "street"] == "Kerkstraat" and stored.loc["1022", "postcode"] == "1000"


def test_api_list_pages_without_positions_are_refused_with_what_to_do(tmp_path: Path,
                                                                      town: Workspace) -> None:  # noqa: F811
    listed = [{"@type": "Adres", "identificator": {"objectId": r[0]}, "huisnummer": r[2], "busnummer": r[3],
               "adresStatus": "inGebruik", "detail": f"https://api.basisregisters.vlaanderen.be/v2/adressen/{r[0]}"}
              for r in ROWS]
    path = write_api(tmp_path / "pagina.json", listed)
    with pytest.raises(InputError, match="lijstpagina") as err:
        import_file(town, "addresses", path)
    assert "buurtkaart fetch" in str(err.value)
    assert town.read("addresses").empty


def test_api_file_with_bad_json_is_refused(tmp_path: Path, town: Workspace) -> None:  # noqa: F811
    path = tmp_path / "kapot.json"
    path.write_text('{"adressen": [{"identificator": {"objectId": "1"}, ', encoding="utf-8")
    with pytest.raises(InputError, match="geen leesbaar JSON"):
        import_file(town, "addresses", path)


# ------------------------------------------------------------------------------------------------ Wegenregister
def wegsegmenten() -> gpd.GeoDataFrame:
    """Kerkstraat along y=50 in Teststad; the N-road (AWV) from x=-300 to x=400 on y=90 (mostly beyond the border);
    a cycle path, a tram line, a street on the border with two names, and Veldweg wholly in Buurdorp."""
    rows = [
        # WS_OIDN, LSTRNM, RSTRNM, WEGCAT, MORF, BEHEER, LBLBEHEER, line
        (1, "Kerkstraat", "Kerkstraat", "L2", "103", "11001", "Teststad", [(5, 50), (195, 50)]),
        (2, "Steenweg", "Steenweg", "P2", "102", "AWV112", "Agentschap Wegen en Verkeer", [(-300, 90), (0, 90)]),
        (3, "Steenweg", "Steenweg", "P2", "102", "AWV112", "Agentschap Wegen en Verkeer", [(0, 90), (200, 90)]),
        (4, "Steenweg", "Steenweg", "P2", "102", "AWV112", "Agentschap Wegen en Verkeer", [(200, 90), (400, 90)]),
        (5, "-9", "-9", "-9", "114", "11001", "Teststad", [(50, 10), (150, 10)]),
        (6, "-9", "-9", "-9", "116", "-8", "niet gekend", [(50, 30), (150, 30)]),
        (7, "Grensweg", "Veldkant", "L3", "103", "11001", "Teststad", [(100, 5), (100, 95)]),
        (8, "Veldweg", "Veldweg", "L2", "103", "11002", "Buurdorp", [(220, 50), (300, 50)]),
    ]
    columns = ["WS_OIDN", "LSTRNM", "RSTRNM", "WEGCAT", "MORF", "BEHEER", "LBLBEHEER"]
    return gpd.GeoDataFrame([r[:-1] for r in rows], columns=columns,
                            geometry=[shapely.LineString([pt(x, y) for x, y in r[-1]]) for r in rows], crs=WORKING_CRS)


@pytest.mark.parametrize("name", ["Wegsegment.shp", "wegsegment.geojson"])
def test_wegenregister_streets_import_without_options(tmp_path: Path, town: Workspace, name: str) -> None:  # noqa: F811
    path = tmp_path / name
    wegsegmenten().to_file(path, driver="GeoJSON" if name.endswith(".geojson") else "ESRI Shapefile")
    assert is_wegenregister_file(path)
    prepared = prepare_import(town, "streets", path)
    prepared.store()
    streets = town.read("streets")
    outside = town.read("streets_outside")
    named = streets.set_index("name")
    assert set(streets["name"].dropna()) == {"Kerkstraat", "Grensweg"}
    assert named.loc["Kerkstraat", "road_class"] == "minor" and named.loc["Kerkstraat", "authority"] == "gemeente"
    assert set(streets.loc[streets["name"].isna(), "road_class"]) == {"path"}  # the cycle path; the tram is no road
    assert prepared.report.dropped["import.reason.not_a_road"] == 1
    # the regional road, mostly beyond the border, and Veldweg are kept as roads outside (within the 1 km margin)
    steenweg = outside[outside["name"] == "Steenweg"]
    assert set(steenweg["road_class"]) == {"primary"} and set(steenweg["authority"]) == {"gewest"}
    assert set(outside["name"]) == {"Steenweg", "Veldweg"}
    assert outside.geometry.length.sum() == pytest.approx(300 + 200 + 200 + 80, abs=0.5)
    assert any("andere straatnaam" in note for note in prepared.report.notes)


def test_an_osm_street_file_is_not_taken_for_the_wegenregister(tmp_path: Path) -> None:
    osm = gpd.GeoDataFrame({"name": ["Kerkstraat"], "highway": ["residential"]},
                           geometry=[shapely.LineString([(0, 0), (10, 0)])], crs=WORKING_CRS)
    osm.to_file(tmp_path / "osm.gpkg", layer="roads", driver="GPKG")
    assert not is_wegenregister_file(tmp_path / "osm.gpkg")
    assert not is_wegenregister_file(tmp_path / "missing.shp")
