"""The plan of the demo town: six villages (one per deelgemeente), the municipality and deelgemeente outlines.

Each village is a slightly irregular, rotated street grid. Its geometry is computed in a local frame (metres,
origin at the village centre, grid lines at ``xs`` and ``ys``) and turned into Lambert 72 by :meth:`to_world`,
so that streets, plots and group areas of a village line up exactly.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import shapely

from buurtkaart.synthetic._reference import reference

#: Centre of the demo town in EPSG:31370 (near the real Asse, clearly offset from it).
TOWN_CENTRE = (140_000.0, 175_000.0)

# (columns, rows, mean spacing in metres, offset of the village centre from the town centre in metres)
_VILLAGES = [
    (10, 9, 118.0, (0.0, 1300.0)),
    (8, 7, 120.0, (-2750.0, 1250.0)),
    (7, 6, 122.0, (2750.0, 1350.0)),
    (7, 6, 122.0, (-2700.0, -1350.0)),
    (7, 5, 120.0, (0.0, -1300.0)),
    (6, 5, 125.0, (2700.0, -1300.0)),
]
_WARP_WAVELENGTH_M = 900.0
#: Villages the regional N-road runs through (west to east), along their middle row.
NROAD_VILLAGES = (1, 0, 2)


@dataclass(frozen=True, eq=False)
class Village:
    """One village: a rotated grid of streets at local positions ``xs`` (columns) and ``ys`` (rows)."""

    index: int
    name: str
    code: str
    postcode: str
    centre: tuple[float, float]
    theta: float
    xs: np.ndarray
    ys: np.ndarray
    warp: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # amplitude x, amplitude y (m), phases

    @property
    def nx(self) -> int:
        return len(self.xs)

    @property
    def ny(self) -> int:
        return len(self.ys)

    @property
    def mid_col(self) -> int:
        return self.nx // 2

    @property
    def mid_row(self) -> int:
        return self.ny // 2

    @property
    def on_nroad(self) -> bool:
        return self.index in NROAD_VILLAGES

    def to_world(self, xy: np.ndarray) -> np.ndarray:
        """Local metres (..., 2) to EPSG:31370 coordinates (..., 2): a gentle bend, a rotation, a shift.

        The bend makes straight grid lines curve a little (streets are rarely ruler-straight); it never folds.
        """
        xy = np.asarray(xy, dtype=float)
        ax, ay, px, py = self.warp
        lx = xy[..., 0] + ax * np.sin(2 * np.pi * xy[..., 1] / _WARP_WAVELENGTH_M + px)
        ly = xy[..., 1] + ay * np.sin(2 * np.pi * xy[..., 0] / _WARP_WAVELENGTH_M + py)
        c, s = np.cos(self.theta), np.sin(self.theta)
        x = lx * c - ly * s + self.centre[0]
        y = lx * s + ly * c + self.centre[1]
        return np.stack([x, y], axis=-1)

    def polyline(self, local_points: np.ndarray, step_m: float = 10.0) -> np.ndarray:
        """World coordinates of a local polyline, with extra vertices every ``step_m`` so that it bends along."""
        pts = np.asarray(local_points, dtype=float)
        out = [pts[:1]]
        for a, b in itertools.pairwise(pts):
            k = max(1, int(np.ceil(np.hypot(*(b - a)) / step_m)))
            frac = np.arange(1, k + 1)[:, None] / k
            out.append(a + (b - a) * frac)
        return self.to_world(np.concatenate(out))

    def node(self, i: int, j: int) -> np.ndarray:
        """World coordinates of grid node (column i, row j)."""
        return self.to_world(np.array([self.xs[i], self.ys[j]]))

    def direction(self, dx: float, dy: float) -> np.ndarray:
        """A local direction vector turned into world orientation."""
        c, s = np.cos(self.theta), np.sin(self.theta)
        return np.array([dx * c - dy * s, dx * s + dy * c])

    def cell_edges(self, margin_m: float) -> tuple[np.ndarray, np.ndarray]:
        """Local x and y edges of the plot cells: halfway between grid lines, ``margin_m`` beyond the outer ones.

        Cell (i, j) holds the plots around node (i, j); a group area is a rectangle of cells, so its border runs
        along the backs of the plots.
        """
        def edges(v: np.ndarray) -> np.ndarray:
            return np.concatenate([[v[0] - margin_m], (v[:-1] + v[1:]) / 2, [v[-1] + margin_m]])

        return edges(self.xs), edges(self.ys)

    def local_box(self, x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
        """A local rectangle as a world polygon (its edges bend with the streets)."""
        corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]])
        return shapely.Polygon(self.polyline(corners))

    def footprint(self, margin_m: float) -> shapely.Polygon:
        """The built-up area of the village: its grid plus ``margin_m``."""
        return self.local_box(self.xs[0] - margin_m, self.ys[0] - margin_m,
                              self.xs[-1] + margin_m, self.ys[-1] + margin_m)


def _grid_positions(rng: np.random.Generator, n: int, spacing_m: float) -> np.ndarray:
    steps = spacing_m * rng.uniform(0.82, 1.18, size=n - 1)
    pos = np.concatenate([[0.0], np.cumsum(steps)])
    return np.round(pos - pos.mean(), 1)


def make_villages(rng: np.random.Generator) -> list[Village]:
    """The six villages, with positions, rotations and grid spacings drawn from ``rng``."""
    villages = []
    for index, ((nx, ny, spacing, (dx, dy)), dg) in enumerate(zip(_VILLAGES, reference()["deelgemeenten"],
                                                                  strict=True)):
        jitter = rng.uniform(-150, 150, size=2)
        centre = (TOWN_CENTRE[0] + dx + jitter[0], TOWN_CENTRE[1] + dy + jitter[1])
        theta = float(np.deg2rad(rng.uniform(-12, 12)))
        warp = (float(rng.uniform(15, 35)), float(rng.uniform(15, 35)), float(rng.uniform(0, 2 * np.pi)),
                float(rng.uniform(0, 2 * np.pi)))
        villages.append(Village(index=index, name=dg["name"], code=dg["code"], postcode=dg["postcode"],
                                centre=centre, theta=theta, xs=_grid_positions(rng, nx, spacing),
                                ys=_grid_positions(rng, ny, spacing), warp=warp))
    return villages


def municipality_outline(rng: np.random.Generator, content: shapely.Geometry) -> shapely.Polygon:
    """A wobbly outline around the town that surely contains ``content`` (every street), about 40 km²."""
    angles = np.linspace(0, 2 * np.pi, 96, endpoint=False)
    a, b, n = 4300.0, 2950.0, 3.0  # superellipse half-axes (m) and exponent
    cos, sin = np.cos(angles), np.sin(angles)
    radius = 1 / (np.abs(cos / a) ** n + np.abs(sin / b) ** n) ** (1 / n)
    wobble = np.zeros_like(angles)
    for k in (2, 3, 5, 7):
        wobble += rng.uniform(0.01, 0.035) * np.sin(k * angles + rng.uniform(0, 2 * np.pi))
    radius = radius * (1 + wobble)
    ring = np.stack([TOWN_CENTRE[0] + radius * cos, TOWN_CENTRE[1] + radius * sin], axis=-1)
    outline = shapely.Polygon(ring).union(shapely.convex_hull(content).buffer(250.0, quad_segs=4))
    return shapely.simplify(outline, 5.0)


def deelgemeente_outlines(villages: list[Village], municipality: shapely.Polygon) -> list[shapely.Geometry]:
    """One area per village: the Voronoi cell of its centre, clipped to the municipality."""
    centres = shapely.MultiPoint([v.centre for v in villages])
    cells = shapely.voronoi_polygons(centres, extend_to=municipality.buffer(1000.0), ordered=True)
    return [shapely.intersection(cell, municipality) for cell in shapely.get_parts(cells)]
