"""Address points from the Flemish address register (CRAB / Adressenregister) and from OpenStreetMap.

Accepted: CSV or Excel with lat/lon (``PKANCODE,COMMUNE_NL,STREET_NL,HUISNR,LAT,LON`` as CRAB published it, in
cp1252) or Lambert x/y columns; GeoPackage, GeoJSON or shapefile points; OSM house numbers (``addr:*`` tags, or a
layer without street where the workspace's streets give the nearest street name).

Which addresses belong to the municipality: the address register's postcode is the administrative truth, so
where the file has postcodes an address is kept when its postcode is one of the municipality's (the postcodes
of which most points lie inside the municipality polygon). Points of such a postcode that lie just over the
border are kept and reported; addresses of other postcodes are left out and reported per postcode. Without
postcodes, the polygon (grown by ``tolerance_m``) decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.geocoding.addressing import split_housenumbers
from buurtkaart.importers import _validate as v
from buurtkaart.importers._read import EXCEL_SUFFIXES, TABLE_SUFFIXES, read_table, read_vector, suffix_of
from buurtkaart.importers.report import ImportReport
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.vector_io import DEFAULT_ENGINE
from buurtkaart.workspace import Workspace, conform

_ALIASES: dict[str, tuple[str, ...]] = {
    "street": ("street", "street_nl", "straatnaam", "straat", "addr:street", "streetname", "straatnm"),
    "housenumber": ("housenumber", "huisnr", "huisnummer", "addr:housenumber", "housenr", "nummer", "hnr",
                    "housenumbe"),  # housenumbe: the name cut to 10 characters in a shapefile
    "postcode": ("postcode", "pkancode", "addr:postcode", "post_code", "postal_code", "zip"),
    "suffix": ("suffix", "huisnummertoevoeging", "toevoeging"),
    "box": ("box", "busnummer", "bus", "busnr", "addr:unit", "appartementnummer"),
    "municipality": ("municipality", "commune_nl", "gemeente", "gemeentenaam", "addr:city", "city"),
    "id": ("address_id", "adresid", "adres_id", "crab_id", "objectid"),
}
_OPTIONAL = ("street", "postcode", "suffix", "box", "municipality", "id")
_PREFERRED_LAYERS = ("addresses", "adressen", "adres", "housenumbers")
_OWN_POSTCODE_SHARE = 0.5
_NEAREST_STREET_M = 100.0


def read_addresses(
    path: str | Path,
    *,
    workspace: Workspace | None = None,
    layer: str | None = None,
    columns: Mapping[str, str] | None = None,
    crs: str | None = None,
    tolerance_m: float = v.DEFAULT_TOLERANCE_M,
    engine: str = DEFAULT_ENGINE,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read an address file into an ``addresses`` layer (EPSG:31370) and a report of what was left out.

    ``columns`` maps a field (``street``, ``housenumber``, ``postcode``, ``box``, ``municipality``, ``id``,
    ``lat``, ``lon``, ``x``, ``y``) to a column name when the usual names are not found. ``crs`` sets the CRS of a
    file without one (or of x/y columns that are not Lambert 72).

    Parameters
    ----------
    path : str or path
        The file (CSV, Excel, GeoPackage, GeoJSON, shapefile...).
    workspace : Workspace, optional
        The workspace, to refuse addresses far outside its municipality.
    layer : str, optional
        The layer of a file with several.
    columns : mapping, optional
        Field → column, as above.
    crs : str, optional
        The CRS of a file without one.
    tolerance_m : float
        How far outside the municipality an address may lie.
    engine : str
        The vector I/O engine.

    Returns
    -------
    tuple of (GeoDataFrame, ImportReport)
        The ``addresses`` layer and what was left out, and why.
    """
    path = Path(path)
    report = ImportReport(kind="addresses", source=path.name)
    problems = v.Problems()
    chosen = dict(columns or {})
    if suffix_of(path) in TABLE_SUFFIXES + EXCEL_SUFFIXES:
        table = read_table(path, report)
        fields = v.find_columns(table, _ALIASES, problems, chosen=chosen, optional=_OPTIONAL)
        points = v.points_from_table(table, problems, report, columns=chosen, crs=crs)
    else:
        raw = read_vector(path, layer=layer, preferred=_PREFERRED_LAYERS, engine=engine)
        fields = v.find_columns(raw, _ALIASES, problems, chosen=chosen, optional=_OPTIONAL)
        wrong = ~raw.geometry.isna() & ~raw.geometry.is_empty & (raw.geometry.geom_type != "Point")
        if wrong.any():
            problems.add(t("import.points_wrong_type", count=int(wrong.sum()),
                           found=", ".join(sorted(raw.geometry.geom_type[wrong].unique()))))
        points = v.to_working_crs(raw, problems, report, crs=crs)
    streets = workspace.read("streets") if workspace is not None else None
    if fields.get("street") is None and (streets is None or streets.empty):
        problems.add(t("import.street_missing", found=", ".join(c for c in (points.columns if points is not None
                                                                          else []) if c != "geometry")))
    problems.raise_if_any(report.source)
    assert points is not None
    points = v.drop_empty_geometries(points, report)
    frame = _address_frame(points, fields, report)
    frame = _keep_in_municipality(frame, v.municipality_area(workspace), report, tolerance_m=tolerance_m)
    if fields.get("street") is None:
        assert streets is not None
        frame["street"] = _nearest_street(frame, streets, report)
    frame = _drop_incomplete(frame, report)
    frame["deelgemeente"] = deelgemeente_of(frame.geometry, _parts(workspace))
    frame = _drop_duplicates(frame, report)
    frame["address_id"] = _ids(frame)
    report.kept = len(frame)
    if frame.empty:
        raise InputError(t("import.nothing_left", kind="addresses", source=report.source),
                         problems=report.reason_lines())
    frame = frame.drop(columns=["municipality", "_source_id"]).reset_index(drop=True)
    return conform("addresses", frame), report


def _address_frame(points: gpd.GeoDataFrame, fields: Mapping[str, str | None], report: ImportReport
                   ) -> gpd.GeoDataFrame:
    """The address columns of the file, one row per house number: an OSM list such as ``14;12A`` becomes two."""

    def text(field_name: str) -> pd.Series:
        return v.field_text(points, fields, field_name)

    raw_number = text("housenumber")
    frame = gpd.GeoDataFrame(
        {"street": text("street").str.replace(r"\s+", " ", regex=True), "_raw_number": raw_number,
         "suffix": text("suffix"), "box": text("box"),
         "postcode": text("postcode").str.replace(r"\.0$", "", regex=True),
         "municipality": text("municipality"), "_source_id": text("id")},
        geometry=points.geometry.values, index=points.index, crs=WORKING_CRS,
    )
    listed = raw_number.str.contains(";", regex=False).fillna(False).astype(bool)
    if listed.any():
        frame["_raw_number"] = frame["_raw_number"].str.split(";")
        frame = frame.explode("_raw_number")
        frame["_raw_number"] = frame["_raw_number"].astype("str").str.strip()
        frame["_source_id"] = frame["_source_id"].where(~frame.index.duplicated(keep=False), pd.NA)
        report.note("import.note.number_lists", count=int(listed.sum()), rows=len(frame) - len(points))
    frame = frame.reset_index(drop=True)
    split = split_housenumbers(frame["_raw_number"])
    frame["housenumber"] = split["housenumber"]
    frame["suffix"] = frame["suffix"].where(frame["suffix"].notna(), split["suffix"])  # own column (an export)
    frame["box"] = frame["box"].where(frame["box"].notna(), split["box"])
    return frame


def _drop_incomplete(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    no_number = frame["housenumber"].isna()
    report.drop("import.reason.no_housenumber", int(no_number.sum()),
                examples=frame.loc[no_number, "_raw_number"].dropna().unique()[:5])
    no_street = frame["street"].isna() & ~no_number
    report.drop("import.reason.no_street", int(no_street.sum()))
    return frame.loc[~no_number & ~no_street].drop(columns="_raw_number")


def _keep_in_municipality(frame: gpd.GeoDataFrame, area: shapely.Geometry | None, report: ImportReport, *,
                          tolerance_m: float) -> gpd.GeoDataFrame:
    if area is None:
        report.note("import.note.no_municipality")
        return frame
    geoms = frame.geometry.values
    grown = shapely.buffer(area, tolerance_m)
    shapely.prepare(grown)
    shapely.prepare(area)
    near = shapely.contains(grown, geoms)
    strictly = shapely.contains(area, geoms)
    postcode = frame["postcode"]
    if postcode.notna().any():
        share = pd.Series(near, index=frame.index).groupby(postcode).mean()
        own = sorted(share.index[share > _OWN_POSTCODE_SHARE])
        own_postcode = postcode.isin(own).to_numpy(copy=True)
        report.note("import.note.postcodes", postcodes=", ".join(own) or "-")
        other = ~own_postcode & postcode.notna().to_numpy()
        labels = (frame["municipality"].fillna("") + " " + postcode.fillna("")).str.strip()
        counts = labels[other].value_counts()
        report.drop("import.reason.other_postcode", int(other.sum()),
                    examples=[f"{name}: {n}" for name, n in counts.items()])
        if (other & strictly).any():  # worth knowing, already counted above
            report.note("import.note.other_postcode_inside", count=int((other & strictly).sum()),
                        examples=", ".join(labels[other & strictly].unique()[:5]))
        # a postcode shared with a neighbour: its points far outside belong to the neighbour
        far = own_postcode & ~near
        report.drop("import.reason.own_postcode_far", int(far.sum()), examples=_address_labels(frame.loc[far]),
                    tolerance_m=round(tolerance_m))
        unknown = postcode.isna().to_numpy(copy=True)
        report.drop("import.reason.outside_municipality", int((unknown & ~near).sum()))
        keep = (own_postcode | unknown) & near
        over = keep & ~strictly
        if over.any():
            distance = shapely.distance(area, geoms[over])
            report.note("import.note.kept_over_border", count=int(over.sum()), max_m=round(float(distance.max()), 1),
                        examples=", ".join(_address_labels(frame.loc[over])))
        return frame.loc[keep]
    report.drop("import.reason.outside_municipality", int((~near).sum()))
    return frame.loc[near]


def _address_labels(frame: pd.DataFrame, limit: int = 5) -> list[str]:
    """``Kerkstraat 12A`` for the first ``limit`` rows (examples in a report)."""
    head = frame.head(limit)
    return (head["street"].fillna("?") + " " + head["_raw_number"].fillna("?")).tolist()


def _drop_duplicates(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    """One row per address; two streets of one name in one postcode (in two deelgemeenten) are two addresses."""
    key = ["street", "housenumber", "suffix", "box", "postcode", "deelgemeente"]
    dupes = frame.duplicated(subset=key, keep="first").to_numpy()
    examples = (frame.loc[dupes, "street"] + " " + frame.loc[dupes, "housenumber"].astype("str")).tolist()
    report.drop("import.reason.duplicate_address", int(dupes.sum()), examples=examples[:5])
    return frame.loc[~dupes]


def _ids(frame: gpd.GeoDataFrame) -> pd.Series:
    """The file's own ids where it has unique ones, else a readable id: ``1730 Kerkstraat 12A bus 3``."""
    own = frame["_source_id"]
    if own.notna().all() and own.is_unique:
        return own
    text = (frame["postcode"].fillna("") + " " + frame["street"] + " " + frame["housenumber"].astype("str")
            + frame["suffix"].fillna(""))
    with_box = (text + (" bus " + frame["box"]).fillna("")).str.strip()
    twice = with_box.duplicated(keep=False)  # a street name used in two deelgemeenten of one postcode
    return with_box.where(~twice, with_box + (" (" + frame["deelgemeente"] + ")").fillna(""))


def deelgemeente_of(points: gpd.GeoSeries, parts: gpd.GeoDataFrame | None, *,
                    tolerance_m: float = v.DEFAULT_TOLERANCE_M) -> pd.Series:
    """The name of the deelgemeente (of ``parts``) each point lies in, else the nearest within ``tolerance_m``,
    else NA."""
    result = pd.Series(pd.NA, index=points.index, dtype="str")
    if parts is None or parts.empty or points.empty:
        return result
    tree = shapely.STRtree(parts.geometry.values)
    point_i, part_i = tree.query(points.values, predicate="within")
    first = pd.Series(part_i, index=point_i).groupby(level=0).first()
    result.iloc[first.index.to_numpy()] = parts["name"].to_numpy()[first.to_numpy()]
    missing = np.flatnonzero(result.isna().to_numpy())
    if len(missing):  # points just over a (simplified) border: the nearest deelgemeente within the tolerance
        near_i, part_j = tree.query_nearest(points.values[missing], max_distance=tolerance_m, all_matches=False)
        result.iloc[missing[near_i]] = parts["name"].to_numpy()[part_j]
    return result


def _nearest_street(frame: gpd.GeoDataFrame, streets: gpd.GeoDataFrame, report: ImportReport) -> pd.Series:
    named = streets.loc[streets["name"].notna()]
    result = pd.Series(pd.NA, index=frame.index, dtype="str")
    if named.empty or frame.empty:
        return result
    tree = shapely.STRtree(named.geometry.values)
    point_i, street_i = tree.query_nearest(frame.geometry.values, max_distance=_NEAREST_STREET_M, all_matches=False)
    result.iloc[point_i] = named["name"].to_numpy()[street_i]
    report.note("import.note.nearest_street", count=len(point_i), distance_m=int(_NEAREST_STREET_M))
    return result



def _parts(workspace: Workspace | None) -> gpd.GeoDataFrame | None:
    return None if workspace is None else workspace.read("deelgemeenten")
