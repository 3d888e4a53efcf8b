"""The app started on police zone AMOW (two municipalities on the test server): the resident page's municipality
picker, the app started for one municipality, the zone police's screening page with both queues, and a
municipality's staff who see only theirs."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from buurtkaart.members import lists as member_lists
from tests.app.conftest import APP, TIMEOUT_S, no_exception, texts
from tests.zone_helpers import ASSE_STAFF, PASSWORD, ZONE_POLICE, make_zone

POLICE_PAGE = "app_pages/police_queue.py"
STAFF_PAGE = "app_pages/staff_members.py"


@pytest.fixture
def amow(pg_location, two_squares, monkeypatch):
    zone = make_zone(pg_location, two_squares)
    monkeypatch.setenv("BUURTKAART_WORKSPACE", zone.zone_url)
    monkeypatch.delenv("BUURTKAART_MUNICIPALITY", raising=False)
    return zone


def start(**state: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    return at


def test_public_picks_the_municipality_first(amow):
    at = start()
    no_exception(at)
    assert "Kies uw gemeente" in texts(at)
    picker = at.selectbox(key="zone_pick")
    assert picker.options == ["Asse (23002)", "Merchtem (23052)", "Politiezone AMOW: aanmelden voor de politie"]
    picker.select("23052").run()
    no_exception(at)
    shown = texts(at)
    assert "Kies uw gemeente" not in shown and "Merchtem" in shown  # the sidebar names the municipality
    assert "Welke" in shown  # the resident page of Merchtem
    assert [frame.proto.src for frame in at.get("iframe")] == ["/widget?gemeente=23052"], "its search, for Merchtem"
    at.button(key="zone_switch").click().run()
    no_exception(at)
    assert "Kies uw gemeente" in texts(at)


def test_app_started_for_one_municipality_has_no_picker(amow, monkeypatch):
    monkeypatch.setenv("BUURTKAART_MUNICIPALITY", "23002")
    at = start()
    no_exception(at)
    assert "Kies uw gemeente" not in texts(at) and "Asse" in texts(at)
    assert not [b for b in at.button if b.key == "zone_switch"]
    monkeypatch.setenv("BUURTKAART_MUNICIPALITY", "23060")  # Opwijk: in the zone, not enrolled
    at = start()
    assert "Gemeente 23060 hoort niet bij zone AMOW" in texts(at)


def test_zone_police_see_both_queues_and_decide(amow):
    at = start(zone_municipality="zone", username=ZONE_POLICE)
    no_exception(at)
    at.switch_page(POLICE_PAGE)
    at.run()
    no_exception(at)
    frame = at.dataframe[0].value
    assert sorted(frame["gemeente"]) == ["Asse", "Merchtem"]
    at.multiselect(key="zone_filter").select("23052").run()
    assert list(at.dataframe[0].value["gemeente"]) == ["Merchtem"]
    at.selectbox(key="zone_screen_member").select(f"23052/{amow.merchtem_candidate}")
    at.radio(key="zone_screen_decision").set_value("approve")
    next(b for b in at.button if b.label == "Beslissing opslaan").click()
    at.run()
    no_exception(at)
    assert "goedgekeurd" in texts(at)
    row = amow.merchtem.read("members").set_index("member_id").loc[amow.merchtem_candidate]
    assert (row["status"], row["screened_by"]) == ("goedgekeurd", ZONE_POLICE)
    assert amow.asse.read("members").set_index("member_id").loc[amow.asse_candidate, "status"] == "kandidaat"
    assert member_lists.screening_queue(amow.merchtem, "commandoregel").empty


def test_staff_of_one_municipality_are_accounts_of_it_alone(amow):
    at = start(zone_municipality="23002", username=ASSE_STAFF.username)
    no_exception(at)
    at.switch_page(STAFF_PAGE)
    at.run()
    no_exception(at)
    assert "Merchtem" not in texts(at) and "Piet Merchtem" not in str([df.value for df in at.dataframe])
    at = start(zone_municipality="23052", username=ASSE_STAFF.username)  # Asse's staff on Merchtem's map
    no_exception(at)
    assert "username" not in at.session_state  # no account of Merchtem: logged out, no staff pages
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(STAFF_PAGE)


def test_zone_police_pick_the_zone_and_log_in_once(amow):
    at = start()
    at.selectbox(key="zone_pick").select("zone").run()
    no_exception(at)
    assert "Aanmelden" in texts(at)  # the zone has no map: its first screen is the login
    next(w for w in at.text_input if w.label == "Gebruikersnaam").input(ZONE_POLICE)
    next(w for w in at.text_input if w.label == "Wachtwoord").input(PASSWORD)
    next(b for b in at.button if b.label == "Aanmelden").click()
    at.run()
    no_exception(at)
    assert at.session_state["username"] == ZONE_POLICE
    assert "Screening van kandidaten" in texts(at)  # the police's first screen, with both municipalities
    assert sorted(at.dataframe[0].value["gemeente"]) == ["Asse", "Merchtem"]
