"""The embeddable widget of ``buurtkaart serve`` in Chromium, framed by another page: the search answers, the
areas are drawn from the service's own Leaflet, nothing is fetched from another host, and a hostile group name
stays text."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from buurtkaart.texts import t
from buurtkaart.workspace import Workspace
from tests.app.conftest import build_demo
from tests.e2e.conftest import ROOT, record_outside_requests, screenshot

HOSTILE = '<img src=x onerror="alert(1)">Stationswijk'


class _Site:
    """The municipality's own page, served on 127.0.0.1 (a routed fake host would count as a public network
    that Chromium forbids to frame a loopback service)."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.html = b""
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(site.html)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def site() -> Iterator[_Site]:
    running = _Site()
    yield running
    running.server.shutdown()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, site: _Site) -> Iterator[str]:
    folder = Path(tmp_path_factory.mktemp("widget"))
    ws = build_demo(folder / "demo.gpkg")
    copy = Workspace.open(shutil.copy(ws.path, folder / "hostile.gpkg"))
    groups = copy.read("groups")
    groups.loc[groups.index[0], "name"] = HOSTILE
    copy.write({"groups": groups})
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (folder / "serve.log").open("wb")
    command = [sys.executable, "-c", "from buurtkaart.cli import main; main()", "-w", str(copy.path), "serve",
               "--port", str(port), "--per-minute", "0", "--origin", site.origin]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v1/openapi.json", timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_widget_in_an_iframe_answers_offline_and_keeps_names_as_text(page: Any, service: str, site: _Site):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    outside = record_outside_requests(page)
    site.html = (f'<html><body><h1>Gemeente</h1><iframe src="{service}/widget" title="zoek" '
                 'style="width:640px;height:560px;border:0"></iframe></body></html>').encode()
    page.goto(f"{site.origin}/welke-groep")
    frame = page.frame_locator('iframe[title="zoek"]')
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    frame.get_by_label(t("api.widget.label")).fill("Kerkstraat 12")
    frame.get_by_role("button", name=t("api.widget.search")).click()
    message = frame.locator("#message")
    message.filter(has_not_text=t("api.widget.busy")).wait_for(timeout=30_000)
    text = message.inner_text()
    assert text and text != t("api.widget.busy") and "groep" in text.lower()
    frame.locator("path.leaflet-interactive").first.hover()
    page.wait_for_timeout(300)
    assert not dialogs and not outside
    assert frame.locator("img[src=x]").count() == 0
    screenshot(page, "widget")
