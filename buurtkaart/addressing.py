"""Flemish house numbers: split the text a person or a register writes into number, suffix and box.

A Flemish address is street + house number + optional suffix letter(s) (``55A``) + optional box (``bus 3``,
``/3``, ``b3``, ``bte 3``). :func:`split_housenumber` splits one text; :func:`split_housenumbers` a whole column.

>>> split_housenumber("55A")
HouseNumber(number=55, suffix='A', box=None)
>>> split_housenumber("12 bus 3")
HouseNumber(number=12, suffix=None, box='3')
>>> split_housenumber("12/3")
HouseNumber(number=12, suffix=None, box='3')
>>> split_housenumber("12b3")
HouseNumber(number=12, suffix=None, box='3')
>>> split_housenumber("12A bus 0.1")
HouseNumber(number=12, suffix='A', box='0.1')
>>> split_housenumber("zonder nummer") is None
True
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pandas as pd


class HouseNumber(NamedTuple):
    """A split house number: ``number`` (int), ``suffix`` (upper-case letters or None), ``box`` (text or None)."""

    number: int
    suffix: str | None
    box: str | None


# number, then optional suffix letters, then an optional box introduced by "bus", "bte", "b", "/" or "-"
_PATTERN = re.compile(
    r"""^\s*(?P<number>\d{1,5})
        \s*(?P<suffix>[A-Za-z]{1,2}(?![0-9]))?
        (?:\s*(?:(?:bus|bte|boite|boîte|box|b)\.?\s*|/\s*|\s+)(?P<box>[0-9][0-9A-Za-z.]*|[A-Za-z]\d*))?
        \s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def split_housenumber(text: object) -> HouseNumber | None:
    """Split a house number text into :class:`HouseNumber`; ``None`` where it holds no house number.

    Suffix letters are upper-cased; a box keeps its own text (``0.1``, ``3``, ``A``).

    >>> split_housenumber(" 7 b ")
    HouseNumber(number=7, suffix='B', box=None)
    >>> split_housenumber("3 bte 12")
    HouseNumber(number=3, suffix=None, box='12')
    >>> split_housenumber(14)
    HouseNumber(number=14, suffix=None, box=None)
    """
    if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
        return None
    match = _PATTERN.match(str(text))
    if not match:
        return None
    suffix = match.group("suffix")
    box = match.group("box")
    return HouseNumber(int(match.group("number")), suffix.upper() if suffix else None, box or None)


def split_housenumbers(values: pd.Series) -> pd.DataFrame:
    """Split a column of house number texts into ``housenumber`` (Int64), ``suffix`` and ``box`` (str).

    The result is indexed like ``values``; rows that hold no house number get NA in all three columns.

    >>> split_housenumbers(pd.Series(["1", "2A", "3/1", "x"]))
       housenumber suffix  box
    0            1    NaN  NaN
    1            2      A  NaN
    2            3    NaN    1
    3         <NA>    NaN  NaN
    """
    parts = [split_housenumber(v) for v in values.tolist()]
    return pd.DataFrame(
        {
            "housenumber": pd.array([p.number if p else pd.NA for p in parts], dtype="Int64"),
            "suffix": pd.Series([p.suffix if p else None for p in parts], dtype="str"),
            "box": pd.Series([p.box if p else None for p in parts], dtype="str"),
        },
        index=values.index,
    )
