"""Every text a user reads (app, command line, error messages), in one place so it can be translated.

Texts live in ``buurtkaart/locale/<language>/*.json``: one JSON object per file, keys prefixed by the file's
topic (``core.json`` holds ``core.*`` and ``schema.*``, ``lookup.json`` holds ``lookup.*``...). All files of a
language are merged; a key defined twice is an error, so that two files never silently disagree.

>>> t("core.fictional_banner").startswith("Fictieve")
True
>>> t("schema.unknown_layer", layer="x", known="a, b")
"Onbekende laag 'x'. Bekende lagen: a, b."
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGE = "nl"


@lru_cache(maxsize=4)
def catalogue(language: str = LANGUAGE) -> dict[str, str]:
    """All texts of ``language``, merged from its JSON files."""
    merged: dict[str, str] = {}
    folder = _LOCALE_DIR / language
    for path in sorted(folder.glob("*.json")):
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
        for key, value in data.items():
            if key in merged:
                raise KeyError(f"text key {key!r} is defined twice (second time in {path.name})")
            merged[key] = value
    return merged


def t(key: str, /, **values: object) -> str:
    """The text ``key`` in the app's language, with ``{placeholders}`` filled from ``values``.

    A missing key raises ``KeyError`` (a test walks every key used in the code).
    """
    text = catalogue()[key]
    return text.format(**values) if values else text


def t_md(key: str, /, **values: object) -> str:
    """Like :func:`t`, for Markdown (every Streamlit text element): the catalogue text keeps its own Markdown,
    each value from data is escaped with :func:`buurtkaart.safe_text.markdown_text`, so that a name such as
    ``[Klik hier](https://...)`` shows as typed and is never a link or an image.

    >>> "![x]" in t_md("schema.unknown_layer", layer="![x](https://x.be/p.png)", known="a")
    False
    """
    from buurtkaart.safe_text import markdown_text

    return t(key, **{name: markdown_text(value) for name, value in values.items()})


def t_html(key: str, /, **values: object) -> str:
    """Like :func:`t`, for HTML (map tooltips and labels): the whole text, values included, escaped with
    :func:`buurtkaart.safe_text.html_text` (catalogue texts are plain text).

    >>> t_html("infoborden.map.popup", site_id="<b>", reason="x")
    '&lt;b&gt;: x'
    """
    from buurtkaart.safe_text import html_text

    return html_text(t(key, **values))


def road_class_label(road_class: object) -> str:
    """The Dutch name of an OpenMapTiles road class, e.g. ``minor`` → ``woonstraat``.

    >>> road_class_label("minor"), road_class_label(None)
    ('woonstraat', 'onbekend wegtype')
    """
    key = f"core.road_class.{road_class}"
    return t(key) if key in catalogue() else t("core.road_class.unknown")
