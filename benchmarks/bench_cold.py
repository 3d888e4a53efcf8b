"""The cold first page of a real Asse workspace (the demo town where ../shared/realdata is absent), target < 2.5 s.

The honest figure ("first page, cold"): a freshly started server process (``python app_server.py``, the
launcher, or plain ``streamlit run app.py`` for comparison), *ready* when its health endpoint answers; then the
first page requested by a new headless Chromium (a new browser profile: Streamlit's own scripts are fetched too)
until the search box is shown and the page has finished running (Streamlit's running indicator gone). Printed
per way of starting: the seconds from starting the process to ready, from the request to the page shown, and
both together; with and without the resident index's cache file (``buurtkaart/_disk_cache.py``).

For comparison, as before: the resident page's first run in Streamlit's AppTest in a new process (imports counted
apart), and the group index alone with the adaptive label raster against the former fixed 4-million-cell raster
(``mixed_share=0``).

    python benchmarks/run.py cold
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.app.conftest import build_asse, build_demo  # noqa: E402
from tests.conftest import REALDATA  # noqa: E402

RUNS = 3
SERVER_RUNS = 2

_PAGE = """
import os, sys, time
started = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=300)
imported = time.perf_counter()
at.run()
assert not at.exception, at.exception
print(f"{imported - started:.3f} {time.perf_counter() - imported:.3f}")
"""

_INDEX = """
import sys, time
from buurtkaart.workspace import Workspace
from buurtkaart.assignment.points import GroupIndex
ws = Workspace.open(sys.argv[1])
started = time.perf_counter()
index = GroupIndex.from_workspace(ws, mixed_share=float(sys.argv[2]))
cells = index.grid.shape[0] * index.grid.shape[1]
print(f"{time.perf_counter() - started:.3f} {cells}")
"""


def _child(code: str, *args: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=600, check=True)
    return done.stdout.split()[-2:]


def _first_page(ws_path: Path, log: Path, *, launcher: bool) -> tuple[float, float]:
    """Seconds from starting the server to ready, and from requesting the first page to the page shown."""
    import time
    import urllib.request

    from playwright.sync_api import sync_playwright

    from buurtkaart.texts import t
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, SEARCH_FRAME, _free_port, stop_app

    port = _free_port()
    command = (["app_server.py"] if launcher else ["-m", "streamlit", "run", "app.py"])
    flags = ["--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1"]
    env = {**os.environ, "BUURTKAART_WORKSPACE": str(ws_path)}
    url = f"http://127.0.0.1:{port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE")
        page = context.new_page()
        with log.open("wb") as out:
            started = time.perf_counter()
            proc = subprocess.Popen([sys.executable, *command, *flags], cwd=ROOT, env=env, stdout=out,
                                    stderr=subprocess.STDOUT)
        try:
            while True:
                if proc.poll() is not None or time.perf_counter() - started > 120:
                    raise RuntimeError(f"the server did not start; see {log}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.05)
            ready = time.perf_counter()
            page.goto(url, timeout=120_000)
            page.frame_locator(SEARCH_FRAME).get_by_label(t("api.widget.label")).wait_for(timeout=120_000)
            page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=120_000)
            shown = time.perf_counter()
        finally:
            stop_app(proc)
            browser.close()
    return ready - started, shown - ready


def _servers(ws_path: Path, folder: Path, kind: str) -> None:
    from buurtkaart._disk_cache import cache_file
    from buurtkaart.workspace import Workspace
    from tests.e2e.conftest import CHROMIUM

    if not CHROMIUM.exists():
        print(f"(no {CHROMIUM}: the browser figures need Debian's chromium)")
        return
    cache = cache_file(Workspace.open(ws_path), "resident")
    for launcher, keep_cache, label in ((False, False, "streamlit run app.py, no index cache file (before)"),
                                        (False, True, "streamlit run app.py, index cache file present"),
                                        (True, True, "python app_server.py (launcher), index cache file present")):
        rows = []
        for i in range(SERVER_RUNS):
            if not keep_cache and cache is not None:
                cache.unlink(missing_ok=True)
            rows.append(_first_page(ws_path, folder / f"server{i}.log", launcher=launcher))
        ready = statistics.median(r[0] for r in rows)
        shown = statistics.median(r[1] for r in rows)
        print(f"first page, cold, {kind}, {label}: median of {SERVER_RUNS} new servers: start to ready "
              f"{ready:.2f} s, request to page shown {shown:.2f} s (target < 2.5 s), together {ready + shown:.2f} s "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if REALDATA.is_dir():
            ws, kind = build_asse(Path(tmp) / "asse.gpkg"), "real Asse"
        else:
            ws, kind = build_demo(Path(tmp) / "demo.gpkg"), "demo town (real data absent)"
        for share, label in ((0.0, "fixed 4M-cell raster (before)"), (0.1, "adaptive raster (now)")):
            rows = [_child(_INDEX, str(ws.path), str(share)) for _ in range(RUNS)]
            print(f"GroupIndex.from_workspace, {kind}, {label}: median "
                  f"{statistics.median(float(r[0]) for r in rows):.2f} s of {RUNS} new processes, "
                  f"{int(rows[0][1]):,} cells")
        _servers(Path(ws.path), Path(tmp), kind)
        os.environ["BUURTKAART_WORKSPACE"] = str(ws.path)
        rows = [_child(_PAGE, str(ROOT / "app.py")) for _ in range(RUNS)]
        imports = statistics.median(float(r[0]) for r in rows)
        page = statistics.median(float(r[1]) for r in rows)
        print(f"for comparison, the resident page's first run in AppTest ({kind}), new process each: median "
              f"{page:.2f} s for the page run, plus {imports:.2f} s importing Streamlit's AppTest "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
