"""Group areas and wijken of the demo town.

A village's plots form a grid of cells (one per street crossing, bounded halfway between streets, so along the
backs of the plots). Each village is cut into rectangles of cells; most become a group, a few stay uncovered
(gaps). In the first village two neighbouring groups overlap by one row of cells; in the second the border of two
groups runs along a street, so its odd side belongs to one group and its even side to the other.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import shapely

from buurtkaart.synthetic._layout import Village
from buurtkaart.synthetic._reference import reference

#: (groups, uncovered areas) per village: 24 groups in all.
_PLAN = [(7, 3), (4, 2), (4, 1), (3, 2), (3, 1), (3, 1)]
_OVERLAP_VILLAGE = 0
_STREET_BORDER_VILLAGE = 1
_MARGIN_M = 130.0
_MIN_CELLS = 2


@dataclass
class _Rect:
    """Cells [c0, c1) x [r0, r1) of a village."""

    c0: int
    r0: int
    c1: int
    r1: int

    @property
    def area(self) -> int:
        return (self.c1 - self.c0) * (self.r1 - self.r0)


def _partition(rng: np.random.Generator, ncols: int, nrows: int, count: int) -> tuple[list[_Rect], tuple[int, int]]:
    """Cut a grid of cells into ``count`` rectangles; also returns the indices of the last two halves cut."""
    rects = [_Rect(0, 0, ncols, nrows)]
    last = (0, 0)
    while len(rects) < count:
        order = sorted(range(len(rects)), key=lambda k: -rects[k].area)
        for k in order:
            r = rects[k]
            w, h = r.c1 - r.c0, r.r1 - r.r0
            if max(w, h) >= 2 * _MIN_CELLS:
                break
        else:  # pragma: no cover - the plan always fits
            raise RuntimeError("village too small for its groups")
        if w >= h:
            cut = int(rng.integers(r.c0 + _MIN_CELLS, r.c1 - _MIN_CELLS + 1))
            a, b = _Rect(r.c0, r.r0, cut, r.r1), _Rect(cut, r.r0, r.c1, r.r1)
        else:
            cut = int(rng.integers(r.r0 + _MIN_CELLS, r.r1 - _MIN_CELLS + 1))
            a, b = _Rect(r.c0, r.r0, r.c1, cut), _Rect(r.c0, cut, r.c1, r.r1)
        rects[k] = a
        rects.append(b)
        last = (k, len(rects) - 1)
    return rects, last


def _local_bounds(v: Village, rect: _Rect) -> list[float]:
    ex, ey = v.cell_edges(_MARGIN_M)
    return [ex[rect.c0], ey[rect.r0], ex[rect.c1], ey[rect.r1]]


def _ticks(lattice: np.ndarray, lo: float, hi: float, step_m: float = 10.0) -> np.ndarray:
    """Points from ``lo`` to ``hi`` through every lattice line between, each interval cut in equal steps.

    Each interval is always cut the same way (computed from its lower end), so that two areas sharing a border
    share its vertices exactly and do not overlap by a sliver.
    """
    marks = lattice[(lattice >= lo - 1e-9) & (lattice <= hi + 1e-9)]
    out = [marks[:1]]
    for a, b in itertools.pairwise(marks):
        k = max(1, int(np.ceil((b - a) / step_m)))
        out.append(a + (b - a) * np.arange(1, k) / k)
        out.append(np.array([b]))
    return np.concatenate(out)


def _area(v: Village, bounds: list[float]) -> shapely.Polygon:
    """A local rectangle on the village's plot lattice as a world polygon."""
    ex, ey = v.cell_edges(_MARGIN_M)
    lx, ly = np.union1d(ex, v.xs), np.union1d(ey, v.ys)
    x0, y0, x1, y1 = bounds
    xs, ys = _ticks(lx, x0, x1), _ticks(ly, y0, y1)
    ring = np.concatenate([
        np.stack([xs, np.full(len(xs), y0)], axis=1),
        np.stack([np.full(len(ys) - 1, x1), ys[1:]], axis=1),
        np.stack([xs[::-1][1:], np.full(len(xs) - 1, y1)], axis=1),
        np.stack([np.full(len(ys) - 1, x0), ys[::-1][1:]], axis=1),
    ])
    return shapely.Polygon(v.to_world(ring))


def town_groups(rng: np.random.Generator, villages: list[Village],
                municipality: shapely.Geometry) -> list[tuple[int, shapely.Geometry]]:
    """The 24 group areas as (village index, polygon), in the order they get their ids."""
    out = []
    for v, (n_groups, n_gaps) in zip(villages, _PLAN, strict=True):
        rects, (ia, ib) = _partition(rng, v.nx, v.ny, n_groups + n_gaps)
        others = [k for k in range(len(rects)) if k not in (ia, ib)]
        gaps = set(rng.choice(others, size=n_gaps, replace=False).tolist())
        bounds = {k: _local_bounds(v, rects[k]) for k in range(len(rects)) if k not in gaps}
        a, b = rects[ia], rects[ib]
        vertical = a.c1 == b.c0  # a left of b; otherwise a below b
        axis = 0 if vertical else 1
        if v.index == _OVERLAP_VILLAGE:  # a reaches one row of cells into b
            ex, ey = v.cell_edges(_MARGIN_M)
            edges = ex if vertical else ey
            cut = a.c1 if vertical else a.r1
            bounds[ia][axis + 2] = edges[cut + 1]
        elif v.index == _STREET_BORDER_VILLAGE:  # the border moves from the plot backs to the street
            street = v.xs[a.c1] if vertical else v.ys[a.r1]
            bounds[ia][axis + 2] = street
            bounds[ib][axis] = street
        for k in sorted(bounds, key=lambda k: (rects[k].r0, rects[k].c0)):
            polygon = _area(v, bounds[k]).intersection(municipality)
            out.append((v.index, polygon))
    return out


def group_names(rng: np.random.Generator, count: int) -> list[str]:
    """Dutch group names ('Kerkwijk'), all different; texts say 'groep {name}'."""
    names = list(reference()["group_area_names"])
    picked = rng.choice(len(names), size=count, replace=False)
    return [str(names[k]) for k in picked]


def town_wijken(villages: list[Village]) -> list[tuple[str, shapely.Geometry]]:
    """A few wijken: the first village in three parts (west, centre, east), and two other villages whole."""
    names = reference()["wijk_names"]
    v = villages[0]
    x0, x1 = v.xs[0] - 150.0, v.xs[-1] + 150.0
    y0, y1 = v.ys[0] - 150.0, v.ys[-1] + 150.0
    third = (x1 - x0) / 3
    out = [
        (names[1], v.local_box(x0, y0, x0 + third, y1)),
        (names[0], v.local_box(x0 + third, y0, x0 + 2 * third, y1)),
        (names[2], v.local_box(x0 + 2 * third, y0, x1, y1)),
        (names[3], villages[1].footprint(150.0)),
        (names[4], villages[3].footprint(150.0)),
    ]
    return out
