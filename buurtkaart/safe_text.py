"""Data values on their way into HTML, Markdown or a spreadsheet: the one place that makes them inert.

Names come from files anyone can edit (an OpenStreetMap street name, a group name in a spreadsheet, the public
application form). Whatever they hold is shown as the characters it is, never run or followed:

* :func:`html_text` for HTML (map tooltips, layer names, legends, cluster labels);
* :func:`markdown_text` for Markdown (every Streamlit text element: ``st.markdown``, ``st.write``, ``st.success``,
  ``st.caption``...): links, images, emphasis, Streamlit's ``:icon:`` and ``$math$`` lose their meaning;
* :func:`spreadsheet_cell` for CSV and Excel exports: a cell that a spreadsheet would read as a formula starts with
  an apostrophe instead;
* :func:`markup_problems` at import: a name that looks like markup is refused with a clear message.

>>> html_text('<img src=x onerror=alert(1)>')
'&lt;img src=x onerror=alert(1)&gt;'
>>> shown = markdown_text('[Klik hier](https://x.be) ![x](https://x.be/p.png)')
>>> shown[:13], "](" in shown, "![" in shown, "https://" in shown
('\\\\[Klik hier\\\\]', False, False, False)
>>> print(markdown_text("Sint-Martinus"), markdown_text("# Kop"), markdown_text("*vet*"))
Sint-Martinus \\# Kop \\*vet\\*
>>> spreadsheet_cell('=HYPERLINK("http://x","y")'), spreadsheet_cell("0470 12 34 56"), spreadsheet_cell(3)
('\\'=HYPERLINK("http://x","y")', '0470 12 34 56', 3)
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd

#: Characters Markdown (CommonMark, GFM, Streamlit's ``:icon:``, ``:red[...]`` and ``$math$``) gives a meaning to
#: anywhere in a line; ``www.`` (a GFM autolink) loses its dot's meaning too.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~$:&@])|(?<=www)(\.)", re.IGNORECASE)
#: Where GFM would start an autolink: a scheme's colon, the dot of ``www.``, the ``@`` of an e-mail address.
_AUTOLINK = re.compile(r"(?<=[a-zA-Z])\\:|(?<=www)\\\.|\\@", re.IGNORECASE)
_WORD_JOINER = "\u2060"
#: Characters that start a block (heading, list, quote, rule, table) at the start of a line.
_BLOCK_START = re.compile(r"^(\s*\d*)((?<=\d)[.)]|(?<!\d)[#+\-=>|])")
#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What a name may not contain: HTML tags or entities, Markdown links and images, script URLs.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|&#?\w+;|\]\s*\(|!\[|javascript\s*:|data\s*:\s*text/html", re.IGNORECASE)


def html_text(value: object) -> str:
    """``value`` as HTML text (``<``, ``>``, ``&`` and quotes escaped); None and NA give ``""``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def markdown_text(value: object) -> str:
    """``value`` as literal text inside Markdown: every special character backslash-escaped, line breaks made
    spaces (a value cannot start a heading, list or block of its own); None and NA give ``""``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    flat = re.sub(r"[\r\n\t\v\f\u2028\u2029]+", " ", str(value))
    escaped = _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(0), flat)
    # GFM turns bare URLs and e-mail addresses into links even when their punctuation is escaped: an invisible
    # word joiner after the scheme's colon, before www's dot and after @ keeps them text
    escaped = _AUTOLINK.sub(lambda m: m.group(0) + _WORD_JOINER, escaped)
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def spreadsheet_cell(value: object) -> object:
    """A text cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe,
    so that Excel and LibreOffice show it instead of running it; other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`spreadsheet_cell` applied to every text column (numbers stay numbers;
    phone numbers are text in the workspace and stay text)."""
    out = pd.DataFrame(frame).copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("str", "string"):
            out[column] = out[column].astype(object).map(spreadsheet_cell)
    return out


def spreadsheet_plain(cells: pd.Series) -> pd.Series:
    """The inverse of :func:`spreadsheet_cell` for a column read back from a file: the apostrophe our exports put
    before ``=``, ``+``, ``-``, ``@``, tab or carriage return is taken off (an export read back is the same data).

    >>> spreadsheet_plain(pd.Series(["'+32 470 12 34 56", "'=1+1", "'t Hof", None], dtype=object)).tolist()
    ['+32 470 12 34 56', '=1+1', "'t Hof", None]
    """
    values = cells.tolist()
    marked = [isinstance(v, str) and len(v) > 1 and v[0] == "'" and v[1:].startswith(FORMULA_STARTS) for v in values]
    if not any(marked):
        return cells
    return pd.Series([v[1:] if m else v for v, m in zip(values, marked, strict=True)], index=cells.index,
                     dtype=cells.dtype if cells.dtype != object else object, name=cells.name)


def looks_like_markup(value: object) -> bool:
    """Whether ``value`` holds HTML, an entity, a Markdown link or image, or a script URL.

    >>> looks_like_markup("Kerkstraat"), looks_like_markup("<b>x</b>"), looks_like_markup("[a](b)")
    (False, True, True)
    """
    return isinstance(value, str) and bool(_MARKUP.search(value))


def markup_problems(values: Iterable[object]) -> list[object]:
    """The values of ``values`` that look like markup (:func:`looks_like_markup`), each once, in order."""
    return list(dict.fromkeys(v for v in values if looks_like_markup(v)))
