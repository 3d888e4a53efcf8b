"""Accounts: creation rules, login, lock-out, roles, single sign-on mapping, demo accounts."""

from __future__ import annotations

import datetime as dt
import sqlite3

import geopandas as gpd
import pytest

from buurtkaart.errors import InputError, NotFound, PermissionDenied
from buurtkaart.members import accounts, audit
from buurtkaart.members.accounts import User
from buurtkaart.workspace import Workspace
from tests.members_helpers import register

PW = "een-lang-wachtwoord"


@pytest.fixture
def ws(new_location, two_squares: gpd.GeoDataFrame) -> Workspace:
    """The accounts tests run on both backends (GeoPackage and PostGIS)."""
    ws = Workspace.create(new_location("acc"), {"groups": two_squares}, municipality="Teststad", fictional=True)
    register(ws, STAFF)
    return ws


STAFF = User("staff1", "staff")


def test_create_and_authenticate(ws):
    user = accounts.create_user(ws, "An.Peeters", PW, role="coordinator", group_ids=["G1"], display_name="An")
    assert user == User("an.peeters", "coordinator", ("G1",), "An")
    assert accounts.authenticate(ws, "an.peeters", PW) == user
    assert accounts.get_user(ws, "an.peeters") == user
    assert accounts.get_user(ws, "niemand") is None
    users = ws.read("users")
    stored = users.loc[users["username"] == "an.peeters", "password_hash"].iloc[0]
    assert stored.startswith("$argon2id$") and PW not in stored


def test_create_gathers_every_problem(ws):
    with pytest.raises(InputError) as err:
        accounts.create_user(ws, "X Y", "kort", role="coordinator", group_ids=["G9"], email="geen-mail")
    problems = err.value.problems
    assert len(problems) == 4  # username, password, unknown group, e-mail
    assert any("G9" in p for p in problems)
    with pytest.raises(InputError, match="coördinator"):
        accounts.create_user(ws, "piet", PW, role="coordinator")
    with pytest.raises(InputError):
        accounts.create_user(ws, "piet", PW, role="police", group_ids=["G1"])
    with pytest.raises(InputError):
        accounts.create_user(ws, "piet", PW, role="burgemeester")
    assert list(accounts.list_users(ws, audit.CLI_ACTOR)["username"]) == ["staff1"]  # nothing was created


def test_duplicate_username_and_email_refused(ws):
    accounts.create_user(ws, "piet", PW, role="police", email="piet@politie.be")
    with pytest.raises(InputError, match="bestaat al"):
        accounts.create_user(ws, "piet", PW, role="police")
    with pytest.raises(InputError) as err:
        accounts.create_user(ws, "piet2", PW, role="police", email="Piet@Politie.be")
    assert "e-mailadres" in str(err.value)


def test_wrong_password_and_unknown_user_say_the_same(ws):
    accounts.create_user(ws, "piet", PW, role="police")
    with pytest.raises(PermissionDenied) as wrong:
        accounts.authenticate(ws, "piet", "verkeerd-wachtwoord")
    with pytest.raises(PermissionDenied) as unknown:
        accounts.authenticate(ws, "onbekend", "verkeerd-wachtwoord")
    assert str(wrong.value) == str(unknown.value)
    assert "verkeerd-wachtwoord" not in str(wrong.value)


def test_lockout_after_repeated_failures_and_unlock(ws):
    accounts.create_user(ws, "piet", PW, role="police")
    now = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
    for _ in range(accounts.MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(PermissionDenied, match="mislukt"):
            accounts.authenticate(ws, "piet", "fout-fout-fout", now=now)
    with pytest.raises(PermissionDenied, match="geblokkeerd"):
        accounts.authenticate(ws, "piet", "fout-fout-fout", now=now)
    # even the right password is refused while locked
    with pytest.raises(PermissionDenied, match="geblokkeerd"):
        accounts.authenticate(ws, "piet", PW, now=now + dt.timedelta(minutes=1))
    # after the lock-out period the right password works again
    later = now + dt.timedelta(minutes=accounts.LOCKOUT_MINUTES + 1)
    assert accounts.authenticate(ws, "piet", PW, now=later).role == "police"
    # staff can unlock sooner
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        with pytest.raises(PermissionDenied):
            accounts.authenticate(ws, "piet", "fout-fout-fout", now=later)
    accounts.unlock_user(ws, "piet", actor=STAFF)
    assert accounts.authenticate(ws, "piet", PW, now=later).username == "piet"
    log = audit.read_log(ws, STAFF)
    assert {"aanmelding_mislukt", "geblokkeerd", "aangemeld", "gewijzigd"} <= set(log["action"])


def test_a_success_resets_the_failure_count(ws):
    accounts.create_user(ws, "piet", PW, role="police")
    for _ in range(3):
        for _ in range(accounts.MAX_FAILED_ATTEMPTS - 1):
            with pytest.raises(PermissionDenied, match="mislukt"):
                accounts.authenticate(ws, "piet", "fout-fout-fout")
        accounts.authenticate(ws, "piet", PW)


def test_only_staff_manage_accounts(ws):
    coordinator = accounts.create_user(ws, "co", PW, role="coordinator", group_ids=["G1"])
    police = accounts.create_user(ws, "po", PW, role="police")
    for actor in (coordinator, police, None):
        with pytest.raises(PermissionDenied):
            accounts.create_user(ws, "nieuw", PW, role="staff", actor=actor)
        with pytest.raises(PermissionDenied):
            accounts.list_users(ws, actor)
        with pytest.raises(PermissionDenied):
            accounts.unlock_user(ws, "co", actor=actor)
    created = accounts.create_user(ws, "nieuw", PW, role="staff", actor=STAFF)
    assert created.is_staff
    listed = accounts.list_users(ws, STAFF)
    assert list(listed["username"]) == ["co", "nieuw", "po", "staff1"]
    assert "password_hash" not in listed.columns


def test_deactivated_account_cannot_log_in(ws):
    accounts.create_user(ws, "piet", PW, role="police")
    accounts.set_active(ws, "piet", False, actor=STAFF)
    with pytest.raises(PermissionDenied):
        accounts.authenticate(ws, "piet", PW)
    assert accounts.get_user(ws, "piet") is None
    accounts.set_active(ws, "piet", True, actor=STAFF)
    assert accounts.authenticate(ws, "piet", PW).username == "piet"


def test_set_password_and_groups(ws):
    co = accounts.create_user(ws, "co", PW, role="coordinator", group_ids=["G1"])
    accounts.set_password(ws, "co", "nieuw-wachtwoord-1", actor=co)  # own password
    assert accounts.authenticate(ws, "co", "nieuw-wachtwoord-1") == co
    with pytest.raises(PermissionDenied):
        accounts.set_password(ws, "andere", "nieuw-wachtwoord-1", actor=co)
    with pytest.raises(InputError):
        accounts.set_password(ws, "co", "kort", actor=STAFF)
    accounts.set_groups(ws, "co", ["G1", "G2"], actor=STAFF)
    assert accounts.get_user(ws, "co").group_ids == ("G1", "G2")
    with pytest.raises(InputError):
        accounts.set_groups(ws, "co", ["G7"], actor=STAFF)
    with pytest.raises(NotFound):
        accounts.unlock_user(ws, "bestaat-niet", actor=STAFF)


def test_user_scope():
    co = User("co", "coordinator", ("G1",))
    assert co.may_see_group("G1") and not co.may_see_group("G2") and not co.may_see_group(None)
    assert User("s", "staff").may_see_group("G2") and User("s", "staff").may_see_group(None)
    assert not User("p", "police").may_see_group("G1")


def test_single_sign_on_maps_email_to_account(ws):
    accounts.create_user(ws, "an", PW, role="staff", email="an@asse.be")
    assert accounts.user_for_email(ws, " AN@asse.be ").username == "an"
    with pytest.raises(PermissionDenied, match="geen actief"):
        accounts.user_for_email(ws, "vreemde@elders.be")
    with pytest.raises(PermissionDenied):
        accounts.user_for_email(ws, "")


def test_demo_accounts_only_in_fictional_workspace(ws, new_location, two_squares):
    made = accounts.seed_demo_accounts(ws)
    assert made == {"demo-gemeente": "staff", "demo-politie": "police", "demo-coordinator": "coordinator",
                    "demo-coordinator2": "coordinator"}
    assert accounts.authenticate(ws, "demo-coordinator2", accounts.DEMO_PASSWORD).group_ids == ("G2",)
    assert accounts.seed_demo_accounts(ws) == made  # idempotent
    real = Workspace.create(new_location("echt"), {"groups": two_squares}, municipality="Asse")
    with pytest.raises(PermissionDenied):
        accounts.seed_demo_accounts(real)
    assert accounts.list_users(real, audit.CLI_ACTOR).empty


def test_old_workspace_without_users_table_gets_one(tmp_path, two_squares):
    ws = Workspace.create(tmp_path / "oud.gpkg", {"groups": two_squares}, municipality="Teststad")
    con = sqlite3.connect(ws.path)
    con.execute("DROP TABLE users")
    con.execute("DELETE FROM gpkg_contents WHERE table_name = 'users'")
    con.commit()
    con.close()
    assert accounts.get_user(ws, "x") is None
    accounts.create_user(ws, "eerste", PW, role="staff")
    assert accounts.authenticate(ws, "eerste", PW).is_staff
    assert "users" in ws.layer_names()
    assert list(ws.read("users")["username"]) == ["eerste"]
