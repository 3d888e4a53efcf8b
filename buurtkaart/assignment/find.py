"""Text → group, composed once for every front end: typed text → the address found, how it was found, its group(s),
the street answer and a Dutch message.

The page *Welke groep?*, ``buurtkaart lookup``, the public API (``buurtkaart serve``) and the application form
(:func:`buurtkaart.members.membership.submit_application`) call :func:`find_group`; bulk assignment
(:func:`buurtkaart.assignment.bulk.assign_people`) calls its vectorised sibling :func:`find_groups`. So they all
say the same thing. :class:`FindIndex` holds what an answer needs (the geocoder, the groups and, for the street
answer, the per-street index), built once per workspace version. Nothing of the query is kept.

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["W"], "name": ["West"]}, geometry=[shapely.box(0, 0, 100, 100)],
...     crs="EPSG:31370")
>>> adr = gpd.GeoDataFrame({"address_id": ["a1", "a2"], "street": ["Kerkstraat"] * 2, "housenumber": [1, 201],
...     "postcode": ["1730"] * 2}, geometry=[shapely.Point(50, 50), shapely.Point(300, 50)], crs="EPSG:31370")
>>> index = FindIndex.from_layers(adr, groups)
>>> answer = find_group("kerkstr 1", index=index)
>>> answer.status, answer.group_ids, answer.message
('toegewezen', ('W',), 'Uw adres ligt in het gebied van groep West.')
>>> find_group("Kerkstraat 201", index=index).nearest
(('W', 'West', 200.0),)
>>> find_group("", index=index)
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
import numpy as np
import pandas as pd

from buurtkaart._disk_cache import disk_cached
from buurtkaart.assignment.points import GroupIndex
from buurtkaart.assignment.streets import StreetAnswer, StreetIndex
from buurtkaart.errors import InputError
from buurtkaart.geocoding.addressing import parse_address
from buurtkaart.geocoding.lookup import AddressIndex, LookupResult
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vocabulary import (
    COVERED_STATUSES,
    LOOKUP_FOUND_STATUSES,
    UNSURE_LOOKUP_STATUSES,
    AddressStatus,
    LookupStatus,
)

__all__ = ["FIND_COLUMNS", "MAX_QUERY_CHARS", "FindIndex", "GroupAnswer", "check_query", "find_group", "find_groups"]

#: The longest query answered: a Flemish address with box, postcode and place fits in well under this.
MAX_QUERY_CHARS = 200
#: The columns of :func:`find_groups`, in order.
FIND_COLUMNS = ("status", "group_id", "group_name", "groups", "nearest", "address_found", "address_id",
                "lookup_status", "suggestions", "message")


@dataclass(frozen=True)
class GroupAnswer:
    """The answer to one query. ``status`` is the group status of the found point (see
    :data:`buurtkaart.assignment.points.STATUSES`), ``None`` when no point was found; ``group_ids`` are the groups
    to show (the covering group(s), else the nearest group, else the groups of the street); ``nearest`` lists
    ``(group_id, name, distance_m)`` for an uncovered address; ``lookup`` says which address was found and how
    (its ``status``: exact, fuzzy_street, interpolated, street_only, ambiguous, not_found)."""

    lookup: LookupResult
    status: str | None
    group_ids: tuple[str, ...]
    group_names: tuple[str, ...]
    nearest: tuple[tuple[str, str, float], ...]
    street: StreetAnswer | None
    message: str

    @property
    def covered(self) -> bool:
        return self.status in COVERED_STATUSES

    @property
    def group_id(self) -> str | None:
        """The one group of the address (``toegewezen``); ``None`` for an overlap, no group or no point."""
        return self.group_ids[0] if self.status == AddressStatus.TOEGEWEZEN else None

    @property
    def group_name(self) -> str | None:
        return self.group_names[0] if self.status == AddressStatus.TOEGEWEZEN else None

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


class FindIndex:
    """The geocoder, the groups and (optionally) the per-street index: everything :func:`find_group` needs.

    Without ``streets`` an answer carries no street answer (the application form and bulk assignment need none,
    and skip building it)."""

    def __init__(self, addresses: AddressIndex, groups: GroupIndex, streets: StreetIndex | None = None) -> None:
        self.addresses = addresses
        self.groups = groups
        self.streets = streets

    @classmethod
    def from_layers(cls, addresses: gpd.GeoDataFrame, groups: gpd.GeoDataFrame, *,
                    streets: gpd.GeoDataFrame | None = None, municipality_area: Any = None,
                    municipality_name: str | None = None) -> FindIndex:
        """Built from the ``addresses``, ``groups`` and (optionally) road ``streets`` layers; ``municipality_area``
        (a geometry or frame in EPSG:31370) marks points outside it, ``municipality_name`` is the name a place
        may be written as (see :meth:`AddressIndex.from_layers`)."""
        # the register's addresses are the municipality's own (a few metres over the border is not outside)
        group_index = GroupIndex(groups, municipality_area=municipality_area, own_points=addresses.geometry)
        return cls(AddressIndex.from_layers(addresses, streets, municipality_name=municipality_name), group_index,
                   StreetIndex(addresses, group_index))

    @classmethod
    def from_workspace(cls, ws: Any, *, street_answers: bool = True) -> FindIndex:
        """Built from a workspace's ``addresses``, ``streets``, ``groups`` and ``municipality`` layers
        (``street_answers=False``: without the per-street index)."""
        groups = GroupIndex.from_workspace(ws)
        return cls(AddressIndex.from_workspace(ws), groups,
                   StreetIndex(ws.read("addresses"), groups) if street_answers else None)

    @classmethod
    def cached(cls, ws: Any) -> FindIndex:
        """:meth:`from_workspace`, kept in a cache file per workspace version (:mod:`buurtkaart._disk_cache`), so
        a freshly started server answers its first resident without building the index again."""
        return disk_cached(ws, "resident", cls.from_workspace)


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


def find_group(text: str, *, index: FindIndex, limit: int = 5) -> GroupAnswer:
    """Which group covers the address or street in ``text``; see the module docstring.

    Parameters
    ----------
    text
        What a resident typed: an address (street and house number) or a street name.
    index
        The :class:`FindIndex` of the workspace.
    limit
        The most suggestions kept for an ambiguous or unknown address.

    Returns
    -------
    GroupAnswer
        The found address and how it was found, the group(s), the street answer and the Dutch message. An empty,
        too long or binary ``text`` raises :class:`~buurtkaart.errors.InputError`.
    """
    result = index.addresses.lookup(check_query(text), limit=limit)
    groups = index.groups
    street = None
    if index.streets is not None and result.street and result.status not in UNSURE_LOOKUP_STATUSES:
        street = index.streets.answer(result.street, postcode=result.postcode, deelgemeente=result.deelgemeente)
    status: str | None = None
    ids: tuple[str, ...] = ()
    nearest: tuple[tuple[str, str, float], ...] = ()
    if result.found and result.point is not None:
        status, covering, near = groups.assign_point(result.point)
        if status in COVERED_STATUSES:
            ids = tuple(str(g) for g in covering)
        elif status == AddressStatus.NIET_GEDEKT:
            nearest = tuple((str(g), groups.name_of(str(g)), float(d)) for g, d in near[:3])
            ids = tuple(g for g, _n, _d in nearest[:1])
    elif street is not None:
        ids = street.group_ids
    names = tuple(groups.name_of(g) for g in ids)
    return GroupAnswer(lookup=result, status=status, group_ids=ids, group_names=names, nearest=nearest,
                       street=street, message=_message(result, status, names, nearest, street))


def find_groups(texts: pd.Series, *, index: FindIndex) -> pd.DataFrame:
    """:func:`find_group` for many texts at once (each distinct text looked up once, the points assigned in one
    vector pass), as a frame indexed like ``texts`` with the columns :data:`FIND_COLUMNS`.

    ``status`` is a group status of :data:`buurtkaart.assignment.points.STATUSES`, or ``adres_niet_gevonden`` (not
    found, or not unambiguously: ``suggestions`` holds the register's), or ``buiten_gemeente`` also for an
    address whose postcode is not one of the register's (another municipality). ``message`` is the lookup's.
    """
    texts = texts.astype("object").where(texts.notna(), "").astype(str).str.strip()
    found = index.addresses.lookup_many(texts)
    ok = found["status"].isin(LOOKUP_FOUND_STATUSES).to_numpy()
    status = np.full(len(texts), AddressStatus.ADRES_NIET_GEVONDEN.value, dtype=object)
    foreign = _foreign_postcode(texts, index.addresses) & ~ok
    status[foreign] = AddressStatus.BUITEN_GEMEENTE.value
    group_id = pd.Series(pd.NA, index=texts.index, dtype="str")
    groups_col = pd.Series([()] * len(texts), index=texts.index, dtype=object)
    nearest_col = pd.Series([()] * len(texts), index=texts.index, dtype=object)
    if ok.any():
        assigned = index.groups.assign(gpd.GeoSeries(found.geometry[ok], crs=WORKING_CRS))
        status[ok] = assigned["status"].to_numpy(dtype=object)
        group_id[ok] = assigned["group_id"]
        groups_col[ok] = assigned["groups"]
        nearest_col[ok] = assigned["nearest"]
    out = pd.DataFrame(index=texts.index)
    out["status"] = pd.Series(status, index=texts.index, dtype="str")
    out["group_id"] = group_id
    out["group_name"] = pd.Series([index.groups.name_of(g) if isinstance(g, str) else None for g in group_id],
                                  index=texts.index, dtype="str")
    out["groups"] = groups_col.map(lambda g: ", ".join(g)).astype("str")
    out["nearest"] = nearest_col.map(lambda n: ", ".join(f"{g} ({d:.0f} m)" for g, d in n)).astype("str")
    labels = (found["street"].fillna("") + " " + found["housenumber"].fillna("")).str.strip()
    labels = (labels + ", " + found["postcode"].fillna("")).str.strip(" ,")
    out["address_found"] = labels.where(pd.Series(ok, index=texts.index)).astype("str")
    out["address_id"] = found["address_id"]
    out["lookup_status"] = found["status"]
    out["suggestions"] = found["suggestions"]
    out["message"] = found["message"]
    if foreign.any():
        out.loc[foreign, "message"] = [t("assign.msg.foreign_postcode", postcode=parse_address(x).postcode)
                                       for x in texts[foreign].tolist()]
    return out


def _foreign_postcode(texts: pd.Series, index: AddressIndex) -> np.ndarray:
    known = index.postcodes
    if not known:
        return np.zeros(len(texts), dtype=bool)
    return np.array([(pc := parse_address(x).postcode) is not None and pc not in known for x in texts.tolist()],
                    dtype=bool)


def _message(result: LookupResult, status: str | None, names: tuple[str, ...],
             nearest: tuple[tuple[str, str, float], ...], street: StreetAnswer | None) -> str:
    if result.status == LookupStatus.NOT_FOUND:
        return t("resident.not_found")
    if result.status == LookupStatus.AMBIGUOUS:
        return t("resident.ambiguous", suggestions="; ".join(s.label for s in result.suggestions))
    if status is None:
        return t("resident.street_only", street=street.text if street is not None else "")
    if status == AddressStatus.TOEGEWEZEN:
        return t("resident.covered", group=names[0])
    if status == AddressStatus.OVERLAP:
        return t("resident.overlap", groups=", ".join(names))
    if status == AddressStatus.BUITEN_GEMEENTE:
        return t("resident.outside")
    if nearest:
        items = ", ".join(t("resident.nearest_item", group=n, distance=round(d)) for _g, n, d in nearest)
        return t("resident.uncovered_nearest", nearest=items)
    return t("resident.uncovered")
