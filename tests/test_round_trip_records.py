"""Members and infoborden through every export format and back: ``export`` then ``import`` gives the same layer
(same people, addresses, groups, status, dates and notes; same signs, groups, status, dates and notes), the
shapefile's 10-character names and KML's extra fields included. Wrong workflow values are refused in one Dutch
error, and a file that would drop most of a layer stops unless forced. An unchanged members export changes and
audits nothing; people missing from a members file are kept unless ``remove_missing``."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from buurtkaart import _records
from buurtkaart.cli import main
from buurtkaart.errors import InputError, PermissionDenied
from buurtkaart.exports import export_layer
from buurtkaart.importers import import_file, prepare_import
from buurtkaart.members import audit
from buurtkaart.schema import LAYERS, WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import pt
from tests.members_helpers import CO1, STAFF, make_ws
from tests.test_round_trip import same_layer

FORMATS = (".csv", ".gpkg", ".geojson", ".shp", ".kml")
TOLERANCE_M = 0.001


def _member(i: int, **values) -> dict:
    row = {c: pd.NA for c in LAYERS["members"].columns}
    row.update({"member_id": f"m-{i:03d}", "name": f"Persoon {i}", "phone": "+32470123456",
                "email": f"p{i}@voorbeeld.be", "address_text": f"Weststraat {i}", "address_id": f"Weststraat-{i}",
                "group_id": "G1", "status": "lid", "applied_on": "2025-01-0" + str(1 + i % 9),
                "status_on": "2025-02-01", "street": "Weststraat", "housenumber": i, "assign_status": "toegewezen",
                "declaration_version": "intentieverklaring-2026-1", "declared_on": "2025-01-01",
                "consent_police": "ja", "screened_by": "politie1", "screened_on": "2025-01-15",
                "added_by": "coord1", "added_on": "2025-02-01", "status_by": "coord1"})
    row.update(values)
    return row


def _members(count: int = 4) -> gpd.GeoDataFrame:
    rows = [_member(i) for i in range(1, count + 1)]
    rows[1].update(status="kandidaat", screened_by=pd.NA, screened_on=pd.NA, added_by=pd.NA, added_on=pd.NA,
                   status_by="publiek", name="=Kandidaat met formule")  # a formula-like name: made inert, then back
    rows[2].update(status="geweigerd", refusal_reason="-onbekend bij de politie", group_id=pd.NA,
                   assign_status="niet_gedekt", sticker_by="coord1", sticker_on="2025-03-01")
    rows[3].update(status="vertrokken", left_on="2025-06-30", address_id=pd.NA, street=pd.NA, housenumber=pd.NA,
                   assign_status="geen_punt", address_text="Ergens 1, 9990 Teststad")
    frame = pd.DataFrame(rows)
    frame["housenumber"] = frame["housenumber"].astype("Int64")
    geometry = [pt(5 + i, 45) for i in range(1, len(rows) + 1)]
    geometry[3] = None  # no point found: kept without one
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=WORKING_CRS)


def _signs() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"sign_id": ["b1", "b2", "b3"], "group_ids": ["G1", "G1,G2", "G2"],
         "status": ["geplaatst", "gepland", "te_verwijderen"], "road_name": ["Weststraat", pd.NA, "Veldweg"],
         "road_class": ["minor", "minor", pd.NA], "authority": ["gemeente", pd.NA, "gewest"],
         "bearing_deg": [12.5, 270.0, float("nan")], "placed_on": ["2025-04-01", pd.NA, "2024-12-31"],
         "note": ["=bij de kerk", "+ nieuw", pd.NA], "ref": [pd.NA, pd.NA, "N9"], "site_id": ["s1", "s2", pd.NA]},
        geometry=[pt(10.25, 5), pt(100, 50.5), pt(190, 95)], crs=WORKING_CRS)


def _put_members(ws: Workspace, frame: gpd.GeoDataFrame) -> None:
    """Test seeding: the members layer made ``frame`` record by record (a member may lack a point)."""
    with ws.transaction() as con:
        _records.ensure_table(con, "members")
        con.execute("DELETE FROM members")
        for _, row in frame.iterrows():
            values = {k: (None if pd.isna(row[k]) else row[k]) for k in LAYERS["members"].columns}
            _records.insert(con, "members", values,
                            geometry=row.geometry if isinstance(row.geometry, shapely.Geometry) else None)


@pytest.fixture
def ws(tmp_path: Path, two_squares) -> Workspace:
    workspace = make_ws(tmp_path, two_squares)
    workspace.write({"infoborden": _signs()})
    _put_members(workspace, _members())
    return workspace


def _same(before: gpd.GeoDataFrame, after: gpd.GeoDataFrame, key: str) -> None:
    same_layer(before, after, key, tolerance_m=TOLERANCE_M)


def _exported_csv(ws: Workspace, layer: str, path: Path) -> pd.DataFrame:
    """``layer`` exported to the CSV ``path`` and read back as text, to edit and write back."""
    export_layer(ws, layer, path)
    return pd.read_csv(path, dtype=str)


def _audited(ws: Workspace, source: str) -> dict[str, set[str]]:
    log = ws.read("audit_log")
    lines = log[log["detail"] == f"import uit {source}"]
    return {action: {i for ids in lines.loc[lines["action"] == action, "subject_ids"] for i in ids.split(",")}
            for action in lines["action"].unique()}


@pytest.mark.parametrize("suffix", FORMATS)
def test_members_export_then_import_gives_the_same_layer(ws: Workspace, tmp_path: Path, suffix: str) -> None:
    before = ws.read("members")
    path = tmp_path / "uit" / f"leden{suffix}"
    path.parent.mkdir()
    assert export_layer(ws, "members", path) == 4
    # the workspace changes after the export: one person changed, one erased, one new; the file brings back the
    # first two and keeps the new one (missing from the file, but an import never erases by omission)
    changed = before.copy()
    changed.loc[changed["member_id"] == "m-002", "status"] = "goedgekeurd"
    changed = changed[changed["member_id"] != "m-003"]
    new = _members(5).iloc[[4]]
    changed = pd.concat([changed, new])
    _put_members(ws, gpd.GeoDataFrame(changed, crs=WORKING_CRS))
    report = import_file(ws, "members", path, actor=STAFF)
    _same(gpd.GeoDataFrame(pd.concat([before, new]), crs=WORKING_CRS), ws.read("members"), "member_id")
    assert report.kept == 4
    assert any("1 nieuw, 1 gewijzigd, 2 ongewijzigd, 0 gewist" in note for note in report.notes)
    assert any("1 lid staat niet in het bestand en is behouden" in note and "--remove-missing" in note
               for note in report.notes)
    assert _audited(ws, f"leden{suffix}") == {"aangemaakt": {"m-003"}, "gewijzigd": {"m-002"}}


@pytest.mark.parametrize("suffix", FORMATS)
def test_an_unchanged_export_changes_nothing(ws: Workspace, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"leden{suffix}"
    export_layer(ws, "members", path)
    fids = ws.read("members", columns=["member_id"]).index.tolist()
    report = import_file(ws, "members", path, actor=STAFF)
    assert any("0 nieuw, 0 gewijzigd, 4 ongewijzigd, 0 gewist" in note for note in report.notes)
    assert _audited(ws, f"leden{suffix}") == {}
    assert ws.read("members", columns=["member_id"]).index.tolist() == fids  # no row rewritten


def test_a_point_moved_by_less_than_a_millimetre_is_unchanged(ws: Workspace, tmp_path: Path) -> None:
    moved = ws.read("members")
    moved["geometry"] = moved.geometry.translate(0.0004, 0)
    moved.loc[moved["member_id"] == "m-001", "geometry"] = pt(100, 100)
    path = tmp_path / "leden.gpkg"
    moved.to_file(path, layer="members", driver="GPKG")
    report = import_file(ws, "members", path, actor=STAFF)
    assert any("0 nieuw, 1 gewijzigd, 3 ongewijzigd" in note for note in report.notes)
    assert _audited(ws, "leden.gpkg") == {"gewijzigd": {"m-001"}}


def test_people_missing_from_the_file_are_kept_unless_remove_missing(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "leden.csv"
    table = _exported_csv(ws, "members", path)
    table[table["member_id"] != "m-004"].to_csv(path, index=False)
    report = import_file(ws, "members", path, actor=STAFF)
    assert "m-004" in set(ws.read("members")["member_id"])
    assert any("1 lid staat niet in het bestand en is behouden" in note for note in report.notes)
    assert "verwijderd" not in set(ws.read("audit_log")["action"])
    report = import_file(ws, "members", path, actor=STAFF, remove_missing=True)
    assert sorted(ws.read("members")["member_id"]) == ["m-001", "m-002", "m-003"]
    assert any("0 nieuw, 0 gewijzigd, 3 ongewijzigd, 1 gewist" in note for note in report.notes)
    assert not any("behouden" in note for note in report.notes)
    assert _audited(ws, "leden.csv") == {"verwijderd": {"m-004"}}


def test_members_from_excel_keep_their_workflow_fields(ws: Workspace, tmp_path: Path) -> None:
    before = ws.read("members")
    csv = tmp_path / "leden.csv"
    export_layer(ws, "members", csv)
    excel = tmp_path / "leden.xlsx"
    pd.read_csv(csv, dtype=str).to_excel(excel, index=False)
    import_file(ws, "members", excel)
    _same(before, ws.read("members"), "member_id")


def test_wrong_workflow_values_are_listed_in_one_dutch_error(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "leden.csv"
    table = _exported_csv(ws, "members", path)
    table.loc[0, "status"] = "baas"
    table.loc[1, "screened_on"] = "gisteren"
    table.loc[2, "group_id"] = "G9"
    table.to_csv(path, index=False)
    before = ws.read("members")
    with pytest.raises(InputError) as err:
        import_file(ws, "members", path)
    text = str(err.value) + "\n".join(err.value.problems)
    assert "onbekende status op regels 2" in text and "kolom screened_on: geen datum op regels 3" in text
    assert "onbekende groep op regels 4" in text
    _same(before, ws.read("members"), "member_id")


def test_a_members_file_that_erases_most_people_stops_unless_forced(ws: Workspace, tmp_path: Path) -> None:
    _put_members(ws, _members(12))
    path = tmp_path / "leden.geojson"
    export_layer(ws, "members", path)
    few = gpd.read_file(path).head(3)
    few.to_file(path, driver="GeoJSON")
    import_file(ws, "members", path)  # without remove_missing nobody is erased: no guard needed
    assert len(ws.read("members")) == 12
    with pytest.raises(InputError) as err:
        import_file(ws, "members", path, remove_missing=True)
    assert "--force" in str(err.value)
    assert len(ws.read("members")) == 12
    import_file(ws, "members", path, remove_missing=True, force=True)
    assert sorted(ws.read("members")["member_id"]) == ["m-001", "m-002", "m-003"]


def test_importing_members_is_for_staff(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "leden.gpkg"
    export_layer(ws, "members", path)
    with pytest.raises(PermissionDenied):
        prepare_import(ws, "members", path, actor=CO1)
    assert audit.CLI_ACTOR  # the command line acts as staff


@pytest.mark.parametrize("suffix", FORMATS)
def test_infoborden_export_then_import_gives_the_same_layer(ws: Workspace, tmp_path: Path, suffix: str) -> None:
    before = ws.read("infoborden")
    path = tmp_path / f"borden{suffix}"
    assert export_layer(ws, "infoborden", path) == 3
    ws.write({"infoborden": before.assign(status="gepland", placed_on=pd.NA)})
    report = import_file(ws, "infoborden", path)
    assert report.kept == 3
    _same(before, ws.read("infoborden"), "sign_id")


def test_infoborden_from_csv_with_lon_lat_only(ws: Workspace, tmp_path: Path) -> None:
    before = ws.read("infoborden")
    path = tmp_path / "borden.csv"
    _exported_csv(ws, "infoborden", path).drop(columns=["x", "y"]).to_csv(path, index=False)
    import_file(ws, "infoborden", path)
    after = ws.read("infoborden").sort_values("sign_id").reset_index(drop=True)
    assert float(before.geometry.distance(after.geometry).max()) < 0.02  # lon/lat with 7 decimals: about 1 cm
    assert after["placed_on"].tolist()[0] == "2025-04-01"


def test_wrong_signs_are_listed_in_one_dutch_error(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "borden.csv"
    table = _exported_csv(ws, "infoborden", path)
    table.loc[0, "status"] = "weg"
    table.loc[1, "group_ids"] = "G1,G7"
    table.loc[2, ["x", "y", "lon", "lat"]] = ""
    table.loc[2, "placed_on"] = "31/02/2024"
    table.to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        import_file(ws, "infoborden", path)
    problems = "\n".join(err.value.problems)
    assert "onbekende status bij de borden b1" in problems
    assert "onbekende groep bij de borden b2" in problems
    assert "geen punt bij de borden b3" in problems and "placed_on is geen datum bij de borden b3" in problems
    assert len(ws.read("infoborden")) == 3


def test_an_infoborden_file_that_drops_most_signs_stops_unless_forced(ws: Workspace, tmp_path: Path) -> None:
    many = gpd.GeoDataFrame({"sign_id": [f"b{i}" for i in range(12)], "group_ids": "G1", "status": "gepland"},
                            geometry=[pt(10 + i, 10) for i in range(12)], crs=WORKING_CRS)
    ws.write({"infoborden": many})
    path = tmp_path / "borden.gpkg"
    export_layer(ws, "infoborden", path)
    few = gpd.read_file(path).head(2)
    few.to_file(path, driver="GPKG", layer="infoborden")
    with pytest.raises(InputError, match="--force"):
        import_file(ws, "infoborden", path)
    import_file(ws, "infoborden", path, force=True)
    assert len(ws.read("infoborden")) == 2
    assert shapely.equals(ws.read("infoborden").geometry.iloc[0], pt(10, 10))


def test_members_and_infoborden_round_trip_on_both_backends(new_location, tmp_path: Path, two_squares) -> None:
    """The same export → import on the GeoPackage and the PostGIS store (record writes, erasure, audit)."""
    ws = make_ws(new_location("rt"), two_squares)
    ws.write({"infoborden": _signs()})
    _put_members(ws, _members())
    members, signs = ws.read("members"), ws.read("infoborden")
    export_layer(ws, "members", tmp_path / "leden.geojson")
    export_layer(ws, "infoborden", tmp_path / "borden.csv")
    _put_members(ws, _members(5).iloc[[0, 4]])
    ws.write({"infoborden": signs.iloc[[0]]})
    import_file(ws, "members", tmp_path / "leden.geojson", actor=STAFF, remove_missing=True)
    import_file(ws, "infoborden", tmp_path / "borden.csv")
    _same(members, ws.read("members"), "member_id")
    _same(signs, ws.read("infoborden"), "sign_id")


def test_cli_exports_and_imports_infoborden_and_members(ws: Workspace, tmp_path: Path) -> None:
    signs, members = ws.read("infoborden"), ws.read("members")
    runner = CliRunner()
    for kind, file in (("infoborden", "borden.shp"), ("members", "leden.kml")):
        result = runner.invoke(main, ["--workspace", str(ws.path), "export", kind, str(tmp_path / file)])
        assert result.exit_code == 0, result.output
    ws.write({"infoborden": signs.assign(note=pd.NA)})
    for kind, file in (("infoborden", "borden.shp"), ("members", "leden.kml")):
        result = runner.invoke(main, ["--workspace", str(ws.path), "import", kind, str(tmp_path / file)])
        assert result.exit_code == 0, result.output
    _same(signs, ws.read("infoborden"), "sign_id")
    _same(members, ws.read("members"), "member_id")
    result = runner.invoke(main, ["--workspace", str(ws.path), "import", "infoborden", str(tmp_path / "borden.shp"),
                                  "-c", "id=CODE"])
    assert result.exit_code != 0 and "id" in result.output


def test_cli_remove_missing_erases_only_when_asked(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "leden.csv"
    table = _exported_csv(ws, "members", path)
    table[table["member_id"] != "m-002"].to_csv(path, index=False)
    runner = CliRunner()
    command = ["--workspace", str(ws.path), "import", "members", str(path)]
    result = runner.invoke(main, command)
    assert result.exit_code == 0, result.output
    assert "1 lid staat niet in het bestand en is behouden" in result.output
    assert "m-002" in set(ws.read("members")["member_id"])
    result = runner.invoke(main, [*command, "--remove-missing"])
    assert result.exit_code == 0, result.output
    assert "1 gewist" in result.output
    assert "m-002" not in set(ws.read("members")["member_id"])
