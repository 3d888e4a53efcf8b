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
from buurtkaart.texts import t
from buurtkaart.validation import require_columns, require_crs

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
    problems: list[str] = []
    require_columns(streets, ("road_class", "geometry"), what="streets", problems=problems)
    require_crs(streets, what="streets", problems=problems)
    if problems:
        raise InputError(t("infoborden.error.streets_invalid"), problems=problems)
    classes = list(reference()["default_classes"] if road_classes is None else road_classes)
    keep = streets["road_class"].isin(classes).to_numpy()
    out = streets.loc[keep].copy()
    geoms = np.asarray(out.geometry.values)
    out = out[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
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
    plain = np.asarray(out.geometry.values)
    ends = np.round(np.column_stack([shapely.get_coordinates(shapely.get_point(plain, 0)),
                                     shapely.get_coordinates(shapely.get_point(plain, -1))]), 2)
    flip = (ends[:, 0] > ends[:, 2]) | ((ends[:, 0] == ends[:, 2]) & (ends[:, 1] > ends[:, 3]))
    ends[flip] = ends[flip][:, [2, 3, 0, 1]]
    key = pd.DataFrame(ends).assign(length=np.round(shapely.length(plain), 2),
                                    vertices=shapely.get_num_coordinates(plain))
    return out.loc[~key.duplicated().to_numpy()]


@dataclass
class Pieces:
    """Pieces of road as parallel arrays: ``street`` (row position in the streets frame), ``core`` (inside the
    core), ``u``/``v`` (node ids of the first/last point), ``length_m`` and ``geoms``."""

    street: np.ndarray
    core: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length_m: np.ndarray
    geoms: np.ndarray

    def __len__(self) -> int:
        return len(self.geoms)


@dataclass
class GroupNetwork:
    """The pieces of the network near one group's area, and the nodes of the outside components that reach far
    enough to bring traffic in (``external_nodes``)."""

    polygon: shapely.Geometry
    core: shapely.Geometry
    pieces: Pieces
    coords: dict[int, tuple[float, float]]
    external_nodes: set[int]

    def core_graph(self) -> nx.Graph:
        """The graph of the pieces inside the core (edge attribute ``length``, ``piece`` = piece position)."""
        graph = nx.Graph()
        p = self.pieces
        for pos in np.flatnonzero(p.core).tolist():
            u, v, length = int(p.u[pos]), int(p.v[pos]), float(p.length_m[pos])
            if graph.has_edge(u, v) and graph[u][v]["length"] <= length:
                continue
            graph.add_edge(u, v, length=length, piece=pos)
        return graph

    def transitions(self) -> list[tuple[int, int]]:
        """(node, piece position) pairs where a core piece starts at a node of an external outside piece."""
        p = self.pieces
        found = []
        for pos in np.flatnonzero(p.core).tolist():
            for node in (int(p.u[pos]), int(p.v[pos])):
                if node in self.external_nodes:
                    found.append((node, pos))
        return found


def group_network(
    polygon: shapely.Geometry,
    streets: gpd.GeoDataFrame,
    *,
    border_tolerance_m: float,
    reach_m: float,
    geoms: np.ndarray | None = None,
) -> GroupNetwork:
    """Cut the ``streets`` near ``polygon`` into core and outside pieces and find the external components.

    ``geoms``: the streets' geometries as a plain numpy array (pass it when calling this for many groups)."""
    window = polygon.buffer(reach_m + border_tolerance_m, quad_segs=4)
    core = polygon.buffer(-border_tolerance_m, quad_segs=4) if border_tolerance_m > 0 else polygon
    idx = np.sort(streets.sindex.query(window, predicate="intersects"))
    plain = np.asarray(streets.geometry.values) if geoms is None else geoms
    geoms = plain[idx]
    shapely.prepare(core)
    inside = shapely.intersection(geoms, core)
    outside = shapely.difference(geoms, core)
    source = np.concatenate([inside, outside])
    labels = np.concatenate([idx, idx])
    flags = np.concatenate([np.ones(len(idx), dtype=bool), np.zeros(len(idx), dtype=bool)])
    keep = ~shapely.is_empty(source) & (shapely.length(source) > 0)
    street, is_core, lines = _node(labels[keep], flags[keep], source[keep])
    coords: dict[int, tuple[float, float]] = {}
    node_of: dict[tuple[int, int], int] = {}

    def node(x: float, y: float) -> int:
        key = (round(x / SNAP_M), round(y / SNAP_M))
        found = node_of.get(key)
        if found is None:
            found = node_of[key] = len(node_of)
            coords[found] = (x, y)
        return found

    first = shapely.get_coordinates(shapely.get_point(lines, 0)) if len(lines) else np.zeros((0, 2))
    last = shapely.get_coordinates(shapely.get_point(lines, -1)) if len(lines) else np.zeros((0, 2))
    us = np.array([node(x, y) for x, y in first.tolist()], dtype=np.int64)
    vs = np.array([node(x, y) for x, y in last.tolist()], dtype=np.int64)
    pieces = Pieces(street, is_core, us, vs, shapely.length(lines), lines)
    external = _external_nodes(pieces, window)
    return GroupNetwork(polygon, core, pieces, coords, external)


def _node(streets: np.ndarray, core: np.ndarray, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split the pieces wherever they meet or cross (map data often runs a street on through a junction), and
    give each new piece the street and zone of the piece it came from."""
    if not len(geoms):
        return streets, core, geoms
    noded = shapely.get_parts(shapely.union_all(geoms))
    noded = noded[(shapely.get_type_id(noded) == 1) & (shapely.length(noded) > 0)]
    if not len(noded):
        return streets[:0], core[:0], geoms[:0]
    middles = shapely.line_interpolate_point(noded, 0.5, normalized=True)
    _, nearest = shapely.STRtree(geoms).query_nearest(middles, all_matches=False)
    return streets[nearest], core[nearest], noded


def _external_nodes(pieces: Pieces, window: shapely.Geometry) -> set[int]:
    """Nodes of the outside components that run on beyond the window (``reach_m`` beyond the area)."""
    out = ~pieces.core
    graph = nx.Graph()
    graph.add_edges_from(zip(pieces.u[out].tolist(), pieces.v[out].tolist(), strict=True))
    if graph.number_of_nodes() == 0:
        return set()
    shapely.prepare(window)
    leaving = out & ~shapely.contains(window, pieces.geoms)
    far = set(pieces.u[leaving].tolist()) | set(pieces.v[leaving].tolist())
    external: set[int] = set()
    for component in nx.connected_components(graph):
        if not component.isdisjoint(far):
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
