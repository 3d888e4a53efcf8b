"""Make a group area from real units: whole streets, street sides, house-number ranges, address blocks, or a gap.

A composed area is the union of the address cells (the Voronoi cells of the address points: every spot belongs
to the nearest address) of the chosen addresses, kept within ``reach_m`` of those addresses and their streets.
Because cells never hold another address, an area composed from the odd side of a street holds every odd house
and no even one, and a street taken whole keeps both of its sides.

>>> import geopandas as gpd, shapely
>>> pts = [shapely.Point(150000 + 20 * i, 170000 + (10 if i % 2 else -10)) for i in range(6)]
>>> addr = gpd.GeoDataFrame({"address_id": list("abcdef"), "street": ["Dorp"] * 6,
...                          "housenumber": [1, 2, 3, 4, 5, 6]}, geometry=pts, crs="EPSG:31370")
>>> odd = select_addresses(addr, [StreetPart("Dorp", side="odd")])
>>> area = compose_group(addr, odd)
>>> [bool(area.contains(p)) for p in pts]
[True, False, True, False, True, False]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import process
from shapely.geometry.base import BaseGeometry

from buurtkaart.boundaries._geom import as_geometry, near, polygonal, street_key
from buurtkaart.errors import InputError, NotFound
from buurtkaart.texts import t
from buurtkaart.validation import require_crs

Side = Literal["all", "odd", "even"]


@dataclass(frozen=True)
class StreetPart:
    """A whole street, one side of it (``"odd"``/``"even"``), optionally limited to a house-number range."""

    street: str
    side: Side = "all"
    from_number: int | None = None
    to_number: int | None = None
    #: Only the addresses of this deelgemeente (for a name that several deelgemeenten have); None: all.
    deelgemeente: str | None = None

    def describe(self) -> str:
        """A short Dutch description, e.g. ``Kerkstraat (oneven 1-31)`` or ``Kerkstraat, Heikegem``."""
        bits = []
        if self.deelgemeente:
            return StreetPart(f"{self.street}, {self.deelgemeente}", self.side, self.from_number,
                              self.to_number).describe()
        if self.side != "all":
            bits.append(t(f"boundaries.side.{self.side}"))
        if self.from_number is not None or self.to_number is not None:
            bits.append(f"{self.from_number if self.from_number is not None else ''}-"
                        f"{self.to_number if self.to_number is not None else ''}")
        return f"{self.street} ({' '.join(bits)})" if bits else self.street


def street_parts(addresses: pd.DataFrame) -> dict[str, StreetPart]:
    """The streets to choose from, labelled for a picker: a name that several deelgemeenten have is listed once
    per deelgemeente (``Kerkstraat (Heikegem)``), every other name once.

    >>> import pandas as pd
    >>> a = pd.DataFrame({"street": ["Kerkstraat", "Kerkstraat", "Dorp"], "deelgemeente": ["Asse", "Mollem", "Asse"]})
    >>> list(street_parts(a))
    ['Dorp', 'Kerkstraat (Asse)', 'Kerkstraat (Mollem)']
    """
    if "deelgemeente" not in addresses.columns:
        pairs = pd.DataFrame({"street": addresses["street"], "deelgemeente": None})
    else:
        pairs = addresses[["street", "deelgemeente"]]
    pairs = pairs.dropna(subset=["street"]).astype(object).drop_duplicates()
    places = pairs.groupby("street")["deelgemeente"].agg(lambda s: sorted({str(d) for d in s.dropna()}))
    out: dict[str, StreetPart] = {}
    for name, where in sorted(places.items(), key=lambda kv: street_key(kv[0])):
        if len(where) > 1:
            out.update({t("boundaries.compose.street_in", street=name, deelgemeente=d): StreetPart(name, deelgemeente=d)
                        for d in where})
        else:
            out[str(name)] = StreetPart(str(name))
    return out


def select_addresses(
    addresses: gpd.GeoDataFrame,
    parts: Iterable[StreetPart] = (),
    *,
    address_ids: Iterable[str] = (),
    blocks: Iterable[BaseGeometry] = (),
) -> pd.Series:
    """Which addresses the chosen street parts, address ids and blocks hold (a boolean Series like ``addresses``).

    Street names are compared without accents and case. Unknown names and ids are gathered into one error that
    suggests the closest known names.
    """
    require_crs(addresses, what="addresses")
    chosen = pd.Series(False, index=addresses.index)
    problems: list[str] = []
    parts = list(parts)
    if parts:
        keys = addresses["street"].map(street_key)
        known = sorted(set(keys.dropna()))
        numbers = pd.to_numeric(addresses["housenumber"], errors="coerce")
        for part in parts:
            if part.side not in ("all", "odd", "even"):
                problems.append(t("boundaries.compose.bad_side", side=part.side))
                continue
            on_street = keys == street_key(part.street)
            if not on_street.any():
                close = [m[0] for m in process.extract(street_key(part.street), known, limit=3)]
                problems.append(t("boundaries.compose.unknown_street", street=part.street,
                                  suggestions=", ".join(close) or "-"))
                continue
            mask = on_street
            if part.deelgemeente and "deelgemeente" in addresses.columns:
                mask &= (addresses["deelgemeente"] == part.deelgemeente).fillna(False).astype(bool)
            if part.side != "all":
                mask &= (numbers % 2 == (1 if part.side == "odd" else 0)).fillna(False).astype(bool)
            if part.from_number is not None:
                mask &= (numbers >= part.from_number).fillna(False).astype(bool)
            if part.to_number is not None:
                mask &= (numbers <= part.to_number).fillna(False).astype(bool)
            if not mask.any():
                problems.append(t("boundaries.compose.empty_part", part=part.describe()))
            chosen |= mask
    ids = [str(i) for i in address_ids]
    if ids:
        hit = addresses["address_id"].isin(ids)
        missing = sorted(set(ids) - set(addresses.loc[hit, "address_id"]))
        if missing:
            problems.append(t("boundaries.compose.unknown_ids", count=len(missing), examples=", ".join(missing[:5])))
        chosen |= hit
    for block in blocks:
        idx = addresses.sindex.query(block, predicate="intersects")
        chosen.iloc[idx] = True
    if problems:
        raise NotFound(t("boundaries.compose.selection_invalid"), problems=problems)
    return chosen


def compose_group(
    addresses: gpd.GeoDataFrame,
    selected: pd.Series | Sequence[bool],
    *,
    streets: gpd.GeoDataFrame | None = None,
    boundary: BaseGeometry | None = None,
    reach_m: float = 40.0,
) -> shapely.MultiPolygon:
    """The area that holds exactly the ``selected`` addresses: the union of their address cells within ``reach_m``.

    ``streets`` (optional) lets the area follow the chosen streets between far-apart houses: named street
    segments whose name occurs among the selected addresses are added to the reach. ``boundary`` (the
    municipality) clips the result.
    """
    require_crs(addresses, what="addresses")
    mask = np.asarray(selected, dtype=bool)
    if mask.shape[0] != len(addresses):
        raise InputError(t("boundaries.compose.mask_length", found=mask.shape[0], expected=len(addresses)))
    if not mask.any():
        raise InputError(t("boundaries.compose.nothing_selected"))
    chosen = addresses[mask]
    chosen_hull = shapely.union_all(chosen.geometry.values).envelope
    local = near(addresses, chosen_hull, 4 * reach_m)
    local_mask = pd.Series(mask, index=addresses.index).loc[local.index].to_numpy()
    cells = address_cells(local.geometry.values, extent=chosen_hull.buffer(8 * reach_m))
    inside = shapely.union_all(cells[local_mask])
    reach = shapely.union_all(shapely.buffer(chosen.geometry.values, reach_m, quad_segs=4))
    if streets is not None and len(streets):
        require_crs(streets, what="streets")
        names = set(chosen["street"].map(street_key))
        nearby = near(streets, chosen_hull, reach_m)
        on_streets = nearby[nearby["name"].map(street_key).isin(names)]
        if len(on_streets):
            lines = shapely.intersection(on_streets.geometry.values, reach.buffer(reach_m))
            reach = shapely.union(reach, shapely.union_all(shapely.buffer(lines, reach_m / 2, quad_segs=4)))
    area = shapely.intersection(inside, reach)
    others = local.geometry.values[~local_mask]
    area = _fill_empty_holes(polygonal(area), others)
    if boundary is not None:
        area = polygonal(shapely.intersection(area, boundary))
    return area


def address_cells(points: np.ndarray, *, extent: BaseGeometry) -> np.ndarray:
    """The Voronoi cell of each point (an array like ``points``); points at the same spot share one cell.

    >>> cells = address_cells(np.array([shapely.Point(0, 0), shapely.Point(10, 0)]), extent=shapely.box(-5, -5, 15, 5))
    >>> [round(c.area) for c in cells]
    [100, 100]
    """
    coords = shapely.get_coordinates(points)
    unique, inverse = np.unique(np.round(coords, 2), axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    if len(unique) == 1:
        return np.array([extent] * len(points), dtype=object)
    diagram = shapely.voronoi_polygons(shapely.multipoints(unique), extend_to=extent, ordered=True)
    unique_cells = np.array(shapely.get_parts(diagram), dtype=object)
    unique_cells = shapely.intersection(unique_cells, extent)
    return unique_cells[inverse]


def _fill_empty_holes(area: shapely.MultiPolygon, others: np.ndarray) -> shapely.MultiPolygon:
    """Fill holes that hold no other address (gaps left by the reach), keep enclaves of other addresses."""
    if area.is_empty or len(others) == 0:
        return shapely.MultiPolygon([shapely.Polygon(p.exterior) for p in area.geoms]) if not area.is_empty else area
    tree = shapely.STRtree(others)
    polys = []
    for poly in area.geoms:
        keep = [ring for ring in poly.interiors
                if len(tree.query(shapely.Polygon(ring), predicate="contains")) > 0]
        polys.append(shapely.Polygon(poly.exterior, keep))
    return shapely.MultiPolygon(polys)


def address_blocks(streets: gpd.GeoDataFrame, *, boundary: BaseGeometry | None = None) -> gpd.GeoDataFrame:
    """The blocks enclosed by the street network (``block_id``, geometry), for composing a group from blocks.

    >>> lines = [shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(100, 0), (100, 100)]),
    ...          shapely.LineString([(100, 100), (0, 100)]), shapely.LineString([(0, 100), (0, 0)])]
    >>> s = gpd.GeoDataFrame({"name": list("abcd")}, geometry=lines, crs="EPSG:31370")
    >>> address_blocks(s).area.round().tolist()
    [10000.0]
    """
    require_crs(streets, what="streets")
    network = shapely.union_all(streets.geometry.values)
    if boundary is not None:
        network = shapely.union(network, boundary.boundary)
    faces = [p for p in shapely.get_parts(shapely.polygonize(shapely.get_parts(network))) if p.area > 1.0]
    if boundary is not None:
        faces = [p for p in faces if p.representative_point().within(boundary)]
    frame = gpd.GeoDataFrame({"block_id": [f"B{i + 1}" for i in range(len(faces))]}, geometry=faces,
                             crs=streets.crs)
    return frame


def group_from_gap(
    gap: object,
    *,
    groups: gpd.GeoDataFrame | None = None,
    boundary: BaseGeometry | None = None,
) -> shapely.MultiPolygon:
    """A new group area from a coverage gap (a gap row, its geometry, or GeoJSON): repaired, clipped to
    ``boundary`` and without the parts that other ``groups`` already cover.

    >>> group_from_gap(shapely.box(0, 0, 10, 10), boundary=shapely.box(0, 0, 5, 10)).area
    50.0
    """
    geom = as_geometry(gap.geometry if isinstance(gap, pd.Series) and "geometry" in gap.index else gap)
    area = polygonal(shapely.make_valid(geom))
    if groups is not None and len(groups):
        require_crs(groups, what="groups")
        area = polygonal(shapely.difference(area, shapely.union_all(near(groups, area, 1.0).geometry.values)))
    if boundary is not None:
        area = polygonal(shapely.intersection(area, boundary))
    if area.is_empty:
        raise InputError(t("boundaries.compose.gap_empty"))
    return area
