"""The resident's question, answered once for every front end: typed text → the address found, its group(s), the
street answer and a Dutch message.

The page *Welke groep?*, ``buurtkaart lookup`` and the public API (``buurtkaart serve``) all call
:func:`resident_answer`, so they say the same thing. :class:`ResidentIndex` holds what an answer needs (the
geocoder, the groups and the per-street index), built once per workspace version. Nothing of the query is kept.

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["W"], "name": ["West"]}, geometry=[shapely.box(0, 0, 100, 100)],
...     crs="EPSG:31370")
>>> adr = gpd.GeoDataFrame({"address_id": ["a1", "a2"], "street": ["Kerkstraat"] * 2, "housenumber": [1, 201],
...     "postcode": ["1730"] * 2}, geometry=[shapely.Point(50, 50), shapely.Point(300, 50)], crs="EPSG:31370")
>>> index = ResidentIndex.from_layers(adr, groups)
>>> answer = resident_answer("kerkstr 1", index=index)
>>> answer.status, answer.group_ids, answer.message
('toegewezen', ('W',), 'Uw adres ligt in het gebied van groep West.')
>>> resident_answer("Kerkstraat 201", index=index).nearest
(('W', 'West', 200.0),)
>>> resident_answer("", index=index)
Traceback (most recent call last):
...
buurtkaart.errors.InputError: Deze zoekvraag kunnen we niet beantwoorden.
- Typ een adres (straat en huisnummer) of een straatnaam.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import geopandas as gpd

from buurtkaart.assignment.streets import StreetAnswer, StreetIndex
from buurtkaart.errors import InputError
from buurtkaart.geocoding.lookup import AddressIndex, LookupResult
from buurtkaart.texts import t

__all__ = ["MAX_QUERY_CHARS", "ResidentAnswer", "ResidentIndex", "check_query", "resident_answer"]

#: The longest query answered: a Flemish address with box, postcode and place fits in well under this.
MAX_QUERY_CHARS = 200


@dataclass(frozen=True)
class ResidentAnswer:
    """The answer to one query. ``status`` is the group status of the found point (see
    :data:`buurtkaart.assignment.points.STATUSES`), ``None`` when no point was found; ``group_ids`` are the groups
    to show
    (the covering group(s), else the nearest group, else the groups of the street); ``nearest`` lists
    ``(group_id, name, distance_m)`` for an uncovered address."""

    lookup: LookupResult
    status: str | None
    group_ids: tuple[str, ...]
    group_names: tuple[str, ...]
    nearest: tuple[tuple[str, str, float], ...]
    street: StreetAnswer | None
    message: str

    @property
    def covered(self) -> bool:
        return self.status in ("toegewezen", "overlap")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the lookup (coordinates in EPSG:31370 metres), the covering groups, the groups to show
        on a map (``highlight``), the nearest groups, the street answer and the message."""
        return {
            "address": self.lookup.to_dict(),
            "status": self.status,
            "groups": [{"group_id": g, "name": n} for g, n in zip(self.group_ids, self.group_names, strict=True)
                       if self.covered],
            "highlight": list(self.group_ids),
            "nearest": [{"group_id": g, "name": n, "distance_m": d} for g, n, d in self.nearest],
            "street": None if self.street is None else {
                "street": self.street.street, "postcode": self.street.postcode, "text": self.street.text,
                "group_ids": list(self.street.group_ids)},
            "message": self.message,
        }


class ResidentIndex:
    """The geocoder, the groups and the per-street index: everything :func:`resident_answer` needs."""

    def __init__(self, addresses: AddressIndex, streets: StreetIndex) -> None:
        self.addresses = addresses
        self.streets = streets
        self.groups = streets.groups

    @classmethod
    def from_layers(cls, addresses: gpd.GeoDataFrame, groups: gpd.GeoDataFrame, *, streets: Any = None,
                    municipality: Any = None, municipality_name: str | None = None) -> ResidentIndex:
        return cls(AddressIndex.from_layers(addresses, streets, municipality=municipality_name),
                   StreetIndex(addresses, groups, municipality=municipality))

    @classmethod
    def from_workspace(cls, ws: Any) -> ResidentIndex:
        """Built from a workspace's ``addresses``, ``streets``, ``groups`` and ``municipality`` layers."""
        return cls(AddressIndex.from_workspace(ws), StreetIndex.from_workspace(ws))


def check_query(text: object) -> str:
    """The query, stripped, or an :class:`InputError` saying what is wrong with it (empty, too long, binary)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    query = " ".join(str(text if text is not None else "").split())
    problems = []
    if not query:
        problems.append(t("resident.error.empty"))
    elif len(query) > MAX_QUERY_CHARS:
        problems.append(t("resident.error.too_long", length=len(query), limit=MAX_QUERY_CHARS))
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") or c == "\ufffd" for c in query):
        problems.append(t("resident.error.control"))
    if problems:
        raise InputError(t("resident.error.query"), problems=problems)
    return query


def resident_answer(text: str, *, index: ResidentIndex, limit: int = 5) -> ResidentAnswer:
    """Which group covers the address or street in ``text``; see the module docstring."""
    result = index.addresses.lookup(check_query(text), limit=limit)
    groups = index.groups
    street = None
    if result.street and result.status not in ("ambiguous", "not_found"):
        street = index.streets.answer(result.street, postcode=result.postcode, deelgemeente=result.deelgemeente)
    status: str | None = None
    ids: tuple[str, ...] = ()
    nearest: tuple[tuple[str, str, float], ...] = ()
    if result.found:
        status, covering, near = groups.assign_point(result.point)
        if status in ("toegewezen", "overlap"):
            ids = tuple(str(g) for g in covering)
        elif status == "niet_gedekt":
            nearest = tuple((str(g), groups.name_of(str(g)), float(d)) for g, d in near[:3])
            ids = tuple(g for g, _n, _d in nearest[:1])
    elif street is not None:
        ids = street.group_ids
    names = tuple(groups.name_of(g) for g in ids)
    return ResidentAnswer(lookup=result, status=status, group_ids=ids, group_names=names, nearest=nearest,
                          street=street, message=_message(result, status, names, nearest, street))


def _message(result: LookupResult, status: str | None, names: tuple[str, ...],
             nearest: tuple[tuple[str, str, float], ...], street: StreetAnswer | None) -> str:
    if result.status == "not_found":
        return t("resident.not_found")
    if result.status == "ambiguous":
        return t("resident.ambiguous", suggestions="; ".join(s.label for s in result.suggestions))
    if status is None:
        return t("resident.street_only", street=street.text if street is not None else "")
    if status == "toegewezen":
        return t("resident.covered", group=names[0])
    if status == "overlap":
        return t("resident.overlap", groups=", ".join(names))
    if status == "buiten_gemeente":
        return t("resident.outside")
    if nearest:
        items = ", ".join(t("resident.nearest_item", group=n, distance=round(d)) for _g, n, d in nearest)
        return t("resident.uncovered_nearest", nearest=items)
    return t("resident.uncovered")
