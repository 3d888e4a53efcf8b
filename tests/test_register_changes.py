"""Register updates (issue 15): importing a newer address file says what changed since the last import.

The drawable town of ``members_helpers.make_ws``: groups G1 (x 0..100) and G2 (x 100..200), the municipality
reaching to x = 300. The old register: Weststraat 3 and 5 in G1, Ooststraat 2 in G2. The new one: Weststraat 3
is gone (a candidate lives there), Weststraat 5 stays, Ooststraat 2 moved 20 m east, Ooststraat 4 (G2) and
Veldweg 1 (x = 250, in no group) are new.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from buurtkaart.cli import main
from buurtkaart.errors import InputError, PermissionDenied
from buurtkaart.importers import import_file, prepare_import
from buurtkaart.importers.register_changes import address_changes, changes_since_import, write_changes
from buurtkaart.members import audit
from buurtkaart.workspace import Workspace
from tests.conftest import pt
from tests.members_helpers import CO1, STAFF, apply, make_ws

OLD = [("Weststraat-3", "Weststraat", 3, 8, 55), ("Weststraat-5", "Weststraat", 5, 10, 55),
       ("Ooststraat-2", "Ooststraat", 2, 107, 45)]
NEW = [("Weststraat-5", "Weststraat", 5, 10, 55), ("Ooststraat-2", "Ooststraat", 2, 127, 45),
       ("Ooststraat-4", "Ooststraat", 4, 150, 45), ("Veldweg-1", "Veldweg", 1, 250, 55)]


def _register(path: Path, rows: list[tuple]) -> Path:
    lines = ["address_id,straatnaam,huisnummer,postcode,x,y"]
    lines += [f"{i},{street},{n},9990,{pt(x, y).x:.2f},{pt(x, y).y:.2f}" for i, street, n, x, y in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def ws(tmp_path: Path, two_squares) -> Workspace:
    ws = make_ws(tmp_path, two_squares)
    import_file(ws, "addresses", _register(tmp_path / "oud.csv", OLD))
    apply(ws, "Weststraat 3", name="=HYPERLINK(\"http://x\",\"Jan\")")  # address_id Weststraat-3
    apply(ws, "Weststraat 5", name="Piet Janssens")
    return ws


def test_a_newer_register_reports_new_gone_and_moved_addresses_and_the_members_at_a_gone_one(
        ws: Workspace, tmp_path: Path) -> None:
    prepared = prepare_import(ws, "addresses", _register(tmp_path / "nieuw.csv", NEW), actor=STAFF)
    changes = prepared.changes
    assert changes is not None
    assert changes.counts == {"new": 2, "gone": 1, "moved": 1, "unchanged": 1, "members": 1}
    new = changes.new.set_index("label")
    assert new.loc["Ooststraat 4", "group_id"] == "G2"
    assert pd.isna(new.loc["Veldweg 1", "group_id"]) and new.loc["Veldweg 1", "group_status"] == "niet_gedekt"
    assert changes.gone["label"].tolist() == ["Weststraat 3"] and changes.gone["group_id"].tolist() == ["G1"]
    assert changes.moved["label"].tolist() == ["Ooststraat 2"] and changes.moved["moved_m"].tolist() == [20.0]
    assert changes.members["address_id"].tolist() == ["Weststraat-3"]
    lines = "\n".join(changes.lines())
    assert "2 nieuw, 1 verdwenen, 1 verplaatst, 1 ongewijzigd" in lines
    assert "G2: 1" in lines and "geen groep: 1" in lines and "1 lid woont op een adres" in lines
    assert "Jan" not in lines  # the summary names no one
    log = audit.read_log(ws, STAFF)
    assert (log["detail"] == "registerwijzigingen").sum() == 1
    assert len(ws.read("addresses")) == 3  # prepared, not stored
    prepared.store()
    assert sorted(ws.read("addresses")["address_id"]) == sorted(r[0] for r in NEW)
    again = prepare_import(ws, "addresses", _register(tmp_path / "nieuw.csv", NEW)).changes
    assert again is not None and again.counts == {"new": 0, "gone": 0, "moved": 0, "unchanged": 4, "members": 0}


def test_a_first_import_has_nothing_to_compare(tmp_path: Path, two_squares) -> None:
    ws = make_ws(tmp_path, two_squares)
    assert prepare_import(ws, "addresses", _register(tmp_path / "oud.csv", OLD)).changes is None


def test_a_point_that_moved_less_than_5_m_did_not_move(ws: Workspace, tmp_path: Path) -> None:
    nearby = [(i, s, n, x + (4 if n == 2 else 0), y) for i, s, n, x, y in OLD]
    changes = prepare_import(ws, "addresses", _register(tmp_path / "n.csv", nearby)).changes
    assert changes is not None and changes.counts["moved"] == 0 and changes.counts["unchanged"] == 3
    with pytest.raises(InputError):
        address_changes(ws.read("addresses"), ws.read("addresses"), moved_m=-1)


def test_the_key_is_the_duplicate_checks_a_new_box_is_a_new_address(ws: Workspace) -> None:
    old = ws.read("addresses")
    new = old.copy()
    new.loc[new["address_id"] == "Weststraat-5", "box"] = "1"
    changes = address_changes(old, new)
    assert changes.new["label"].tolist() == ["Weststraat 5 bus 1"] and changes.gone["label"].tolist() == [
        "Weststraat 5"]


def test_only_staff_reads_the_members_at_a_gone_address(ws: Workspace, tmp_path: Path) -> None:
    frame = ws.read("addresses").iloc[1:]
    with pytest.raises(PermissionDenied):
        changes_since_import(ws, frame, actor=CO1)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_report_file_is_formula_safe(ws: Workspace, tmp_path: Path, suffix: str) -> None:
    changes = prepare_import(ws, "addresses", _register(tmp_path / "nieuw.csv", NEW)).changes
    assert changes is not None
    target = tmp_path / f"wijzigingen{suffix}"
    assert write_changes(changes, target) == 5
    if suffix == ".csv":
        table = pd.read_csv(target, dtype=str)
    else:
        sheet = openpyxl.load_workbook(target).active
        rows = list(sheet.values)
        table = pd.DataFrame(rows[1:], columns=rows[0])
    assert sorted(table["wijziging"]) == ["lid op verdwenen adres", "nieuw", "nieuw", "verdwenen", "verplaatst"]
    member = table[table["wijziging"] == "lid op verdwenen adres"].iloc[0]
    assert member["naam"].startswith("'=HYPERLINK")  # a spreadsheet shows it as text, never runs it
    assert (target.stat().st_mode & 0o077) == 0
    with pytest.raises(InputError):
        write_changes(changes, tmp_path / "wijzigingen.txt")


def test_the_command_line_prints_the_summary_and_writes_the_report(ws: Workspace, tmp_path: Path) -> None:
    report = tmp_path / "wijzigingen.xlsx"
    result = CliRunner().invoke(main, ["--workspace", str(ws.path), "import", "addresses",
                                       str(_register(tmp_path / "nieuw.csv", NEW)), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "Sinds de vorige import: 2 nieuw, 1 verdwenen, 1 verplaatst" in result.output
    assert "1 lid woont op een adres" in result.output and "HYPERLINK" not in result.output
    assert report.exists() and "Wijzigingsrapport geschreven" in result.output
    result = CliRunner().invoke(main, ["--workspace", str(ws.path), "import", "addresses",
                                       str(_register(tmp_path / "nieuw.csv", NEW)), "--json", "--dry-run"])
    import json

    assert json.loads(result.output)["changes"]["unchanged"] == 4
    result = CliRunner().invoke(main, ["--workspace", str(ws.path), "import", "groups", str(report),
                                       "--report", str(tmp_path / "x.csv")])
    assert result.exit_code == 1 and "alleen voor een import van adressen" in result.output


def test_the_register_update_on_both_backends(new_location, two_squares, tmp_path: Path) -> None:
    ws = make_ws(new_location("changes"), two_squares)
    import_file(ws, "addresses", _register(tmp_path / "oud.csv", OLD))
    apply(ws, "Weststraat 3", name="Jan Peeters")
    changes = prepare_import(ws, "addresses", _register(tmp_path / "nieuw.csv", NEW), actor=STAFF).changes
    assert changes is not None
    assert changes.counts == {"new": 2, "gone": 1, "moved": 1, "unchanged": 1, "members": 1}
    assert changes.members["name"].tolist() == ["Jan Peeters"]
    assert (audit.read_log(ws, STAFF)["detail"] == "registerwijzigingen").sum() == 1
