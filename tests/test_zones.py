"""A police zone of several municipalities in one database (buurtkaart.zones): the zone's police see and decide
the candidates of every municipality of the zone, audited in the right one; staff and coordinators of one
municipality see only theirs. Runs on the test PostGIS server; a GeoPackage stays one municipality."""

from __future__ import annotations

import dataclasses

import pytest

from buurtkaart import zones
from buurtkaart.errors import InputError, NotFound, PermissionDenied, WorkspaceError
from buurtkaart.members import audit
from buurtkaart.members import lists as member_lists
from buurtkaart.members.accounts import User, authenticate, set_active
from tests.members_helpers import POLICE
from tests.zone_helpers import ASSE_CO, ASSE_STAFF, MERCHTEM_STAFF, PASSWORD, ZONE_POLICE, make_zone


@pytest.fixture
def amow(pg_location, two_squares):
    return make_zone(pg_location, two_squares)


def test_zone_police_see_both_queues_and_decide_in_each_audited_in_the_right_one(amow):
    found = authenticate(amow.zone, ZONE_POLICE, PASSWORD)
    police = zones.zone_user(amow.zone, found.username)
    assert police is not None and police.zone == amow.zone._location.schema

    queue = zones.screening_queue(amow.zone, police)
    assert sorted(zip(queue["nis_code"], queue["member_id"], strict=True)) == sorted(
        [("23002", amow.asse_candidate), ("23052", amow.merchtem_candidate)])
    assert set(queue["municipality"]) == {"Asse", "Merchtem"}

    zones.screen(amow.zone, police, "23052", amow.merchtem_candidate, approved=False, reason="Gekend feit")
    zones.screen(amow.zone, police, "23002", amow.asse_candidate, approved=True)
    m_log = audit.read_log(amow.merchtem, audit.CLI_ACTOR, actor=ZONE_POLICE)
    a_log = audit.read_log(amow.asse, audit.CLI_ACTOR, actor=ZONE_POLICE)
    assert m_log[m_log["action"] == "gewijzigd"]["subject_ids"].tolist() == [amow.merchtem_candidate]
    assert a_log[a_log["action"] == "gewijzigd"]["subject_ids"].tolist() == [amow.asse_candidate]
    assert set(a_log["role"]) == {"police"}
    assert zones.screening_queue(amow.zone, police).empty


def test_zone_export_lists_both_municipalities_audited_in_each(amow):
    police = zones.zone_user(amow.zone, ZONE_POLICE)
    text = zones.export_screening(amow.zone, police).decode("utf-8-sig").splitlines()
    assert text[0].startswith("nis_code,municipality,member_id")
    assert sorted(line.split(",")[:3] for line in text[1:]) == [
        ["23002", "Asse", amow.asse_candidate], ["23052", "Merchtem", amow.merchtem_candidate]]
    for ws, member_id in [(amow.asse, amow.asse_candidate), (amow.merchtem, amow.merchtem_candidate)]:
        log = audit.read_log(ws, audit.CLI_ACTOR, actor=ZONE_POLICE)
        assert log[log["action"] == "geexporteerd"]["subject_ids"].tolist() == [member_id]


def test_a_decision_names_the_municipality_it_belongs_to(amow):
    police = zones.zone_user(amow.zone, ZONE_POLICE)
    with pytest.raises(NotFound):  # the Merchtem candidate is not a candidate of Asse
        zones.screen(amow.zone, police, "23002", amow.merchtem_candidate, approved=True)
    with pytest.raises(NotFound, match="hoort niet bij zone AMOW"):
        zones.screen(amow.zone, police, "23060", amow.asse_candidate, approved=True)


def test_staff_and_coordinators_of_one_municipality_see_only_theirs(amow):
    asse_queue = member_lists.screening_queue(amow.asse, ASSE_STAFF)
    assert asse_queue["member_id"].tolist() == [amow.asse_candidate]
    assert member_lists.screening_queue(amow.merchtem, MERCHTEM_STAFF)["member_id"].tolist() == [
        amow.merchtem_candidate]
    for user, ws in [(ASSE_STAFF, amow.merchtem), (ASSE_CO, amow.merchtem), (MERCHTEM_STAFF, amow.asse)]:
        with pytest.raises(PermissionDenied):
            member_lists.screening_queue(ws, user)
        with pytest.raises(PermissionDenied):
            member_lists.group_people(ws, user, "G1")
    with pytest.raises(PermissionDenied):  # a municipality's account is not one of the zone
        zones.screening_queue(amow.zone, dataclasses.replace(ASSE_STAFF, zone=amow.zone._location.schema))


def test_zone_accounts_act_only_as_police_and_only_in_the_zone(amow, pg_location, two_squares):
    police = zones.zone_user(amow.zone, ZONE_POLICE)
    assert police is not None
    with pytest.raises(PermissionDenied):  # without the zone it is no account of Asse
        member_lists.screening_queue(amow.asse, User(ZONE_POLICE, "police"))
    with pytest.raises(PermissionDenied):  # police never see a group's members
        member_lists.group_people(amow.asse, police, "G1")
    from tests.members_helpers import make_ws

    elsewhere = make_ws(pg_location("elders"), two_squares)  # a municipality the zone does not list
    with pytest.raises(PermissionDenied, match="andere politiezone"):
        member_lists.screening_queue(elsewhere, police)
    # a municipality's own police still see only their own queue
    assert member_lists.screening_queue(amow.merchtem, POLICE)["member_id"].tolist() == [amow.merchtem_candidate]


def test_a_made_up_or_deactivated_zone_account_is_refused(amow):
    asse_schema = amow.asse._location.schema
    for claim in [User("politie1", "police", zone=asse_schema),  # a municipality is no zone
                  User(ZONE_POLICE, "police", zone="t_bestaat_niet")]:  # nor is a schema that does not exist
        with pytest.raises(PermissionDenied):
            member_lists.screening_queue(amow.merchtem, claim)
    claimed_staff = User(ZONE_POLICE, "staff", zone=amow.zone._location.schema)  # the role comes from the zone
    assert member_lists.screening_queue(amow.merchtem, claimed_staff)["member_id"].tolist() == [
        amow.merchtem_candidate]
    with pytest.raises(PermissionDenied):
        member_lists.staff_queue(amow.merchtem, claimed_staff)
    police = zones.zone_user(amow.zone, ZONE_POLICE)
    set_active(amow.zone, ZONE_POLICE, False)
    with pytest.raises(PermissionDenied):
        zones.screening_queue(amow.zone, police)
    with pytest.raises(PermissionDenied):  # also straight on a municipality
        member_lists.screening_queue(amow.merchtem, police)
    assert zones.zone_user(amow.zone, ZONE_POLICE) is None


def test_registry_refuses_what_does_not_belong(amow, pg_location, two_squares):
    from tests.members_helpers import make_ws

    leuven = pg_location("leuven")
    make_ws(leuven, two_squares)
    with pytest.raises(InputError, match="hoort niet bij zone AMOW"):
        zones.add_municipality(amow.zone, leuven, nis_code="24062")
    with pytest.raises(InputError, match="al ingeschreven"):
        zones.add_municipality(amow.zone, leuven, nis_code="23002")
    with pytest.raises(InputError, match="bestaat al bij de gemeente Asse"):
        zones.add_police(amow.zone, ASSE_STAFF.username, PASSWORD)
    assert zones.municipalities(amow.zone)["nis_code"].tolist() == ["23002", "23052"]
    assert amow.asse.metadata["nis_code"] == "23002"
    with pytest.raises(WorkspaceError, match="geen politiezone"):
        zones.open_zone(amow.asse_url)


def test_a_geopackage_stays_one_municipality(tmp_path):
    with pytest.raises(WorkspaceError, match="GeoPackage-bestand is altijd één gemeente"):
        zones.create_zone(str(tmp_path / "zone.gpkg"), "AMOW")


def test_reference_zone_amow_lists_its_four_municipalities():
    amow = zones.reference_zones()["AMOW"]["municipalities"]
    assert amow == {"23002": "Asse", "23052": "Merchtem", "23060": "Opwijk", "23102": "Wemmel"}
