"""Print every benchmark figure the issues ask for: ``python benchmarks/run.py [topic ...]``.

Each ``benchmarks/bench_<topic>.py`` has a ``main()`` that prints its own figures. Ratios are measured against a
baseline run in the same process (the machines are noisy).
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    wanted = set(argv)
    for path in sorted(HERE.glob("bench_*.py")):
        topic = path.stem.removeprefix("bench_")
        if wanted and topic not in wanted:
            continue
        print(f"\n=== {topic} ===", flush=True)
        started = time.perf_counter()
        _load(path).main()
        print(f"--- {topic}: {time.perf_counter() - started:.1f} s in all", flush=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    raise SystemExit(main(sys.argv[1:]))
