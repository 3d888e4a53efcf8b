"""The built resident index kept on disk per workspace version (buurtkaart/_disk_cache.py): the same answers from
the file, rebuilt when the workspace changes, and an old, corrupt, foreign or unwritable cache is never an error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from buurtkaart import _disk_cache
from buurtkaart._disk_cache import cache_file, disk_cached
from buurtkaart.assignment.find import FindIndex, find_group
from buurtkaart.workspace import Workspace
from tests.conftest import square
from tests.test_assign_bulk import town_addresses

QUESTIONS = ["Kerkstraat 5", "kerkstr 15", "Kerkstraat", "Grensstraat 2", "Nergensstraat 1", "Kerkstraat 999"]


@pytest.fixture
def ws(tmp_path, two_squares) -> Workspace:
    return Workspace.create(tmp_path / "w.gpkg", {"groups": two_squares, "addresses": town_addresses()},
                            municipality="Teststad", fictional=True)


class _Counting:
    """A builder that counts its calls (a module-level-like callable, picklable results)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, ws) -> dict[str, int]:
        self.calls += 1
        return {"built": self.calls}


class _Server:
    """Enough of a server workspace for the cache: a location and a version."""

    def __init__(self, token: int) -> None:
        self.path = "postgresql://user:secret@db.example/buurtkaart?schema=asse"
        self.version_token = (token, 0)


def test_the_index_from_the_file_gives_the_same_answers(ws):
    built = FindIndex.cached(ws)
    path = cache_file(ws, "resident")
    assert path is not None and path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = FindIndex.cached(ws)
    assert loaded is not built  # read from the file
    for question in QUESTIONS:
        assert find_group(question, index=loaded).to_dict() == find_group(question, index=built).to_dict()


def test_a_changed_workspace_is_built_again(ws, two_squares):
    builder = _Counting()
    assert disk_cached(ws, "test", builder) == {"built": 1}
    assert disk_cached(ws, "test", builder) == {"built": 1}  # from the file
    moved = two_squares.copy()
    moved.geometry = [square(0, 0, 150), square(150, 0, 150)]
    ws.write({"groups": moved})
    assert disk_cached(ws, "test", builder) == {"built": 2}
    assert builder.calls == 2


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other_header", "open_to_others"])
def test_a_bad_cache_file_is_ignored_and_rebuilt(ws, damage):
    builder = _Counting()
    disk_cached(ws, "test", builder)
    path = cache_file(ws, "test")
    assert path is not None
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) - 5])
    elif damage == "garbage":
        path.write_bytes(data.splitlines(keepends=True)[0] + data.splitlines(keepends=True)[1] + b"\x00not a pickle")
    elif damage == "other_header":
        path.write_bytes(data.replace(b'"kind": "test"', b'"kind": "tset"'))
    else:
        os.chmod(path, 0o644)  # someone else could have read or changed it: not trusted
    assert disk_cached(ws, "test", builder) == {"built": 2}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # written again, private


def test_a_link_is_not_followed(ws, tmp_path):
    builder = _Counting()
    disk_cached(ws, "test", builder)
    path = cache_file(ws, "test")
    assert path is not None
    elsewhere = tmp_path / "elsewhere"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert disk_cached(ws, "test", builder) == {"built": 2}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder")
def test_a_read_only_folder_only_costs_the_build(ws):
    builder = _Counting()
    folder = Path(ws.path).parent
    folder.chmod(0o500)
    try:
        assert disk_cached(ws, "test", builder) == {"built": 1}
        assert disk_cached(ws, "test", builder) == {"built": 2}
    finally:
        folder.chmod(0o700)


def test_a_server_workspace_keeps_its_cache_in_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(_disk_cache.CACHE_ENV, str(tmp_path / "cache"))
    builder = _Counting()
    assert disk_cached(_Server(1), "test", builder) == {"built": 1}
    assert disk_cached(_Server(1), "test", builder) == {"built": 1}
    assert disk_cached(_Server(2), "test", builder) == {"built": 2}
    (file,) = (tmp_path / "cache").iterdir()
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700
    assert "secret" not in file.name and "example" not in file.name  # no part of the location in a file name
    assert b"secret" not in file.read_bytes()


def test_a_cache_folder_others_can_write_in_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv(_disk_cache.CACHE_ENV, str(shared))
    builder = _Counting()
    assert cache_file(_Server(1), "test") is None
    disk_cached(_Server(1), "test", builder)
    disk_cached(_Server(1), "test", builder)
    assert builder.calls == 2 and not list(shared.iterdir())
