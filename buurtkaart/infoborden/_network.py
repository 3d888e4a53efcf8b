"""The street network around one group's area, split into the part inside the area and the part outside.

Internal helper of :mod:`buurtkaart.infoborden.entries` and :mod:`buurtkaart.infoborden.planning`.

The area is looked at through three zones: the *core* (the area shrunk by ``border_tolerance_m``), the *border
band* (within ``border_tolerance_m`` of the boundary) and the outside. Roads are cut where they cross the core's
edge. The pieces outside the core form components; a component is *external* when it reaches at least
``reach_m`` beyond the area (traffic really comes from there). A dead end or a loop that leaves the area and
comes back never reaches that far, so it is not a way in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t

_REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "infoborden.json"
#: Coordinates are rounded to this grid (metres) to find pieces that meet at a node.
SNAP_M = 0.1


@lru_cache(maxsize=1)
def reference() -> dict:
    """The road-class reference data (``buurtkaart/reference/infoborden.json``)."""
    with _REFERENCE.open(encoding="utf-8") as fh:
        return json.load(fh)


def drivable_streets(streets: gpd.GeoDataFrame, *, road_classes=None) -> gpd.GeoDataFrame:
    """The street segments of ``road_classes`` (default: the reference's default classes), checked.

    Adds ``authority`` from ``ref`` where it is missing (N- and R-roads are ``gewest``).
    """
    problems = []
    for column in ("road_class", "geometry"):
        if column not in streets.columns:
            problems.append(t("infoborden.error.missing_column", layer="streets", column=column))
    if streets.crs is None or not streets.crs.equals(WORKING_CRS):
        problems.append(t("infoborden.error.crs", layer="streets", crs=streets.crs, expected=WORKING_CRS))
    if problems:
        raise InputError(t("infoborden.error.streets_invalid"), problems=problems)
    classes = list(reference()["default_classes"] if road_classes is None else road_classes)
    keep = streets["road_class"].isin(classes).to_numpy()
    out = streets.loc[keep].copy()
    out = out[~(shapely.is_missing(out.geometry.values) | shapely.is_empty(out.geometry.values))]
    for column in ("name", "ref", "authority"):
        if column not in out.columns:
            out[column] = pd.Series(pd.NA, index=out.index, dtype="str")
    if "street_id" not in out.columns:
        out["street_id"] = pd.array(np.arange(len(out)), dtype="Int64")
    prefixes = tuple(reference()["gewest_ref_prefixes"])
    inferred = out["ref"].fillna("").str.upper().str.startswith(prefixes)
    unknown = out["authority"].isna() | (out["authority"] == "onbekend")
    out.loc[unknown & inferred, "authority"] = "gewest"
    out.loc[unknown & ~inferred & out["name"].notna(), "authority"] = "gemeente"
    out["authority"] = out["authority"].fillna("onbekend")
    # identical duplicates (tiles overlap, data entered twice) would be counted as two roads
    wkb = shapely.to_wkb(shapely.normalize(out.geometry.values))
    return out.loc[~pd.Series(wkb, index=out.index).duplicated()]


@dataclass
class GroupNetwork:
    """The pieces of the network near one group's area.

    ``pieces`` has one row per piece with ``street`` (the index label of the source segment), ``core`` (inside
    the core), ``u``/``v`` node ids of its first/last point, ``length_m`` and the piece geometry.
    ``external`` holds the node ids of outside components that reach far enough to bring traffic in.
    """

    polygon: shapely.Geometry
    core: shapely.Geometry
    pieces: gpd.GeoDataFrame
    coords: dict[int, tuple[float, float]]
    external_nodes: set[int]

    def core_graph(self) -> nx.Graph:
        """The graph of the pieces inside the core (edge attribute ``length``, ``piece`` = row position)."""
        graph = nx.Graph()
        core = self.pieces[self.pieces["core"]]
        for pos, u, v, length in zip(core["pos"], core["u"], core["v"], core["length_m"], strict=True):
            if graph.has_edge(u, v) and graph[u][v]["length"] <= length:
                continue
            graph.add_edge(int(u), int(v), length=float(length), piece=int(pos))
        return graph

    def transitions(self) -> list[tuple[int, int]]:
        """(node, piece position) pairs where a core piece starts at a node of an external outside piece."""
        core = self.pieces[self.pieces["core"]]
        found = []
        for pos, u, v in zip(core["pos"], core["u"], core["v"], strict=True):
            for node in (u, v):
                if node in self.external_nodes:
                    found.append((int(node), int(pos)))
        return found


def group_network(
    polygon: shapely.Geometry,
    streets: gpd.GeoDataFrame,
    *,
    border_tolerance_m: float,
    reach_m: float,
) -> GroupNetwork:
    """Cut the ``streets`` near ``polygon`` into core and outside pieces and find the external components."""
    window = polygon.buffer(reach_m + border_tolerance_m, quad_segs=4)
    core = polygon.buffer(-border_tolerance_m, quad_segs=4) if border_tolerance_m > 0 else polygon
    idx = streets.sindex.query(window, predicate="intersects")
    near = streets.iloc[np.sort(idx)]
    geoms = shapely.intersection(near.geometry.values, window)
    shapely.prepare(core)
    inside = shapely.intersection(geoms, core)
    outside = shapely.difference(geoms, core)
    rows_street, rows_core, rows_geom = [], [], []
    for label, g_in, g_out in zip(near.index, inside, outside, strict=True):
        for flag, geom in ((True, g_in), (False, g_out)):
            for part in shapely.get_parts(shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom):
                if part.geom_type == "LineString" and part.length > 0:
                    rows_street.append(label)
                    rows_core.append(flag)
                    rows_geom.append(part)
    rows_street, rows_core, rows_geom = _node(rows_street, rows_core, rows_geom)
    pieces = gpd.GeoDataFrame(
        {"street": rows_street, "core": np.array(rows_core, dtype=bool)},
        geometry=gpd.GeoSeries(rows_geom, crs=streets.crs), crs=streets.crs,
    )
    pieces["pos"] = np.arange(len(pieces))
    pieces["length_m"] = pieces.geometry.length
    coords: dict[int, tuple[float, float]] = {}
    node_of: dict[tuple[int, int], int] = {}

    def node(x: float, y: float) -> int:
        key = (round(x / SNAP_M), round(y / SNAP_M))
        found = node_of.get(key)
        if found is None:
            found = node_of[key] = len(node_of)
            coords[found] = (x, y)
        return found

    us, vs = [], []
    for geom in pieces.geometry.values:
        xy = shapely.get_coordinates(geom)
        us.append(node(*xy[0]))
        vs.append(node(*xy[-1]))
    pieces["u"] = np.array(us, dtype=np.int64)
    pieces["v"] = np.array(vs, dtype=np.int64)
    external = _external_nodes(pieces, coords, window.boundary)
    return GroupNetwork(polygon, core, pieces, coords, external)


def _node(streets: list, core: list, geoms: list) -> tuple[list, list, list]:
    """Split the pieces wherever they meet or cross (map data often runs a street on through a junction), and
    give each new piece the street and zone of the piece it came from."""
    if not geoms:
        return streets, core, geoms
    source = np.array(geoms, dtype=object)
    noded = shapely.get_parts(shapely.union_all(source))
    noded = noded[shapely.get_type_id(noded) == 1]
    if not len(noded):
        return [], [], []
    middles = shapely.line_interpolate_point(noded, 0.5, normalized=True)
    _, nearest = shapely.STRtree(source).query_nearest(middles, all_matches=False)
    return [streets[i] for i in nearest], [core[i] for i in nearest], list(noded)


def _external_nodes(pieces, coords, window_edge) -> set[int]:
    """Nodes of the outside components that run on to the edge of the window (``reach_m`` beyond the area)."""
    outside = pieces[~pieces["core"]]
    graph = nx.Graph()
    graph.add_edges_from(zip(outside["u"].tolist(), outside["v"].tolist(), strict=True))
    if graph.number_of_nodes() == 0:
        return set()
    nodes = np.array(list(graph.nodes))
    points = shapely.points(np.array([coords[n] for n in nodes]))
    far = set(nodes[shapely.distance(window_edge, points) <= 2 * SNAP_M].tolist())
    external: set[int] = set()
    for component in nx.connected_components(graph):
        if component & far:
            external |= component
    return external


def inward_bearing_deg(line: shapely.LineString, *, from_start: bool, look_m: float = 8.0) -> float:
    """The compass bearing (0 = north, clockwise) of travel along ``line`` leaving its start (or its end).

    >>> round(inward_bearing_deg(shapely.LineString([(0, 0), (10, 0)]), from_start=True))
    90
    >>> round(inward_bearing_deg(shapely.LineString([(0, 0), (10, 0)]), from_start=False))
    270
    """
    length = line.length
    look = min(look_m, length)
    a = line.interpolate(0 if from_start else length)
    b = line.interpolate(look if from_start else length - look)
    return float(np.degrees(np.arctan2(b.x - a.x, b.y - a.y)) % 360.0)
