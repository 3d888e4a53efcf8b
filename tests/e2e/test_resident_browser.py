"""A resident in a real browser: open the app, type an address, read the answer, see the group's area drawn.

Runs ``streamlit run app.py`` on a demo workspace and headless Chromium with no internet: the search that
"Welke groep?" embeds is served by the app beside its pages and draws from the app's own copy of Leaflet.
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from buurtkaart.assignment.points import assign_points
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace
from tests.app.conftest import build_demo
from tests.e2e.conftest import (
    SEARCH_FRAME,
    AppServer,
    ask_resident,
    goto,
    login,
    map_frame,
    record_outside_requests,
    screenshot,
    search_frame,
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


def test_resident_finds_their_group_and_its_area_on_the_map(page, app_server):
    text, group = _covered_address(app_server.workspace)
    outside = record_outside_requests(page)
    goto(page, app_server)
    page.get_by_text(t("app.welke.title")).wait_for()
    page.get_by_text(t("core.fictional_banner")).wait_for()
    frame = ask_resident(page, text)
    frame.get_by_text(t("resident.covered", group=group)).wait_for()
    assert frame.locator('path.leaflet-interactive[stroke="#b3261e"]').count() >= 1, "the group's area is marked"
    assert frame.locator("path.leaflet-interactive").count() >= 2, "every group's area is drawn"
    assert frame.locator("#start").is_hidden(), "how to start a group is for uncovered addresses"
    page.get_by_role("link", name=t("app.welke.join")).wait_for()
    page.wait_for_timeout(500)
    screenshot(page, "resident_lookup_desktop")
    assert outside == [], "the page and its map need nothing from the internet"


def test_resident_on_a_phone(page, app_server):
    """390 px wide (a phone): the answer and the map fit the screen, no horizontal scrolling."""
    text, group = _covered_address(app_server.workspace)
    page.set_viewport_size({"width": 390, "height": 844})
    goto(page, app_server)
    frame = ask_resident(page, text)
    frame.get_by_text(t("resident.covered", group=group)).wait_for()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    box = page.locator(SEARCH_FRAME).bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] > 400
    inner = frame.locator("body").evaluate("b => b.scrollWidth")
    assert inner <= box["width"], "the search itself does not scroll sideways"
    page.wait_for_timeout(500)
    screenshot(page, "resident_lookup_phone")


def test_uncovered_resident_sees_nearest_groups_and_how_to_start(page, app_server):
    ws = app_server.workspace
    addresses = ws.read("addresses")
    addresses = addresses[addresses["box"].isna() & addresses["suffix"].isna()]
    found = assign_points(addresses.geometry, ws.read("groups"))
    row = addresses.loc[found[found["status"] == "niet_gedekt"].index[0]]
    goto(page, app_server)
    frame = ask_resident(page, f"{row['street']} {row['housenumber']}")
    assert frame.locator("#message").inner_text().startswith(t("resident.uncovered"))
    frame.get_by_text(t("app.welke.start_title")).wait_for()
    assert frame.locator("#start").is_visible()
    page.wait_for_timeout(500)
    screenshot(page, "resident_uncovered")


def test_a_misspelt_street_offers_suggestions_and_a_click_answers(page, app_server):
    goto(page, app_server)
    frame = ask_resident(page, "Kerkstrat")
    suggestions = frame.locator("#suggestions button")
    assert suggestions.count() >= 1, "an unsure lookup offers the streets it may be"
    label = suggestions.first.inner_text()
    suggestions.first.click()
    assert frame.locator("#adres").input_value() == label
    frame.locator("#message").filter(has_text=label.split(",")[0]).wait_for()  # the answer for that street
    assert frame.locator("#suggestions button").count() == 0


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


def test_a_search_does_not_reload_the_page_or_its_search(page, app_server):
    """Two searches in two groups: the answer comes from the API beside the pages; neither the page nor the
    search's frame is loaded again, and Streamlit does not rerun the page."""
    (first, first_group), (second, second_group) = _two_groups(app_server.workspace)
    goto(page, app_server)
    frame = search_frame(page)
    page.evaluate("() => { window.__kept = true; }")
    page.locator(SEARCH_FRAME).element_handle().content_frame().evaluate("() => { window.__kept = true; }")
    reruns = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: reruns.append(payload)))
    ask_resident(page, first).get_by_text(t("resident.covered", group=first_group)).wait_for()
    ask_resident(page, second).get_by_text(t("resident.covered", group=second_group)).wait_for()
    assert page.evaluate("() => window.__kept === true"), "the page was loaded again"
    kept = page.locator(SEARCH_FRAME).element_handle().content_frame().evaluate("() => window.__kept === true")
    assert kept, "the search's frame was loaded again for the second search"
    assert reruns == [], "a search sent nothing to Streamlit (no rerun of the page)"
    assert frame.locator('path.leaflet-interactive[stroke="#b3261e"]').count() >= 1
    page.wait_for_timeout(500)
    screenshot(page, "resident_second_search")


def test_the_search_works_when_the_app_is_started_with_the_warm_launcher(page, tmp_path):
    """python app_server.py starts the same app (with its routes beside the pages) warm; the search answers and
    nothing the page asks for fails."""
    ws = build_demo(tmp_path / "demo.gpkg")
    proc, url = start_app(ws.path, tmp_path / "streamlit.log", launcher=True)
    try:
        failed = []
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        text, group = _covered_address(ws)
        page.goto(url)
        wait_drawn(page)
        ask_resident(page, text).get_by_text(t("resident.covered", group=group)).wait_for()
        assert failed == []
    finally:
        stop_app(proc)


def test_maps_draw_when_the_app_is_started_with_the_warm_launcher(page, tmp_path):
    """python app_server.py imports streamlit-folium before the server starts; its map component must still be
    served (it answered 404 and every map stayed empty): a coordinator's first screen draws its map."""
    ws = build_demo(tmp_path / "demo.gpkg")
    proc, url = start_app(ws.path, tmp_path / "streamlit.log", launcher=True)
    try:
        failed = []
        page.on("response", lambda response: failed.append(response.url)
                if response.status >= 400 and "/component/" in response.url else None)
        login(page, AppServer(url, ws), "coordinator")
        map_frame(page)
        assert failed == []
    finally:
        stop_app(proc)
