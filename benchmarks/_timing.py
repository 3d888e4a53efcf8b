"""The one timing helper the benchmarks share: median wall time over a few runs, and the last result."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_seconds(work: Callable[[], Any], *, repeat: int = 3, warmup: bool = False) -> tuple[float, Any]:
    """Median wall time in seconds of ``work()`` over ``repeat`` runs (after one untimed run if ``warmup``)."""
    result = work() if warmup else None
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result
