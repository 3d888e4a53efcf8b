"""The member pages through the app (AppTest), per role: who sees what, and the workflow steps by clicking."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from buurtkaart.members import audit
from buurtkaart.members.accounts import DEMO_PASSWORD
from tests.app.conftest import APP, ROLE_USERS, TIMEOUT_S, no_exception, open_app, texts

pytest.importorskip("buurtkaart.assignment.points", reason="the application form needs buurtkaart.assignment.points")

STAFF = audit.CLI_ACTOR  # reads the log as the command line does
LOGIN = "app_pages/login.py"
APPLY = "app_pages/kandidaat_worden.py"
POLICE = "app_pages/police_queue.py"
COORD = "app_pages/coordinator_members.py"
USERS = "app_pages/staff_users.py"
STAFF_MEMBERS = "app_pages/staff_members.py"


def run_page(ws, monkeypatch, page: str, role: str | None = None) -> AppTest:
    """One page script on its own, without the navigation: the page itself must refuse what a role may not see."""
    monkeypatch.setenv("BUURTKAART_WORKSPACE", str(ws.path))
    at = AppTest.from_file(str(APP.parent / page), default_timeout=TIMEOUT_S)
    if ROLE_USERS[role] is not None:
        at.session_state["username"] = ROLE_USERS[role]
    at.run()
    return at


def _field(at, label: str):
    return next(w for w in at.text_input if w.label == label)


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _frames(at) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe]


def _an_address(ws) -> str:
    addresses = ws.read("addresses")
    groups = ws.read("groups")
    inside = addresses[addresses.within(groups[groups["group_id"] == "G01"].geometry.iloc[0])]
    row = inside[inside["box"].isna() & inside["suffix"].isna()].iloc[0]
    return f"{row['street']} {row['housenumber']}, {row['postcode']}"


def _apply(at, ws, *, name="Test Kandidaat", consent=True):
    _field(at, "Voor- en achternaam").input(name)
    _field(at, "Adres").input(_an_address(ws))
    _field(at, "Gsm-nummer (voor WhatsApp)").input("0470 11 22 33")
    at.checkbox[0].check()
    if consent:
        at.checkbox[1].check()
    _button(at, "Kandidaat stellen").click()
    at.run()


def test_public_application_form(writable_workspace, monkeypatch):
    at = open_app(writable_workspace, monkeypatch, page=APPLY)
    no_exception(at)
    assert "Intentieverklaring" in texts(at)
    before = len(writable_workspace.read("members"))
    _apply(at, writable_workspace, consent=False)
    no_exception(at)
    assert "toestemming" in texts(at) and len(writable_workspace.read("members")) == before
    at = open_app(writable_workspace, monkeypatch, page=APPLY)
    _apply(at, writable_workspace)
    no_exception(at)
    assert "Uw referentie is m-" in texts(at)
    members = writable_workspace.read("members")
    new = members[members["name"] == "Test Kandidaat"].iloc[0]
    assert (new["status"], new["group_id"], new["consent_police"]) == ("kandidaat", "G01", "ja")


def test_login_page(writable_workspace, monkeypatch):
    at = open_app(writable_workspace, monkeypatch, page=LOGIN)
    no_exception(at)
    _field(at, "Gebruikersnaam").input("demo-politie")
    _field(at, "Wachtwoord").input("helemaal-fout")
    _button(at, "Aanmelden").click()
    at.run()
    assert "Aanmelden mislukt" in texts(at) and "username" not in at.session_state
    _field(at, "Gebruikersnaam").input("demo-politie")
    _field(at, "Wachtwoord").input(DEMO_PASSWORD)
    _button(at, "Aanmelden").click()
    at.run()
    no_exception(at)
    assert at.session_state["username"] == "demo-politie"
    assert all(w.value == "" for w in at.text_input)  # the password does not stay in the form


@pytest.mark.parametrize("page", [POLICE, COORD, USERS, STAFF_MEMBERS])
def test_public_sees_no_personal_data(demo_workspace, monkeypatch, page):
    at = run_page(demo_workspace, monkeypatch, page)
    no_exception(at)
    assert not at.dataframe
    names = set(demo_workspace.read("members")["name"])
    shown = texts(at)
    assert not any(name in shown for name in names)
    assert "alleen voor" in shown


@pytest.mark.parametrize(("role", "page"), [("coordinator", POLICE), ("police", COORD), ("police", USERS),
                                            ("coordinator", USERS), ("coordinator", STAFF_MEMBERS)])
def test_roles_kept_out_of_other_pages(demo_workspace, monkeypatch, role, page):
    at = run_page(demo_workspace, monkeypatch, page, role)
    no_exception(at)
    assert not at.dataframe and "alleen voor" in texts(at)


def test_coordinator_sees_only_own_group(demo_workspace, monkeypatch):
    at = open_app(demo_workspace, monkeypatch, role="coordinator", page=COORD)
    no_exception(at)
    frames = _frames(at)
    assert frames
    members = demo_workspace.read("members")
    own = set(members.loc[members["group_id"] == "G01", "name"])
    others = set(members.loc[members["group_id"] != "G01", "name"]) - own
    shown = {str(n) for df in frames for n in df.get("naam", [])}
    assert shown and shown <= own and not (shown & others)


def test_workflow_by_clicking(writable_workspace, monkeypatch):
    ws = writable_workspace
    at = open_app(ws, monkeypatch, page=APPLY)
    _apply(at, ws, name="Klik Kandidaat")
    member_id = ws.read("members").set_index("name").loc["Klik Kandidaat", "member_id"]

    at = open_app(ws, monkeypatch, role="police", page=POLICE)
    no_exception(at)
    assert member_id in set(_frames(at)[0]["referentie"])
    at.selectbox[0].select(member_id)
    at.radio(key="screen_decision").set_value("approve")
    _button(at, "Beslissing opslaan").click()
    at.run()
    no_exception(at)
    assert "goedgekeurd" in texts(at)

    at = open_app(ws, monkeypatch, role="coordinator", page=COORD)
    no_exception(at)
    at.selectbox(key="coord_add_pick").select(member_id).run()
    _button(at, "Toegevoegd aan de WhatsApp-groep").click()
    at.run()
    no_exception(at)
    at.selectbox(key="coord_sticker_pick").select(member_id).run()
    _button(at, "Sticker afgegeven").click()
    at.run()
    no_exception(at)
    row = ws.read("members").set_index("member_id").loc[member_id]
    assert (row["status"], row["screened_by"], row["added_by"], row["sticker_by"]) == (
        "lid", "demo-politie", "demo-coordinator", "demo-coordinator")

    at = open_app(ws, monkeypatch, role="staff", page=USERS)
    no_exception(at)
    log = audit.read_log(ws, STAFF, subject_id=member_id)
    assert list(log["detail"].iloc[::-1][log["action"].iloc[::-1] != "bekeken"].str.split(",").str[0]) == [
        "kandidaat", "kandidaat → goedgekeurd", "goedgekeurd → lid", "sticker afgegeven"]


def test_staff_pages_render(demo_workspace, monkeypatch):
    for page in (USERS, STAFF_MEMBERS, COORD):
        at = open_app(demo_workspace, monkeypatch, role="staff", page=page)
        no_exception(at)
        assert at.dataframe, page
    at = run_page(demo_workspace, monkeypatch, POLICE, "staff")  # not in the staff menu, but allowed: read only
    no_exception(at)
    assert "Beslissing opslaan" not in [b.label for b in at.button]
    at = open_app(demo_workspace, monkeypatch, role="staff", page=USERS)
    accounts_frame = _frames(at)[0]
    assert "password_hash" not in accounts_frame.columns
    assert {"demo-gemeente", "demo-politie"} <= set(accounts_frame["gebruikersnaam"])
