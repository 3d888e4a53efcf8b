"""Fixtures of the security regression tests: hostile names and a demo workspace that holds them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from buurtkaart.workspace import Workspace

#: A stored script (runs on load in an <img>, on hover in a tooltip) and a Markdown link with an outside image.
SCRIPT = "<img src=x onerror=alert(1)>"
MARKDOWN = "[Klik hier](https://evil.example/x) ![x](https://evil.example/pixel.png)"
HOSTILE = (SCRIPT, MARKDOWN)


def decoded(html: str) -> str:
    """``html`` with the JSON/Jinja escapes of ``<``, ``>``, ``&`` and quotes undone: what a script would see."""
    for code, char in (("\\u003c", "<"), ("\\u003e", ">"), ("\\u0026", "&"), ("\\u0027", "'"), ('\\"', '"')):
        html = html.replace(code, char).replace(code.upper(), char)
    return html


def assert_inert(html: str) -> None:
    """No hostile name reaches ``html`` as markup: the raw tag appears nowhere, not even JSON-escaped."""
    text = decoded(html)
    at = text.find("<img src=x")
    assert at < 0, f"a hostile name reaches the page as HTML: ...{text[max(0, at - 200):at + 60]}"


@pytest.fixture(scope="session")
def hostile_demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The demo workspace (with its demo accounts) whose group and street names are hostile. Read only."""
    from tests.app.conftest import build_demo

    return make_hostile(build_demo(tmp_path_factory.mktemp("hostile") / "demo.gpkg"))


def make_hostile(ws: Workspace) -> Workspace:
    """Give ``ws`` (the demo) hostile group, street, address and infobord names, as a whole-layer write."""
    groups = ws.read("groups")
    groups["name"] = [f"{HOSTILE[i % 2]} {i}" for i in range(len(groups))]
    streets = ws.read("streets")
    streets["name"] = streets["name"].astype(object)
    streets.loc[streets.index[:20], "name"] = SCRIPT
    addresses = ws.read("addresses")
    addresses["street"] = addresses["street"].astype(object)
    addresses.loc[addresses.index[-5:], "street"] = MARKDOWN
    signs = ws.read("infoborden")
    signs["road_name"] = SCRIPT
    ws.write({"groups": groups, "streets": streets, "addresses": addresses, "infoborden": signs})
    return ws


@pytest.fixture
def hostile_copy(hostile_demo: Workspace, tmp_path: Path) -> Workspace:
    """A private copy of :func:`hostile_demo` for a test that writes."""
    target = tmp_path / "demo.gpkg"
    shutil.copyfile(hostile_demo.path, target)
    return Workspace.open(target)
