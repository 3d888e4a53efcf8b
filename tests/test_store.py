"""The store interface on both backends (GeoPackage file, PostGIS server): the same calls, the same guarantees."""

from __future__ import annotations

import threading
import time
import uuid

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from geopandas.testing import assert_geodataframe_equal

from buurtkaart.cli import main
from buurtkaart.errors import SchemaError, WorkspaceError
from buurtkaart.members import audit
from buurtkaart.members.accounts import User
from buurtkaart.workspace import Workspace, location_exists, resolve_path, workspace_at
from tests.conftest import pg_test_url, pt, square

STAFF = User("staff1", "staff")


def test_layers_round_trip_with_extra_columns(store_workspace, two_squares):
    groups = two_squares.assign(colour=["rood", "blauw"], households=[12, 30])
    store_workspace.write({"groups": groups})
    back = store_workspace.read("groups")
    assert_geodataframe_equal(back[["group_id", "name", "geometry"]], two_squares, check_dtype=False)
    assert list(back["colour"]) == ["rood", "blauw"] and list(back["households"]) == [12, 30]
    assert store_workspace.read("groups", where="group_id = 'G2'")["name"].tolist() == ["Oost"]
    assert store_workspace.read("addresses").empty and "addresses" in store_workspace.layer_names()


def test_a_refused_layer_leaves_every_layer_unchanged(store_workspace, two_squares):
    store_workspace.write({"groups": two_squares})
    wrong = gpd.GeoDataFrame({"code": ["9"], "name": ["X"]}, geometry=[square(0, 0)], crs=4326)
    with pytest.raises(SchemaError, match="verwacht EPSG:31370"):
        store_workspace.write({"groups": two_squares.iloc[:1], "deelgemeenten": wrong})
    assert len(store_workspace.read("groups")) == 2 and store_workspace.read("deelgemeenten").empty


def test_other_schema_version_says_what_to_do(store_workspace):
    store_workspace.set_metadata(schema_version="99")
    with pytest.raises(WorkspaceError, match="Werk buurtkaart bij"):
        Workspace.open(store_workspace.path)
    store_workspace.set_metadata(schema_version="0")
    with pytest.raises(WorkspaceError, match="upgrade"):
        Workspace.open(store_workspace.path)


def test_record_transaction_commits_or_rolls_back(store_workspace):
    with store_workspace.transaction() as con:
        con.execute("INSERT INTO metadata (key, value) VALUES (?, ?)", ("x", "1"))
    with pytest.raises(RuntimeError), store_workspace.transaction() as con:
        con.execute("INSERT INTO metadata (key, value) VALUES (?, ?)", ("y", "2"))
        raise RuntimeError("boom")
    meta = store_workspace.metadata
    assert meta["x"] == "1" and "y" not in meta and meta["municipality"] == "Teststad"


def test_version_token_changes_with_every_change_only(store_workspace, two_squares):
    first = store_workspace.version_token
    store_workspace.read("groups")
    assert store_workspace.version_token == first
    store_workspace.write({"groups": two_squares})
    second = store_workspace.version_token
    with store_workspace.transaction() as con:
        audit.record(con, actor=STAFF, action="bekeken", subject="members")
    assert len({first, second, store_workspace.version_token}) == 3


def test_version_token_holds_while_readers_come_and_go(store_workspace, two_squares):
    """Many readers at once (every session of the app) change no data, so the token holds: each GeoPackage reader
    that opens the file alone creates an empty -wal and the last to close deletes it, which once made every shared
    cache of the app miss under load. A write still changes it."""
    store_workspace.write({"groups": two_squares})
    first = store_workspace.version_token
    seen: set[tuple[int, ...]] = set()
    stop = threading.Event()

    def read_again() -> None:
        while not stop.is_set():
            store_workspace.read("groups")

    readers = [threading.Thread(target=read_again) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(100):
            seen.add(store_workspace.version_token)
            time.sleep(0.002)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert seen == {first}
    store_workspace.write({"groups": two_squares.iloc[:1]})
    assert store_workspace.version_token != first


def test_info_and_reopen_by_label(store_workspace):
    rows = {r["layer"]: r for r in store_workspace.info()}
    assert rows["members"]["personal"] and rows["addresses"]["features"] == 0
    assert "31370" in rows["addresses"]["crs"] and rows["metadata"]["features"] >= 4
    again = workspace_at(str(store_workspace.path))  # how the app's caches reopen it
    assert again.metadata == store_workspace.metadata and location_exists(str(store_workspace.path))


def test_lock_is_reentrant_and_keeps_other_writers_out(store_workspace, two_squares):
    """A read, merge and write under ``ws.lock()`` (save_plan, set_status) does not wait on itself; a writer in
    another thread waits until the lock is released."""
    import threading
    import time

    done: list[float] = []
    with store_workspace.lock():
        start = time.monotonic()
        store_workspace.write({"groups": two_squares})
        with store_workspace.lock(), store_workspace.transaction() as con:
            audit.record(con, actor=STAFF, action="bekeken", subject="members")
        assert time.monotonic() - start < 10
        other = threading.Thread(target=lambda: (store_workspace.set_metadata(other="1"),
                                                 done.append(time.monotonic())))
        other.start()
        time.sleep(1.0)
        assert not done  # the other writer waits for our lock
        released = time.monotonic()
    other.join(timeout=60)
    assert done and done[0] >= released and store_workspace.metadata["other"] == "1"


def test_load_from_makes_the_whole_workspace_a_copy(store_workspace, two_squares, tmp_path):
    from tests.members_helpers import register

    source = Workspace.create(tmp_path / "bron.gpkg", {"groups": two_squares.iloc[:1]}, municipality="Bronstad")
    register(source, STAFF)  # the library re-reads every actor from the users table
    with source.transaction() as con:
        audit.record(con, actor=STAFF, action="bekeken", subject="members")
    store_workspace.write({"groups": two_squares})
    store_workspace.load_from(source.path)
    assert store_workspace.read("groups")["group_id"].tolist() == ["G1"]
    assert store_workspace.metadata["municipality"] == "Bronstad"
    assert len(audit.read_log(store_workspace, STAFF)) == 1
    assert Workspace.open(str(store_workspace.path)).metadata == source.metadata


# ------------------------------------------------------------------------------------------------ PostGIS only
def test_server_refuses_removing_audit_lines_even_by_a_whole_layer_write(two_squares):
    from tests.members_helpers import register

    ws = Workspace.create(_schema_url(), {"groups": two_squares}, municipality="Teststad")
    try:
        register(ws, STAFF)
        with ws.transaction() as con:
            audit.record(con, actor=STAFF, action="verwijderd", subject="members", subject_ids=["m-1"])
        with pytest.raises(WorkspaceError, match="audit_log"):  # record by record only (issue 12)
            ws.write({"groups": two_squares.iloc[:1], "audit_log": ws.read("audit_log").iloc[:0]})
        with pytest.raises(Exception, match="append-only"), ws.transaction() as con:
            con.execute("TRUNCATE audit_log")
        assert len(ws.read("groups")) == 2 and len(audit.read_log(ws, STAFF)) == 1
    finally:
        _drop(ws)


def test_server_url_from_flag_or_env_and_password_never_shown(monkeypatch):
    url = "postgresql://an:geheim@127.0.0.1:1/bk?schema=asse"
    assert resolve_path(url) == url
    monkeypatch.setenv("BUURTKAART_WORKSPACE", url)
    assert resolve_path() == url
    ws = workspace_at(url)
    assert ws.path == "postgresql://an@127.0.0.1:1/bk?schema=asse"
    with pytest.raises(WorkspaceError, match="niet bereikbaar") as caught:
        Workspace.open()  # nothing listens on port 1
    assert "geheim" not in str(caught.value) and "PGPASSWORD" in str(caught.value)
    with pytest.raises(WorkspaceError, match="geen bruikbaar databaseadres"):
        workspace_at("postgresql://an@host/bk?schema=Drop Table")


def test_cli_demo_and_info_on_a_server(tmp_path, monkeypatch):
    url = _schema_url()
    monkeypatch.chdir(tmp_path)
    try:
        made = CliRunner().invoke(main, ["--workspace", url, "demo"])
        assert made.exit_code == 0, made.output
        assert not (tmp_path / "postgresql:").exists()  # the bug of the issue: a folder named after the URL
        info = CliRunner().invoke(main, ["--workspace", url, "info"])
        assert info.exit_code == 0 and "addresses" in info.output and "Demodorp" in info.output
        assert len(Workspace.open(url).read("addresses")) > 1000
    finally:
        _drop(workspace_at(url))


def test_records_with_geometry_on_the_server(two_squares):
    from buurtkaart import _records

    ws = Workspace.create(_schema_url(), {"groups": two_squares}, municipality="Teststad")
    try:
        with ws.transaction() as con:
            _records.insert(con, "members", {"member_id": "m-1", "name": "X", "address_text": "Weststraat 1",
                                             "status": "kandidaat", "housenumber": 1}, geometry=pt(5, 5))
            rows = _records.select(con, "members", where="member_id = ?", params=["m-1"], with_geometry=True)
        assert rows[0]["geometry"].equals(pt(5, 5)) and rows[0]["housenumber"] == 1
        members = ws.read("members")
        assert members.crs == "EPSG:31370" and members.geometry.iloc[0].equals(pt(5, 5))
        assert pd.api.types.is_integer_dtype(members["housenumber"])
    finally:
        _drop(ws)


def test_backup_of_a_server_workspace_says_how(tmp_path):
    from buurtkaart import backups

    ws = Workspace.create(_schema_url(), {}, municipality="Teststad")
    try:
        with pytest.raises(WorkspaceError, match="pg_dump"):
            backups.backup(ws, tmp_path)
        result = CliRunner().invoke(main, ["--workspace", str(ws.path), "backup", str(tmp_path)])
        assert result.exit_code != 0 and "buurtkaart copy" in result.output, result.output
        assert not list(tmp_path.iterdir())
    finally:
        _drop(ws)


def _schema_url() -> str:
    url = pg_test_url()
    return f"{url}{'&' if '?' in url else '?'}schema=t_store_{uuid.uuid4().hex[:10]}"


def _drop(ws: Workspace) -> None:
    from buurtkaart import _pg

    with _pg.connect(_pg.parse_location(str(ws.path)), autocommit=True) as con:
        _pg.drop_schema(con)
    _pg.close_pool()


def test_a_second_process_sees_every_write_at_once(store_workspace, two_squares):
    """Two app processes on one store: what one commits, the other reads on its next rerun (new version token)."""
    import subprocess
    import sys

    before = store_workspace.version_token
    code = ("import sys; from buurtkaart.workspace import Workspace; from buurtkaart.members import accounts; "
            "accounts.create_user(Workspace.open(sys.argv[1]), 'tweede', 'een-lang-wachtwoord', role='police')")
    done = subprocess.run([sys.executable, "-c", code, str(store_workspace.path)], capture_output=True, text=True,
                          timeout=120, env=_child_env())
    assert done.returncode == 0, done.stderr[-2000:]
    assert store_workspace.version_token != before
    assert list(store_workspace.read("users")["username"]) == ["tweede"]


def test_erasure_on_the_server_leaves_no_row_of_the_person(two_squares):
    from buurtkaart.members import gdpr
    from tests.members_helpers import STAFF as GEMEENTE
    from tests.members_helpers import apply, make_ws

    ws = make_ws(_schema_url(), two_squares)
    try:
        gone = apply(ws, address="Weststraat 9", name="Griet Vandenbossche", phone="0478 55 51 11").member_id
        keep = apply(ws, address="Weststraat 4", name="Blijft Staan").member_id
        gdpr.erase_person(ws, GEMEENTE, gone)
        assert list(ws.read("members")["member_id"]) == [keep]
        for name in ws.layer_names():
            text = ws.read(name).drop(columns="geometry", errors="ignore").astype(str).to_numpy().ravel()
            assert not any("Griet" in str(v) or "0478 55 51 11" in str(v) for v in text), name
    finally:
        _drop(ws)


def _child_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("BUURTKAART_WORKSPACE", None)
    return env


def test_without_psycopg_a_server_url_says_what_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgis extra were not installed
    with pytest.raises(WorkspaceError, match=r"buurtkaart\[postgis\]"):
        Workspace.open("postgresql://an@127.0.0.1:1/bk")


def test_a_database_without_postgis_says_what_to_ask():
    import psycopg

    url = pg_test_url()
    name = f"t_nopostgis_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        bare = url.split("?")[0].rsplit("/", 1)[0] + f"/{name}"
        with psycopg.connect(bare, autocommit=True) as con:
            if not con.execute("SELECT 1 FROM pg_roles WHERE rolname = 't_no_rights'").fetchone():
                con.execute("CREATE ROLE t_no_rights LOGIN")
            con.execute("GRANT CREATE ON SCHEMA public TO t_no_rights")
        limited = bare.replace("postgresql://postgres@", "postgresql://t_no_rights@")
        if limited == bare:
            pytest.skip("the test database URL does not use the account 'postgres'")
        with pytest.raises(WorkspaceError, match="CREATE EXTENSION postgis"):
            Workspace.create(limited, {}, municipality="Teststad")
        Workspace.create(bare, {}, municipality="Teststad")  # an account that may, adds it itself
        assert Workspace.open(bare).metadata["municipality"] == "Teststad"
    finally:
        from buurtkaart import _pg

        _pg.close_pool()  # let the database go
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.execute("DROP ROLE IF EXISTS t_no_rights")
