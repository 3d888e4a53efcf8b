"""BOSA's BeST-Address CSV on a file you can draw (the town of test_importers.py: Teststad, NIS 11001, is the two
squares x 0..200, y 0..100; its neighbour Buurdorp, 11002, lies east of it).

Kerkstraat (west square) has one address of each status and a building, number 2, with three current boxes and
one retired box; Dorpstraat 10A lies in the east square; two addresses of Buurdorp are in the same file.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from buurtkaart.errors import InputError
from buurtkaart.importers import best as best_module
from buurtkaart.importers import import_file, read_addresses, read_best_addresses, setup_workspace
from buurtkaart.importers.best import is_best_file
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import pt, square
from tests.test_importers import municipalities, write_gpkg

COLUMNS_2026 = ["EPSG:3812_x", "EPSG:3812_y", "EPSG:4326_lat", "EPSG:4326_lon", "address_id", "box_number",
                "house_number", "municipality_id", "municipality_name_de", "municipality_name_fr",
                "municipality_name_nl", "postcode", "postname_fr", "postname_nl", "street_id", "streetname_de",
                "streetname_fr", "streetname_nl", "region_code", "status"]

# address_id, street, number, box, status, municipality (code, name, postcode), (x, y) in local metres
ROWS = [
    ("1001", "Kerkstraat", "1", None, "current", ("11001", "Teststad", "1000"), (10, 40)),
    ("1003", "Kerkstraat", "3", None, "proposed", ("11001", "Teststad", "1000"), (20, 40)),
    ("1005", "Kerkstraat", "5", None, "retired", ("11001", "Teststad", "1000"), (30, 40)),
    ("1007", "Kerkstraat", "7", None, "rejected", ("11001", "Teststad", "1000"), (40, 40)),
    ("1002", "Kerkstraat", "2", None, "current", ("11001", "Teststad", "1000"), (10, 60)),
    ("1021", "Kerkstraat", "2", "1", "current", ("11001", "Teststad", "1000"), (10, 60)),
    ("1022", "Kerkstraat", "2", "2", "current", ("11001", "Teststad", "1000"), (10, 60)),
    ("1023", "Kerkstraat", "2", "0.3", "current", ("11001", "Teststad", "1000"), (10, 60)),
    ("1024", "Kerkstraat", "2", "4", "retired", ("11001", "Teststad", "1000"), (10, 60)),
    ("1100", "Dorpstraat", "10A", None, "current", ("11001", "Teststad", "1000"), (150, 50)),
    ("2001", "Veldweg", "1", None, "current", ("11002", "Buurdorp", "2000"), (250, 50)),
    ("2002", "Veldweg", "2", None, "current", ("11002", "Buurdorp", "2000"), (260, 50)),
]
@pytest.fixture
def town(tmp_path: Path) -> Workspace:
    """Teststad (NIS 11001) with its deelgemeenten West and Oost."""
    boundary = write_gpkg(tmp_path / "gemeenten.gpkg", municipalities(), layer="municipalities")
    ws, _ = setup_workspace(boundary, tmp_path / "teststad.gpkg", municipality="11001")
    parts = gpd.GeoDataFrame({"code": ["11001A", "11001B"], "naam": ["West", "Oost"]},
                             geometry=[square(0, 0), square(100, 0)], crs=WORKING_CRS)
    import_file(ws, "deelgemeenten", write_gpkg(tmp_path / "delen.gpkg", parts))
    return ws


KEPT = {"1001": "current", "1003": "proposed", "1021": "current", "1022": "current", "1023": "current",
        "1100": "current"}


def best_csv(path: Path, *, lambert: str = "EPSG:3812", rows=ROWS) -> Path:
    points = gpd.GeoSeries([pt(*xy) for *_, xy in rows], crs=WORKING_CRS)
    lam = points.to_crs(lambert)
    wgs = points.to_crs("EPSG:4326")
    records = []
    for (aid, street, number, box, status, (code, name, postcode), _), p, w in zip(rows, lam, wgs, strict=True):
        records.append({
            f"{lambert}_x": f"{p.x:.2f}", f"{lambert}_y": f"{p.y:.2f}", "EPSG:4326_lat": f"{w.y:.7f}",
            "EPSG:4326_lon": f"{w.x:.7f}", "address_id": aid, "box_number": box or "", "house_number": number,
            "municipality_id": code, "municipality_name_de": name, "municipality_name_fr": name,
            "municipality_name_nl": name, "postcode": postcode, "postname_fr": name, "postname_nl": name,
            "street_id": street[:3], "streetname_de": "", "streetname_fr": street, "streetname_nl": street,
            "region_code": "BE-VLG", "status": status,
        })
    columns = [c.replace("EPSG:3812", lambert) for c in COLUMNS_2026]
    pd.DataFrame(records, columns=columns).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("lambert", ["EPSG:3812", "EPSG:31370"])
def test_best_csv_imports_without_options_and_keeps_exactly_the_current_rows(
        town: Workspace, tmp_path: Path, lambert: str) -> None:
    path = best_csv(tmp_path / "openaddress-bevlg.csv", lambert=lambert)
    assert is_best_file(path)
    report = import_file(town, "addresses", path)
    stored = town.read("addresses").set_index("address_id")
    assert dict(stored["register_status"]) == KEPT
    assert report.kept == 6
    assert report.dropped == {"import.reason.other_municipality": 2, "import.best.reason.retired": 2,
                              "import.best.reason.rejected": 1, "import.best.reason.building_with_boxes": 1}
    assert report.examples["import.reason.other_municipality"] == ["Buurdorp: 2"]
    assert any("1 adres is nog maar voorgesteld" in n for n in report.notes)
    # every box is its own household of the one building
    boxes = stored[stored["street"].eq("Kerkstraat") & stored["housenumber"].eq(2)]
    assert sorted(boxes["box"]) == ["0.3", "1", "2"]
    assert boxes.geometry.distance(pt(10, 60)).max() < 0.5
    assert stored.loc["1100", ["housenumber", "suffix", "deelgemeente"]].tolist() == [10, "A", "Oost"]
    assert stored.loc["1001"].geometry.distance(pt(10, 40)) < 0.5


def test_best_csv_without_lambert_columns_uses_wgs84(town: Workspace, tmp_path: Path) -> None:
    path = best_csv(tmp_path / "best.csv")
    frame = pd.read_csv(path, dtype=str).drop(columns=["EPSG:3812_x", "EPSG:3812_y"])
    frame.to_csv(path, index=False)
    found, _ = read_best_addresses(path, workspace=town)
    assert set(found["address_id"]) == set(KEPT)
    assert found.set_index("address_id").geometry["1100"].distance(pt(150, 50)) < 0.5


def test_best_csv_is_read_in_chunks_with_the_same_result(town: Workspace, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = best_csv(tmp_path / "best.csv")
    whole, whole_report = read_best_addresses(path, workspace=town)
    monkeypatch.setattr(best_module, "_CHUNK_ROWS", 3)
    chunked, chunked_report = read_best_addresses(path, workspace=town)
    assert sorted(chunked["address_id"]) == sorted(whole["address_id"])
    assert chunked_report.dropped == whole_report.dropped


def test_best_csv_of_another_region_says_which_municipalities_it_has(town: Workspace, tmp_path: Path) -> None:
    path = best_csv(tmp_path / "openaddress-bewal.csv", rows=ROWS[-2:])
    before = town.path.read_bytes()
    with pytest.raises(InputError, match="NIS-code 11001") as err:
        import_file(town, "addresses", path)
    assert err.value.problems == ["gemeenten in het bestand: Buurdorp"]
    assert town.path.read_bytes() == before


def test_a_csv_that_is_not_best_is_refused_by_the_best_reader_with_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "crab.csv"
    path.write_text("STREET_NL,HUISNR,LAT,LON\nKerkstraat,1,50.9,4.2\n", encoding="utf-8")
    assert not is_best_file(path)
    with pytest.raises(InputError, match="geen BeST-adressenbestand") as err:
        read_best_addresses(path)
    assert err.value.problems == ["STREET_NL, HUISNR, LAT, LON"]


def test_the_generic_reader_still_reads_other_csv_files(town: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "adressen.csv"
    path.write_text(f"straat,huisnummer,postcode,x,y\nKerkstraat,1,1000,{pt(10, 40).x},{pt(10, 40).y}\n",
                    encoding="utf-8")
    report = import_file(town, "addresses", path)
    assert report.kept == 1 and town.read("addresses")["register_status"].isna().all()
    frame, _ = read_addresses(path, workspace=town)
    assert shapely.equals(frame.geometry.iloc[0], pt(10, 40))


def test_without_a_municipality_every_current_row_is_kept(tmp_path: Path) -> None:
    frame, report = read_best_addresses(best_csv(tmp_path / "best.csv"))
    assert set(frame["address_id"]) == set(KEPT) | {"2001", "2002"}
    assert "import.reason.other_municipality" not in report.dropped


def test_the_command_line_imports_a_best_csv_and_reports_what_it_left_out(town: Workspace, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from buurtkaart.cli import main

    path = best_csv(tmp_path / "openaddress-bevlg.csv")
    result = CliRunner().invoke(main, ["--workspace", str(town.path), "import", "addresses", str(path)])
    assert result.exit_code == 0, result.output
    assert "6 behouden" in result.output
    assert "2 zijn gehistoreerd in het adressenregister" in result.output
    assert "1 zijn afgekeurd" in result.output and "Buurdorp: 2" in result.output
    assert len(town.read("addresses")) == 6
