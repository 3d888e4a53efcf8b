"""Every text a user reads (app, command line, error messages), in one place so it can be translated.

Texts live in ``buurtkaart/locale/<language>/*.json``: one JSON object per file, keys prefixed by the file's
topic (``core.json`` holds ``core.*`` and ``schema.*``, ``lookup.json`` holds ``lookup.*``...). All files of a
language are merged; a key defined twice is an error, so that two files never silently disagree.

>>> t("core.fictional_banner").startswith("Fictieve")
True
>>> t("schema.unknown_layer", layer="x", known="a, b")
"Onbekende laag 'x'. Bekende lagen: a, b."

A text with a count can have plural forms: its value is then an object ``{"one": "...", "other": "..."}`` and the
form is chosen by the placeholder ``count``. Numbers filled into a text are written the Dutch way (Babel, nl_BE):
a decimal comma, and a dot between thousands from five digits on (a postcode or a house number stays ``1730``).

>>> t("members.staffm.done_retention", count=1), t("members.staffm.done_retention", count=3)
('1 persoon gewist.', '3 personen gewist.')
>>> number(13.8), number(9970), number(10994), number(0.5, decimals=2)
('13,8', '9970', '10.994', '0,50')
>>> when("2026-11-29T18:50:09+00:00")
'29-11-2026 19:50'
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

_LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGE = "nl"
#: Babel's locale for numbers and dates.
BABEL_LOCALE = "nl_BE"
#: Times are stored in UTC and shown in the municipality's own time.
TIMEZONE = ZoneInfo("Europe/Brussels")
#: The plural forms a text may define (Dutch needs "one" and "other"; "zero" is optional).
PLURAL_FORMS = ("zero", "one", "other")

Text = str | dict[str, str]


@lru_cache(maxsize=4)
def catalogue(language: str = LANGUAGE) -> dict[str, Text]:
    """All texts of ``language``, merged from its JSON files (a text with plural forms is a dict)."""
    merged: dict[str, Text] = {}
    folder = _LOCALE_DIR / language
    for path in sorted(folder.glob("*.json")):
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
        for key, value in data.items():
            if key in merged:
                raise KeyError(f"text key {key!r} is defined twice (second time in {path.name})")
            merged[key] = value
    return merged


def number(value: float | int, *, decimals: int | None = None) -> str:
    """A number written the Dutch way: ``13,8``; thousands separated by a dot from five digits on (``10.994``;
    a four-digit figure such as ``9970``, a postcode or a house number is written without a dot).
    ``decimals`` fixes the digits after the comma (default: as many as needed, at most 3)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    grouping = "#,##0" if abs(value) >= 10_000 else "0"
    if decimals is None:
        fraction = "" if float(value).is_integer() else ".###"
    else:
        fraction = "." + "0" * decimals if decimals else ""
    return format_decimal(value, format=grouping + fraction, locale=BABEL_LOCALE)


def when(value: object) -> str:
    """A stored timestamp (ISO 8601, UTC) as a Dutch date and time in Belgian time: ``29-11-2026 19:50``.
    Empty for a missing value; a text that is not a timestamp is returned unchanged."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("", "NaT", "nan"):
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(TIMEZONE).strftime("%d-%m-%Y %H:%M")


#: A format spec for a number: optional alignment and width, optional grouping, optional ``.Nf`` precision.
_NUMBER_SPEC = re.compile(r"(?P<align>(?:.?[<>^])?\d*),?(?:\.(?P<decimals>\d+)f?)?[dgf]?")


class _DutchFormatter(string.Formatter):
    """``str.format`` with numbers written the Dutch way (an explicit precision such as ``:.1f`` is kept)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return super().format_field(value, format_spec)
        found = _NUMBER_SPEC.fullmatch(format_spec)
        if found is None:
            return super().format_field(value, format_spec)
        decimals = int(found["decimals"]) if found["decimals"] else None
        return format(number(value, decimals=decimals), found["align"])


_FORMATTER = _DutchFormatter()


def plural_form(count: object) -> str:
    """The Dutch plural form for ``count``: ``one`` for 1, else ``other``."""
    return "one" if count == 1 else "other"


def t(key: str, /, **values: object) -> str:
    """The text ``key`` in the app's language, with ``{placeholders}`` filled from ``values`` (numbers in Dutch
    format); a text with plural forms takes the form that fits ``count``.

    A missing key raises ``KeyError`` (a test walks every key used in the code).
    """
    text = catalogue()[key]
    if isinstance(text, dict):
        forms = text
        text = forms.get("zero", forms["other"]) if values.get("count") == 0 else forms[plural_form(values["count"])]
    return _FORMATTER.format(text, **values) if values else text


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
