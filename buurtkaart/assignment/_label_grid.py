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
    """The label raster of ``geoms`` (polygons in one projected CRS), with at most about ``max_cells`` cells.

    The cells are no finer than the borders need: about ``mixed_share`` of the extent lies in mixed cells (the
    marked band is about three cells wide along every border), so a few simple groups get a coarse raster that is
    quick to build, and many detailed groups a fine one, up to ``max_cells``. The answers do not depend on it: a
    coarser raster only sends more points to the exact test.

    ``extra`` layers (e.g. the municipality) get their own labels on the same raster, so that one
    :meth:`locate` serves them all.
    """

    def __init__(self, geoms: np.ndarray, *, max_cells: int = 4_000_000, mixed_share: float = 0.1,
                 tree: shapely.STRtree | None = None, extra: tuple[np.ndarray, ...] = ()) -> None:
        layers = [np.asarray(g, dtype=object) for g in (geoms, *extra)]
        present = [~(shapely.is_missing(g) | shapely.is_empty(g)) for g in layers]
        everything = np.concatenate([g[p] for g, p in zip(layers, present, strict=True)])
        if not len(everything):
            self.cell_m, self.x0, self.y0 = 1.0, 0.0, 0.0
            self.shape = (1, 1)
            self._flat = [np.array([NONE, NONE], dtype=np.int32) for _ in layers]
            return
        xmin, ymin, xmax, ymax = shapely.total_bounds(everything)
        width, height = max(xmax - xmin, 1.0), max(ymax - ymin, 1.0)
        border_m = float(shapely.length(shapely.boundary(everything)).sum())
        coarsest = mixed_share * width * height / (3 * border_m) if border_m > 0 else 0.0
        cell = max(math.sqrt(width * height / max_cells), min(coarsest, max(width, height) / 16), 0.5)
        self.cell_m = cell
        self.x0, self.y0 = xmin - 2 * cell, ymin - 2 * cell
        shape = (int(height / cell) + 5, int(width / cell) + 5)
        self.shape = shape
        # each layer's labels, flattened, plus one extra cell (labelled NONE) for points off the raster
        self._flat = [np.append(self._label(g, p, shape, tree if k == 0 else None).ravel(), np.int32(NONE))
                      for k, (g, p) in enumerate(zip(layers, present, strict=True))]

    def _label(self, geoms: np.ndarray, present: np.ndarray, shape: tuple[int, int],
               tree: shapely.STRtree | None) -> np.ndarray:
        if not present.any():
            return np.full(shape, NONE, dtype=np.int32)
        cell = self.cell_m
        mixed = np.zeros(shape, dtype=bool)
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
        return region_label[regions]

    def locate(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The flat cell index of each point; points outside the raster (or without coordinates) get the index
        of an extra cell labelled :data:`NONE` in every layer.

        Cells come from the same floor formula as the marked boundary cells, so a point exactly on a boundary
        always falls in a marked (exactly tested) cell.
        """
        ny, nx = self.shape
        inv = 1.0 / self.cell_m
        fu = np.floor((x - self.x0) * inv)
        fv = np.floor((y - self.y0) * inv)
        inside = (fu >= 0) & (fu < nx) & (fv >= 0) & (fv < ny)
        return np.where(inside, fv * nx + fu, nx * ny).astype(np.int64)

    def labels_at(self, flat: np.ndarray, layer: int = 0) -> np.ndarray:
        """The labels of layer ``layer`` at cells found by :meth:`locate`."""
        return self._flat[layer][flat]

    def flat_labels(self, layer: int = 0) -> np.ndarray:
        """Layer ``layer``'s labels by flat cell index (read-only use), the last entry for off-raster points."""
        return self._flat[layer]

    def labels(self, x: np.ndarray, y: np.ndarray, layer: int = 0) -> np.ndarray:
        """The label of each point (``int32``); points outside the raster get :data:`NONE`."""
        return self.labels_at(self.locate(x, y), layer)


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
