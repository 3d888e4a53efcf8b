"""The budget solve keeps its time limit: HiGHS in a child process that is stopped at the limit on large
instances, and otherwise the start plan with a bound that needs no LP. Small instances drawn by hand or brute
forced; the 1M-address region's figure is in benchmarks/bench_infoborden.py."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import buurtkaart.infoborden.solver as solver
from buurtkaart.infoborden._stoppable import cheap_bound, solve_in_child
from buurtkaart.infoborden.solver import solve_max_cover

NONE = np.array([], dtype=np.int64)


def _instance(seed: int, n_sites: int = 12, n_classes: int = 40):
    rng = np.random.default_rng(seed)
    weights = rng.integers(1, 30, n_classes).astype(np.float64)
    classes = [np.sort(rng.choice(n_sites, rng.integers(1, 4), replace=False)) for _ in range(n_classes)]
    return weights, classes, n_sites


def _best(weights, classes, n_sites, budget) -> float:
    best = 0.0
    for chosen in itertools.combinations(range(n_sites), budget):
        picked = set(chosen)
        best = max(best, float(sum(w for w, c in zip(weights, classes, strict=True) if picked & set(c.tolist()))))
    return best


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), budget=st.integers(0, 5))
def test_cheap_bound_is_never_below_the_optimum(seed, budget):
    weights, classes, n_sites = _instance(seed, n_sites=8, n_classes=15)
    best = _best(weights, classes, n_sites, budget)
    assert cheap_bound(weights, classes, n_sites, budgets=[(np.arange(n_sites), budget)]) >= best - 1e-9
    start = np.array([float(bool({0, 1} & set(c.tolist()))) for c in classes])  # the plan {0, 1} at hand
    assert cheap_bound(weights, classes, n_sites, budgets=[(np.arange(n_sites), budget)], covered=start) >= best - 1e-9
    assert cheap_bound(weights, classes, n_sites, budgets=[(np.arange(n_sites), budget)], covered=start,
                       time_limit_s=0.05) >= best - 1e-6
    half = np.arange(n_sites // 2)  # a per-group row: at most one sign among the first half of the sites
    assert cheap_bound(weights, classes, n_sites, budgets=[(half, 1), (np.arange(n_sites), budget)]) >= \
        _best_with_row(weights, classes, n_sites, budget, half) - 1e-9


def _best_with_row(weights, classes, n_sites, budget, row) -> float:
    best = 0.0
    for k in range(budget + 1):
        for chosen in itertools.combinations(range(n_sites), k):
            if len(set(chosen) & set(row.tolist())) > 1:
                continue
            picked = set(chosen)
            best = max(best, float(sum(w for w, c in zip(weights, classes, strict=True) if picked & set(c.tolist()))))
    return best


def test_a_large_instance_is_solved_in_a_child_process_with_the_same_answer(monkeypatch):
    weights, classes, n_sites = _instance(7)
    budgets = [(np.arange(n_sites), 3)]
    here = solve_max_cover(weights, classes, n_sites, budgets=budgets, fixed=NONE, time_limit_s=30)
    monkeypatch.setattr(solver, "_IPM_FROM_CLASSES", 0)  # every instance counts as large: the child runs HiGHS
    child = solve_max_cover(weights, classes, n_sites, budgets=budgets, fixed=NONE, time_limit_s=120)
    assert child.objective == here.objective == _best(weights, classes, n_sites, 3)
    assert child.gap == 0.0 and child.status == "Optimal"


def test_when_highs_does_not_answer_in_time_the_start_plan_comes_with_an_honest_gap(monkeypatch):
    weights, classes, n_sites = _instance(11)
    budgets = [(np.arange(n_sites), 3)]
    monkeypatch.setattr(solver, "_IPM_FROM_CLASSES", 0)
    monkeypatch.setattr(solver, "solve_in_child", lambda payload, *, deadline: None)  # killed at the limit
    result = solve_max_cover(weights, classes, n_sites, budgets=budgets, fixed=NONE, time_limit_s=5)
    best = _best(weights, classes, n_sites, 3)
    covered = sum(w for w, c in zip(weights, classes, strict=True) if set(result.chosen.tolist()) & set(c.tolist()))
    assert len(result.chosen) <= 3 and result.objective == pytest.approx(covered) and result.objective <= best
    assert result.bound >= best and result.gap == pytest.approx((result.bound - result.objective) / result.objective)
    assert result.status == "Time limit reached"


def test_a_child_that_fails_or_misses_its_deadline_gives_no_answer_and_no_wait():
    import time

    weights, _classes, n_sites = _instance(3)
    payload = {"n_sites": n_sites, "weights": weights}  # incomplete: the child fails (or is killed at the deadline)
    started = time.perf_counter()
    assert solve_in_child(payload, deadline=started) is None
    assert time.perf_counter() - started < 5.0


def test_plan_and_cli_say_when_a_plan_is_not_proven_optimal(monkeypatch, tmp_path):
    import json

    import geopandas as gpd
    import shapely
    from click.testing import CliRunner

    from buurtkaart.cli import main
    from buurtkaart.infoborden import plan_infoborden
    from buurtkaart.schema import WORKING_CRS
    from buurtkaart.texts import t
    from buurtkaart.workspace import Workspace
    from tests.conftest import X0, Y0, pt, square

    groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]}, geometry=[square(0, 0)], crs=WORKING_CRS)
    streets = gpd.GeoDataFrame({"street_id": [0, 1], "name": ["Westweg", "Noordweg"], "road_class": ["minor"] * 2},
                               geometry=[shapely.LineString([(X0 - 300, Y0 + 50), (X0 + 50, Y0 + 50)]),
                                         shapely.LineString([(X0 + 50, Y0 + 50), (X0 + 50, Y0 + 400)])],
                               crs=WORKING_CRS)
    homes = gpd.GeoDataFrame({"address_id": ["a", "b", "c", "d"], "street": ["Westweg"] * 4,
                              "housenumber": [1, 3, 5, 7], "postcode": ["1730"] * 4},
                             geometry=[pt(20, 55), pt(30, 45), pt(40, 55), pt(55, 80)], crs=WORKING_CRS)
    proven = plan_infoborden(groups, streets, homes, mode="budget", budget=1, coverage_distance_m=40)
    assert proven.proven_optimal and "Bewezen optimaal" in proven.summary()
    monkeypatch.setattr(solver, "_IPM_FROM_CLASSES", -1)
    monkeypatch.setattr(solver, "solve_in_child", lambda payload, *, deadline: None)  # HiGHS stopped at the limit
    stopped = plan_infoborden(groups, streets, homes, mode="budget", budget=1, coverage_distance_m=40,
                              time_limit_s=5)
    assert stopped.households_covered == proven.households_covered  # the start plan is already the best here
    assert stopped.households_bound >= stopped.households_covered
    if stopped.gap > 0:
        assert not stopped.proven_optimal and "Niet bewezen optimaal" in stopped.summary()
    ws = Workspace.create(tmp_path / "w.gpkg", {"groups": groups, "streets": streets, "addresses": homes},
                          municipality="Teststad")
    out = CliRunner().invoke(main, ["-w", str(ws.path), "infoborden", "plan", "--mode", "budget", "--budget", "1",
                                    "--distance-m", "40", "--time-limit-s", "5", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["proven_optimal"] is (data["gap"] == 0.0) and data["households_bound"] >= data["households_covered"]
    text = CliRunner().invoke(main, ["-w", str(ws.path), "infoborden", "plan", "--mode", "budget", "--budget", "1",
                                     "--distance-m", "40"]).output
    assert t("infoborden.summary_optimal", solver="HiGHS", seconds=0).split(":")[0] in text or \
        "Niet bewezen optimaal" in text
