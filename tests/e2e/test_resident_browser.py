"""A resident in a real browser: open the app, type an address, read the answer, see the group's area drawn.

Runs ``streamlit run app.py`` on a demo workspace and headless Chromium with no internet: the map must draw from
the app's own copies of Leaflet and its plugins. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from buurtkaart.assignment.points import assign_points
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace
from tests.app.conftest import build_demo
from tests.e2e.conftest import (
    MAP_FRAME,
    goto,
    map_frame,
    record_outside_requests,
    screenshot,
    start_app,
    stop_app,
    wait_drawn,
)


def _covered_address(ws: Workspace) -> tuple[str, str]:
    addresses = ws.read("addresses")
    addresses = addresses[addresses["box"].isna() & addresses["suffix"].isna()]
    groups = ws.read("groups")
    found = assign_points(addresses.geometry, groups)
    row = found[found["status"] == "toegewezen"].index[0]
    address = addresses.loc[row]
    name = str(groups.loc[groups["group_id"] == found.loc[row, "group_id"], "name"].iloc[0])
    return f"{address['street']} {address['housenumber']}", name


def _ask(page, text: str) -> None:
    box = page.get_by_label(t("app.welke.input"))
    box.fill(text)
    page.get_by_role("button", name=t("app.welke.search")).click()
    page.wait_for_timeout(300)
    wait_drawn(page)


def test_resident_finds_their_group_and_its_area_on_the_map(page, app_server):
    text, group = _covered_address(app_server.workspace)
    outside = record_outside_requests(page)
    goto(page, app_server)
    page.get_by_text(t("app.welke.title")).wait_for()
    page.get_by_text(t("core.fictional_banner")).wait_for()
    _ask(page, text)
    page.get_by_text(t("app.welke.covered", group=group).replace("**", "")).wait_for()
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() >= 2, "the group's area and the streets are drawn"
    frame.get_by_text(t("maps.fictional_badge")).wait_for()
    page.wait_for_timeout(500)
    screenshot(page, "resident_lookup_desktop")
    assert outside == [], "the page and its map need nothing from the internet"


def test_resident_on_a_phone(page, app_server):
    """390 px wide (a phone): the answer and the map fit the screen, no horizontal scrolling."""
    text, group = _covered_address(app_server.workspace)
    page.set_viewport_size({"width": 390, "height": 844})
    goto(page, app_server)
    _ask(page, text)
    page.get_by_text(t("app.welke.covered", group=group).replace("**", "")).wait_for()
    map_frame(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] > 200
    page.wait_for_timeout(500)
    screenshot(page, "resident_lookup_phone")


def test_uncovered_resident_sees_nearest_groups(page, app_server):
    ws = app_server.workspace
    addresses = ws.read("addresses")
    addresses = addresses[addresses["box"].isna() & addresses["suffix"].isna()]
    found = assign_points(addresses.geometry, ws.read("groups"))
    row = addresses.loc[found[found["status"] == "niet_gedekt"].index[0]]
    goto(page, app_server)
    _ask(page, f"{row['street']} {row['housenumber']}")
    page.get_by_text(t("app.welke.uncovered")).first.wait_for()
    page.get_by_text(t("app.welke.nearest_title")).first.wait_for()
    map_frame(page)
    page.wait_for_timeout(500)
    screenshot(page, "resident_uncovered")


def test_hoe_werkt_het_reads_well(page, app_server):
    goto(page, app_server, "hoe_werkt_het")
    page.get_by_text(t("app.hoe.saar_title")).first.wait_for()
    assert page.get_by_text("Signaleer").count() >= 1
    screenshot(page, "hoe_werkt_het")


def _two_groups(ws) -> list[tuple[str, str]]:
    """Two covered addresses in different groups, with their group's name."""
    addresses = ws.read("addresses")
    addresses = addresses[addresses["box"].isna() & addresses["suffix"].isna()]
    groups = ws.read("groups")
    found = assign_points(addresses.geometry, groups)
    covered = found[found["status"] == "toegewezen"].drop_duplicates("group_id").iloc[:2]
    names = dict(zip(groups["group_id"], groups["name"], strict=True))
    return [(f"{addresses.loc[i, 'street']} {addresses.loc[i, 'housenumber']}", str(names[g]))
            for i, g in covered["group_id"].items()]


def test_the_map_stays_while_the_resident_searches_again(page, app_server):
    """The map of all groups is on the page before the first search and stays (the same frame, not loaded
    again); each answer is drawn on it with its own legend, and the one before is gone."""
    (first, first_group), (second, second_group) = _two_groups(app_server.workspace)
    goto(page, app_server)
    frame = map_frame(page)
    page.locator(MAP_FRAME).first.element_handle().content_frame().evaluate("() => { window.__kept = true; }")
    _ask(page, first)
    frame.locator(".buurtkaart-legend").get_by_text(first_group).wait_for()
    _ask(page, second)
    frame.locator(".buurtkaart-legend").get_by_text(second_group).wait_for()
    assert frame.locator(".buurtkaart-legend").count() == 1, "the first answer's legend left with its answer"
    kept = page.locator(MAP_FRAME).first.element_handle().content_frame().evaluate("() => window.__kept === true")
    assert kept, "the map's frame was loaded again for the second search"
    page.wait_for_timeout(500)
    screenshot(page, "resident_second_search")


def test_maps_draw_when_the_app_is_started_with_the_warm_launcher(page, tmp_path):
    """python app_server.py imports streamlit-folium before the server starts; its map component must still be
    served (it answered 404 and every map stayed empty)."""
    ws = build_demo(tmp_path / "demo.gpkg")
    proc, url = start_app(ws.path, tmp_path / "streamlit.log", launcher=True)
    try:
        failed = []
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        text, group = _covered_address(ws)
        page.goto(url)
        wait_drawn(page)
        _ask(page, text)
        page.get_by_text(t("app.welke.covered", group=group).replace("**", "")).wait_for()
        map_frame(page).locator(".buurtkaart-legend").get_by_text(group).wait_for()
        assert failed == []
    finally:
        stop_app(proc)
