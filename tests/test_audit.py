"""The audit log: append-only, staff-only, ids not names — on both backends (GeoPackage and PostGIS)."""

from __future__ import annotations

import pytest

from buurtkaart.errors import InputError, PermissionDenied
from buurtkaart.members import audit
from buurtkaart.members.accounts import User
from tests.members_helpers import register

STAFF = User("staff1", "staff")


@pytest.fixture
def store_workspace(store_workspace):
    """The empty workspace (both backends) with the account STAFF (the library re-reads every actor from the users
    table)."""
    register(store_workspace, STAFF)
    return store_workspace


def test_lines_are_numbered_and_newest_first(store_workspace):
    for i in range(3):
        with store_workspace.transaction() as con:
            audit.record(con, actor=STAFF, action="bekeken", subject="members", subject_ids=[f"m-{i}", "m-x"])
    log = audit.read_log(store_workspace, STAFF)
    assert list(log["log_id"]) == [3, 2, 1]
    assert list(log["subject_ids"]) == ["m-2,m-x", "m-1,m-x", "m-0,m-x"]
    assert set(log["actor"]) == {"staff1"} and set(log["role"]) == {"staff"}
    assert list(audit.read_log(store_workspace, STAFF, subject_id="m-1")["log_id"]) == [2]
    assert len(audit.read_log(store_workspace, STAFF, subject_id="m-x", limit=2)) == 2
    assert audit.read_log(store_workspace, STAFF, actor="iemand").empty


def test_public_and_fixed_actors(store_workspace):
    with store_workspace.transaction() as con:
        audit.record(con, actor=None, action="aangemaakt", subject="members", subject_ids=["m-1"])
        audit.record(con, actor=audit.CLI_ACTOR, action="geexporteerd", subject="members", count=7)
    log = audit.read_log(store_workspace, STAFF)
    assert list(log["actor"]) == ["commandoregel", "publiek"]
    assert list(log["count"]) == [7, 1]


def test_only_staff_read_the_log(store_workspace):
    for user in (None, User("c", "coordinator", ("G1",)), User("p", "police")):
        with pytest.raises(PermissionDenied):
            audit.read_log(store_workspace, user)


def test_log_is_append_only(store_workspace):
    with store_workspace.transaction() as con:
        audit.record(con, actor=STAFF, action="verwijderd", subject="members", subject_ids=["m-1"])
    for sql in ("UPDATE audit_log SET actor = 'iemand anders'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), store_workspace.transaction() as con:
            con.execute(sql)
    assert len(audit.read_log(store_workspace, STAFF)) == 1


def test_unknown_action_refused_and_nothing_written(store_workspace):
    with pytest.raises(InputError, match="Onbekende audit-actie"), store_workspace.transaction() as con:
        audit.record(con, actor=STAFF, action="gelezen", subject="members")
    assert audit.read_log(store_workspace, STAFF).empty


def test_a_failed_change_leaves_no_line(store_workspace):
    with pytest.raises(RuntimeError), store_workspace.transaction() as con:
        audit.record(con, actor=STAFF, action="gewijzigd", subject="members", subject_ids=["m-1"])
        raise RuntimeError("change failed after the line was written")
    assert audit.read_log(store_workspace, STAFF).empty


def test_log_readable_as_a_layer(store_workspace):
    with store_workspace.transaction() as con:
        audit.record(con, actor=STAFF, action="bekeken", subject="members", subject_ids=["m-1"])
    frame = store_workspace.read("audit_log")
    assert list(frame["action"]) == ["bekeken"]


def test_a_redrawn_list_is_one_view_until_its_records_change(store_workspace):
    def view(ids):
        with store_workspace.transaction() as con:
            return audit.record_view(con, actor=STAFF, subject="members", subject_ids=ids, detail="lijst groep")

    assert view(["m-1", "m-2"]) is True
    assert view(["m-1", "m-2"]) is False  # the same page drawn again
    assert view(["m-1", "m-2", "m-3"]) is True  # someone new on the list
    with store_workspace.transaction() as con:
        audit.record_view(con, actor=User("ander", "staff"), subject="members", subject_ids=["m-1", "m-2", "m-3"],
                          detail="lijst groep")
    log = audit.read_log(store_workspace, STAFF)
    assert list(log["subject_ids"]) == ["m-1,m-2,m-3", "m-1,m-2,m-3", "m-1,m-2"]
    assert list(log["actor"]) == ["ander", "staff1", "staff1"]
