"""AppTest fixtures: one demo workspace per test session, and ``app_test(role=...)`` that opens the app logged in.

Every page runs against the workspace chosen with ``BUURTKAART_WORKSPACE``. The demo workspace is built once
per session (it takes a few seconds); tests must not change it — a test that writes makes its own copy with
``writable_workspace``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from buurtkaart.workspace import Workspace
from tests.conftest import REALDATA

APP = Path(__file__).resolve().parents[2] / "app.py"
#: Demo accounts per role (buurtkaart.members.accounts.seed_demo_accounts); None is the public.
ROLE_USERS = {None: None, "staff": "demo-gemeente", "coordinator": "demo-coordinator", "police": "demo-politie"}
TIMEOUT_S = 120


def build_demo(path: Path | str) -> Workspace:
    """The demo town of buurtkaart.synthetic, with its demo accounts."""
    from buurtkaart.members.accounts import seed_demo_accounts
    from buurtkaart.synthetic import make_demo_workspace

    ws = make_demo_workspace(path)
    seed_demo_accounts(ws)
    return ws


#: Password of the accounts made on the (non-fictional) Asse test workspace.
ASSE_PASSWORD = "asse-test-wachtwoord-2026"


def build_asse(path: Path) -> Workspace:
    """A workspace imported from the real Asse files with the importers: municipality, deelgemeenten, OSM
    streets, CRAB addresses, and the 16 Asse wijken as groups; one account per role."""
    from buurtkaart.importers import import_file, setup_workspace
    from buurtkaart.members.accounts import create_user

    boundaries = REALDATA / "asse_boundaries_provinciesincijfers.gpkg"
    ws, _report = setup_workspace(boundaries, path, municipality="Asse", layer="municipalities", overwrite=True)
    import_file(ws, "deelgemeenten", boundaries, layer="deelgemeenten")
    import_file(ws, "streets", REALDATA / "asse_osm_2021_streets.gpkg", layer="road_segments")
    import_file(ws, "addresses", REALDATA / "asse_crab_addresses_2013.gpkg", layer="addresses")
    import_file(ws, "groups", boundaries, layer="wijken")
    first_group = str(ws.read("groups")["group_id"].sort_values().iloc[0])
    for role, username in ROLE_USERS.items():
        if role is not None and username is not None:
            create_user(ws, username, ASSE_PASSWORD, role=role,
                        group_ids=(first_group,) if role == "coordinator" else ())
    return ws


@pytest.fixture(scope="session")
def asse_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The real-Asse workspace, built once per session (skips where ../shared/realdata is absent). Read only."""
    if not REALDATA.is_dir():
        pytest.skip(f"real Asse data not found at {REALDATA} (it lives in ../shared beside the project)")
    return build_asse(tmp_path_factory.mktemp("asse") / "asse.gpkg")


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The demo workspace, built once per session. Read only."""
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg")


@pytest.fixture(scope="session")
def server_demo_workspace() -> Iterator[Workspace]:
    """The demo workspace in the PostGIS test database, built once per session (skips without one). Read only."""
    import uuid

    from tests.conftest import pg_test_url

    url = pg_test_url()
    ws = build_demo(f"{url}{'&' if '?' in url else '?'}schema=t_app_{uuid.uuid4().hex[:10]}")
    yield ws
    from buurtkaart import _pg

    with _pg.connect(_pg.parse_location(str(ws.path)), autocommit=True) as con:
        _pg.drop_schema(con)


@pytest.fixture
def writable_workspace(demo_workspace: Workspace, tmp_path: Path) -> Workspace:
    """A private copy of the demo workspace for a test that changes it."""
    target = tmp_path / "demo.gpkg"
    shutil.copyfile(demo_workspace.path, target)
    return Workspace.open(target)


def open_app(workspace: Workspace, monkeypatch: pytest.MonkeyPatch, *, role: str | None = None,
             page: str | None = None) -> AppTest:
    """The app on ``workspace`` as a user of ``role`` (None: the public), run once on ``page`` (or the first)."""
    monkeypatch.setenv("BUURTKAART_WORKSPACE", str(workspace.path))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    username = ROLE_USERS[role]
    if username is not None:
        at.session_state["username"] = username
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


@pytest.fixture
def app_test(demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AppTest]]:
    """``app_test(role="staff", page="app_pages/staff_overview.py")`` → a run AppTest on the demo workspace."""

    def make(*, role: str | None = None, page: str | None = None, workspace: Workspace | None = None) -> AppTest:
        return open_app(workspace or demo_workspace, monkeypatch, role=role, page=page)

    yield make


def texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown, titles, captions, alerts), for assertions."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts.extend(str(el.value) for el in getattr(at, kind))
    return "\n".join(parts)


def map_args(at: AppTest) -> list[dict[str, Any]]:
    """The arguments sent to each st_folium map on the page (script, header, js_links, css_links...)."""
    out = []
    for element in at.main:
        proto = getattr(element, "proto", None)
        if getattr(element, "type", "") == "component_instance" and "st_folium" in str(proto.component_name):
            out.append(json.loads(proto.json_args))
    return out


def no_exception(at: AppTest) -> None:
    """Fail with the page's own traceback when it raised."""
    if len(at.exception):
        pytest.fail("\n\n".join(str(e.value) + "\n" + "\n".join(e.stack_trace) for e in at.exception))


def beside_app(workspace: Workspace) -> Any:
    """A test client of what the app's server answers beside its pages (app.py's routes, the resident search of
    "Welke groep?") on ``workspace``, without a rate limit."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from buurtkaart.api.beside_app import AppApis

    return TestClient(Starlette(routes=AppApis(lambda: str(workspace.path), per_minute=0).routes()))


def ask(client: Any, text: str) -> dict[str, Any]:
    """The resident search's answer to ``text`` (the JSON the page's search shows), from :func:`beside_app`."""
    response = client.get("/api/v1/groep", params={"adres": text})
    assert response.status_code == 200, response.text
    return dict(response.json())
