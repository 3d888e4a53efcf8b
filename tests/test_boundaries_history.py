"""Versions of the group areas: save, list, compare, restore (a round trip gives back exactly the old state)."""

from __future__ import annotations

import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from buurtkaart.boundaries import (
    assign_to_groups,
    compare_versions,
    latest_version,
    list_versions,
    read_version,
    replace_group,
    restore_version,
    save_groups,
)
from buurtkaart.errors import InputError, NotFound, SchemaError, WorkspaceError
from tests import boundaries_town as town


@pytest.fixture
def ws(store_workspace):
    """Boundary versions run on both backends (GeoPackage and PostGIS)."""
    store_workspace.write({"groups": town.groups(), "addresses": town.addresses()})
    return store_workspace


def moved_border(groups):
    edited = replace_group(groups, "G1", shapely.box(town.X0, town.Y0, town.X0 + 240.123456789, town.Y0 + 200))
    return replace_group(edited, "G2", shapely.box(town.X0 + 240.123456789, town.Y0, town.X0 + 400, town.Y0 + 200))


def test_first_save_keeps_the_state_it_replaces(ws):
    original = ws.read("groups")
    version = save_groups(ws, moved_border(original), author="an", reason="grens verlegd", effective_on="2027-01-01")
    assert version == 2
    versions = list_versions(ws)
    assert versions["version_id"].tolist() == [2, 1]
    assert versions["author"].tolist() == ["an", "systeem"]
    assert versions.loc[0, "effective_on"] == "2027-01-01" and versions.loc[0, "reason"] == "grens verlegd"
    assert_geodataframe_equal(read_version(ws, 1), original, check_less_precise=False)


def test_restore_round_trip_gives_back_exact_polygons_and_assignments(ws):
    original = ws.read("groups")
    addresses = ws.read("addresses")
    before = assign_to_groups(addresses.geometry.values, original)[0]
    save_groups(ws, moved_border(original), author="an", reason="grens verlegd")
    edited = ws.read("groups")
    assert not assign_to_groups(addresses.geometry.values, edited)[0].equals(before)
    new_id = restore_version(ws, 1, author="bert")
    assert new_id == 3 and latest_version(ws) == 3
    restored = ws.read("groups")
    assert_geodataframe_equal(restored, original)
    assert all(shapely.equals_exact(a, b, tolerance=0) for a, b in zip(restored.geometry, original.geometry,
                                                                          strict=True))
    assert assign_to_groups(addresses.geometry.values, restored)[0].equals(before)
    log = list_versions(ws)
    assert log.loc[0, "restored_from"] == 1 and "1" in log.loc[0, "reason"]
    # nothing was overwritten: version 2 is still there, exactly
    assert_geodataframe_equal(read_version(ws, 2), edited)


def test_compare_two_versions(ws):
    save_groups(ws, moved_border(ws.read("groups")), author="an", reason="grens verlegd")
    diff = compare_versions(ws, 1, 2).set_index("group_id")
    assert diff["change"].to_dict() == {"G1": "changed", "G2": "changed"}
    assert diff.loc["G1", "area_after_ha"] > diff.loc["G1", "area_before_ha"]
    assert diff.geometry["G1"].area == pytest.approx(40.123456789 * 200)


def test_refused_saves_leave_the_workspace_unchanged(ws):
    token = ws.version_token
    with pytest.raises(InputError) as err:
        save_groups(ws, ws.read("groups"), author=" ", reason="", effective_on="31/12/2027")
    assert len(err.value.problems) == 3
    bad = ws.read("groups")
    bad.loc[0, "geometry"] = town.poly((0, 0), (100, 100), (100, 0), (0, 100))
    with pytest.raises(SchemaError):
        save_groups(ws, bad, author="an", reason="x")
    assert ws.version_token == token and latest_version(ws) == 0
    with pytest.raises(NotFound):
        read_version(ws, 7)


def test_a_save_from_a_stale_version_is_refused(ws):
    save_groups(ws, moved_border(ws.read("groups")), author="an", reason="eerste", expected_version=0)
    with pytest.raises(WorkspaceError):
        save_groups(ws, ws.read("groups"), author="bert", reason="tweede", expected_version=0)
    assert latest_version(ws) == 2


def test_extra_group_columns_survive_a_round_trip(ws):
    groups = ws.read("groups")
    groups["coordinator"] = ["an", None]
    save_groups(ws, groups, author="an", reason="coördinatoren")
    assert read_version(ws, 2)["coordinator"].tolist()[0] == "an"


def test_members_follow_the_new_border_and_back_after_restore(ws):
    import geopandas as gpd

    from tests.conftest import pt

    members = gpd.GeoDataFrame(
        {"member_id": ["m1", "m2"], "name": ["An", "Bo"], "address_text": ["Dorpstraat 21", "Dorpstraat 1"],
         "status": ["lid", "lid"], "group_id": ["G2", "G1"], "assign_status": ["toegewezen", "toegewezen"]},
        geometry=[pt(210, 85), pt(10, 85)], crs="EPSG:31370")
    from buurtkaart.workspace import conform
    from tests.members_helpers import seed

    seed(ws, {"members": conform("members", members)})  # seeding only: the library never replaces members whole
    save_groups(ws, moved_border(ws.read("groups")), author="an", reason="grens verlegd")
    stored = ws.read("members").set_index("member_id")
    assert stored.loc["m1", "group_id"] == "G1" and stored.loc["m2", "group_id"] == "G1"
    log = ws.read("audit_log")
    assert log["subject_ids"].iloc[-1] == "m1" and log["action"].iloc[-1] == "gewijzigd"
    restore_version(ws, 1, author="bert")
    assert ws.read("members").set_index("member_id").loc["m1", "group_id"] == "G2"
