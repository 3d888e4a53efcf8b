"""The budget mode's optimisation: a maximal-covering MILP, solved exactly with HiGHS (``highspy``) or PuLP/CBC.

    maximise   sum_k w_k y_k
    subject to y_k <= sum_{s in S_k} x_s          (a demand class counts only when one of its sites is chosen)
               sum_{s in B} x_s <= N_B             (a budget row: the total, or one per group)
               x_s = 1 for existing signs,  x_s in {0, 1},  0 <= y_k <= 1

>>> import numpy as np
>>> result = solve_max_cover(np.array([5, 3, 4]), [np.array([0]), np.array([1]), np.array([1, 2])], 3,
...                          budgets=[(np.array([0, 1, 2]), 1)], fixed=np.array([], dtype=int))
>>> result.chosen.tolist(), result.objective, result.gap
([1], 7.0, 0.0)
"""

from __future__ import annotations

import contextlib
import heapq
import os
import sys
import time
import warnings
from dataclasses import dataclass

import numpy as np

from buurtkaart.errors import InputError
from buurtkaart.infoborden._stoppable import cheap_bound, solve_in_child
from buurtkaart.infoborden._swap import improve_by_swaps
from buurtkaart.texts import t
from buurtkaart.vocabulary import PLAN_DEFAULTS

SOLVERS = ("highs", "pulp")
_IPM_FROM_CLASSES = 20_000


@dataclass
class SolveResult:
    """The chosen site positions, the objective (households covered), the relative optimality gap, timings."""

    chosen: np.ndarray
    objective: float
    bound: float
    gap: float
    status: str
    solver: str
    seconds: float


#: How long past its time limit HiGHS may run before it is interrupted.
_INTERRUPT_GRACE_S = 2.0


def solve_max_cover(
    weights: np.ndarray,
    sites_of_class: list[np.ndarray],
    n_sites: int,
    *,
    budgets: list[tuple[np.ndarray, int]],
    fixed: np.ndarray,
    solver: str = "highs",
    time_limit_s: float = PLAN_DEFAULTS.time_limit_s,
) -> SolveResult:
    """Choose sites maximising the weight of the classes covered, within every budget row."""
    if solver not in SOLVERS:
        raise InputError(t("infoborden.error.unknown_mode", mode=solver, known=", ".join(SOLVERS)))
    started = time.perf_counter()
    if solver == "pulp":
        result = _solve_pulp(weights, sites_of_class, n_sites, budgets, fixed, time_limit_s)
    else:
        result = _solve_highs(weights, sites_of_class, n_sites, budgets, fixed, time_limit_s)
    result.seconds = time.perf_counter() - started
    return result


def _rows(weights, sites_of_class, n_sites, budgets):
    """Row-wise sparse matrix over the columns [x_0..x_{S-1}, y_0..y_{K-1}]."""
    n_classes = len(weights)
    sizes = np.array([len(s) for s in sites_of_class], dtype=np.int64)
    cover_index = np.concatenate([np.concatenate([[n_sites + k], s]) for k, s in enumerate(sites_of_class)]) \
        if n_classes else np.array([], dtype=np.int64)
    cover_value = np.concatenate([np.concatenate([[1.0], -np.ones(len(s))]) for s in sites_of_class]) \
        if n_classes else np.array([], dtype=np.float64)
    starts = [0, *np.cumsum(sizes + 1).tolist()]
    index = [cover_index.astype(np.int32)]
    value = [cover_value]
    lower = [np.full(n_classes, -np.inf)]
    upper = [np.zeros(n_classes)]
    for members, limit in budgets:
        index.append(np.asarray(members, dtype=np.int32))
        value.append(np.ones(len(members)))
        starts.append(starts[-1] + len(members))
        lower.append(np.array([-np.inf]))
        upper.append(np.array([float(limit)]))
    return (np.asarray(starts, dtype=np.int32), np.concatenate(index), np.concatenate(value),
            np.concatenate(lower), np.concatenate(upper))


def _solve_highs(weights, sites_of_class, n_sites, budgets, fixed, time_limit_s) -> SolveResult:
    """The greedy start improved by swaps, then HiGHS from that start until the time limit. A region-size
    instance runs HiGHS in a child process that is stopped at the limit (:mod:`._stoppable`); if it has not
    answered by then, the start is the plan and :func:`._stoppable.cheap_bound` gives its gap."""
    started = time.perf_counter()
    deadline = started + float(time_limit_s)
    n_classes = len(weights)
    starts, index, value, row_lower, row_upper = _rows(weights, sites_of_class, n_sites, budgets)
    chosen, covered = greedy_cover(weights, sites_of_class, n_sites, budgets=budgets, fixed=fixed)
    chosen = improve_by_swaps(weights, sites_of_class, n_sites, chosen, budgets=budgets, fixed=fixed,
                              time_limit_s=min(0.25 * time_limit_s, 60.0))
    is_in = np.zeros(n_sites, dtype=bool)
    is_in[chosen] = True
    covered = np.array([float(is_in[s].any()) for s in sites_of_class]) if len(sites_of_class) else covered
    col_lower = np.zeros(n_sites + n_classes)
    col_lower[np.asarray(fixed, dtype=np.int64)] = 1.0
    start = np.concatenate([is_in.astype(np.float64), covered])
    payload = {"n_sites": n_sites, "weights": np.asarray(weights, dtype=np.float64), "col_lower": col_lower,
               "starts": starts, "index": index, "value": value, "row_lower": row_lower, "row_upper": row_upper,
               "start": start}
    bound_s = min(0.05 * float(time_limit_s), 5.0)  # kept for the bound in case HiGHS does not answer in time
    if n_classes > _IPM_FROM_CLASSES:
        answer = solve_in_child(payload, deadline=deadline - bound_s)
    else:
        answer = run_highs({**payload, "time_limit_s": max(1.0, deadline - time.perf_counter())})
    integral = bool(np.all(np.asarray(weights) == np.round(weights)))
    if answer is None:  # stopped at the limit before HiGHS answered: the start, with a bound without LP
        objective = float(np.dot(np.asarray(weights, dtype=np.float64), covered))
        bound = cheap_bound(weights, sites_of_class, n_sites, budgets=budgets, covered=covered,
                            time_limit_s=max(0.0, min(bound_s, deadline - time.perf_counter())))
        return SolveResult(np.flatnonzero(is_in), objective, bound, _gap(objective, bound), "Time limit reached",
                           "HiGHS", 0.0)
    if not answer["ok"]:
        raise InputError(t("infoborden.error.solver_failed", status=answer["status"]))
    objective, bound = float(answer["objective"]), float(answer["bound"])
    if integral:
        bound = max(objective, float(np.floor(bound + 1e-6)))
    return SolveResult(np.asarray(answer["chosen"], dtype=np.int64), objective, bound, _gap(objective, bound),
                       answer["status"], "HiGHS", 0.0)


def run_highs(payload: dict) -> dict:
    """Solve the MILP of ``payload`` (arrays of :func:`_rows`, the start, ``time_limit_s``) with HiGHS; a dict
    with ``ok``, ``status``, ``chosen``, ``objective`` and ``bound``. Runs in the caller or in a child process."""
    import highspy

    n_sites = int(payload["n_sites"])
    weights = payload["weights"]
    n_classes = len(weights)
    n_cols = n_sites + n_classes
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = len(payload["row_lower"])
    lp.col_cost_ = np.concatenate([np.zeros(n_sites), weights])
    lp.col_lower_ = payload["col_lower"]
    lp.col_upper_ = np.ones(n_cols)
    lp.row_lower_ = payload["row_lower"]
    lp.row_upper_ = payload["row_upper"]
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = payload["starts"]
    lp.a_matrix_.index_ = payload["index"]
    lp.a_matrix_.value_ = payload["value"]
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_sites + [highspy.HighsVarType.kContinuous] * n_classes
    with _quiet_stdout():  # HiGHS prints its banner while it is constructed, before any option can be set
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    if n_classes > _IPM_FROM_CLASSES:  # simplex needs minutes for the root LP of a region; IPM a fraction of that
        h.setOptionValue("mip_lp_solver", "ipm")
    if bool(np.all(weights == np.round(weights))):  # whole households: a bound < 1 above the best proves it
        h.setOptionValue("mip_abs_gap", 0.999)
    h.setOptionValue("threads", 1)
    h.passModel(lp)
    solution = highspy.HighsSolution()
    solution.col_value = payload["start"]
    h.setSolution(solution)  # a good first solution: the branch and bound only has to improve on it
    remaining_s = float(payload["time_limit_s"])
    h.setOptionValue("time_limit", remaining_s)
    # HiGHS checks its time limit only between some steps: run it in its own thread and interrupt it when the limit
    # is passed, keeping the best solution found so far (a step that ignores the interrupt is the reason large
    # instances run this in a child process that is killed at the limit).
    h.HandleUserInterrupt = True
    thread = h.startSolve()
    thread.join(remaining_s + _INTERRUPT_GRACE_S)
    if thread.is_alive():
        h.cancelSolve()
    h.joinSolve(thread)
    model_status = h.getModelStatus()
    info = h.getInfo()
    stopped = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit,
               highspy.HighsModelStatus.kInterrupt)
    ok = model_status in stopped and info.primal_solution_status != 0
    x = np.asarray(h.getSolution().col_value[:n_sites]) if ok else np.zeros(0)
    objective = float(info.objective_function_value) if ok else 0.0
    bound = float(info.mip_dual_bound) if n_sites else objective
    if not np.isfinite(bound):
        bound = objective
    return {"ok": ok, "status": h.modelStatusToString(model_status), "chosen": np.flatnonzero(x > 0.5),
            "objective": objective, "bound": bound}


def greedy_cover(weights, sites_of_class, n_sites: int, *, budgets, fixed) -> tuple[np.ndarray, np.ndarray]:
    """The greedy solution (repeatedly the site that adds the most uncovered weight, within every budget row):
    the chosen site positions and a 0/1 array of the classes covered. A start for the exact solver.

    >>> chosen, covered = greedy_cover(np.array([5, 3, 4]), [np.array([0]), np.array([1]), np.array([1, 2])], 3,
    ...                                budgets=[(np.arange(3), 1)], fixed=np.array([], dtype=int))
    >>> chosen.tolist(), covered.tolist()
    ([1], [0.0, 1.0, 1.0])
    """
    n_classes = len(weights)
    weights = np.asarray(weights, dtype=np.float64)
    sizes = np.array([len(c) for c in sites_of_class], dtype=np.int64)
    pair_site = np.concatenate(sites_of_class).astype(np.int64) if n_classes else np.array([], dtype=np.int64)
    pair_class = np.repeat(np.arange(n_classes), sizes)
    order = np.argsort(pair_site, kind="stable")
    class_of = pair_class[order]
    bounds = np.searchsorted(pair_site[order], np.arange(n_sites + 1))
    rows_of: list[list[int]] = [[] for _ in range(n_sites)]
    remaining = []
    for r, (members, limit) in enumerate(budgets):
        for site in np.asarray(members, dtype=np.int64).tolist():
            rows_of[site].append(r)
        remaining.append(int(limit))
    covered = np.zeros(n_classes, dtype=bool)
    chosen: list[int] = []

    def take(site: int) -> None:
        chosen.append(site)
        covered[class_of[bounds[site]:bounds[site + 1]]] = True
        for r in rows_of[site]:
            remaining[r] -= 1

    for site in sorted(set(np.asarray(fixed, dtype=np.int64).tolist())):
        take(site)
    gain = np.bincount(pair_site, weights=weights[pair_class], minlength=n_sites) if n_sites else np.zeros(0)
    already = set(chosen)
    heap = [(-g, j) for j, g in enumerate(gain.tolist()) if g > 0 and j not in already]
    heapq.heapify(heap)
    while heap:
        _, site = heapq.heappop(heap)
        if any(remaining[r] <= 0 for r in rows_of[site]):
            continue
        classes = class_of[bounds[site]:bounds[site + 1]]
        fresh = float(weights[classes][~covered[classes]].sum())
        if fresh <= 0:
            continue
        if heap and fresh < -heap[0][0]:
            heapq.heappush(heap, (-fresh, site))
            continue
        take(site)
    return np.array(sorted(chosen), dtype=np.int64), covered.astype(np.float64)


def _solve_pulp(weights, sites_of_class, n_sites, budgets, fixed, time_limit_s) -> SolveResult:
    import pulp

    problem = pulp.LpProblem("infoborden", pulp.LpMaximize)
    add = getattr(problem, "add_variable", None)  # PuLP >= 3.3; older versions build variables directly
    if add is None:
        def add(name, lowBound=None, upBound=None, cat="Continuous"):
            return pulp.LpVariable(name, lowBound=lowBound, upBound=upBound, cat=cat)
    x = [add(f"x{s}", 0, 1, cat="Binary") for s in range(n_sites)]
    y = [add(f"y{k}", 0, 1) for k in range(len(weights))]
    problem += pulp.lpSum(float(w) * yk for w, yk in zip(weights, y, strict=True))
    for k, members in enumerate(sites_of_class):
        problem += y[k] <= pulp.lpSum(x[int(s)] for s in members)
    for members, limit in budgets:
        problem += pulp.lpSum(x[int(s)] for s in members) <= limit
    for s in np.asarray(fixed, dtype=np.int64):
        problem += x[int(s)] == 1
    status = problem.solve(_cbc(pulp, time_limit_s))
    name = pulp.LpStatus[status]
    if name != "Optimal":
        raise InputError(t("infoborden.error.solver_failed", status=name))
    chosen = np.array([s for s in range(n_sites) if (x[s].value() or 0) > 0.5], dtype=np.int64)
    objective = float(pulp.value(problem.objective) or 0.0)
    return SolveResult(chosen, objective, objective, 0.0, name, "PuLP/CBC", 0.0)


def _cbc(pulp, time_limit_s: float):
    """CBC: a separately installed one (``COIN_CMD``) if present, else the copy bundled with PuLP."""
    options = {"msg": False, "timeLimit": time_limit_s, "gapRel": 0.0}
    coin = pulp.COIN_CMD(**options)
    if coin.available():
        return coin
    with warnings.catch_warnings():  # PuLP 3.3 marks its bundled CBC as deprecated (to be removed in 4.0)
        warnings.simplefilter("ignore", DeprecationWarning)
        return pulp.PULP_CBC_CMD(**options)


@contextlib.contextmanager
def _quiet_stdout():
    """Silence the C library's writes to file descriptor 1 (HiGHS' start-up banner) for a moment."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def _gap(objective: float, bound: float) -> float:
    """Relative gap between the best solution and the best bound (0 when proven optimal)."""
    if abs(bound - objective) < 1e-6:
        return 0.0
    return abs(bound - objective) / max(abs(objective), 1e-9)
