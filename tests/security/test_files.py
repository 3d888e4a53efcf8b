"""Personal data left around (issue 12, attack 6): the workspace, its temporary copies and exports are readable by
their owner only; copies left by killed whole-layer writes are removed on open and on erasure."""

from __future__ import annotations

import shutil
import stat

import pytest

from buurtkaart.exports import export_layer
from buurtkaart.members import audit, gdpr
from buurtkaart.workspace import Workspace
from tests.members_helpers import STAFF, apply, make_ws


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def ws(tmp_path, two_squares):
    return make_ws(tmp_path, two_squares)


def test_workspace_is_private_after_create_and_every_write(ws):
    assert _mode(ws.path) == 0o600
    ws.write({"groups": ws.read("groups")})
    assert _mode(ws.path) == 0o600


@pytest.mark.parametrize("suffix", [".csv", ".gpkg", ".geojson"])
def test_exports_are_private(ws, tmp_path, suffix):
    apply(ws)
    target = tmp_path / f"leden{suffix}"
    export_layer(ws, "members", target, actor=audit.CLI_ACTOR)
    assert _mode(target) == 0o600


def test_shapefile_exports_are_private(ws, tmp_path):
    export_layer(ws, "groups", tmp_path / "groepen.shp")
    assert {_mode(p) for p in tmp_path.glob("groepen.*")} == {0o600}


def _leave_stale_copy(ws: Workspace) -> object:
    stale = ws.path.with_name(f".{ws.path.stem}.0123456789abcdef.tmp.gpkg")
    shutil.copyfile(ws.path, stale)  # what a whole-layer write killed halfway leaves behind
    return stale


def test_stale_copies_are_removed_on_open(ws):
    stale = _leave_stale_copy(ws)
    Workspace.open(ws.path)
    assert not stale.exists()


def test_stale_copies_are_removed_on_erasure(ws):
    member_id = apply(ws, name="Griet Vandenbossche").member_id
    stale = _leave_stale_copy(ws)
    assert b"Griet Vandenbossche" in stale.read_bytes()
    gdpr.erase_person(ws, STAFF, member_id)
    assert not stale.exists()


def test_a_running_write_keeps_its_copy(ws):
    """While another writer (here another thread; the lock is re-entrant within one thread) holds the lock, its
    copy is not taken for a stale one."""
    import threading

    stale = _leave_stale_copy(ws)
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with ws.lock():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        assert ws.remove_stale_copies() == 0
    finally:
        release.set()
        thread.join()
    assert stale.exists()
