"""Plan the infoborden of every group: *every entry road* (the BIN circular's rule) or *a budget* of N signs.

The result is one GeoDataFrame of sites (``plan.sites``) with a Dutch ``reason`` for each; the map, the table
and every export take that frame.

>>> import geopandas as gpd, shapely
>>> area = gpd.GeoDataFrame({"group_id": ["G1"]}, geometry=[shapely.box(0, 0, 200, 200)], crs="EPSG:31370")
>>> roads = gpd.GeoDataFrame({"name": ["Westweg", "Oostweg"], "road_class": ["minor", "minor"]},
...     geometry=[shapely.LineString([(-300, 100), (100, 100)]), shapely.LineString([(100, 100), (500, 100)])],
...     crs="EPSG:31370")
>>> homes = gpd.GeoDataFrame({"address_id": ["a", "b", "c"]},
...     geometry=[shapely.Point(30, 105), shapely.Point(40, 105), shapely.Point(170, 105)], crs="EPSG:31370")
>>> plan = plan_infoborden(area, roads, homes, mode="budget", budget=1, coverage_distance_m=60)
>>> plan.sites["road_name"].tolist(), plan.households_covered, plan.gap
(['Westweg'], 2, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from buurtkaart.errors import InputError
from buurtkaart.infoborden.coverage import Coverage, site_coverage
from buurtkaart.infoborden.entries import entries_and_networks
from buurtkaart.infoborden.sites import entry_sites
from buurtkaart.infoborden.solver import SolveResult, solve_max_cover
from buurtkaart.schema import WORKING_CRS
from buurtkaart.texts import road_class_label, t
from buurtkaart.validation import require_columns, require_crs
from buurtkaart.vocabulary import PLAN_DEFAULTS, PLAN_MODES, STANDING_SIGN_STATUSES, PlanMode, SignStatus


@dataclass
class InfobordPlan:
    """A plan: the chosen ``sites`` (one row per pole), every ``candidates`` site, and the figures."""

    sites: gpd.GeoDataFrame
    candidates: gpd.GeoDataFrame
    entries: gpd.GeoDataFrame
    mode: str
    budget: int | None
    per_group: bool
    households_total: int
    households_coverable: int
    households_covered: int
    gap: float
    solver: str
    solve_seconds: float
    coverage: Coverage | None = None
    notes: list[str] = field(default_factory=list)
    time_limit_s: float | None = None
    households_bound: int | None = None
    #: How many of the ``sites`` are existing signs that were kept (the rest are new).
    kept: int = 0

    @property
    def proven_optimal(self) -> bool:
        """True when no plan within the budget covers more households (the solver closed the gap)."""
        return self.gap <= 1e-9

    def summary(self) -> str:
        """Two or three Dutch lines that sum the plan up."""
        groups = {g for ids in self.sites["group_ids"] for g in str(ids).split(",")}
        percent = round(100 * self.households_covered / self.households_total, 1) if self.households_total else 0
        lines = [t("infoborden.summary", sites=len(self.sites), shared=int(self.sites["shared"].sum()),
                   groups=len(groups), mode=t(f"infoborden.mode.{self.mode}"), covered=self.households_covered,
                   households=self.households_total, percent=percent)]
        if self.mode == PlanMode.BUDGET:
            new = len(self.sites) - self.kept
            scope = t("infoborden.summary_scope.per_group" if self.per_group else "infoborden.summary_scope.total")
            if self.kept:
                lines.append(t("infoborden.summary_budget_kept", count=new, kept=self.kept, budget=self.budget,
                               scope=scope))
            else:
                lines.append(t("infoborden.summary_budget", count=new, budget=self.budget, scope=scope))
            if not (~self.candidates["chosen"]).any():
                lines.append(t("infoborden.summary_all_entries"))
            elif new < (self.budget or 0) and self.households_covered >= self.households_coverable:
                lines.append(t("infoborden.summary_all_covered"))
            if self.proven_optimal:
                lines.append(t("infoborden.summary_optimal", solver=self.solver, seconds=round(self.solve_seconds, 2)))
            else:
                lines.append(t("infoborden.summary_not_optimal", limit=round(self.time_limit_s or 0),
                               solver=self.solver, seconds=round(self.solve_seconds, 1), gap=round(100 * self.gap, 2),
                               bound=self.households_bound, covered=self.households_covered))
        permits = int(self.sites["awv_permit"].sum())
        if permits:
            lines.append(t("infoborden.summary_permits", count=permits))
        return "\n".join(lines + self.notes)


def plan_infoborden(
    groups: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    addresses: gpd.GeoDataFrame | None = None,
    *,
    mode: str = PLAN_DEFAULTS.mode,
    budget: int | None = PLAN_DEFAULTS.budget,
    per_group: bool = PLAN_DEFAULTS.per_group,
    existing: gpd.GeoDataFrame | None = None,
    coverage_distance_m: float = PLAN_DEFAULTS.coverage_distance_m,
    road_classes=None,
    setback_m: float = PLAN_DEFAULTS.setback_m,
    border_tolerance_m: float = PLAN_DEFAULTS.border_tolerance_m,
    merge_distance_m: float = PLAN_DEFAULTS.merge_distance_m,
    reach_m: float = PLAN_DEFAULTS.reach_m,
    match_distance_m: float = PLAN_DEFAULTS.match_distance_m,
    solver: str = PLAN_DEFAULTS.solver,
    time_limit_s: float = PLAN_DEFAULTS.time_limit_s,
) -> InfobordPlan:
    """Plan the sign sites of all ``groups``.

    ``mode="elke-invalsweg"`` puts a sign at every entry; ``mode="budget"`` chooses at most ``budget`` signs (in
    total, or per group with ``per_group=True``; a shared pole counts once in the total and once for each of its
    groups) that cover the most households. ``existing`` signs (the ``infoborden`` layer; status gepland or
    geplaatst) are kept, and the budget is then the number of *new* signs on top of them (in total or per group),
    so that every budget changes the plan while there are entries left without a sign.
    The defaults are those of :class:`buurtkaart.vocabulary.PlanOptions` (one place for the library, the CLI and
    the page).

    Parameters
    ----------
    groups : GeoDataFrame
        The groups layer (``group_id``, polygons, EPSG:31370).
    streets : GeoDataFrame
        The roads the signs stand on (:func:`entry_roads` of a workspace: the streets and the roads beyond the border).
    addresses : GeoDataFrame, optional
        The addresses, to count the households a sign covers (needed for ``mode="budget"``).
    mode : {"elke-invalsweg", "budget"}
        Every entry, or the best ``budget`` signs.
    budget : int, optional
        The number of (new) signs for ``mode="budget"``.
    per_group : bool, default False
        The budget per group instead of in total.
    existing : GeoDataFrame, optional
        The ``infoborden`` layer; its placed and planned signs are kept.
    coverage_distance_m, setback_m, border_tolerance_m, merge_distance_m, reach_m, match_distance_m : float
        The distances in metres: a sign covers the homes within ``coverage_distance_m`` along the roads, stands
        ``setback_m`` inside the border, and so on (:mod:`buurtkaart.infoborden.sites`).
    road_classes : list of str, optional
        Only entries on these road classes.
    solver : str, default "highs"
        The MIP solver for ``mode="budget"``.
    time_limit_s : float, default 120
        The solver's time limit.

    Returns
    -------
    InfobordPlan
        The chosen ``sites``, the ``candidates``, the entries and the figures (households covered, gap, solver).
    """
    problems = []
    if mode not in PLAN_MODES:
        problems.append(t("infoborden.error.unknown_mode", mode=mode, known=", ".join(PLAN_MODES)))
    if mode == PlanMode.BUDGET and budget is None:
        problems.append(t("infoborden.error.budget_missing"))
    if budget is not None and (int(budget) != budget or budget < 0):
        problems.append(t("infoborden.error.budget_negative", value=budget))
    if not coverage_distance_m >= 0:
        problems.append(t("infoborden.error.negative", option="coverage_distance_m", value=coverage_distance_m))
    if problems:
        raise InputError(t("infoborden.error.options_invalid"), problems=problems)
    entries, networks = entries_and_networks(groups, streets, road_classes=road_classes,
                                             border_tolerance_m=border_tolerance_m,
                                             merge_distance_m=merge_distance_m, reach_m=reach_m)
    candidates = entry_sites(entries, groups, setback_m=setback_m)
    candidates, fixed_positions = _add_existing(candidates, existing, match_distance_m=match_distance_m)
    if addresses is None:
        addresses = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=WORKING_CRS), crs=WORKING_CRS)
    coverage = site_coverage(candidates, entries, networks, addresses, groups, distance_m=coverage_distance_m)
    candidates["households"] = pd.array(coverage.per_site, dtype="Int64")
    notes: list[str] = []
    if mode == PlanMode.BUDGET:
        budgets = _budget_rows(candidates, int(budget or 0), per_group=per_group, fixed=fixed_positions)
        result = solve_max_cover(coverage.weights, coverage.sites_of_class, len(candidates), budgets=budgets,
                                 fixed=fixed_positions, solver=solver, time_limit_s=time_limit_s)
    else:
        everything = np.arange(len(candidates))
        covered = float(coverage.weights.sum())
        result = SolveResult(everything, covered, covered, 0.0, "Optimal", "-", 0.0)
    chosen = np.zeros(len(candidates), dtype=bool)
    chosen[result.chosen] = True
    candidates["chosen"] = chosen
    candidates["reason"] = _reasons(candidates, coverage_distance_m)
    sites = candidates[chosen].reset_index(drop=True)
    covered = _covered(coverage, chosen)
    return InfobordPlan(sites=sites, candidates=candidates, entries=entries, mode=mode,
                        budget=None if budget is None else int(budget), per_group=per_group,
                        households_total=coverage.households_total, households_coverable=coverage.coverable,
                        households_covered=covered, gap=result.gap, solver=result.solver,
                        solve_seconds=result.seconds, coverage=coverage, notes=notes,
                        time_limit_s=float(time_limit_s) if mode == PlanMode.BUDGET else None,
                        households_bound=int(np.floor(result.bound + 1e-6)) if mode == PlanMode.BUDGET else None,
                        kept=int(chosen[fixed_positions].sum()) if len(fixed_positions) else 0)


def _covered(coverage: Coverage, chosen: np.ndarray) -> int:
    return int(sum(w for w, s in zip(coverage.weights, coverage.sites_of_class, strict=True) if chosen[s].any()))


def _add_existing(candidates: gpd.GeoDataFrame, existing, *, match_distance_m: float):
    """Mark candidates that already carry a sign; add existing signs that stand at no entry. Returns the
    candidates (with ``status`` and ``sign_id``) and the positions that are fixed."""
    candidates = candidates.copy()
    candidates["status"] = pd.Series(SignStatus.GEPLAND, index=candidates.index, dtype="str")
    candidates["sign_id"] = pd.Series(pd.NA, index=candidates.index, dtype="str")
    if existing is None or not len(existing):
        return candidates, np.array([], dtype=np.int64)
    problems: list[str] = []
    require_columns(existing, ("sign_id", "group_ids", "status"), what="infoborden", problems=problems)
    require_crs(existing, what="infoborden", problems=problems)
    if problems:
        raise InputError(t("infoborden.error.existing_invalid"), problems=problems)
    active = existing[existing["status"].isin(STANDING_SIGN_STATUSES)]
    fixed: list[int] = []
    extra = []
    taken: set[int] = set()
    for _, sign in active.iterrows():
        groups = set(str(sign["group_ids"]).split(","))
        dist = candidates.geometry.distance(sign.geometry).to_numpy()
        order = [int(i) for i in np.argsort(dist) if dist[i] <= match_distance_m and int(i) not in taken
                 and groups & set(str(candidates["group_ids"].iloc[int(i)]).split(","))]
        if order:
            pos = order[0]
            taken.add(pos)
            fixed.append(pos)
            candidates.iloc[pos, candidates.columns.get_loc("status")] = sign["status"]
            candidates.iloc[pos, candidates.columns.get_loc("sign_id")] = sign["sign_id"]
        else:
            extra.append(sign)
    if extra:
        rows = pd.DataFrame({
            "site_id": [f"IB-{s['sign_id']}" for s in extra],
            "group_ids": [s["group_ids"] for s in extra],
            "entry_ids": "",
            "road_name": [s.get("road_name", pd.NA) for s in extra],
            "road_class": [s.get("road_class", pd.NA) for s in extra],
            "ref": [s.get("ref", pd.NA) for s in extra],
            "authority": [s.get("authority", pd.NA) for s in extra],
            "awv_permit": [s.get("authority", "") == "gewest" for s in extra],
            "bearing_deg": [s.get("bearing_deg", np.nan) for s in extra],
            "shared": ["," in str(s["group_ids"]) for s in extra],
            "status": [s["status"] for s in extra],
            "sign_id": [s["sign_id"] for s in extra],
        })
        added = gpd.GeoDataFrame(rows, geometry=[s.geometry for s in extra], crs=WORKING_CRS)
        start = len(candidates)
        candidates = pd.concat([candidates, added.astype({c: candidates[c].dtype for c in rows.columns})],
                               ignore_index=True)
        fixed.extend(range(start, len(candidates)))
    return gpd.GeoDataFrame(candidates, geometry="geometry", crs=WORKING_CRS), np.array(sorted(fixed), dtype=np.int64)


def _budget_rows(candidates, budget: int, *, per_group: bool, fixed: np.ndarray):
    """The solver's budget rows: ``budget`` new signs on top of the kept ones, in total or per group."""
    if not per_group:
        return [(np.arange(len(candidates)), budget + len(fixed))]
    members: dict[str, list[int]] = {}
    for pos, ids in enumerate(candidates["group_ids"].tolist()):
        for group_id in str(ids).split(","):
            members.setdefault(group_id, []).append(pos)
    fixed_set = set(fixed.tolist())
    return [(np.array(positions), budget + sum(p in fixed_set for p in positions))
            for _group_id, positions in sorted(members.items())]


def _reasons(candidates: gpd.GeoDataFrame, distance_m: float) -> pd.Series:
    reasons = []
    for row in candidates.itertuples(index=False):
        road = row.road_name if isinstance(row.road_name, str) else t("infoborden.reason.unnamed")
        if not row.entry_ids:
            text = t("infoborden.reason.existing_off_entry", status=row.status)
        else:
            key = "infoborden.reason.shared" if row.shared else "infoborden.reason.entry"
            text = t(key, road=road, road_class=road_class_label(row.road_class),
                     groups=row.group_ids.replace(",", " en "), households=int(row.households),
                     distance_m=int(distance_m))
            if isinstance(row.sign_id, str):
                text += " " + t("infoborden.reason.existing", status=row.status)
        if row.awv_permit:
            text += " " + t("infoborden.reason.permit", ref=row.ref if isinstance(row.ref, str) else "N-weg")
        reasons.append(text)
    return pd.Series(reasons, index=candidates.index, dtype="str")

