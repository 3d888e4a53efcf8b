"""Imports are read and checked in a child process with a memory and a time limit (issue 12, attack 4: one upload
that unpacked to 616 MB took the app to 2.6 GB and public lookups to a minute). Beyond a limit the import is refused
in Dutch, the workspace stays as it was and no child process is left behind."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from buurtkaart.errors import InputError
from buurtkaart.importers import _child, import_file, prepare_import
from buurtkaart.importers._child import ImportLimits, call_in_child
from buurtkaart.workspace import Workspace


@pytest.fixture
def addresses_csv(tmp_path: Path) -> Path:
    path = tmp_path / "adressen.csv"
    pd.DataFrame({"straat": ["Kerkstraat", "Molenweg"], "huisnummer": ["1", "8"], "postcode": ["1730", "1730"],
                  "x": [20.0, 150.0], "y": [50.0, 50.0]}).to_csv(path, index=False, sep=";")
    return path


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Every child process the import starts (none started ahead: each test sees its own child from the start)."""
    started: list[subprocess.Popen[bytes]] = []
    _child.keep_warm(False)

    class Spy(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(_child.subprocess, "Popen", Spy)
    yield started
    monkeypatch.undo()
    _child.keep_warm()


def _stored(ws: Workspace) -> dict[str, int]:
    """Rows per layer an import could change (the version token also moves when a reader opens the WAL file)."""
    return {name: len(ws.read(name)) for name in ("addresses", "streets", "members", "audit_log", "metadata")}


def _gone(process: subprocess.Popen[bytes]) -> bool:
    """The process has ended and was reaped (no zombie, no orphan)."""
    try:
        os.kill(process.pid, 0)
    except ProcessLookupError:
        return process.returncode is not None
    return False


def test_an_import_beyond_the_memory_limit_is_refused_in_dutch_and_changes_nothing(
        tmp_workspace: Workspace, addresses_csv: Path, spawned: list[subprocess.Popen[bytes]]) -> None:
    before = _stored(tmp_workspace)
    with pytest.raises(InputError, match="te groot om te verwerken") as err:
        import_file(tmp_workspace, "addresses", addresses_csv, limits=ImportLimits(memory_mb=200, time_s=600))
    assert "200 MB" in str(err.value) and "BUURTKAART_IMPORT_MEMORY_MB" in str(err.value)
    assert _stored(tmp_workspace) == before
    assert len(spawned) == 1 and _gone(spawned[0])


def test_a_child_that_takes_more_memory_than_allowed_gets_a_dutch_error(spawned) -> None:
    with pytest.raises(InputError, match="meer dan 1536 MB geheugen"):
        call_in_child("tests.security.child_helpers:allocate", {"megabytes": 2048}, limits=ImportLimits())
    assert _gone(spawned[0])


def test_an_import_out_of_time_is_stopped_in_dutch_and_leaves_no_process(
        tmp_workspace: Workspace, addresses_csv: Path, spawned: list[subprocess.Popen[bytes]]) -> None:
    before = _stored(tmp_workspace)
    with pytest.raises(InputError, match=r"duurde langer dan 0\.01 s"):
        prepare_import(tmp_workspace, "addresses", addresses_csv, limits=ImportLimits(time_s=0.01))
    assert len(spawned) == 1 and _gone(spawned[0])  # killed and reaped, not left running
    assert _stored(tmp_workspace) == before


def test_warnings_of_the_child_are_given_again_in_the_caller() -> None:
    with pytest.warns(UserWarning, match="uit het kind"):
        assert call_in_child("tests.security.child_helpers:warn", {"text": "uit het kind"}) == "uit het kind"


def test_the_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ImportLimits.from_env() == ImportLimits(memory_mb=1536, time_s=120.0)
    monkeypatch.setenv("BUURTKAART_IMPORT_MEMORY_MB", "2048")
    monkeypatch.setenv("BUURTKAART_IMPORT_TIME_S", "300")
    assert ImportLimits.from_env() == ImportLimits(memory_mb=2048, time_s=300.0)
    monkeypatch.setenv("BUURTKAART_IMPORT_TIME_S", "veel")
    with pytest.raises(InputError, match="BUURTKAART_IMPORT_TIME_S moet een positief getal zijn"):
        ImportLimits.from_env()
