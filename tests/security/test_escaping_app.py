"""Hostile names through the app (AppTest): the public answer "Uw adres ligt in het gebied van groep ..." and
the maps of each role's first screen show them as text; a Markdown link is neither a link nor an image."""

from __future__ import annotations

import json

import pytest

from buurtkaart.assignment.points import assign_points
from buurtkaart.safe_text import markdown_text
from buurtkaart.texts import t_md
from buurtkaart.workspace import Workspace
from tests.app.conftest import map_args, no_exception, open_app, texts
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
def test_public_answer_names_a_hostile_group_as_text(hostile_demo, monkeypatch, name_part):
    query, name = _covered_address(hostile_demo, name_part)
    at = open_app(hostile_demo, monkeypatch)
    at.text_input(key="welke_query").set_value(query)
    at.get("form_submit_button")[0].click()
    at.run()
    no_exception(at)
    assert [s.value for s in at.success] == [t_md("app.welke.covered", group=name)]
    shown = texts(at)
    assert "[Klik hier](" not in shown and "![x](" not in shown
    assert markdown_text(name) in shown
    maps = map_args(at)
    assert maps, "the answer draws the group's area"
    assert_inert(json.dumps(maps))


@pytest.mark.parametrize(("role", "page"), [("coordinator", None), ("staff", None),
                                            ("staff", "app_pages/staff_coverage.py")])
def test_first_screens_draw_hostile_names_as_text(hostile_demo, monkeypatch, role, page):
    at = open_app(hostile_demo, monkeypatch, role=role, page=page)
    no_exception(at)
    maps = map_args(at)
    assert maps
    assert_inert(json.dumps(maps))
    assert "[Klik hier](" not in texts(at)
