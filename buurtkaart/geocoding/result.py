"""What a lookup returns: how the address was found, where it is, and ranked suggestions when unsure.

>>> LookupResult(text="x", status="not_found", message="niet gevonden").found
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import shapely

from buurtkaart.geocoding.addressing import ParsedAddress, format_housenumber
from buurtkaart.vocabulary import LOOKUP_FOUND_STATUSES, LOOKUP_STATUSES

#: How a result was found, best first (:data:`buurtkaart.vocabulary.LOOKUP_STATUSES`).
STATUSES = LOOKUP_STATUSES
#: Statuses that come with a point of the address (:data:`buurtkaart.vocabulary.LOOKUP_FOUND_STATUSES`).
FOUND = LOOKUP_FOUND_STATUSES


@dataclass(frozen=True)
class Suggestion:
    """One ranked alternative: a label as a resident reads it, and where it is."""

    label: str
    street: str
    postcode: str | None
    housenumber: int | None
    address_id: str | None
    score: float
    point: shapely.Point | None = None


@dataclass(frozen=True)
class LookupResult:
    """The answer to one lookup. ``point`` is ``None`` unless ``status`` is in :data:`FOUND`."""

    text: str
    status: str
    message: str
    point: shapely.Point | None = None
    address_id: str | None = None
    street: str | None = None
    housenumber: int | None = None
    suffix: str | None = None
    box: str | None = None
    postcode: str | None = None
    deelgemeente: str | None = None
    score: float = 0.0
    suggestions: tuple[Suggestion, ...] = ()
    parsed: ParsedAddress | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # a LookupStatus member arrives as the plain string it stands for, as a caller stores and shows it
        object.__setattr__(self, "status", str(self.status))

    @property
    def found(self) -> bool:
        """True when the result carries the address's point."""
        return self.status in FOUND

    @property
    def housenumber_label(self) -> str:
        return format_housenumber(self.housenumber, self.suffix, self.box)

    @property
    def label(self) -> str:
        """``"Kerkstraat 12A, 1730 Mollem"``: the address as found, with its deelgemeente where it is known."""
        where = " ".join(str(p) for p in (self.postcode, self.deelgemeente) if p) or None
        return address_label(self.street or "", self.housenumber_label, where)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (coordinates in EPSG:31370 metres)."""
        return {
            "text": self.text, "status": self.status, "message": self.message, "label": self.label,
            "address_id": self.address_id, "street": self.street, "housenumber": self.housenumber_label or None,
            "postcode": self.postcode, "deelgemeente": self.deelgemeente, "score": round(self.score, 1),
            "x": None if self.point is None else round(self.point.x, 2),
            "y": None if self.point is None else round(self.point.y, 2),
            "suggestions": [{"label": s.label, "address_id": s.address_id, "score": round(s.score, 1)}
                            for s in self.suggestions],
        }


def address_label(street: str, number_label: str, postcode: str | None) -> str:
    head = f"{street} {number_label}".strip()
    return f"{head}, {postcode}" if postcode else head


def example_address(addresses: Any) -> str:
    """An address of this workspace to show as an example in a text box: the most common street name, a house
    number on it, its postcode and deelgemeente (``"Kerkstraat 12, 9995 Heikegem"``); a neutral example when
    there are no addresses.

    >>> import pandas as pd
    >>> example_address(pd.DataFrame({"street": ["Dorp", "Kerkstraat", "Kerkstraat"], "housenumber": [1, 12, 14],
    ...                               "postcode": ["9995"] * 3, "deelgemeente": ["Heikegem"] * 3}))
    'Kerkstraat 12, 9995 Heikegem'
    """
    from buurtkaart.texts import t

    if addresses is None or not len(addresses) or "street" not in addresses.columns:
        return t("lookup.example_address")
    street = str(addresses["street"].value_counts().index[0])
    row = addresses[addresses["street"] == street].iloc[0]
    where = " ".join(str(row[c]) for c in ("postcode", "deelgemeente") if c in row.index and isinstance(row[c], str))
    return address_label(street, str(int(row["housenumber"])) if row["housenumber"] == row["housenumber"] else "",
                         where or None)
