"""Stored signs, status changes, boundary changes, exports and the ``buurtkaart infoborden`` commands.

The drawable town: group G1 is the square (0,0)-(100,100); Westweg comes in from the west at y=50, Noordweg from
the north at x=50; four homes.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from buurtkaart.cli import main
from buurtkaart.errors import InputError, NotFound
from buurtkaart.infoborden import plan_infoborden
from buurtkaart.infoborden.changes import compare_signs, save_plan, set_status
from buurtkaart.infoborden.export import export_bytes, write_export
from buurtkaart.schema import WORKING_CRS
from tests.conftest import X0, Y0, pt, square


def _line(*xy) -> shapely.LineString:
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in xy])


def _groups(polygon) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]}, geometry=[polygon], crs=WORKING_CRS)


@pytest.fixture
def town(store_workspace):
    """The drawable town on each backend (GeoPackage, PostGIS)."""
    streets = gpd.GeoDataFrame(
        {"street_id": [1, 2], "name": ["Westweg", "Noordweg"], "road_class": ["minor", "minor"],
         "ref": [pd.NA, "N9"], "authority": ["gemeente", "gewest"]},
        geometry=[_line((-300, 50), (50, 50)), _line((50, 50), (50, 400))], crs=WORKING_CRS)
    addresses = gpd.GeoDataFrame(
        {"address_id": ["a1", "a2", "a3", "a4"], "street": ["Westweg"] * 3 + ["Noordweg"],
         "housenumber": [1, 2, 3, 1], "postcode": ["1730"] * 4},
        geometry=[pt(20, 55), pt(30, 45), pt(40, 55), pt(55, 80)], crs=WORKING_CRS)
    store_workspace.write({"groups": _groups(square(0, 0)), "streets": streets, "addresses": addresses})
    return store_workspace


def test_saved_plan_gets_status_and_a_placed_date(town):
    plan = plan_infoborden(town.read("groups"), town.read("streets"), town.read("addresses"))
    save_plan(town, plan.sites)
    stored = town.read("infoborden")
    assert len(stored) == 2 and set(stored["status"]) == {"gepland"}
    first = stored["sign_id"].iloc[0]
    set_status(town, [first], "geplaatst", placed_on="2026-03-01")
    stored = town.read("infoborden").set_index("sign_id")
    assert stored.loc[first, "status"] == "geplaatst" and stored.loc[first, "placed_on"] == "2026-03-01"
    # a new plan replaces planned signs but keeps the placed one (matched and fixed)
    again = plan_infoborden(town.read("groups"), town.read("streets"), town.read("addresses"),
                            existing=town.read("infoborden"))
    save_plan(town, again.sites)
    stored = town.read("infoborden").set_index("sign_id")
    assert len(stored) == 2 and stored.loc[first, "status"] == "geplaatst"


def test_unknown_sign_or_status_changes_nothing(town):
    plan = plan_infoborden(town.read("groups"), town.read("streets"))
    save_plan(town, plan.sites)
    before = town.read("infoborden")
    with pytest.raises(NotFound):
        set_status(town, ["IB-bestaat-niet"], "geplaatst")
    with pytest.raises(InputError):
        set_status(town, [before["sign_id"].iloc[0]], "weg")
    with pytest.raises(InputError):
        set_status(town, [before["sign_id"].iloc[0]], "geplaatst", placed_on="1 maart")
    pd.testing.assert_frame_equal(town.read("infoborden"), before)


def test_boundary_change_lists_signs_to_move_obsolete_and_missing(town):
    streets = town.read("streets")
    old = plan_infoborden(town.read("groups"), streets)
    save_plan(town, old.sites)
    # the area grows 40 m westwards: the Westweg sign moves 40 m, the Noordweg sign stays
    moved = compare_signs(town.read("infoborden"), plan_infoborden(_groups(shapely.box(
        X0 - 40, Y0, X0 + 100, Y0 + 100)), streets).sites)
    assert sorted(moved["change"]) == ["ok", "verplaatsen"]
    assert moved.loc[moved["change"] == "verplaatsen", "distance_m"].iloc[0] == pytest.approx(40, abs=1)
    # the area shrinks to the south-east corner: Westweg no longer enters; a new road does
    corner = _groups(shapely.box(X0 + 60, Y0, X0 + 100, Y0 + 100))
    extra = pd.concat([streets, gpd.GeoDataFrame(
        {"street_id": [3], "name": ["Zuidweg"], "road_class": ["minor"]},
        geometry=[_line((80, -300), (80, 20))], crs=WORKING_CRS)], ignore_index=True)
    diff = compare_signs(town.read("infoborden"), plan_infoborden(corner, extra).sites)
    kinds = dict(zip(diff["change"], diff["description"], strict=False))
    assert {"overbodig", "ontbreekt"} <= set(kinds)
    assert "weghalen" in kinds["overbodig"] and "nieuw bord" in kinds["ontbreekt"]


def test_exports_carry_every_site_with_its_reason(town, tmp_path):
    plan = plan_infoborden(town.read("groups"), town.read("streets"), town.read("addresses"))
    csv = export_bytes(plan.sites, "csv").decode("utf-8").splitlines()
    assert len(csv) == 3 and "reden" in csv[0] and "AWV" in csv[0]
    assert any("vergunning van AWV" in line for line in csv[1:])  # Noordweg is the N9
    geo = json.loads(export_bytes(plan.sites, "geojson"))
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    assert 2.5 < lon < 6.5 and 49.4 < lat < 51.6
    assert {f["properties"]["road_name"] for f in geo["features"]} == {"Westweg", "Noordweg"}
    gpx = ET.fromstring(export_bytes(plan.sites, "gpx"))
    assert len(gpx.findall("{http://www.topografix.com/GPX/1/1}wpt")) == 2
    pdf = write_export(plan.sites, tmp_path / "werkbon.pdf", streets=town.read("streets"), groups=town.read("groups"))
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
    with pytest.raises(InputError):
        export_bytes(plan.sites, "docx")


def test_command_line_plan_save_status_and_changes(town, tmp_path):
    runner = CliRunner()
    ws = ["-w", str(town.path)]
    out = tmp_path / "plan.csv"
    result = runner.invoke(main, [*ws, "infoborden", "plan", "--mode", "budget", "--budget", "1",
                                  "--distance-m", "40", "-o", str(out), "--save"])
    assert result.exit_code == 0, result.output
    assert "Westweg" in result.output and out.exists()
    sign = town.read("infoborden")["sign_id"].iloc[0]
    result = runner.invoke(main, [*ws, "infoborden", "status", sign, "--status", "geplaatst"])
    assert result.exit_code == 0 and town.read("infoborden")["status"].iloc[0] == "geplaatst"
    listed = runner.invoke(main, [*ws, "infoborden", "list", "--json"])
    assert json.loads(listed.output)[0]["status"] == "geplaatst"
    changes = runner.invoke(main, [*ws, "infoborden", "changes"])
    assert changes.exit_code == 0 and "1 ontbrekend" in changes.output and "1 in orde" in changes.output
    bad = runner.invoke(main, [*ws, "infoborden", "plan", "--mode", "budget"])
    assert bad.exit_code == 1 and "--budget" in bad.output


def test_every_text_key_used_by_infoborden_exists():
    import re
    from pathlib import Path

    from buurtkaart.infoborden.changes import CHANGES
    from buurtkaart.infoborden.export import FORMATS
    from buurtkaart.texts import catalogue
    from buurtkaart.vocabulary import PLAN_MODES as MODES

    root = Path(__file__).resolve().parents[1]
    files = [*(root / "buurtkaart" / "infoborden").glob("*.py"), root / "buurtkaart" / "cli" / "infobord_cmds.py",
             root / "buurtkaart" / "maps" / "infoborden.py", root / "app_pages" / "staff_infoborden.py"]
    used = {key for f in files for key in re.findall(r"""["'](infoborden\.[a-z_.\-]+)["']""", f.read_text())}
    used |= {f"infoborden.mode.{m}" for m in MODES} | {f"infoborden.change.{c}" for c in CHANGES}
    used |= {f"infoborden.page.download_{f}" for f in FORMATS}
    used.discard("infoborden.json")  # the name of the reference file, not a text
    missing = sorted(k for k in used if k not in catalogue())
    assert not missing and len(used) > 40


def test_saved_plan_keeps_every_stored_signs_status_date_and_note(town):
    plan = plan_infoborden(town.read("groups"), town.read("streets"), town.read("addresses"))
    save_plan(town, plan.sites)
    stored = town.read("infoborden")
    placed, planned = stored["sign_id"].iloc[0], stored["sign_id"].iloc[1]
    set_status(town, [placed], "geplaatst", placed_on="2026-03-01")
    layer = town.read("infoborden")
    layer.loc[layer["sign_id"] == placed, "note"] = "paal van de gemeente"
    layer.loc[layer["sign_id"] == planned, "note"] = "eerst met de buren bespreken"
    extra = layer.iloc[[0]].copy()  # a sign placed by hand at no planned site, marked for removal
    extra[["sign_id", "status", "placed_on", "site_id"]] = ["IB-oud", "te_verwijderen", "2020-05-01", pd.NA]
    extra["geometry"] = [pt(-200, -200)]
    town.write({"infoborden": pd.concat([layer, extra], ignore_index=True)})
    before = town.read("infoborden").set_index("sign_id")

    again = plan_infoborden(town.read("groups"), town.read("streets"), town.read("addresses"),
                            existing=town.read("infoborden"))
    saved = save_plan(town, again.sites)
    after = town.read("infoborden").set_index("sign_id")
    for sign_id in (placed, "IB-oud"):  # placed or to remove: exactly as stored (the plan only links a site)
        pd.testing.assert_series_equal(after.loc[sign_id].drop("site_id"), before.loc[sign_id].drop("site_id"))
    assert after.loc[planned, ["status", "note"]].tolist() == ["gepland", "eerst met de buren bespreken"]
    assert set(saved.kept) == {placed, planned, "IB-oud"} and saved.added == [] and saved.removed == []
    assert "3 bewaarde borden behouden" in saved.summary()
