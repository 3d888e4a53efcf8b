"""App figures on the real Asse workspace (demo town where ../shared/realdata is absent).

* time from ``streamlit run`` to the health check and to the first served page (HTTP, and drawn in Chromium);
* time to build and render the staff overview map, and its payload in bytes (target < 3 MB);
* the resident lookup: library time (lookup + group + street answer + map), the page run in AppTest with warm
  caches, and in the browser from pressing "Zoeken" to the map drawn (target < 1 s).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402

from buurtkaart.assignment.points import GroupIndex, assign_points  # noqa: E402
from buurtkaart.assignment.streets import street_answer  # noqa: E402
from buurtkaart.geocoding.lookup import AddressIndex  # noqa: E402
from buurtkaart.maps import overview_map, payload_bytes, resident_map  # noqa: E402
from buurtkaart.texts import t  # noqa: E402
from buurtkaart.workspace import Workspace  # noqa: E402
from tests.app.conftest import ROLE_USERS, build_asse, build_demo, map_args  # noqa: E402
from tests.conftest import REALDATA  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, SEARCH_FRAME, start_app, stop_app  # noqa: E402

LAYERS = ["municipality", "deelgemeenten", "wijken", "streets", "groups", "infoborden", "addresses"]
QUERIES = 20


def _median(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _workspace(folder: Path) -> tuple[Workspace, str]:
    if REALDATA.is_dir():
        started = time.perf_counter()
        ws = build_asse(folder / "asse.gpkg")
        print(f"real Asse workspace imported: {time.perf_counter() - started:.1f} s "
              f"({len(ws.read('addresses'))} addresses, {len(ws.read('streets'))} street segments, "
              f"{len(ws.read('groups'))} groups = the Asse wijken)")
        return ws, "Asse"
    print(f"(real data absent at {REALDATA}: using the demo town)")
    return build_demo(folder / "demo.gpkg"), "demo"


def _sample_addresses(ws: Workspace, n: int) -> list[str]:
    addresses = ws.read("addresses")
    addresses = addresses[addresses["box"].isna()].sample(n, random_state=7)
    return [f"{r.street} {r.housenumber}{'' if r.suffix is None or r.suffix != r.suffix else r.suffix}"
            for r in addresses.itertuples()]


def bench_staff_map(ws: Workspace) -> None:
    layers = {name: ws.read(name) for name in LAYERS}
    for with_addresses in (False, True):
        seconds, m = _median(lambda wa=with_addresses: overview_map(layers, with_addresses=wa), repeat=3)
        render, size = _median(lambda m=m: payload_bytes(m), repeat=3)
        label = "with clustered addresses" if with_addresses else "groups, streets, boundaries"
        print(f"staff overview map ({label}): built in {seconds * 1000:.0f} ms, rendered in "
              f"{render * 1000:.0f} ms, payload {size:,} bytes ({size / 1e6:.2f} MB; target < 3 MB)")


def bench_resident_library(ws: Workspace) -> None:
    started = time.perf_counter()
    index = AddressIndex.from_workspace(ws)
    groups_index = GroupIndex.from_workspace(ws)
    print(f"lookup and group indexes built once per workspace version: {time.perf_counter() - started:.2f} s")
    addresses, groups, streets = ws.read("addresses"), ws.read("groups"), ws.read("streets")
    times, sizes = [], []
    for text in _sample_addresses(ws, QUERIES):
        began = time.perf_counter()
        result = index.lookup(text)
        highlight: list[str] = []
        if result.found:
            row = assign_points(gpd.GeoSeries([result.point], crs=31370), groups_index).iloc[0]
            highlight = [str(g) for g in (row["groups"] or ())] or [str(g) for g, _d in row["nearest"][:1]]
        answer = street_answer(result.street or text, addresses=addresses, groups=groups_index)
        m = resident_map(result.point, groups=groups, highlight=highlight or list(answer.group_ids),
                         streets=streets)
        sizes.append(payload_bytes(m))
        times.append(time.perf_counter() - began)
    times.sort()
    print(f"resident answer in the library (lookup + group + street answer + map, warm indexes), {QUERIES} "
          f"addresses: median {statistics.median(times) * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms; "
          f"map payload median {statistics.median(sizes):,.0f} bytes")


def bench_pages(ws: Workspace) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["BUURTKAART_WORKSPACE"] = str(ws.path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["username"] = ROLE_USERS["staff"]
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    warm, _ = _median(lambda: at.run(), repeat=3)
    args = map_args(at)
    size = len(json.dumps(args[0])) if args else 0
    print(f"staff overview page (AppTest): first run {cold:.2f} s, warm rerun {warm:.2f} s, "
          f"st_folium arguments {size:,} bytes")
    from tests.app.conftest import ask, beside_app

    client = beside_app(ws)  # the search the resident page embeds, as the app's server answers it
    texts = _sample_addresses(ws, 6)
    times = []
    for i, text in enumerate(texts):
        began = time.perf_counter()
        ask(client, text)
        if i:  # the first search builds the index (once per workspace version)
            times.append(time.perf_counter() - began)
    print(f"resident search beside the pages (its API through the test client, warm): search to answer, median "
          f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms (target < 1 s)")


def bench_server(ws: Workspace, folder: Path) -> None:
    if not CHROMIUM.exists():
        print(f"(no {CHROMIUM}: browser figures skipped)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS) if CHROMIUM.exists() else None
        started = time.perf_counter()
        proc, url = start_app(ws.path, folder / "streamlit.log")
        healthy = time.perf_counter() - started
        try:
            with urllib.request.urlopen(url + "/", timeout=30) as response:
                response.read()
            served = time.perf_counter() - started
            print(f"streamlit run → health check {healthy:.2f} s, → first page served (HTTP) {served:.2f} s")
            if browser is not None:
                _browser(browser, url, started, ws)
        finally:
            stop_app(proc)
            if browser is not None:
                browser.close()


def _browser(browser: Any, url: str, started: float, ws: Workspace) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.get_by_text(t("app.welke.title")).wait_for(timeout=120_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=120_000)
    page.wait_for_selector(SEARCH_FRAME, timeout=120_000)
    search = page.query_selector(SEARCH_FRAME).content_frame()
    search.wait_for_selector("path.leaflet-interactive", state="attached", timeout=120_000)
    print(f"streamlit run → first page drawn and ready in Chromium (browser already open): "
          f"{time.perf_counter() - started:.2f} s")
    search.evaluate("""(busy) => {
        window.__answers = 0;
        const message = document.getElementById("message");
        new MutationObserver(() => {
            if (message.textContent && message.textContent !== busy) window.__answers += 1;
        }).observe(message, {childList: true, characterData: true, subtree: true});
    }""", t("api.widget.busy"))
    times = []
    for text in _sample_addresses(ws, 6):
        search.get_by_label(t("api.widget.label")).fill(text)
        before = search.evaluate("() => window.__answers")
        began = time.perf_counter()
        search.get_by_role("button", name=t("api.widget.search")).click()
        search.wait_for_function("(before) => window.__answers > before", arg=before, timeout=120_000)
        times.append(time.perf_counter() - began)
    print(f"resident in Chromium: 'Zoeken' to answer and map drawn, {len(times)} addresses, median "
          f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms (target < 1 s)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws, _kind = _workspace(folder)
        bench_staff_map(ws)
        bench_resident_library(ws)
        bench_pages(ws)
        bench_server(ws, folder)


if __name__ == "__main__":
    main()
