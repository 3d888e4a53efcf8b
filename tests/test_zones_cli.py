"""The command line of a police zone: create zone AMOW, enrol two municipalities, add a police account, list."""

from __future__ import annotations

import json

from click.testing import CliRunner

from buurtkaart import zones
from buurtkaart.cli import main
from buurtkaart.members import audit
from buurtkaart.members.accounts import authenticate
from tests.members_helpers import make_ws

PW = "politie-wachtwoord"


def run(location: str, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--workspace", location, "zone", *args], input=input)


def test_zone_setup_from_the_command_line(pg_location, two_squares):
    asse, merchtem, zone = pg_location("asse"), pg_location("merchtem"), pg_location("zone")
    make_ws(asse, two_squares)
    make_ws(merchtem, two_squares)

    created = run(zone, "create", "amow")
    assert created.exit_code == 0, created.output
    assert "Zone AMOW (Politiezone AMOW) aangemaakt" in created.output
    for nis, location in [("23002", asse), ("23052", merchtem)]:
        added = run(zone, "add-municipality", nis, location)
        assert added.exit_code == 0, added.output
    assert "23052 Merchtem" in added.output
    user = run(zone, "users", "add", "inspecteur.peeters", "--role", "police", "--password-stdin",
               input=f"{PW}\n")
    assert user.exit_code == 0, user.output
    assert "Politie-account 'inspecteur.peeters' van zone AMOW aangemaakt" in user.output

    listed = run(zone, "list", "--json")
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.output)
    assert data["zone"] == "AMOW"
    assert [(m["nis_code"], m["name"]) for m in data["municipalities"]] == [("23002", "Asse"), ("23052", "Merchtem")]
    assert "2 gemeenten" in run(zone, "list").output

    ws = zones.open_zone(zone)
    assert authenticate(ws, "inspecteur.peeters", PW).role == "police"
    lines = audit.read_log(ws, audit.CLI_ACTOR)
    assert set(lines["subject_ids"]) >= {"AMOW", "23002", "23052", "inspecteur.peeters"}


def test_zone_errors_are_dutch_and_exit_1(pg_location, two_squares, tmp_path):
    zone, asse = pg_location("zone"), pg_location("asse")
    make_ws(asse, two_squares)
    on_file = run(str(tmp_path / "zone.gpkg"), "create", "AMOW")
    assert on_file.exit_code == 1
    assert "GeoPackage-bestand is altijd één gemeente" in on_file.output
    assert "Traceback" not in on_file.output
    unknown = run(zone, "create", "XYZ")
    assert unknown.exit_code == 1 and "Onbekende politiezone 'XYZ'. Bekende zones: AMOW." in unknown.output
    assert run(zone, "create", "AMOW").exit_code == 0
    wrong = run(zone, "add-municipality", "24062", asse)
    assert wrong.exit_code == 1 and "23002 Asse, 23052 Merchtem, 23060 Opwijk, 23102 Wemmel" in wrong.output
    not_zone = run(asse, "list")
    assert not_zone.exit_code == 1 and "geen politiezone" in not_zone.output
    assert "--role" in CliRunner().invoke(main, ["zone", "users", "add", "--help"]).output
