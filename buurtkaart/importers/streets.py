"""Streets from OpenStreetMap: GeoPackage/GeoJSON exports with OpenMapTiles tags (``class``, ``subclass``, ``ref``)
or OSM tags (``highway=*``), and ``.osm`` / ``.osm.pbf`` files (read with osmium).

The OSM or OpenMapTiles class becomes the workspace's ``road_class`` through ``reference/road_classes.csv``, which
also gives the usual road authority; a ``ref`` of a numbered regional road (``N9``, ``R0``, ``E40``, ``A12``) makes
it ``gewest``. Lines that are no road (rail, platforms) are left out. Multilines are exploded into one LineString
segment per row, exact duplicate segments (tile overlaps) dropped, and segments with less than half of their
length in the workspace's municipality are left out. The roads left out are kept within ``margin_m`` (1 km) of the
border as the ``streets_outside`` layer, so that a road entering a border group from a neighbouring municipality is
seen as the way in that it is.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.importers import _validate as v
from buurtkaart.importers._read import OSM_SUFFIXES, check_exists, read_vector, suffix_of
from buurtkaart.importers.addresses import deelgemeente_of
from buurtkaart.importers.report import ImportReport
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vector_io import DEFAULT_ENGINE
from buurtkaart.workspace import Workspace, conform

_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "naam", "straatnaam", "street", "lblstrnml", "name_nl"),
    "class": ("class", "main_class", "road_class"),
    "highway": ("highway", "fclass", "type"),
    "ref": ("ref", "wegnummer", "nummer"),
}
_PREFERRED_LAYERS = ("road_segments", "streets", "lines", "roads", "wegen", "straten")
_REGIONAL_REF = r"^\s*[NRAE]\d"
_SHARE_INSIDE = 0.5
#: How far beyond the municipal border roads are kept (``streets_outside``), and read from an OSM extract.
MARGIN_M = 1_000.0


@functools.lru_cache(maxsize=1)
def road_classes() -> pd.DataFrame:
    """The reference table: OSM (``highway``) and OpenMapTiles (``omt``) values with their road class and
    authority; an empty road class means "no road".

    >>> road_classes().set_index(["scheme", "value"]).loc[("highway", "residential"), "road_class"]
    'minor'
    """
    with resources.files("buurtkaart.reference").joinpath("road_classes.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def classify(values: pd.Series, *, scheme: str, refs: pd.Series | None = None) -> pd.DataFrame:
    """``road_class`` and ``authority`` for OSM ``highway`` values (``scheme="highway"``) or OpenMapTiles classes
    (``scheme="omt"``). Unknown values give NA in both; "no road" values give an empty road class.

    >>> classify(pd.Series(["residential", "primary", "rail"]), scheme="highway",
    ...          refs=pd.Series([None, "N9", None])).to_dict("list")
    {'road_class': ['minor', 'primary', nan], 'authority': ['gemeente', 'gewest', nan]}
    """
    table = road_classes()
    table = table[table["scheme"] == scheme].set_index("value")
    key = values.astype("str").str.strip().str.lower()
    road_class = key.map(table["road_class"]).astype("str")
    authority = key.map(table["authority"]).astype("str")
    road_class = road_class.where(road_class != "", pd.NA)
    authority = authority.where(road_class.notna(), pd.NA)
    if refs is not None:
        regional = refs.astype("str").str.match(_REGIONAL_REF).fillna(False).astype(bool)
        authority = authority.where(~(regional & road_class.notna()), "gewest")
    return pd.DataFrame({"road_class": road_class, "authority": authority}, index=values.index)


def read_streets(
    path: str | Path,
    *,
    workspace: Workspace | None = None,
    layer: str | None = None,
    columns: Mapping[str, str] | None = None,
    crs: str | None = None,
    tolerance_m: float = v.DEFAULT_TOLERANCE_M,
    engine: str = DEFAULT_ENGINE,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read a street file into a ``streets`` layer (one LineString per row, EPSG:31370) and a report.

    ``columns`` maps ``name``, ``class`` (OpenMapTiles), ``highway`` (OSM) or ``ref`` to a column name where the
    usual names are not found. :func:`read_street_network` also gives the roads beyond the border.

    Parameters
    ----------
    path : str or path
        The file (GeoPackage, GeoJSON, shapefile, OSM...).
    workspace : Workspace, optional
        The workspace, to keep the streets of its municipality.
    layer : str, optional
        The layer of a file with several.
    columns : mapping, optional
        Field → column, as above.
    crs : str, optional
        The CRS of a file without one.
    tolerance_m : float
        How far outside the municipality a street may reach.
    engine : str
        The vector I/O engine.

    Returns
    -------
    tuple of (GeoDataFrame, ImportReport)
        The ``streets`` layer and what was left out, and why.
    """
    streets, _, report = read_street_network(path, workspace=workspace, layer=layer, columns=columns, crs=crs,
                                             tolerance_m=tolerance_m, engine=engine)
    return streets, report


def read_street_network(
    path: str | Path,
    *,
    workspace: Workspace | None = None,
    layer: str | None = None,
    columns: Mapping[str, str] | None = None,
    crs: str | None = None,
    tolerance_m: float = v.DEFAULT_TOLERANCE_M,
    margin_m: float = MARGIN_M,
    engine: str = DEFAULT_ENGINE,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, ImportReport]:
    """The ``streets`` layer of :func:`read_streets`, and the ``streets_outside`` layer: the road segments left
    out as outside the municipality, cut to ``margin_m`` around it. They are no streets of the municipality (no
    lookup, coverage or map uses them), but a road entering a border group from a neighbouring municipality
    only looks like a way in when the road beyond the border is known (:func:`buurtkaart.infoborden.entry_roads`).
    Their ``street_id`` continues after those of ``streets``. Without a municipality the second layer is empty.
    """
    path = Path(path)
    report = ImportReport(kind="streets", source=path.name)
    problems = v.Problems()
    if suffix_of(path) in OSM_SUFFIXES:
        area = v.municipality_area(workspace)
        bbox = None
        if area is not None:  # a regional or national extract: read only the ways near the municipality
            grown = gpd.GeoSeries([shapely.box(*area.buffer(max(margin_m, MARGIN_M)).bounds)], crs=WORKING_CRS)
            bbox = tuple(grown.to_crs("EPSG:4326").total_bounds)
        raw = read_osm_ways(path, bbox=bbox)
    else:
        raw = read_vector(path, layer=layer, preferred=_PREFERRED_LAYERS, engine=engine)
    fields = v.find_columns(raw, _ALIASES, problems, chosen=dict(columns or {}),
                            optional=("name", "class", "highway", "ref"))
    if fields["class"] is None and fields["highway"] is None:
        problems.add(t("import.road_class_missing", found=", ".join(c for c in raw.columns if c != "geometry")))
    if fields["name"] is None:
        problems.add(t("import.missing_column", field="name", aliases=", ".join(_ALIASES["name"]),
                       found=", ".join(c for c in raw.columns if c != "geometry")))
    present = ~(raw.geometry.isna() | raw.geometry.is_empty)
    wrong = present & ~raw.geometry.geom_type.isin(["LineString", "MultiLineString"])
    if wrong.any():
        problems.add(t("import.lines_wrong_type", count=int(wrong.sum()),
                       found=", ".join(sorted(raw.geometry.geom_type[wrong].unique()))))
    converted = v.to_working_crs(raw, problems, report, crs=crs)
    problems.raise_if_any(report.source)
    assert converted is not None
    frame = _segments(v.drop_empty_geometries(converted, report), fields, report)
    return network_from_segments(frame, report, workspace=workspace, tolerance_m=tolerance_m, margin_m=margin_m)


def network_from_segments(frame: gpd.GeoDataFrame, report: ImportReport, *, workspace: Workspace | None,
                          tolerance_m: float = v.DEFAULT_TOLERANCE_M, margin_m: float = MARGIN_M
                          ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, ImportReport]:
    """The ``streets`` and ``streets_outside`` layers of road segments (``name``, ``road_class``, ``ref``,
    ``authority``; one LineString per row, EPSG:31370), whatever file they came from (also
    :mod:`buurtkaart.importers.wegenregister`)."""
    area = v.municipality_area(workspace)
    frame, beyond = _keep_in_municipality(frame, area, report, tolerance_m=tolerance_m)
    midpoints = gpd.GeoSeries(shapely.line_interpolate_point(frame.geometry.values, 0.5, normalized=True),
                              index=frame.index, crs=WORKING_CRS)
    frame["deelgemeente"] = deelgemeente_of(midpoints, None if workspace is None else workspace.read("deelgemeenten"))
    frame = frame.reset_index(drop=True)
    frame["street_id"] = pd.array(np.arange(1, len(frame) + 1), dtype="Int64")
    report.kept = len(frame)
    unnamed = int(frame["name"].isna().sum())
    if unnamed:
        report.note("import.note.unnamed_segments", count=unnamed)
    report.note("import.note.named_streets", count=int(frame["name"].nunique()))
    if frame.empty:
        raise InputError(t("import.nothing_left", kind="streets", source=report.source),
                         problems=report.reason_lines())
    outside = _margin_roads(beyond, area, margin_m=margin_m, first_id=len(frame) + 1)
    if len(outside):
        report.note("import.note.outside_roads", count=len(outside), margin_m=round(margin_m))
    return conform("streets", frame), conform("streets_outside", outside), report


def outside_for_new_border(workspace: Workspace, area: shapely.Geometry, *, margin_m: float = MARGIN_M
                           ) -> gpd.GeoDataFrame:
    """The stored ``streets_outside`` of ``workspace`` recomputed for a new municipal border ``area``: cut to
    ``margin_m`` around it and renumbered after the streets' ids. A road that lay beyond the old margin is not
    known, so roads beyond the border shift only inward with a new border; re-importing the streets gives them
    all again (the municipality import says so).
    """
    outside = workspace.read("streets_outside")
    streets = workspace.read("streets", columns=["street_id"])
    first_id = int(streets["street_id"].max()) + 1 if len(streets) else 1
    return conform("streets_outside", _margin_roads(outside, area, margin_m=margin_m, first_id=first_id))


def _margin_roads(beyond: gpd.GeoDataFrame, area: shapely.Geometry | None, *, margin_m: float,
                  first_id: int) -> gpd.GeoDataFrame:
    """The segments left out as outside, cut to ``margin_m`` around ``area``, one LineString per row."""
    if area is None or beyond.empty or not margin_m > 0:
        out = beyond.iloc[:0].copy()
    else:
        zone = shapely.buffer(area, margin_m, quad_segs=4)
        shapely.prepare(zone)
        near = beyond.loc[shapely.intersects(zone, beyond.geometry.values)]
        cut = shapely.intersection(near.geometry.values, zone)
        out = near.set_geometry(cut).explode(index_parts=False)
        out = out.loc[(out.geometry.geom_type == "LineString").to_numpy() & (out.geometry.length > 0).to_numpy()]
    out = out.reset_index(drop=True)
    out["deelgemeente"] = pd.Series(pd.NA, index=out.index, dtype="str")
    out["street_id"] = pd.array(np.arange(first_id, first_id + len(out)), dtype="Int64")
    return out


def _segments(raw: gpd.GeoDataFrame, fields: Mapping[str, str | None], report: ImportReport) -> gpd.GeoDataFrame:
    def text(field_name: str) -> pd.Series:
        return v.field_text(raw, fields, field_name)

    ref = text("ref")
    if fields.get("highway") is not None:
        classes = classify(text("highway"), scheme="highway", refs=ref)
        source_values = text("highway")
    else:
        source_values = text("class")
        classes = classify(source_values, scheme="omt", refs=ref)
    known = source_values.str.lower().isin(road_classes()["value"]).fillna(False).astype(bool)
    not_road = classes["road_class"].isna()
    report.drop("import.reason.not_a_road", int((not_road & known).sum()),
                examples=source_values[not_road & known].value_counts().index[:5])
    report.drop("import.reason.unknown_class", int((not_road & ~known).sum()),
                examples=source_values[not_road & ~known].fillna("(leeg)").value_counts().index[:5])
    keep = ~not_road.to_numpy()
    frame = gpd.GeoDataFrame(
        {"name": text("name").str.replace(r"\s+", " ", regex=True), "road_class": classes["road_class"],
         "ref": ref, "authority": classes["authority"]},
        geometry=raw.geometry.values, index=raw.index, crs=WORKING_CRS,
    ).loc[keep]
    frame = frame.explode(index_parts=False)
    short = (frame.geometry.length <= 0).to_numpy()
    report.drop("import.reason.empty_geometry", int(short.sum()))
    frame = frame.loc[~short]
    shape_key = pd.Series(shapely.to_wkb(shapely.normalize(frame.geometry.values)), index=frame.index)
    dupes = pd.DataFrame({"name": frame["name"].fillna(""), "shape": shape_key.to_numpy()}).duplicated().to_numpy()
    report.drop("import.reason.duplicate_segment", int(dupes.sum()))
    return frame.loc[~dupes]


def _keep_in_municipality(frame: gpd.GeoDataFrame, area: shapely.Geometry | None, report: ImportReport, *,
                          tolerance_m: float) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Keep whole streets: segments of one name near each other form a street (:func:`street_clusters`), kept when
    at least half of its length lies in the municipality. That majority already forgives a simplified border, so
    named streets are measured against the border itself; unnamed segments, judged one by one, get ``tolerance_m``.
    Returns the kept segments and those left out.
    """
    if area is None:
        report.note("import.note.no_municipality")
        return frame, frame.iloc[:0]
    geoms = frame.geometry.values
    named = frame["name"].notna().to_numpy()
    share = np.where(named, v.share_inside(geoms, area, tolerance_m=0.0),
                     v.share_inside(geoms, area, tolerance_m=tolerance_m))
    length = shapely.length(geoms)
    cluster = street_clusters(frame)
    inside_length = pd.Series(share * length).groupby(cluster).transform("sum").to_numpy()
    total_length = pd.Series(length).groupby(cluster).transform("sum").to_numpy()
    outside = inside_length < _SHARE_INSIDE * total_length
    names = frame.loc[outside, "name"].dropna().value_counts().index[:5]
    report.drop("import.reason.outside_municipality", int(outside.sum()), examples=names)
    return frame.loc[~outside], frame.loc[outside]


def street_clusters(frame: gpd.GeoDataFrame, *, distance_m: float = 25.0) -> np.ndarray:
    """A cluster number per segment: segments with the same name within ``distance_m`` of each other share one
    (a Kerkstraat in two villages gives two clusters); every unnamed segment is its own cluster."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(frame)
    names = frame["name"].to_numpy(dtype=object, na_value=None)
    left, right = shapely.STRtree(frame.geometry.values).query(frame.geometry.values, predicate="dwithin",
                                                               distance=distance_m)
    same = np.array([names[a] is not None and names[a] == names[b] for a, b in zip(left, right, strict=True)],
                    dtype=bool)
    graph = coo_matrix((np.ones(int(same.sum())), (left[same], right[same])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def read_osm_ways(path: Path, *, bbox: tuple[float, ...] | None = None) -> gpd.GeoDataFrame:
    """The ``highway=*`` ways of an ``.osm`` or ``.osm.pbf`` file as lines (EPSG:4326) with name, highway, ref.

    ``bbox`` (lon/lat: west, south, east, north) skips ways with no node inside it, so that a national extract
    can be read for one municipality.
    """
    import osmium

    west, south, east, north = bbox if bbox is not None else (-180.0, -90.0, 180.0, 90.0)

    check_exists(path)
    rows: list[dict[str, str | None]] = []
    lines = []
    try:
        processor = osmium.FileProcessor(str(path)).with_locations().with_filter(osmium.filter.KeyFilter("highway"))
        for obj in processor:
            if not isinstance(obj, osmium.osm.Way):
                continue
            try:
                coords = [(node.lon, node.lat) for node in obj.nodes]
            except osmium.InvalidLocationError:
                continue
            if len(coords) < 2 or not any(west <= x <= east and south <= y <= north for x, y in coords):
                continue
            tags = obj.tags
            rows.append({"name": tags.get("name"), "highway": tags.get("highway"), "ref": tags.get("ref")})
            lines.append(shapely.LineString(coords))
    except RuntimeError as exc:  # osmium raises RuntimeError for files it cannot parse
        raise InputError(t("import.osm_unreadable", path=path.name, reason=str(exc)[:200])) from exc
    if not rows:
        raise InputError(t("import.osm_no_roads", path=path.name))
    frame = pd.DataFrame(rows, dtype="str")
    return gpd.GeoDataFrame(frame, geometry=lines, crs="EPSG:4326")
