"""Signs stored in the workspace (layer ``infoborden``: gepland, geplaatst, te_verwijderen) and what a boundary
change means for them: signs missing, obsolete, or to move.

>>> import geopandas as gpd, shapely
>>> signs = gpd.GeoDataFrame({"sign_id": ["B1", "B2"], "group_ids": ["G1", "G1"], "status": ["geplaatst"] * 2},
...                          geometry=[shapely.Point(0, 0), shapely.Point(500, 0)], crs="EPSG:31370")
>>> sites = gpd.GeoDataFrame({"site_id": ["S1", "S2"], "group_ids": ["G1", "G1"]},
...                          geometry=[shapely.Point(25, 0), shapely.Point(0, 300)], crs="EPSG:31370")
>>> compare_signs(signs, sites)[["change", "sign_id", "site_id"]].values.tolist()
[['verplaatsen', 'B1', 'S1'], ['overbodig', 'B2', None], ['ontbreekt', None, 'S2']]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from buurtkaart.errors import InputError, NotFound
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.validation import require_columns
from buurtkaart.vocabulary import SIGN_STATUSES, STANDING_SIGN_STATUSES, SignStatus
from buurtkaart.workspace import Workspace, conform

CHANGES = ("ontbreekt", "overbodig", "verplaatsen", "groepen", "ok")


def signs_from_sites(sites: gpd.GeoDataFrame, *, status: str = SignStatus.GEPLAND) -> gpd.GeoDataFrame:
    """The planned ``sites`` as rows of the ``infoborden`` layer (existing signs keep their id and status)."""
    _check_status(status)
    sign_ids = sites["sign_id"] if "sign_id" in sites.columns else pd.Series(pd.NA, index=sites.index)
    statuses = sites["status"] if "status" in sites.columns else pd.Series(status, index=sites.index)
    frame = gpd.GeoDataFrame({
        "sign_id": sign_ids.fillna(sites["site_id"]).astype("str"),
        "group_ids": sites["group_ids"].astype("str"),
        "status": statuses.fillna(status).astype("str"),
        "road_name": sites.get("road_name"),
        "road_class": sites.get("road_class"),
        "authority": sites.get("authority"),
        "bearing_deg": sites.get("bearing_deg"),
        "note": sites.get("reason"),
        "ref": sites.get("ref"),
        "site_id": sites["site_id"].astype("str"),
    }, geometry=sites.geometry.values, crs=WORKING_CRS)
    return conform("infoborden", frame)


@dataclass(frozen=True)
class SavedPlan:
    """What :func:`save_plan` stored: the new ``infoborden`` layer and the sign ids added, kept and removed."""

    layer: gpd.GeoDataFrame
    added: list[str]
    kept: list[str]
    removed: list[str]

    def summary(self) -> str:
        """One Dutch line: how many signs were added, kept as they were, and removed (earlier planned ones)."""
        return t("infoborden.saved_summary", added=len(self.added), kept=len(self.kept), removed=len(self.removed))


def save_plan(ws: Workspace, sites: gpd.GeoDataFrame) -> SavedPlan:
    """Store the plan's sites, merged with the stored signs.

    A stored sign that is placed or marked for removal stays exactly as stored (status, date, note, place); only
    its ``site_id`` links it to the plan. A planned sign the plan keeps takes the plan's place and reasons but keeps
    its stored status, date and note. Planned signs of an earlier plan that the new plan drops are removed; new
    sites are added as planned.
    """
    new = signs_from_sites(sites)
    with ws.lock():  # read, merge and write as one step: no other change in between is lost
        stored = ws.read("infoborden")
        by_id = stored.set_index("sign_id")
        in_plan = stored["sign_id"].isin(new["sign_id"])
        rows = []
        for position, sign_id in enumerate(new["sign_id"]):
            if sign_id not in by_id.index:
                rows.append(new.iloc[[position]])
                continue
            old = stored.loc[stored["sign_id"] == sign_id].copy()
            if old["status"].iloc[0] == SignStatus.GEPLAND:
                row = new.iloc[[position]].copy()
                for column in _KEPT_COLUMNS:
                    value = old[column].iloc[0]
                    if not pd.isna(value):
                        row[column] = value
                old = row
            else:
                old["site_id"] = new["site_id"].iloc[position]
            rows.append(old)
        others = stored[~in_plan & (stored["status"] != SignStatus.GEPLAND)]
        parts = [frame for frame in [others, *rows] if len(frame)]
        layer = pd.concat(parts, ignore_index=True) if parts else new
        layer = conform("infoborden", gpd.GeoDataFrame(layer, geometry="geometry", crs=WORKING_CRS))
        ws.write({"infoborden": layer})
    removed = stored.loc[~in_plan & (stored["status"] == SignStatus.GEPLAND), "sign_id"].tolist()
    added = new.loc[~new["sign_id"].isin(stored["sign_id"]), "sign_id"].tolist()
    kept = [s for s in layer["sign_id"] if s in set(stored["sign_id"])]
    return SavedPlan(layer=layer, added=added, kept=kept, removed=removed)


_KEPT_COLUMNS = ("status", "placed_on", "note")


def set_status(ws: Workspace, sign_ids, status: str, *, placed_on: str | None = None) -> gpd.GeoDataFrame:
    """Give the stored signs ``sign_ids`` the ``status``; ``geplaatst`` records ``placed_on`` (default today)."""
    _check_status(status)
    with ws.lock():  # read, change and write as one step
        return _set_status(ws, sign_ids, status, placed_on=placed_on)


def _set_status(ws: Workspace, sign_ids, status: str, *, placed_on: str | None) -> gpd.GeoDataFrame:
    layer = ws.read("infoborden")
    wanted = [str(s) for s in sign_ids]
    unknown = sorted(set(wanted) - set(layer["sign_id"]))
    if unknown:
        raise NotFound(t("infoborden.error.unknown_sign", ids=", ".join(unknown)))
    if placed_on is not None:
        try:
            dt.date.fromisoformat(placed_on)
        except ValueError:
            raise InputError(t("infoborden.error.bad_date", value=placed_on)) from None
    rows = layer["sign_id"].isin(wanted)
    layer.loc[rows, "status"] = status
    if status == SignStatus.GEPLAATST:
        layer.loc[rows, "placed_on"] = placed_on or dt.date.today().isoformat()
    ws.write({"infoborden": layer})
    return layer


def _check_status(status: str) -> None:
    if status not in SIGN_STATUSES:
        raise InputError(t("infoborden.error.unknown_status", status=status, known=", ".join(SIGN_STATUSES)))


def compare_signs(
    signs: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    *,
    match_distance_m: float = 60.0,
    move_tolerance_m: float = 10.0,
) -> gpd.GeoDataFrame:
    """What must change for the stored ``signs`` to match the planned ``sites`` (e.g. after a boundary change).

    Each active sign (gepland, geplaatst) is paired with the nearest unpaired site sharing one of its groups
    within ``match_distance_m``: ``ok``, ``verplaatsen`` (more than ``move_tolerance_m`` away) or ``groepen``
    (same place, other groups: change the sign's text). Unpaired signs are ``overbodig``, unpaired sites
    ``ontbreekt``. The geometry is where the work happens (the new site, or the sign to remove).
    """
    problems: list[str] = []
    require_columns(signs, ("sign_id", "group_ids", "status"), what="infoborden", problems=problems)
    require_columns(sites, ("site_id", "group_ids"), what="sites", problems=problems)
    if problems:
        raise InputError(t("infoborden.error.existing_invalid"), problems=problems)
    active = signs[signs["status"].isin(STANDING_SIGN_STATUSES)]
    candidates: list[tuple[float, int, int]] = []
    site_points = sites.geometry.values
    site_groups = [set(str(g).split(",")) for g in sites["group_ids"]]
    for i, (geom, groups) in enumerate(zip(active.geometry.values, active["group_ids"], strict=True)):
        dist = site_points.distance(geom) if len(sites) else np.array([])
        mine = set(str(groups).split(","))
        for near in np.flatnonzero(dist <= match_distance_m).tolist():
            if mine & site_groups[near]:
                candidates.append((float(dist[near]), i, near))
    pair_of_sign: dict[int, tuple[int, float]] = {}
    used_sites: set[int] = set()
    for dist_m, i, j in sorted(candidates):
        if i not in pair_of_sign and j not in used_sites:
            pair_of_sign[i] = (j, dist_m)
            used_sites.add(j)
    rows = []
    for i in range(len(active)):
        sign = active.iloc[i]
        if i not in pair_of_sign:
            rows.append(_change("overbodig", sign, None, 0.0, sign.geometry))
            continue
        j, dist_m = pair_of_sign[i]
        site = sites.iloc[j]
        if dist_m > move_tolerance_m:
            kind = "verplaatsen"
        elif set(str(sign["group_ids"]).split(",")) != site_groups[j]:
            kind = "groepen"
        else:
            kind = "ok"
        rows.append(_change(kind, sign, site, dist_m, site.geometry))
    for j in range(len(sites)):
        if j not in used_sites:
            rows.append(_change("ontbreekt", None, sites.iloc[j], 0.0, sites.geometry.values[j]))
    frame = pd.DataFrame(rows, columns=["change", "sign_id", "site_id", "old_group_ids", "new_group_ids",
                                        "distance_m", "description", "geometry"])
    for column in ("change", "sign_id", "site_id", "old_group_ids", "new_group_ids", "description"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    frame["distance_m"] = frame["distance_m"].astype("float64").round(1)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(frame["geometry"].tolist(), crs=WORKING_CRS),
                            crs=WORKING_CRS)


def _change(kind, sign, site, dist_m, geometry) -> dict:
    old = None if sign is None else str(sign["group_ids"])
    new = None if site is None else str(site["group_ids"])
    if kind == "verplaatsen":
        text = t("infoborden.change.verplaatsen", distance_m=round(dist_m))
    elif kind == "groepen":
        text = t("infoborden.change.groepen", old=old, new=new)
    else:
        text = t(f"infoborden.change.{kind}")
    return {
        "change": kind,
        "sign_id": None if sign is None else str(sign["sign_id"]),
        "site_id": None if site is None else str(site["site_id"]),
        "old_group_ids": old,
        "new_group_ids": new,
        "distance_m": dist_m,
        "description": text,
        "geometry": geometry,
    }

