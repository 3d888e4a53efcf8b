"""Schema versions and ``buurtkaart upgrade`` on both backends: one transaction, all steps or none."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from buurtkaart import migrations, schema
from buurtkaart.cli import main
from buurtkaart.errors import WorkspaceError
from buurtkaart.workspace import Workspace


def _add_region(con) -> None:
    """A version-2 step as a real one would be: a new column on a layer, filled for existing rows."""
    con.execute("ALTER TABLE groups ADD COLUMN region TEXT")
    con.execute("UPDATE groups SET region = ?", ("noord",))


def _broken(con) -> None:
    con.execute("ALTER TABLE groups ADD COLUMN half TEXT")
    con.execute("UPDATE no_such_table SET x = 1")


@pytest.fixture
def old_workspace(new_location, two_squares, monkeypatch) -> Workspace:
    """A workspace made at version 1 while this code is at version 2."""
    ws = Workspace.create(new_location("oud"), {"groups": two_squares}, municipality="Teststad")
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    return ws


def test_older_workspace_is_refused_then_upgraded_in_one_step(old_workspace, monkeypatch):
    monkeypatch.setitem(migrations.STEPS, 2, migrations.Step(2, "groepen krijgen een regio", _add_region))
    location = str(old_workspace.path)
    with pytest.raises(WorkspaceError, match="upgrade"):
        Workspace.open(location)
    result = CliRunner().invoke(main, ["--workspace", location, "upgrade"])
    assert result.exit_code == 0, result.output
    assert "van schemaversie 1 naar 2" in result.output and "groepen krijgen een regio" in result.output
    ws = Workspace.open(location)
    assert ws.metadata["schema_version"] == "2"
    assert list(ws.read("groups")["region"]) == ["noord", "noord"]
    again = CliRunner().invoke(main, ["--workspace", location, "upgrade"])
    assert again.exit_code == 0 and "niets te doen" in again.output


def test_a_failing_step_leaves_the_workspace_as_it_was(old_workspace, monkeypatch):
    monkeypatch.setitem(migrations.STEPS, 2, migrations.Step(2, "kapot", _broken))
    location = str(old_workspace.path)
    result = CliRunner().invoke(main, ["--workspace", location, "upgrade"])
    assert result.exit_code == 1 and "ongewijzigd" in result.output and "Traceback" not in result.output
    assert old_workspace.metadata["schema_version"] == "1"
    assert "half" not in old_workspace.read("groups").columns  # the step's first change was rolled back too


def test_newer_workspace_says_update_buurtkaart(new_location, monkeypatch):
    ws = Workspace.create(new_location("nieuw"), {}, municipality="Teststad")
    ws.set_metadata(schema_version="7")
    for attempt in (lambda: Workspace.open(str(ws.path)), lambda: migrations.upgrade(str(ws.path))):
        with pytest.raises(WorkspaceError, match="Werk buurtkaart bij"):
            attempt()
    assert ws.metadata["schema_version"] == "7"


def test_a_gpkg_is_copied_before_the_upgrade(tmp_path, two_squares, monkeypatch):
    ws = Workspace.create(tmp_path / "w.gpkg", {"groups": two_squares}, municipality="Teststad")
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.STEPS, 2, migrations.Step(2, "regio", _add_region))
    result = migrations.upgrade(ws.path)
    assert result.backup == tmp_path / "w.schema1.bak.gpkg"
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    assert "region" not in Workspace.open(result.backup).read("groups").columns
