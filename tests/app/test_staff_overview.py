"""The staff overview map: every layer, offline assets, a small payload, downloads; refused to other roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from buurtkaart.maps import overview_map, payload_bytes
from buurtkaart.texts import t
from tests.app.conftest import map_args, no_exception, open_app, texts

PAGE = "app_pages/staff_overview.py"
STATIC = Path(__file__).resolve().parents[2] / "static"
LAYERS = ["municipality", "deelgemeenten", "wijken", "streets", "groups", "infoborden", "addresses"]


def test_staff_first_screen_is_the_overview_map(app_test):
    at = app_test(role="staff")
    no_exception(at)
    assert at.title[0].value == t("app.overview.title")
    assert len(map_args(at)) == 1


def test_map_loads_every_library_from_the_app_itself(app_test):
    """No CDN: every script and stylesheet the map asks for is a file served from static/ (works offline)."""
    at = app_test(role="staff", page=PAGE)
    args = map_args(at)[0]
    links = args["js_links"] + args["css_links"]
    assert links
    for link in links:
        assert link.startswith("/app/static/vendor/"), link
        assert (STATIC / "vendor" / link.rsplit("/", 1)[-1]).is_file(), link
    assert "leaflet" in " ".join(args["js_links"])
    assert "https://" not in args["header"]


def test_map_shows_groups_streets_and_the_fictional_badge(app_test, demo_workspace):
    at = app_test(role="staff", page=PAGE)
    script = map_args(at)[0]["script"]
    groups = demo_workspace.read("groups")
    for name in groups["name"].astype(str):
        assert name in script
    assert t("maps.layer.streets") in script
    assert t("maps.layer.groups") in script
    assert t("maps.fictional_badge") in script
    assert "L.control.layers" in script


def test_group_table_lists_every_group_with_downloads(app_test, demo_workspace):
    at = app_test(role="staff", page=PAGE)
    tables = [d.value for d in at.dataframe]
    groups_table = tables[0]
    assert sorted(groups_table[t("app.overview.col.group_id")]) == sorted(demo_workspace.read("groups")["group_id"])
    assert groups_table[t("app.overview.col.households")].sum() > 0
    labels = [b.label for b in at.get("download_button")]
    assert t("app.download_map") in labels
    assert t("app.download_csv") in labels and t("app.download_geojson") in labels


def test_addresses_toggle_adds_a_clustered_layer(app_test):
    at = app_test(role="staff", page=PAGE)
    assert "markerClusterGroup" not in map_args(at)[0]["script"]
    at.toggle(key="overview_addresses").set_value(True)
    at.run()
    no_exception(at)
    assert "markerClusterGroup" in map_args(at)[0]["script"]


@pytest.mark.parametrize("role", ["coordinator", "police"])
def test_other_roles_are_refused(demo_workspace, monkeypatch, role):
    at = open_app(demo_workspace, monkeypatch, role=role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_page_itself_refuses_a_non_staff_session(demo_workspace, monkeypatch):
    """Even run directly (not through the navigation), the page checks the role itself."""
    monkeypatch.setenv("BUURTKAART_WORKSPACE", str(demo_workspace.path))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / PAGE), default_timeout=120)
    at.session_state["username"] = "demo-coordinator"
    at.run()
    no_exception(at)
    assert t("app.role_required", roles=t("app.role.staff")) in texts(at)
    assert not map_args(at)


@pytest.mark.realdata
def test_staff_map_payload_on_real_asse_stays_under_3_mb(asse_workspace):
    layers = {name: asse_workspace.read(name) for name in LAYERS}
    plain = payload_bytes(overview_map(layers))
    with_addresses = payload_bytes(overview_map(layers, with_addresses=True))
    assert plain < 3_000_000
    assert with_addresses < 3_000_000
    assert plain < with_addresses


@pytest.mark.realdata
def test_staff_overview_renders_on_real_asse(asse_workspace, monkeypatch):
    at = open_app(asse_workspace, monkeypatch, role="staff", page=PAGE)
    no_exception(at)
    script = map_args(at)[0]["script"]
    assert t("maps.fictional_badge") not in script, "real data is not marked fictional"
    assert t("core.fictional_banner") not in texts(at)
    assert len(at.dataframe[0].value) == len(asse_workspace.read("groups"))


def test_a_read_only_install_says_so_and_still_draws_the_map(app_test, monkeypatch):
    import buurtkaart.maps

    def refuse(folder):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(buurtkaart.maps, "write_assets", refuse)
    at = app_test(role="staff", page=PAGE)
    no_exception(at)
    assert any("static" in w.value and "internet" in w.value for w in at.warning)
    assert map_args(at), "the map is still sent (it loads its libraries from the internet then)"
