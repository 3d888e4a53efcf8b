"""The public API (buurtkaart serve) through Starlette's test client: no network, the demo town's workspace."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import geopandas as gpd
import pytest
from starlette.testclient import TestClient

from buurtkaart.api import create_app
from buurtkaart.assignment.find import MAX_QUERY_CHARS, FindIndex, find_group
from buurtkaart.assignment.points import assign_points
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace

ORIGIN = "https://www.gemeente.example"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from buurtkaart.synthetic import make_demo_workspace

    return make_demo_workspace(Path(tmp_path_factory.mktemp("api")) / "demo.gpkg")


@pytest.fixture(scope="module")
def client(ws: Workspace) -> TestClient:
    return TestClient(create_app(ws, origins=[ORIGIN], per_minute=0))


def _problem_texts(ws: Workspace) -> list[str]:
    members = ws.read("members")
    texts = members.loc[members["member_id"].str.startswith("M90"), "address_text"].dropna().tolist()
    assert len(texts) >= 10
    return [*texts, "Kerkstraat", "kerkstr 3", "Nergensstraat 1"]


def test_api_answers_equal_the_library_for_the_demo_problem_addresses(ws, client):
    index = FindIndex.from_workspace(ws)
    groups = ws.read("groups")
    for text in _problem_texts(ws):
        response = client.get("/api/v1/groep", params={"adres": text})
        assert response.status_code == 200, text
        body = response.json()
        expected = json.loads(json.dumps(find_group(text, index=index).to_dict()))
        address = body["address"]
        assert {k: v for k, v in address.items() if k not in ("lat", "lon")} == expected["address"]
        assert {k: v for k, v in body.items() if k not in ("address", "fictional")} == \
            {k: v for k, v in expected.items() if k != "address"}
        assert body["fictional"] is True and body["message"]
        if address["x"] is not None:  # the group status agrees with assigning the point directly
            point = gpd.GeoSeries.from_xy([address["x"]], [address["y"]], crs=WORKING_CRS)
            assert body["status"] == assign_points(point, groups).loc[0, "status"]
            assert 50.0 < address["lat"] < 52.0 and 2.0 < address["lon"] < 7.0


@pytest.mark.parametrize("params", [
    {"adres": ""}, {"adres": "   "}, {}, {"adres": "Kerkstraat " * 1000}, {"adres": "Kerk\x00straat 1"},
    {"adres": ["Kerkstraat 1", "Kerkstraat 2"]},
])
def test_bad_queries_get_a_4xx_with_a_dutch_message(client, params):
    response = client.get("/api/v1/groep", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == t("resident.error.query") and body["problems"]


def test_binary_bytes_in_the_query_get_a_dutch_400(client):
    response = client.get("/api/v1/groep?adres=%FF%FE%00%01Kerk")
    assert response.status_code == 400
    assert t("resident.error.control") in response.json()["problems"]
    long = client.get("/api/v1/groep", params={"adres": "x" * 10_000}).json()
    assert long["problems"] == [t("resident.error.too_long", length=10_000, limit=MAX_QUERY_CHARS)]


def test_rate_limit_answers_429_with_retry_after(ws):
    limited = TestClient(create_app(ws, per_minute=3))
    codes = [limited.get("/api/v1/groep", params={"adres": "Kerkstraat 1"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    last = limited.get("/api/v1/groepen")
    assert last.status_code == 429 and int(last.headers["retry-after"]) >= 1
    assert last.json()["error"] == t("api.error.rate_limited")


def test_cors_only_for_the_configured_site(client):
    ok = client.get("/api/v1/groep", params={"adres": "Kerkstraat 1"}, headers={"Origin": ORIGIN})
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    other = client.get("/api/v1/groep", params={"adres": "Kerkstraat 1"}, headers={"Origin": "https://elders.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = client.options("/api/v1/groep", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    refused = client.options("/api/v1/groep", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 400


def test_group_areas_are_names_and_areas_only(ws, client):
    response = client.get("/api/v1/groepen")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(ws.read("groups"))
    for feature in data["features"]:
        assert set(feature["properties"]) == {"group_id", "name"}
        lon, lat = feature["geometry"]["coordinates"][0][0][:2] if feature["geometry"]["type"] == "Polygon" \
            else feature["geometry"]["coordinates"][0][0][0][:2]
        assert 2.0 < lon < 7.0 and 50.0 < lat < 52.0


def test_street_lines_are_lines_only_and_sent_compressed(ws, client):
    response = client.get("/api/v1/straten", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(response.content) / 3, "compressed on the wire"
    data = response.json()
    (feature,) = data["features"]  # one shape for the browser to draw
    assert feature["properties"] == {} and feature["geometry"]["type"] == "MultiLineString"
    lines = feature["geometry"]["coordinates"]
    assert 0.95 * len(ws.read("streets")) <= len(lines)
    for line in lines:
        lon, lat = line[0][:2]
        assert 2.0 < lon < 7.0 and 50.0 < lat < 52.0
        assert round(lon, 5) == lon, "to about a metre"


def test_openapi_describes_both_endpoints_and_unknown_paths_are_dutch(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/groep", "/api/v1/groepen", "/api/v1/straten"} <= set(doc["paths"])
    missing = client.get("/api/v1/bestaat-niet")
    assert missing.status_code == 404 and missing.json()["error"] == t("api.error.not_found")
    post = client.post("/api/v1/groep")
    assert post.status_code == 405 and post.json()["error"] == t("api.error.method")


def test_nothing_of_the_query_is_logged(client, caplog):
    with caplog.at_level(logging.DEBUG):
        client.get("/api/v1/groep", params={"adres": "Geheimstraat 77, 9995"})
        client.get("/api/v1/groep", params={"adres": "Kerkstraat 5"})
    # everything the server side logged (the test client's own request log is the resident's browser, not us)
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "/api/v1/groep" in text
    assert "Geheimstraat" not in text and "Kerkstraat" not in text and "77" not in text.replace("ms", "")


def test_an_unexpected_error_is_a_dutch_500_without_details(ws, monkeypatch, caplog):
    import buurtkaart.api.app as api_app

    def broken(*_args, **_kwargs):
        raise RuntimeError("Geheimstraat 77 /srv/secret/path")

    app = create_app(ws, per_minute=0)
    monkeypatch.setattr(api_app, "find_group", broken)
    with caplog.at_level(logging.DEBUG):
        response = TestClient(app, raise_server_exceptions=False).get("/api/v1/groep", params={"adres": "Kerkstraat 1"})
    assert response.status_code == 500 and response.json() == {"error": t("api.error.internal")}
    text = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records if not r.name.startswith("httpx"))
    assert "Geheimstraat" not in text and "/srv/secret" not in text and "RuntimeError" in text


def test_widget_is_offline_and_framed_only_by_the_configured_site(client):
    page = client.get("/widget")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "http://" not in html and "https://" not in html  # no CDN, no other site: everything from the API
    assert t("api.widget.fictional") in html
    policy = page.headers["content-security-policy"]
    assert f"frame-ancestors 'self' {ORIGIN}" in policy and "script-src 'self' 'sha256-" in policy
    assert "innerHTML" not in html  # answers are written as text only
    for name, kind in (("leaflet.js", "javascript"), ("leaflet.css", "css")):
        asset = client.get(f"/widget/assets/{name}")
        assert asset.status_code == 200 and kind in asset.headers["content-type"] and len(asset.content) > 10_000
    assert client.get("/widget/assets/../../etc/passwd").status_code == 404
    assert client.get("/widget/assets/jquery.js").status_code == 404


def test_new_data_is_served_after_the_file_changes(ws, tmp_path):
    import shutil

    copy = Workspace.open(shutil.copy(ws.path, tmp_path / "copy.gpkg"))
    app_client = TestClient(create_app(copy, per_minute=0, check_every_s=0.0))
    before = app_client.get("/api/v1/groepen").json()
    groups = copy.read("groups")
    groups.loc[groups.index[0], "name"] = "Nieuwe naam <b>"
    copy.write({"groups": groups})
    after = app_client.get("/api/v1/groepen").json()
    assert after["features"][0]["properties"]["name"] == "Nieuwe naam <b>"
    assert before["features"][0]["properties"]["name"] != "Nieuwe naam <b>"


def test_repeated_questions_come_from_a_bounded_cache_without_the_text(ws, monkeypatch):
    import buurtkaart.api.app as api_app

    calls: list[str] = []

    def counted(text, **kwargs):
        calls.append(text)
        return find_group(text, **kwargs)

    monkeypatch.setattr(api_app, "find_group", counted)
    monkeypatch.setattr(api_app, "CACHED_ANSWERS", 2)
    client = TestClient(create_app(ws, per_minute=0))
    first = client.get("/api/v1/groep", params={"adres": "Kerkstraat 3"})
    again = client.get("/api/v1/groep", params={"adres": "  Kerkstraat   3 "})  # the same question, normalised
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert first.headers["content-type"] == "application/json" and len(calls) == 1
    assert client.get("/api/v1/groep", params={"adres": ""}).status_code == 400  # bad questions are not kept
    for text in ("Kerkstraat 5", "Kerkstraat 7", "Kerkstraat 3"):  # the oldest was dropped: asked again
        assert client.get("/api/v1/groep", params={"adres": text}).status_code == 200
    assert len(calls) == 4
    snapshot = client.app.state.data.snapshot  # type: ignore[attr-defined]
    assert len(snapshot.answers) == 2
    assert not any(b"Kerkstraat" in key for key in snapshot.answers)
