"""The staff page "Groepsgrenzen": draw map with the Draw plugin, compose a group from a street, see the checks
and the impact preview, save it as a version, find it in the history, restore; refused to others."""

from __future__ import annotations

import pytest

from buurtkaart.boundaries import latest_version, list_versions
from buurtkaart.texts import t
from tests.app.conftest import map_args, no_exception, open_app, texts

PAGE = "app_pages/staff_boundaries.py"


def test_draw_mode_shows_an_editable_map(app_test):
    at = app_test(role="staff", page=PAGE)
    no_exception(at)
    assert at.title[0].value == t("boundaries.page.title")
    at.selectbox(key="gb_group").set_value(sorted(at.selectbox(key="gb_group").options)[0]).run()
    no_exception(at)
    maps = map_args(at)
    assert maps and "L.Control.Draw" in maps[0]["script"]
    # the group's own area is in the Draw plugin's feature group, so it can be edited
    assert "drawnItems" in maps[0]["script"] and "L.polygon" in maps[0]["script"]
    assert t("boundaries.page.start_hint") in texts(at)


def test_compose_check_preview_save_and_find_in_history(writable_workspace, monkeypatch):
    ws = writable_workspace
    at = open_app(ws, monkeypatch, role="staff", page=PAGE)
    no_exception(at)
    at.text_input(key="gb_new_name").input("Drieslaan en omgeving")
    at.radio(key="gb_mode").set_value("compose")
    at.run()
    at.multiselect(key="gb_streets").select("Drieslaan")
    at.radio(key="gb_overlap").set_value("trim")
    at.run()
    no_exception(at)
    shown = texts(at)
    assert t("boundaries.page.checks_title") in shown and t("boundaries.page.impact_title") in shown
    assert "Drieslaan" in shown and "geen groep →" in shown  # the impact list: uncovered addresses get the group
    assert len(map_args(at)) == 1  # the preview map (compose mode has no drawing map)
    before = latest_version(ws)
    at.text_input(key="gb_reason").input("nieuwe groep Drieslaan")
    at.button(key="gb_save").click().run()
    no_exception(at)
    assert latest_version(ws) == before + 2  # the state it replaces (version 1) and the new one
    groups = ws.read("groups")
    assert "Drieslaan en omgeving" in set(groups["name"])
    assert t("boundaries.page.saved", version=before + 2) in texts(at)
    versions = list_versions(ws)
    assert versions.loc[0, "reason"] == "nieuwe groep Drieslaan" and versions.loc[0, "author"] == "demo-gemeente"
    # the history tab lists the new version; restoring version 1 brings back the old groups as version 3
    at.run()
    tables = [d.value for d in at.dataframe]
    assert any(t("boundaries.page.col.version_id") in table.columns and "nieuwe groep Drieslaan" in
               set(table[t("boundaries.page.col.reason")]) for table in tables)
    at.selectbox(key="gb_restore_version").set_value(1)
    at.button(key="gb_restore").click().run()
    no_exception(at)
    assert latest_version(ws) == 3
    assert "Drieslaan en omgeving" not in set(ws.read("groups")["name"])


def test_an_overlap_is_refused_with_a_dutch_explanation(writable_workspace, monkeypatch):
    ws = writable_workspace
    groups = ws.read("groups")
    street = ws.read("addresses").sjoin(groups.iloc[[0]], predicate="within")["street"].value_counts().index[0]
    at = open_app(ws, monkeypatch, role="staff", page=PAGE)
    at.radio(key="gb_mode").set_value("compose").run()
    at.multiselect(key="gb_streets").select(street).run()
    no_exception(at)
    assert "overlapt met andere groepen" in "\n".join(str(v) for d in at.dataframe for v in d.value.to_numpy().ravel())
    assert t("boundaries.page.fix_errors_first") in texts(at)
    assert at.button(key="gb_save").disabled


def test_a_group_that_stops(writable_workspace, monkeypatch):
    ws = writable_workspace
    first = sorted(ws.read("groups")["group_id"].astype(str))[0]
    at = open_app(ws, monkeypatch, role="staff", page=PAGE)
    at.selectbox(key="gb_group").set_value(first).run()
    at.checkbox(key=f"gb_stops_{first}").check().run()
    no_exception(at)
    assert "stopt" in "\n".join(str(v) for d in at.dataframe for v in d.value.to_numpy().ravel())
    at.text_input(key="gb_reason").input("groep stopt")
    at.button(key="gb_save").click().run()
    no_exception(at)
    assert first not in set(ws.read("groups")["group_id"])


def test_two_groups_merge(writable_workspace, monkeypatch):
    ws = writable_workspace
    first, second = sorted(ws.read("groups")["group_id"].astype(str))[:2]
    at = open_app(ws, monkeypatch, role="staff", page=PAGE)
    at.selectbox(key="gb_group").set_value(first).run()
    at.radio(key="gb_mode").set_value("merge").run()
    at.selectbox(key="gb_merge_with").set_value(second).run()
    no_exception(at)
    assert t("boundaries.page.impact_title") in texts(at)
    at.text_input(key="gb_reason").input("samenvoegen")
    at.button(key="gb_save").click().run()
    no_exception(at)
    ids = set(ws.read("groups")["group_id"])
    assert first in ids and second not in ids


def test_page_is_only_in_the_staff_navigation(app_test):
    for role in (None, "coordinator", "police"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app_test(role=role, page=PAGE)
