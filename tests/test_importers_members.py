"""Member lists (CSV, Excel) and exports, on the drawable town: group G1 is the west square, G2 the east one."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from buurtkaart.errors import InputError
from buurtkaart.exports import export_layer, write_layer
from buurtkaart.importers import import_file, prepare_import, read_members
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import pt, square


@pytest.fixture
def town(tmp_path: Path, two_squares: gpd.GeoDataFrame) -> Workspace:
    addresses = gpd.GeoDataFrame(
        {"address_id": ["a1", "a2", "a3"], "street": ["Kerkstraat", "Kerkstraat", "Molenweg"],
         "housenumber": [1, 3, 8], "postcode": ["1730"] * 3},
        geometry=[pt(20, 50), pt(40, 50), pt(150, 50)], crs=WORKING_CRS)
    municipality = gpd.GeoDataFrame({"code": ["11001"], "name": ["Teststad"]},
                                    geometry=[shapely.union(square(0, 0), square(100, 0))], crs=WORKING_CRS)
    return Workspace.create(tmp_path / "w.gpkg", {"addresses": addresses, "groups": two_squares,
                                                  "municipality": municipality}, municipality="Teststad")


def _csv(tmp_path: Path, rows: list[dict[str, str]], *, encoding: str = "utf-8") -> Path:
    path = tmp_path / "leden.csv"
    path.write_bytes(pd.DataFrame(rows).to_csv(index=False, sep=";").encode(encoding))
    return path


def test_members_are_located_assigned_and_audited(tmp_path: Path, town: Workspace) -> None:
    path = _csv(tmp_path, [
        {"Naam": "Anna Peeters", "Telefoon": "0470 12 34 56", "E-mail": "Anna@Voorbeeld.be", "Adres": "Kerkstraat 3"},
        {"Naam": "Jan Smet", "Telefoon": "0470 65 43 21", "E-mail": "", "Adres": "Molenweg 8, 1730 Asse"},
        {"Naam": "Lies Geen", "Telefoon": "", "E-mail": "", "Adres": "Onbestaandelaan 99"},
    ], encoding="cp1252")
    report = import_file(town, "members", path)
    members = town.read("members").set_index("name")
    assert report.kept == 3
    assert members.loc["Anna Peeters", "group_id"] == "G1"
    assert members.loc["Anna Peeters", "phone"] == "+32470123456"
    assert members.loc["Anna Peeters", "email"] == "anna@voorbeeld.be"
    assert members.loc["Anna Peeters", "address_id"] == "a2"
    assert members.loc["Jan Smet", "group_id"] == "G2"
    assert members.loc["Lies Geen", "assign_status"] == "geen_punt"
    assert pd.isna(members.loc["Lies Geen", "group_id"])
    assert (members["status"] == "lid").all()
    lines = town.read("audit_log")
    assert lines["action"].tolist() == ["aangemaakt"] and lines["count"].tolist() == [3]
    assert "Anna" not in " ".join(lines.astype(str).to_numpy().ravel())
    assert any("regels: 4" in n for n in report.notes)  # the line of the address not found


def test_a_second_import_skips_known_people(tmp_path: Path, town: Workspace) -> None:
    rows = [{"naam": "Anna Peeters", "gsm": "0470123456", "straat": "Kerkstraat", "huisnummer": "1"}]
    import_file(town, "members", _csv(tmp_path, rows))
    rows.append({"naam": "Piet Claes", "gsm": "0470999999", "straat": "Molenweg", "huisnummer": "8"})
    report = import_file(town, "members", _csv(tmp_path, rows))
    assert report.kept == 1 and report.dropped == {"import.reason.member_duplicate": 1}
    assert sorted(town.read("members")["name"]) == ["Anna Peeters", "Piet Claes"]


def test_every_bad_row_is_named_and_nothing_is_stored(tmp_path: Path, town: Workspace) -> None:
    path = _csv(tmp_path, [
        {"naam": "", "telefoon": "0470123456", "adres": "Kerkstraat 1", "status": "lid"},
        {"naam": "Bea", "telefoon": "12", "adres": "Kerkstraat 3", "status": "lid"},
        {"naam": "Cas", "telefoon": "0470123456", "adres": "Kerkstraat 3", "status": "baas"},
    ])
    before = town.path.read_bytes()
    with pytest.raises(InputError) as err:
        import_file(town, "members", path)
    text = "\n".join(err.value.problems)
    assert "geen naam op regels 2" in text
    assert "telefoonnummer op regels 3" in text
    assert "status op regels 4" in text
    assert town.path.read_bytes() == before


def test_excel_member_list(tmp_path: Path, town: Workspace) -> None:
    path = tmp_path / "leden.xlsx"
    pd.DataFrame({"Voornaam": ["An"], "Familienaam": ["Claes"], "Telefoon": ["0470123456"],
                  "Adres": ["Molenweg 8"]}).to_excel(path, index=False)
    prepared = prepare_import(town, "members", path)
    assert prepared.frame["name"].tolist() == ["An Claes"]
    assert town.read("members").empty  # nothing written before store()
    prepared.store()
    assert town.read("members")["group_id"].tolist() == ["G2"]


def test_member_list_without_address_column(tmp_path: Path, town: Workspace) -> None:
    with pytest.raises(InputError, match="adres"):
        read_members(_csv(tmp_path, [{"naam": "An", "telefoon": "0470123456"}]), town)


# ------------------------------------------------------------------------------------------------ exports
@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp", ".kml", ".csv"])
def test_export_round_trip(tmp_path: Path, two_squares: gpd.GeoDataFrame, suffix: str) -> None:
    target = tmp_path / f"groepen{suffix}"
    assert write_layer(two_squares, target) == 2
    if suffix == ".csv":
        back = pd.read_csv(target)
        assert back["group_id"].tolist() == ["G1", "G2"]
        assert shapely.from_wkt(back["wkt"][0]).equals(square(0, 0))
        return
    back = gpd.read_file(target).to_crs(WORKING_CRS)
    assert back.geometry.iloc[1].symmetric_difference(square(100, 0)).area < 1.0
    expected_crs = "EPSG:4326" if suffix in (".geojson", ".kml") else WORKING_CRS
    assert gpd.read_file(target).crs == expected_crs
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_export_refuses_unknown_format_and_account_data(tmp_path: Path, town: Workspace) -> None:
    with pytest.raises(InputError, match=r"\.docx"):
        export_layer(town, "groups", tmp_path / "groepen.docx")
    with pytest.raises(InputError, match="nooit"):
        export_layer(town, "users", tmp_path / "users.csv")
    assert not (tmp_path / "users.csv").exists()


def test_exporting_members_is_audited(tmp_path: Path, town: Workspace) -> None:
    import_file(town, "members", _csv(tmp_path, [{"naam": "An", "telefoon": "0470123456", "adres": "Molenweg 8"}]))
    assert export_layer(town, "members", tmp_path / "leden.csv") == 1
    assert town.read("audit_log")["action"].tolist() == ["aangemaakt", "geexporteerd"]


def test_export_replaces_an_existing_file_whole(tmp_path: Path, two_squares: gpd.GeoDataFrame) -> None:
    target = tmp_path / "groepen.gpkg"
    write_layer(two_squares, target)
    write_layer(two_squares.iloc[:1], target)
    assert len(gpd.read_file(target)) == 1


def test_members_into_a_workspace_without_addresses_are_refused_in_dutch(tmp_path: Path, two_squares) -> None:
    ws = Workspace.create(tmp_path / "leeg.gpkg", {"groups": two_squares}, municipality="Teststad")
    with pytest.raises(InputError, match="nog geen adressen") as err:
        import_file(ws, "members", _csv(tmp_path, [{"naam": "An", "telefoon": "0470123456", "adres": "Molenweg 8"}]))
    assert "Importeer eerst de adressen" in str(err.value)
    assert ws.read("members").empty and ws.read("audit_log").empty


def test_an_empty_address_register_finds_nothing_instead_of_failing(tmp_path: Path) -> None:
    from buurtkaart.geocoding.lookup import FOUND, AddressIndex

    ws = Workspace.create(tmp_path / "leeg.gpkg", {}, municipality="Teststad")
    found = AddressIndex.from_workspace(ws).lookup_many(pd.Series(["Molenweg 8", "Kerkstraat 1, 1730 Asse"]))
    assert len(found) == 2 and not found["status"].isin(list(FOUND)).any()
