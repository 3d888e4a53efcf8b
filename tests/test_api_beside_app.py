"""The public API and the widget served by the app's own server beside its pages (``buurtkaart.api.beside_app``,
the routes of app.py's ``st.App``), through Starlette's test client: the workspace the app opens, read at each
request; none yet; the rate limit from the environment; a police zone's municipality by ``?gemeente=``."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from buurtkaart.api.app import DEFAULT_PER_MINUTE
from buurtkaart.api.beside_app import PATHS, PER_MINUTE_ENV, AppApis
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace
from tests.zone_helpers import make_zone


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from buurtkaart.synthetic import make_demo_workspace

    return make_demo_workspace(Path(tmp_path_factory.mktemp("beside")) / "demo.gpkg")


def _client(apis: AppApis) -> TestClient:
    return TestClient(Starlette(routes=apis.routes()))


def test_the_routes_answer_as_buurtkaart_serve_does(demo):
    from buurtkaart.api import create_app

    beside = _client(AppApis(lambda: str(demo.path), per_minute=0))
    alone = TestClient(create_app(demo, per_minute=0))
    for path in ("/api/v1/groep?adres=Kerkstraat%2012", "/api/v1/groepen", "/api/v1/openapi.json"):
        assert beside.get(path).json() == alone.get(path).json(), path
    page = beside.get("/widget")
    assert page.status_code == 200 and page.headers["content-security-policy"].endswith("frame-ancestors 'self'")
    assert beside.get("/widget/assets/leaflet.js").status_code == 200
    assert beside.post("/api/v1/groep").status_code == 405
    assert {route.path for route in AppApis(lambda: "").routes()} == set(PATHS)


def test_the_workspace_is_the_one_the_app_opens_at_each_request(demo, tmp_path):
    other = Workspace.open(shutil.copy(demo.path, tmp_path / "other.gpkg"))
    groups = other.read("groups")
    groups["name"] = "Anders " + groups["name"].astype(str)
    other.write({"groups": groups})
    where = {"location": str(demo.path)}
    client = _client(AppApis(lambda: where["location"], per_minute=0))
    names = [f["properties"]["name"] for f in client.get("/api/v1/groepen").json()["features"]]
    assert not any(n.startswith("Anders ") for n in names)
    where["location"] = str(other.path)
    names = [f["properties"]["name"] for f in client.get("/api/v1/groepen").json()["features"]]
    assert names and all(n.startswith("Anders ") for n in names)


def test_no_workspace_yet_is_a_dutch_404_and_the_next_request_finds_it(demo, tmp_path):
    target = tmp_path / "demo.gpkg"
    client = _client(AppApis(lambda: str(target), per_minute=0))
    response = client.get("/api/v1/groep", params={"adres": "Kerkstraat 12"})
    assert response.status_code == 404 and response.json() == {"error": t("api.error.no_workspace")}
    assert str(tmp_path) not in response.text
    shutil.copy(demo.path, target)
    assert client.get("/api/v1/groep", params={"adres": "Kerkstraat 12"}).status_code == 200


def test_the_rate_limit_comes_from_the_environment(demo, monkeypatch, caplog):
    monkeypatch.setenv(PER_MINUTE_ENV, "1")
    client = _client(AppApis.from_environment(lambda: str(demo.path)))
    assert client.get("/api/v1/groepen").status_code == 200
    limited = client.get("/api/v1/groepen")
    assert limited.status_code == 429 and limited.json()["error"] == t("api.error.rate_limited")
    monkeypatch.setenv(PER_MINUTE_ENV, "veel")
    with caplog.at_level(logging.WARNING, logger="buurtkaart.api"):
        apis = AppApis.from_environment(lambda: str(demo.path))
    assert apis._options["per_minute"] == DEFAULT_PER_MINUTE and PER_MINUTE_ENV in caplog.text


def test_a_zone_answers_for_the_municipality_named_in_the_link(pg_location, two_squares):
    amow = make_zone(pg_location, two_squares)
    client = _client(AppApis(lambda: amow.zone_url, per_minute=0))
    for nis, postcode in (("23002", "1730"), ("23052", "1785")):
        body = client.get("/api/v1/groep", params={"adres": "Weststraat 2", "gemeente": nis}).json()
        assert body["address"]["postcode"] == postcode, nis
        page = client.get("/widget", params={"gemeente": nis}).text
        assert f'"params": "gemeente={nis}"' in page, "the widget asks for the same municipality"
    unnamed = client.get("/api/v1/groep", params={"adres": "Weststraat 2"})
    assert unnamed.status_code == 404 and unnamed.json()["error"] == t("api.error.pick_municipality")
    unknown = client.get("/api/v1/groepen", params={"gemeente": "99999"})
    assert unknown.status_code == 404 and "99999" in unknown.json()["error"]
    assert "postgresql" not in unknown.text
