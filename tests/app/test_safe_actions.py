"""Actions that must hit the chosen person, once (issue 16, points 1, 2, 3, 5 and 8), clicked through AppTest."""

from __future__ import annotations

import pytest

from buurtkaart.errors import PermissionDenied
from buurtkaart.members import accounts
from buurtkaart.members.accounts import User
from tests.app.conftest import no_exception, open_app, texts
from tests.app.test_member_pages import APPLY, COORD, POLICE, STAFF_MEMBERS, USERS, _apply, _button

pytest.importorskip("buurtkaart.assignment.points", reason="the application form needs buurtkaart.assignment.points")


def _candidates(ws) -> list[str]:
    members = ws.read("members")
    return list(members.loc[members["status"] == "kandidaat", "member_id"])


def test_a_refused_save_keeps_the_choice_and_decides_on_nobody_else(writable_workspace, monkeypatch):
    ws = writable_workspace
    waiting = _candidates(ws)
    assert len(waiting) >= 2
    at = open_app(ws, monkeypatch, role="police", page=POLICE)
    no_exception(at)
    # nothing is chosen beforehand: saving straight away decides nothing
    assert at.selectbox(key="screen_member").value is None and at.radio(key="screen_decision").value is None
    _button(at, "Beslissing opslaan").click()
    at.run()
    assert "Kies eerst" in texts(at) and _candidates(ws) == waiting
    # refusing the second candidate without a reason fails, and the form keeps the second candidate and "refuse"
    second = waiting[1]
    at.selectbox(key="screen_member").select(second)
    at.radio(key="screen_decision").set_value("refuse")
    _button(at, "Beslissing opslaan").click()
    at.run()
    no_exception(at)
    assert "reden" in texts(at).lower() and _candidates(ws) == waiting
    assert at.selectbox(key="screen_member").value == second
    assert at.radio(key="screen_decision").value == "refuse"
    # a second click with a reason refuses that same person, and the confirmation names them
    at.text_area(key="screen_reason").input("Niet gekend op dit adres")
    _button(at, "Beslissing opslaan").click()
    at.run()
    no_exception(at)
    row = ws.read("members").set_index("member_id").loc[second]
    assert row["status"] == "geweigerd"
    assert f"{row['name']} ({second}) is geweigerd" in texts(at)
    assert _candidates(ws) == [m for m in waiting if m != second]
    assert at.selectbox(key="screen_member").value is None  # nothing stays chosen for the next decision


def test_an_application_cannot_be_sent_twice(writable_workspace, monkeypatch):
    ws = writable_workspace
    at = open_app(ws, monkeypatch, page=APPLY)
    before = len(ws.read("members"))
    _apply(at, ws, name="Dubbel Klikker")
    no_exception(at)
    assert "Uw referentie is m-" in texts(at)
    # the receipt replaces the form: there is no send button to click a second time
    assert "Kandidaat stellen" not in [b.label for b in at.button]
    assert len(ws.read("members")) == before + 1
    _button(at, "Nog iemand kandidaat stellen").click()
    at.run()
    no_exception(at)
    assert all(w.value == "" for w in at.text_input) and not any(c.value for c in at.checkbox)
    assert len(ws.read("members")) == before + 1


def test_staff_cannot_lock_themselves_out_and_deactivation_is_confirmed(writable_workspace, monkeypatch):
    ws = writable_workspace
    at = open_app(ws, monkeypatch, role="staff", page=USERS)
    no_exception(at)
    assert at.selectbox(key="staff_account_pick").value is None
    at.selectbox(key="staff_account_pick").select("demo-gemeente")
    at.run()
    assert "uw eigen account" in texts(at) and "demo-gemeente deactiveren" not in [b.label for b in at.button]
    at.selectbox(key="staff_account_pick").select("demo-politie")
    at.run()
    deactivate = _button(at, "demo-politie deactiveren")
    assert deactivate.disabled
    at.checkbox(key="staff_deactivate_ok").check()
    at.run()
    _button(at, "demo-politie deactiveren").click()
    at.run()
    no_exception(at)
    assert "Account demo-politie is gedeactiveerd" in texts(at)
    assert accounts.get_user(ws, "demo-politie") is None
    at.selectbox(key="staff_account_pick").select("demo-politie")
    at.run()
    _button(at, "demo-politie opnieuw activeren").click()
    at.run()
    no_exception(at)
    assert accounts.get_user(ws, "demo-politie") is not None


def test_the_last_active_staff_account_stays_active(writable_workspace):
    ws = writable_workspace
    staff = User("demo-gemeente", "staff")
    with pytest.raises(PermissionDenied, match="eigen account"):
        accounts.set_active(ws, "demo-gemeente", False, actor=staff)
    with pytest.raises(PermissionDenied, match="laatste actieve account"):
        accounts.set_active(ws, "demo-gemeente", False, actor="commandoregel")
    accounts.create_user(ws, "tweede.medewerker", "lang-genoeg-wachtwoord", role="staff")
    accounts.set_active(ws, "demo-gemeente", False, actor="commandoregel")
    assert accounts.get_user(ws, "demo-gemeente") is None
    with pytest.raises(PermissionDenied, match="laatste actieve account"):
        accounts.set_active(ws, "tweede.medewerker", False)
    accounts.set_active(ws, "demo-gemeente", True)
    assert accounts.get_user(ws, "demo-gemeente") is not None


def test_the_command_line_reactivates_an_account(writable_workspace):
    from click.testing import CliRunner

    from buurtkaart.cli import main

    ws = writable_workspace
    accounts.set_active(ws, "demo-politie", False)
    result = CliRunner().invoke(main, ["--workspace", str(ws.path), "users", "reactivate", "demo-politie"])
    assert result.exit_code == 0, result.output
    assert "weer actief" in result.output and accounts.get_user(ws, "demo-politie") is not None


def test_coordinator_steps_act_on_the_chosen_person_and_name_them(writable_workspace, monkeypatch):
    ws = writable_workspace
    members = ws.read("members")
    approved = members[(members["status"] == "goedgekeurd") & (members["group_id"] == "G01")]
    assert len(approved) >= 1
    at = open_app(ws, monkeypatch, role="coordinator", page=COORD)
    no_exception(at)
    assert at.selectbox(key="coord_add_pick").value is None
    add = _button(at, "Toegevoegd aan de WhatsApp-groep")
    assert add.disabled
    chosen = approved.iloc[-1]
    at.selectbox(key="coord_add_pick").select(chosen["member_id"])
    at.run()
    _button(at, "Toegevoegd aan de WhatsApp-groep").click()
    at.run()
    no_exception(at)
    assert f"{chosen['name']} ({chosen['member_id']}) is nu lid" in texts(at)
    after = ws.read("members").set_index("member_id")
    assert after.at[chosen["member_id"], "status"] == "lid"
    others = approved["member_id"].iloc[:-1]
    assert (after.loc[others, "status"] == "goedgekeurd").all()


def test_an_unknown_reference_offers_no_export_or_erasure(demo_workspace, monkeypatch):
    at = open_app(demo_workspace, monkeypatch, role="staff", page=STAFF_MEMBERS)
    at.text_input(key="staffm_reference").input("m-000000000000")
    at.run()
    no_exception(at)
    assert "Er is geen kandidaat of lid met referentie m-000000000000" in texts(at)
    assert not at.get("download_button") and "Wissen" not in [b.label for b in at.button]
    known = str(demo_workspace.read("members")["member_id"].iloc[0])
    at.text_input(key="staffm_reference").input(known)
    at.run()
    assert "Wissen" in [b.label for b in at.button]


def _token(ws, username: str, *, hours: float = 8) -> str:
    from buurtkaart.members import sessions

    return sessions.issue_token(sessions.server_secret(ws.path.resolve()), username,
                                binding=accounts.session_binding(ws, username) or "", hours=hours)


def test_a_reload_keeps_the_login_while_the_signed_cookie_is_valid(writable_workspace, monkeypatch):
    from app_pages import _shared

    ws = writable_workspace
    cookie: dict[str, str | None] = {"value": _token(ws, "demo-politie")}
    monkeypatch.setattr(_shared, "_session_cookie", lambda: cookie["value"])
    at = open_app(ws, monkeypatch, page=POLICE)  # a new session (a reload) with only the cookie
    no_exception(at)
    assert at.session_state["username"] == "demo-politie" and "Screening van kandidaten" in texts(at)
    # an expired, forged or outdated (password changed) cookie logs nobody in
    forged = _token(ws, "demo-gemeente").split(".")[0] + "." + cookie["value"].split(".")[1]
    for bad in (_token(ws, "demo-politie", hours=-1), forged, "rommel", None):
        cookie["value"] = bad
        at = open_app(ws, monkeypatch)
        no_exception(at)
        assert "username" not in at.session_state
    cookie["value"] = _token(ws, "demo-politie")
    accounts.set_password(ws, "demo-politie", "een-ander-wachtwoord")
    at = open_app(ws, monkeypatch)
    assert "username" not in at.session_state


def test_logging_in_sets_the_cookie_and_logging_out_clears_it(writable_workspace, monkeypatch):
    from app_pages import _shared

    ws = writable_workspace
    token = _token(ws, "demo-gemeente")
    monkeypatch.setattr(_shared, "_session_cookie", lambda: token)
    at = open_app(ws, monkeypatch)
    assert at.session_state["username"] == "demo-gemeente"
    next(b for b in at.button if b.key == "app_logout").click()
    at.run()
    no_exception(at)
    # the browser's cookie of this session still holds the token, but a logout is final
    assert "username" not in at.session_state
    scripts = [str(h.proto.body) for h in at.get("html")]
    assert any("buurtkaart_sessie=; Max-Age=0" in s for s in scripts)
    at.run()
    assert "username" not in at.session_state
