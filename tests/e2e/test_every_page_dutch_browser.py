"""Every page of every role in a real browser (issue 16): Dutch only, no codes, no ``None``, no ISO timestamps,
Dutch number formats in the visible text, and axe-core finds no critical or serious violation in the project's
own content.

axe-core is the npm package (``npm install axe-core``); the test looks for ``axe.min.js`` at ``$AXE_CORE_JS`` or in
``node_modules/axe-core/`` beside the project, and skips with a reason where it is absent.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import app as _app
from buurtkaart.texts import t
from tests.e2e.conftest import ROOT, goto, login, screenshot, wait_drawn

#: Words of an English interface, raw codes and empty values that must never be visible.
FORBIDDEN = [
    "None", "NaN", "nan", "null", "coordinator", "staff", "police", "minor", "gap_sliver", "not_contiguous",
    "size_small", "hole_addresses", "no_addresses", "audit_log", "group_version_rows", "metadata", "municipality",
    "Draw a polygon", "Zoom in", "Zoom out", "Layers", "Edit layers", "No layers to edit", "Select all", "Upload",
    "Search", "Submit", "Download",
]
#: Streamlit's own widget texts that Streamlit does not let an app translate (listed in the README).
STREAMLIT_OWN = ["Drag and drop file here", "Limit 200MB per file", "Browse files", "200MB per file"]
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\dT-])")
DECIMAL_POINT = re.compile(r"(?<![\d.,\w])\d+\.\d{1,2}(?![\d.])")
#: axe rules whose serious findings come from Streamlit's own markup, not from the project (README lists them).
STREAMLIT_AXE = {"list", "listitem"}


def _axe_script() -> Path | None:
    for candidate in (os.environ.get("AXE_CORE_JS", ""), ROOT / "node_modules" / "axe-core" / "axe.min.js",
                      Path("/tmp/w16/axe/node_modules/axe-core/axe.min.js")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _pages(role: str | None) -> list[tuple[str, str]]:
    """(file stem, menu title) of every page in the menu of ``role``."""
    entries = [*_app.ROLE_PAGES.get(role or "", []), *_app.PUBLIC_PAGES]
    if role is None and _app.LOGIN_PAGE is not None:
        entries.append(_app.LOGIN_PAGE)
    return list(dict.fromkeys((Path(path).stem, t(title)) for path, title, _icon in entries))


def visible_problems(text: str) -> list[str]:
    """What in ``text`` a Dutch reader should not see."""
    for own in STREAMLIT_OWN:
        text = text.replace(own, "")
    found = [f"'{w}'" for w in FORBIDDEN if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    found += [f"ISO '{m}'" for m in ISO_TIMESTAMP.findall(text) + ISO_DATE.findall(text)]
    found += [f"number '{m}'" for m in DECIMAL_POINT.findall(text)]
    return found


def test_the_checker_finds_what_the_walkthrough_found():
    assert visible_problems("Groep -: 132 borden; None; 13.8 %; 2026-11-29T18:50:09+00:00; rol staff") == [
        "'None'", "'staff'", "ISO '2026-11-29T18:50'", "number '13.8'"]
    assert visible_problems("9970 huishoudens, 13,8 %, 10.994 adressen, 29-11-2026 19:50, demo-politie") == []


@pytest.mark.parametrize("role", [None, "staff", "coordinator", "police"])
def test_every_page_is_dutch_and_accessible(page, app_server, role):
    axe = _axe_script()
    if role is not None:
        login(page, app_server, role)
    else:
        goto(page, app_server)
    problems: dict[str, list[str]] = {}
    for name, title in _pages(role):
        # through the menu, as a person does (a new page load would start a new session)
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).first.click()
        page.wait_for_timeout(300)
        wait_drawn(page)
        assert page.url.rstrip("/").endswith(name) or name == _pages(role)[0][0], (page.url, name)
        page.wait_for_timeout(1500)
        text = page.locator('[data-testid="stAppViewContainer"]').inner_text()
        for uploader in page.locator('[data-testid="stFileUploaderDropzone"]').all():
            text = text.replace(uploader.inner_text(), "")  # Streamlit's own "Upload · 200MB per file"
        found = visible_problems(text)
        if axe is not None:
            page.add_script_tag(path=str(axe))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            found += [f"axe {v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['nodes'][0]['html'][:120]} "
                      f"{v['nodes'][0]['failureSummary'][:200]}" for v in result["violations"]
                      if v["impact"] in ("critical", "serious") and v["id"] not in STREAMLIT_AXE]
        if found:
            problems[name] = found
            screenshot(page, f"dutch_{role or 'public'}_{name}")
    assert problems == {}
    if axe is None:
        pytest.skip("axe-core not installed (npm install axe-core): only the visible text was checked")
    assert t("core.fictional_banner")
