"""A drawable town for the boundaries tests (local metres, origin (150000, 170000), EPSG:31370)::

      y
    200 +---------------------+---------------------+   municipality: 0..400 x 0..200
        |  even 2..18 (y=115) |  even 20..38        |   Dorpstraat: y = 100, x 0..400
    100 +=====Dorpstraat======+=====================+   Kerkstraat: x = 200, y 0..200
        |  odd 1..17 (y=85)   |  odd 19..37         |   houses every 20 m at x = 10, 30, ..., 390
      0 +---------------------+---------------------+
        0          G1        200        G2        400   G1 = west half, G2 = east half (meet at x = 200)
"""

from __future__ import annotations

import geopandas as gpd
import shapely

from buurtkaart.schema import WORKING_CRS
from tests.conftest import X0, Y0, pt, square


def line(*coords: tuple[float, float]) -> shapely.LineString:
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in coords])


def poly(*coords: tuple[float, float]) -> shapely.Polygon:
    return shapely.Polygon([(X0 + x, Y0 + y) for x, y in coords])


def municipality() -> shapely.Polygon:
    return shapely.box(X0, Y0, X0 + 400, Y0 + 200)


def streets() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"street_id": [1, 2, 3], "name": ["Dorpstraat", "Dorpstraat", "Kerkstraat"],
         "road_class": ["minor", "minor", "minor"]},
        geometry=[line((0, 100), (200, 100)), line((200, 100), (400, 100)), line((200, 0), (200, 200))],
        crs=WORKING_CRS,
    )


def addresses() -> gpd.GeoDataFrame:
    """Dorpstraat: odd numbers on the south side (y = 85), even on the north side (y = 115), two per 20 m."""
    rows = []
    for i in range(20):
        x = 10 + 20 * i
        rows.append((f"D{2 * i + 1}", "Dorpstraat", 2 * i + 1, pt(x, 85)))
        rows.append((f"D{2 * i + 2}", "Dorpstraat", 2 * i + 2, pt(x, 115)))
    for j, y in enumerate((20, 50, 150, 180)):
        rows.append((f"K{2 * j + 1}", "Kerkstraat", 2 * j + 1, pt(190, y)))
        rows.append((f"K{2 * j + 2}", "Kerkstraat", 2 * j + 2, pt(210, y)))
    ids, names, numbers, geoms = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"address_id": list(ids), "street": list(names), "housenumber": list(numbers), "postcode": "1730"},
        geometry=list(geoms), crs=WORKING_CRS,
    )


def groups() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"group_id": ["G1", "G2"], "name": ["West", "Oost"]},
        geometry=[shapely.MultiPolygon([square(0, 0, 200)]), shapely.MultiPolygon([square(200, 0, 200)])],
        crs=WORKING_CRS,
    )
