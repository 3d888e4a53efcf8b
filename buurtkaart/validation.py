"""Checking a frame given to buurtkaart: its CRS, its columns and its geometries, with one text per problem.

Each check either appends a Dutch problem text to ``problems`` (so that a caller gathers every problem and raises
one error naming them all) or, without ``problems``, raises an :class:`~buurtkaart.errors.InputError` at once.

>>> import geopandas as gpd, shapely
>>> frame = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(0, 0)], crs="EPSG:4326")
>>> problems = []
>>> require_crs(frame, what="addresses", problems=problems)
>>> require_columns(frame, ["street"], what="addresses", problems=problems)
['street']
>>> require_geometry(frame, "polygon", what="addresses", problems=problems)
>>> len(problems)
3
>>> require_columns(frame, ["name"], what="addresses")  # nothing missing: no error, nothing missing returned
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t

#: The geometry kinds a check can ask for, with their shapely type ids.
GEOMETRY_KINDS: dict[str, tuple[int, ...]] = {"point": (0,), "line": (1, 5), "polygon": (3, 6)}
_TYPE_NAMES = {0: "Point", 1: "LineString", 2: "LinearRing", 3: "Polygon", 4: "MultiPoint",
               5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection"}


def _report(problem: str, *, what: str, problems: list[str] | None) -> None:
    if problems is not None:
        problems.append(problem)
        return
    raise InputError(t("validation.invalid", layer=what), problems=[problem])


def crs_problem(frame: object, *, what: str) -> str | None:
    """The problem text when ``frame`` (a GeoDataFrame or GeoSeries) is not in EPSG:31370, else ``None``."""
    crs = getattr(frame, "crs", None)
    if crs is None:
        return t("validation.no_crs", layer=what, expected=WORKING_CRS)
    if not crs.equals(WORKING_CRS):
        return t("validation.wrong_crs", layer=what, crs=crs.to_string(), expected=WORKING_CRS)
    return None


def require_crs(frame: gpd.GeoDataFrame | gpd.GeoSeries, *, what: str, problems: list[str] | None = None) -> None:
    """Refuse ``frame`` unless it is in the working CRS (EPSG:31370).

    Parameters
    ----------
    frame
        A GeoDataFrame or GeoSeries.
    what
        The layer's name as the user knows it (``"groups"``, ``"streets"``), named in the text.
    problems
        When given, the problem text is appended to it; when ``None``, an :class:`InputError` is raised.
    """
    problem = crs_problem(frame, what=what)
    if problem is not None:
        _report(problem, what=what, problems=problems)


def require_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, what: str, problems: list[str] | None = None
) -> list[str]:
    """Refuse ``frame`` when any of ``columns`` is missing; returns the missing ones (empty when all are there).

    ``"geometry"`` counts as present in a GeoDataFrame whose active geometry has another name.
    """
    present = set(frame.columns)
    if isinstance(frame, gpd.GeoDataFrame) and frame.active_geometry_name in present:
        present.add("geometry")
    missing = [c for c in columns if c not in present]
    if missing:
        _report(t("validation.missing_columns", layer=what, count=len(missing), columns=", ".join(missing)),
                what=what, problems=problems)
    return missing


def require_geometry(
    frame: gpd.GeoDataFrame | gpd.GeoSeries,
    kinds: str | Sequence[str],
    *,
    what: str,
    problems: list[str] | None = None,
    allow_empty: bool = False,
) -> None:
    """Refuse ``frame`` unless every geometry is of one of ``kinds`` (``"point"``, ``"line"``, ``"polygon"``).

    A frame without geometry, geometries of another kind and (unless ``allow_empty``) missing or empty geometries
    are each one problem. When ``problems`` is given every problem is appended to it; else the first raises.
    """
    wanted = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    allowed = [i for kind in wanted for i in GEOMETRY_KINDS[kind]]
    found: list[str] = []
    series = frame if isinstance(frame, gpd.GeoSeries) else None
    if isinstance(frame, gpd.GeoDataFrame) and frame.active_geometry_name in frame.columns:
        series = frame.geometry
    if series is None:
        found.append(t("validation.no_geometry", layer=what))
    else:
        geoms = np.asarray(series.values, dtype=object)
        present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        types = shapely.get_type_id(geoms)
        wrong = present & ~np.isin(types, allowed)
        if wrong.any():
            expected = t("validation.or").join(t(f"validation.kind.{k}") for k in wanted)
            names = ", ".join(sorted({_TYPE_NAMES.get(int(i), "?") for i in types[wrong]}))
            found.append(t("validation.wrong_geometry", layer=what, count=int(wrong.sum()), expected=expected,
                           found=names))
        if not allow_empty and (~present).any():
            found.append(t("validation.empty_geometry", layer=what, count=int((~present).sum())))
    if problems is not None:
        problems.extend(found)
    elif found:
        raise InputError(t("validation.invalid", layer=what), problems=found)
