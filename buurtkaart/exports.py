"""Write any layer to a file a colleague can open: GeoPackage, GeoJSON, CSV, shapefile or KML (format from the
file's extension). The file appears whole or not at all: it is written next to its target under a temporary name
and moved into place with ``os.replace``.

GeoJSON and KML are written in EPSG:4326 (their standards require it); GeoPackage and shapefile keep EPSG:31370.
CSV gets ``x``/``y`` (Lambert 72) and ``lon``/``lat`` for points and a ``wkt`` column for other geometries; a text
cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading
apostrophe (:func:`csv_bytes`).
Exporting a layer with personal data (members) writes an audit line; account data is never exported.

>>> import tempfile, pathlib, geopandas as gpd, shapely
>>> frame = gpd.GeoDataFrame({"code": ["A"]}, geometry=[shapely.Point(150000, 170000)], crs="EPSG:31370")
>>> target = pathlib.Path(tempfile.mkdtemp()) / "punten.csv"
>>> write_layer(frame, target)
1
>>> target.read_text().splitlines()[0]
'code,x,y,lon,lat'
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.members import audit
from buurtkaart.members.actors import require_staff
from buurtkaart.safe_text import spreadsheet_frame
from buurtkaart.schema import DISPLAY_CRS, LAYERS
from buurtkaart.texts import t
from buurtkaart.vector_io import DEFAULT_ENGINE, check_engine, write_vector
from buurtkaart.workspace import Workspace

#: Extension → (OGR driver, CRS written or None to keep EPSG:31370).
FORMATS: dict[str, tuple[str, str | None]] = {
    ".gpkg": ("GPKG", None),
    ".geojson": ("GeoJSON", DISPLAY_CRS),
    ".json": ("GeoJSON", DISPLAY_CRS),
    ".shp": ("ESRI Shapefile", None),
    ".kml": ("KML", DISPLAY_CRS),
    ".csv": ("CSV", None),
}
_NOT_EXPORTABLE = ("users",)
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def write_layer(frame: pd.DataFrame, path: str | os.PathLike[str], *, layer_name: str | None = None,
                engine: str = DEFAULT_ENGINE) -> int:
    """Write ``frame`` to ``path`` in the format of its extension, atomically; returns the number of rows.

    ``engine`` (``"pyogrio"`` or ``"fiona"``, :mod:`buurtkaart.vector_io`) writes the vector formats."""
    target = Path(path)
    check_engine(engine)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(t("export.unknown_format", suffix=suffix or "(geen)", known=", ".join(FORMATS)))
    if not target.parent.is_dir():
        raise InputError(t("export.no_folder", folder=target.parent))
    driver, crs = FORMATS[suffix]
    is_geo = isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns
    if not is_geo and driver not in ("CSV", "GPKG"):
        raise InputError(t("export.no_geometry", suffix=suffix))
    data = _prepared(frame, driver=driver, crs=crs, is_geo=is_geo)
    name = layer_name or target.stem
    if driver == "ESRI Shapefile":
        _write_shapefile(data, target, name, engine=engine)
    elif driver == "CSV":
        _atomic(target, lambda tmp: spreadsheet_frame(data).to_csv(tmp, index=False, encoding="utf-8"))
    else:
        _atomic(target, lambda tmp: write_vector(data, tmp, layer=name, driver=driver, engine=engine))
    return len(frame)


def export_layer(workspace: Workspace, kind: str, path: str | os.PathLike[str], *, actor: Any = audit.CLI_ACTOR,
                 engine: str = DEFAULT_ENGINE) -> int:
    """Export layer ``kind`` of ``workspace`` to ``path``; a layer with personal data is logged in the audit log.

    Parameters
    ----------
    workspace : Workspace
        The workspace.
    kind : str
        A layer name of :data:`buurtkaart.schema.LAYERS` (not ``users``).
    path : str or path
        The file to write; its suffix chooses the format (CSV, Excel, GeoPackage, GeoJSON, shapefile, KML).
    actor : optional
        Who exports, for the audit log (default the command line).
    engine : str
        The vector I/O engine (:mod:`buurtkaart.vector_io`).

    Returns
    -------
    int
        The number of rows written.
    """
    if kind in _NOT_EXPORTABLE:
        raise InputError(t("export.not_exportable", kind=kind))
    if kind not in LAYERS:
        raise InputError(t("export.unknown_layer", kind=kind, known=", ".join(k for k in LAYERS
                                                                             if k not in _NOT_EXPORTABLE)))
    if LAYERS[kind].personal:  # personal data leaves the workspace only through staff or the command line
        actor = require_staff(workspace, actor)
    frame = workspace.read(kind)
    count = write_layer(frame, path, layer_name=kind, engine=engine)
    if LAYERS[kind].personal:
        key = LAYERS[kind].key
        ids = frame[key].astype("str").tolist() if key else []
        with workspace.transaction() as con:
            audit.record(con, actor=actor, action="geexporteerd", subject=kind, subject_ids=ids,
                         detail=f"export naar {Path(path).suffix.lower()}")
    return count


def export_bytes(workspace: Workspace, kind: str, suffix: str, *, actor: Any = audit.CLI_ACTOR
                 ) -> tuple[bytes, str]:
    """Export layer ``kind`` as the bytes of one file (for a download) and its file name; a shapefile, being
    several files, comes as one ``.zip``. Audited like :func:`export_layer`."""
    return _file_bytes(kind, suffix, lambda target: export_layer(workspace, kind, target, actor=actor))


def frame_bytes(frame: pd.DataFrame, name: str, suffix: str) -> tuple[bytes, str]:
    """Any result frame (a table, a proposal) as the bytes of one file and its name, like :func:`export_bytes`
    but without an audit line: only for frames without personal data.

    >>> import geopandas as gpd, shapely
    >>> frame = gpd.GeoDataFrame({"name": ["A"]}, geometry=[shapely.Point(150000, 170000)], crs=31370)
    >>> data, file_name = frame_bytes(frame, "voorstel", ".geojson")
    >>> file_name, b'"coordinates"' in data
    ('voorstel.geojson', True)
    """
    return _file_bytes(name, suffix, lambda target: write_layer(frame, target, layer_name=name))


def csv_bytes(frame: pd.DataFrame, *, bom: bool = False) -> bytes:
    """A table as UTF-8 CSV bytes (``bom=True``: with a byte-order mark, so that Excel reads accents), every text
    cell that a spreadsheet would run as a formula made inert (:func:`buurtkaart.safe_text.spreadsheet_frame`).
    Every CSV that leaves buurtkaart is written here or by :func:`write_layer`.

    >>> frame = pd.DataFrame({"naam": ["@SUM(A1)"], "telefoon": ["0470 12 34 56"]})
    >>> csv_bytes(frame).decode().splitlines()
    ['naam,telefoon', "'@SUM(A1),0470 12 34 56"]
    """
    table = pd.DataFrame(frame.drop(columns="geometry")) if isinstance(frame, gpd.GeoDataFrame) else frame
    return spreadsheet_frame(table).to_csv(index=False).encode("utf-8-sig" if bom else "utf-8")


def _file_bytes(name: str, suffix: str, write: Any) -> tuple[bytes, str]:
    suffix = (suffix if suffix.startswith(".") else f".{suffix}").lower()
    with tempfile.TemporaryDirectory(prefix="buurtkaart-export-") as folder:
        target = Path(folder) / f"{name}{suffix}"
        write(target)
        if suffix != ".shp":
            return target.read_bytes(), target.name
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(Path(folder).iterdir()):
                archive.write(part, part.name)
        return buffer.getvalue(), f"{name}.zip"


def _prepared(frame: pd.DataFrame, *, driver: str, crs: str | None, is_geo: bool) -> pd.DataFrame:
    data = frame.copy()
    geometry_name = frame.geometry.name if is_geo else None
    for column in data.columns:  # Int64/str with NA: plain objects every driver understands
        if column != geometry_name and str(data[column].dtype) in ("Int64", "str"):
            data[column] = data[column].astype(object).where(data[column].notna(), None)
    if not is_geo:
        return pd.DataFrame(data)
    gdf = gpd.GeoDataFrame(data, geometry=frame.geometry.name, crs=frame.crs)
    if driver == "CSV":
        geoms = gdf.geometry.values
        plain = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        points = shapely.get_type_id(geoms) == 0
        if len(geoms) and points.all():
            wgs = gdf.geometry.to_crs(DISPLAY_CRS)
            plain["x"], plain["y"] = shapely.get_x(geoms).round(2), shapely.get_y(geoms).round(2)
            plain["lon"], plain["lat"] = wgs.x.round(7), wgs.y.round(7)
        else:
            plain["wkt"] = shapely.to_wkt(geoms, rounding_precision=2)
        return plain
    return gdf.to_crs(crs) if crs and gdf.crs is not None else gdf


def _atomic(target: Path, write: Any) -> None:
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex}.tmp{target.suffix}")
    try:
        write(tmp)
        os.chmod(tmp, 0o600)  # exports may hold personal data: readable by their owner only
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError(t("export.write_failed", path=target, reason=exc)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _write_shapefile(data: gpd.GeoDataFrame, target: Path, name: str, *, engine: str) -> None:
    """A shapefile is several files: write them in a temporary folder, then move each into place."""
    # dBase field names hold 10 characters: cut them here, as GDAL would (with a warning), unless two collide
    short = {c: c[:10] for c in data.columns if c != data.geometry.name and len(c) > 10}
    names = [short.get(c, c) for c in data.columns]
    if len(set(names)) == len(names):
        data = data.rename(columns=short)
    folder = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        write_vector(data, folder / f"{target.stem}.shp", layer=target.stem, driver="ESRI Shapefile",
                     engine=engine, encoding="UTF-8")
        for part in sorted(folder.iterdir()):
            os.chmod(part, 0o600)
            os.replace(part, target.with_suffix(part.suffix))
    except OSError as exc:
        raise InputError(t("export.write_failed", path=target, reason=exc)) from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)
