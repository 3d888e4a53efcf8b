"""Infobord budget mode: all groups of Asse (16 wijken, real OSM streets and CRAB addresses) and of the
1,000,000-address synthetic region, solved by buurtkaart (HiGHS through highspy) and, on the same instance, by
PySAL spopt's MCLP (PuLP model, solved with PuLP's HiGHS so that both use the same solver engine).

The instance handed to both: the candidate sites, the households grouped into demand classes (households that
the same sites cover), their weights, and the total budget. ``prepare`` is the time to find the entries, place
the sites and compute which households each site covers (shared by both solvers, timed once).

    python benchmarks/run.py infoborden
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np

from buurtkaart.infoborden import plan_infoborden
from buurtkaart.infoborden.solver import solve_max_cover

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "asse"
#: spopt builds a dense demand x facility matrix and one PuLP constraint per demand: beyond this many classes
#: it runs for many minutes, so the big region is compared on a subset of its groups.
SPOPT_MAX_CLASSES = 3_000
#: The big region's MILP (about 17,000 sites and 90,000 demand classes) is stopped here; the gap says how far
#: from proven optimal the answer is.
REGION_TIME_LIMIT_S = 150.0


def _asse():
    import geopandas as gpd

    streets = gpd.read_file(REALDATA / "asse_osm_2021_streets.gpkg", layer="road_segments").to_crs(31370)
    streets = streets.rename(columns={"class": "road_class"})
    wijken = gpd.read_file(REALDATA / "asse_boundaries_provinciesincijfers.gpkg", layer="wijken")
    wijken = wijken[wijken["in_asse"]].to_crs(31370).rename(columns={"code": "group_id", "naam": "name"})
    addresses = gpd.read_file(REALDATA / "asse_crab_addresses_2013.gpkg", layer="addresses")
    addresses = addresses[addresses["in_asse"]].to_crs(31370)
    return wijken[["group_id", "name", "geometry"]].reset_index(drop=True), streets, addresses.reset_index(drop=True)


def _spopt(weights: np.ndarray, classes: list[np.ndarray], n_sites: int, budget: int) -> tuple[float, float]:
    """spopt MCLP on the same instance: (seconds for model building + solving, objective)."""
    import pulp
    from spopt.locate import MCLP

    started = time.perf_counter()
    cost = np.full((len(weights), n_sites), 2.0)
    for k, sites in enumerate(classes):
        cost[k, sites] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MCLP.from_cost_matrix(cost, weights, service_radius=1.0, p_facilities=budget)
        model.solve(pulp.HiGHS(msg=False))
    seconds = time.perf_counter() - started
    return seconds, float(pulp.value(model.problem.objective))


def _subset(weights, classes, n_sites, limit):
    """The classes of the first sites (in order) until ``limit`` classes, re-numbered: a smaller instance."""
    keep_sites = n_sites
    while True:
        mask = [bool(len(c)) and int(c.max()) < keep_sites for c in classes]
        if sum(mask) <= limit or keep_sites <= 1:
            break
        keep_sites = int(keep_sites * 0.8)
    chosen = [c for c, m in zip(classes, mask, strict=True) if m]
    return weights[np.array(mask)], chosen, keep_sites


def _compare(label: str, weights, classes, n_sites: int, budget: int) -> None:
    ours = solve_max_cover(weights, classes, n_sites, budgets=[(np.arange(n_sites), budget)],
                           fixed=np.array([], dtype=np.int64))
    spopt_s, spopt_obj = _spopt(weights, classes, n_sites, budget)
    print(f"  {label}: {n_sites} candidate sites, {len(weights)} demand classes "
          f"({int(weights.sum())} households), budget {budget}")
    print(f"    buurtkaart HiGHS : {ours.seconds:8.3f} s  objective {ours.objective:,.0f}  gap {100 * ours.gap:.3f} %")
    print(f"    spopt MCLP       : {spopt_s:8.3f} s  objective {spopt_obj:,.0f}")
    same = abs(ours.objective - spopt_obj) < 0.5
    print(f"    speed-up {spopt_s / max(ours.seconds, 1e-9):.1f}x, equal objective: {'ja' if same else 'NEE'}")


def _run(label: str, groups, streets, addresses, *, budget_per_group: int, spopt_limit: int | None,
         time_limit_s: float = 240.0) -> None:
    budget = budget_per_group * len(groups)
    started = time.perf_counter()
    plan = plan_infoborden(groups, streets, addresses, mode="budget", budget=budget, time_limit_s=time_limit_s)
    total = time.perf_counter() - started
    coverage = plan.coverage
    assert coverage is not None
    print(f"{label}: {len(groups)} groups, {len(addresses):,} addresses, {len(plan.entries)} entries, "
          f"{len(plan.candidates)} sites")
    print(f"  budget mode (total {budget}): {total:.2f} s in all = prepare {total - plan.solve_seconds:.2f} s "
          f"+ solve {plan.solve_seconds:.3f} s; covered {plan.households_covered:,} of "
          f"{plan.households_coverable:,} coverable households, gap {100 * plan.gap:.3f} %"
          + (f" (stopped at the {time_limit_s:.0f} s time limit)" if plan.gap > 0 else " (proven optimal)"))
    weights, classes, n_sites = coverage.weights, coverage.sites_of_class, len(plan.candidates)
    if spopt_limit is not None and len(weights) > spopt_limit:
        all_sites = n_sites
        weights, classes, n_sites = _subset(weights, classes, n_sites, spopt_limit)
        budget = max(1, round(budget * n_sites / all_sites))
        label = f"SUBSET for spopt (first {n_sites} sites, {len(weights)} of {len(coverage.weights)} classes)"
    else:
        label = "same instance"
    _compare(label, weights, classes, n_sites, budget)


def main() -> None:
    if REALDATA.is_dir():
        _run("Asse (16 wijken)", *_asse(), budget_per_group=2, spopt_limit=None)
    else:
        print(f"Asse skipped: real data not found at {REALDATA}")
    from buurtkaart.synthetic import synthetic_region

    started = time.perf_counter()
    region = synthetic_region(n_addresses=1_000_000)
    print(f"synthetic region generated in {time.perf_counter() - started:.1f} s")
    _run("Synthetic region", region["groups"], region["streets"], region["addresses"], budget_per_group=2,
         spopt_limit=SPOPT_MAX_CLASSES, time_limit_s=REGION_TIME_LIMIT_S)


if __name__ == "__main__":
    main()
