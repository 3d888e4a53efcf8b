"""``buurtkaart copy``: a whole workspace GeoPackage → (GeoPackage | PostGIS) → GeoPackage without loss."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner
from geopandas.testing import assert_geodataframe_equal

from buurtkaart.cli import main
from buurtkaart.members import accounts, membership
from buurtkaart.schema import LAYERS
from buurtkaart.workspace import Workspace
from tests.members_helpers import POLICE, apply, make_ws


def test_round_trip_keeps_every_layer_row_and_column(tmp_path, new_location, two_squares):
    source = make_ws(tmp_path, two_squares)
    source.write({"groups": two_squares.assign(colour=["rood", "blauw"])})
    receipt = apply(source)
    apply(source, "Ooststraat 4", name="Mia Claes")
    membership.screen(source, POLICE, receipt.member_id, approved=True)
    accounts.create_user(source, "an", "een-lang-wachtwoord", role="staff")
    middle, back = new_location("midden"), str(tmp_path / "terug.gpkg")

    there = CliRunner().invoke(main, ["copy", str(source.path), middle])
    assert there.exit_code == 0, there.output
    assert "members" in there.output and "audit_log" in there.output
    again = CliRunner().invoke(main, ["copy", str(source.path), middle])
    assert again.exit_code == 1 and "--overwrite" in again.output
    home = CliRunner().invoke(main, ["copy", middle, back])
    assert home.exit_code == 0, home.output

    original, returned = Workspace.open(source.path), Workspace.open(back)
    assert returned.metadata == original.metadata
    assert sorted(original.layer_names()) == sorted(returned.layer_names())
    for name in original.layer_names():
        a, b = original.read(name), returned.read(name)
        if name == "audit_log":  # the second copy recorded itself in the middle workspace's log
            assert list(b["action"].iloc[len(a):]) == ["geexporteerd"]
            b = b.iloc[: len(a)]
        added = set(b.columns) - set(a.columns)  # optional schema columns the source never stored: empty
        assert added <= set(LAYERS[name].columns) and all(b[c].isna().all() for c in added), (name, added)
        b = b[list(a.columns)]
        if "geometry" in a.columns and len(a):
            assert_geodataframe_equal(a, b)
        else:
            pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b)[list(a.columns)], check_dtype=False)
    assert len(returned.read("members")) == 2 and list(returned.read("groups")["colour"]) == ["rood", "blauw"]


def test_copy_onto_itself_is_refused(tmp_path, two_squares):
    source = make_ws(tmp_path, two_squares)
    result = CliRunner().invoke(main, ["copy", str(source.path), str(source.path), "--overwrite"])
    assert result.exit_code == 1 and "dezelfde werkruimte" in result.output
