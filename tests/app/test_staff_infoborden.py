"""The staff page "Infoborden": a plan with a map, a reason per site, downloads, saving; refused to others."""

from __future__ import annotations

import pytest

from buurtkaart.texts import t
from tests.app.conftest import map_args, no_exception, texts

PAGE = "app_pages/staff_infoborden.py"


def test_staff_sees_every_entry_plan_with_map_table_and_downloads(app_test):
    at = app_test(role="staff", page=PAGE)
    no_exception(at)
    assert at.title[0].value == t("infoborden.page.title")
    assert "modus elke invalsweg" in texts(at)
    assert len(map_args(at)) == 1
    table = at.dataframe[0].value
    assert len(table) > 10 and table[t("infoborden.column.reason")].str.len().min() > 10
    labels = [b.label for b in at.get("download_button")]
    for fmt in ("csv", "geojson", "gpx", "pdf"):
        assert t(f"infoborden.page.download_{fmt}") in labels


def test_budget_mode_and_saving_the_plan(writable_workspace, monkeypatch):
    from tests.app.conftest import open_app

    before = writable_workspace.read("infoborden")
    placed = set(before.loc[before["status"] == "geplaatst", "sign_id"])
    assert placed  # the demo's older groups already have their signs
    at = open_app(writable_workspace, monkeypatch, role="staff", page=PAGE)
    at.radio(key="ib_mode").set_value("budget").run()
    no_exception(at)
    assert "Bewezen optimaal" in texts(at) or "Niet bewezen optimaal" in texts(at)
    at.button(key="ib_save").click().run()
    no_exception(at)
    stored = writable_workspace.read("infoborden")
    assert set(stored["status"]) == {"gepland", "geplaatst"}
    assert set(stored.loc[stored["status"] == "geplaatst", "sign_id"]) == placed  # placed signs are kept


def test_page_is_only_in_the_staff_navigation(app_test):
    for role in (None, "coordinator"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app_test(role=role, page=PAGE)
