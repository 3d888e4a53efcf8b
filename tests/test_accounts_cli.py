"""The command line: first staff account, account management, member lists, retention, GDPR, audit log."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner

from buurtkaart.cli import main
from buurtkaart.members import accounts, audit
from buurtkaart.workspace import Workspace

PW = "eerste-wachtwoord"


@pytest.fixture
def ws(tmp_path, two_squares) -> Workspace:
    return Workspace.create(tmp_path / "cli.gpkg", {"groups": two_squares}, municipality="Teststad", fictional=True)


def run(ws: Workspace, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--workspace", str(ws.path), *args], input=input)


def test_first_staff_account_from_the_command_line(ws):
    result = run(ws, "users", "add", "beheerder", "--role", "staff", "--email", "beheer@asse.be",
                 input=f"{PW}\n{PW}\n")
    assert result.exit_code == 0, result.output
    assert "beheerder" in result.output
    assert accounts.authenticate(ws, "beheerder", PW).is_staff
    created = audit.read_log(ws, audit.CLI_ACTOR).iloc[-1]
    assert (created["actor"], created["action"], created["subject_ids"]) == ("commandoregel", "aangemaakt",
                                                                             "beheerder")


def test_add_coordinator_with_groups_and_password_from_stdin(ws):
    result = run(ws, "users", "add", "coord", "--role", "coordinator", "--group", "G1", "--group", "G2",
                 "--password-stdin", input=f"{PW}\n")
    assert result.exit_code == 0, result.output
    assert accounts.get_user(ws, "coord").group_ids == ("G1", "G2")


def test_bad_account_reports_every_problem_in_dutch(ws):
    result = run(ws, "users", "add", "Fout Naam", "--role", "coordinator", "--group", "G7", "--password-stdin",
                 input="kort\n")
    assert result.exit_code == 1
    assert "Fout:" in result.output and "gebruikersnaam" in result.output and "G7" in result.output
    assert "te kort" in result.output
    assert accounts.list_users(ws, audit.CLI_ACTOR).empty


def test_list_unlock_passwd_deactivate(ws):
    accounts.create_user(ws, "piet", PW, role="police")
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        with pytest.raises(accounts.PermissionDenied):
            accounts.authenticate(ws, "piet", "fout-wachtwoord")
    listed = run(ws, "users", "list")
    assert listed.exit_code == 0 and "piet" in listed.output and "geblokkeerd" in listed.output
    as_json = json.loads(run(ws, "users", "list", "--json").output)
    assert as_json[0]["username"] == "piet" and "password_hash" not in as_json[0]
    assert run(ws, "users", "unlock", "piet").exit_code == 0
    assert accounts.authenticate(ws, "piet", PW).username == "piet"
    assert run(ws, "users", "passwd", "piet", "--password-stdin", input="ander-wachtwoord\n").exit_code == 0
    assert accounts.authenticate(ws, "piet", "ander-wachtwoord").username == "piet"
    assert run(ws, "users", "deactivate", "piet").exit_code == 0
    assert accounts.get_user(ws, "piet") is None
    missing = run(ws, "users", "unlock", "niemand")
    assert missing.exit_code == 1 and "niemand" in missing.output


def test_audit_command(ws):
    accounts.create_user(ws, "piet", PW, role="police")
    result = run(ws, "audit", "--json")
    assert result.exit_code == 0
    lines = json.loads(result.output)
    assert lines[0]["action"] == "aangemaakt" and lines[0]["subject_ids"] == "piet"
    assert "aangemaakt" in run(ws, "audit", "--member", "piet").output


def test_members_commands_on_the_demo(tmp_path):
    from buurtkaart.synthetic import make_demo_workspace

    ws = make_demo_workspace(tmp_path / "demo.gpkg")
    out = tmp_path / "contacten.csv"
    result = run(ws, "members", "list", "--kind", "contacts", "--group", "G01", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("member_id,name,phone")
    refused = run(ws, "members", "list", "-o", str(tmp_path / "x.gpkg"))
    assert refused.exit_code == 1 and "werkruimte" in refused.output

    members = ws.read("members")
    person = members[members["status"] == "lid"].iloc[0]
    exported = run(ws, "members", "export", person["member_id"])
    assert exported.exit_code == 0 and json.loads(exported.output)["persoon"]["name"] == person["name"]

    due = run(ws, "members", "retention", "--days", "180", "--dry-run")
    assert due.exit_code == 0
    # refused and departed people, and candidates left waiting (kandidaat, goedgekeurd) past the period
    finished = members[members["status"].isin(["geweigerd", "vertrokken", "kandidaat", "goedgekeurd"])]
    assert len(finished) > 0
    done = run(ws, "members", "retention", "--days", "0")
    assert done.exit_code == 0 and f"{len(finished)} personen gewist" in done.output
    assert not ws.read("members")["status"].isin(["geweigerd", "vertrokken"]).any()

    erased = run(ws, "members", "erase", person["member_id"], "--yes")
    assert erased.exit_code == 0
    assert person["member_id"] not in set(ws.read("members")["member_id"])
    assert person["name"].encode() not in ws.path.read_bytes() or (
        (ws.read("members")["name"] == person["name"]).any())  # a namesake may remain, the person not
    gone = run(ws, "members", "export", person["member_id"])
    assert gone.exit_code == 1 and person["name"] not in gone.output
