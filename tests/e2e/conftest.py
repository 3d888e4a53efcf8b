"""Browser tests: ``streamlit run app.py`` on a temporary demo workspace, driven by headless Debian Chromium.

Fixtures: ``app_server`` (session: the running app's base URL, on its own demo workspace and free port),
``page`` (pytest-playwright, launched with ``/usr/bin/chromium`` and the flags of ``../shared/BROWSER-TESTS.md``).
Helpers: ``goto(page, server, path)`` waits until Streamlit has drawn, ``login(page, server, role)``,
``map_frame(page)`` waits until a folium map has drawn a polygon, ``screenshot(page, name)`` saves
``test-artifacts/<name>.png``. Every test here is marked ``browser`` and skips with a reason where Chromium is
missing (CI installs it: ``.ci/run``).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from buurtkaart.texts import t
from buurtkaart.workspace import Workspace
from tests.app.conftest import ASSE_PASSWORD, ROLE_USERS, build_asse, build_demo
from tests.conftest import REALDATA

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 60
DRAW_TIMEOUT_MS = 60_000
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: The resident search that "Welke groep?" embeds (its frame's title is the search's own).
SEARCH_FRAME = f'iframe[title="{t("api.widget.title")}"]'


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is missing: apt-get install -y chromium"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, never a downloaded browser (no internet)."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture(scope="session")
def base_url() -> str | None:
    """No base URL (tests pass whole URLs). Overrides pytest-playwright's fallback fixture, a session fixture
    defined as a method, which pytest 9 reports as deprecated (an error here: warnings are errors)."""
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "nl-BE"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(workspace_path: Path, log_path: Path, *,
              launcher: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``streamlit run app.py`` (``launcher``: the warm launcher ``python app_server.py``) on
    ``workspace_path``; return the process and its base URL once healthy."""
    port = _free_port()
    env = {**os.environ, "BUURTKAART_WORKSPACE": str(workspace_path)}
    with log_path.open("wb") as log:  # the child keeps its own copy of the file handle
        proc = subprocess.Popen(
            [sys.executable, *([str(ROOT / "app_server.py")] if launcher else ["-m", "streamlit", "run",
                                                                             str(ROOT / "app.py")]),
             "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit stopped (exit {proc.returncode}); see {log_path}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"streamlit did not answer on {url} within {START_TIMEOUT_S} s; see {log_path}")


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass(frozen=True)
class AppServer:
    """A running app: its base URL and the workspace it serves."""

    url: str
    workspace: Workspace


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app running on its own demo workspace (tests may change it: it is theirs alone)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    folder = tmp_path_factory.mktemp("e2e")
    ws = build_demo(folder / "demo.gpkg")
    proc, url = start_app(ws.path, folder / "streamlit.log")
    try:
        yield AppServer(url, ws)
    finally:
        stop_app(proc)


@pytest.fixture(scope="session")
def asse_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app on a workspace imported from the real Asse files (skips where they are absent)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    if not REALDATA.is_dir():
        pytest.skip(f"real Asse data not found at {REALDATA}")
    folder = tmp_path_factory.mktemp("e2e_asse")
    ws = build_asse(folder / "asse.gpkg")
    proc, url = start_app(ws.path, folder / "streamlit.log")
    try:
        yield AppServer(url, ws)
    finally:
        stop_app(proc)


def record_outside_requests(page: Any) -> list[str]:
    """Start recording every request the page makes to another host than the app (CDNs, fonts, tiles)."""
    outside: list[str] = []

    def check(request: Any) -> None:
        host = request.url.split("/")[2] if "://" in request.url else ""
        if request.url.startswith(("http://", "https://")) and not host.startswith(("127.0.0.1", "localhost")):
            outside.append(request.url)

    page.on("request", check)
    return outside


def wait_drawn(page: Any) -> None:
    """Wait until Streamlit has finished running the script and drawing."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=DRAW_TIMEOUT_MS)
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=DRAW_TIMEOUT_MS)


def goto(page: Any, server: AppServer, path: str = "") -> None:
    page.goto(f"{server.url}/{path}")
    wait_drawn(page)


def login(page: Any, server: AppServer, role: str) -> None:
    """Log in as the demo account of ``role`` through the app's own login page (first forgetting an earlier
    login's session cookie, which would otherwise log the new page in again)."""
    from buurtkaart.members.accounts import DEMO_PASSWORD

    page.context.clear_cookies()
    goto(page, server, "login")
    page.get_by_label(t("members.login.username")).fill(ROLE_USERS[role] or "")
    page.get_by_label(t("members.login.password")).fill(
        DEMO_PASSWORD if server.workspace.is_fictional else ASSE_PASSWORD)
    page.get_by_role("button", name=t("members.login.submit")).click()
    page.wait_for_timeout(500)
    wait_drawn(page)


def drawn_frame(page: Any, selector: str) -> Any:
    """The frame ``selector`` once Leaflet has drawn at least one interactive path in it (a polygon or line)."""
    page.wait_for_selector(selector, timeout=DRAW_TIMEOUT_MS)
    frame = page.frame_locator(selector).first
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=DRAW_TIMEOUT_MS)
    return frame


def search_frame(page: Any) -> Any:
    """The resident search of "Welke groep?" (the widget the page embeds) once its group areas are drawn."""
    return drawn_frame(page, SEARCH_FRAME)


def ask_resident(page: Any, text: str) -> Any:
    """Type ``text`` in the resident search, press Zoeken and wait for the answer; return the search's frame."""
    frame = search_frame(page)
    frame.locator("#adres").fill(text)
    frame.get_by_role("button", name=t("api.widget.search")).click()
    frame.locator("#message").filter(has_not_text=t("api.widget.busy")).filter(has_text=re.compile(r"\S")).wait_for(
        timeout=DRAW_TIMEOUT_MS)
    return frame


def map_frame(page: Any) -> Any:
    """The st_folium frame once Leaflet has drawn at least one interactive path (a polygon or line)."""
    return drawn_frame(page, MAP_FRAME)


def screenshot(page: Any, name: str) -> Path:
    """Save the whole page (Streamlit scrolls inside its own container, so the window is stretched to fit)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size or {"width": 1280, "height": 900}
    height = page.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll('[data-testid=stMain], section.main, body'))"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": size["width"], "height": max(int(height), size["height"])})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
