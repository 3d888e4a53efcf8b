"""Every registered page renders for every role that sees it, without an exception, on the demo workspace and
on a workspace imported from the real Asse files.

The pages come from app.py's own lists, so a page added there is tested here without editing this file.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from buurtkaart.texts import t
from tests.app.conftest import ROLE_USERS, map_args, no_exception, open_app, texts

APP = Path(__file__).resolve().parents[2] / "app.py"


def _app_module():
    spec = importlib.util.spec_from_file_location("buurtkaart_app", APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_app = _app_module()


def _cases() -> list[tuple[str | None, str]]:
    cases = []
    for role in ROLE_USERS:
        entries = list(_app.PUBLIC_PAGES) + list(_app.ROLE_PAGES.get(role or "", []))
        if role is None and _app.LOGIN_PAGE is not None:
            entries.append(_app.LOGIN_PAGE)
        cases.extend((role, path) for path, _title, _icon in entries)
    return cases


CASES = _cases()
IDS = [f"{role or 'public'}:{Path(page).stem}" for role, page in CASES]


def test_every_role_has_a_first_screen_and_titles_in_the_catalogue():
    for role in ROLE_USERS:
        entries = list(_app.PUBLIC_PAGES) + list(_app.ROLE_PAGES.get(role or "", []))
        assert entries, role
        for _path, title_key, _icon in entries:
            assert t(title_key)


@pytest.mark.parametrize(("role", "page"), CASES, ids=IDS)
def test_page_renders_on_demo(demo_workspace, monkeypatch, role, page):
    at = open_app(demo_workspace, monkeypatch, role=role, page=page)
    no_exception(at)
    assert len(at.title) >= 1, "every page says what it is"
    assert t("core.fictional_banner") in texts(at)
    _maps_are_offline(at)


@pytest.mark.parametrize(("role", "page"), CASES, ids=IDS)
def test_page_renders_on_a_server_workspace(server_demo_workspace, monkeypatch, role, page):
    """The same app on the demo in PostGIS (BUURTKAART_WORKSPACE=postgresql://...)."""
    at = open_app(server_demo_workspace, monkeypatch, role=role, page=page)
    no_exception(at)
    assert len(at.title) >= 1 and t("core.fictional_banner") in texts(at)


def _maps_are_offline(at) -> None:
    """Every map on the page loads its libraries from the app itself, never from a CDN (intranets block them)."""
    for args in map_args(at):
        for link in args["js_links"] + args["css_links"]:
            assert link.startswith("/app/static/vendor/"), f"map library from outside the app: {link}"
        assert "https://" not in args["header"], "no external script or stylesheet in the map header"


@pytest.mark.realdata
@pytest.mark.parametrize(("role", "page"), CASES, ids=IDS)
def test_page_renders_on_real_asse(asse_workspace, monkeypatch, role, page):
    at = open_app(asse_workspace, monkeypatch, role=role, page=page)
    no_exception(at)
    assert len(at.title) >= 1
    assert t("core.fictional_banner") not in texts(at)
    _maps_are_offline(at)


@pytest.mark.parametrize("role", [r for r in ROLE_USERS if r is not None])
def test_first_screen_of_each_role(demo_workspace, monkeypatch, role):
    at = open_app(demo_workspace, monkeypatch, role=role)
    no_exception(at)
    assert t("app.logout") in [b.label for b in at.sidebar.button]
    entries = _app.ROLE_PAGES.get(role) or _app.PUBLIC_PAGES
    first = open_app(demo_workspace, monkeypatch, role=role, page=entries[0][0])
    assert at.title[0].value == first.title[0].value, "the role's own first page opens first"
