"""Retention can be bypassed (issue 12, attack 7): imported dates are validated and stored as ISO; candidates left
waiting are erased after the retention period too."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from buurtkaart.errors import InputError
from buurtkaart.importers import prepare_import
from buurtkaart.importers.members import iso_dates
from buurtkaart.members import audit, gdpr, membership
from tests.members_helpers import DAY, POLICE, apply, make_ws


@pytest.fixture
def ws(tmp_path, two_squares):
    return make_ws(tmp_path, two_squares)


def test_dates_that_are_no_dates_are_refused_at_import(ws, tmp_path):
    source = tmp_path / "leden.csv"
    source.write_text("naam;adres;telefoon;status;lid sinds\nAn;Weststraat 5;0470123456;vertrokken;jan 2019\n"
                      "Bo;Weststraat 7;0470123457;vertrokken;31/02/2019\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        prepare_import(ws, "members", source, actor=audit.CLI_ACTOR)
    assert any("lid sinds" in p for p in err.value.problems)


def test_belgian_dates_become_iso_before_they_are_stored():
    iso, bad = iso_dates(pd.Series(["31/12/2019", "1-2-2020", "2020-03-04 00:00:00", "jan 2019", "31/02/2019"]))
    assert iso.tolist()[:3] == ["2019-12-31", "2020-02-01", "2020-03-04"]
    assert bad.tolist() == [False, False, False, True, True]


@pytest.mark.parametrize("approved", [False, True])
def test_candidates_left_waiting_expire(ws, approved):
    member_id = apply(ws).member_id  # applied on DAY
    if approved:
        membership.screen(ws, POLICE, member_id, approved=True, today=DAY)
    assert gdpr.due_for_erasure(ws, days=180, today=DAY + dt.timedelta(days=100)) == []
    later = DAY + dt.timedelta(days=200)
    assert gdpr.due_for_erasure(ws, days=180, today=later) == [member_id]
    assert gdpr.apply_retention(ws, days=180, today=later) == [member_id]
    assert ws.read("members").empty
