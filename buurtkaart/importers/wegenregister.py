"""Streets from the Flemish road register (Wegenregister, Digitaal Vlaanderen), recognised without any column option:
the ``Wegsegment`` layer of its download (shapefile or GeoPackage) or of its WFS (GeoJSON), Lambert 72 lines with
the documented fields ``WS_OIDN``, ``LSTRNM``/``RSTRNM`` (street name left and right of the digitising direction),
``WEGCAT`` (wegcategorie: ``H``, ``P1``..``P4``, ``S1``..``S4``, ``L1``..``L3``, ``-8``/``-9``), ``MORF``
(morfologische wegklasse: ``101`` autosnelweg ... ``130`` veer) and ``BEHEER``/``LBLBEHEER`` (the road authority).

The road class comes from ``reference/road_classes.csv``: the morphology where it says what the segment is (a
motorway, a cycle path, a tramway or ferry, which are no road), else the road category. The authority is the
register's: an ``AWV...`` manager is the region (``gewest``), a NIS code the municipality. The segments then go the
way of every street file (:func:`buurtkaart.importers.streets.network_from_segments`): whole streets in the
municipality, the roads within the margin beyond the border kept as ``streets_outside``.

>>> classes = wegenregister_classes(pd.Series(["101", "103", "114", "130"]), pd.Series(["H", "L2", "-9", "-8"]),
...                                 pd.Series(["AWV112", "23002", "-8", "-8"]))
>>> classes.to_dict("list")
{'road_class': ['motorway', 'minor', 'path', nan], 'authority': ['gewest', 'gemeente', 'onbekend', nan]}
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from buurtkaart.importers import _validate as v
from buurtkaart.importers._read import default_layer, read_vector, suffix_of
from buurtkaart.importers.report import ImportReport
from buurtkaart.importers.streets import MARGIN_M, network_from_segments, road_classes
from buurtkaart.schema import WORKING_CRS
from buurtkaart.vector_io import DEFAULT_ENGINE
from buurtkaart.workspace import Workspace

_FIELDS: dict[str, tuple[str, ...]] = {
    "left": ("lstrnm", "linkerstraatnaam"),
    "right": ("rstrnm", "rechterstraatnaam"),
    "wegcat": ("wegcat", "wegcategorie"),
    "morf": ("morf", "morfologie"),
    "beheer": ("beheer", "beheerder"),
    "ref": ("ident2", "wegnummer", "ref"),
}
_PREFERRED_LAYERS = ("Wegsegment", "wegsegment", "WEGSEGMENT", "Wegsegmenten")
_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".zip")
_NO_NAME = {"", "-8", "-9"}


def is_wegenregister_file(path: Path) -> bool:
    """True when ``path`` holds the road register's segments (fields LSTRNM/RSTRNM and WEGCAT or MORF)."""
    if suffix_of(path) not in _SUFFIXES or not path.is_file():
        return False
    try:
        import pyogrio

        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        layer = default_layer(layers, _PREFERRED_LAYERS)
        if layer is None:
            return False
        names = {str(f).lower() for f in pyogrio.read_info(path, layer=layer)["fields"]}
    except Exception:  # not readable: the generic reader gives the clear error
        return False
    return bool({"lstrnm", "rstrnm"} & names) and bool({"wegcat", "morf"} & names)


def wegenregister_classes(morf: pd.Series, wegcat: pd.Series, beheer: pd.Series) -> pd.DataFrame:
    """``road_class`` and ``authority`` of road-register segments; NA road class for a segment that is no road
    (tramway, ferry)."""
    table = road_classes()
    by_morf = table[table["scheme"] == "morf"].set_index("value")
    by_cat = table[table["scheme"] == "wegcat"].set_index("value")
    morf_key = morf.astype("str").str.strip().str.replace(r"\.0$", "", regex=True)
    cat_key = wegcat.astype("str").str.strip().str.upper()
    from_morf = morf_key.map(by_morf["road_class"])
    road_class = from_morf.where(from_morf.notna(), cat_key.map(by_cat["road_class"]))
    road_class = road_class.fillna("minor").where(from_morf != "", pd.NA).astype("str")  # tram, ferry: no road
    authority = morf_key.map(by_morf["authority"]).where(from_morf.notna(), cat_key.map(by_cat["authority"]))
    manager = beheer.astype("str").str.strip().str.upper()
    authority = authority.mask(manager.str.startswith("AWV").fillna(False).astype(bool), "gewest")
    authority = authority.mask(manager.str.fullmatch(r"\d{5}").fillna(False).astype(bool), "gemeente")
    authority = authority.fillna("onbekend").where(road_class.notna(), pd.NA).astype("str")
    return pd.DataFrame({"road_class": road_class, "authority": authority}, index=morf.index)


def read_wegenregister(
    path: str | Path,
    *,
    workspace: Workspace | None = None,
    layer: str | None = None,
    tolerance_m: float = v.DEFAULT_TOLERANCE_M,
    margin_m: float = MARGIN_M,
    engine: str = DEFAULT_ENGINE,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, ImportReport]:
    """The ``streets`` and ``streets_outside`` layers of a road-register file, and a report."""
    path = Path(path)
    report = ImportReport(kind="streets", source=path.name)
    problems = v.Problems()
    raw = read_vector(path, layer=layer, preferred=_PREFERRED_LAYERS, engine=engine)
    fields = v.find_columns(raw, _FIELDS, problems, optional=tuple(_FIELDS))
    converted = v.to_working_crs(raw, problems, report, crs=None if raw.crs is not None else "EPSG:31370")
    problems.raise_if_any(report.source)
    assert converted is not None
    converted = v.drop_empty_geometries(converted, report)

    def text(name: str) -> pd.Series:
        return v.field_text(converted, fields, name)

    left, right = text("left"), text("right")
    left = left.where(~left.isin(_NO_NAME), pd.NA)
    right = right.where(~right.isin(_NO_NAME), pd.NA)
    two_names = left.notna() & right.notna() & (left != right)
    if two_names.any():
        report.note("import.vl.note_two_names", count=int(two_names.sum()))
    classes = wegenregister_classes(text("morf"), text("wegcat"), text("beheer"))
    not_road = classes["road_class"].isna()
    report.drop("import.reason.not_a_road", int(not_road.sum()),
                examples=text("morf")[not_road].value_counts().index[:5])
    frame = gpd.GeoDataFrame(
        {"name": left.fillna(right).str.replace(r"\s+", " ", regex=True), "road_class": classes["road_class"],
         "ref": text("ref"), "authority": classes["authority"]},
        geometry=converted.geometry.values, index=converted.index, crs=WORKING_CRS,
    ).loc[~not_road.to_numpy()]
    frame = frame.explode(index_parts=False)
    short = (frame.geometry.length <= 0).to_numpy()
    report.drop("import.reason.empty_geometry", int(short.sum()))
    frame = frame.loc[~short]
    frame = frame.set_geometry(shapely.force_2d(frame.geometry.values))
    return network_from_segments(frame, report, workspace=workspace, tolerance_m=tolerance_m, margin_m=margin_m)
