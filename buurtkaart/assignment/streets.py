"""The street answer: which groups cover which house numbers of one street, as a resident reads it.

``Kerkstraat 1-57 (oneven) en 2-40 (even): groep Centrum; de rest: groep Kalkoven``

Every address of the street in the register is assigned with :func:`buurtkaart.assignment.points.assign_points` (so the
border rule is the same as everywhere else). Per side (odd, even), consecutive house numbers with the same
outcome form a range. The outcome with the most ranges becomes "de rest" when it has two or more (equal counts:
the one that starts last); otherwise every range is listed. Ranges name the first and last number of the register
in that run, so they are exact for the register; numbers the register lacks inside a range belong to it too.

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["W", "O"], "name": ["West", "Oost"]},
...     geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)], crs="EPSG:31370")
>>> adr = gpd.GeoDataFrame({"street": ["Grensstraat"] * 4, "housenumber": [1, 3, 2, 4], "postcode": ["1730"] * 4},
...     geometry=[shapely.Point(90, 10), shapely.Point(90, 30), shapely.Point(110, 10), shapely.Point(110, 30)],
...     crs="EPSG:31370")
>>> street_answer("grensstr.", addresses=adr, groups=groups).text
'Grensstraat 1-3 (oneven): groep West; 2-4 (even): groep Oost'
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from buurtkaart.assignment.points import GroupIndex
from buurtkaart.geocoding.addressing import format_housenumber, street_key
from buurtkaart.texts import t
from buurtkaart.vocabulary import AddressStatus

#: Street answers kept per index (a few per street of the register).
_MAX_MEMO = 20_000


@dataclass(frozen=True)
class StreetOutcome:
    """One outcome on the street: a group (``status`` ``toegewezen``), an overlap, no group, or outside."""

    status: str
    group_ids: tuple[str, ...]
    label: str
    ranges: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class StreetAnswer:
    """The answer for one street (and postcode): ``text`` in Dutch, ``parts`` per outcome."""

    street: str
    postcode: str | None
    text: str
    parts: tuple[StreetOutcome, ...]
    deelgemeente: str | None = None

    @property
    def group_ids(self) -> tuple[str, ...]:
        """Every group that covers some number of the street, in the order of the text."""
        seen: dict[str, None] = {}
        for part in self.parts:
            for gid in part.group_ids:
                seen.setdefault(gid, None)
        return tuple(seen)


def street_answer(street: str, *, postcode: str | None = None, deelgemeente: str | None = None,
                  addresses: gpd.GeoDataFrame | StreetIndex, groups: Any = None,
                  municipality_area: Any = None) -> StreetAnswer:
    """Which groups cover which numbers of ``street`` (typed loosely: case, accents, abbreviations).

    ``groups`` is the groups layer or a prepared :class:`buurtkaart.assignment.points.GroupIndex`. Without
    ``postcode`` a
    street that exists in several postcodes is answered per postcode; without ``deelgemeente``, two streets of
    that name in one postcode (the same house number in two deelgemeenten) are answered per deelgemeente.
    For many answers build a :class:`StreetIndex` once and pass it as ``addresses`` (``groups`` is then unused).

    Parameters
    ----------
    street : str
        The street name as typed.
    postcode, deelgemeente : str, optional
        Narrow the answer to one postcode or deelgemeente.
    addresses : GeoDataFrame or StreetIndex
        The addresses layer, or a prepared :class:`StreetIndex`.
    groups : optional
        The groups layer or a :class:`GroupIndex` (unused with a :class:`StreetIndex`).
    municipality : optional
        The municipality outline.

    Returns
    -------
    StreetAnswer
        The Dutch ``text`` and the ``parts`` (numbers and the groups covering them).
    """
    index = addresses if isinstance(addresses, StreetIndex) else StreetIndex(addresses, groups,
                                                                           municipality_area=municipality_area)
    return index.answer(street, postcode=postcode, deelgemeente=deelgemeente)


@dataclass(frozen=True)
class _Row:
    """One address of a street, as plain values: what the answer needs and its outcome (status, groups)."""

    street: str
    postcode: str | None
    place: str | None
    number: int | None
    label_key: tuple[str, str, str]
    suffix: str
    outcome: tuple[str, tuple[str, ...]]


class StreetIndex:
    """The register's addresses keyed by street: a street answer reads only the rows of its own street (assigned
    to their groups on the first question, then kept as plain values), and each answer is kept. Building the
    index reads each distinct street name once; an answer takes well under 10 ms, a repeated one microseconds.
    The index does not change: build a new one when the addresses or the groups change."""

    def __init__(self, addresses: gpd.GeoDataFrame, groups: gpd.GeoDataFrame | GroupIndex, *,
                 municipality_area: Any = None) -> None:
        # the register's addresses are the municipality's own (a few metres over the border is not outside)
        self.groups = (groups if isinstance(groups, GroupIndex)
                       else GroupIndex(groups, municipality_area=municipality_area, own_points=addresses.geometry))
        self.addresses = addresses
        codes, names = pd.factorize(addresses["street"], use_na_sentinel=True)
        keys = [street_key(n) if isinstance(n, str) else "" for n in names]
        key_ids, key_names = pd.factorize(pd.Series(keys, dtype=object))
        row_key = np.where(codes >= 0, key_ids[np.maximum(codes, 0)] if len(keys) else codes, -1)
        order = np.argsort(row_key, kind="stable")
        bounds = np.searchsorted(row_key[order], np.arange(len(key_names) + 1))
        self._positions = {str(k): order[bounds[i]:bounds[i + 1]] for i, k in enumerate(key_names) if k}
        assigned = self.groups.assign(addresses.geometry, nearest=0)  # every address at once: one vector pass
        n = len(addresses)
        self._columns = {name: (addresses[name].tolist() if name in addresses else [None] * n)
                         for name in ("street", "postcode", "deelgemeente", "housenumber", "suffix", "box")}
        self._columns["status"] = assigned["status"].tolist()
        self._columns["groups"] = assigned["groups"].tolist()
        self._rows: dict[str, list[_Row]] = {}
        self._answers: dict[tuple[str, str | None, str | None], StreetAnswer] = {}

    @classmethod
    def from_workspace(cls, ws: Any) -> StreetIndex:
        """The addresses, groups and municipality of a workspace."""
        return cls(ws.read("addresses"), GroupIndex.from_workspace(ws))

    def answer(self, street: str, *, postcode: str | None = None, deelgemeente: str | None = None) -> StreetAnswer:
        """The street answer of ``street``; see :func:`street_answer`."""
        key = street_key(street)
        memo = (key, _text(postcode), _text(deelgemeente))
        found = self._answers.get(memo)
        if found is None:
            found = _answer(street, self._rows_of(key), self.groups, postcode=memo[1], deelgemeente=memo[2])
            if found.parts and len(self._answers) < _MAX_MEMO:  # not found: says the street as typed
                self._answers[memo] = found
        return found

    def _rows_of(self, key: str) -> list[_Row]:
        rows = self._rows.get(key)
        if rows is None:
            positions = self._positions.get(key)
            if positions is None:
                return []
            rows = [_plain_row(*(self._columns[c][i] for c in _COLUMNS)) for i in positions.tolist()]
            self._rows[key] = rows
        return rows


_COLUMNS = ("street", "postcode", "deelgemeente", "housenumber", "suffix", "box", "status", "groups")


def _text(value: Any) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _number(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number == number and number.is_integer() else None


def _plain_row(street: Any, postcode: Any, place: Any, number: Any, suffix: Any, box: Any, status: Any,
               groups: Any) -> _Row:
    status = str(status)
    suffix_text = _text(suffix) or ""
    return _Row(street=str(street), postcode=_text(postcode), place=_text(place), number=_number(number),
                label_key=(str(number), suffix_text, _text(box) or ""), suffix=suffix_text,
                outcome=(status, tuple(groups) if status in (AddressStatus.TOEGEWEZEN, AddressStatus.OVERLAP) else ()))


def _answer(street: str, rows: list[_Row], index: Any, *, postcode: str | None,
            deelgemeente: str | None) -> StreetAnswer:
    if postcode is not None:
        rows = [r for r in rows if r.postcode == postcode]
    if not rows:
        return StreetAnswer(street=street, postcode=postcode, parts=(),
                            text=t("assign.street.not_found", street=street))
    counts = Counter(r.street for r in rows)
    name = min(counts, key=lambda n: (-counts[n], n))  # most common spelling; ties: first by name
    postcodes = sorted({r.postcode for r in rows if r.postcode is not None})
    if postcode is None and len(postcodes) > 1:
        answers = [_answer(name, rows, index, postcode=pc, deelgemeente=None) for pc in postcodes]
        text = " — ".join(f"{a.postcode}: {a.text}" for a in answers)
        return StreetAnswer(street=name, postcode=None, text=text,
                            parts=tuple(p for a in answers for p in a.parts))
    pc = postcode if postcode is not None else (postcodes[0] if postcodes else None)
    places = _homonym_places(rows)
    if deelgemeente is not None and deelgemeente in places:
        rows = [r for r in rows if r.place == deelgemeente]
    elif len(places) > 1:
        answers = [_answer(name, rows, index, postcode=pc, deelgemeente=p) for p in places]
        text = " — ".join(f"{a.deelgemeente}: {a.text}" for a in answers)
        return StreetAnswer(street=name, postcode=pc, text=text, parts=tuple(p for a in answers for p in a.parts))
    else:
        deelgemeente = None  # one street, answered whole even where it crosses into another deelgemeente
    parts = _parts(rows, index)
    return StreetAnswer(street=name, postcode=pc, parts=parts, text=_sentence(name, parts),
                        deelgemeente=deelgemeente)


def _homonym_places(rows: list[_Row]) -> list[str]:
    """The deelgemeenten of ``rows`` (one street name in one postcode) when they are separate streets: the same
    house number occurs in more than one of them. One street crossing a border between deelgemeenten keeps its
    numbers unique and is answered whole."""
    places = {r.place for r in rows if r.place is not None}
    if len(places) < 2:
        return []
    seen: dict[tuple[str, str, str], set[str]] = {}
    for r in rows:
        if r.place is not None:
            seen.setdefault(r.label_key, set()).add(r.place)
    return sorted(places) if any(len(p) > 1 for p in seen.values()) else []


def _parts(rows: list[_Row], index: Any) -> tuple[StreetOutcome, ...]:
    runs: dict[tuple, list[tuple[int, str]]] = {}
    counts: dict[tuple, int] = {}
    first_seen: dict[tuple, tuple[int, int]] = {}
    numbered = [(r.number, r.suffix, r.outcome) for r in rows if r.number is not None]
    for parity in (1, 0):
        side = sorted((row for row in numbered if row[0] % 2 == parity), key=lambda row: (row[0], row[1]))
        current: tuple | None = None
        start = end = ""
        done: set[tuple] = set()
        for number, suffix, outcome in side:
            if (number, suffix, outcome) in done:
                continue
            done.add((number, suffix, outcome))
            label = format_housenumber(number, suffix or None)
            counts[outcome] = counts.get(outcome, 0) + 1
            first_seen.setdefault(outcome, (0 if parity else 1, number))
            if outcome != current:
                if current is not None:
                    runs.setdefault(current, []).append((parity, _range(start, end, parity)))
                current, start = outcome, label
            end = label
        if current is not None:
            runs.setdefault(current, []).append((parity, _range(start, end, parity)))
    parts = []
    for outcome in sorted(runs, key=lambda o: (first_seen[o][1], first_seen[o][0])):
        status, gids = outcome
        parts.append(StreetOutcome(status=status, group_ids=tuple(gids), label=_outcome_label(status, gids, index),
                                ranges=tuple(r for _p, r in runs[outcome]), count=counts[outcome]))
    return tuple(parts)


def _range(start: str, end: str, parity: int) -> str:
    side = t("assign.street.odd") if parity else t("assign.street.even")
    return f"{start} ({side})" if start == end else f"{start}-{end} ({side})"


def _outcome_label(status: str, gids: tuple[str, ...], index: Any) -> str:
    if status == AddressStatus.TOEGEWEZEN:
        return t("assign.street.group", name=index.name_of(gids[0]))
    if status == AddressStatus.OVERLAP:
        names = " en ".join(t("assign.street.group", name=index.name_of(g)) for g in gids)
        return t("assign.street.overlap", groups=names)
    if status == AddressStatus.BUITEN_GEMEENTE:
        return t("assign.street.outside")
    return t("assign.street.uncovered")


def _sentence(street: str, parts: tuple[StreetOutcome, ...]) -> str:
    if len(parts) == 1:
        return t("assign.street.whole", street=street, label=parts[0].label)
    biggest = max(enumerate(parts), key=lambda ip: (len(ip[1].ranges), ip[0]))[1]  # ties: the one listed last
    rest = biggest if len(biggest.ranges) >= 2 else None
    listed = [f"{' en '.join(p.ranges)}: {p.label}" for p in parts if p is not rest]
    if rest is not None:
        listed.append(t("assign.street.rest", label=rest.label))
    return f"{street} " + "; ".join(listed)
