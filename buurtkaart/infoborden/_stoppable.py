"""HiGHS in a child process that is stopped at the time limit, whatever step it is in.

HiGHS checks its time limit and the interrupt only between some steps; on a region-size instance one step (the
interior-point root LP and its crossover) ran for minutes past an 80 s limit. A child process can be ended at
any moment: the caller waits for the answer until its deadline, then kills the child and keeps the solution it
already had (the greedy start improved by swaps) with a bound that needs no LP (:func:`cheap_bound`).

>>> import numpy as np
>>> cheap_bound(np.array([5.0, 3.0, 4.0]), [np.array([0]), np.array([1]), np.array([1, 2])], 3,
...             budgets=[(np.arange(3), 1)])
7.0
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

#: Seconds the child stops before the caller's deadline, to send its answer back.
_SEND_MARGIN_S = 1.0
#: Seconds past the deadline the caller still waits for an answer already on its way.
_RECEIVE_GRACE_S = 0.5
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def solve_in_child(payload: dict[str, Any], *, deadline: float) -> dict[str, Any] | None:
    """Run :func:`buurtkaart.infoborden.solver.run_highs` on ``payload`` in a new Python process; its answer, or
    None when it was not in by ``deadline`` (``time.perf_counter()`` seconds) and the process was killed.

    A plain subprocess (not :mod:`multiprocessing`), so that no caller's main module is imported again and the
    app's threads are not forked."""
    payload = {**payload, "time_limit_s": max(0.5, deadline - time.perf_counter() - _SEND_MARGIN_S)}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (_PACKAGE_ROOT, os.environ.get("PYTHONPATH"))
                                                       if p)}
    process = subprocess.Popen([sys.executable, "-c", "from buurtkaart.infoborden._stoppable import _child; _child()"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        out, _err = process.communicate(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL),
                                        timeout=max(0.0, deadline - time.perf_counter()) + _RECEIVE_GRACE_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None
    if process.returncode != 0 or not out:
        return None
    answer: dict[str, Any] = pickle.loads(out)  # our own child's answer
    return answer


def _child() -> None:
    """The child: the payload on stdin, the answer on stdout (anything a library prints goes to /dev/null)."""
    from buurtkaart.infoborden.solver import run_highs

    payload = pickle.load(sys.stdin.buffer)
    answer_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    answer = run_highs(payload)
    with os.fdopen(answer_fd, "wb") as out:
        pickle.dump(answer, out, protocol=pickle.HIGHEST_PROTOCOL)


def cheap_bound(weights: np.ndarray, sites_of_class: list[np.ndarray], n_sites: int, *,
                budgets: list[tuple[np.ndarray, int]], covered: np.ndarray | None = None,
                time_limit_s: float = 0.0) -> float:
    """An upper bound on the weight any plan within ``budgets`` covers, without solving an LP.

    With ``covered`` (0/1 per class, of a plan S at hand) it is the submodular bound: no plan covers more than
    f(S) plus the gains its sites would add to S, so f(S) + the ``limit`` largest gains inside a budget row + every
    gain outside it. Without, the same with S empty. The smallest over the three largest budget rows; with
    ``time_limit_s``, also the Lagrangian bound of the LP relaxation found in that time (:func:`_lagrangian`).
    """
    weights = np.asarray(weights, dtype=np.float64)
    sizes = np.array([len(c) for c in sites_of_class], dtype=np.int64)
    bound = float(weights[sizes > 0].sum())
    if not len(weights) or not n_sites:
        return bound
    done = np.zeros(len(weights)) if covered is None else np.asarray(covered, dtype=np.float64)
    base = float(np.dot(weights, done))
    pair_site = np.concatenate(sites_of_class).astype(np.int64)
    pair_class = np.repeat(np.arange(len(weights)), sizes)
    gain = np.bincount(pair_site, weights=(weights * (1.0 - done))[pair_class], minlength=n_sites)
    rows = sorted(budgets, key=lambda row: -len(row[0]))[:3]
    for members, limit in rows:
        inside = np.zeros(n_sites, dtype=bool)
        inside[np.asarray(members, dtype=np.int64)] = True
        top = np.sort(gain[inside])[::-1][: max(int(limit), 0)]
        bound = min(bound, base + float(gain[~inside].sum()) + float(top.sum()))
    if time_limit_s > 0 and rows:
        bound = min(bound, _lagrangian(weights, sizes, pair_site, pair_class, n_sites, rows[0], target=base,
                                       time_limit_s=time_limit_s))
    return bound


def _lagrangian(weights, sizes, pair_site, pair_class, n_sites: int, row, *, target: float,
                time_limit_s: float) -> float:
    """The Lagrangian bound of the LP relaxation (the covering rows priced with ``u``, one budget row kept, the
    others dropped): for every ``u`` >= 0, sum_k max(0, w_k - u_k) + the best sites by their price within the
    row bounds every plan. Subgradient steps (Polyak, towards ``target``) until ``time_limit_s``; the least."""
    started = time.perf_counter()
    members, limit = row
    inside = np.zeros(n_sites, dtype=bool)
    inside[np.asarray(members, dtype=np.int64)] = True
    limit = max(int(limit), 0)
    u = weights / np.maximum(sizes, 1)
    best = np.inf
    while time.perf_counter() - started < time_limit_s:
        price = np.bincount(pair_site, weights=u[pair_class], minlength=n_sites)
        taken = ~inside & (price > 0)
        ranked = np.flatnonzero(inside)
        if limit < len(ranked):
            ranked = ranked[np.argpartition(-price[ranked], limit - 1)[:limit]] if limit else ranked[:0]
        taken[ranked] = True
        value = float(np.maximum(weights - u, 0.0).sum() + price[taken].sum())
        best = min(best, value)
        step = -(weights > u).astype(np.float64) + np.bincount(pair_class, weights=taken[pair_site].astype(np.float64),
                                                               minlength=len(weights))
        norm = float(step @ step)
        if norm == 0 or value <= target:
            break
        u = np.clip(u - (value - target) / norm * step, 0.0, weights)
    return best
