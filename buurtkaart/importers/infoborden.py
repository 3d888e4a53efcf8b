"""Infobord sites from a file, as ``buurtkaart export infoborden`` writes them (CSV with ``x``/``y`` or
``lon``/``lat``, GeoPackage, GeoJSON, shapefile, KML) or made like it: one point per sign with ``sign_id``,
``group_ids`` and ``status``; ``placed_on``, ``note``, ``bearing_deg`` and the other columns are kept when present.

Stored, the file is the layer (it replaces the stored signs; the shrink guard of
:func:`buurtkaart.importers.run.prepare_import` stops a file that would drop most of them). Every problem of every
sign is reported at once, in one Dutch :class:`~buurtkaart.errors.InputError`.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from buurtkaart.importers import _validate as v
from buurtkaart.importers._layer_file import layer_rows, read_file
from buurtkaart.importers.members import iso_dates
from buurtkaart.importers.report import ImportReport
from buurtkaart.texts import t
from buurtkaart.vector_io import DEFAULT_ENGINE
from buurtkaart.vocabulary import SIGN_STATUSES
from buurtkaart.workspace import Workspace, conform

_PREFERRED_LAYERS = ("infoborden", "borden")
_SHOWN = 10


def read_infoborden(
    path: str | Path,
    *,
    workspace: Workspace | None = None,
    layer: str | None = None,
    crs: str | None = None,
    sheet: str | None = None,
    engine: str = DEFAULT_ENGINE,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read a file of infobord sites into an ``infoborden`` layer (EPSG:31370); nothing is written.

    ``crs`` sets the CRS of a file without one. A sign without a point, with an unknown status or group, a date
    that is no date or an id used twice is refused, with every such sign named."""
    path = Path(path)
    report = ImportReport(kind="infoborden", source=path.name)
    problems = v.Problems()
    raw = read_file(path, report, layer=layer, sheet=sheet, preferred=_PREFERRED_LAYERS, engine=engine)
    frame = layer_rows(raw, "infoborden", problems, report, crs=crs)
    problems.raise_if_any(report.source)
    _sign_problems(frame, workspace, problems)
    problems.raise_if_any(report.source)
    frame["placed_on"] = iso_dates(frame["placed_on"])[0].astype("str")
    frame["bearing_deg"] = pd.to_numeric(frame["bearing_deg"], errors="coerce")
    report.kept = len(frame)
    return conform("infoborden", frame.reset_index(drop=True)), report


def _labels(frame: pd.DataFrame, mask: pd.Series) -> str:
    """The signs of ``mask`` by id (by row where a sign has none), at most ten."""
    rows = frame.index[mask.to_numpy(dtype=bool)]
    names = [str(frame.at[i, "sign_id"]) if pd.notna(frame.at[i, "sign_id"]) else t("import.row", row=_line(i))
             for i in rows]
    return ", ".join(names[:_SHOWN]) + (" ..." if len(names) > _SHOWN else "")


def _line(label: object) -> int:
    text = str(label)
    return int(text) + 2 if text.isdigit() else 0


def _sign_problems(frame: gpd.GeoDataFrame, workspace: Workspace | None, problems: v.Problems) -> None:
    v.duplicate_problems(frame["sign_id"], "sign_id", problems)
    geoms = frame.geometry.values
    no_point = shapely.is_missing(geoms) | shapely.is_empty(geoms) | (shapely.get_type_id(geoms) != 0)
    bearing = pd.to_numeric(frame["bearing_deg"], errors="coerce")
    known_groups = _group_ids(workspace)
    group_lists = frame["group_ids"].fillna("").str.split(",")
    unknown_group = pd.Series([known_groups is not None and any(g.strip() not in known_groups for g in ids if g)
                               for ids in group_lists], index=frame.index)
    checks = [
        (pd.Series(no_point, index=frame.index), "import.signs_no_point", {}),
        (frame["group_ids"].isna(), "import.signs_no_group", {}),
        (unknown_group, "import.signs_unknown_group", {}),
        (~frame["status"].isin(SIGN_STATUSES), "import.signs_bad_status", {"known": ", ".join(SIGN_STATUSES)}),
        (iso_dates(frame["placed_on"])[1], "import.signs_bad_date", {}),
        (frame["bearing_deg"].notna() & bearing.isna(), "import.signs_bad_bearing", {}),
    ]
    for mask, key, values in checks:
        if mask.any():
            problems.add(t(key, signs=_labels(frame, mask), **values))


def _group_ids(workspace: Workspace | None) -> set[str] | None:
    """The stored group ids, or None when there are none to check against."""
    if workspace is None:
        return None
    groups = workspace.read("groups", columns=["group_id"])
    return set(groups["group_id"].astype("str")) if len(groups) else None
