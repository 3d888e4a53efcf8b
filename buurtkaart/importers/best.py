"""BOSA's BeST-Address "openaddress" CSV (``openaddress-bevlg.csv``, the Belgian authentic source), recognised by
its header without any column option.

The layout (one row per address; an apartment's box number is its own row with its own ``address_id``)::

    EPSG:31370_x, EPSG:31370_y, EPSG:4326_lat, EPSG:4326_lon, address_id, box_number, house_number,
    municipality_id, municipality_name_de, municipality_name_fr, municipality_name_nl, postcode, postname_fr,
    postname_nl, street_id, streetname_de, streetname_fr, streetname_nl, region_code, status

Since October 2026 the Lambert columns are Lambert 2008 (``EPSG:3812_x``, ``EPSG:3812_y``); both layouts are read,
the Lambert columns preferred over the WGS84 ones. The file covers a whole region, so it is read in chunks and only
the rows of the workspace's municipality (its NIS code, ``municipality_id``) are kept; the other municipalities are
counted in the report. Status: ``current`` is kept, ``proposed`` is kept and marked (``register_status``),
``retired`` and ``rejected`` (and any unknown status) are left out and counted. Every box is its own household; the
box-less row of a house number that has boxes is the building itself, not one more household, so it is left out
(reported) while its boxes are kept.

>>> is_best_header(["EPSG:3812_x", "EPSG:3812_y", "address_id", "box_number", "house_number", "status"])
True
>>> is_best_header(["STREET_NL", "HUISNR", "LAT", "LON"])
False
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from buurtkaart.errors import InputError
from buurtkaart.importers import _validate as v
from buurtkaart.importers._read import TABLE_SUFFIXES, check_exists, decode_text, suffix_of
from buurtkaart.importers.addresses import (
    _address_frame,
    _drop_duplicates,
    _drop_incomplete,
    _ids,
    _keep_in_municipality,
    _parts,
    deelgemeente_of,
)
from buurtkaart.importers.report import ImportReport
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, conform

#: Statuses kept (the second one marked in ``register_status``); every other status is left out.
KEPT_STATUSES = ("current", "proposed")
#: Coordinate columns, best first: (x or lon column, y or lat column, CRS).
_COORDINATES = (
    ("EPSG:31370_x", "EPSG:31370_y", "EPSG:31370"),
    ("EPSG:3812_x", "EPSG:3812_y", "EPSG:3812"),
    ("EPSG:4326_lon", "EPSG:4326_lat", "EPSG:4326"),
)
_REQUIRED = ("address_id", "box_number", "house_number", "status")
_TEXT = ("address_id", "box_number", "house_number", "municipality_id", "municipality_name_nl",
         "municipality_name_fr", "municipality_name_de", "postcode", "streetname_nl", "streetname_fr",
         "streetname_de", "status")
_CHUNK_ROWS = 200_000
_HEAD_BYTES = 64_000


def is_best_header(columns: list[str]) -> bool:
    """True when ``columns`` are those of a BeST-Address CSV (both Lambert layouts)."""
    names = {str(c).strip() for c in columns}
    return set(_REQUIRED) <= names and any({x, y} <= names for x, y, _ in _COORDINATES)


def is_best_file(path: Path) -> bool:
    """True when ``path`` is a CSV whose header is that of a BeST-Address CSV."""
    if suffix_of(path) not in TABLE_SUFFIXES or not path.is_file():
        return False
    try:
        columns, _, _ = _header(path)
    except InputError:
        return False
    return is_best_header(columns)


def read_best_addresses(
    path: str | Path, *, workspace: Workspace | None = None, tolerance_m: float = v.DEFAULT_TOLERANCE_M
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read a BeST-Address CSV into an ``addresses`` layer (EPSG:31370) and a report of what was left out."""
    path = Path(path)
    check_exists(path)
    report = ImportReport(kind="addresses", source=path.name)
    columns, encoding, separator = _header(path)
    if not is_best_header(columns):
        raise InputError(t("import.best.not_best", path=path.name), problems=[", ".join(columns)])
    code = None if workspace is None else workspace.metadata.get("municipality_code")
    table = _read_rows(path, columns, encoding=encoding, separator=separator, code=code, report=report)
    table = _keep_statuses(table, report)
    problems = v.Problems()
    x_col, y_col, crs = next((x, y, c) for x, y, c in _COORDINATES if {x, y} <= set(columns))
    chosen = {"lat": y_col, "lon": x_col} if crs == "EPSG:4326" else {"x": x_col, "y": y_col}
    points = v.points_from_table(table, problems, report, columns=chosen, crs=crs) if len(table) else None
    if points is None and not problems:
        raise InputError(t("import.nothing_left", kind="addresses", source=report.source),
                         problems=report.reason_lines())
    problems.raise_if_any(report.source)
    assert points is not None
    streets = points["streetname_nl"]
    for other in ("streetname_fr", "streetname_de"):  # the Flemish file has Dutch names; a Brussels row may not
        if other in points.columns:
            streets = streets.fillna(points[other])
    points = points.assign(_street=streets)
    fields = {"street": "_street", "housenumber": "house_number", "postcode": "postcode", "box": "box_number",
              "municipality": "municipality_name_nl" if "municipality_name_nl" in points else None,
              "id": "address_id"}
    return register_layer(points, fields, report, workspace=workspace, tolerance_m=tolerance_m)


def register_layer(points: gpd.GeoDataFrame, fields: dict[str, str | None], report: ImportReport, *,
                   workspace: Workspace | None, tolerance_m: float) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """The ``addresses`` layer of a register's points (EPSG:31370) whose ``status`` column holds the BeST statuses
    already kept (``current``, ``proposed``): one row per address or box, the box-less building row of a number
    with boxes left out, ``register_status`` set. Shared by the BeST CSV and the Flemish address register readers
    (:mod:`buurtkaart.importers.flemish_addresses`)."""
    status_of = dict(zip(points[fields["id"]], points["status"], strict=True))
    frame = _address_frame(points, fields, report)
    frame = _keep_in_municipality(frame, v.municipality_area(workspace), report, tolerance_m=tolerance_m)
    frame = _drop_incomplete(frame, report)
    frame = _drop_buildings_with_boxes(frame, report)
    frame["deelgemeente"] = deelgemeente_of(frame.geometry, _parts(workspace))  # part of the duplicate key
    frame = _drop_duplicates(frame, report)
    frame["address_id"] = _ids(frame)
    frame["register_status"] = frame["_source_id"].map(status_of).astype("str")
    proposed = int((frame["register_status"] == "proposed").sum())
    if proposed:
        report.note("import.best.note_proposed", count=proposed)
    report.kept = len(frame)
    if frame.empty:
        raise InputError(t("import.nothing_left", kind="addresses", source=report.source),
                         problems=report.reason_lines())
    frame = frame.drop(columns=["municipality", "_source_id"]).reset_index(drop=True)
    return conform("addresses", frame), report


def _header(path: Path) -> tuple[list[str], str, str]:
    """The column names, encoding and separator of a CSV, from its first bytes only (the file may be 1 GB)."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    cut = head.rfind(b"\n")
    text, encoding = decode_text(head if cut < 0 else head[:cut], name=path.name)
    first = text.splitlines()[0] if text.splitlines() else ""
    separator = max(",;\t|", key=first.count)
    encoding = "utf-8-sig" if encoding == "utf-8" else encoding
    return [c.strip().strip('"') for c in first.split(separator)], encoding, separator


def _read_rows(path: Path, columns: list[str], *, encoding: str, separator: str, code: str | None,
               report: ImportReport) -> pd.DataFrame:
    """The rows of municipality ``code`` (all rows without a code), read in chunks, every cell as text."""
    wanted = set(_TEXT) | {c for x, y, _ in _COORDINATES for c in (x, y)}
    usecols = [c for c in columns if c in wanted]
    kept: list[pd.DataFrame] = []
    others: pd.Series = pd.Series(dtype="int64")
    try:
        chunks = pd.read_csv(path, sep=separator, dtype=str, keep_default_na=False, na_values=[""],
                             usecols=usecols, encoding=encoding, chunksize=_CHUNK_ROWS)
        for chunk in chunks:
            chunk.columns = [c.strip() for c in chunk.columns]
            if code is None or "municipality_id" not in chunk.columns:
                kept.append(chunk)
                continue
            own = chunk["municipality_id"].str.strip() == str(code)
            kept.append(chunk.loc[own])
            name = chunk.get("municipality_name_nl", chunk["municipality_id"]).fillna(chunk["municipality_id"])
            others = others.add(name[~own].fillna("?").value_counts(), fill_value=0)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(t("import.csv_unparsable", path=path.name, reason=str(exc).splitlines()[0][:200])) from exc
    others = others.astype("int64").sort_values(ascending=False)
    report.drop("import.reason.other_municipality", int(others.sum()),
                examples=[f"{name}: {n}" for name, n in others.items()])
    table = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=usecols)
    if code is not None and table.empty:
        raise InputError(t("import.best.no_rows", path=path.name, code=code),
                         problems=[t("import.best.found", names=", ".join(map(str, others.index[:10])) or "-")])
    return table


def _keep_statuses(table: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    status = table["status"].fillna("").str.strip().str.lower()
    for value, count in status[~status.isin(KEPT_STATUSES)].value_counts().items():
        reason = f"import.best.reason.{value}" if value in ("retired", "rejected") else "import.best.reason.other"
        report.drop(reason, int(count), examples=[value or "-"] if reason.endswith("other") else ())
    return table.loc[status.isin(KEPT_STATUSES).to_numpy()].assign(status=status)


def _drop_buildings_with_boxes(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    """Leave out the box-less row of a house number that has box rows: the boxes are its households."""
    key = ["street", "housenumber", "suffix", "postcode"]
    keys = frame[key].astype("object").where(frame[key].notna(), "")
    with_boxes = pd.MultiIndex.from_frame(keys[frame["box"].notna()]).unique()
    building = frame["box"].isna().to_numpy() & pd.MultiIndex.from_frame(keys).isin(with_boxes)
    examples = (frame.loc[building, "street"] + " " + frame.loc[building, "housenumber"].astype("str")).tolist()
    report.drop("import.best.reason.building_with_boxes", int(building.sum()), examples=examples[:5])
    return frame.loc[~building]
