"""20 residents at once on the Streamlit page *Welke groep?* (real Asse; the demo town where ../shared/realdata
is absent): target p95 < 2 s from pressing *Zoeken* to the map drawn.

The app started as on a server (``python app_server.py``, the warm launcher) on 127.0.0.1 and one Debian
Chromium (never a downloaded browser) with ``SESSIONS`` Playwright contexts, i.e. separate sessions. The page
embeds the resident search that the app's server answers beside its pages (``buurtkaart.api.beside_app``): a
search is one request to ``/api/v1/groep``, not a rerun of the page. All sessions open the page first (its open
time, until the search's areas are drawn, is printed apart); once every page is open and ``SETTLE_S`` has passed,
each resident starts within 0-3 s and searches ``SEARCHES`` register addresses with 1-3 s (random) between
searches. A search counts from the click on *Zoeken* until the answer replaces the "busy" text; the map is drawn
in the same script step (the group's area marked, the address on it). The check runs in the page every
``POLL_MS``. All residents come from 127.0.0.1 here, so the app runs without its per-client rate limit
(``BUURTKAART_API_PER_MINUTE=0``), as residents on their own addresses would never meet it. Printed: p50/p95/max
over all searches and per search of a session, and the server process's CPU per search. Then the same residents,
addresses and pauses on the bare widget of ``buurtkaart serve`` (the same search without Streamlit's page around
it), for comparison.

Also the server's own CPU per answer measured in this process (the API's answer, uncached, warm index), and for
comparison what every search built before the page embedded the search (the resident answer plus a map of its
own, rendered). The whole browser run is bounded by ``DEADLINE_S``; searches not done by then are counted as
unfinished.

    python benchmarks/run.py sessions
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from buurtkaart.api.beside_app import PER_MINUTE_ENV  # noqa: E402
from buurtkaart.texts import t  # noqa: E402
from buurtkaart.workspace import Workspace  # noqa: E402
from tests.app.conftest import build_asse, build_demo  # noqa: E402
from tests.conftest import REALDATA  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, SEARCH_FRAME, start_app, stop_app  # noqa: E402

SESSIONS = 20
SEARCHES = 5
PAUSE_S = (1.0, 3.0)
DEADLINE_S = 420.0
STEP_TIMEOUT_MS = 120_000
#: Seconds between the last page opened and the first search.
SETTLE_S = 10.0


def _addresses(ws: Workspace, n: int) -> list[str]:
    rows = ws.read("addresses")
    rows = rows[rows["box"].isna() & rows["street"].notna()].sample(n, random_state=18)
    return [f"{r.street} {r.housenumber}{r.suffix if isinstance(r.suffix, str) else ''}" for r in rows.itertuples()]


WARM_SEARCHES = 40
MEASURED_SEARCHES = 30


def server_work(ws: Workspace, texts: list[str]) -> list[float]:
    """CPU seconds per answer of what every search built before: find_group and a resident map of its own,
    rendered (warm indexes)."""
    from buurtkaart.assignment.find import FindIndex, find_group
    from buurtkaart.maps import payload_bytes, resident_map

    index = FindIndex.from_workspace(ws)
    groups, streets = ws.read("groups"), ws.read("streets")
    times = []
    for text in texts:
        began = time.process_time()
        answer = find_group(text, index=index)
        point = answer.lookup.point if answer.lookup.found else None
        payload_bytes(resident_map(point, groups=groups, highlight=list(answer.group_ids), streets=streets,
                                   fictional=ws.is_fictional))
        times.append(time.process_time() - began)
    return times


def api_cpu(ws: Workspace, texts: list[str]) -> list[float]:
    """CPU seconds per answer of the search's API (``/api/v1/groep``'s JSON, built anew: no answers cache)."""
    from buurtkaart.api.app import answer_body, build_snapshot

    snapshot = build_snapshot(ws)
    times = []
    for text in texts:
        began = time.process_time()
        json.dumps(answer_body(text, snapshot), ensure_ascii=False)
        times.append(time.process_time() - began)
    return times


#: Counts the answers shown so far: an observer on the search's message (an answer replaces the "busy" text; the
#: map is drawn in the same script step).
_COUNT_ANSWERS = """(busy) => {
    window.__answers = 0;
    const message = document.getElementById("message");
    new MutationObserver(() => {
        if (message.textContent && message.textContent !== busy) window.__answers += 1;
    }).observe(message, {childList: true, characterData: true, subtree: true});
}"""
#: The completion check runs every POLL_MS in the page (not on every animation frame, which keeps 20 headless
#: pages painting and costs the browser more than the app does); the measured time is late by < POLL_MS.
POLL_MS = 50


class _Surface(NamedTuple):
    """Where residents search: the page's path and, on the Streamlit page, the frame of the search it embeds."""

    name: str
    path: str
    frame: str = ""


#: The Streamlit page *Welke groep?* (the target of this benchmark), with its embedded search.
APP_PAGE = _Surface("Streamlit page 'Welke groep?'", "", SEARCH_FRAME)
#: The bare widget of ``buurtkaart serve`` (for comparison).
WIDGET = _Surface("widget of 'buurtkaart serve'", "/widget")


async def _session(browser: Any, url: str, surface: _Surface, texts: list[str], seed: int, opened: list[float],
                   ready: asyncio.Event, until: float, times: dict[int, list[float]], failures: list[str]) -> None:
    rng = random.Random(seed)
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE")
    try:
        page = await context.new_page()
        began = time.perf_counter()
        await page.goto(url + surface.path, timeout=STEP_TIMEOUT_MS)
        search: Any = page
        if surface.frame:
            await page.wait_for_selector(surface.frame, timeout=STEP_TIMEOUT_MS)
            search = await (await page.query_selector(surface.frame)).content_frame()
        await search.wait_for_selector("path.leaflet-interactive", state="attached", timeout=STEP_TIMEOUT_MS)
        await search.evaluate(_COUNT_ANSWERS, t("api.widget.busy"))
        opened.append(time.perf_counter() - began)
        await ready.wait()  # every resident has the page open, then they type
        await asyncio.sleep(rng.uniform(0.0, PAUSE_S[1]))
        for k, text in enumerate(texts):
            if time.monotonic() > until:
                failures.append("unfinished")
                continue
            await search.get_by_label(t("api.widget.label")).fill(text)
            before = await search.evaluate("() => window.__answers")
            began = time.perf_counter()
            await search.get_by_role("button", name=t("api.widget.search")).click()
            try:
                await search.wait_for_function("(before) => window.__answers > before", arg=before, polling=POLL_MS,
                                               timeout=STEP_TIMEOUT_MS)
                times.setdefault(k, []).append(time.perf_counter() - began)
            except Exception as exc:  # a timeout: counted, the session goes on
                failures.append(type(exc).__name__)
            await asyncio.sleep(rng.uniform(*PAUSE_S))
    finally:
        await context.close()


async def _run(url: str, surface: _Surface, texts: list[str], server_pid: int) -> tuple[
        dict[int, list[float]], list[float], list[str], float, float]:
    """The sessions against the server at ``url``; also the server's CPU seconds while the residents search."""
    from playwright.async_api import async_playwright

    times: dict[int, list[float]] = {}
    opened: list[float] = []
    failures: list[str] = []
    ready = asyncio.Event()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        try:
            until = time.monotonic() + DEADLINE_S
            sessions = [asyncio.create_task(
                _session(browser, url, surface, texts[k * SEARCHES:(k + 1) * SEARCHES], k, opened, ready, until,
                         times, failures)) for k in range(SESSIONS)]
            while len(opened) < SESSIONS and not any(task.done() for task in sessions):
                await asyncio.sleep(0.1)
            await asyncio.sleep(SETTLE_S)  # the pages finish loading (fonts, icons) before anyone searches
            started, cpu = time.perf_counter(), _cpu_s(server_pid)
            ready.set()
            results = await asyncio.gather(*sessions, return_exceptions=True)
            failures += [type(r).__name__ for r in results if isinstance(r, BaseException)]
            wall, cpu = time.perf_counter() - started, _cpu_s(server_pid) - cpu
        finally:
            await browser.close()
    return times, opened, failures, wall, cpu


def _start_service(ws: Workspace, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``buurtkaart serve`` on ``ws`` on 127.0.0.1 without a rate limit; its process and URL once it answers."""
    import urllib.request

    from tests.e2e.conftest import _free_port

    port = _free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", "from buurtkaart.cli import main; main()", "-w", str(ws.path),
                                 "serve", "--port", str(port), "--per-minute", "0"],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v1/openapi.json", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"buurtkaart serve did not answer; see {log}")


def _report(surface: _Surface, kind: str, result: tuple[dict[int, list[float]], list[float], list[str], float,
                                                          float], *, server: str) -> None:
    times, opened, failures, wall, cpu = result
    print(f"{surface.name}: {SESSIONS} sessions x {SEARCHES} searches on {kind}, 1-3 s apart, one Chromium beside "
          f"the server (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores), {wall:.0f} s of searching:")
    if opened:
        print(f"  the page opened in all {SESSIONS} sessions at once (before the searches): p50 "
              f"{_pct(opened, 50):.1f} s, max {max(opened):.1f} s")
    every = [x for k in sorted(times) for x in times[k]]
    if every:
        print(f"  'Zoeken' to answer and its map drawn: p50 {_pct(every, 50):.2f} s, p95 {_pct(every, 95):.2f} s, "
              f"max {max(every):.2f} s over {len(every)} searches (target p95 < 2 s); not answered: "
              f"{len(failures)} {sorted(set(failures))}")
        print(f"  per search of a session (the first ones of all {SESSIONS} sessions come within 3 s): " + "; ".join(
            f"#{k + 1} p50 {_pct(v, 50):.2f} s p95 {_pct(v, 95):.2f} s" for k, v in sorted(times.items())))
    else:
        print(f"  no search answered: {sorted(set(failures))}")
    print(f"  {server} used {cpu:.1f} s CPU while the residents searched ({1000 * cpu / max(len(every), 1):.0f} ms "
          f"per search), the rest of the {wall * (os.cpu_count() or 1):.0f} core-seconds went to Chromium and the "
          f"machine's other work")


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else float("nan")


def main() -> None:
    if not CHROMIUM.exists():
        print(f"(no {CHROMIUM}: the sessions benchmark needs Debian's chromium)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if REALDATA.is_dir():
            ws, kind = build_asse(folder / "asse.gpkg"), "real Asse"
        else:
            ws, kind = build_demo(folder / "demo.gpkg"), "demo town (real data absent)"
        texts = _addresses(ws, SESSIONS * SEARCHES)
        asked = texts[:WARM_SEARCHES + MEASURED_SEARCHES]
        before = server_work(ws, asked[WARM_SEARCHES:])
        api = api_cpu(ws, asked)[WARM_SEARCHES:]
        print(f"server CPU per answer in this process (warm, median of {MEASURED_SEARCHES}; load average "
              f"{os.getloadavg()[0]:.1f}): the search's API answer (JSON, uncached) "
              f"{1000 * statistics.median(api):.1f} ms; before the page embedded the search, the answer plus a map "
              f"of its own per search (without Streamlit's own work): {1000 * statistics.median(before):.0f} ms",
              flush=True)
        os.environ[PER_MINUTE_ENV] = "0"  # every resident comes from 127.0.0.1 here
        proc, url = start_app(ws.path, folder / "streamlit.log", launcher=True)
        try:
            result = asyncio.run(_run(url, APP_PAGE, texts, proc.pid))
        finally:
            stop_app(proc)
        _report(APP_PAGE, kind, result, server="the Streamlit server process (python app_server.py)")
        proc, url = _start_service(ws, folder / "serve.log")
        try:
            result = asyncio.run(_run(url, WIDGET, texts, proc.pid))
        finally:
            stop_app(proc)
        _report(WIDGET, kind, result, server="the service process (buurtkaart serve)")


if __name__ == "__main__":
    main()
