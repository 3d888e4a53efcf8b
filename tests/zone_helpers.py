"""Shared by the zone tests: two municipalities of zone AMOW (Asse 23002, Merchtem 23052) on the test server, each
the drawable town with its own accounts and one candidate, and the zone with one police account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from buurtkaart import zones
from buurtkaart.members.accounts import User
from buurtkaart.schema import WORKING_CRS
from buurtkaart.workspace import Workspace
from tests.conftest import pt
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


def _addresses(postcode: str, place: str) -> gpd.GeoDataFrame:
    """Three addresses along the Weststraat of the drawable town (the public page needs an address register)."""
    return gpd.GeoDataFrame(
        {"address_id": [f"{postcode}-{n}" for n in (1, 2, 3)], "street": ["Weststraat"] * 3,
         "housenumber": pd.array([1, 2, 3], dtype="Int64"), "suffix": [None] * 3, "box": [None] * 3,
         "postcode": [postcode] * 3, "deelgemeente": [place] * 3, "register_status": ["inGebruik"] * 3},
        geometry=[pt(6 + n, 50) for n in (1, 2, 3)], crs=WORKING_CRS)


def make_zone(pg_location: Callable[[str], str], two_squares: gpd.GeoDataFrame) -> Zone:
    asse_url, merchtem_url, zone_url = pg_location("asse"), pg_location("merchtem"), pg_location("zone")
    asse, merchtem = make_ws(asse_url, two_squares), make_ws(merchtem_url, two_squares)
    for ws, name, postcode in [(asse, "Asse", "1730"), (merchtem, "Merchtem", "1785")]:
        ws.set_metadata(municipality=name)
        ws.write({"addresses": _addresses(postcode, name)})
    register(asse, ASSE_STAFF, ASSE_CO)
    register(merchtem, MERCHTEM_STAFF)
    a = apply(asse, name="Jan Asse").member_id
    m = apply(merchtem, "Ooststraat 4", name="Piet Merchtem").member_id
    zone = zones.create_zone(zone_url, "AMOW")
    zones.add_municipality(zone, asse_url, nis_code="23002")
    zones.add_municipality(zone, merchtem_url, nis_code="23052")
    zones.add_police(zone, ZONE_POLICE, PASSWORD)
    return Zone(zone, asse, merchtem, a, m, zone_url, asse_url, merchtem_url)
