"""The app in a real browser on a workspace imported from the real Asse files (OSM streets, CRAB addresses,
the 16 wijken as groups): a resident's lookup on a phone and the staff overview map."""

from __future__ import annotations

import pytest

from buurtkaart.assignment.points import assign_points
from buurtkaart.texts import t
from tests.e2e.conftest import ask_resident, goto, login, map_frame, screenshot

pytestmark = pytest.mark.realdata


def test_resident_lookup_on_real_asse_on_a_phone(page, asse_server):
    ws = asse_server.workspace
    addresses = ws.read("addresses")
    addresses = addresses[addresses["box"].isna() & addresses["suffix"].isna()]
    groups = ws.read("groups")
    found = assign_points(addresses.geometry, groups)
    row = found[found["status"] == "toegewezen"].index[len(found) // 3 % 50]
    address = addresses.loc[row]
    name = str(groups.loc[groups["group_id"] == found.loc[row, "group_id"], "name"].iloc[0])
    page.set_viewport_size({"width": 390, "height": 844})
    goto(page, asse_server)
    assert page.get_by_text(t("core.fictional_banner")).count() == 0, "real data is not called fictional"
    frame = ask_resident(page, f"{address['street']} {address['housenumber']}")
    frame.get_by_text(t("resident.covered", group=name)).wait_for()
    assert frame.locator("path.leaflet-interactive").count() >= 2
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.wait_for_timeout(500)
    screenshot(page, "asse_resident_phone")


def test_staff_overview_on_real_asse(page, asse_server):
    login(page, asse_server, "staff")
    page.get_by_role("heading", name=t("app.overview.title")).wait_for()
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() >= len(asse_server.workspace.read("groups"))
    page.wait_for_timeout(800)
    screenshot(page, "asse_staff_overview")
