"""The street network of the demo town: whole streets first, then split into segments at every junction.

Hierarchy: one regional N-road (``primary``, authority ``gewest``) along the middle row of three villages,
collectors (``tertiary``) between villages and through each village's middle column, residential streets
(``minor``), cul-de-sacs at the edges of the villages, a footpath (``path``) through one block of each village and
one field ``track``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from buurtkaart.synthetic._layout import NROAD_VILLAGES, Village
from buurtkaart.synthetic._reference import reference

# collectors: (from village, to village, vertical?) -- vertical ones join top edge to bottom edge
_COLLECTORS = [(3, 1, True), (4, 0, True), (5, 2, True), (3, 4, False), (4, 5, False)]
_TRACK_VILLAGE = 4


@dataclass(eq=False)
class StreetLine:
    """One whole street (before splitting at junctions)."""

    name: str
    road_class: str
    coords: np.ndarray
    village: int  # -1: between villages
    kind: str  # grid, nroad, collector, culdesac, path, track
    ref: str | None = None
    authority: str = "gemeente"

    @property
    def geometry(self) -> shapely.LineString:
        return shapely.LineString(self.coords)


class _NamePool:
    """Unique street names from stems and suffixes (reference data), drawn in a seeded order."""

    def __init__(self, rng: np.random.Generator, taken: set[str]) -> None:
        self._rng = rng
        self._ref = reference()
        self.used = set(taken)

    def take(self, suffixes_key: str) -> str:
        stems, suffixes = self._ref["street_stems"], self._ref[suffixes_key]
        for _ in range(10_000):
            stem = stems[int(self._rng.integers(len(stems)))]
            suffix = suffixes[int(self._rng.integers(len(suffixes)))]
            name = stem + suffix
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("street name pool exhausted")  # pragma: no cover - the pool holds >1,000 names


def _bend(rng: np.random.Generator, a: np.ndarray, b: np.ndarray, amount_m: float) -> np.ndarray:
    """A line a -> b with one vertex pushed sideways by up to ``amount_m``."""
    d = b - a
    normal = np.array([-d[1], d[0]]) / np.hypot(*d)
    mid = (a + b) / 2 + normal * rng.uniform(-amount_m, amount_m)
    return np.array([a, mid, b])


def _reserved_nodes(v: Village) -> set[tuple[int, int]]:
    """Edge nodes where the N-road or a collector leaves the village (no cul-de-sac there)."""
    return {(v.mid_col, 0), (v.mid_col, v.ny - 1), (0, v.mid_row), (v.nx - 1, v.mid_row)}


def _village_streets(rng: np.random.Generator, v: Village, pool: _NamePool, special: list[str]) -> list[StreetLine]:
    grid: list[tuple[np.ndarray, str]] = []
    cols = [v.mid_col] + [i for i in rng.permutation(v.nx).tolist() if i != v.mid_col]
    rows = [v.mid_row] + [j for j in rng.permutation(v.ny).tolist() if j != v.mid_row]
    order: list[tuple[str, int]] = [("col", cols[0]), ("row", rows[0])]
    order += [("col", i) for i in cols[1:]] + [("row", j) for j in rows[1:]]
    for axis, k in order:
        if axis == "row" and k == v.mid_row and v.on_nroad:
            continue  # the N-road runs here
        if axis == "col":
            coords = v.polyline(np.stack([np.full(v.ny, v.xs[k]), v.ys], axis=1))
            road_class = "tertiary" if k == v.mid_col else "minor"
        else:
            coords = v.polyline(np.stack([v.xs, np.full(v.nx, v.ys[k])], axis=1))
            road_class = "tertiary" if k == v.mid_row else "minor"
        grid.append((coords, road_class))
    square_names = [n for n in special if n.endswith(("plein", "hof"))]
    street_names = [n for n in special if n not in square_names]
    out = []
    for coords, road_class in grid:
        name = street_names.pop(0) if street_names else pool.take("street_suffixes")
        out.append(StreetLine(name, road_class, coords, v.index, "grid"))
    # cul-de-sacs at the edges, pointing outwards
    reserved = _reserved_nodes(v)
    inner_rows, inner_cols = range(1, v.ny - 1), range(1, v.nx - 1)
    edge_nodes = [((0, j), (-1, 0)) for j in inner_rows] + [((v.nx - 1, j), (1, 0)) for j in inner_rows]
    edge_nodes += [((i, 0), (0, -1)) for i in inner_cols] + [((i, v.ny - 1), (0, 1)) for i in inner_cols]
    edge_nodes = [edge_nodes[k] for k in rng.permutation(len(edge_nodes)) if edge_nodes[k][0] not in reserved]
    chosen = rng.random(len(edge_nodes)) < 0.45
    chosen[:1] = True  # at least one cul-de-sac per village
    for ((i, j), (dx, dy)), keep in zip(edge_nodes, chosen, strict=True):
        if not keep:
            continue
        start = v.node(i, j)
        length = rng.uniform(55, 100)
        direction, side = v.direction(dx, dy), v.direction(-dy, dx)
        kink = start + direction * length * 0.55 + side * rng.uniform(-12, 12)
        end = start + direction * length + side * rng.uniform(-25, 25)
        name = square_names.pop(0) if square_names else pool.take("culdesac_suffixes")
        out.append(StreetLine(name, "minor", np.array([start, kink, end]), v.index, "culdesac"))
    # a footpath through one block, from one row to the next
    i = int(rng.integers(1, v.nx - 2))
    j = int(rng.integers(1, v.ny - 2))
    x = v.xs[i] + 0.4 * (v.xs[i + 1] - v.xs[i])
    path = v.polyline(np.array([[x, v.ys[j]], [x, v.ys[j + 1]]]))
    out.append(StreetLine(pool.take("path_suffixes"), "path", path, v.index, "path"))
    return out


def _nroad(rng: np.random.Generator, villages: list[Village]) -> StreetLine:
    points: list[np.ndarray] = []
    chain = [villages[k] for k in NROAD_VILLAGES]
    first, last = chain[0], chain[-1]
    points.append(first.node(0, first.mid_row) + first.direction(-1, 0) * 1100 + first.direction(0, 1) * 90)
    for k, v in enumerate(chain):
        row = list(v.polyline(np.stack([v.xs, np.full(v.nx, v.ys[v.mid_row])], axis=1)))
        if k > 0:
            points.append(_bend(rng, points[-1], row[0], 70.0)[1])
        points.extend(row)
    points.append(last.node(last.nx - 1, last.mid_row) + last.direction(1, 0) * 1100 + last.direction(0, -1) * 80)
    nroad = reference()["nroad"]
    return StreetLine(nroad["name"], "primary", np.array(points), -1, "nroad", ref=nroad["ref"], authority="gewest")


def _collectors(rng: np.random.Generator, villages: list[Village]) -> list[StreetLine]:
    out = []
    for k, (a_idx, b_idx, vertical) in enumerate(_COLLECTORS):
        a, b = villages[a_idx], villages[b_idx]
        if vertical:
            start, end = a.node(a.mid_col, a.ny - 1), b.node(b.mid_col, 0)
        else:
            start, end = a.node(a.nx - 1, a.mid_row), b.node(0, b.mid_row)
        coords = _bend(rng, start, end, 120.0)
        name = f"{b.name}se{'straat' if k % 2 == 0 else 'weg'}"
        out.append(StreetLine(name, "tertiary", coords, -1, "collector"))
    return out


def _track(rng: np.random.Generator, v: Village) -> StreetLine:
    start = v.node(0, 0)
    direction = v.direction(-1, -1) / np.sqrt(2)
    end = start + direction * rng.uniform(380, 480)
    return StreetLine(reference()["track_name"], "track", _bend(rng, start, end, 40.0), v.index, "track")


def town_streets(rng: np.random.Generator, villages: list[Village]) -> list[StreetLine]:
    """Every whole street of the town (N-road, collectors, village streets, cul-de-sacs, paths, the track)."""
    fixed = {dg_name for dg in reference()["deelgemeenten"] for dg_name in dg["special_streets"]}
    pool = _NamePool(rng, taken=fixed | {reference()["nroad"]["name"], reference()["track_name"]})
    lines = [_nroad(rng, villages), *_collectors(rng, villages)]
    for v, dg in zip(villages, reference()["deelgemeenten"], strict=True):
        lines.extend(_village_streets(rng, v, pool, list(dg["special_streets"])))
    lines.append(_track(rng, villages[_TRACK_VILLAGE]))
    return lines


def split_at_junctions(lines: list[StreetLine]) -> tuple[np.ndarray, np.ndarray]:
    """Split whole streets into segments that meet at shared end points.

    Returns the segment geometries and, per segment, the index of the street it belongs to; segments are
    ordered by street and then along the street.
    """
    geoms = np.array([line.geometry for line in lines], dtype=object)
    noded = shapely.get_parts(shapely.union_all(geoms, grid_size=0.001))
    mids = shapely.line_interpolate_point(noded, 0.5, normalized=True)
    pairs = shapely.STRtree(geoms).query_nearest(mids, all_matches=False)
    owner = np.empty(len(noded), dtype=int)
    owner[pairs[0]] = pairs[1]
    along = shapely.line_locate_point(geoms[owner], mids)
    order = np.lexsort((along, owner))
    return noded[order], owner[order]
