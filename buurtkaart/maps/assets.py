"""Leaflet and its plugins without internet: local copies from the installed ``folium-offline`` package.

folium (and streamlit-folium) load Leaflet, jQuery, Bootstrap, Font Awesome and plugins from public CDNs, which
municipal intranets and test machines block: the map then stays blank. :func:`write_assets` writes the copies
that ``folium-offline`` ships into a folder the app serves (``static/vendor``), :func:`localize_assets` points one
map's links at them, and :func:`standalone_html` embeds them in a single HTML file that opens offline.

>>> import folium
>>> m = folium.Map(tiles=None)
>>> localize_assets(m, base_url="/app/static/vendor/")
[]
>>> m.default_js[0][1].startswith("/app/static/vendor/")
True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium


def _walk(element: Any) -> Iterator[Any]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _asset_name(url: str, *, css: bool) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]", "_", url.rstrip("/").rsplit("/", 1)[-1]) or "asset"
    ext = ".css" if css else ".js"
    if not base.endswith(ext):
        base += ext
    return f"{hashlib.sha1(url.encode()).hexdigest()[:10]}-{base}"


@lru_cache(maxsize=1)
def _asset_contents() -> dict[str, str]:
    """CDN url → file contents, from the installed folium-offline package (imported lazily: it is large)."""
    from offlinefolium import elements

    return dict(elements._res)


def write_assets(folder: Path) -> Path:
    """Write local copies of Leaflet, its plugins, jQuery, Bootstrap and Font Awesome into ``folder`` (once)."""
    from importlib.metadata import version

    folder = Path(folder)
    stamp = folder / ".complete"
    wanted = f"folium-offline {version('folium-offline')}\n"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for url, text in _asset_contents().items():
        target = folder / _asset_name(url, css=url.endswith(".css"))
        data = text.encode("utf-8")
        if not target.exists() or target.stat().st_size != len(data):
            tmp = target.with_suffix(target.suffix + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
    stamp.write_text(wanted, encoding="utf-8")
    return folder


#: Libraries folium.Map loads only for ``folium.Icon`` markers (Bootstrap, jQuery, Font Awesome, glyphicons...):
#: about 1.2 MB a browser need not load for maps drawn with circles and polygons only.
ICON_ONLY_ASSETS = frozenset({"jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
                              "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css"})


def lean_assets(m: folium.Map) -> bool:
    """Drop the icon-only libraries from ``m`` when it has no ``folium.Icon``; True when they were dropped.

    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> lean_assets(m), [name for name, _url in m.default_js]
    (True, ['leaflet'])
    """
    if any(isinstance(element, folium.Icon) for element in _walk(m)):
        return False
    m.default_js = [(n, u) for n, u in m.default_js if n not in ICON_ONLY_ASSETS]
    m.default_css = [(n, u) for n, u in m.default_css if n not in ICON_ONLY_ASSETS]
    return True


def localize_assets(m: folium.Map, *, base_url: str) -> list[str]:
    """Point every JS/CSS link of ``m`` and its children at ``base_url`` (see :func:`write_assets`).

    Returns the URLs that have no local copy (left unchanged). Only this map's elements are changed.
    """
    known = _asset_contents()
    missing: list[str] = []
    for element in _walk(m):
        for attr, css in (("default_js", False), ("default_css", True)):
            links = getattr(element, attr, None)
            if not links:
                continue
            new = []
            for link_name, url in links:
                if url in known:
                    new.append((link_name, base_url + _asset_name(url, css=css)))
                else:
                    if not url.startswith(base_url):
                        missing.append(url)
                    new.append((link_name, url))
            setattr(element, attr, new)
    return missing


def standalone_html(m: folium.Map) -> str:
    """The map as one HTML file with every library embedded: it opens offline (for downloads).

    Works for a map whose links point at CDNs as well as one already passed through :func:`localize_assets`.
    """
    page = m.get_root().render()
    known = _asset_contents()
    local = {_asset_name(url, css=url.endswith(".css")): url for url in known}

    def contents(url: str) -> str | None:
        if url in known:
            return known[url]
        original = local.get(url.rsplit("/", 1)[-1])
        return known[original] if original else None

    def script(match: re.Match[str]) -> str:
        text = contents(match.group(1))
        return f"<script>{text}</script>" if text is not None else match.group(0)

    def css(match: re.Match[str]) -> str:
        text = contents(match.group(1))
        return f"<style>{text}</style>" if text is not None else match.group(0)

    page = re.sub(r'<script src="([^"]+)"></script>', script, page)
    return re.sub(r'<link rel="stylesheet" href="([^"]+)"/>', css, page)
