"""The audit log: append-only, staff-only, ids not names."""

from __future__ import annotations

import sqlite3

import pytest

from buurtkaart import audit
from buurtkaart.accounts import User
from buurtkaart.errors import InputError, PermissionDenied
from tests.members_helpers import register

STAFF = User("staff1", "staff")


@pytest.fixture
def tmp_workspace(tmp_workspace):
    """The empty workspace with the account STAFF (the library re-reads every actor from the users table)."""
    register(tmp_workspace, STAFF)
    return tmp_workspace


def test_lines_are_numbered_and_newest_first(tmp_workspace):
    for i in range(3):
        with tmp_workspace.transaction() as con:
            audit.record(con, actor=STAFF, action="bekeken", subject="members", subject_ids=[f"m-{i}", "m-x"])
    log = audit.read_log(tmp_workspace, STAFF)
    assert list(log["log_id"]) == [3, 2, 1]
    assert list(log["subject_ids"]) == ["m-2,m-x", "m-1,m-x", "m-0,m-x"]
    assert set(log["actor"]) == {"staff1"} and set(log["role"]) == {"staff"}
    assert list(audit.read_log(tmp_workspace, STAFF, subject_id="m-1")["log_id"]) == [2]
    assert len(audit.read_log(tmp_workspace, STAFF, subject_id="m-x", limit=2)) == 2
    assert audit.read_log(tmp_workspace, STAFF, actor="iemand").empty


def test_public_and_fixed_actors(tmp_workspace):
    with tmp_workspace.transaction() as con:
        audit.record(con, actor=None, action="aangemaakt", subject="members", subject_ids=["m-1"])
        audit.record(con, actor=audit.CLI_ACTOR, action="geexporteerd", subject="members", count=7)
    log = audit.read_log(tmp_workspace, STAFF)
    assert list(log["actor"]) == ["commandoregel", "publiek"]
    assert list(log["count"]) == [7, 1]


def test_only_staff_read_the_log(tmp_workspace):
    for user in (None, User("c", "coordinator", ("G1",)), User("p", "police")):
        with pytest.raises(PermissionDenied):
            audit.read_log(tmp_workspace, user)


def test_log_is_append_only(tmp_workspace):
    with tmp_workspace.transaction() as con:
        audit.record(con, actor=STAFF, action="verwijderd", subject="members", subject_ids=["m-1"])
    con = sqlite3.connect(tmp_workspace.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit_log SET actor = 'iemand anders'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_log")
    con.close()
    assert len(audit.read_log(tmp_workspace, STAFF)) == 1


def test_unknown_action_refused_and_nothing_written(tmp_workspace):
    with pytest.raises(InputError, match="Onbekende audit-actie"), tmp_workspace.transaction() as con:
        audit.record(con, actor=STAFF, action="gelezen", subject="members")
    assert audit.read_log(tmp_workspace, STAFF).empty


def test_a_failed_change_leaves_no_line(tmp_workspace):
    with pytest.raises(RuntimeError), tmp_workspace.transaction() as con:
        audit.record(con, actor=STAFF, action="gewijzigd", subject="members", subject_ids=["m-1"])
        raise RuntimeError("change failed after the line was written")
    assert audit.read_log(tmp_workspace, STAFF).empty


def test_log_readable_as_a_layer(tmp_workspace):
    with tmp_workspace.transaction() as con:
        audit.record(con, actor=STAFF, action="bekeken", subject="members", subject_ids=["m-1"])
    frame = tmp_workspace.read("audit_log")
    assert list(frame["action"]) == ["bekeken"]


def test_a_redrawn_list_is_one_view_until_its_records_change(tmp_workspace):
    def view(ids):
        with tmp_workspace.transaction() as con:
            return audit.record_view(con, actor=STAFF, subject="members", subject_ids=ids, detail="lijst groep")

    assert view(["m-1", "m-2"]) is True
    assert view(["m-1", "m-2"]) is False  # the same page drawn again
    assert view(["m-1", "m-2", "m-3"]) is True  # someone new on the list
    with tmp_workspace.transaction() as con:
        audit.record_view(con, actor=User("ander", "staff"), subject="members", subject_ids=["m-1", "m-2", "m-3"],
                          detail="lijst groep")
    log = audit.read_log(tmp_workspace, STAFF)
    assert list(log["subject_ids"]) == ["m-1,m-2,m-3", "m-1,m-2,m-3", "m-1,m-2"]
    assert list(log["actor"]) == ["ander", "staff1", "staff1"]
