"""Erasure and retention: afterwards nothing of the person remains anywhere in the workspace file."""

from __future__ import annotations

import datetime as dt

import pytest

from buurtkaart.errors import InputError, NotFound, PermissionDenied
from buurtkaart.members import audit, gdpr, membership
from buurtkaart.members import lists as member_lists
from buurtkaart.workspace import Workspace
from tests.members_helpers import CO1, POLICE, STAFF, apply, make_ws, seed


@pytest.fixture
def ws(tmp_path, two_squares) -> Workspace:
    return make_ws(tmp_path, two_squares)


TRACES = ["Griet Vandenbossche", "+32478555111", "griet.vdb@voorbeeld.be", "Weststraat 9", "0478 55 51 11"]


def _griet(ws, today=dt.date(2026, 1, 10)):
    return apply(ws, address="Weststraat 9", name="Griet Vandenbossche", phone="0478 55 51 11",
                 email="griet.vdb@voorbeeld.be", today=today).member_id


def _nothing_left(ws) -> None:
    """No trace of the person in any table or anywhere in the file's bytes (free pages included)."""
    raw = ws.path.read_bytes()
    for trace in TRACES:
        assert trace.encode("utf-8") not in raw, trace
    for name in ws.layer_names():
        frame = ws.read(name)
        text = frame.drop(columns="geometry", errors="ignore").astype(str).to_numpy().ravel()
        for trace in TRACES:
            assert not any(trace in str(value) for value in text), (name, trace)
    for other in ws.path.parent.iterdir():
        if other != ws.path and other.is_file():
            content = other.read_bytes()
            assert not any(trace.encode() in content for trace in TRACES), other.name


def test_erasure_leaves_nothing_of_the_person(ws):
    member_id = _griet(ws)
    keep = apply(ws, address="Weststraat 4", name="Blijft Staan").member_id
    membership.screen(ws, POLICE, member_id, approved=True)
    membership.mark_added(ws, CO1, member_id)
    member_lists.contact_list(ws, CO1)
    # a whole-layer rewrite of the file leaves copies in free pages (members themselves are never replaced whole)
    seed(ws, {"members": ws.read("members")})
    assert b"Griet Vandenbossche" in ws.path.read_bytes()
    with pytest.raises(PermissionDenied):
        gdpr.erase_person(ws, CO1, member_id)
    gdpr.erase_person(ws, STAFF, member_id)
    _nothing_left(ws)
    assert list(ws.read("members")["member_id"]) == [keep]
    log = audit.read_log(ws, STAFF, subject_id=member_id)
    assert log.iloc[0]["action"] == "verwijderd" and log.iloc[0]["detail"] == "wisverzoek"
    with pytest.raises(NotFound):
        gdpr.erase_person(ws, STAFF, member_id)


def test_retention_erases_refused_and_departed_after_the_period(ws):
    refused_old = _griet(ws)
    membership.screen(ws, POLICE, refused_old, approved=False, reason="weigering", today=dt.date(2026, 1, 15))
    left_recent = apply(ws, address="Weststraat 6", name="Recent Vertrokken").member_id
    membership.screen(ws, POLICE, left_recent, approved=True)
    membership.mark_added(ws, CO1, left_recent)
    membership.mark_left(ws, CO1, left_recent, today=dt.date(2026, 6, 1))
    member = apply(ws, address="Weststraat 2", name="Trouw Lid", today=dt.date(2020, 1, 1)).member_id
    membership.screen(ws, POLICE, member, approved=True, today=dt.date(2020, 1, 2))
    membership.mark_added(ws, CO1, member, today=dt.date(2020, 1, 3))
    candidate = apply(ws, address="Weststraat 8", name="Wacht Nog", today=dt.date(2020, 1, 1)).member_id

    today = dt.date(2026, 7, 20)  # refused_old: 186 days ago; left_recent: 49 days ago; candidate: waiting since 2020
    assert gdpr.due_for_erasure(ws, days=180, today=today) == [refused_old, candidate]
    assert gdpr.apply_retention(ws, days=180, today=today) == [refused_old, candidate]
    _nothing_left(ws)
    assert set(ws.read("members")["member_id"]) == {left_recent, member}
    ws.set_metadata(retention_days="30")
    assert gdpr.retention_days(ws) == 30
    assert gdpr.apply_retention(ws, today=today) == [left_recent]
    assert gdpr.apply_retention(ws, today=today) == []
    log = audit.read_log(ws, STAFF)
    erased = log[log["action"] == "verwijderd"]
    assert list(erased["detail"]) == ["bewaartermijn 30 dagen", "bewaartermijn 180 dagen"]
    assert list(erased["actor"]) == ["systeem", "systeem"]


def test_retention_settings_checked(ws):
    with pytest.raises(PermissionDenied):
        gdpr.apply_retention(ws, actor=CO1)
    with pytest.raises(InputError):
        gdpr.due_for_erasure(ws, days=-1)
    ws.set_metadata(retention_days="een jaar")
    with pytest.raises(InputError, match="een jaar"):
        gdpr.retention_days(ws)
