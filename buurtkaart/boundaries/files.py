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

from buurtkaart.boundaries.history import save_groups
from buurtkaart.errors import InputError
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, conform

#: The boundary formats (import and export).
FORMATS = (".gpkg", ".geojson", ".shp", ".kml")


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
    """Write ``groups`` (checked against the schema) to ``path`` with ``buurtkaart.exports.write_layer``; the
    suffix chooses the format (.gpkg, .geojson, .shp, .kml; GeoJSON and KML in EPSG:4326).

    >>> import tempfile, shapely
    >>> g = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]},
    ...                      geometry=[shapely.box(150000, 170000, 150100, 170100)], crs="EPSG:31370")
    >>> out = export_groups(g, Path(tempfile.mkdtemp()) / "groepen.geojson")
    >>> gpd.read_file(out).crs.to_epsg()
    4326
    """
    from buurtkaart.exports import write_layer

    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        raise InputError(t("boundaries.files.unknown_format", suffix=target.suffix or "-", known=", ".join(FORMATS)))
    write_layer(conform("groups", groups), target, layer_name="groups")
    return target
