"""Stored script in every map (issue 12, attack 1) in a real browser: the app on a demo workspace whose group,
street, address and infobord names are `<img src=x onerror=alert(1)>` or Markdown links. On every page of every
role, on load and on hover over the map, no dialog fires and no request leaves the app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.app.conftest import build_demo
from tests.e2e.conftest import (
    CHROMIUM,
    AppServer,
    ask_resident,
    goto,
    login,
    map_frame,
    record_outside_requests,
    start_app,
    stop_app,
)
from tests.security.conftest import make_hostile
from tests.security.test_escaping_app import _covered_address


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    folder = tmp_path_factory.mktemp("e2e_hostile")
    ws = make_hostile(build_demo(folder / "demo.gpkg"))
    proc, url = start_app(ws.path, folder / "streamlit.log")
    try:
        yield AppServer(url, ws)
    finally:
        stop_app(proc)


def _watch(page: Any) -> tuple[list[str], list[str]]:
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return dialogs, record_outside_requests(page)


def _hover_map(page: Any) -> None:
    """Move the mouse over every drawn area and line of the map (tooltips open on hover)."""
    frame = map_frame(page)
    paths = frame.locator("path.leaflet-interactive")
    for i in range(min(paths.count(), 25)):
        try:
            paths.nth(i).hover(timeout=2_000, force=True)
        except Exception:
            continue
    frame.locator(".leaflet-control-layers").first.hover(timeout=5_000)  # opens the layer control
    page.wait_for_timeout(500)


def test_the_public_answer_and_map_run_no_script_and_load_nothing(page, hostile_server):
    dialogs, outside = _watch(page)
    query, name = _covered_address(hostile_server.workspace, "[Klik hier]")
    goto(page, hostile_server)
    frame = ask_resident(page, query)
    frame.get_by_text(name).first.wait_for()  # the name is shown, as text
    for target in (page, frame):
        links = target.locator('a[href^="https://evil.example"]')
        assert links.count() == 0
        assert target.locator('img[src^="https://evil.example"]').count() == 0, "no image from a name"
    paths = frame.locator("path.leaflet-interactive")
    for i in range(min(paths.count(), 25)):  # each area's tooltip holds its name
        try:
            paths.nth(i).hover(timeout=2_000, force=True)
        except Exception:
            continue
    page.wait_for_timeout(500)
    assert dialogs == [] and outside == []


@pytest.mark.parametrize(("role", "path"), [("coordinator", ""), ("staff", "")])
def test_first_screens_of_each_role_run_no_script(page, hostile_server, role, path):
    dialogs, outside = _watch(page)
    login(page, hostile_server, role)
    if path:
        goto(page, hostile_server, path)
    _hover_map(page)
    assert dialogs == [] and outside == []
