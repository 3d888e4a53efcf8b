"""Reading back a layer as buurtkaart exports it (:mod:`buurtkaart.exports`), in any of its formats, through one
column mapping: every column of the layer's schema is found under its own name, in any case (KML writes ``name``
as ``Name``), or cut to 10 characters (a shapefile's dBase field names: ``address_te`` for ``address_text``).
Columns a format adds (KML's ``description``, ``timestamp`` ...) are ignored.

Cells become text as the workspace stores them: a date that a GeoJSON reader turned into a date is ISO text again,
a spreadsheet formula that an export neutralised (``'+32...``) is plain again (:func:`~._read.read_table`).
The geometry comes from the vector file, or from a table's ``x``/``y`` (Lambert 72), ``lon``/``lat`` (EPSG:4326) or
``wkt`` (EPSG:31370) columns; a row without coordinates has no geometry.

>>> table = pd.DataFrame({"SIGN_ID": ["b1"], "status": ["gepland"], "x": ["150000.5"], "y": ["170000"]})
>>> frame = layer_rows(table, "infoborden", Problems(), ImportReport(kind="infoborden", source="b.csv"))
>>> frame["sign_id"].tolist(), frame.geometry.iloc[0].wkt, frame.crs.to_epsg()
(['b1'], 'POINT (150000.5 170000)', 31370)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.importers._read import EXCEL_SUFFIXES, TABLE_SUFFIXES, read_table, read_vector, suffix_of
from buurtkaart.importers._validate import Problems, find_columns, to_working_crs
from buurtkaart.importers.report import ImportReport
from buurtkaart.schema import DISPLAY_CRS, LAYERS, WORKING_CRS
from buurtkaart.vector_io import DEFAULT_ENGINE

#: Shapefile field names hold 10 characters (:func:`buurtkaart.exports._write_shapefile` cuts them so).
_DBF_NAME_LENGTH = 10


def column_aliases(kind: str) -> dict[str, tuple[str, ...]]:
    """Every schema column of layer ``kind`` with the names an export may give it.

    >>> column_aliases("members")["address_text"]
    ('address_text', 'address_te')
    """
    return {c: tuple(dict.fromkeys((c, c[:_DBF_NAME_LENGTH]))) for c in LAYERS[kind].columns}


def read_file(path: Path, report: ImportReport, *, layer: str | None = None, sheet: str | None = None,
              preferred: tuple[str, ...] = (), engine: str = DEFAULT_ENGINE) -> pd.DataFrame:
    """The rows of a table (CSV, Excel: every cell text) or of one layer of a vector file (a GeoDataFrame)."""
    if suffix_of(path) in TABLE_SUFFIXES + EXCEL_SUFFIXES:
        return read_table(path, report, sheet=sheet)
    return read_vector(path, layer=layer, preferred=preferred, engine=engine)


def has_column(raw: pd.DataFrame, name: str) -> bool:
    """Whether ``raw`` has column ``name`` under one of its export names."""
    names = {str(c).lower() for c in raw.columns}
    return any(alias.lower() in names for alias in column_aliases_of(name))


def column_aliases_of(name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((name, name[:_DBF_NAME_LENGTH])))


def layer_rows(raw: pd.DataFrame, kind: str, problems: Problems, report: ImportReport, *,
               crs: str | None = None) -> gpd.GeoDataFrame:
    """The schema columns of ``kind`` found in ``raw`` as text (NA where empty or absent) and the geometry in
    EPSG:31370 (None where a row has none); a required column that is absent is a problem. Indexed like ``raw``."""
    spec = LAYERS[kind]
    optional = tuple(c for c in spec.columns if c not in spec.required)
    fields = find_columns(raw, column_aliases(kind), problems, optional=optional)
    frame = pd.DataFrame({c: _text(raw[column]) if column is not None else pd.Series(pd.NA, index=raw.index,
                                                                                       dtype="str")
                          for c, column in fields.items()}, index=raw.index)
    if isinstance(raw, gpd.GeoDataFrame):
        geo = gpd.GeoDataFrame(frame, geometry=raw.geometry.values, crs=raw.crs)
    else:  # the CRS of the coordinate columns is set by _table_geometry
        geo = gpd.GeoDataFrame(frame, geometry=_table_geometry(raw, crs=crs))
        crs = None
    if geo.geometry.isna().all():
        return geo.set_crs(WORKING_CRS, allow_override=True)
    converted = to_working_crs(geo, problems, report, crs=crs)
    return converted if converted is not None else geo.set_crs(WORKING_CRS, allow_override=True)


def _text(values: pd.Series) -> pd.Series:
    """Cells as stored text: dates as ``YYYY-MM-DD``, whole numbers without ``.0``, empty cells NA."""
    if pd.api.types.is_datetime64_any_dtype(values):
        text = values.dt.strftime("%Y-%m-%d")
    else:
        text = values.map(_cell, na_action="ignore")
    text = text.astype("str").str.strip()
    return text.where(text != "", pd.NA)


def _cell(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return value


def _table_geometry(table: pd.DataFrame, *, crs: str | None) -> gpd.GeoSeries:
    """Points from ``x``/``y`` (preferred: Lambert 72 as exported, to the centimetre) or ``lon``/``lat``, else
    shapes from ``wkt``; None where a row has none. No coordinate column at all: every geometry None."""
    by_lower = {str(c).lower(): c for c in table.columns}

    def numbers(name: str) -> np.ndarray:
        text = table[by_lower[name]].astype("str").str.strip().str.replace(",", ".", regex=False)
        return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)

    for x_name, y_name, default_crs in (("x", "y", WORKING_CRS), ("lon", "lat", DISPLAY_CRS)):
        if x_name in by_lower and y_name in by_lower:
            x, y = numbers(x_name), numbers(y_name)
            ok = np.isfinite(x) & np.isfinite(y)
            geoms = np.where(ok, shapely.points(np.where(ok, x, 0.0), np.where(ok, y, 0.0)), None)
            return gpd.GeoSeries(geoms, index=table.index, crs=crs or default_crs)
    if "wkt" in by_lower:
        text = table[by_lower["wkt"]].astype("str").str.strip()
        cells = [None if pd.isna(cell) or cell == "" else str(cell) for cell in text]
        geoms = shapely.from_wkt(np.array(cells, dtype=object), on_invalid="ignore")
        return gpd.GeoSeries(geoms, index=table.index, crs=crs or WORKING_CRS)
    return gpd.GeoSeries([None] * len(table), index=table.index, crs=crs or WORKING_CRS)
