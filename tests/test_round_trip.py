"""Export then import gives the same layer back, through every format that can be imported again: same rows,
suffixes, boxes, and two streets of one name in one postcode kept apart by their deelgemeente. An import that
would drop most of a layer stops unless forced."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from buurtkaart.errors import InputError
from buurtkaart.exports import export_layer
from buurtkaart.importers import import_file
from buurtkaart.importers.run import _refreshed_deelgemeenten
from buurtkaart.schema import LAYERS, WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import X0, Y0, pt, square

FORMATS = (".csv", ".gpkg", ".geojson", ".shp", ".kml")
#: GeoJSON and KML are written in EPSG:4326, CSV points as x/y with a few decimals: a few millimetres at most.
TOLERANCE_M = 0.01


def _line(*xy) -> shapely.LineString:
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in xy])


@pytest.fixture
def town(tmp_path: Path) -> Workspace:
    """Two deelgemeenten of postcode 1730, each with a Kerkstraat; 86, 86A and 86 bus 2 in the western one."""
    municipality = gpd.GeoDataFrame({"code": ["23002"], "name": ["Asse"]},
                                    geometry=[shapely.box(X0, Y0, X0 + 200, Y0 + 100)], crs=WORKING_CRS)
    parts = gpd.GeoDataFrame({"code": ["A", "Z"], "name": ["Asse", "Zellik"], "postcode": ["1730", "1730"]},
                             geometry=[square(0, 0), square(100, 0)], crs=WORKING_CRS)
    addresses = gpd.GeoDataFrame(
        {"address_id": ["a1", "a2", "a3", "a4", "a5", "a6"], "street": ["Kerkstraat"] * 5 + ["Molenweg"],
         "housenumber": [86, 86, 86, 5, 5, 1], "suffix": [pd.NA, "A", pd.NA, pd.NA, pd.NA, pd.NA],
         "box": [pd.NA, pd.NA, "2", pd.NA, pd.NA, pd.NA], "postcode": ["1730"] * 6},
        geometry=[pt(10, 10), pt(12, 10), pt(14, 10), pt(20, 20), pt(150, 20), pt(160, 50)], crs=WORKING_CRS)
    streets = gpd.GeoDataFrame(
        {"street_id": [1, 2, 3], "name": ["Kerkstraat", "Kerkstraat", "Molenweg"], "road_class": ["minor"] * 3,
         "ref": [pd.NA, pd.NA, "N9"], "authority": ["gemeente", "gemeente", "gewest"]},
        geometry=[_line((5, 15), (60, 15)), _line((120, 15), (180, 15)), _line((150, 60), (190, 60))],
        crs=WORKING_CRS)
    groups = gpd.GeoDataFrame({"group_id": ["G1", "G2"], "name": ["West", "Oost"]},
                              geometry=[square(0, 0), square(100, 0)], crs=WORKING_CRS)
    ws = Workspace.create(tmp_path / "w.gpkg", {"municipality": municipality, "deelgemeenten": parts,
                                               "addresses": addresses, "streets": streets, "groups": groups},
                          municipality="Asse")
    ws.write(_refreshed_deelgemeenten(ws, parts))
    return ws


def same_layer(before: gpd.GeoDataFrame, after: gpd.GeoDataFrame, key: str, *,
               tolerance_m: float = TOLERANCE_M) -> None:
    """The same rows (matched on ``key``), every column equal as text, points within ``tolerance_m`` (a row
    without geometry stays without); also used by tests/test_round_trip_records.py."""
    before = before.sort_values(key).reset_index(drop=True)
    after = after.sort_values(key).reset_index(drop=True)
    assert len(after) == len(before)
    for column in before.columns.drop("geometry"):
        pd.testing.assert_series_equal(after[column].astype("str"), before[column].astype("str"), obj=column)
    assert (before.geometry.isna() == after.geometry.isna()).all()
    present = before.geometry.notna()
    assert float(before.geometry[present].distance(after.geometry[present]).max()) < tolerance_m


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("kind", ["addresses", "streets", "groups"])
def test_export_then_import_gives_the_same_layer(town: Workspace, tmp_path: Path, kind: str, suffix: str) -> None:
    before = town.read(kind)
    if kind == "addresses":
        assert sorted(before["deelgemeente"].dropna()) == ["Asse"] * 4 + ["Zellik"] * 2
    path = tmp_path / f"{kind}{suffix}"
    assert export_layer(town, kind, path) == len(before)
    # a CSV of lines or polygons holds WKT without a CRS: it is the working CRS, as the export wrote it
    crs = "EPSG:31370" if suffix == ".csv" and kind != "addresses" else None
    import_file(town, kind, path, crs=crs)
    same_layer(before, town.read(kind), LAYERS[kind].key)


def test_addresses_without_ids_keep_suffixes_boxes_and_homonymous_streets(town: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "adressen.csv"
    export_layer(town, "addresses", path)
    table = pd.read_csv(path, dtype=str).drop(columns="address_id")
    table.to_csv(path, index=False)
    import_file(town, "addresses", path, force=True)  # new ids made from the addresses
    after = town.read("addresses").set_index("address_id")
    assert len(after) == 6
    assert {"1730 Kerkstraat 86", "1730 Kerkstraat 86A", "1730 Kerkstraat 86 bus 2"} <= set(after.index)
    assert after.loc["1730 Kerkstraat 5 (Zellik)", "deelgemeente"] == "Zellik"
    assert after.loc["1730 Kerkstraat 5 (Asse)", "deelgemeente"] == "Asse"


def test_a_file_that_would_drop_most_of_a_layer_stops_unless_forced(town: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "een.csv"
    pd.DataFrame({"street": ["Kerkstraat"] * 3, "housenumber": ["86"] * 3, "postcode": ["1730"] * 3,
                  "x": [X0 + 10] * 3, "y": [Y0 + 10] * 3}).to_csv(path, index=False)
    many = gpd.GeoDataFrame({"address_id": [f"v{i}" for i in range(20)], "street": "Veldweg",
                             "housenumber": range(1, 21), "postcode": "1730"},
                            geometry=[pt(50, 50)] * 20, crs=WORKING_CRS)
    town.write({"addresses": many})
    with pytest.raises(InputError) as err:
        import_file(town, "addresses", path)
    assert "20" in str(err.value) and "--force" in str(err.value)
    assert len(town.read("addresses")) == 20
    import_file(town, "addresses", path, force=True)
    assert len(town.read("addresses")) == 1


def test_member_list_csv_round_trip(tmp_path: Path, town: Workspace) -> None:
    """A member list (CSV) imported, exported and read back into another workspace gives the same people, contact
    details, addresses and groups (every format and the workflow fields: tests/test_round_trip_records.py)."""
    listing = tmp_path / "leden.csv"
    pd.DataFrame({"Naam": ["Anna Peeters", "Jan Smet"], "Telefoon": ["0470 12 34 56", ""],
                  "E-mail": ["anna@voorbeeld.be", ""], "Adres": ["Kerkstraat 86A", "Molenweg 1"]}
                 ).to_csv(listing, index=False, sep=";")
    import_file(town, "members", listing)
    export = tmp_path / "leden-export.csv"
    export_layer(town, "members", export)
    other = Workspace.create(tmp_path / "ander.gpkg", {name: town.read(name) for name in
                                                        ("municipality", "deelgemeenten", "addresses", "groups")},
                             municipality="Asse")
    import_file(other, "members", export)
    columns = ["name", "phone", "email", "address_text", "address_id", "group_id", "status"]
    before = town.read("members")[columns].sort_values("name").reset_index(drop=True)
    after = other.read("members")[columns].sort_values("name").reset_index(drop=True)
    pd.testing.assert_frame_equal(after, before)
    assert before.loc[0, "address_id"] == "a2"  # 86A, not 86
