"""``buurtkaart fetch`` end to end against a local stand-in for the services (tests/fetch_server.py): the happy path
through the command line, the cache, the name lookup, and each failure (service down, timeout, unknown NIS code,
a page with bad JSON) giving a clear Dutch message and leaving no workspace behind. No test touches the internet.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from buurtkaart.cli import main
from buurtkaart.errors import InputError, ServiceError, WorkspaceError
from buurtkaart.fetch import fetch_municipality, resolve_municipality
from buurtkaart.fetch._http import BASE_URL_ENV, HttpClient
from buurtkaart.workspace import Workspace
from tests.fetch_server import FakeServices, serve
from tests.test_importers_best import KEPT

FAST = {"retries": 1, "backoff_s": 0.0, "timeout_s": 5.0}


def _nothing_left(folder: Path) -> None:
    """No workspace, no temporary copy, no lock file: the folder is as empty as before."""
    assert [p.name for p in folder.iterdir() if p.name != "cache"] == []


@pytest.fixture
def services():
    with serve(FakeServices()) as running:
        yield running


def test_fetch_builds_a_workspace_through_the_command_line(tmp_path: Path, services: FakeServices) -> None:
    target = tmp_path / "teststad.gpkg"
    result = CliRunner().invoke(main, ["--workspace", str(target), "fetch", "--municipality", "11001",
                                       "--cache", str(tmp_path / "cache")],
                                env={BASE_URL_ENV: services.base_url})
    assert result.exit_code == 0, result.output
    assert "Werkruimte" in result.output and "Teststad" in result.output
    ws = Workspace.open(target)
    assert ws.metadata["municipality_code"] == "11001" and ws.metadata["municipality"] == "Teststad"
    addresses = ws.read("addresses")
    assert dict(zip(addresses["address_id"], addresses["register_status"], strict=True)) == KEPT
    assert set(ws.read("streets")["name"].dropna()) == {"Kerkstraat", "Grensweg"}
    assert {"Steenweg", "Veldweg"} <= set(ws.read("streets_outside")["name"])
    # paged list (3 per page, 10 addresses of 11001), and a detail only for those in use or proposed
    assert services.hits["/v2/adressen"] == 4
    assert sum(n for path, n in services.hits.items() if path.startswith("/v2/adressen/")) == 7


def test_a_second_fetch_asks_nothing_twice(tmp_path: Path, services: FakeServices) -> None:
    cache = tmp_path / "cache"
    first = fetch_municipality("11001", tmp_path / "a.gpkg", cache_dir=cache, base_url=services.base_url, **FAST)
    asked = sum(services.hits.values())
    second = fetch_municipality("11001", tmp_path / "b.gpkg", cache_dir=cache, base_url=services.base_url, **FAST)
    assert first.requests == asked and first.cache_hits == 0
    assert second.requests == 0 and second.cache_hits == asked
    assert sum(services.hits.values()) == asked
    assert len(Workspace.open(tmp_path / "b.gpkg").read("addresses")) == len(KEPT)
    assert "11001" in second.text() and second.to_dict()["layers"]
    addresses = first.reports[2]  # boundary, streets, addresses
    assert addresses.dropped["import.best.reason.retired"] == 2
    assert addresses.dropped["import.best.reason.rejected"] == 1


def test_fetch_into_each_backend(new_location, tmp_path: Path, services: FakeServices) -> None:
    location = new_location("fetched")
    fetch_municipality("11001", location, cache_dir=tmp_path / "cache",
                       base_url=services.base_url, **FAST)
    ws = Workspace.open(location)
    assert len(ws.read("addresses")) == len(KEPT) and len(ws.read("streets_outside")) > 0


def test_names_and_codes() -> None:
    assert resolve_municipality("Asse") == ("23002", "Asse")
    assert resolve_municipality("23002") == ("23002", "Asse")
    assert resolve_municipality("12345") == ("12345", None)  # any 5-digit code: the service decides
    with pytest.raises(InputError, match="Gemeente 'Atlantis' is onbekend") as err:
        resolve_municipality("Atlantis")
    assert "23002" in str(err.value)


def test_service_down(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    target = tmp_path / "out" / "asse.gpkg"
    target.parent.mkdir()
    result = CliRunner().invoke(main, ["--workspace", str(target), "fetch", "-m", "Asse", "--retries", "0",
                                       "--cache", str(tmp_path / "cache"), "--base-url", f"http://127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert "is niet bereikbaar" in result.output and "geen werkruimte gemaakt" in result.output
    assert "Traceback" not in result.output
    _nothing_left(target.parent)


def test_timeout(tmp_path: Path) -> None:
    with serve(FakeServices(mode="slow", delay_s=1.5)) as slow:
        with pytest.raises(ServiceError, match=r"antwoordde niet binnen 0,3 s \(2 pogingen\)"):
            fetch_municipality("11001", tmp_path / "t.gpkg", cache_dir=tmp_path / "cache", base_url=slow.base_url,
                               retries=1, backoff_s=0.0, timeout_s=0.3)
        assert slow.hits["/VRBG/wfs"] == 2  # retried once
    _nothing_left(tmp_path)


def test_unknown_nis_code(tmp_path: Path, services: FakeServices) -> None:
    with pytest.raises(InputError, match="NIS-code 99999 is geen Vlaamse gemeente"):
        fetch_municipality("99999", tmp_path / "x.gpkg", cache_dir=tmp_path / "cache", base_url=services.base_url,
                           **FAST)
    _nothing_left(tmp_path)


def test_a_page_with_bad_json_is_refused_and_not_cached(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with serve(FakeServices(mode="bad_json")) as server:
        with pytest.raises(ServiceError, match="geen geldige JSON") as err:
            fetch_municipality("11001", tmp_path / "t.gpkg", cache_dir=cache, base_url=server.base_url, **FAST)
        assert "adressenregister" in str(err.value)
        _nothing_left(tmp_path)
        assert server.hits["/v2/adressen"] == 2
        server.mode = ""  # the service is well again: the bad page was not kept, the good ones were
        fetch_municipality("11001", tmp_path / "t.gpkg", cache_dir=cache, base_url=server.base_url, **FAST)
        assert server.hits["/v2/adressen"] == 2 + 3
    assert len(Workspace.open(tmp_path / "t.gpkg").read("addresses")) == len(KEPT)


def test_an_existing_workspace_is_never_overwritten(tmp_path: Path, services: FakeServices) -> None:
    target = tmp_path / "t.gpkg"
    target.write_bytes(b"")
    with pytest.raises(WorkspaceError, match="bestaat al"):
        fetch_municipality("11001", target, cache_dir=tmp_path / "cache", base_url=services.base_url, **FAST)
    assert services.hits == {}


def test_the_client_retries_with_backoff_and_says_who_asks(tmp_path: Path) -> None:
    sleeps: list[float] = []
    with serve(FakeServices(mode="flaky")) as flaky:
        client = HttpClient(user_agent="buurtkaart-test", retries=2, backoff_s=0.5, _sleep=sleeps.append)
        data = client.get_json(f"{flaky.base_url}/VRBG/wfs?cql_filter=NISCODE%3D%2711001%27", service="grenzen")
    assert len(data["features"]) == 1
    assert sleeps == [0.5, 1.0] and client.requests == 3
    assert set(flaky.user_agents) == {"buurtkaart-test"}


def test_a_refused_question_is_not_asked_again(tmp_path: Path, services: FakeServices) -> None:
    client = HttpClient(user_agent="buurtkaart-test", retries=3, backoff_s=0.0)
    with pytest.raises(ServiceError, match=r"weigerde de vraag \(HTTP 404\)"):
        client.get_json(f"{services.base_url}/bestaat-niet", service="grenzen")
    assert client.requests == 1
