"""The Flemish address register (Adressenregister, Digitaal Vlaanderen) as a municipality gets it today, recognised
without any column option:

- the **download** (GeoPackage or shapefile, layer ``Adres``): points in Lambert 72 with the documented short field
  names ``adresid``, ``straatnm``, ``huisnr``, ``busnr``, ``postcode``, ``gemeentenm``, ``niscode`` and ``status``
  (the long names ``huisnummer``, ``busnummer``, ``straatnaam``, ``gemeentenaam``, ``adresstatus`` are read too);
- the **Basisregisters Vlaanderen API v2** (``/v2/adressen``): a JSON file with ``adressen[]``, each address as the
  detail endpoint gives it (``identificator.objectId``, ``straatnaam``, ``postinfo``, ``gemeente``, ``huisnummer``,
  ``busnummer``, ``adresStatus`` and ``adresPositie`` with a GML point), as ``buurtkaart fetch`` saves it.

Status as in the BeST file (:mod:`buurtkaart.importers.best`): ``inGebruik`` is kept, ``voorgesteld`` is kept and
marked, ``gehistoreerd`` and ``afgekeurd`` are reported and left out; every box (``busnummer``) is its own household.

>>> ar_status(pd.Series(["inGebruik", "voorgesteld", "gehistoreerd", "afgekeurd", "?"])).tolist()
['current', 'proposed', 'retired', 'rejected', '?']
>>> gml_point('<gml:Point srsName="https://www.opengis.net/def/crs/EPSG/0/31370"><gml:pos>150.5 170.25</gml:pos>'
...           '</gml:Point>')
(150.5, 170.25, 'EPSG:31370')
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.importers import _validate as v
from buurtkaart.importers._read import check_exists, default_layer, read_vector, suffix_of
from buurtkaart.importers.best import _keep_statuses, register_layer
from buurtkaart.importers.report import ImportReport
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vector_io import DEFAULT_ENGINE
from buurtkaart.workspace import Workspace

#: The register's status (lower case) and the BeST status it counts as.
STATUSES = {"ingebruik": "current", "voorgesteld": "proposed", "gehistoreerd": "retired", "afgekeurd": "rejected"}
_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("adresid", "adresobjectid", "objectid"),
    "street": ("straatnm", "straatnaam"),
    "housenumber": ("huisnr", "huisnummer"),
    "box": ("busnr", "busnummer"),
    "postcode": ("postcode", "postcd"),
    "municipality": ("gemeentenm", "gemeentenaam"),
    "code": ("niscode", "nisgemcode", "gemeenteid"),
    "status": ("status", "adresstatus", "adresstat"),
}
_OPTIONAL = ("box", "postcode", "municipality", "code")
_PREFERRED_LAYERS = ("Adres", "adres", "Adressen", "adressen")
_VECTOR = (".gpkg", ".shp", ".zip")
_API = (".json", ".jsonld")
_SAMPLE_ROWS = 50
_POS = re.compile(r"<(?:\w+:)?pos[^>]*>\s*([-\d.eE+]+)\s+([-\d.eE+]+)")
_SRS = re.compile(r"EPSG(?:/0/|:+)(\d+)")


def ar_status(values: pd.Series) -> pd.Series:
    """The BeST status of each register status; an unknown status stays as it is (and is left out later)."""
    key = values.astype("str").str.strip().str.lower()
    return key.map(STATUSES).fillna(values.astype("str"))


def gml_point(gml: str) -> tuple[float, float, str]:
    """x, y and CRS of a GML point (``adresPositie.geometrie.gml`` of the API); Lambert 72 when no ``srsName``."""
    pos = _POS.search(gml)
    if pos is None:
        raise ValueError("no gml:pos")
    srs = _SRS.search(gml)
    return float(pos.group(1)), float(pos.group(2)), f"EPSG:{srs.group(1) if srs else 31370}"


# ------------------------------------------------------------------------------------------------ recognition
def is_register_download(path: Path) -> bool:
    """True when ``path`` is a GeoPackage or shapefile of the address register (its fields and statuses)."""
    if suffix_of(path) not in _VECTOR or not path.is_file():
        return False
    try:
        import pyogrio

        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        layer = default_layer(layers, _PREFERRED_LAYERS)
        if layer is None:
            return False
        sample = pyogrio.read_dataframe(path, layer=layer, max_features=_SAMPLE_ROWS, read_geometry=False)
    except Exception:  # not readable: the generic reader gives the clear error
        return False
    fields = v.find_columns(sample, _FIELDS, v.Problems(), optional=tuple(_FIELDS))
    if any(fields[name] is None for name in ("housenumber", "street", "status")):
        return False
    statuses = sample[str(fields["status"])].dropna().astype("str").str.strip().str.lower()
    return bool(len(statuses)) and bool(statuses.isin(list(STATUSES)).all())


def is_api_file(path: Path) -> bool:
    """True when ``path`` is a JSON file of the API v2 (``adressen`` with ``identificator``)."""
    if suffix_of(path) not in _API or not path.is_file():
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    return '"adressen"' in head and ('"identificator"' in head or '"adresStatus"' in head)


# ------------------------------------------------------------------------------------------------ readers
def read_register_download(path: str | Path, *, workspace: Workspace | None = None, layer: str | None = None,
                           tolerance_m: float = v.DEFAULT_TOLERANCE_M, engine: str = DEFAULT_ENGINE
                           ) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read the address register's download (GeoPackage or shapefile) into an ``addresses`` layer and a report."""
    path = Path(path)
    report = ImportReport(kind="addresses", source=path.name)
    problems = v.Problems()
    code = None if workspace is None else workspace.metadata.get("municipality_code")
    raw = _own_rows(path, layer=layer, code=code, report=report) if engine == DEFAULT_ENGINE else None
    if raw is not None and raw.empty:
        raise InputError(t("import.vl.no_rows", path=path.name, code=code))
    if raw is None:
        raw = read_vector(path, layer=layer, preferred=_PREFERRED_LAYERS, engine=engine)
    fields = v.find_columns(raw, _FIELDS, problems, optional=_OPTIONAL)
    points = v.to_working_crs(raw, problems, report)
    problems.raise_if_any(report.source)
    assert points is not None
    points = v.drop_empty_geometries(points, report)
    table = gpd.GeoDataFrame({name: v.field_text(points, fields, name) for name in _FIELDS},
                             geometry=points.geometry.values, index=points.index, crs=points.crs)
    table["postcode"] = table["postcode"].str.replace(r"\.0$", "", regex=True)
    table["code"] = table["code"].str.replace(r"\.0$", "", regex=True)
    return _register_frame(table, report, workspace=workspace, tolerance_m=tolerance_m)


def _own_rows(path: Path, *, layer: str | None, code: str | None, report: ImportReport) -> gpd.GeoDataFrame | None:
    """Only the rows of municipality ``code`` of a download for all of Flanders (about 3.5 million points), read
    with an attribute filter; the others are counted, not read. ``None`` when the file cannot be read this way."""
    if code is None or not code.isdigit():
        return None
    try:
        import pyogrio

        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        chosen = layer or default_layer(layers, _PREFERRED_LAYERS)
        if chosen is None:
            return None
        info = pyogrio.read_info(path, layer=chosen)
        by_lower = {str(f).lower(): (str(f), str(kind)) for f, kind in zip(info["fields"], info["dtypes"],
                                                                               strict=True)}
        found = next((by_lower[a] for a in _FIELDS["code"] if a in by_lower), None)
        if found is None:
            return None
        name, kind = found
        value = code if kind.startswith(("int", "float")) else f"'{code}'"
        frame = pyogrio.read_dataframe(path, layer=chosen, where=f'"{name}" = {value}')
    except Exception:  # the full read gives the clear error
        return None
    total = int(info["features"]) if int(info["features"]) >= 0 else len(frame)
    report.drop("import.reason.other_municipality", total - len(frame))
    return frame if isinstance(frame, gpd.GeoDataFrame) else None


def read_api_addresses(path: str | Path, *, workspace: Workspace | None = None,
                       tolerance_m: float = v.DEFAULT_TOLERANCE_M) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read a JSON file of API v2 addresses (``{"adressen": [detail, ...]}``) into an ``addresses`` layer."""
    path = Path(path)
    check_exists(path)
    report = ImportReport(kind="addresses", source=path.name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(t("import.vl.api_bad_json", path=path.name, reason=str(exc)[:200])) from exc
    items = data.get("adressen") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError(t("import.vl.api_no_list", path=path.name))
    return api_frame(items, report, workspace=workspace, tolerance_m=tolerance_m)


def api_frame(items: list[Any], report: ImportReport, *, workspace: Workspace | None,
              tolerance_m: float = v.DEFAULT_TOLERANCE_M) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """The ``addresses`` layer of API v2 address details (the dicts of ``/v2/adressen/{id}``)."""
    rows: list[dict[str, Any]] = []
    no_position = 0
    gone: list[str] = []  # list entries of retired or rejected addresses: counted, no detail needed
    for item in items:
        if not isinstance(item, dict):
            continue
        try:
            x, y, crs = gml_point(str(_get(item, "adresPositie", "geometrie", "gml") or ""))
        except ValueError:
            status = str(item.get("adresStatus") or "")
            if STATUSES.get(status.lower()) in ("retired", "rejected"):
                gone.append(status)
            else:
                no_position += 1
            continue
        rows.append({
            "id": _text(_get(item, "identificator", "objectId")),
            "street": _text(_get(item, "straatnaam", "straatnaam", "geografischeNaam", "spelling")),
            "housenumber": _text(item.get("huisnummer")), "box": _text(item.get("busnummer")),
            "postcode": _text(_get(item, "postinfo", "objectId")),
            "municipality": _text(_get(item, "gemeente", "gemeentenaam", "geografischeNaam", "spelling")),
            "code": _text(_get(item, "gemeente", "objectId")), "status": _text(item.get("adresStatus")),
            "x": x, "y": y, "crs": crs,
        })
    if no_position and not rows:
        raise InputError(t("import.vl.api_no_positions", path=report.source, count=no_position))
    report.drop("import.vl.reason.no_position", no_position)
    _keep_statuses(pd.DataFrame({"status": ar_status(pd.Series(gone, dtype="str"))}), report)
    if not rows:
        raise InputError(t("import.nothing_left", kind="addresses", source=report.source),
                         problems=report.reason_lines())
    frame = pd.DataFrame(rows)
    parts = []
    for crs, group in frame.groupby("crs", sort=False):
        points = gpd.GeoDataFrame(group.drop(columns=["x", "y", "crs"]),
                                  geometry=shapely.points(group["x"].to_numpy(), group["y"].to_numpy()), crs=crs)
        problems = v.Problems()
        converted = v.to_working_crs(points, problems, report)
        problems.raise_if_any(report.source)
        assert converted is not None
        parts.append(converted)
    table = gpd.GeoDataFrame(pd.concat(parts), crs=WORKING_CRS)
    return _register_frame(table, report, workspace=workspace, tolerance_m=tolerance_m)


def _register_frame(table: gpd.GeoDataFrame, report: ImportReport, *, workspace: Workspace | None,
                    tolerance_m: float) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Rows of the workspace's municipality, statuses as BeST's, then the shared register pipeline."""
    code = None if workspace is None else workspace.metadata.get("municipality_code")
    if code is not None and table["code"].notna().any():
        own = (table["code"].str.strip() == str(code)).to_numpy()
        others = table.loc[~own, "municipality"].fillna(table.loc[~own, "code"]).fillna("?").value_counts()
        report.drop("import.reason.other_municipality", int((~own).sum()),
                    examples=[f"{name}: {n}" for name, n in others.items()])
        if not own.any():
            raise InputError(t("import.vl.no_rows", path=report.source, code=code),
                             problems=[t("import.best.found", names=", ".join(map(str, others.index[:10])) or "-")])
        table = table.loc[own]
    table = table.assign(status=ar_status(table["status"]))
    table = gpd.GeoDataFrame(_keep_statuses(table, report), crs=table.crs)
    table = table.assign(id=table["id"].fillna(pd.Series(range(len(table)), index=table.index).astype("str")))
    fields: dict[str, str | None] = {"street": "street", "housenumber": "housenumber", "postcode": "postcode",
                                     "box": "box", "municipality": "municipality", "id": "id"}
    return register_layer(table, fields, report, workspace=workspace, tolerance_m=tolerance_m)


def _get(item: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(item, dict):
            return None
        item = item.get(key)
    return item


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
