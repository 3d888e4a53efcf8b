"""Shared by the zone tests: two municipalities of zone AMOW (Asse 23002, Merchtem 23052) on the test server, each
the drawable town with its own accounts and one candidate, and the zone with one police account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd

from buurtkaart import zones
from buurtkaart.accounts import User
from buurtkaart.workspace import Workspace
from tests.members_helpers import apply, make_ws, register

ASSE_STAFF = User("asse.staff", "staff")
ASSE_CO = User("asse.coord", "coordinator", ("G1",))
MERCHTEM_STAFF = User("merchtem.staff", "staff")
ZONE_POLICE = "zone.politie"
PASSWORD = "lang-genoeg-wachtwoord"


@dataclass
class Zone:
    zone: Workspace
    asse: Workspace
    merchtem: Workspace
    asse_candidate: str
    merchtem_candidate: str
    zone_url: str
    asse_url: str
    merchtem_url: str


def make_zone(pg_location: Callable[[str], str], two_squares: gpd.GeoDataFrame) -> Zone:
    asse_url, merchtem_url, zone_url = pg_location("asse"), pg_location("merchtem"), pg_location("zone")
    asse, merchtem = make_ws(asse_url, two_squares), make_ws(merchtem_url, two_squares)
    register(asse, ASSE_STAFF, ASSE_CO)
    register(merchtem, MERCHTEM_STAFF)
    a = apply(asse, name="Jan Asse").member_id
    m = apply(merchtem, "Ooststraat 4", name="Piet Merchtem").member_id
    zone = zones.create_zone(zone_url, "AMOW")
    zones.add_municipality(zone, asse_url, nis_code="23002")
    zones.add_municipality(zone, merchtem_url, nis_code="23052")
    zones.add_police(zone, ZONE_POLICE, PASSWORD)
    return Zone(zone, asse, merchtem, a, m, zone_url, asse_url, merchtem_url)
