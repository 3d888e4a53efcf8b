"""Register addresses a few metres over the municipal border are the municipality's own.

The address importer keeps an address of the municipality's postcodes that lies just over the (simplified) border
of the municipality polygon. Such an address is never told it is outside: the municipality's area, as the
assignment sees it, takes in a small disk around it (:func:`own_area`), and it is assigned to a group as if it stood
just inside the border (:func:`just_inside`).

>>> area = shapely.box(0, 0, 100, 100)
>>> grown = own_area(area, np.array([shapely.Point(102, 50), shapely.Point(180, 50), shapely.Point(50, 50)]))
>>> grown.contains(shapely.Point(102, 50)), grown.contains(shapely.Point(180, 50)), round(grown.area - area.area)
(True, False, 3)
>>> just_inside(np.array([shapely.Point(102, 50)]), area)[0].coords[0]
(99.99, 50.0)
"""

from __future__ import annotations

import numpy as np
import shapely

#: Around a register address over the municipal border, the radius (metres) that counts as the municipality's.
OWN_ADDRESS_M = 1.0
#: How far over the border a register address may lie and still be the municipality's own (the importers'
#: default tolerance, ``buurtkaart.importers._validate.DEFAULT_TOLERANCE_M``); farther is outside.
OWN_BORDER_M = 50.0
#: How far inside the border a register address over it is looked at (metres).
OWN_INWARD_M = 0.01


def own_area(area: shapely.Geometry, points: np.ndarray) -> shapely.Geometry:
    """``area`` with a disk of :data:`OWN_ADDRESS_M` around each point (a numpy array of points) that lies outside
    it but within :data:`OWN_BORDER_M`; ``area`` itself (the same object) when there is none."""
    if not len(points):
        return area
    shapely.prepare(area)
    over = points[~shapely.intersects(area, points) & shapely.dwithin(area, points, OWN_BORDER_M)]
    if not len(over):
        return area
    return shapely.union_all(np.concatenate([[area], shapely.buffer(over, OWN_ADDRESS_M, quad_segs=4)]))


def just_inside(points: np.ndarray, area: shapely.Geometry) -> np.ndarray:
    """Each point (outside ``area``) moved to :data:`OWN_INWARD_M` past the nearest point of ``area``'s border."""
    start = shapely.get_coordinates(points)
    end = shapely.get_coordinates(shapely.get_point(shapely.shortest_line(points, area), 1))
    step = end - start
    length = np.hypot(step[:, 0], step[:, 1])
    return shapely.points(end + step / np.where(length > 0, length, 1.0)[:, None] * OWN_INWARD_M)
