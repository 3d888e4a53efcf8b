"""The public pages as a resident uses them: "Welke groep?" and "Hoe werkt het?" (AppTest, demo workspace).

Expected answers are computed with the library itself (lookup + assign) on the same workspace, so the page is
checked to show what the library decides, for a covered, an uncovered and an overlapping address.
"""

from __future__ import annotations

import geopandas as gpd
import pytest

from buurtkaart.assignment.points import assign_points
from buurtkaart.safe_text import markdown_text
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace
from tests.app.conftest import map_args, no_exception, texts

WELKE = "app_pages/welke_groep.py"
HOE = "app_pages/hoe_werkt_het.py"


def _first_with_status(ws: Workspace, status: str) -> tuple[str, str | tuple[str, ...], gpd.GeoDataFrame]:
    addresses = ws.read("addresses")
    addresses = addresses[addresses["box"].isna() & addresses["suffix"].isna()]
    found = assign_points(addresses.geometry, ws.read("groups"), municipality_area=ws.read("municipality"))
    row = found[found["status"] == status].index[0]
    address = addresses.loc[row]
    text = f"{address['street']} {address['housenumber']}, {address['postcode']}"
    answer = found.loc[row, "group_id"] if status == "toegewezen" else found.loc[row, "groups"]
    return text, answer, addresses.loc[[row]]


def _search(at, text: str):
    at.text_input(key="welke_query").set_value(text)
    at.get("form_submit_button")[0].click()
    at.run()
    no_exception(at)
    return at


def _group_name(ws: Workspace, group_id: str) -> str:
    groups = ws.read("groups")
    return str(groups.loc[groups["group_id"] == group_id, "name"].iloc[0])


def test_public_first_screen_is_welke_groep_with_fictional_banner(app_test):
    at = app_test()
    no_exception(at)
    assert at.title[0].value == t("app.welke.title")
    assert t("core.fictional_banner") in texts(at)
    assert at.text_input(key="welke_query").label == t("app.welke.input")
    (shown,) = map_args(at)
    assert not shown["feature_group"], "the map of all groups, nothing drawn on it before the resident asks"
    assert t("app.welke.map_caption_all") in texts(at)


def test_covered_address_names_its_group_and_draws_its_area(app_test, demo_workspace):
    text, group_id, _row = _first_with_status(demo_workspace, "toegewezen")
    at = _search(app_test(), text)
    name = _group_name(demo_workspace, str(group_id))
    assert [s.value for s in at.success] == [t("app.welke.covered", group=name)]
    maps = map_args(at)
    assert len(maps) == 1
    assert name in maps[0]["feature_group"], "the group's own area and its name in the legend are drawn on the map"
    assert t("maps.fictional_badge") in maps[0]["script"], "the demo map marks itself as fictional"


def test_the_map_stays_and_each_answer_is_drawn_on_it(app_test, demo_workspace):
    """Searches of one resident in two groups: the same map (the same component, so the browser keeps it), each
    answer a layer of its own on it; a search without an answer clears the layer and keeps the map."""
    addresses = demo_workspace.read("addresses")
    addresses = addresses[addresses["box"].isna() & addresses["suffix"].isna()]
    found = assign_points(addresses.geometry, demo_workspace.read("groups"))
    covered = found[found["status"] == "toegewezen"].drop_duplicates("group_id")
    at = app_test()
    seen = []
    for index, group_id in covered["group_id"].iloc[:2].items():
        row = addresses.loc[index]
        at = _search(at, f"{row['street']} {row['housenumber']}, {row['postcode']}")
        (shown,) = map_args(at)
        assert _group_name(demo_workspace, str(group_id)) in shown["feature_group"]
        seen.append(shown)
    assert seen[0]["script"] == seen[1]["script"] and seen[0]["feature_group"] != seen[1]["feature_group"]
    at = _search(at, "Qwxzstraat 999")
    (shown,) = map_args(at)
    assert shown["script"] == seen[0]["script"] and not shown["feature_group"]


def test_residents_of_one_group_share_its_map_and_each_sees_their_own_address(app_test, demo_workspace):
    """The group's map is built once and sent as the same script; the address is a layer of its own."""
    addresses = demo_workspace.read("addresses")
    addresses = addresses[addresses["box"].isna() & addresses["suffix"].isna()]
    found = assign_points(addresses.geometry, demo_workspace.read("groups"))
    group_id = found.loc[found["status"] == "toegewezen", "group_id"].value_counts().index[0]
    rows = addresses.loc[found.index[(found["status"] == "toegewezen") & (found["group_id"] == group_id)][:2]]
    seen = []
    for _i, row in rows.iterrows():
        at = _search(app_test(), f"{row['street']} {row['housenumber']}, {row['postcode']}")
        (shown,) = map_args(at)
        assert t("maps.your_address") in shown["feature_group"] and "circleMarker" in shown["feature_group"]
        seen.append(shown)
    assert seen[0]["script"] == seen[1]["script"], "one map for the group, shared"
    assert seen[0]["feature_group"] != seen[1]["feature_group"], "each resident's own address on it"


def test_uncovered_address_lists_nearest_groups_with_distances_and_how_to_start(app_test, demo_workspace):
    text, _none, row = _first_with_status(demo_workspace, "niet_gedekt")
    at = _search(app_test(), text)
    shown = texts(at)
    assert t("app.welke.uncovered") in shown
    assert t("app.welke.start_title") in shown
    nearest = assign_points(row.geometry, demo_workspace.read("groups"))["nearest"].iloc[0]
    first_id, first_distance = nearest[0]
    expected = t("app.welke.nearest_row", group=_group_name(demo_workspace, first_id), distance=round(first_distance))
    assert expected in shown


def test_overlapping_address_names_both_groups(app_test, demo_workspace):
    text, ids, _row = _first_with_status(demo_workspace, "overlap")
    at = _search(app_test(), text)
    names = ", ".join(_group_name(demo_workspace, g) for g in ids)
    assert t("app.welke.overlap", groups=names) in [w.value for w in at.warning]


def test_street_only_gives_the_street_answer(app_test, demo_workspace):
    from buurtkaart.assignment.streets import street_answer

    _text, _gid, row = _first_with_status(demo_workspace, "toegewezen")
    street = str(row["street"].iloc[0])
    at = _search(app_test(), street)
    answer = street_answer(street, addresses=demo_workspace.read("addresses"), groups=demo_workspace.read("groups"))
    assert markdown_text(answer.text) in texts(at)  # shown as text, whatever the names hold


def test_unknown_text_offers_suggestions_and_a_click_uses_one(app_test, demo_workspace):
    text, group_id, _row = _first_with_status(demo_workspace, "toegewezen")
    street, rest = text.split(" ", 1)
    misspelt = street[:-2] + street[-1] + street[-2] + " " + rest  # swap two letters
    at = _search(app_test(), misspelt)
    if at.success:  # the lookup corrected the street itself: that is the best answer
        assert at.success[0].value == t("app.welke.covered", group=_group_name(demo_workspace, str(group_id)))
        return
    buttons = [b for b in at.button if b.key and b.key.startswith("welke_suggestion_")]
    assert buttons, "an unsure lookup offers suggestions"
    buttons[0].click()
    at.run()
    no_exception(at)
    assert at.text_input(key="welke_query").value == buttons[0].label


def test_nonsense_says_not_found_in_dutch(app_test):
    at = _search(app_test(), "qqqq zzzz 99999")
    assert at.warning, "a clear message, not an exception"


def test_empty_search_asks_for_an_address(app_test):
    at = app_test()
    at.get("form_submit_button")[0].click()
    at.run()
    assert t("app.welke.empty") in [i.value for i in at.info]


def test_hoe_werkt_het_explains_saar_101_rules_and_joining(app_test):
    at = app_test(page=HOE)
    no_exception(at)
    shown = texts(at)
    for section in ("suspicious", "saar", "when", "rules", "join", "privacy"):
        assert t(f"app.hoe.{section}_title") in shown
    assert "101" in shown and "Signaleer" in shown and "Reageer" in shown


@pytest.mark.parametrize("page", ["app_pages/staff_overview.py", "app_pages/mijn_gebied.py"])
def test_public_cannot_reach_role_pages(app_test, page):
    at = app_test()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


def test_first_start_on_a_fresh_machine_creates_the_demo(tmp_path, monkeypatch):
    """No workspace chosen and none present: the app builds the fictional demo and opens on it."""
    from streamlit.testing.v1 import AppTest

    import buurtkaart.workspace
    from tests.app.conftest import APP, TIMEOUT_S

    target = tmp_path / "data" / "demo.gpkg"
    monkeypatch.delenv("BUURTKAART_WORKSPACE", raising=False)
    monkeypatch.setattr(buurtkaart.workspace, "DEFAULT_PATH", target)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.run()
    no_exception(at)
    assert target.exists()
    assert Workspace.open(target).is_fictional
    assert t("core.fictional_banner") in texts(at)


def test_a_missing_chosen_workspace_is_a_dutch_error_not_a_new_demo(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP, TIMEOUT_S

    missing = tmp_path / "asse.gpkg"
    monkeypatch.setenv("BUURTKAART_WORKSPACE", str(missing))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.run()
    no_exception(at)
    assert at.error and markdown_text(str(missing)) in at.error[0].value
    assert not missing.exists()
