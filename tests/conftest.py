"""Shared fixtures: tiny geometries you can draw on paper, and a workspace in a temporary folder.

The drawable town (all coordinates EPSG:31370, metres, origin at (150000, 170000))::

      y
    100 +---------+---------+
        |         |         |
        |   G1    |   G2    |       two adjacent 100 m squares, G1 (west) and G2 (east),
        |         |         |       sharing the edge x = 100
      0 +---------+---------+
        0        100       200  x
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace

X0, Y0 = 150_000.0, 170_000.0
#: The PostgreSQL database (with PostGIS) the server-store tests use, e.g. the URL ``.ci/postgres.sh`` prints.
PG_URL_ENV = "BUURTKAART_TEST_PG_URL"
REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "asse"


def square(x: float, y: float, size: float = 100.0) -> shapely.Polygon:
    """A square with its lower-left corner at (x, y) in the drawable town's local metres."""
    return shapely.box(X0 + x, Y0 + y, X0 + x + size, Y0 + y + size)


def pt(x: float, y: float) -> shapely.Point:
    """A point in the drawable town's local metres."""
    return shapely.Point(X0 + x, Y0 + y)


@pytest.fixture
def two_squares() -> gpd.GeoDataFrame:
    """Groups G1 (west square) and G2 (east square) sharing the edge x = 100."""
    return gpd.GeoDataFrame(
        {"group_id": ["G1", "G2"], "name": ["West", "Oost"]},
        geometry=[square(0, 0), square(100, 0)],
        crs=WORKING_CRS,
    )


@pytest.fixture
def tmp_workspace(tmp_path: Path) -> Workspace:
    """An empty workspace in a temporary folder."""
    return Workspace.create(tmp_path / "test.gpkg", {}, municipality="Teststad", fictional=True)


def pg_test_url() -> str:
    """The test database URL; skips the test with a reason where none is configured."""
    url = os.environ.get(PG_URL_ENV)
    if not url and os.environ.get("BUURTKAART_REQUIRE_PG"):  # CI: a missing database is a failure, not a skip
        pytest.fail(f"BUURTKAART_REQUIRE_PG is set but {PG_URL_ENV} is not (run .ci/postgres.sh)")
    if not url:
        pytest.skip(f"no PostgreSQL/PostGIS test database: set {PG_URL_ENV} (run .ci/postgres.sh, which prints it)")
    pytest.importorskip("psycopg", reason="the PostGIS backend needs psycopg (pip install -e '.[postgis]')")
    return url


@pytest.fixture(params=["gpkg", "postgis"])
def new_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """A maker of fresh workspace locations on each backend: ``new_location("m")`` is ``<tmp>/m.gpkg`` for the
    GeoPackage and a new schema in the test database for PostGIS (dropped afterwards)."""
    if request.param == "gpkg":
        yield lambda name: str(tmp_path / f"{name}.gpkg")
        return
    yield from _pg_locations()


@pytest.fixture
def pg_location() -> Iterator[Callable[[str], str]]:
    """``new_location``'s PostGIS maker alone, for what exists only on a server (a police zone of several
    municipalities); skips with a reason without a test database."""
    yield from _pg_locations()


def _pg_locations() -> Iterator[Callable[[str], str]]:
    url = pg_test_url()
    schemas: list[str] = []

    def make(name: str) -> str:
        schemas.append(f"t_{name.lower()}_{uuid.uuid4().hex[:10]}")
        return f"{url}{'&' if '?' in url else '?'}schema={schemas[-1]}"

    yield make
    import psycopg

    from buurtkaart import _pg

    _pg.close_pool()  # the idle pooled connections of the test's schemas: a whole suite would exhaust the server
    with psycopg.connect(url, autocommit=True) as con:
        for schema in schemas:
            con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def store_workspace(new_location: Callable[[str], str]) -> Workspace:
    """An empty workspace on each backend (GeoPackage, PostGIS)."""
    return Workspace.create(new_location("test"), {}, municipality="Teststad", fictional=True)


@pytest.fixture
def realdata() -> Path:
    """The real Asse files; skips the test with a reason where ../shared/realdata is absent."""
    if not REALDATA.is_dir():
        pytest.skip(f"real Asse data not found at {REALDATA} (it lives in ../shared beside the project)")
    return REALDATA


@pytest.fixture(scope="session", autouse=True)
def _import_child_started_ahead() -> Iterator[None]:
    """Imports read in a child process (issue 12); the suite keeps one started ahead, as the app does."""
    from buurtkaart.importers import keep_warm

    keep_warm()
    yield
    keep_warm(False)


@pytest.fixture(autouse=True)
def _no_workspace_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never pick up a developer's own workspace from the environment, and keep the index cache files of
    server workspaces (buurtkaart/_disk_cache.py) out of the developer's ~/.cache."""
    monkeypatch.delenv("BUURTKAART_WORKSPACE", raising=False)
    monkeypatch.setenv("BUURTKAART_CACHE", str(tmp_path_factory.getbasetemp() / "buurtkaart-cache"))
    os.environ.setdefault("MPLBACKEND", "Agg")
