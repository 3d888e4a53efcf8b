"""The cold first page of a real Asse workspace (the demo town where ../shared/realdata is absent), target < 2.5 s.

Every figure comes from a new Python process: the resident page's first run in Streamlit's AppTest (it builds the
lookup, group and street indexes), and the group index alone with the adaptive label raster against the former
fixed 4-million-cell raster (``mixed_share=0``).

    python benchmarks/run.py cold
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.app.conftest import build_asse, build_demo  # noqa: E402
from tests.conftest import REALDATA  # noqa: E402

RUNS = 3

_PAGE = """
import os, sys, time
started = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=300)
imported = time.perf_counter()
at.run()
assert not at.exception, at.exception
print(f"{imported - started:.3f} {time.perf_counter() - imported:.3f}")
"""

_INDEX = """
import sys, time
from buurtkaart.workspace import Workspace
from buurtkaart.assignment.points import GroupIndex
ws = Workspace.open(sys.argv[1])
started = time.perf_counter()
index = GroupIndex.from_workspace(ws, mixed_share=float(sys.argv[2]))
cells = index.grid.shape[0] * index.grid.shape[1]
print(f"{time.perf_counter() - started:.3f} {cells}")
"""


def _child(code: str, *args: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=600, check=True)
    return done.stdout.split()[-2:]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if REALDATA.is_dir():
            ws, kind = build_asse(Path(tmp) / "asse.gpkg"), "real Asse"
        else:
            ws, kind = build_demo(Path(tmp) / "demo.gpkg"), "demo town (real data absent)"
        for share, label in ((0.0, "fixed 4M-cell raster (before)"), (0.1, "adaptive raster (now)")):
            rows = [_child(_INDEX, str(ws.path), str(share)) for _ in range(RUNS)]
            print(f"GroupIndex.from_workspace, {kind}, {label}: median "
                  f"{statistics.median(float(r[0]) for r in rows):.2f} s of {RUNS} new processes, "
                  f"{int(rows[0][1]):,} cells")
        os.environ["BUURTKAART_WORKSPACE"] = str(ws.path)
        rows = [_child(_PAGE, str(ROOT / "app.py")) for _ in range(RUNS)]
        imports = statistics.median(float(r[0]) for r in rows)
        page = statistics.median(float(r[1]) for r in rows)
        print(f"cold first page ({kind}, the resident page with its indexes), new process each: median "
              f"{page:.2f} s for the page run, plus {imports:.2f} s importing Streamlit's AppTest "
              f"(target < 2.5 s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
