"""Improve a covering solution by swaps (one chosen site out, one other site in) while that covers more weight.

A start for the exact MILP: on a region with thousands of groups the branch and bound may not finish within its
time limit, and then the answer is the best solution known, with its gap. Within every budget row.

>>> import numpy as np
>>> weights = np.array([5, 5, 8])
>>> classes = [np.array([0]), np.array([1]), np.array([1, 2])]
>>> improve_by_swaps(weights, classes, 3, np.array([1, 2]), budgets=[(np.arange(3), 2)], fixed=np.array([]),
...                  time_limit_s=5).tolist()
[0, 1]
"""

from __future__ import annotations

import time

import numpy as np


def improve_by_swaps(weights, sites_of_class, n_sites: int, chosen: np.ndarray, *, budgets, fixed,
                     time_limit_s: float) -> np.ndarray:
    """``chosen`` improved by swaps until none helps or ``time_limit_s`` is used up."""
    started = time.perf_counter()
    weights = np.asarray(weights, dtype=np.float64)
    n_classes = len(weights)
    if not n_classes or not len(chosen):
        return np.asarray(chosen, dtype=np.int64)
    sizes = np.array([len(c) for c in sites_of_class], dtype=np.int64)
    pair_site = np.concatenate(sites_of_class).astype(np.int64)
    pair_class = np.repeat(np.arange(n_classes), sizes)
    order = np.argsort(pair_site, kind="stable")
    classes_of_site = pair_class[order]
    bounds = np.searchsorted(pair_site[order], np.arange(n_sites + 1))
    rows_of: list[set[int]] = [set() for _ in range(n_sites)]
    remaining = []
    for r, (members, limit) in enumerate(budgets):
        for site in np.asarray(members, dtype=np.int64).tolist():
            rows_of[site].add(r)
        remaining.append(int(limit))
    is_chosen = np.zeros(n_sites, dtype=bool)
    is_chosen[np.asarray(chosen, dtype=np.int64)] = True
    for site in np.flatnonzero(is_chosen).tolist():
        for r in rows_of[site]:
            remaining[r] -= 1
    locked = set(np.asarray(fixed, dtype=np.int64).tolist())
    count = np.bincount(pair_class[is_chosen[pair_site]], minlength=n_classes)

    def classes(site: int) -> np.ndarray:
        return classes_of_site[bounds[site]:bounds[site + 1]]

    def gain(site: int) -> float:
        ks = classes(site)
        return float(weights[ks][count[ks] == 0].sum())

    def loss(site: int) -> float:
        ks = classes(site)
        return float(weights[ks][count[ks] == 1].sum())

    gains = np.array([gain(s) if not is_chosen[s] else -1.0 for s in range(n_sites)])
    improved = True
    while improved and time.perf_counter() - started < time_limit_s:
        improved = False
        for out in np.flatnonzero(is_chosen).tolist():
            if out in locked or time.perf_counter() - started >= time_limit_s:
                continue
            lost = loss(out)
            ks = classes(out)
            alone = ks[count[ks] == 1]  # classes only ``out`` covers: they count for a site that replaces it
            bonus: dict[int, float] = {}
            for k in alone.tolist():
                for site in sites_of_class[k].tolist():
                    if site != out:
                        bonus[site] = bonus.get(site, 0.0) + weights[k]
            candidates = set(bonus) | set(np.argpartition(-gains, min(20, n_sites - 1))[:20].tolist())
            best, best_value = -1, lost + 1e-9
            for site in candidates:
                if is_chosen[site] or any(remaining[r] <= 0 for r in rows_of[site] - rows_of[out]):
                    continue
                value = gains[site] + bonus.get(site, 0.0)
                if value > best_value:
                    best, best_value = site, value
            if best < 0:
                continue
            is_chosen[out], is_chosen[best] = False, True
            for r in rows_of[out]:
                remaining[r] += 1
            for r in rows_of[best]:
                remaining[r] -= 1
            count[classes(out)] -= 1
            count[classes(best)] += 1
            touched = {int(s) for k in np.concatenate([classes(out), classes(best)]).tolist()
                       for s in sites_of_class[k]}
            for site in touched:
                gains[site] = -1.0 if is_chosen[site] else gain(site)
            improved = True
    return np.flatnonzero(is_chosen)

