"""What a first walkthrough found unclear on the pages (issue 16, points 7, 9-13), through AppTest."""

from __future__ import annotations

import html
import re

import pytest

from tests.app.conftest import ask, beside_app, no_exception, texts

INFOBORDEN = "app_pages/staff_infoborden.py"


def test_the_budget_with_kept_signs_counts_new_signs_and_the_summary_says_what_it_did(app_test, demo_workspace):
    kept = demo_workspace.read("infoborden")
    assert len(kept)
    at = app_test(role="staff", page=INFOBORDEN)
    at.radio(key="ib_mode").set_value("budget").run()
    no_exception(at)
    assert at.number_input(key="ib_budget").label == "Aantal nieuwe borden (bovenop de geplaatste)"
    summaries = {}
    for budget in (0, 2, 30):
        at.number_input(key="ib_budget").set_value(budget).run()
        no_exception(at)
        summary = at.info[-1].value if at.info else ""
        assert "Groep -" not in summary
        found = re.search(r"(\d+) bestaande borden blijven staan en (\d+) (nieuw bord komt|nieuwe borden komen) erbij",
                          summary)
        assert found, summary
        summaries[budget] = (int(found[1]), int(found[2]))
    assert summaries[0][1] == 0 and summaries[2][1] <= 2 * len(demo_workspace.read("groups"))
    assert len({new for _kept, new in summaries.values()}) == 3  # each budget changes the plan
    at.checkbox(key="ib_keep").uncheck().run()
    assert at.number_input(key="ib_budget").label == "Aantal borden"
    assert "bestaande borden blijven staan" not in texts(at)


def test_hoe_werkt_het_in_the_demo_names_no_real_municipality_address_or_phone(app_test):
    at = app_test(page="app_pages/hoe_werkt_het.py")
    no_exception(at)
    shown = texts(at)
    for real in ("Asse", "Gemeenteplein", "02 454 19 19", "info@asse.be", "24 groepen"):
        assert real not in shown.replace("in Asse werken de gemeente", ""), real
    assert "fictieve demo" in shown and "101" in shown


def test_placeholders_show_an_address_of_this_town(app_test, demo_workspace):
    postcodes = set(demo_workspace.read("addresses")["postcode"].astype(str))
    search = beside_app(demo_workspace).get("/widget").text  # the search the page "Welke groep?" embeds
    placeholder = html.unescape(re.search(r'placeholder="([^"]*)"', search)[1])
    assert "1730" not in placeholder and any(pc in placeholder for pc in postcodes)
    at = app_test(page="app_pages/kandidaat_worden.py")
    address = next(w for w in at.text_input if w.key == "apply_address")
    assert address.placeholder == placeholder


def test_the_resident_answer_keeps_the_deelgemeente_links_to_applying_and_caps_the_query(app_test, demo_workspace):
    addresses = demo_workspace.read("addresses")
    twice = addresses.groupby(["street", "postcode"])["deelgemeente"].nunique()
    street, postcode = twice[twice > 1].index[0]
    row = addresses[(addresses["street"] == street) & (addresses["postcode"] == postcode)
                    & addresses["suffix"].isna() & addresses["box"].isna()].iloc[-1]
    client = beside_app(demo_workspace)
    body = ask(client, f"{street} {row['housenumber']}, {postcode} {row['deelgemeente']}")
    assert f"{street} {row['housenumber']}, {postcode} {row['deelgemeente']}" in body["address"]["message"]
    links = app_test().get("page_link")
    assert [link.proto.label for link in links] == ["Lid worden? Stel u kandidaat"]
    assert links[0].proto.page.endswith("kandidaat_worden")
    assert 'maxlength="200"' in client.get("/widget").text


def test_a_street_answer_highlights_its_groups(demo_workspace):
    from buurtkaart.assignment.streets import street_answer

    addresses, groups = demo_workspace.read("addresses"), demo_workspace.read("groups")
    for street in addresses["street"].value_counts().index:
        answer = street_answer(street, addresses=addresses, groups=groups)
        if len(answer.group_ids) >= 2:
            break
    body = ask(beside_app(demo_workspace), street)
    assert body["street"]["group_ids"] == list(answer.group_ids)
    assert body["highlight"] == list(answer.group_ids), "the map shows the groups of the street"


ROLE_TABLE_PAGES = [("staff", "app_pages/staff_overview.py"), ("staff", "app_pages/staff_users.py"),
                    ("staff", "app_pages/staff_members.py"), ("staff", "app_pages/staff_infoborden.py"),
                    ("staff", "app_pages/staff_coverage.py"),
                    ("coordinator", "app_pages/coordinator_members.py"), ("coordinator", "app_pages/mijn_gebied.py"),
                    ("police", "app_pages/police_queue.py")]
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize(("role", "page"), ROLE_TABLE_PAGES, ids=[f"{r}:{p[10:-3]}" for r, p in ROLE_TABLE_PAGES])
def test_tables_show_no_none_codes_iso_times_or_decimal_points(app_test, role, page):
    at = app_test(role=role, page=page)
    no_exception(at)
    frames = [df.value for df in at.dataframe]
    assert frames, "each of these pages shows a table"
    for frame in frames:
        for column in frame.columns:
            values = frame[column]
            assert not values.isna().any(), (page, column)
            assert not (values.astype(str) == "None").any(), (page, column)
            assert values.dtype != float, (page, column, "decimal numbers are shown as Dutch text")
            text = values.astype(str)
            assert not text.str.match(ISO).any(), (page, column, text[text.str.match(ISO)].iloc[0])
            if column in ("rol", "role"):
                assert not set(text) & {"staff", "coordinator", "police"}, (page, column)
            assert column != "code" and "road_class" not in text.tolist(), (page, column)
