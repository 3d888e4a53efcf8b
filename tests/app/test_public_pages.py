"""The public pages as a resident uses them: "Welke groep?" and "Hoe werkt het?" (AppTest, demo workspace).

"Welke groep?" embeds the search served by the app's own server beside the pages (buurtkaart.api.beside_app):
the page is checked with AppTest, its answers through those routes. Expected answers are computed with the
library itself (lookup + assign) on the same workspace, so the search is checked to answer what the library
decides, for a covered, an uncovered and an overlapping address; tests/e2e/test_resident_browser.py checks how
the browser shows them.
"""

from __future__ import annotations

import html

import geopandas as gpd
import pytest
import streamlit as st

from buurtkaart.api.beside_app import PATHS
from buurtkaart.assignment.points import assign_points
from buurtkaart.safe_text import markdown_text
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace
from tests.app.conftest import ask as _ask
from tests.app.conftest import beside_app, no_exception, texts

HOE = "app_pages/hoe_werkt_het.py"


def _first_with_status(ws: Workspace, status: str) -> tuple[str, str | tuple[str, ...], gpd.GeoDataFrame]:
    addresses = ws.read("addresses")
    addresses = addresses[addresses["box"].isna() & addresses["suffix"].isna()]
    found = assign_points(addresses.geometry, ws.read("groups"), municipality_area=ws.read("municipality"))
    row = found[found["status"] == status].index[0]
    address = addresses.loc[row]
    text = f"{address['street']} {address['housenumber']}, {address['postcode']}"
    answer = found.loc[row, "group_id"] if status == "toegewezen" else found.loc[row, "groups"]
    return text, answer, addresses.loc[[row]]


def _group_name(ws: Workspace, group_id: str) -> str:
    groups = ws.read("groups")
    return str(groups.loc[groups["group_id"] == group_id, "name"].iloc[0])


@pytest.fixture(scope="module")
def beside(demo_workspace):
    """The app's own server beside its pages, on the demo workspace: what the page's search asks."""
    return beside_app(demo_workspace)


def test_public_first_screen_is_welke_groep_with_the_search_and_the_join_link(app_test, demo_workspace, beside):
    from buurtkaart.geocoding.result import example_address

    at = app_test()
    no_exception(at)
    assert at.title[0].value == t("app.welke.title")
    assert t("core.fictional_banner") in texts(at)
    (search,) = at.get("iframe")
    assert search.proto.src == "/widget" and search.proto.alt == t("api.widget.title")
    assert [link.proto.page for link in at.get("page_link")] == ["kandidaat_worden"]
    page = beside.get(search.proto.src)  # what the frame loads from the app's own server
    assert page.status_code == 200 and t("api.widget.label") in page.text
    example = example_address(demo_workspace.read("addresses"))
    assert html.escape(t("app.welke.placeholder", example=example)) in page.text, "an address of this workspace"
    assert '"params": ""' in page.text, "no municipality to name outside a police zone"


def test_under_a_base_path_the_page_frames_the_search_under_it(app_test):
    """With ``server.baseUrlPath`` (an app behind a proxy at /buurt/) the frame asks /buurt/widget, which the
    server answers as it answers /widget."""
    from streamlit import config

    config.set_option("server.baseUrlPath", "buurt")
    try:
        at = app_test()
    finally:
        config.set_option("server.baseUrlPath", "")
    (search,) = at.get("iframe")
    assert search.proto.src == "/buurt/widget"


def test_the_app_module_serves_the_search_beside_its_pages():
    """`streamlit run app.py` serves app.py's `app`: an st.App whose own routes answer the search."""
    import importlib.util

    from tests.app.conftest import APP

    spec = importlib.util.spec_from_file_location("buurtkaart_app_module", APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert isinstance(module.app, st.App)
    assert {route.path for route in module.app._user_routes} == set(PATHS)


def test_covered_address_names_its_group_and_draws_its_area(demo_workspace, beside):
    text, group_id, _row = _first_with_status(demo_workspace, "toegewezen")
    body = _ask(beside, text)
    name = _group_name(demo_workspace, str(group_id))
    assert body["status"] == "toegewezen" and body["groups"] == [{"group_id": group_id, "name": name}]
    assert body["message"] == t("resident.covered", group=name)
    assert body["highlight"] == [group_id], "the group's own area is drawn on the map"
    assert body["fictional"] is True


def test_uncovered_address_lists_nearest_groups_with_distances_and_how_to_start(demo_workspace, beside):
    text, _none, row = _first_with_status(demo_workspace, "niet_gedekt")
    body = _ask(beside, text)
    assert body["status"] == "niet_gedekt" and not body["groups"]
    nearest = assign_points(row.geometry, demo_workspace.read("groups"))["nearest"].iloc[0]
    first_id, first_distance = nearest[0]
    expected = t("resident.nearest_item", group=_group_name(demo_workspace, first_id), distance=round(first_distance))
    assert body["message"].startswith(t("resident.uncovered")) and expected in body["message"]
    assert body["nearest"][0]["group_id"] == first_id
    page = beside.get("/widget").text
    assert t("app.welke.start_title") in page, "how to start a group, shown with an uncovered answer"


def test_overlapping_address_names_both_groups(demo_workspace, beside):
    text, ids, _row = _first_with_status(demo_workspace, "overlap")
    body = _ask(beside, text)
    names = ", ".join(_group_name(demo_workspace, g) for g in ids)
    assert body["status"] == "overlap" and body["message"] == t("resident.overlap", groups=names)


def test_street_only_gives_the_street_answer(demo_workspace, beside):
    from buurtkaart.assignment.streets import street_answer

    _text, _gid, row = _first_with_status(demo_workspace, "toegewezen")
    street = str(row["street"].iloc[0])
    body = _ask(beside, street)
    answer = street_answer(street, addresses=demo_workspace.read("addresses"), groups=demo_workspace.read("groups"))
    assert body["street"]["text"] == answer.text


def test_unknown_text_offers_suggestions(demo_workspace, beside):
    text, group_id, _row = _first_with_status(demo_workspace, "toegewezen")
    street, rest = text.split(" ", 1)
    misspelt = street[:-2] + street[-1] + street[-2] + " " + rest  # swap two letters
    body = _ask(beside, misspelt)
    if body["status"]:  # the lookup corrected the street itself: that is the best answer
        assert body["message"] == t("resident.covered", group=_group_name(demo_workspace, str(group_id)))
        return
    assert body["address"]["suggestions"], "an unsure lookup offers suggestions"


def test_nonsense_says_not_found_in_dutch(beside):
    body = _ask(beside, "qqqq zzzz 99999")
    assert body["address"]["status"] == "not_found" and body["message"] == t("resident.not_found")


def test_empty_search_asks_for_an_address(beside):
    response = beside.get("/api/v1/groep", params={"adres": "  "})
    assert response.status_code == 400 and response.json()["error"]


def test_hoe_werkt_het_explains_saar_101_rules_and_joining(app_test):
    at = app_test(page=HOE)
    no_exception(at)
    shown = texts(at)
    for section in ("suspicious", "saar", "when", "rules", "join", "privacy"):
        assert t(f"app.hoe.{section}_title") in shown
    assert "101" in shown and "Signaleer" in shown and "Reageer" in shown


@pytest.mark.parametrize("page", ["app_pages/staff_overview.py", "app_pages/mijn_gebied.py"])
def test_public_cannot_reach_role_pages(app_test, page):
    at = app_test()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


def test_first_start_on_a_fresh_machine_creates_the_demo(tmp_path, monkeypatch):
    """No workspace chosen and none present: the app builds the fictional demo and opens on it."""
    from streamlit.testing.v1 import AppTest

    import buurtkaart.workspace
    from tests.app.conftest import APP, TIMEOUT_S

    target = tmp_path / "data" / "demo.gpkg"
    monkeypatch.delenv("BUURTKAART_WORKSPACE", raising=False)
    monkeypatch.setattr(buurtkaart.workspace, "DEFAULT_PATH", target)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.run()
    no_exception(at)
    assert target.exists()
    assert Workspace.open(target).is_fictional
    assert t("core.fictional_banner") in texts(at)


def test_a_missing_chosen_workspace_is_a_dutch_error_not_a_new_demo(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP, TIMEOUT_S

    missing = tmp_path / "asse.gpkg"
    monkeypatch.setenv("BUURTKAART_WORKSPACE", str(missing))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.run()
    no_exception(at)
    assert at.error and markdown_text(str(missing)) in at.error[0].value
    assert not missing.exists()
