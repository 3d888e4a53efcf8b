"""Exports of sign sites for the technical service: CSV, GeoJSON, GPX and a printable PDF work order.

Every export takes the same frame: the sites of a plan (``plan.sites``) or the stored ``infoborden`` layer. The
work order draws a small map per site from the workspace's own streets (matplotlib, no web tiles).

>>> import geopandas as gpd, shapely
>>> sites = gpd.GeoDataFrame({"site_id": ["IB-G1-001"], "group_ids": ["G1"], "road_name": ["Dorpstraat"],
...                           "bearing_deg": [270.0], "reason": ["Invalsweg Dorpstraat"]},
...                          geometry=[shapely.Point(150015, 170046)], crs="EPSG:31370")
>>> print(export_bytes(sites, "csv").decode().splitlines()[0])
bord,groep(en),straat,wegtype,referentie,beheerder,AWV-vergunning,richting (°),huishoudens,status,reden,x,y,lat,lon
>>> b"<wpt" in export_bytes(sites, "gpx")
True
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from buurtkaart.errors import InputError
from buurtkaart.exports import csv_bytes
from buurtkaart.schema import DISPLAY_CRS
from buurtkaart.texts import t
from buurtkaart.validation import require_crs

FORMATS = ("csv", "geojson", "gpx", "pdf")
_TABLE = ["site_id", "group_ids", "road_name", "road_class", "ref", "authority", "awv_permit", "bearing_deg",
          "households", "status", "reason"]


def site_table(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """The sites as a plain table with the export columns (English names), coordinates in both CRSs."""
    frame = pd.DataFrame(index=sites.index)
    ids = sites["sign_id"] if "sign_id" in sites.columns else pd.Series(pd.NA, index=sites.index)
    frame["site_id"] = ids.fillna(sites["site_id"]) if "site_id" in sites.columns else ids
    for column in _TABLE[1:]:
        source = "note" if column == "reason" and "reason" not in sites.columns else column
        frame[column] = sites[source] if source in sites.columns else pd.NA
    if "awv_permit" not in sites.columns and "authority" in sites.columns:
        frame["awv_permit"] = sites["authority"] == "gewest"
    frame["x"] = sites.geometry.x.round(1)
    frame["y"] = sites.geometry.y.round(1)
    wgs = sites.geometry.to_crs(DISPLAY_CRS)
    frame["lat"] = wgs.y.round(6)
    frame["lon"] = wgs.x.round(6)
    return frame


def export_bytes(sites: gpd.GeoDataFrame, fmt: str, *, streets: gpd.GeoDataFrame | None = None,
                 groups: gpd.GeoDataFrame | None = None, roads_outside: gpd.GeoDataFrame | None = None) -> bytes:
    """The export of ``sites`` in ``fmt`` (csv, geojson, gpx, pdf) as bytes (for a download button)."""
    if fmt not in FORMATS:
        raise InputError(t("infoborden.error.unknown_format", format=fmt, known=", ".join(FORMATS)))
    require_crs(sites, what="sites")
    table = site_table(sites)
    if fmt == "csv":
        headers = {c: t(f"infoborden.column.{c}") if c in _HEADER_KEYS else c for c in table.columns}
        return csv_bytes(table.rename(columns=headers))
    if fmt == "geojson":
        return _geojson(table).encode("utf-8")
    if fmt == "gpx":
        return _gpx(table)
    from buurtkaart.infoborden.workorder import work_order_pdf

    return work_order_pdf(sites, table, streets=streets, groups=groups, roads_outside=roads_outside)


_HEADER_KEYS = {"site_id", "group_ids", "road_name", "road_class", "authority", "awv_permit", "bearing_deg",
                "households", "status", "reason", "ref"}


def write_export(sites: gpd.GeoDataFrame, path: str | Path, *, streets=None, groups=None, roads_outside=None) -> Path:
    """Write ``sites`` to ``path``; the format follows the suffix (.csv, .geojson/.json, .gpx, .pdf)."""
    path = Path(path)
    fmt = {".json": "geojson"}.get(path.suffix.lower(), path.suffix.lower().lstrip("."))
    path.write_bytes(export_bytes(sites, fmt, streets=streets, groups=groups, roads_outside=roads_outside))
    return path


def _plain(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _geojson(table: pd.DataFrame) -> str:
    features = []
    for row in table.to_dict(orient="records"):
        properties = {k: _plain(v) for k, v in row.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "properties": properties,
                         "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]}})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)


def _gpx(table: pd.DataFrame) -> bytes:
    root = ET.Element("gpx", {"version": "1.1", "creator": "buurtkaart",
                              "xmlns": "http://www.topografix.com/GPX/1/1"})
    for row in table.itertuples(index=False):
        wpt = ET.SubElement(root, "wpt", {"lat": f"{row.lat:.6f}", "lon": f"{row.lon:.6f}"})
        ET.SubElement(wpt, "name").text = str(row.site_id)
        reason = row.reason if isinstance(row.reason, str) else str(row.road_name)
        ET.SubElement(wpt, "desc").text = t("infoborden.gpx.desc", reason=reason)
        ET.SubElement(wpt, "type").text = "infobord"
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue()
