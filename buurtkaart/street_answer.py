"""The street answer: which groups cover which house numbers of one street, as a resident reads it.

``Kerkstraat 1-57 (oneven) en 2-40 (even): groep Centrum; de rest: groep Kalkoven``

Every address of the street in the register is assigned with :func:`buurtkaart.assign.assign_points` (so the
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

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from buurtkaart.addressing import format_housenumber, street_key
from buurtkaart.texts import t

#: Street answers kept per index (a few per street of the register).
_MAX_MEMO = 20_000


@dataclass(frozen=True)
class StreetPart:
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
    parts: tuple[StreetPart, ...]
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
                  municipality: Any = None) -> StreetAnswer:
    """Which groups cover which numbers of ``street`` (typed loosely: case, accents, abbreviations).

    ``groups`` is the groups layer or a prepared :class:`buurtkaart.assign.GroupIndex`. Without ``postcode`` a
    street that exists in several postcodes is answered per postcode; without ``deelgemeente``, two streets of
    that name in one postcode (the same house number in two deelgemeenten) are answered per deelgemeente.
    For many answers build a :class:`StreetIndex` once and pass it as ``addresses`` (``groups`` is then unused).
    """
    index = addresses if isinstance(addresses, StreetIndex) else StreetIndex(addresses, groups,
                                                                           municipality=municipality)
    return index.answer(street, postcode=postcode, deelgemeente=deelgemeente)


class StreetIndex:
    """Every address of the register keyed by street and assigned to its group once, so that a street answer is
    a dictionary look-up plus the ranges of one street (milliseconds instead of a pass over the register)."""

    def __init__(self, addresses: gpd.GeoDataFrame, groups: Any, *, municipality: Any = None) -> None:
        from buurtkaart.assign import GroupIndex

        self.groups = groups if isinstance(groups, GroupIndex) else GroupIndex(groups, municipality=municipality)
        self.addresses = addresses
        names = addresses["street"].astype("str").tolist()
        self._rows: dict[str, list[int]] = {}
        for pos, name in enumerate(names):
            if isinstance(name, str):
                self._rows.setdefault(street_key(name), []).append(pos)
        self.assigned = self.groups.assign(addresses.geometry, nearest=0)
        self._answers: dict[tuple[str, str | None, str | None], StreetAnswer] = {}

    @classmethod
    def from_workspace(cls, ws: Any) -> StreetIndex:
        """The addresses, groups and municipality of a workspace."""
        from buurtkaart.assign import GroupIndex

        return cls(ws.read("addresses"), GroupIndex.from_workspace(ws))

    def answer(self, street: str, *, postcode: str | None = None, deelgemeente: str | None = None) -> StreetAnswer:
        """The street answer of ``street``; see :func:`street_answer`."""
        key = street_key(street)
        positions = self._rows.get(key)
        if positions is None:
            return _answer(street, self.addresses.iloc[[]], self.assigned.iloc[[]], self.groups, postcode=postcode,
                           deelgemeente=deelgemeente)
        memo = (key, None if postcode is None else str(postcode), None if deelgemeente is None else str(deelgemeente))
        found = self._answers.get(memo)
        if found is None:  # computed once per street (the index is immutable); bounded like the register
            found = _answer(street, self.addresses.iloc[positions], self.assigned.iloc[positions], self.groups,
                            postcode=postcode, deelgemeente=deelgemeente)
            if len(self._answers) < _MAX_MEMO:
                self._answers[memo] = found
        return found


def _answer(street: str, rows: gpd.GeoDataFrame, assigned: Any, index: Any, *, postcode: str | None,
            deelgemeente: str | None) -> StreetAnswer:
    if postcode is not None and "postcode" in rows:
        keep = (rows["postcode"].astype("str") == str(postcode)).to_numpy()
        rows, assigned = rows[keep], assigned[keep]
    if rows.empty:
        return StreetAnswer(street=street, postcode=postcode, parts=(),
                            text=t("assign.street.not_found", street=street))
    name = str(rows["street"].mode().iloc[0])
    postcodes = (sorted(rows["postcode"].dropna().astype("str").unique()) if "postcode" in rows else [])
    if postcode is None and len(postcodes) > 1:
        answers = [_answer(name, rows, assigned, index, postcode=pc, deelgemeente=None) for pc in postcodes]
        text = " — ".join(f"{a.postcode}: {a.text}" for a in answers)
        return StreetAnswer(street=name, postcode=None, text=text,
                            parts=tuple(p for a in answers for p in a.parts))
    pc = postcode if postcode is not None else (postcodes[0] if postcodes else None)
    places = _homonym_places(rows)
    if deelgemeente is not None and str(deelgemeente) in places:
        keep = (rows["deelgemeente"].astype("str") == str(deelgemeente)).to_numpy()
        rows, assigned = rows[keep], assigned[keep]
    elif len(places) > 1:
        answers = [_answer(name, rows, assigned, index, postcode=pc, deelgemeente=p) for p in places]
        text = " — ".join(f"{a.deelgemeente}: {a.text}" for a in answers)
        return StreetAnswer(street=name, postcode=pc, text=text, parts=tuple(p for a in answers for p in a.parts))
    else:
        deelgemeente = None  # one street, answered whole even where it crosses into another deelgemeente
    parts = _parts(rows, assigned, index)
    return StreetAnswer(street=name, postcode=pc, parts=parts, text=_text(name, parts), deelgemeente=deelgemeente)


def _homonym_places(rows: gpd.GeoDataFrame) -> list[str]:
    """The deelgemeenten of ``rows`` (one street name in one postcode) when they are separate streets: the same
    house number occurs in more than one of them. One street crossing a border between deelgemeenten keeps its
    numbers unique and is answered whole."""
    if "deelgemeente" not in rows or rows["deelgemeente"].nunique() < 2:
        return []
    number = [rows["housenumber"].astype("str")]
    number += [rows[c].astype("str").fillna("") for c in ("suffix", "box") if c in rows]
    places = rows.groupby(number, dropna=False)["deelgemeente"].nunique()
    return sorted(rows["deelgemeente"].dropna().astype("str").unique()) if (places > 1).any() else []


def _parts(rows: gpd.GeoDataFrame, assigned: pd.DataFrame, index: Any) -> tuple[StreetPart, ...]:
    numbers = pd.to_numeric(rows["housenumber"], errors="coerce")
    suffixes = rows["suffix"].astype("str") if "suffix" in rows else pd.Series(pd.NA, index=rows.index, dtype="str")
    table = pd.DataFrame({
        "number": numbers, "suffix": suffixes.fillna(""),
        "status": assigned["status"].astype("str"), "groups": assigned["groups"],
    }, index=rows.index).dropna(subset=["number"])
    table["number"] = table["number"].astype(np.int64)
    table["outcome"] = [(s, g if s in ("toegewezen", "overlap") else ()) for s, g in
                        zip(table["status"], table["groups"], strict=True)]
    runs: dict[tuple, list[tuple[int, str]]] = {}
    counts: dict[tuple, int] = {}
    first_seen: dict[tuple, tuple[int, int]] = {}
    for parity in (1, 0):
        side = table[table["number"] % 2 == parity].sort_values(["number", "suffix"], kind="stable")
        side = side.drop_duplicates(["number", "suffix", "outcome"])
        current: tuple | None = None
        start = end = ""
        for number, suffix, outcome in zip(side["number"], side["suffix"], side["outcome"], strict=True):
            label = format_housenumber(int(number), suffix or None)
            counts[outcome] = counts.get(outcome, 0) + 1
            first_seen.setdefault(outcome, (0 if parity else 1, int(number)))
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
        parts.append(StreetPart(status=status, group_ids=tuple(gids), label=_outcome_label(status, gids, index),
                                ranges=tuple(r for _p, r in runs[outcome]), count=counts[outcome]))
    return tuple(parts)


def _range(start: str, end: str, parity: int) -> str:
    side = t("assign.street.odd") if parity else t("assign.street.even")
    return f"{start} ({side})" if start == end else f"{start}-{end} ({side})"


def _outcome_label(status: str, gids: tuple[str, ...], index: Any) -> str:
    if status == "toegewezen":
        return t("assign.street.group", name=index.name_of(gids[0]))
    if status == "overlap":
        names = " en ".join(t("assign.street.group", name=index.name_of(g)) for g in gids)
        return t("assign.street.overlap", groups=names)
    if status == "buiten_gemeente":
        return t("assign.street.outside")
    return t("assign.street.uncovered")


def _text(street: str, parts: tuple[StreetPart, ...]) -> str:
    if len(parts) == 1:
        return t("assign.street.whole", street=street, label=parts[0].label)
    biggest = max(enumerate(parts), key=lambda ip: (len(ip[1].ranges), ip[0]))[1]  # ties: the one listed last
    rest = biggest if len(biggest.ranges) >= 2 else None
    listed = [f"{' en '.join(p.ranges)}: {p.label}" for p in parts if p is not rest]
    if rest is not None:
        listed.append(t("assign.street.rest", label=rest.label))
    return f"{street} " + "; ".join(listed)
