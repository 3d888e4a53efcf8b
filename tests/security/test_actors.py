"""The library trusts no actor it is given (issue 12, attack 3): every call that returns or changes personal data
re-reads the account from the users table; only the command line and scheduled jobs exist besides accounts; the
accounts, members and audit log are never replaced by whole-layer writes."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest

from buurtkaart.errors import PermissionDenied, WorkspaceError
from buurtkaart.exports import export_layer
from buurtkaart.importers import prepare_import
from buurtkaart.members import accounts, audit, gdpr, membership
from buurtkaart.members import lists as member_lists
from buurtkaart.members.accounts import User
from buurtkaart.workspace import RECORD_ONLY_LAYERS
from tests.members_helpers import CO1, POLICE, STAFF, apply, make_ws

NOBODY = User("niemand", "staff")


@pytest.fixture
def ws(tmp_path, two_squares):
    ws = make_ws(tmp_path, two_squares)
    apply(ws)
    return ws


def _personal_data_calls(ws, actor, tmp_path):
    member_id = str(ws.read("members")["member_id"].iloc[0])
    return {
        "screening": lambda: member_lists.screening_queue(ws, actor),
        "group": lambda: member_lists.group_people(ws, actor, "G1"),
        "contacts": lambda: member_lists.contact_list(ws, actor, "G1"),
        "staff_queue": lambda: member_lists.staff_queue(ws, actor),
        "export_list": lambda: member_lists.export_list(ws, actor, "screening"),
        "gdpr_export": lambda: gdpr.export_person(ws, actor, member_id),
        "gdpr_erase": lambda: gdpr.erase_person(ws, actor, member_id),
        "retention": lambda: gdpr.apply_retention(ws, actor=actor),
        "audit": lambda: audit.read_log(ws, actor),
        "users": lambda: accounts.list_users(ws, actor),
        "create_user": lambda: accounts.create_user(ws, "nieuw", "een-lang-wachtwoord", role="staff", actor=actor),
        "screen": lambda: membership.screen(ws, actor, member_id, approved=True),
        "export_layer": lambda: export_layer(ws, "members", tmp_path / "leden.csv", actor=actor),
    }


@pytest.mark.parametrize("actor", [NOBODY, User("gemeente1", "staff", display_name="vals"), "niemand", "staff",
                                   "publiek", None, 42], ids=repr)
def test_made_up_actors_get_nothing(ws, tmp_path, actor):
    if isinstance(actor, User) and actor.username == "gemeente1":  # the real account, deactivated
        # another staff account first: the last active staff account is never deactivated
        accounts.create_user(ws, "gemeente2", "een-lang-wachtwoord", role="staff", actor=audit.CLI_ACTOR)
        accounts.set_active(ws, "gemeente1", False, actor=audit.CLI_ACTOR)
    before = len(ws.read("audit_log"))
    for name, call in _personal_data_calls(ws, actor, tmp_path).items():
        with pytest.raises(PermissionDenied):
            call()
            pytest.fail(f"{name} accepted {actor!r}")
    assert not (tmp_path / "leden.csv").exists()
    assert len(ws.read("audit_log")) == before, "nothing was done, so nothing is logged as done"


def test_a_locked_account_object_stops_working(ws, tmp_path):
    assert len(member_lists.screening_queue(ws, POLICE)) == 1
    with ws.transaction() as con:
        until = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)).isoformat(timespec="seconds")
        con.execute("UPDATE users SET locked_until = ? WHERE username = ?", (until, POLICE.username))
    with pytest.raises(PermissionDenied):
        member_lists.screening_queue(ws, POLICE)


def test_role_and_groups_come_from_the_table_not_the_object(ws):
    claims_staff = User(CO1.username, "staff", ("G1", "G2"))
    with pytest.raises(PermissionDenied):
        member_lists.staff_queue(ws, claims_staff)
    with pytest.raises(PermissionDenied):
        member_lists.contact_list(ws, claims_staff, "G2")
    accounts.set_groups(ws, CO1.username, ["G2"], actor=STAFF)
    with pytest.raises(PermissionDenied):  # moved to G2 a moment ago: G1 is no longer theirs
        member_lists.group_people(ws, CO1, "G1")


def test_the_command_line_is_the_only_other_actor(ws, tmp_path):
    assert len(member_lists.screening_queue(ws, audit.CLI_ACTOR)) == 1
    assert not audit.read_log(ws, audit.CLI_ACTOR).empty
    with pytest.raises(PermissionDenied):
        member_lists.screening_queue(ws, User(audit.CLI_ACTOR, "staff"))  # an object named so is no account
    with pytest.raises(Exception, match="voorbehouden"):
        accounts.create_user(ws, audit.CLI_ACTOR, "een-lang-wachtwoord", role="staff")


def test_imports_need_staff(ws, tmp_path):
    source = tmp_path / "leden.csv"
    source.write_text("naam;adres;telefoon\nAn;Weststraat 5;0470123456\n", encoding="utf-8")
    for actor in (POLICE, CO1, NOBODY, "iemand", None):
        with pytest.raises(PermissionDenied):
            prepare_import(ws, "members", source, actor=actor)


@pytest.mark.parametrize("name", RECORD_ONLY_LAYERS)
def test_record_layers_are_never_replaced_whole(ws, name):
    frame = ws.read(name)
    with pytest.raises(WorkspaceError):
        ws.write({name: frame.iloc[0:0]})
    assert len(ws.read(name)) == len(frame)


def test_the_audit_log_keeps_its_triggers(ws):
    empty = pd.DataFrame(ws.read("audit_log")).iloc[0:0]
    with pytest.raises(WorkspaceError):
        ws.write({"audit_log": empty, "groups": gpd.GeoDataFrame(ws.read("groups"))})
    with ws.transaction() as con, pytest.raises(Exception, match="append-only"):
        con.execute("DELETE FROM audit_log")
    assert len(ws.read("audit_log")) > 0
