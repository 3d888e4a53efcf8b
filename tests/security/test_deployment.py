"""Server settings (issue 12, attacks 8 and 10): the app listens locally and shows no error details; the documented
reverse proxy forbids framing by other sites, limits where scripts come from and passes the visitor's address."""

from __future__ import annotations

import re
import sqlite3
import tomllib
from pathlib import Path

import pytest

from buurtkaart.errors import WorkspaceError

ROOT = Path(__file__).resolve().parents[2]


def test_streamlit_listens_locally_and_hides_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"].get("enableXsrfProtection", True)


def test_reverse_proxy_sets_the_security_headers():
    conf = (ROOT / "docs" / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    csp = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', conf)
    assert csp, "a Content-Security-Policy header"
    policy = dict(part.strip().split(" ", 1) for part in csp.group(1).split(";") if part.strip())
    assert policy["frame-ancestors"] == "'self'" and policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'" and "http" not in policy["script-src"]
    assert 'add_header X-Frame-Options "SAMEORIGIN" always;' in conf
    assert "proxy_pass http://127.0.0.1:8501;" in conf
    assert "proxy_set_header X-Real-IP $remote_addr;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf


def test_a_failing_disk_is_a_dutch_error_without_paths(tmp_workspace):
    with pytest.raises(WorkspaceError) as err, tmp_workspace.transaction():
        raise sqlite3.OperationalError("database or disk is full")  # what SQLite says when the disk is full
    message = str(err.value)
    assert "disk is full" not in message and str(tmp_workspace.path.parent) not in message
    assert "niets gewijzigd" in message


def test_a_workspace_file_that_disappeared_is_a_dutch_error_without_its_path(tmp_path):
    from buurtkaart.workspace import Workspace

    ws = Workspace.create(tmp_path / "geheim" / "asse.gpkg", {}, municipality="Teststad")
    for file in (tmp_path / "geheim").iterdir():
        file.unlink()
    with pytest.raises(WorkspaceError) as err:
        ws.is_fictional  # noqa: B018  # the property reads the file
    message = str(err.value)
    assert "niet (meer) gevonden" in message
    assert "geheim" not in message and "asse.gpkg" not in message and "No such file" not in message
