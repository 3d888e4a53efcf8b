"""Roads beyond the municipal border, on a town you can draw.

Teststad is the two squares x 0..200, y 0..100; group G1 is its west square, so G1's west edge is the municipal
border. The Steenweg (N9) comes from 1.3 km west of the border and runs 50 m into G1: most of it lies outside, so
it is no street of Teststad, but it is the way into G1; so is the Veldweg, 200 m outside and 40 m inside. The
Hoekweg (mostly inside, a street of Teststad) leaves G1 westwards and stops 60 m beyond the border: a dead end
outside, no entry. The Verre Weg lies 2 km away: beyond the 1 km margin.

    y
    100 +---------+---------+
        |  Hoekweg|         |
  ....--+--       |   G2    |
  Steenweg---     |         |
      0 +---------+---------+
        0        100       200  x
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from buurtkaart.cli import main
from buurtkaart.importers import import_file, read_street_network, read_streets
from buurtkaart.infoborden import entry_roads, find_entries
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import pt, square
from tests.test_importers import municipalities, write_gpkg


def _roads() -> gpd.GeoDataFrame:
    lines = {
        "Steenweg": ([(-1300, 50), (-300, 50), (0, 50), (50, 50)], "primary", "N9"),
        "Dorpstraat": ([(50, 50), (50, 90), (190, 90)], "residential", None),
        "Hoekweg": ([(-60, 20), (0, 20), (30, 20), (50, 50)], "residential", None),
        "Kerkstraat": ([(50, 10), (190, 10)], "residential", None),
        "Veldweg": ([(-200, 80), (0, 80), (40, 80)], "residential", None),
        "Verre Weg": ([(-2500, 50), (-2100, 50)], "residential", None),
    }
    return gpd.GeoDataFrame({"name": list(lines), "highway": [c for _, c, _ in lines.values()],
                             "ref": [r for *_, r in lines.values()]},
                            geometry=[shapely.LineString([pt(*xy) for xy in c]) for c, *_ in lines.values()],
                            crs=WORKING_CRS)


@pytest.fixture
def town(tmp_path: Path) -> Workspace:
    from buurtkaart.importers import setup_workspace

    boundary = write_gpkg(tmp_path / "gemeenten.gpkg", municipalities(), layer="municipalities")
    ws, _ = setup_workspace(boundary, tmp_path / "teststad.gpkg", municipality="11001")
    groups = gpd.GeoDataFrame({"group_id": ["G1", "G2"], "name": ["West", "Oost"]},
                              geometry=[square(0, 0), square(100, 0)], crs=WORKING_CRS)
    import_file(ws, "groups", write_gpkg(tmp_path / "groepen.gpkg", groups))
    return ws


def test_the_street_import_keeps_the_roads_beyond_the_border_apart(town: Workspace, tmp_path: Path) -> None:
    path = write_gpkg(tmp_path / "wegen.gpkg", _roads(), layer="roads")
    streets, outside, report = read_street_network(path, workspace=town)
    assert sorted(set(streets["name"])) == ["Dorpstraat", "Hoekweg", "Kerkstraat"]  # Hoekweg: mostly inside
    assert sorted(set(outside["name"])) == ["Steenweg", "Veldweg"]  # the Verre Weg is beyond the 1 km margin
    assert outside.geometry.distance(square(0, 0)).max() <= 1_000.0 + 1e-6
    steenweg = outside[outside["name"] == "Steenweg"]
    assert steenweg.geometry.length.sum() == pytest.approx(1_000.0 + 50.0)  # cut at the margin
    assert (steenweg["authority"] == "gewest").all()
    assert outside["street_id"].min() == streets["street_id"].max() + 1
    assert any("apart bewaard" in n for n in report.notes)
    assert read_streets(path, workspace=town)[0]["street_id"].tolist() == streets["street_id"].tolist()
    import_file(town, "streets", path)
    assert len(town.read("streets")) == len(streets) and len(town.read("streets_outside")) == len(outside)


def test_a_road_that_continues_outside_is_an_entry_and_a_dead_end_outside_is_not(town: Workspace,
                                                                                   tmp_path: Path) -> None:
    import_file(town, "streets", write_gpkg(tmp_path / "wegen.gpkg", _roads(), layer="roads"))
    groups = town.read("groups")
    only_streets = find_entries(groups, town.read("streets"))
    assert "Steenweg" not in set(only_streets["road_name"])  # without the roads outside: missed
    entries = find_entries(groups, entry_roads(town))
    west = entries[entries["group_id"] == "G1"]
    assert west["road_name"].tolist().count("Steenweg") == 1
    assert "Hoekweg" not in set(entries["road_name"])  # a dead end 60 m outside
    assert "Veldweg" in set(entries["road_name"])  # it runs on 200 m outside
    steenweg = west[west["road_name"] == "Steenweg"].iloc[0]
    assert steenweg["ref"] == "N9" and steenweg["authority"] == "gewest"
    assert steenweg.geometry.distance(pt(10, 50)) < 0.5
    # the entries on the municipality's own streets are the same with or without the roads outside
    own = set(only_streets["road_name"])
    assert own <= set(entries["road_name"])
    pd.testing.assert_frame_equal(
        only_streets.loc[only_streets["road_name"].isin(own), ["group_id", "road_name", "n_crossings"]]
        .reset_index(drop=True),
        entries.loc[entries["road_name"].isin(own), ["group_id", "road_name", "n_crossings"]].reset_index(drop=True))


def test_the_command_line_plan_uses_the_roads_beyond_the_border(town: Workspace, tmp_path: Path) -> None:
    import_file(town, "streets", write_gpkg(tmp_path / "wegen.gpkg", _roads(), layer="roads"))
    result = CliRunner().invoke(main, ["--workspace", str(town.path), "infoborden", "plan", "--json"])
    assert result.exit_code == 0, result.output
    import json

    table = json.loads(result.output)["table"]
    assert any(row["road_name"] == "Steenweg" and "G1" in row["group_ids"] for row in table)


def test_a_workspace_without_roads_outside_reads_its_streets_only(town: Workspace, tmp_path: Path) -> None:
    town.write({"streets": read_streets(write_gpkg(tmp_path / "w.gpkg", _roads(), layer="roads"),
                                        workspace=town)[0]})
    assert town.read("streets_outside").empty
    assert entry_roads(town)["name"].tolist() == town.read("streets")["name"].tolist()


def test_a_boundary_edit_keeps_the_sign_on_a_road_from_beyond_the_border(town: Workspace, tmp_path: Path) -> None:
    from buurtkaart.boundaries.edit import edit_context, preview_groups
    from buurtkaart.boundaries.impact import preview_impact
    from buurtkaart.infoborden import plan_infoborden
    from buurtkaart.infoborden.changes import save_plan

    import_file(town, "streets", write_gpkg(tmp_path / "wegen.gpkg", _roads(), layer="roads"))
    groups = town.read("groups")
    save_plan(town, plan_infoborden(groups, entry_roads(town)).sites)
    signs = town.read("infoborden")
    steenweg = signs.loc[signs["road_name"] == "Steenweg", "sign_id"].tolist()
    assert len(steenweg) == 1
    trimmed = groups.copy()
    trimmed.loc[trimmed["group_id"] == "G1", "geometry"] = shapely.box(*pt(0, 0).coords[0], *pt(100, 95).coords[0])
    ctx = edit_context(town)
    changes = preview_groups(ctx, trimmed).impact.infoborden.set_index("sign_id")["change"].to_dict()
    assert changes.get(steenweg[0]) != "overbodig"
    streets_only = preview_impact(groups, trimmed, streets=town.read("streets"), infoborden=signs)
    assert streets_only.infoborden.set_index("sign_id")["change"].to_dict()[steenweg[0]] == "overbodig"


def test_a_new_municipal_border_recomputes_the_roads_beyond_it(town: Workspace, tmp_path: Path) -> None:
    import_file(town, "streets", write_gpkg(tmp_path / "wegen.gpkg", _roads(), layer="roads"))
    before = town.read("streets_outside")
    assert before.loc[before["name"] == "Steenweg"].geometry.length.sum() == pytest.approx(1_050.0)
    boundary = write_gpkg(tmp_path / "gemeenten.gpkg", municipalities(), layer="municipalities")
    # the municipality layer replaced by one 200 m further east (Buurdorp: x 200..400): the margin moves with it
    report = import_file(town, "municipality", boundary, municipality="11002")
    after = town.read("streets_outside")
    area = town.read("municipality").geometry.iloc[0]
    assert after.geometry.distance(area).max() <= 1_000.0 + 1e-6
    steenweg = after.loc[after["name"] == "Steenweg"]
    assert steenweg.geometry.length.sum() == pytest.approx(850.0)  # x -800..50: cut at the new margin
    assert after["street_id"].min() == town.read("streets")["street_id"].max() + 1 and after["street_id"].is_unique
    assert any("herberekend" in note for note in report.notes)


def test_a_new_municipal_border_without_roads_outside_writes_none(town: Workspace, tmp_path: Path) -> None:
    boundary = write_gpkg(tmp_path / "gemeenten.gpkg", municipalities(), layer="municipalities")
    report = import_file(town, "municipality", boundary, municipality="11002")
    assert town.read("streets_outside").empty and not any("herberekend" in note for note in report.notes)


def test_setup_with_another_boundary_leaves_no_stale_roads_beyond_the_border(town: Workspace,
                                                                              tmp_path: Path) -> None:
    from buurtkaart.importers import setup_workspace

    import_file(town, "streets", write_gpkg(tmp_path / "wegen.gpkg", _roads(), layer="roads"))
    assert len(town.read("streets_outside"))
    boundary = write_gpkg(tmp_path / "gemeenten.gpkg", municipalities(), layer="municipalities")
    ws, _ = setup_workspace(boundary, town.path, municipality="11002", overwrite=True)
    assert ws.read("streets_outside").empty and ws.read("streets").empty


def test_the_infobord_map_draws_the_roads_beyond_the_border_muted_with_a_legend(town: Workspace,
                                                                                tmp_path: Path) -> None:
    from buurtkaart.infoborden import plan_infoborden
    from buurtkaart.maps.infoborden import infobord_map

    import_file(town, "streets", write_gpkg(tmp_path / "wegen.gpkg", _roads(), layer="roads"))
    sites = plan_infoborden(town.read("groups"), entry_roads(town)).sites
    html = infobord_map(sites, town.read("groups"), streets=town.read("streets"),
                        roads_outside=town.read("streets_outside")).get_root().render()
    assert html.count("Wegen buiten de gemeente") >= 2  # the layer and the legend line
    assert "Steenweg" in html and '"dashArray": "4 4"' in html
    plain = infobord_map(sites, town.read("groups"), streets=town.read("streets")).get_root().render()
    assert "Wegen buiten de gemeente" not in plain and '"dashArray": "4 4"' not in plain


def test_the_work_order_map_draws_the_roads_beyond_the_border(town: Workspace, tmp_path: Path) -> None:
    from buurtkaart.infoborden import plan_infoborden
    from buurtkaart.infoborden.export import export_bytes
    from buurtkaart.infoborden.workorder import OUTSIDE_COLOR
    from tests.pdf_helpers import pdf_content

    import_file(town, "streets", write_gpkg(tmp_path / "wegen.gpkg", _roads(), layer="roads"))
    stroke = " ".join(f"{c / 255:.4f}".rstrip("0").rstrip(".") for c in OUTSIDE_COLOR) + " RG"

    streets, groups = town.read("streets"), town.read("groups")
    sites = plan_infoborden(groups, entry_roads(town)).sites
    with_outside = export_bytes(sites, "pdf", streets=streets, groups=groups,
                                roads_outside=town.read("streets_outside"))
    without = export_bytes(sites, "pdf", streets=streets, groups=groups)
    assert with_outside.startswith(b"%PDF") and without.startswith(b"%PDF")
    assert stroke in pdf_content(with_outside)  # the Steenweg west of the border, light and dotted
    assert stroke not in pdf_content(without)


def test_a_new_border_recomputes_the_roads_outside_on_both_backends(new_location, tmp_path: Path) -> None:
    from buurtkaart.importers import setup_workspace

    boundary = write_gpkg(tmp_path / "gemeenten.gpkg", municipalities(), layer="municipalities")
    ws, _ = setup_workspace(boundary, new_location("border"), municipality="11001")
    import_file(ws, "streets", write_gpkg(tmp_path / "wegen.gpkg", _roads(), layer="roads"))
    import_file(ws, "municipality", boundary, municipality="11002")
    steenweg = ws.read("streets_outside").query("name == 'Steenweg'")
    assert steenweg.geometry.length.sum() == pytest.approx(850.0)
