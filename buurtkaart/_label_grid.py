"""A label raster that answers "which polygon contains this point?" for millions of points at numpy speed.

The polygons' extent is cut into square cells. Every cell that a polygon boundary passes through, and its eight
neighbours, is marked *mixed*. The remaining cells fall apart into connected regions (4-connectivity) that no
boundary crosses, so each region lies wholly inside the same set of polygons: one test of one cell centre per
region labels all of its cells. A point then gets its label by one array lookup; only points in mixed cells (near
a boundary) need an exact geometric test, which the caller does.

Labels: ``>= 0`` the index of the one polygon whose interior holds the cell, :data:`NONE` for no polygon,
:data:`EXACT` for "test exactly" (a mixed cell, or a region inside two or more polygons).

>>> import shapely
>>> grid = LabelGrid(np.array([shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)]), max_cells=10_000)
>>> grid.labels(np.array([50.0, 150.0, 100.0, 500.0]), np.array([50.0, 50.0, 50.0, 50.0])).tolist()
[0, 1, -2, -1]
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from scipy import ndimage

NONE = -1
EXACT = -2
_HAIR = 1e-6  # in cells


def _mark_boundaries(mixed: np.ndarray, lines: np.ndarray, x0: float, y0: float, cell: float) -> None:
    """Mark every cell a line passes through (its supercover), vectorised.

    Lines are cut into pieces shorter than half a cell, so consecutive vertices lie in the same or neighbouring
    cells; for a diagonal step both cells beside the diagonal are marked too, as the piece may cross either.
    """
    pieces = shapely.segmentize(lines, cell / 2)
    xy, part = shapely.get_coordinates(pieces, return_index=True)
    ix = np.floor((xy[:, 0] - x0) / cell).astype(np.int64)
    iy = np.floor((xy[:, 1] - y0) / cell).astype(np.int64)
    mixed[iy, ix] = True
    same_line = part[1:] == part[:-1]
    diagonal = same_line & (ix[1:] != ix[:-1]) & (iy[1:] != iy[:-1])
    mixed[iy[:-1][diagonal], ix[1:][diagonal]] = True
    mixed[iy[1:][diagonal], ix[:-1][diagonal]] = True


class LabelGrid:
    """The label raster of ``geoms`` (polygons in one projected CRS), with at most about ``max_cells`` cells."""

    def __init__(self, geoms: np.ndarray, *, max_cells: int = 4_000_000, tree: shapely.STRtree | None = None) -> None:
        geoms = np.asarray(geoms, dtype=object)
        present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        if not present.any():
            self.cell_m = 1.0
            self.x0 = self.y0 = 0.0
            self.grid = np.full((1, 1), NONE, dtype=np.int32)
            return
        xmin, ymin, xmax, ymax = shapely.total_bounds(geoms[present])
        width, height = max(xmax - xmin, 1.0), max(ymax - ymin, 1.0)
        cell = max(math.sqrt(width * height / max_cells), 0.5)
        self.cell_m = cell
        self.x0, self.y0 = xmin - 2 * cell, ymin - 2 * cell
        nx, ny = int(width / cell) + 5, int(height / cell) + 5
        mixed = np.zeros((ny, nx), dtype=bool)
        _mark_boundaries(mixed, shapely.boundary(geoms[present]), self.x0, self.y0, cell)
        regions, count = ndimage.label(~mixed)
        region_label = np.full(count + 1, EXACT, dtype=np.int32)
        if count:
            rows, cols = _one_cell_per_region(regions, count)
            centres = shapely.points(self.x0 + (cols + 0.5) * cell, self.y0 + (rows + 0.5) * cell)
            tree = tree if tree is not None else shapely.STRtree(geoms)
            region_idx, geom_idx = tree.query(centres, predicate="within")
            hits = np.bincount(region_idx, minlength=count)
            labels = np.full(count, NONE, dtype=np.int32)
            one = hits == 1
            first = np.full(count, -1, dtype=np.int64)
            first[region_idx[::-1]] = geom_idx[::-1]
            labels[one] = first[one]
            labels[hits >= 2] = EXACT
            region_label[1:] = labels
        self.grid = region_label[regions]

    def labels(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The label of each point (``int32``); points outside the raster get :data:`NONE`."""
        fx = np.floor((x - self.x0) / self.cell_m)
        fy = np.floor((y - self.y0) / self.cell_m)
        ny, nx = self.grid.shape
        inside = (fx >= 0) & (fx < nx) & (fy >= 0) & (fy < ny)
        out = np.full(len(x), NONE, dtype=np.int32)
        out[inside] = self.grid[fy[inside].astype(np.int64), fx[inside].astype(np.int64)]
        # a point within a hair of a cell edge may belong to the neighbouring (border) cell: test it exactly
        rx = (x - self.x0) / self.cell_m - fx
        ry = (y - self.y0) / self.cell_m - fy
        hair = (np.minimum(rx, 1 - rx) < _HAIR) | (np.minimum(ry, 1 - ry) < _HAIR)
        out[hair & inside] = EXACT
        return out


def _one_cell_per_region(regions: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of one cell of each region 1..count (the first cell of its bounding box's top row)."""
    rows = np.empty(count, dtype=np.int64)
    cols = np.empty(count, dtype=np.int64)
    for k, box in enumerate(ndimage.find_objects(regions)):
        if box is None:  # pragma: no cover - find_objects returns a slice for every label that occurs
            rows[k] = cols[k] = 0
            continue
        row = box[0].start
        line = regions[row, box[1]]
        rows[k] = row
        cols[k] = box[1].start + int(np.argmax(line == k + 1))
    return rows, cols
