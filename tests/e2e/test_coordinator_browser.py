"""A coordinator and a staff member in a real browser: log in, land on their own first page, see the map drawn."""

from __future__ import annotations

from buurtkaart.texts import t
from tests.e2e.conftest import goto, login, map_frame, screenshot


def test_coordinator_logs_in_and_sees_their_area(page, app_server):
    login(page, app_server, "coordinator")
    page.get_by_role("heading", name=t("app.mijn.title")).wait_for()
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text(t("app.role.coordinator"), exact=False).first.wait_for()
    sidebar.get_by_role("button", name=t("app.logout")).wait_for()
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() >= 2
    page.get_by_text(t("app.mijn.streets_title")).wait_for()
    page.get_by_text(t("app.mijn.metrics.households")).wait_for()
    page.wait_for_timeout(500)
    screenshot(page, "coordinator_mijn_gebied")
    # only their own group(s) in the choice
    groups = app_server.workspace.read("groups")
    own = str(groups["group_id"].sort_values().iloc[0])
    name = str(groups.loc[groups["group_id"] == own, "name"].iloc[0])
    html = page.locator('[data-testid="stSelectbox"]').first.inner_html()
    assert f"{name} ({own})" in html, html[:2000]


def test_coordinator_menu_has_no_staff_pages(page, app_server):
    """The menu of a logged-in coordinator lists their own and the public pages, none of the staff's.
    (Opening a staff URL directly starts a new session, logged in again from the session cookie as the
    coordinator, whose menu has no staff pages.)"""
    login(page, app_server, "coordinator")
    page.get_by_role("heading", name=t("app.mijn.title")).wait_for()
    menu = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert t("app.page.mijn_gebied") in menu and t("app.page.welke_groep") in menu
    assert t("app.page.staff_overview") not in menu
    goto(page, app_server, "staff_overview")
    assert page.get_by_role("heading", name=t("app.overview.title")).count() == 0


def test_staff_logs_in_and_sees_the_overview_map(page, app_server):
    login(page, app_server, "staff")
    page.get_by_role("heading", name=t("app.overview.title")).wait_for()
    frame = map_frame(page)
    groups = app_server.workspace.read("groups")
    # every group area plus the streets and the municipality outline are drawn
    assert frame.locator("path.leaflet-interactive").count() >= len(groups)
    frame.locator(".leaflet-control-layers").first.wait_for()
    page.wait_for_timeout(500)
    screenshot(page, "staff_overview")
