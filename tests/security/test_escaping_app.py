"""Hostile names through the app (AppTest): the public answer "Uw adres ligt in het gebied van groep ..." and
the maps of each role's first screen show them as text; a Markdown link is neither a link nor an image."""

from __future__ import annotations

import json

import pytest

from buurtkaart.assignment.points import assign_points
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace
from tests.app.conftest import ask, beside_app, map_args, no_exception, open_app, texts
from tests.security.conftest import MARKDOWN, assert_inert


def _covered_address(ws: Workspace, name_part: str) -> tuple[str, str]:
    """An address covered by a group whose name holds ``name_part``: (what a resident types, the group name)."""
    addresses = ws.read("addresses")
    addresses = addresses[addresses["box"].isna() & addresses["suffix"].isna() & ~addresses["street"].eq(MARKDOWN)]
    groups = ws.read("groups")
    found = assign_points(addresses.geometry, groups, municipality_area=ws.read("municipality"))
    names = dict(zip(groups["group_id"], groups["name"], strict=True))
    for row in found[found["status"] == "toegewezen"].index:
        name = names[found.loc[row, "group_id"]]
        if name_part in name:
            a = addresses.loc[row]
            return f"{a['street']} {a['housenumber']}, {a['postcode']}", name
    raise AssertionError("no covered address in such a group")


@pytest.mark.parametrize("name_part", ["[Klik hier]", "<img"])
def test_public_answer_names_a_hostile_group_as_text(hostile_demo, name_part):
    """The search of "Welke groep?" (served beside the pages) sends the name as JSON data; its page writes every
    value with textContent, never as HTML (tests/e2e/test_hostile_names_browser.py checks the browser)."""
    from buurtkaart.api.widget import _SCRIPT

    query, name = _covered_address(hostile_demo, name_part)
    client = beside_app(hostile_demo)
    body = ask(client, query)
    assert body["message"] == t("resident.covered", group=name) and body["groups"][0]["name"] == name
    page = client.get("/widget").text
    assert name not in page and "innerHTML" not in _SCRIPT and "insertAdjacentHTML" not in _SCRIPT
    assert_inert(page)
    areas = client.get("/api/v1/groepen").json()
    assert name in [f["properties"]["name"] for f in areas["features"]], "the areas carry the name as data"


@pytest.mark.parametrize(("role", "page"), [("coordinator", None), ("staff", None),
                                            ("staff", "app_pages/staff_coverage.py")])
def test_first_screens_draw_hostile_names_as_text(hostile_demo, monkeypatch, role, page):
    at = open_app(hostile_demo, monkeypatch, role=role, page=page)
    no_exception(at)
    maps = map_args(at)
    assert maps
    assert_inert(json.dumps(maps))
    assert "[Klik hier](" not in texts(at)
