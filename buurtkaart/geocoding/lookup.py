"""The geocoder: typed address text → a point of the address register, saying how it was found.

:class:`AddressIndex` is built once from the ``addresses`` layer (and optionally ``streets``, for streets without
addresses) and answers :meth:`AddressIndex.lookup` in well under a millisecond for an exact address:

1. the text is parsed (:func:`buurtkaart.geocoding.addressing.parse_address`) and the street reduced to its key;
2. streets with that key are candidates; if none, rapidfuzz proposes the closest street keys;
3. candidates are ranked on the street match plus evidence: the house number exists there, the postcode and the
   place (deelgemeente) agree. Homonymous streets (the same name in two postcodes) are told apart this way;
4. the winner must be clearly ahead, otherwise the result is ``ambiguous`` with ranked suggestions — never a
   silent guess;
5. the house number gives the register point (``exact``); a number the register lacks is placed by linear
   interpolation between its nearest neighbours on the same street and the same side (odd/even) and says so
   (``interpolated``); without a usable number the result is ``street_only``.

``status`` is one of :data:`STATUSES`; ``message`` says the same in Dutch for a resident.

Duplicates: several register rows may share street, number and suffix (the boxes of one building, or a register
that lists an address twice). The lookup then returns the row whose box matches, else whose street spelling and
place match the text, else the first by ``address_id``; "found at its own point" means at the point of a row
with that street, number and suffix.

>>> import geopandas as gpd, shapely
>>> adr = gpd.GeoDataFrame({"address_id": ["a1", "a3", "a7"], "street": ["Kerkstraat"] * 3,
...     "housenumber": [1, 3, 7], "postcode": ["1730"] * 3},
...     geometry=[shapely.Point(0, 0), shapely.Point(20, 0), shapely.Point(60, 0)], crs="EPSG:31370")
>>> index = AddressIndex.from_layers(adr)
>>> index.lookup("kerkstr. 3, 1730 Asse").status
'exact'
>>> r = index.lookup("Kerkstraat 5")
>>> r.status, r.point.x
('interpolated', 40.0)
>>> index.lookup("Kerkstrat 7").status
'fuzzy_street'
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import process
from rapidfuzz.distance import OSA

from buurtkaart.geocoding._register import Register, Street, check_layer
from buurtkaart.geocoding.addressing import ParsedAddress, format_housenumber, parse_address, place_key, street_key
from buurtkaart.geocoding.result import FOUND, STATUSES, LookupResult, Suggestion, address_label
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vocabulary import LookupStatus

__all__ = ["FOUND", "STATUSES", "AddressIndex", "LookupResult", "Suggestion"]

_FUZZY_CUTOFF = 62.0  # similarity (0-100) below which a street is not proposed at all
_ACCEPT_FUZZY = 80.0  # a fuzzy street is accepted on its own from this ratio, if clearly ahead
_MARGIN = 4.0  # points by which the winner must lead the runner-up
_BONUS_NUMBER, _BONUS_RANGE, _BONUS_POSTCODE, _BONUS_PLACE = 8.0, 2.0, 6.0, 4.0
_MANY_HOMONYMS = 4  # more streets of one name than this: a fuzzy match keeps those in the typed postcode/place


class AddressIndex:
    """Everything a lookup needs, built once; see the module docstring for how a lookup decides."""

    def __init__(self, register: Register | None = None, *, municipality_name: str | None = None) -> None:
        """The index of a :class:`~buurtkaart.geocoding._register.Register` (use :meth:`from_layers`)."""
        if register is None:
            empty = np.array([], dtype=object)
            no_numbers = np.array([], dtype="float64")
            register = Register(ids=empty, street_names=empty, numbers=no_numbers, suffixes=empty, boxes=empty,
                                postcodes_col=empty, places=empty, geoms=empty, x=no_numbers, y=no_numbers)
        self.addresses: gpd.GeoDataFrame | None = None
        self._streets: dict[str, list[Street]] = register.streets
        self._place_postcodes: dict[str, set[str]] = register.place_postcodes
        self._postcodes: set[str] = register.postcodes
        self._ids: np.ndarray = register.ids
        self._street_names: np.ndarray = register.street_names
        self._suffixes: np.ndarray = register.suffixes
        self._boxes: np.ndarray = register.boxes
        self._postcodes_col: np.ndarray = register.postcodes_col
        self._places: np.ndarray = register.places
        self._numbers: np.ndarray = register.numbers
        self._geoms: np.ndarray = register.geoms
        self._x: np.ndarray = register.x
        self._y: np.ndarray = register.y
        self._keys: list[str] = list(self._streets)
        self._by_postcode: dict[tuple[str, str | None], list[Street]] = {}
        for key, units in self._streets.items():
            for unit in units:
                self._by_postcode.setdefault((key, unit.postcode), []).append(unit)
        self._municipality_key: str | None = place_key(municipality_name) if municipality_name else None

    # ------------------------------------------------------------------------------------------- building
    @classmethod
    def from_layers(cls, addresses: gpd.GeoDataFrame, streets: gpd.GeoDataFrame | None = None, *,
                    municipality_name: str | None = None) -> AddressIndex:
        """Build the index from an ``addresses`` layer (EPSG:31370) and optionally the ``streets`` layer.

        ``municipality_name`` is the municipality's name: a place that names the whole municipality does not
        narrow the postcode down.
        """
        check_layer(addresses, "addresses", ("street", "housenumber", "geometry"))
        if streets is not None and len(streets):
            check_layer(streets, "streets", ("name", "geometry"))
        frame = addresses.reset_index(drop=True)
        register = Register.from_frame(frame)
        if streets is not None and len(streets):
            register.add_street_lines(streets)
        self = cls(register, municipality_name=municipality_name)
        self.addresses = frame
        return self

    @classmethod
    def from_workspace(cls, ws: Any) -> AddressIndex:
        """Build the index from a workspace's ``addresses`` and ``streets`` layers."""
        return cls.from_layers(ws.read("addresses"), ws.read("streets"),
                               municipality_name=ws.metadata.get("municipality"))

    # --------------------------------------------------------------------------------------------- lookup
    def lookup(self, text: str | ParsedAddress, *, limit: int = 5) -> LookupResult:
        """Find ``text`` (free address text, or an already parsed address); see the module docstring."""
        parsed = text if isinstance(text, ParsedAddress) else parse_address(str(text))
        if not parsed.street_key:
            return LookupResult(text=parsed.text, status=LookupStatus.NOT_FOUND, message=t("lookup.msg.empty"),
                                parsed=parsed)
        candidates = self._candidates(parsed)
        if not candidates and parsed.housenumber is None:
            candidates = self._candidates_without_place(parsed)
        foreign = (parsed.postcode is not None and bool(self._postcodes) and parsed.postcode not in self._postcodes
                   and parsed.street_key not in self._streets)
        if not candidates:
            return self._not_found(parsed, foreign_postcode=foreign)
        ranked = sorted(candidates, key=lambda c: -c[0])
        if foreign:
            # an unknown street in a postcode of another municipality: say so, never guess a street here
            result = self._ambiguous(parsed, ranked, limit)
            return replace(result, status=LookupStatus.NOT_FOUND,
                           message=self._not_found(parsed, foreign_postcode=True).message)
        best_score, best_ratio, best = ranked[0]
        runner_up = next((c for c in ranked[1:] if c[2] is not best), None)
        clear = runner_up is None or best_score - runner_up[0] >= _MARGIN
        if not clear or (best_ratio < 100 and best_ratio < _ACCEPT_FUZZY and best_score < _ACCEPT_FUZZY + 10):
            return self._ambiguous(parsed, ranked, limit)
        return self._resolve(parsed, best, best_ratio, best_score, ranked, limit)

    def _candidates(self, parsed: ParsedAddress) -> list[tuple[float, float, Street]]:
        units = self._streets.get(parsed.street_key)
        if units:
            matches = [(100.0, u) for u in self._narrow(units, parsed)]
        else:
            # optimal string alignment: a dropped, added or changed letter, or two swapped letters, is one edit
            found = process.extract(parsed.street_key, self._keys, scorer=OSA.normalized_similarity, limit=8,
                                    score_cutoff=_FUZZY_CUTOFF / 100)
            matches = [(100.0 * score, u) for key, score, _ in found
                       for u in self._narrow(self._streets[key], parsed, key=key, fuzzy=True)]
        return [(ratio + self._evidence(parsed, u), ratio, u) for ratio, u in matches]

    def _candidates_without_place(self, parsed: ParsedAddress) -> list[tuple[float, float, Street]]:
        """``"Kerkstraat Asse"``: retry with trailing place words removed from the street."""
        words = parsed.street.split()
        for cut in range(len(words) - 1, 0, -1):
            tail = place_key(" ".join(words[cut:]))
            if tail in self._place_postcodes or (tail and tail == self._municipality_key):
                head = " ".join(words[:cut])
                retry = ParsedAddress(text=parsed.text, street=head, street_key=street_key(head),
                                      postcode=parsed.postcode, place=" ".join(words[cut:]), place_key=tail)
                return self._candidates(retry) if retry.street_key in self._streets else []
        return []

    def _narrow(self, units: list[Street], parsed: ParsedAddress, *, key: str | None = None,
                fuzzy: bool = False) -> list[Street]:
        """Of many streets with one name, those in the typed postcode and place, when one of them has the
        number: the others would rank at least 8 points lower and change nothing (a shortcut for speed). For a
        fuzzy name any street in the typed postcode and place will do: a street elsewhere with a misspelt name
        is not what was meant (only where a name has many streets: a speed shortcut)."""
        if len(units) < 2:
            return units
        fuzzy = fuzzy and len(units) > _MANY_HOMONYMS
        wanted = (parsed.housenumber, parsed.suffix)
        if parsed.postcode is not None:
            same = self._by_postcode.get((key or parsed.street_key, parsed.postcode), [])
            if same and (fuzzy or any(wanted in u.rows for u in same)):
                units = same
        if parsed.place_key and len(units) > 1:
            here = [u for u in units if parsed.place_key in u.places]
            if here and (fuzzy or any(wanted in u.rows for u in here)):
                units = here
        return units

    def _evidence(self, parsed: ParsedAddress, unit: Street) -> float:
        score = 0.0
        number = parsed.housenumber
        if number is not None:
            if (number, parsed.suffix) in unit.rows:
                score += _BONUS_NUMBER
            elif unit.has_number(number):  # the same number with another suffix (typed 35, register 35A)
                score += _BONUS_NUMBER - _BONUS_RANGE
            elif unit.in_range(number):
                score += _BONUS_RANGE
        if parsed.postcode is not None and unit.postcode is not None:
            score += _BONUS_POSTCODE if parsed.postcode == unit.postcode else -_BONUS_POSTCODE
        place = parsed.place_key
        if place:
            if place in unit.places:
                score += _BONUS_PLACE
            elif place != self._municipality_key and place in self._place_postcodes and unit.places:
                score -= _BONUS_PLACE  # another deelgemeente than this street's
        return score

    def _resolve(self, parsed, unit: Street, ratio: float, score: float, ranked, limit) -> LookupResult:
        fuzzy = ratio < 100
        number = parsed.housenumber
        base = {"text": parsed.text, "street": unit.name, "postcode": unit.postcode, "score": min(score, 100.0),
                "parsed": parsed}
        note = t("lookup.msg.corrected", typed=parsed.street, street=unit.name) if fuzzy else ""
        if number is None or not unit.rows:
            reason = t("lookup.reason.no_number") if number is None else t("lookup.reason.no_numbers")
            return LookupResult(status=LookupStatus.STREET_ONLY, point=None, housenumber=number, suffix=parsed.suffix,
                                message=_join(note, t("lookup.msg.street_only", street=unit.name, reason=reason)),
                                suggestions=self._number_suggestions(unit, number, limit), **base)
        rows = unit.rows.get((number, parsed.suffix))
        if rows:
            row = self._pick_row(rows, parsed)
            status = LookupStatus.FUZZY_STREET if fuzzy else LookupStatus.EXACT
            if (parsed.box and not any(self._boxes[r] == parsed.box for r in rows)) or (
                    parsed.box is None and all(self._boxes[r] is not None for r in rows)):
                return self._building_only(parsed, unit, rows, status=status, note=note, base=base)
            place = " ".join(str(p) for p in (unit.postcode, self._places[row]) if p) or None
            label = address_label(unit.name, format_housenumber(number, parsed.suffix, parsed.box), place)
            msg = t("lookup.msg.exact", address=label)
            return LookupResult(status=status, point=self._point(row), message=_join(note, msg),
                                **self._row_fields(row, parsed), **base)
        rows = unit.rows.get((number, None)) if parsed.suffix else None
        used = str(number)
        if not rows and parsed.suffix is None:  # "35" where the register has only 35A (and maybe 35B)
            other = sorted(k for k in unit.rows if k[0] == number)
            if other:
                rows, used = unit.rows[other[0]], format_housenumber(number, other[0][1])
        if rows:  # "7B" where the register has only 7
            row = self._pick_row(rows, parsed)
            msg = t("lookup.msg.suffix_unknown", asked=f"{number}{parsed.suffix or ''}", number=used)
            return LookupResult(status=LookupStatus.INTERPOLATED, point=self._point(row), message=_join(note, msg),
                                housenumber=number, suffix=parsed.suffix, box=parsed.box,
                                deelgemeente=self._places[row], **base)
        numbers, side_rows = unit.sides.get(number % 2, (np.array([], dtype=np.int64), np.array([], dtype=np.int64)))
        pos = int(np.searchsorted(numbers, number))
        if 0 < pos < len(numbers):
            lo, hi = int(numbers[pos - 1]), int(numbers[pos])
            r_lo, r_hi = int(side_rows[pos - 1]), int(side_rows[pos])
            frac = (number - lo) / (hi - lo)
            x = self._x[r_lo] + frac * (self._x[r_hi] - self._x[r_lo])
            y = self._y[r_lo] + frac * (self._y[r_hi] - self._y[r_lo])
            msg = t("lookup.msg.interpolated", street=unit.name, number=number, low=lo, high=hi)
            return LookupResult(status=LookupStatus.INTERPOLATED, point=shapely.Point(x, y), message=_join(note, msg),
                                housenumber=number, suffix=parsed.suffix, box=parsed.box,
                                deelgemeente=self._places[r_lo], **base)
        if parsed.postcode is None and str(number) in self._postcodes and not unit.has_number(number):
            # "Kerkstraat 1730 Asse": the number was the postcode
            reparsed = ParsedAddress(text=parsed.text, street=parsed.street, street_key=parsed.street_key,
                                     postcode=str(number), place=parsed.place, place_key=parsed.place_key)
            return self.lookup(reparsed, limit=limit)
        reason = t("lookup.reason.number_outside", number=number)
        return LookupResult(status=LookupStatus.STREET_ONLY, point=None, housenumber=number, suffix=parsed.suffix,
                            message=_join(note, t("lookup.msg.street_only", street=unit.name, reason=reason)),
                            suggestions=self._number_suggestions(unit, number, limit), **base)

    def _building_only(self, parsed: ParsedAddress, unit: Street, rows: list[int], *, status: str, note: str,
                       base: dict[str, Any]) -> LookupResult:
        """The building is in the register, the typed box is not (or no box was typed where the register has
        only boxes): the building's point, and a message that says so (never that the box was found). The address
        id is the building's own row, if the register has one without a box; never one of its boxes."""
        plain = [r for r in rows if self._boxes[r] is None]
        row = self._pick_row(plain or rows, parsed)
        address = address_label(unit.name, format_housenumber(parsed.housenumber, parsed.suffix, None),
                                unit.postcode)
        msg = (t("lookup.msg.box_not_in_register", address=address, box=parsed.box) if parsed.box
               else t("lookup.msg.exact", address=address))
        fields = {**self._row_fields(row, parsed), "box": None, "address_id": self._ids[row] if plain else None}
        return LookupResult(status=status, point=self._point(row), message=_join(note, msg), **fields, **base)

    def _pick_row(self, rows: list[int], parsed: ParsedAddress) -> int:
        if len(rows) == 1:
            return rows[0]
        typed = parsed.street.casefold()

        def rank(r: int) -> tuple[bool, bool, bool]:
            place = self._places[r]
            return (self._boxes[r] != parsed.box,
                    (self._street_names[r] or "").casefold() != typed,
                    not (parsed.place_key and place and place_key(place) == parsed.place_key))

        return min(rows, key=rank)  # min is stable: ties keep the register order (box-less first, address_id)

    def _point(self, row: int) -> shapely.Point:
        return self._geoms[row]  # the register's own point object (shapely geometries are immutable)

    def _row_fields(self, row: int, parsed: ParsedAddress) -> dict[str, Any]:
        return {"address_id": self._ids[row], "housenumber": int(self._numbers[row]), "suffix": self._suffixes[row],
                "box": self._boxes[row] if self._boxes[row] is not None else parsed.box,
                "deelgemeente": self._places[row]}

    # ----------------------------------------------------------------------------------------- suggestions
    def _suggest(self, unit: Street, parsed: ParsedAddress, score: float) -> Suggestion:
        number = parsed.housenumber
        rows = unit.rows.get((number, parsed.suffix)) if number is not None else None
        if rows:
            row = self._pick_row(rows, parsed)
            label = address_label(unit.name, format_housenumber(number, parsed.suffix, None), self._where(unit, row))
            return Suggestion(label, unit.name, unit.postcode, number, self._ids[row], score, self._point(row))
        first = next(iter(unit.rows.values()), [None])[0]
        label = address_label(unit.name, "", self._where(unit, first))
        return Suggestion(label, unit.name, unit.postcode, None, None, score, unit.middle)

    def _where(self, unit: Street, row: int | None) -> str | None:
        """The postcode, with the deelgemeente where one postcode has two streets of this name."""
        if row is None or len(self._by_postcode.get((unit.key, unit.postcode), ())) < 2 or not self._places[row]:
            return unit.postcode
        return f"{unit.postcode} {self._places[row]}" if unit.postcode else str(self._places[row])

    def _number_suggestions(self, unit: Street, number: int | None, limit: int) -> tuple[Suggestion, ...]:
        if number is None or not unit.rows:
            return ()
        keys = sorted(unit.rows, key=lambda k: (abs(k[0] - number), k[0] % 2 != number % 2, k[0], k[1] or ""))
        out = []
        for num, suffix in keys[:limit]:
            row = unit.rows[(num, suffix)][0]
            label = address_label(unit.name, format_housenumber(num, suffix), self._where(unit, row))
            out.append(Suggestion(label, unit.name, unit.postcode, num, self._ids[row], 0.0, self._point(row)))
        return tuple(out)

    def _ambiguous(self, parsed: ParsedAddress, ranked, limit: int) -> LookupResult:
        suggestions = tuple(self._suggest(u, parsed, min(s, 100.0)) for s, _r, u in ranked[:limit])
        options = "; ".join(s.label for s in suggestions)
        return LookupResult(text=parsed.text, status=LookupStatus.AMBIGUOUS, suggestions=suggestions, parsed=parsed,
                            message=t("lookup.msg.ambiguous", text=parsed.text, options=options))

    def _not_found(self, parsed: ParsedAddress, *, foreign_postcode: bool = False) -> LookupResult:
        if foreign_postcode:
            message = t("lookup.msg.foreign_postcode", text=parsed.text, postcode=parsed.postcode,
                        postcodes=", ".join(sorted(self._postcodes)))
        else:
            message = t("lookup.msg.not_found", text=parsed.text)
        return LookupResult(text=parsed.text, status=LookupStatus.NOT_FOUND, parsed=parsed, message=message)

    # -------------------------------------------------------------------------------------------------- bulk
    def lookup_many(self, texts: pd.Series | list[str], *, limit: int = 3) -> pd.DataFrame:
        """Look up many texts; one row per input (indexed like ``texts``), each distinct text looked up once.

        Columns: status, message, address_id, street, housenumber (label), postcode, deelgemeente, score,
        suggestions (labels joined with ``" | "``) and ``geometry`` (a GeoDataFrame in EPSG:31370).
        """
        series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts))
        cache: dict[str, LookupResult] = {}
        results = []
        for value in series.tolist():
            key = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
            if key not in cache:
                cache[key] = self.lookup(key, limit=limit)
            results.append(cache[key])
        frame = pd.DataFrame(
            {
                "status": [r.status for r in results],
                "message": [r.message for r in results],
                "address_id": [r.address_id for r in results],
                "street": [r.street for r in results],
                "housenumber": [r.housenumber_label or None for r in results],
                "postcode": [r.postcode for r in results],
                "deelgemeente": [r.deelgemeente for r in results],
                "score": [r.score for r in results],
                "suggestions": [" | ".join(s.label for s in r.suggestions) or None for r in results],
            },
            index=series.index,
        )
        for column in ("status", "message", "address_id", "street", "housenumber", "postcode", "deelgemeente",
                       "suggestions"):
            frame[column] = frame[column].astype("str")
        return gpd.GeoDataFrame(frame, geometry=[r.point for r in results], crs=WORKING_CRS)

    @property
    def postcodes(self) -> set[str]:
        """The postcodes of the register."""
        return set(self._postcodes)

    def street_names(self) -> list[str]:
        """Every street name the index knows (for a type-ahead list), sorted."""
        return sorted({u.name for units in self._streets.values() for u in units})


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


