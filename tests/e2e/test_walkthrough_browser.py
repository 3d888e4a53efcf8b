"""What only a browser shows (issue 16): a login that survives a reload, and ends with a logout."""

from __future__ import annotations

import time

from buurtkaart.members.sessions import COOKIE_NAME
from buurtkaart.texts import t
from tests.e2e.conftest import login, screenshot, wait_drawn


def _session_cookies(page, *, present: bool, timeout_s: float = 20.0) -> list[dict]:
    """The session cookie(s), waiting until one is set (``present``) or none is left: the page sets and clears it
    from a script after it has drawn, so a loaded machine may need a moment."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = [c for c in page.context.cookies() if c["name"] == COOKIE_NAME and c["value"]]
        if bool(found) == present or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(200)


def test_a_reload_keeps_the_login_and_a_logout_ends_it(page, app_server):
    login(page, app_server, "police")
    page.get_by_role("heading", name=t("members.police.title")).wait_for()
    cookie = _session_cookies(page, present=True)[0]
    assert cookie["sameSite"] == "Strict" and cookie["expires"] > 0 and "demo" not in cookie["value"]
    page.reload()
    wait_drawn(page)
    page.get_by_role("heading", name=t("members.police.title")).wait_for()
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert t("app.role.police") in sidebar.inner_text()
    screenshot(page, "police_after_reload")
    sidebar.get_by_role("button", name=t("app.logout")).click()
    wait_drawn(page)
    assert not _session_cookies(page, present=False)
    page.reload()
    wait_drawn(page)
    assert t("app.logout") not in page.locator('[data-testid="stSidebar"]').inner_text()
    assert page.get_by_role("heading", name=t("members.police.title")).count() == 0


def test_map_controls_speak_dutch(page, app_server):
    from tests.e2e.conftest import map_frame

    login(page, app_server, "staff")
    page.get_by_role("link", name=t("boundaries.page.title")).click()
    wait_drawn(page)
    frame = map_frame(page)
    polygon = frame.locator("a.leaflet-draw-draw-polygon")
    polygon.wait_for()
    assert polygon.get_attribute("title") == t("maps.control.draw_polygon")
    assert frame.locator("a.leaflet-draw-edit-edit").get_attribute("title") in (
        t("maps.control.edit"), t("maps.control.edit_disabled"))
    assert frame.locator("a.leaflet-control-zoom-in").get_attribute("title") == t("maps.control.zoom_in")
    assert frame.locator("a.leaflet-control-layers-toggle").get_attribute("title") == t("maps.control.layers")
