"""Read Flemish addresses as people type them: street, house number, suffix, box, postcode, place.

Two jobs, both pure text (no geometry):

* :func:`parse_address` splits free text such as ``"Brusselse stwg 45 bus 3, 1731 Zellik"`` into its parts;
* :func:`street_key` / :func:`place_key` reduce a street or place name to a comparison key: lower case, no
  accents, abbreviations written out (``str.`` → straat, ``stwg`` → steenweg, ``ln`` → laan, ``pl.`` → plein,
  ``St.`` → Sint) and no spaces, hyphens or dots, so that ``"Brusselse steenweg"``, ``"Brusselsesteenweg"`` and
  ``"brusselse stwg"`` all read the same. The abbreviations are reference data in
  ``buurtkaart/reference/street_abbreviations.json``.

>>> a = parse_address("Nerviërsstraat 12, 1730 Asse")
>>> a.street, a.housenumber, a.postcode, a.place
('Nerviërsstraat', 12, '1730', 'Asse')
>>> a = parse_address("Brusselse stwg 45 bus 3 Zellik")
>>> a.street_key, a.housenumber, a.box, a.place_key
('brusselsesteenweg', 45, '3', 'zellik')
>>> parse_address("Kalkoven 7b").suffix
'B'
>>> street_key("Jan Dekinderstr.") == street_key("Jan De Kinderstraat")
True
>>> parse_address("Kerkstraat").housenumber is None
True

A register's house number column is split with :func:`split_housenumber` / :func:`split_housenumbers`:

>>> split_housenumber("55A")
HouseNumber(number=55, suffix='A', box=None)
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

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

_REFERENCE = Path(__file__).parents[1] / "reference" / "street_abbreviations.json"

__all__ = [
    "HouseNumber",
    "ParsedAddress",
    "format_housenumber",
    "parse_address",
    "place_key",
    "split_housenumber",
    "split_housenumbers",
    "street_key",
    "strip_accents",
]


@dataclass(frozen=True)
class ParsedAddress:
    """The parts of one typed address. Absent parts are ``None``; ``street_key`` is the comparison key."""

    text: str
    street: str
    street_key: str
    housenumber: int | None = None
    suffix: str | None = None
    box: str | None = None
    postcode: str | None = None
    place: str | None = None
    place_key: str | None = None

    @property
    def housenumber_label(self) -> str:
        """House number as written on a letterbox: ``"7B bus 3"`` (empty without a number)."""
        return format_housenumber(self.housenumber, self.suffix, self.box)


def format_housenumber(number: int | None, suffix: str | None = None, box: str | None = None) -> str:
    """``12``, ``"A"``, ``"3"`` → ``"12A bus 3"``.

    >>> format_housenumber(12, "A", "3"), format_housenumber(5), format_housenumber(None)
    ('12A bus 3', '5', '')
    """
    if number is None:
        return ""
    label = f"{number}{suffix or ''}"
    return f"{label} bus {box}" if box else label


@lru_cache(maxsize=1)
def _reference() -> dict:
    with _REFERENCE.open(encoding="utf-8") as fh:
        return json.load(fh)


def strip_accents(text: str) -> str:
    """``"Nerviërsstraat"`` → ``"Nerviersstraat"``.

    >>> strip_accents("Nerviërsstraat Évêché")
    'Nerviersstraat Eveche'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SEPARATORS = re.compile(r"[\s.,;:/\\()\[\]\-_–—\"]+")
_APOSTROPHES = re.compile(r"['’`´]")


def _words(text: str) -> list[str]:
    plain = _APOSTROPHES.sub("", strip_accents(text).lower())
    return [w for w in _SEPARATORS.split(plain) if w]


@lru_cache(maxsize=65536)
def street_key(name: str) -> str:
    """The comparison key of a street name: lower case, no accents, abbreviations written out, no spaces.

    >>> street_key("Brusselse stwg"), street_key("St.-Goriksstraat"), street_key("Waalborreln")
    ('brusselsesteenweg', 'sintgoriksstraat', 'waalborrelaan')
    """
    ref = _reference()
    words, endings = ref["words"], ref["endings"]
    out = []
    for word in _join_initials(_words(name)):
        if word in words:
            out.append(words[word].replace(" ", ""))
            continue
        for ending, full in endings.items():
            if word.endswith(ending) and len(word) > len(ending) + 1:
                word = word[: -len(ending)] + full
                break
        out.append(word)
    return "".join(out)


def _join_initials(words: list[str]) -> list[str]:
    """``o l v straat`` (from "O.L.V.-straat") → ``olv straat``: runs of single letters are one abbreviation."""
    out: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        out.append(word)
    if run:
        out.append(run)
    return out


@lru_cache(maxsize=4096)
def place_key(name: str) -> str:
    """The comparison key of a place (deelgemeente or municipality): ``"Asse (Dg.)"`` → ``"asse"``.

    >>> place_key("Kobbegem (Asse)"), place_key("ZELLIK, België")
    ('kobbegem', 'zellik')
    """
    without_brackets = re.sub(r"\(.*?\)", " ", name)
    ignore = set(_reference()["place_words_to_ignore"])
    return "".join(w for w in _words(without_brackets) if w not in ignore and not w.isdigit())


# ---------------------------------------------------------------------------------------------------- parsing
_TOKEN = re.compile(r"\d+|[^\W\d_]+|[/,]")


def parse_address(text: str) -> ParsedAddress:
    """Split typed address text into street, house number, suffix, box, postcode and place.

    The house number is the first number after the street whose tail reads as ``[suffix] [box] [postcode]
    [place]``; boxes are written ``bus 3``, ``b3``, ``bte 3`` or ``/3``. A leading ``"1730 Asse, ..."`` is read
    as postcode and place too. Without a number the whole text (less a trailing postcode) is the street.

    >>> p = parse_address("Z. 4 Broekooi 12, 1731 Zellik")
    >>> p.street, p.housenumber, p.postcode
    ('Z. 4 Broekooi', 12, '1731')
    >>> p = parse_address("1730 Asse, Kerkstraat 7A/2")
    >>> p.street, p.housenumber, p.suffix, p.box, p.postcode, p.place
    ('Kerkstraat', 7, 'A', '2', '1730', 'Asse')
    >>> parse_address("Kerkstraat nr. 5 b 2").box
    '2'
    """
    clean = unicodedata.normalize("NFC", " ".join(str(text).split()))
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(clean)]
    lead_postcode, lead_place, start = _leading_locality(clean, tokens)
    tokens = [tok for tok in tokens if tok[1] >= start]
    for i, (tok, tok_start, _end) in enumerate(tokens):
        if not tok.isdigit() or not any(_is_word(w) for w, _s, _e in tokens[:i]):
            continue
        tail = _read_tail(clean, tokens[i + 1:])
        if tail is None:
            continue
        street = _street_text(clean[start:tok_start])
        if not street:
            continue
        suffix, box, postcode, place = tail
        return _make(text, street, int(tok), suffix, box, postcode or lead_postcode, place or lead_place)
    # No house number: street only, less a trailing postcode and place after a comma.
    body = clean[start:]
    postcode = lead_postcode
    place = lead_place
    match = re.search(r"[,\s]+([1-9]\d{3})\b(.*)$", body)
    if match and any(_is_word(w) for w, s, _e in tokens if s < match.start() + start):
        postcode, place = match.group(1), (match.group(2).strip(" ,") or place)
        body = body[: match.start()]
    elif "," in body:
        body, _, rest = body.partition(",")
        place = rest.strip(" ,") or place
    return _make(text, _street_text(body), None, None, None, postcode, place)


def _is_word(token: str) -> bool:
    return token[0].isalpha()


def _make(text, street, number, suffix, box, postcode, place) -> ParsedAddress:
    place = place or None
    return ParsedAddress(
        text=str(text),
        street=street,
        street_key=street_key(street),
        housenumber=number,
        suffix=suffix.upper() if suffix else None,
        box=box.upper() if box else None,
        postcode=postcode,
        place=place,
        place_key=(place_key(place) or None) if place else None,
    )


def _street_text(raw: str) -> str:
    words = set(_reference()["number_words"])
    street = raw.strip(" ,;:")
    # Drop a trailing "nr." / "n°" that announces the number.
    match = re.search(r"[\s,]+([^\W\d_]+)\.?°?$", street)
    if match and match.group(1).lower() in words:
        street = street[: match.start()]
    return street.strip(" ,;:")


def _leading_locality(clean: str, tokens: list[tuple[str, int, int]]) -> tuple[str | None, str | None, int]:
    """``"1730 Asse, Kerkstraat 7"``: postcode and place before the first comma."""
    if len(tokens) >= 3 and _is_postcode(tokens[0][0]):
        comma = next((i for i, tok in enumerate(tokens) if tok[0] == ","), None)
        if comma is not None and comma > 1 and all(_is_word(tok[0]) for tok in tokens[1:comma]):
            place = clean[tokens[1][1]: tokens[comma - 1][2]]
            return tokens[0][0], place, tokens[comma][2]
    return None, None, 0


def _is_postcode(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and token[0] != "0"


def _read_tail(clean: str, tail: list[tuple[str, int, int]]) -> tuple | None:
    """Read ``[suffix] [box] [postcode] [place]`` after a house number; ``None`` when the tail is not that."""
    ref = _reference()
    box_words = set(ref["box_words"])
    suffix = box = postcode = None
    i = 0
    n = len(tail)

    def word(k: int) -> str:
        return tail[k][0].lower() if k < n else ""

    # suffix: 1-2 letters, or bis/ter, glued to the number or not; "b 3" is a box, not a suffix
    if i < n and _is_word(tail[i][0]) and (len(tail[i][0]) <= 2 or word(i) in ref["suffix_words"]):
        next_is_number = i + 1 < n and tail[i + 1][0].isdigit() and not _is_postcode_then_end(tail, i + 1)
        if not (word(i) in box_words and next_is_number):
            suffix = tail[i][0]
            i += 1
    # box: "bus 3", "b3", "bte 3", "/3"
    if i < n and (word(i) in box_words or tail[i][0] == "/") and i + 1 < n and tail[i + 1][0] != ",":
        value = tail[i + 1][0]
        if value.isdigit() or len(value) <= 3:
            box = value
            i += 2
            # "bus 2A"
            if box.isdigit() and i < n and _is_word(tail[i][0]) and len(tail[i][0]) == 1:
                box += tail[i][0]
                i += 1
    while i < n and tail[i][0] == ",":
        i += 1
    if i < n and _is_postcode(tail[i][0]):
        postcode = tail[i][0]
        i += 1
    rest = tail[i:]
    if any(tok[0].isdigit() for tok in rest):
        return None
    words = [tok for tok in rest if tok[0] != ","]
    place = clean[words[0][1]: words[-1][2]].strip(" ,") if words else None
    return suffix, box, postcode, place


def _is_postcode_then_end(tail: list[tuple[str, int, int]], k: int) -> bool:
    """True when token ``k`` is a postcode followed only by place words (``"7 b 1730 Asse"``)."""
    return _is_postcode(tail[k][0]) and not any(tok[0].isdigit() for tok in tail[k + 1:])


# ------------------------------------------------------------------------------------- register house numbers
class HouseNumber(NamedTuple):
    """A split house number: ``number`` (int), ``suffix`` (upper-case letters or None), ``box`` (text or None)."""

    number: int
    suffix: str | None
    box: str | None


# number, then optional suffix letters, then an optional box introduced by "bus", "bte", "b", "/" or "-"
_HOUSENUMBER = re.compile(
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
    match = _HOUSENUMBER.match(str(text))
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
