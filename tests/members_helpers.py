"""Shared by the membership tests: the actors, a tiny local fake of the address lookup, a workspace, apply()."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import ClassVar

import geopandas as gpd
import shapely

from buurtkaart import _records
from buurtkaart.members import membership
from buurtkaart.members.accounts import User
from buurtkaart.members.membership import Application
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import X0, Y0, pt

STAFF = User("gemeente1", "staff")
POLICE = User("politie1", "police")
CO1 = User("coord1", "coordinator", ("G1",))
CO2 = User("coord2", "coordinator", ("G2",))
DAY = dt.date(2026, 3, 1)


class FakeIndex:
    """Stands in for buurtkaart.geocoding.lookup.AddressIndex: ``<street> <number>`` along a line y = 50."""

    streets: ClassVar[dict[str, float]] = {"Weststraat": 0.0, "Ooststraat": 100.0, "Veldweg": 200.0}

    def lookup(self, text: str, *, limit: int = 5):
        street, _, rest = text.partition(" ")
        number = rest.split(",")[0].strip()
        if street not in self.streets or not number.isdigit():
            return SimpleNamespace(status="not_found", found=False, point=None, address_id=None, street=None,
                                   housenumber=None,
                                   suggestions=["Weststraat 1, 9990 Teststad", "Ooststraat 1, 9990 Teststad"])
        n = int(number)
        x = self.streets[street] + 5 + n  # odd and even numbers along the street
        return SimpleNamespace(status="exact", found=True, point=pt(x, 50 + (5 if n % 2 else -5)),
                               address_id=f"{street}-{n}", street=street, housenumber=str(n), suggestions=[])


def register(ws: Workspace, *users: User, active: str = "ja") -> None:
    """Store ``users`` as accounts (without a password: they cannot log in, but the library, which re-reads every
    actor from the users table, accepts them)."""
    with ws.transaction() as con:
        _records.ensure_table(con, "users")
        for user in users:
            _records.insert(con, "users", {"username": user.username, "role": user.role,
                                           "group_ids": ",".join(user.group_ids), "active": active,
                                           "display_name": user.display_name or user.username})


def make_ws(where, two_squares) -> Workspace:
    """The drawable town with a municipality reaching to x = 300 (so x = 250 is in no group), with the accounts
    STAFF, POLICE, CO1 and CO2.

    ``where`` is a folder (the workspace is ``m.gpkg`` in it) or a workspace location (file or server URL)."""
    municipality = gpd.GeoDataFrame({"code": ["99999"], "name": ["Teststad"]},
                                    geometry=[shapely.box(X0, Y0, X0 + 300, Y0 + 100)], crs=WORKING_CRS)
    location = where if isinstance(where, str) else where / "m.gpkg"
    ws = Workspace.create(location, {"groups": two_squares, "municipality": municipality},
                          municipality="Teststad", fictional=True)
    register(ws, STAFF, POLICE, CO1, CO2)
    return ws


def apply(ws, address="Weststraat 3", name="Jan Peeters", phone="0470 12 34 56", **kw):
    app = Application(name=name, address_text=address, phone=phone, email=kw.pop("email", "jan@voorbeeld.be"),
                      declaration_accepted=kw.pop("declaration", True), consent_police=kw.pop("consent", True))
    return membership.submit_application(ws, app, index=FakeIndex(), today=kw.pop("today", DAY))


def seed(ws: Workspace, layers: dict) -> None:
    """Test seeding only: write layers whole, also those the library changes only record by record."""
    from buurtkaart import workspace as module

    saved = module.RECORD_ONLY_LAYERS
    module.RECORD_ONLY_LAYERS = ()
    try:
        ws.write(layers)
    finally:
        module.RECORD_ONLY_LAYERS = saved
