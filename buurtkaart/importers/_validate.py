"""Checks every importer shares. Each check adds to one :class:`Problems` list, so that a user sees every
problem of a file at once; :meth:`Problems.raise_if_any` then raises one Dutch
:class:`~buurtkaart.errors.InputError`.

>>> problems = Problems()
>>> frame = pd.DataFrame({"STREET_NL": ["Kerkstraat"], "HUISNR": ["1"]})
>>> find_columns(frame, {"street": ("street", "street_nl"), "postcode": ("postcode",)}, problems)
{'street': 'STREET_NL', 'postcode': None}
>>> problems.items
["kolom voor 'postcode' ontbreekt (gezocht: postcode; gevonden: STREET_NL, HUISNR); kies ze met de kolomoptie"]
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from buurtkaart.errors import InputError
from buurtkaart.importers.report import ImportReport
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t

#: Belgium in Lambert 72 with a margin (metres): anything outside after conversion has a wrong CRS.
BELGIUM_31370 = (-10_000.0, -10_000.0, 330_000.0, 280_000.0)
#: How far outside the municipality a feature may lie and still count as inside (simplified boundaries).
DEFAULT_TOLERANCE_M = 50.0


class Problems:
    """Problems found in one input, gathered so that all of them are reported at once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> None:
        self.items.append(text)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, source: str) -> None:
        """Raise one :class:`InputError` naming every problem, if there are any."""
        if self.items:
            raise InputError(t("import.invalid_input", source=source), problems=self.items)


def find_columns(
    frame: pd.DataFrame,
    wanted: Mapping[str, tuple[str, ...]],
    problems: Problems,
    *,
    chosen: Mapping[str, str | None] | None = None,
    optional: tuple[str, ...] = (),
) -> dict[str, str | None]:
    """Map each wanted field to a column of ``frame``: the user's choice in ``chosen`` if given, else the first
    alias found (case-insensitive). A required field without a column is a problem."""
    by_lower = {str(c).lower(): str(c) for c in frame.columns if str(c) != "geometry"}
    found: dict[str, str | None] = {}
    for field_name, aliases in wanted.items():
        choice = (chosen or {}).get(field_name)
        if choice:
            if choice not in frame.columns and choice.lower() not in by_lower:
                problems.add(t("import.chosen_column_missing", column=choice, field=field_name,
                               found=", ".join(by_lower.values())))
                found[field_name] = None
            else:
                found[field_name] = choice if choice in frame.columns else by_lower[choice.lower()]
            continue
        column = next((by_lower[a.lower()] for a in aliases if a.lower() in by_lower), None)
        found[field_name] = column
        if column is None and field_name not in optional:
            problems.add(t("import.missing_column", field=field_name, aliases=", ".join(aliases),
                           found=", ".join(by_lower.values())))
    return found


def to_working_crs(
    frame: gpd.GeoDataFrame, problems: Problems, report: ImportReport, *, crs: str | None = None
) -> gpd.GeoDataFrame | None:
    """Convert ``frame`` to EPSG:31370. ``crs`` sets the CRS of a file that has none (or overrides it).

    A missing CRS, or coordinates that fall outside Belgium after conversion (a wrong CRS), is a problem; the
    problem says what the coordinates look like, so the user can choose the right ``--crs``.
    """
    if crs is not None:
        frame = frame.set_crs(crs, allow_override=True)
    if frame.crs is None:
        problems.add(t("import.no_crs", looks=_looks_like(frame)))
        return None
    source_crs = frame.crs.to_string()
    converted = frame if frame.crs.equals(WORKING_CRS) else frame.to_crs(WORKING_CRS)
    geoms = converted.geometry.values
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if present.any():
        xmin, ymin, xmax, ymax = shapely.total_bounds(geoms[present])
        finite = np.all(np.isfinite([xmin, ymin, xmax, ymax]))
        if not finite or not _within((xmin, ymin, xmax, ymax), BELGIUM_31370):
            problems.add(t("import.outside_belgium", crs=source_crs, looks=_looks_like(frame)))
            return None
    if not frame.crs.equals(WORKING_CRS):
        report.note("import.note.converted", crs=source_crs)
    return converted


def _looks_like(frame: gpd.GeoDataFrame) -> str:
    geoms = frame.geometry.values
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        return t("import.looks.unknown")
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms[present])
    if _within((xmin, ymin, xmax, ymax), (-180, -90, 180, 90)):
        return t("import.looks.degrees")
    if _within((xmin, ymin, xmax, ymax), (0, 0, 320_000, 280_000)):
        return t("import.looks.lambert72")
    if _within((xmin, ymin, xmax, ymax), (450_000, 500_000, 750_000, 800_000)):
        return t("import.looks.lambert2008")
    return t("import.looks.other", x=round(float(xmin)), y=round(float(ymin)))


def field_text(frame: pd.DataFrame, fields: Mapping[str, str | None], name: str) -> pd.Series:
    """The column found for field ``name`` as stripped text, empty cells NA (all NA where there is no column).

    >>> field_text(pd.DataFrame({"STRAAT": [" Kerkstraat ", ""]}), {"street": "STRAAT"}, "street").tolist()
    ['Kerkstraat', nan]
    """
    column = fields.get(name)
    if column is None:
        return pd.Series(pd.NA, index=frame.index, dtype="str")
    values = frame[column].astype("str").str.strip()
    return values.where(values != "", pd.NA)


def _within(bounds: tuple[float, ...], box: tuple[float, ...]) -> bool:
    return bool(bounds[0] >= box[0] and bounds[1] >= box[1] and bounds[2] <= box[2] and bounds[3] <= box[3])


def points_from_table(
    frame: pd.DataFrame,
    problems: Problems,
    report: ImportReport,
    *,
    columns: Mapping[str, str | None] | None = None,
    crs: str | None = None,
) -> gpd.GeoDataFrame | None:
    """Points from coordinate columns of a table: lat/lon (EPSG:4326) or Lambert x/y (EPSG:31370, or ``crs``).

    Rows with unreadable coordinates are dropped and reported; the result is in EPSG:31370.
    """
    chosen = columns or {}
    local = Problems()
    latlon = find_columns(frame, {"lat": ("lat", "latitude", "breedtegraad", "y_wgs84", "wgs84_lat"),
                                  "lon": ("lon", "lng", "long", "longitude", "lengtegraad", "x_wgs84", "wgs84_lon")},
                          local, chosen={k: chosen.get(k) for k in ("lat", "lon")})
    if latlon["lat"] and latlon["lon"]:
        x_col, y_col, source_crs = latlon["lon"], latlon["lat"], crs or "EPSG:4326"
    else:
        xy = find_columns(frame, {"x": ("x", "x_lambert", "lambert_x", "x_l72", "xcoord", "x_coord", "x_31370"),
                                  "y": ("y", "y_lambert", "lambert_y", "y_l72", "ycoord", "y_coord", "y_31370")},
                          local, chosen={k: chosen.get(k) for k in ("x", "y")})
        if not (xy["x"] and xy["y"]):
            problems.add(t("import.no_coordinates", found=", ".join(map(str, frame.columns))))
            return None
        x_col, y_col, source_crs = xy["x"], xy["y"], crs or WORKING_CRS
    x = _numbers(frame[x_col])
    y = _numbers(frame[y_col])
    bad = x.isna() | y.isna()
    if bad.all():
        problems.add(t("import.coordinates_unreadable", x=x_col, y=y_col))
        return None
    report.drop("import.reason.no_coordinates", int(bad.sum()), examples=[t("import.row", row=i + 2)
                                                                          for i in np.flatnonzero(bad)[:5]])
    kept = frame.loc[~bad]
    points = gpd.GeoDataFrame(kept, geometry=gpd.points_from_xy(x[~bad], y[~bad]), crs=source_crs)
    return to_working_crs(points, problems, report)


def _numbers(series: pd.Series) -> pd.Series:
    """Numbers from text that may use a decimal comma (``50,91``)."""
    text = series.astype("str").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")


def drop_empty_geometries(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    """Leave out rows without a geometry (reported)."""
    geoms = frame.geometry.values
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    report.drop("import.reason.empty_geometry", int(empty.sum()))
    return frame.loc[~empty]


def polygon_problems(frame: gpd.GeoDataFrame, problems: Problems, *, labels: pd.Series, repair: bool) -> None:
    """Empty, non-polygon and (unless ``repair``) invalid geometries of a boundary layer are problems."""
    geoms = frame.geometry.values
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        problems.add(t("import.polygon_empty", count=int(empty.sum()), examples=_examples(labels[empty])))
    types = shapely.get_type_id(geoms)
    wrong = ~empty & ~np.isin(types, [3, 6])
    if wrong.any():
        problems.add(t("import.polygon_wrong_type", count=int(wrong.sum()), examples=_examples(labels[wrong])))
    if not repair:
        invalid = ~empty & ~wrong & ~shapely.is_valid(geoms)
        if invalid.any():
            reasons = [shapely.is_valid_reason(g) for g in geoms[invalid][:3]]
            problems.add(t("import.polygon_invalid", count=int(invalid.sum()), examples=_examples(labels[invalid]),
                           reasons="; ".join(reasons)))


def repair_polygons(geoms: np.ndarray, report: ImportReport) -> np.ndarray:
    """Repair invalid polygons with ``shapely.make_valid``, keeping only their polygonal parts (reported)."""
    invalid = ~shapely.is_valid(geoms)
    if not invalid.any():
        return geoms
    fixed = np.array(geoms, dtype=object)
    for i in np.flatnonzero(invalid):
        # make_valid may give a collection holding (multi)polygons and lines: keep the polygons, flattened
        parts = [p for p in shapely.get_parts(shapely.get_parts(shapely.make_valid(geoms[i])))
                 if p.geom_type == "Polygon"]
        fixed[i] = shapely.MultiPolygon(parts) if parts else geoms[i]
    report.note("import.note.repaired", count=int(invalid.sum()))
    return fixed


def duplicate_problems(values: pd.Series, field_name: str, problems: Problems) -> None:
    """Duplicate or empty ids are problems."""
    empty = values.isna() | (values.astype("str").str.strip() == "")
    if empty.any():
        problems.add(t("import.id_empty", field=field_name, count=int(empty.sum())))
    dupes = values[values.duplicated(keep=False) & ~empty]
    if len(dupes):
        problems.add(t("import.id_duplicate", field=field_name, count=dupes.nunique(),
                       examples=_examples(pd.Series(dupes.unique()))))


def _examples(values: pd.Series | np.ndarray) -> str:
    return ", ".join(str(v) for v in list(values)[:3])


def municipality_area(ws: object | None) -> BaseGeometry | None:
    """The municipality polygon of a workspace (None without workspace or without municipality layer)."""
    if ws is None:
        return None
    frame = ws.read("municipality")  # type: ignore[attr-defined]
    if frame.empty:
        return None
    return shapely.union_all(frame.geometry.values)


def share_inside(geoms: np.ndarray, area: BaseGeometry, *, tolerance_m: float) -> np.ndarray:
    """The share (0..1) of each polygon's area, or each line's length, inside ``area`` grown by ``tolerance_m``."""
    grown = shapely.buffer(area, tolerance_m)
    shapely.prepare(grown)
    types = shapely.get_type_id(geoms)
    lines = np.isin(types, [1, 5])
    size = np.where(lines, shapely.length(geoms), shapely.area(geoms))
    inside_all = shapely.contains(grown, geoms)
    share = np.where(inside_all, 1.0, 0.0)
    partial = ~inside_all & shapely.intersects(grown, geoms)
    if partial.any():
        cut = shapely.intersection(geoms[partial], grown)
        cut_size = np.where(lines[partial], shapely.length(cut), shapely.area(cut))
        with np.errstate(invalid="ignore", divide="ignore"):
            share[partial] = np.where(size[partial] > 0, cut_size / size[partial], 1.0)
    return share


def label_column(frame: pd.DataFrame, preferred: tuple[str | None, ...]) -> pd.Series:
    """Readable labels for examples in problems: the first present column of ``preferred``, else row numbers."""
    for column in preferred:
        if column and column in frame.columns:
            return frame[column].astype("str").fillna("?").reset_index(drop=True)
    return pd.Series([t("import.row", row=i + 1) for i in range(len(frame))])
