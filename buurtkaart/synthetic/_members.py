"""Fictional members of the demo groups, and a few candidates whose address is a problem.

Regular members (``M0001``...) live at an address inside their group's area (in the overlap of two groups the
municipality chose one: ``assign_status`` ``toegewezen_door_gemeente``). Each went through the steps of
:mod:`buurtkaart.members.membership` up to their status, with the demo accounts as actors (``demo-politie`` screens,
``demo-coordinator`` adds members of G01, ``demo-coordinator2`` of G02, ``demo-gemeente`` the others).

The problem cases have ids of their own so that tests and demos can find them:

* ``M9001``-``M9004``: a typo or loose spelling in ``address_text`` (the address itself exists and is linked);
* ``M9011``: a street that does not exist (no address, no group; the point only locates the deelgemeente, in a
  place no group covers; ``assign_status`` is ``geen_punt``);
* ``M9021``: an address outside the municipality (no address, no group);
* ``M9031``-``M9036``: candidates living where no group is active (a gap: address linked, no group).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import shapely

from buurtkaart.members.membership import declaration
from buurtkaart.synthetic._reference import ascii_slug, reference
from buurtkaart.vocabulary import AddressStatus, MemberStatus

#: The day the demo data describes (fixed, so that the same seed always gives the same dates).
REFERENCE_DAY = dt.date(2026, 11, 1)
_STATUSES = [MemberStatus.LID, MemberStatus.KANDIDAAT, MemberStatus.GOEDGEKEURD, MemberStatus.GEWEIGERD,
             MemberStatus.VERTROKKEN]
_STATUS_P = [0.86, 0.05, 0.05, 0.02, 0.02]
_TYPOS = [("Nerviërsstraat", "Nervierstraat"), ("Brusselsesteenweg", "Brusselse stwg."),
          ("Jan Dekinderstraat", "J. Dekinderstraat"), ("Kerkstraat", "Kerkstaat")]


def address_text(row: pd.Series, street: str | None = None) -> str:
    """'Kerkstraat 12A bus 3, 9995 Demodorp' for one address row."""
    number = f"{row['housenumber']}{row['suffix'] if isinstance(row['suffix'], str) else ''}"
    box = f" bus {row['box']}" if isinstance(row["box"], str) and row["box"] else ""
    return f"{street or row['street']} {number}{box}, {row['postcode']} {row['deelgemeente']}"


_POLICE = "demo-politie"
_STAFF = "demo-gemeente"
_PUBLIC = "publiek"
_COORDINATORS = {"G01": "demo-coordinator", "G02": "demo-coordinator2"}  # the demo accounts (accounts.py)


def _workflow(rng: np.random.Generator, status: str, group_id: object) -> dict[str, object]:
    """Dates and actors of each step a member went through (see buurtkaart.members.membership), ending in ``status``."""
    age = {MemberStatus.LID: (60, 2700), MemberStatus.KANDIDAAT: (0, 40), MemberStatus.GOEDGEKEURD: (15, 70),
           MemberStatus.GEWEIGERD: (60, 1500), MemberStatus.VERTROKKEN: (500, 2600)}[MemberStatus(status)]
    applied = REFERENCE_DAY - dt.timedelta(days=int(rng.integers(age[0], age[1] + 1)))
    out: dict[str, object] = {"applied_on": applied.isoformat(), "declared_on": applied.isoformat(),
                              "declaration_version": declaration()["version"], "consent_police": "ja",
                              "status_on": applied.isoformat(), "status_by": _PUBLIC}
    if status == MemberStatus.KANDIDAAT:
        return out
    screened = applied + dt.timedelta(days=int(rng.integers(5, 16)))
    out.update(screened_on=screened.isoformat(), screened_by=_POLICE, status_on=screened.isoformat(),
               status_by=_POLICE)
    if status == MemberStatus.GEWEIGERD:
        out["refusal_reason"] = "Negatief advies na screening (fictief)"
    if status in (MemberStatus.GOEDGEKEURD, MemberStatus.GEWEIGERD):
        return out
    coordinator = _COORDINATORS.get(str(group_id), _STAFF)
    added = screened + dt.timedelta(days=int(rng.integers(2, 21)))
    out.update(added_on=added.isoformat(), added_by=coordinator, status_on=added.isoformat(), status_by=coordinator)
    if rng.random() < 0.85:
        sticker = added + dt.timedelta(days=int(rng.integers(3, 31)))
        out.update(sticker_on=min(sticker, REFERENCE_DAY).isoformat(), sticker_by=coordinator)
    if status == MemberStatus.VERTROKKEN:
        left = added + dt.timedelta(days=int(rng.integers(200, 451)))
        out.update(left_on=left.isoformat(), status_on=left.isoformat(), status_by=_STAFF)
    return out


class _People:
    """Fictional people: name, phone 04xx xx xx xx, e-mail @example.be (unique)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._ref = reference()
        self._emails: set[str] = set()

    def person(self, last: str | None = None) -> tuple[str, str, str]:
        rng, ref = self._rng, self._ref
        first = ref["first_names"][int(rng.integers(len(ref["first_names"])))]
        last = last or ref["last_names"][int(rng.integers(len(ref["last_names"])))]
        digits = rng.integers(0, 10, size=6)
        phone = f"04{int(rng.integers(60, 100))} {digits[0]}{digits[1]} {digits[2]}{digits[3]} {digits[4]}{digits[5]}"
        base = ascii_slug(f"{first} {last}")
        email, k = f"{base}@example.be", 2
        while email in self._emails:
            email, k = f"{base}{k}@example.be", k + 1
        self._emails.add(email)
        return f"{first} {last}", phone, email


def town_members(rng: np.random.Generator, addresses: pd.DataFrame, covering: pd.Series, in_overlap: pd.Series,
                 deelgemeenten: pd.DataFrame, municipality: shapely.Geometry,
                 groups_union: shapely.Geometry) -> pd.DataFrame:
    """About 1,500 members as a plain frame with the members columns and x, y.

    ``covering`` holds, per address (same index), the id of the group whose area holds it (NA when none),
    ``in_overlap`` whether two groups hold it; ``groups_union`` is the area of all groups together.
    """
    people = _People(rng)
    rows: list[dict[str, object]] = []

    def add(member_id: str, addr: pd.Series | None, group: object, status: str, assign_status: str,
            text: str | None = None, xy: tuple[float, float] | None = None, last: str | None = None) -> str:
        name, phone, email = people.person(last)
        point = xy if xy is not None else (addr["x"], addr["y"])  # type: ignore[index]
        rows.append({"member_id": member_id, "name": name, "phone": phone, "email": email,
                     "address_text": text or address_text(addr),  # type: ignore[arg-type]
                     "address_id": None if addr is None else addr["address_id"],
                     "group_id": None if pd.isna(group) else group, "status": status,
                     "street": None if addr is None else addr["street"],
                     "housenumber": None if addr is None else addr["housenumber"],
                     "assign_status": assign_status, **_workflow(rng, status, group), "x": point[0], "y": point[1]})
        return name.split(" ", 1)[1]

    counter = 0
    for group_id in sorted(covering.dropna().unique()):
        pool = covering.index[covering == group_id].to_numpy()
        size = min(len(pool), int(rng.integers(35, 80)))
        for idx in rng.choice(pool, size=size, replace=False):
            counter += 1
            status = str(rng.choice(_STATUSES, p=_STATUS_P))
            # in the overlap the municipality chose the group
            how = AddressStatus.TOEGEWEZEN_DOOR_GEMEENTE if in_overlap[idx] else AddressStatus.TOEGEWEZEN
            last = add(f"M{counter:04d}", addresses.loc[idx], group_id, status, how)
            if rng.random() < 0.08:  # a partner at the same address
                counter += 1
                add(f"M{counter:04d}", addresses.loc[idx], group_id, MemberStatus.LID, how, last=last)
    _problem_members(rng, add, addresses, covering, deelgemeenten, municipality, groups_union)
    return pd.DataFrame(rows)


def _problem_members(rng, add, addresses, covering, deelgemeenten, municipality,  # type: ignore[no-untyped-def]
                     groups_union) -> None:
    covered = covering.notna()
    for k, (street, loose) in enumerate(_TYPOS, start=1):
        pool = addresses.index[(addresses["street"] == street) & covered]
        if len(pool) == 0:
            pool = addresses.index[covered]
        idx = pool[int(rng.integers(len(pool)))]
        addr = addresses.loc[idx]
        add(f"M90{k:02d}", addr, covering[idx], MemberStatus.LID, AddressStatus.TOEGEWEZEN,
            text=address_text(addr, street=loose))
    # an unknown street: the point is only the deelgemeente (postcode), somewhere no group is active
    first_dg = deelgemeenten.iloc[0]
    rough = shapely.difference(first_dg.geometry, groups_union).representative_point()
    add("M9011", None, pd.NA, MemberStatus.KANDIDAAT, AddressStatus.GEEN_PUNT, xy=(rough.x, rough.y),
        text=f"{reference()['unknown_street']} 7, {first_dg['postcode']} {first_dg['name']}")
    outside = reference()["outside_place"]
    minx, miny, _, maxy = municipality.bounds
    add("M9021", None, pd.NA, MemberStatus.KANDIDAAT, AddressStatus.BUITEN_GEMEENTE,
        xy=(minx - 600.0, (miny + maxy) / 2), text=f"{outside['street']} 14, {outside['postcode']} {outside['name']}")
    gap_pool = addresses.index[~covered & addresses["box"].eq("")]
    for k, idx in enumerate(rng.choice(gap_pool, size=6, replace=False), start=1):
        add(f"M903{k}", addresses.loc[idx], pd.NA, MemberStatus.KANDIDAAT, AddressStatus.NIET_GEDEKT)
