"""``buurtkaart backup`` and ``restore``: a checked online copy, the last N kept; a restore is one transaction that
keeps the audit log and does not bring back erased people."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from buurtkaart import _records
from buurtkaart.backups import backup, list_backups, restore
from buurtkaart.cli import main
from buurtkaart.errors import WorkspaceError
from buurtkaart.members import gdpr
from buurtkaart.workspace import Workspace
from tests.members_helpers import STAFF, apply, make_ws


def _journal_mode(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        con.close()


def test_backup_is_checked_self_contained_and_the_last_n_are_kept(tmp_path: Path, two_squares) -> None:
    ws = make_ws(tmp_path, two_squares)
    apply(ws)
    made = [backup(ws, tmp_path / "kopieen", keep=3) for _ in range(5)]
    kept = list_backups(ws, tmp_path / "kopieen")
    assert [b.path for b in kept] == made[-3:]
    assert not (tmp_path / "kopieen" / (made[-1].name + "-wal")).exists()
    assert _journal_mode(made[-1]) == "delete"
    assert made[-1].stat().st_mode & 0o077 == 0  # personal data: only the owner
    copy = Workspace.open(made[-1])
    assert len(copy.read("members")) == 1 and copy.metadata == ws.metadata


def test_restore_brings_back_the_data_keeps_the_log_and_erasures(tmp_path: Path, two_squares) -> None:
    ws = make_ws(tmp_path, two_squares)
    kept = apply(ws, name="Blijft Bewaard").member_id
    erased = apply(ws, name="Wordt Gewist").member_id
    copy = backup(ws, tmp_path / "kopieen")
    apply(ws, name="Na De Kopie")
    ws.set_metadata(note="na de kopie")
    gdpr.erase_person(ws, STAFF, erased)
    log_before = ws.read("audit_log")
    token = ws.version_token

    before = restore(ws, copy, actor=STAFF, folder=tmp_path / "kopieen")
    assert ws.version_token != token
    assert set(ws.read("members")["member_id"]) == {kept}  # the later one gone, the erased one still erased
    assert "note" not in ws.metadata
    log = ws.read("audit_log")
    assert log["log_id"].tolist() == list(range(1, len(log_before) + 2))  # every line kept, one added
    assert log.iloc[-1]["detail"] == f"reservekopie {copy.name}"
    assert b"Wordt Gewist" not in ws.path.read_bytes()
    assert _journal_mode(ws.path) == "wal"
    assert len(Workspace.open(before).read("members")) == 2  # the state before the restore, to undo it


def test_a_broken_file_is_not_restored(tmp_path: Path, two_squares) -> None:
    ws = make_ws(tmp_path, two_squares)
    broken = tmp_path / "kapot.gpkg"
    broken.write_bytes(b"geen werkruimte" * 100)
    meta = ws.metadata
    with pytest.raises(WorkspaceError, match="geen bruikbare reservekopie"):
        restore(ws, broken)
    assert ws.metadata == meta


def test_cli_backup_list_and_restore(tmp_path: Path, two_squares) -> None:
    ws = make_ws(tmp_path, two_squares)
    runner = CliRunner()
    folder = tmp_path / "kopieen"
    result = runner.invoke(main, ["--workspace", str(ws.path), "backup", str(folder), "--keep", "2"])
    assert result.exit_code == 0, result.output
    assert "gecontroleerd" in result.output
    listed = runner.invoke(main, ["--workspace", str(ws.path), "backup", str(folder), "--list"])
    copy = list_backups(ws, folder)[0].path
    assert str(copy) in listed.output
    ws.set_metadata(note="later")
    result = runner.invoke(main, ["--workspace", str(ws.path), "restore", str(copy), "--yes"])
    assert result.exit_code == 0, result.output
    assert "note" not in Workspace.open(ws.path).metadata


def test_no_write_racing_a_restore_is_lost_from_the_safety_copy(tmp_path: Path, two_squares) -> None:
    """A writer keeps adding people while a restore runs: each committed person is in the safety copy (written
    before the restore) or in the restored workspace (written after it); the safety copy is the state just before."""
    ws = make_ws(tmp_path, two_squares)
    apply(ws, name="In De Kopie")
    copy = backup(ws, tmp_path / "kopieen")
    old = set(Workspace.open(copy).read("members")["member_id"])
    committed: list[str] = []
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set() or len(committed) < 40:
            member_id = f"w-{len(committed):04d}"
            with ws.transaction() as con:
                _records.insert(con, "members", {"member_id": member_id, "name": "Schrijver",
                                                 "address_text": "Weststraat 1", "status": "kandidaat"})
            committed.append(member_id)

    writer = threading.Thread(target=write)
    writer.start()
    while len(committed) < 20:  # the writer is well under way
        time.sleep(0.01)
    safety = restore(ws, copy, actor=STAFF, folder=tmp_path / "kopieen")
    stop.set()
    writer.join(timeout=60)
    saved = set(Workspace.open(safety).read("members")["member_id"])
    live = set(ws.read("members")["member_id"])
    before, after = saved - old, live - old
    assert before | after == set(committed)  # nothing lost
    assert not before & after
    assert sorted(before) == committed[: len(before)]  # the copy holds exactly the writes before the restore
    assert len(before) >= 20 and after
