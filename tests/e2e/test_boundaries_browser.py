"""Staff in a real browser on the page "Groepsgrenzen": draw a new group with the Leaflet.draw toolbar, compose
one from a street, see the checks and the impact preview, save it, and find it in the history.

Runs ``streamlit run app.py`` on a demo workspace of its own and headless Chromium without internet.
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from buurtkaart.boundaries import latest_version, list_versions
from buurtkaart.texts import t
from tests.e2e.conftest import MAP_FRAME, login, map_frame, screenshot, wait_drawn


def _open_editor(page, app_server) -> None:
    login(page, app_server, "staff")  # a new page load would start a new session: navigate in the app instead
    page.get_by_role("link", name=t("boundaries.page.title")).click()
    wait_drawn(page)
    page.get_by_role("heading", name=t("boundaries.page.title")).wait_for()


def _choose(page, label: str) -> None:
    page.get_by_text(label, exact=True).first.click()
    page.wait_for_timeout(300)
    wait_drawn(page)


def _trim_overlaps(page) -> None:
    page.get_by_text(t("boundaries.page.settings")).click()
    _choose(page, t("boundaries.page.overlap.trim"))


def test_draw_a_new_group_and_see_the_preview(page, app_server):
    _open_editor(page, app_server)
    _trim_overlaps(page)
    frame = map_frame(page)
    frame.locator("a.leaflet-draw-draw-polygon").click()
    box = page.locator(MAP_FRAME).first.bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(-90, -70), (90, -70), (90, 70), (-90, 70)]
    for dx, dy in corners:
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(150)
    page.mouse.click(cx + corners[0][0], cy + corners[0][1])  # close the polygon on its first vertex
    page.wait_for_timeout(500)
    wait_drawn(page)
    page.get_by_text(t("boundaries.page.checks_title"), exact=True).wait_for(timeout=60_000)
    page.get_by_text(t("boundaries.page.impact_title")).wait_for()
    page.locator(MAP_FRAME).nth(1).wait_for()  # the drawing map and the preview map
    page.wait_for_timeout(500)
    screenshot(page, "boundaries_drawn_preview")


def test_compose_save_and_find_in_history(page, app_server):
    _open_editor(page, app_server)
    page.get_by_label(t("boundaries.page.name")).fill("Drieslaan e2e")
    page.keyboard.press("Tab")
    wait_drawn(page)
    _choose(page, t("boundaries.page.mode.compose"))
    _trim_overlaps(page)
    page.locator('[data-testid="stMultiSelect"]').first.click()
    page.keyboard.type("Drieslaan")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    wait_drawn(page)
    page.get_by_text(t("boundaries.page.impact_title")).wait_for(timeout=60_000)
    page.get_by_text("geen groep →").first.wait_for()
    map_frame(page)
    screenshot(page, "boundaries_compose_preview")
    before = latest_version(app_server.workspace)
    expected = before + 1 if before else 2  # the first save also keeps the state it replaces (version 1)
    page.get_by_label(t("boundaries.page.reason")).first.fill("nieuwe groep Drieslaan (browser)")
    page.get_by_role("button", name=t("boundaries.page.save")).click()
    page.get_by_text(t("boundaries.page.saved", version=expected)).wait_for(timeout=60_000)
    wait_drawn(page)
    saved = list_versions(app_server.workspace)
    assert saved.loc[0, "version_id"] == expected
    assert saved.loc[0, "reason"] == "nieuwe groep Drieslaan (browser)" and saved.loc[0, "author"] == "demo-gemeente"
    page.get_by_role("tab", name=t("boundaries.page.tab_history")).click()
    page.wait_for_timeout(300)
    wait_drawn(page)
    page.get_by_text(t("boundaries.page.compare_title")).wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.wait_for_timeout(500)
    screenshot(page, "boundaries_history")
    assert "Drieslaan e2e" in set(app_server.workspace.read("groups")["name"])
