"""The coordinator page "Mijn gebied": only their own group, figures that match the coverage library."""

from __future__ import annotations

import pandas as pd

from buurtkaart.coverage import address_coverage
from buurtkaart.members.accounts import get_user
from buurtkaart.texts import t
from tests.app.conftest import map_args, no_exception, texts

PAGE = "app_pages/mijn_gebied.py"


def _metric(at, key: str) -> str:
    return next(m.value for m in at.metric if m.label == t(key))


def test_coordinator_sees_only_their_own_groups(app_test, demo_workspace):
    at = app_test(role="coordinator")
    no_exception(at)
    user = get_user(demo_workspace, "demo-coordinator")
    assert at.title[0].value == t("app.mijn.title")
    assert list(at.selectbox(key="mijn_group").options) == [
        f"{name} ({gid})" for gid, name in
        demo_workspace.read("groups").set_index("group_id").loc[list(user.group_ids), "name"].items()
    ]


def test_figures_match_the_coverage_library(app_test, demo_workspace):
    at = app_test(role="coordinator", page=PAGE)
    group_id = get_user(demo_workspace, "demo-coordinator").group_ids[0]
    members = demo_workspace.read("members", columns=["group_id", "address_id", "status"])
    table = address_coverage(demo_workspace.read("addresses"), demo_workspace.read("groups"), pd.DataFrame(members))
    mine = table[table["group_id"] == group_id]
    assert _metric(at, "app.mijn.metrics.households") == str(len(mine))
    assert _metric(at, "app.mijn.metrics.members") == str(int(mine["members"].sum()))
    streets = at.dataframe[0].value
    assert streets[t("app.mijn.col.households")].sum() == len(mine)
    assert sorted(streets[t("app.mijn.col.street")]) == sorted(mine["street"].unique())


def test_the_map_shows_the_group_and_the_street_answers_are_there(app_test, demo_workspace):
    at = app_test(role="coordinator", page=PAGE)
    group_id = get_user(demo_workspace, "demo-coordinator").group_ids[0]
    groups = demo_workspace.read("groups")
    name = str(groups.loc[groups["group_id"] == group_id, "name"].iloc[0])
    assert name in map_args(at)[0]["script"]
    assert t("app.mijn.street_answer_title") in [e.label for e in at.expander]
    assert t("app.download_map") in [b.label for b in at.get("download_button")]


def test_no_personal_data_on_the_page(app_test, demo_workspace):
    at = app_test(role="coordinator", page=PAGE)
    shown = texts(at) + "".join(str(d.value) for d in at.dataframe)
    people = demo_workspace.read("members", columns=["name", "phone"])
    assert not any(str(n) in shown for n in people["name"].dropna().head(50))
    assert not any(str(p) in shown for p in people["phone"].dropna().head(50))


def test_a_coordinator_whose_group_was_removed_is_told_what_to_do(writable_workspace, monkeypatch):
    import tests.app.conftest as app_conftest
    from buurtkaart.members.accounts import create_user
    from tests.app.conftest import open_app

    groups = writable_workspace.read("groups")
    gone = str(groups["group_id"].iloc[-1])
    create_user(writable_workspace, "coordinator-weg", "een-lang-wachtwoord", role="coordinator", group_ids=[gone])
    writable_workspace.write({"groups": groups[groups["group_id"] != gone]})
    monkeypatch.setitem(app_conftest.ROLE_USERS, "coordinator", "coordinator-weg")
    at = open_app(writable_workspace, monkeypatch, role="coordinator", page=PAGE)
    no_exception(at)
    assert t("app.mijn.group_gone", group_id=gone) in [e.value for e in at.error]
    assert not map_args(at)
