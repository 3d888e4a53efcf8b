"""Time of the full coverage analysis (figures at every level, gaps, overlaps, rankings).

* Asse: the real CRAB addresses and OSM streets of Asse with 12 of its 16 wijken as groups (skipped where
  ../shared/realdata is absent). Target: under 1 s.
* The synthetic region of 1,000,000 addresses and 2,000 groups (:func:`buurtkaart.synthetic.synthetic_region`),
  with its own members-free layers. Target: under 30 s.

``python benchmarks/run.py coverage``. Prints wall-clock and CPU time: on a machine shared with other work the
wall clock is inflated, the process's CPU time much less so.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from buurtkaart.coverage import analyse  # noqa: E402


def _time(label: str, layers: dict, *, repeat: int) -> None:
    runs, cpu = [], []
    report = None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        report = analyse(layers["addresses"], layers["groups"], layers.get("members"), streets=layers["streets"],
                         municipality_area=layers.get("municipality"), deelgemeenten=layers.get("deelgemeenten"))
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    assert report is not None
    s = report.summary()
    print(f"{label}: {len(layers['addresses']):,} addresses, {len(layers['groups']):,} groups, "
          f"{len(layers['streets']):,} street segments")
    print(f"  full analysis: best {min(runs):.2f} s, median {sorted(runs)[len(runs) // 2]:.2f} s wall clock; "
          f"best {min(cpu):.2f} s CPU ({repeat} runs; the CPU time is what counts on a shared, busy machine)")
    print(f"  covered {s['covered']:,}, overlap {s['overlap']:,}, uncovered {s['uncovered']:,}, "
          f"outside {s['outside']:,}; {s['gaps']:,} gaps, {s['overlap_pairs']:,} overlapping pairs, "
          f"{s['split_streets']:,} split streets")


def main() -> None:
    from tests.conftest import REALDATA
    from tests.test_coverage_realdata import asse_layers

    if REALDATA.is_dir():
        _time("Asse (real data, target < 1 s)", asse_layers(REALDATA), repeat=5)
    else:
        print(f"Asse: skipped, no real data at {REALDATA}")
    from buurtkaart.synthetic import synthetic_region

    started = time.perf_counter()
    region = synthetic_region(n_addresses=1_000_000, n_groups=2_000)
    print(f"(synthetic region generated in {time.perf_counter() - started:.1f} s)")
    _time("synthetic region (target < 30 s)", region, repeat=1)


if __name__ == "__main__":
    main()
