"""The joining workflow, role by role: apply → screen → add → sticker → leave, and what each role may do.

The drawable town of conftest.py: G1 (west square) and G2 (east square); the municipality reaches to x = 300, so
an address at x = 250 is in the municipality but in no group. Addresses are found by a tiny local fake of the
lookup (``FakeIndex``: ``Weststraat N`` lies in G1, ``Ooststraat N`` in G2, ``Veldweg N`` in no group); the
group comes from the real :func:`buurtkaart.assignment.points.assign_points`.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from buurtkaart.errors import InputError, NotFound, PermissionDenied
from buurtkaart.members import audit, gdpr, membership
from buurtkaart.members import lists as member_lists
from buurtkaart.members.membership import Application
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import X0, Y0, pt
from tests.members_helpers import CO1, CO2, POLICE, STAFF, apply, make_ws


@pytest.fixture
def ws(new_location, two_squares) -> Workspace:
    """The membership workflow and the role matrix run on both backends (GeoPackage and PostGIS)."""
    return make_ws(new_location("m"), two_squares)


def row(ws, member_id):
    members = ws.read("members")
    return members[members["member_id"] == member_id].iloc[0]


def test_full_workflow_keeps_status_date_and_actor_of_each_step(ws):
    receipt = apply(ws)
    assert receipt.group_id == "G1" and receipt.group_name == "West" and "West" in receipt.message
    r = row(ws, receipt.member_id)
    assert (r["status"], r["applied_on"], r["status_by"], r["group_id"]) == ("kandidaat", "2026-03-01", "publiek", "G1")
    assert (r["declaration_version"], r["declared_on"], r["consent_police"]) == (
        membership.declaration()["version"], "2026-03-01", "ja")
    assert r["phone"] == "+32470123456" and r["street"] == "Weststraat" and r["housenumber"] == 3
    assert r.geometry.within(shapely.box(X0, Y0, X0 + 100, Y0 + 100))

    membership.screen(ws, POLICE, receipt.member_id, approved=True, today=dt.date(2026, 3, 5))
    membership.mark_added(ws, CO1, receipt.member_id, today=dt.date(2026, 3, 8))
    membership.mark_sticker(ws, CO1, receipt.member_id, today=dt.date(2026, 3, 9))
    r = row(ws, receipt.member_id)
    assert (r["status"], r["screened_by"], r["screened_on"]) == ("lid", "politie1", "2026-03-05")
    assert (r["added_by"], r["added_on"], r["sticker_by"], r["sticker_on"]) == (
        "coord1", "2026-03-08", "coord1", "2026-03-09")
    membership.mark_left(ws, CO1, receipt.member_id, today=dt.date(2026, 4, 1))
    r = row(ws, receipt.member_id)
    assert (r["status"], r["left_on"], r["status_on"]) == ("vertrokken", "2026-04-01", "2026-04-01")

    log = audit.read_log(ws, STAFF, subject_id=receipt.member_id).iloc[::-1]
    changes = log[log["action"].isin(["aangemaakt", "gewijzigd"])]
    assert list(zip(changes["actor"], changes["detail"].str.split(",").str[0], strict=True)) == [
        ("publiek", "kandidaat"),
        ("politie1", "kandidaat → goedgekeurd"),
        ("coord1", "goedgekeurd → lid"),
        ("coord1", "sticker afgegeven"),
        ("coord1", "lid → vertrokken"),
    ]


def test_application_gathers_every_problem_and_writes_nothing(ws):
    with pytest.raises(InputError) as err:
        apply(ws, name=" ", phone="12", email="geen-mail", declaration=False, consent=False, address="")
    assert len(err.value.problems) == 6
    assert ws.read("members").empty


def test_unknown_address_gives_suggestions_and_writes_nothing(ws):
    with pytest.raises(InputError) as err:
        apply(ws, address="Nergensstraat 5")
    assert any("Weststraat 1" in p for p in err.value.problems)
    assert ws.read("members").empty


def test_errors_never_repeat_personal_data(ws):
    with pytest.raises(InputError) as err:
        apply(ws, name="Mieke Secreet" * 20, phone="0470 99 88 7")
    assert "Mieke" not in str(err.value) and "99 88" not in str(err.value)
    receipt = apply(ws, name="Mieke Secreet")
    with pytest.raises(PermissionDenied) as denied:
        member_lists.contact_list(ws, CO2, "G1")
    with pytest.raises(InputError) as wrong:
        membership.mark_added(ws, CO1, receipt.member_id)
    for exc in (denied.value, wrong.value):
        assert "Mieke" not in str(exc) and "Weststraat" not in str(exc)


def test_uncovered_address_is_routed_to_staff(ws):
    receipt = apply(ws, address="Veldweg 4")
    assert receipt.group_id is None and receipt.assign_status == "niet_gedekt"
    assert "preventiedienst" in receipt.message
    queue = member_lists.staff_queue(ws, STAFF)
    assert list(queue["member_id"]) == [receipt.member_id]
    for user in (CO1, CO2):
        assert member_lists.group_people(ws, user).empty
        with pytest.raises(PermissionDenied):
            member_lists.group_people(ws, user, statuses=("kandidaat", "goedgekeurd", "lid"))
    assert list(member_lists.group_people(ws, STAFF, statuses=("kandidaat",))["member_id"]) == [receipt.member_id]
    membership.screen(ws, POLICE, receipt.member_id, approved=True)
    with pytest.raises(PermissionDenied):
        membership.mark_added(ws, CO1, receipt.member_id)  # no group: not theirs
    with pytest.raises(InputError, match="nog geen groep"):
        membership.mark_added(ws, STAFF, receipt.member_id)
    with pytest.raises(PermissionDenied):
        membership.assign_group(ws, CO2, receipt.member_id, "G2")
    with pytest.raises(InputError):
        membership.assign_group(ws, STAFF, receipt.member_id, "G9")
    membership.assign_group(ws, STAFF, receipt.member_id, "G2")
    assert member_lists.staff_queue(ws, STAFF).empty
    assert list(member_lists.group_people(ws, CO2)["member_id"]) == [receipt.member_id]
    membership.mark_added(ws, CO2, receipt.member_id)


def test_police_refusal_needs_a_reason_and_only_police_screen(ws):
    receipt = apply(ws)
    with pytest.raises(InputError, match="reden"):
        membership.screen(ws, POLICE, receipt.member_id, approved=False)
    for user in (None, CO1, STAFF):
        with pytest.raises(PermissionDenied):
            membership.screen(ws, user, receipt.member_id, approved=True)
    membership.screen(ws, POLICE, receipt.member_id, approved=False, reason="Niet gescreend: onvolledig")
    r = row(ws, receipt.member_id)
    assert (r["status"], r["refusal_reason"]) == ("geweigerd", "Niet gescreend: onvolledig")
    assert "onvolledig" not in " ".join(audit.read_log(ws, STAFF)["detail"])
    with pytest.raises(InputError, match="geweigerd"):
        membership.screen(ws, POLICE, receipt.member_id, approved=True)  # a second screening is refused
    with pytest.raises(NotFound):
        membership.screen(ws, POLICE, "m-bestaatniet", approved=True)


def test_steps_in_the_wrong_order_are_refused(ws):
    receipt = apply(ws)
    with pytest.raises(InputError, match="kandidaat"):
        membership.mark_added(ws, CO1, receipt.member_id)
    with pytest.raises(InputError):
        membership.mark_sticker(ws, CO1, receipt.member_id)
    membership.screen(ws, POLICE, receipt.member_id, approved=True)
    membership.mark_added(ws, CO1, receipt.member_id)
    membership.mark_sticker(ws, CO1, receipt.member_id)
    with pytest.raises(InputError, match="sticker"):
        membership.mark_sticker(ws, CO1, receipt.member_id)


def _populate(ws):
    """Two members and one approved candidate in G1, one member in G2, one candidate waiting for the police."""
    ids = {}
    for key, address in [("a", "Weststraat 3"), ("b", "Weststraat 8"), ("c", "Weststraat 5"),
                         ("d", "Ooststraat 2"), ("e", "Ooststraat 7")]:
        ids[key] = apply(ws, address=address, name=f"Persoon {key.upper()}").member_id
    for key in "abcd":
        membership.screen(ws, POLICE, ids[key], approved=True)
    for key, co in [("a", CO1), ("b", CO1), ("d", CO2)]:
        membership.mark_added(ws, co, ids[key])
    return ids


def test_each_role_sees_only_what_it_may(ws):
    ids = _populate(ws)
    # coordinator G1: own group only
    people = member_lists.group_people(ws, CO1)
    assert set(people["member_id"]) == {ids["a"], ids["b"], ids["c"]}
    assert list(people["status"]) == ["goedgekeurd", "lid", "lid"]
    assert set(member_lists.contact_list(ws, CO1)["member_id"]) == {ids["a"], ids["b"]}
    for fn in (member_lists.group_people, member_lists.contact_list, member_lists.sticker_list):
        with pytest.raises(PermissionDenied):
            fn(ws, CO1, "G2")
    with pytest.raises(PermissionDenied):
        member_lists.screening_queue(ws, CO1)
    with pytest.raises(PermissionDenied):
        member_lists.staff_queue(ws, CO1)
    with pytest.raises(PermissionDenied):
        membership.mark_added(ws, CO2, ids["c"])
    with pytest.raises(PermissionDenied):
        membership.mark_left(ws, CO2, ids["a"])
    # a coordinator sees no candidate before the police approved them, and no refused one
    assert ids["e"] not in set(member_lists.group_people(ws, CO2)["member_id"])
    for statuses in (("kandidaat",), ("geweigerd",)):
        with pytest.raises(PermissionDenied):
            member_lists.group_people(ws, CO2, statuses=statuses)
    # coordinator G2
    assert set(member_lists.group_people(ws, CO2)["member_id"]) == {ids["d"]}
    # police: the screening queue only
    assert list(member_lists.screening_queue(ws, POLICE)["member_id"]) == [ids["e"]]
    for fn in (member_lists.group_people, member_lists.contact_list, member_lists.sticker_list):
        with pytest.raises(PermissionDenied):
            fn(ws, POLICE)
    with pytest.raises(PermissionDenied):
        membership.mark_added(ws, POLICE, ids["c"])
    with pytest.raises(PermissionDenied):
        gdpr.export_person(ws, POLICE, ids["e"])
    # the public: nobody's data
    for fn in (member_lists.group_people, member_lists.contact_list, member_lists.sticker_list,
               member_lists.screening_queue, member_lists.staff_queue):
        with pytest.raises(PermissionDenied):
            fn(ws, None)
    with pytest.raises(PermissionDenied):
        member_lists.export_list(ws, None, "contacts")
    # staff: every group
    assert set(member_lists.group_people(ws, STAFF)["member_id"]) == {ids[k] for k in "abcd"}
    assert set(member_lists.contact_list(ws, STAFF, "G2")["member_id"]) == {ids["d"]}


def test_every_view_and_export_is_audited(ws):
    ids = _populate(ws)
    before = len(audit.read_log(ws, STAFF))
    member_lists.contact_list(ws, CO1)
    csv = member_lists.export_list(ws, CO1, "contacts").decode("utf-8-sig")
    assert csv.splitlines()[0] == ",".join(member_lists.COLUMNS["contacts"])
    assert "Persoon A" in csv and "Persoon D" not in csv
    log = audit.read_log(ws, STAFF)
    new = log.head(len(log) - before)
    assert set(new["actor"]) == {"coord1"}
    assert "geexporteerd" in set(new["action"]) and "bekeken" in set(new["action"])
    exported = new[new["action"] == "geexporteerd"].iloc[0]
    assert set(exported["subject_ids"].split(",")) == {ids["a"], ids["b"]}
    assert not any("Persoon" in str(v) for v in log.to_numpy().ravel())
    with pytest.raises(PermissionDenied):
        member_lists.export_list(ws, POLICE, "contacts")
    with pytest.raises(InputError):
        member_lists.export_list(ws, CO1, "alles")


def test_sticker_list_in_walking_order_and_without_delivered(ws):
    ids = {}
    for n in (2, 7, 1, 4, 3):
        r = apply(ws, address=f"Weststraat {n}", name=f"Huis {n}")
        membership.screen(ws, POLICE, r.member_id, approved=True)
        membership.mark_added(ws, CO1, r.member_id)
        ids[n] = r.member_id
    membership.mark_sticker(ws, CO1, ids[4])
    stickers = member_lists.sticker_list(ws, CO1)
    assert list(stickers["housenumber"]) == [1, 3, 7, 2]  # odd side up, even side back
    assert list(stickers["stop"]) == [1, 2, 3, 4]
    assert member_lists.sticker_list(ws, CO2).empty


def test_gdpr_access_export(ws):
    receipt = apply(ws)
    membership.screen(ws, POLICE, receipt.member_id, approved=True)
    with pytest.raises(PermissionDenied):
        gdpr.export_person(ws, CO1, receipt.member_id)
    data = gdpr.export_person(ws, STAFF, receipt.member_id)
    assert data["persoon"]["name"] == "Jan Peeters" and data["persoon"]["status"] == "goedgekeurd"
    assert data["verklaring"]["versie"] == membership.declaration()["version"]
    assert [line["action"] for line in data["audit"]][:2] == ["aangemaakt", "gewijzigd"]
    assert b"Jan Peeters" in gdpr.export_person_json(ws, STAFF, receipt.member_id)
    with pytest.raises(NotFound):
        gdpr.export_person(ws, STAFF, "m-000000000000")


def test_application_through_the_real_lookup(ws):
    """No fakes: the register's addresses, the real AddressIndex and GroupIndex."""
    from buurtkaart.assignment.points import GroupIndex
    from buurtkaart.geocoding.lookup import AddressIndex

    numbers = [1, 3, 5, 9]
    addresses = gpd.GeoDataFrame(
        {"address_id": [f"W{n}" for n in numbers] + ["O2"], "street": ["Weststraat"] * 4 + ["Ooststraat"],
         "housenumber": [*numbers, 2], "postcode": ["9990"] * 5, "deelgemeente": ["Teststad"] * 5},
        geometry=[pt(10 * n, 55) for n in numbers] + [pt(150, 45)], crs=WORKING_CRS)
    ws.write({"addresses": addresses})
    index, groups = AddressIndex.from_workspace(ws), GroupIndex.from_workspace(ws)

    def send(text):
        return membership.submit_application(ws, Application(
            name="Echte Opzoeking", address_text=text, phone="0470 12 34 56", declaration_accepted=True,
            consent_police=True), index=index, groups=groups)

    exact = send("weststraat 3, 9990")
    assert (exact.group_id, exact.assign_status) == ("G1", "toegewezen")
    fuzzy = send("Oostraat 2")
    assert fuzzy.group_id == "G2"
    between = send("Weststraat 7")  # not in the register: placed between 5 and 9 on the odd side
    members = ws.read("members").set_index("member_id")
    assert members.loc[exact.member_id, "address_id"] == "W3"
    assert members.loc[exact.member_id, "address_text"].startswith("Weststraat 3")
    assert pd.isna(members.loc[between.member_id, "address_id"])
    assert abs(members.loc[between.member_id].geometry.x - pt(70, 55).x) < 1e-6
    with pytest.raises(InputError) as err:
        send("Weststraat")  # a street alone is not an address
    assert err.value.problems
    assert len(ws.read("members")) == 3
