"""Boundaries from GeoPackage, GeoJSON, shapefile or KML: the municipality, its deelgemeenten and wijken, and
the areas of the buurtpreventiegroepen. Columns for id and name are found by their usual names (``code``,
``naam``, KML's ``Name``...) or chosen with ``id_column`` / ``name_column``.

A file that holds several municipalities (a provincial or national layer) needs a choice: :func:`read_municipality`
refuses without one and lists them. Deelgemeenten, wijken and groups keep what lies in the workspace's
municipality (at least half of the area) and report the rest.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd

from buurtkaart.errors import InputError
from buurtkaart.importers import _validate as v
from buurtkaart.importers._read import read_vector
from buurtkaart.importers.report import ImportReport
from buurtkaart.texts import t
from buurtkaart.vector_io import DEFAULT_ENGINE
from buurtkaart.workspace import Workspace, conform

BOUNDARY_KINDS = ("municipality", "deelgemeenten", "wijken", "groups")
_ID_ALIASES = {
    "municipality": ("code", "niscode", "nis_code", "nis", "nis5", "cd_munty_refnis", "gemeente_code", "id"),
    "deelgemeenten": ("code", "niscode", "nis_code", "deelgemeente_code", "cd_sub_munty", "id"),
    "wijken": ("code", "wijk_code", "wijkcode", "id"),
    "groups": ("group_id", "groep_id", "groepid", "groep", "code", "id", "nummer"),
}
_NAME_ALIASES = ("name", "naam", "naam_nl", "name_nl", "tx_munty_descr_nl", "gemeente", "groepsnaam", "wijknaam",
                 "deelgemeente")
_POSTCODE_ALIASES = ("postcode", "post_code", "pc", "postcode_nl", "postal_code")
_POPULATION_ALIASES = ("population", "inwoners", "bevolking", "pop2020_total", "pop_total", "population_total")
_PREFERRED_LAYERS = {"municipality": ("municipalities", "municipality", "gemeenten", "gemeente"),
                     "deelgemeenten": ("deelgemeenten",), "wijken": ("wijken",), "groups": ("groups", "groepen")}
_SHARE_INSIDE = 0.5
_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")


def _load(path: Path, kind: str, *, layer: str | None, id_column: str | None, name_column: str | None,
          crs: str | None, repair: bool, engine: str = DEFAULT_ENGINE
          ) -> tuple[gpd.GeoDataFrame, ImportReport, dict[str, str | None]]:
    """Read, find columns, convert and check a boundary file; every problem in one error."""
    if kind not in BOUNDARY_KINDS:
        raise InputError(t("import.unknown_kind", kind=kind, known=", ".join(BOUNDARY_KINDS)))
    report = ImportReport(kind=kind, source=Path(path).name)
    frame = read_vector(Path(path), layer=layer, preferred=_PREFERRED_LAYERS[kind], engine=engine)
    problems = v.Problems()
    # KML placemarks get an "id" such as "layer.1" from GDAL: not an id a user gave, so not used unless chosen
    kml = Path(path).suffix.lower() in (".kml", ".kmz")
    id_aliases = tuple(a for a in _ID_ALIASES[kind] if not (kml and a == "id"))
    wanted = {"id": id_aliases, "name": _NAME_ALIASES, "postcode": _POSTCODE_ALIASES,
              "population": _POPULATION_ALIASES}
    optional = ("postcode", "population") + (("id",) if kind == "groups" else ())
    columns = v.find_columns(frame, wanted, problems, chosen={"id": id_column, "name": name_column},
                             optional=optional)
    converted = v.to_working_crs(frame, problems, report, crs=crs)
    labels = v.label_column(frame, (columns["name"], columns["id"]))
    v.polygon_problems(frame, problems, labels=labels, repair=repair)
    if columns["id"]:
        v.duplicate_problems(frame[columns["id"]], columns["id"], problems)
    problems.raise_if_any(report.source)
    assert converted is not None  # no problems means the CRS converted
    if repair:
        converted = converted.set_geometry(v.repair_polygons(converted.geometry.values, report))
    return converted, report, columns


def _frame(source: gpd.GeoDataFrame, columns: dict[str, str | None], *, id_name: str,
           fields: tuple[str, ...]) -> gpd.GeoDataFrame:
    data: dict[str, object] = {}
    for field_name in fields:
        target = id_name if field_name == "id" else field_name
        column = columns.get(field_name)
        data[target] = source[column].astype("str").str.strip() if column else pd.Series(pd.NA, index=source.index,
                                                                                          dtype="str")
    return gpd.GeoDataFrame(data, geometry=source.geometry.values, index=source.index, crs=source.crs)


def read_municipality(
    path: str | Path,
    *,
    municipality: str | None = None,
    layer: str | None = None,
    id_column: str | None = None,
    name_column: str | None = None,
    crs: str | None = None,
    repair: bool = False,
    engine: str = DEFAULT_ENGINE,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """The one municipality of a boundary file, as a ``municipality`` layer (code, name, population).

    ``municipality`` is a code (NIS ``23002``) or a name (``Asse``, any case); it may be left out when the file
    holds one municipality. Otherwise the error lists the municipalities to choose from.
    """
    source, report, columns = _load(Path(path), "municipality", layer=layer, id_column=id_column,
                                    name_column=name_column, crs=crs, repair=repair, engine=engine)
    frame = _frame(source, columns, id_name="code", fields=("id", "name", "population"))
    choices = [f"{c} {n}" for c, n in zip(frame["code"], frame["name"], strict=True)]
    if municipality is None:
        if len(frame) != 1:
            raise InputError(t("import.choose_municipality", path=report.source, count=len(frame)), problems=choices)
        chosen = frame
    else:
        wanted = municipality.strip().casefold()
        match = (frame["code"].str.casefold() == wanted) | (frame["name"].str.casefold() == wanted)
        if not match.any():
            raise InputError(t("import.municipality_not_found", name=municipality, path=report.source),
                             problems=choices)
        chosen = frame.loc[match.to_numpy()]
        if len(chosen) > 1:
            raise InputError(t("import.municipality_ambiguous", name=municipality), problems=choices)
    report.drop("import.reason.other_municipality", len(frame) - len(chosen),
                examples=frame.loc[~frame.index.isin(chosen.index), "name"])
    chosen = chosen.copy()
    chosen["population"] = pd.to_numeric(chosen["population"], errors="coerce").astype("Int64")
    report.kept = len(chosen)
    return conform("municipality", chosen.reset_index(drop=True)), report


def read_boundaries(
    path: str | Path,
    *,
    kind: str,
    workspace: Workspace | None = None,
    layer: str | None = None,
    id_column: str | None = None,
    name_column: str | None = None,
    crs: str | None = None,
    repair: bool = False,
    tolerance_m: float = v.DEFAULT_TOLERANCE_M,
    engine: str = DEFAULT_ENGINE,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Deelgemeenten, wijken or groups (``kind``) from a boundary file, in EPSG:31370.

    With a ``workspace`` that has a municipality, polygons with less than half of their area inside it (grown by
    ``tolerance_m``) are left out and reported. Groups without an id column get ``G01``, ``G02``... in file order.
    ``repair=True`` repairs invalid polygons instead of refusing them.
    """
    if kind == "municipality":
        raise InputError(t("import.use_read_municipality"))
    source, report, columns = _load(Path(path), kind, layer=layer, id_column=id_column, name_column=name_column,
                                    crs=crs, repair=repair, engine=engine)
    id_name = {"deelgemeenten": "code", "wijken": "code", "groups": "group_id"}[kind]
    fields = ("id", "name", "postcode") if kind == "deelgemeenten" else ("id", "name")
    frame = _frame(source, columns, id_name=id_name, fields=fields)
    if kind == "groups" and columns["id"] is None:
        width = max(2, len(str(len(frame))))
        frame[id_name] = [f"G{i + 1:0{width}d}" for i in range(len(frame))]
        report.note("import.note.generated_ids", first=frame[id_name].iloc[0] if len(frame) else "-")
    if kind == "groups":
        frame["name"] = frame["name"].fillna(frame[id_name])
    if kind == "deelgemeenten":
        cleaned = frame["name"].str.replace(_PARENTHESIS, "", regex=True)
        if (cleaned != frame["name"]).any():
            report.note("import.note.names_cleaned", example=frame["name"][cleaned != frame["name"]].iloc[0])
        frame["name"] = cleaned
    if kind in ("wijken", "groups") and workspace is not None:
        frame["name"] = _without_municipality(frame["name"], str(workspace.metadata.get("municipality") or ""),
                                              report)
    area = v.municipality_area(workspace)
    if area is not None and len(frame):
        share = v.share_inside(frame.geometry.values, area, tolerance_m=tolerance_m)
        outside = share < _SHARE_INSIDE
        report.drop("import.reason.outside_municipality", int(outside.sum()), examples=frame.loc[outside, "name"])
        frame = frame.loc[~outside]
    elif area is None:
        report.note("import.note.no_municipality")
    report.kept = len(frame)
    if frame.empty:
        raise InputError(t("import.nothing_left", kind=kind, source=report.source), problems=report.reason_lines())
    return conform(kind, frame.reset_index(drop=True)), report


def _without_municipality(names: pd.Series, municipality: str, report: ImportReport) -> pd.Series:
    """Names without a trailing ``(Asse)`` that only repeats the municipality's own name (``Walfergem (Asse)``
    becomes ``Walfergem``); other parentheses stay."""
    if not municipality:
        return names
    suffix = re.compile(r"(\s*\(\s*" + re.escape(municipality) + r"\s*\))+\s*$", re.IGNORECASE)
    cleaned = names.str.replace(suffix, "", regex=True)
    cleaned = cleaned.where(cleaned.str.len() > 0, names)
    changed = (cleaned != names).fillna(False)
    if changed.any():
        report.note("import.note.names_cleaned", example=names[changed].iloc[0])
    return cleaned
