"""Import and export of group boundaries: GeoPackage, GeoJSON, shapefile and KML.

Reading goes through the importers (``buurtkaart.importers.read_boundaries``), which check, repair on request and
reproject; an import is saved as a new version like any other edit. Writing converts once at the edge: GeoJSON
and KML are written in EPSG:4326 (as those formats require), GeoPackage and shapefile in EPSG:31370.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from buurtkaart.boundaries.history import save_groups
from buurtkaart.errors import InputError
from buurtkaart.schema import DISPLAY_CRS
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, conform

#: Export formats: suffix → (GDAL driver, CRS written).
FORMATS = {
    ".gpkg": ("GPKG", None),
    ".geojson": ("GeoJSON", DISPLAY_CRS),
    ".shp": ("ESRI Shapefile", None),
    ".kml": ("KML", DISPLAY_CRS),
}


def read_groups_file(
    path: str | os.PathLike[str],
    *,
    workspace: Workspace | None = None,
    layer: str | None = None,
    id_column: str | None = None,
    name_column: str | None = None,
    repair: bool = False,
) -> gpd.GeoDataFrame:
    """Group areas from a boundary file, checked and in EPSG:31370 (see ``buurtkaart.importers``)."""
    from buurtkaart.importers import read_boundaries

    frame, _report = read_boundaries(Path(path), kind="groups", workspace=workspace, layer=layer,
                                     id_column=id_column, name_column=name_column, repair=repair)
    return frame


def import_groups(
    ws: Workspace,
    path: str | os.PathLike[str],
    *,
    author: str,
    reason: str | None = None,
    effective_on: str | dt.date | None = None,
    **options: object,
) -> int:
    """Read a boundary file and save it as the new groups layer (a new version); returns the version id."""
    groups = read_groups_file(path, workspace=ws, **options)  # type: ignore[arg-type]
    return save_groups(ws, groups, author=author, reason=reason or t("boundaries.files.import_reason",
                                                                     file=Path(path).name),
                       effective_on=effective_on)


def export_groups(groups: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``groups`` to ``path``; the suffix chooses the format (.gpkg, .geojson, .shp, .kml).

    >>> import tempfile, shapely
    >>> g = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]},
    ...                      geometry=[shapely.box(150000, 170000, 150100, 170100)], crs="EPSG:31370")
    >>> out = export_groups(g, Path(tempfile.mkdtemp()) / "groepen.geojson")
    >>> gpd.read_file(out).crs.to_epsg()
    4326
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(t("boundaries.files.unknown_format", suffix=suffix or "-", known=", ".join(FORMATS)))
    driver, crs = FORMATS[suffix]
    frame = conform("groups", groups)
    frame = gpd.GeoDataFrame(
        pd.DataFrame({c: frame[c].astype("object").where(frame[c].notna(), None)
                      for c in frame.columns if c != "geometry"}),
        geometry=frame.geometry.values, crs=frame.crs,
    )
    if crs is not None:
        frame = frame.to_crs(crs)
    if suffix == ".kml":
        frame = frame.rename(columns={"name": "Name"})
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    pyogrio.write_dataframe(frame, target, driver=driver, layer="groups" if suffix in (".gpkg", ".kml") else None)
    return target
