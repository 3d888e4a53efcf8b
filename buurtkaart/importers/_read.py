"""Reading the files a municipality has into a frame: vector files (GeoPackage, GeoJSON, shapefile, KML), text
tables (CSV in UTF-8 or cp1252, any usual separator) and Excel sheets. Every problem becomes a Dutch
:class:`~buurtkaart.errors.InputError` that says what to do.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import geopandas as gpd
import pandas as pd

from buurtkaart.errors import InputError
from buurtkaart.importers.report import ImportReport
from buurtkaart.safe_text import spreadsheet_plain
from buurtkaart.texts import t
from buurtkaart.vector_io import DEFAULT_ENGINE, list_layers, read_vector_layer

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".zip", ".kml", ".kmz", ".fgb", ".gml")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
OSM_SUFFIXES = (".pbf", ".osm")
_SEPARATORS = ",;\t|"
_SNIFF_CHARS = 64_000


def suffix_of(path: Path) -> str:
    """The lower-case file suffix, with ``.osm.pbf`` seen as ``.pbf``."""
    return path.suffix.lower()


def check_exists(path: Path) -> None:
    """A clear error for a missing file or a folder."""
    if not path.exists():
        raise InputError(t("import.file_missing", path=path))
    if path.is_dir():
        raise InputError(t("import.file_is_folder", path=path))


def default_layer(layers: list[str], preferred: tuple[str, ...] = ()) -> str | None:
    """The layer to read when none is chosen: the first of ``preferred`` present, else the only one, else None.

    >>> default_layer(["a", "Adres"], ("Adres",)), default_layer(["a"]), default_layer(["a", "b"])
    ('Adres', 'a', None)
    """
    return next((p for p in preferred if p in layers), layers[0] if len(layers) == 1 else None)


def read_vector(path: Path, *, layer: str | None, preferred: tuple[str, ...] = (),
                engine: str = DEFAULT_ENGINE) -> gpd.GeoDataFrame:
    """Read one layer of a vector file. With several layers and none chosen, take the first of ``preferred``
    present, else refuse with the list of layers. ``engine`` is ``"pyogrio"`` or ``"fiona"``
    (:mod:`buurtkaart.vector_io`)."""
    check_exists(path)
    try:
        layers = list_layers(path, engine=engine)
    except InputError:
        raise
    except Exception as exc:  # pyogrio raises DataSourceError for unreadable files
        raise InputError(t("import.unreadable_vector", path=path.name, reason=_short(exc))) from exc
    if layer is None:
        chosen = default_layer(layers, preferred)
        if chosen is None:
            raise InputError(t("import.choose_layer", path=path.name), problems=layers)
        layer = chosen
    elif layer not in layers:
        raise InputError(t("import.unknown_layer", path=path.name, layer=layer), problems=layers)
    try:
        frame = read_vector_layer(path, layer=layer, engine=engine)
    except Exception as exc:
        raise InputError(t("import.unreadable_vector", path=path.name, reason=_short(exc))) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(t("import.no_geometry_layer", path=path.name, layer=layer))
    return frame


def read_table(path: Path, report: ImportReport | None = None, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV (encoding and separator detected) or an Excel sheet, every cell as text."""
    check_exists(path)
    if suffix_of(path) in EXCEL_SUFFIXES:
        return _plain_cells(_read_excel(path, sheet=sheet))
    raw = path.read_bytes()
    text, encoding = decode_text(raw, name=path.name)
    if report is not None and encoding not in ("utf-8", "utf-8-sig", "ascii"):
        report.note("import.note.encoding", encoding=encoding)
    return _plain_cells(parse_csv_text(text, name=path.name))


def _plain_cells(table: pd.DataFrame) -> pd.DataFrame:
    """Cells as they were before an export neutralised formulas (``'+32 ...`` back to ``+32 ...``), so that an
    exported file imports as the same data; the cells stay text and are never evaluated."""
    for column in table.columns:
        table[column] = spreadsheet_plain(table[column])
    return table


def decode_text(raw: bytes, *, name: str) -> tuple[str, str]:
    """Decode the bytes of a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 (Windows
    Excel exports). Refuses binary files and bytes that fit none of these."""
    if not raw.strip():
        raise InputError(t("import.csv_empty", path=name))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    head = raw[:_SNIFF_CHARS]
    if b"\x00" in head:
        raise InputError(t("import.csv_binary", path=name))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        control = sum(1 for ch in text[:_SNIFF_CHARS] if ord(ch) < 32 and ch not in "\t\r\n")
        if control > max(3, len(text[:_SNIFF_CHARS]) // 200):
            raise InputError(t("import.csv_binary", path=name))
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    raise InputError(t("import.csv_encoding", path=name))


def parse_csv_text(text: str, *, name: str) -> pd.DataFrame:
    """Parse CSV text with the separator found in its first lines; every cell stays text, empty cells NA."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        separator = csv.Sniffer().sniff(sample, delimiters=_SEPARATORS).delimiter
    except csv.Error:
        separator = max(_SEPARATORS, key=sample.count)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False, na_values=[""],
                            skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise InputError(t("import.csv_unparsable", path=name, reason=_short(exc))) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty or len(frame.columns) < 2:
        raise InputError(t("import.csv_no_columns", path=name, columns=", ".join(map(str, frame.columns))))
    return frame


def _read_excel(path: Path, *, sheet: str | None) -> pd.DataFrame:
    try:
        frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, engine="openpyxl")
    except ValueError as exc:  # unknown sheet name
        raise InputError(t("import.excel_unreadable", path=path.name, reason=_short(exc))) from exc
    except Exception as exc:  # openpyxl raises zipfile/KeyError errors for a file that is no xlsx
        raise InputError(t("import.excel_unreadable", path=path.name, reason=_short(exc))) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.dropna(how="all")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
