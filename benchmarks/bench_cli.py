"""The start time of the command line, target < 0.3 s for ``buurtkaart --help``.

Each figure is the median wall time of 5 new processes (after one untimed run that fills the bytecode cache, kept
in a temporary folder, as an installed package has its ``.pyc`` files): ``buurtkaart --help`` (loads click and the
texts only) and ``buurtkaart lookup "<street> <number>"`` on the demo workspace (opens it, builds the resident
index, answers). The modules ``--help`` imports are listed too: no pandas, geopandas or shapely.

    python benchmarks/run.py cli
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
TARGET_HELP_S = 0.3
_HEAVY = ("pandas", "geopandas", "shapely", "pyogrio", "streamlit", "numpy")


def _command() -> list[str]:
    script = shutil.which("buurtkaart", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-c", "from buurtkaart.cli import main; main()"]


def _median_start_s(args: list[str], env: dict[str, str]) -> float:
    subprocess.run([*_command(), *args], env=env, check=True, capture_output=True)  # fills the bytecode cache
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([*_command(), *args], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _heavy_modules_of_help(env: dict[str, str]) -> list[str]:
    out = subprocess.run([sys.executable, "-c", HELP_IMPORTS, *_HEAVY], env=env, check=True, capture_output=True,
                         text=True)
    return out.stderr.split()


#: Runs ``buurtkaart --help`` in this process and writes on stderr which of the given top-level modules it loaded.
HELP_IMPORTS = """
import sys
from buurtkaart.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print(" ".join(m for m in sys.argv[1:] if m in sys.modules), file=sys.stderr)
"""


def main() -> None:
    from buurtkaart.synthetic import make_demo_workspace

    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        ws = make_demo_workspace(Path(tmp) / "demo.gpkg")
        first = ws.read("addresses").iloc[0]
        address = f"{first['street']} {first['housenumber']}"
        help_s = _median_start_s(["--help"], env)
        verdict = "ok" if help_s < TARGET_HELP_S else "TOO SLOW"
        print(f"buurtkaart --help: {help_s:.3f} s (median of {RUNS} new processes; target < {TARGET_HELP_S} s: "
              f"{verdict})")
        heavy = _heavy_modules_of_help(env)
        print(f"  heavy libraries imported by --help: {', '.join(heavy) or 'none'}")
        lookup_s = _median_start_s(["-w", str(ws.path), "lookup", address], env)
        print(f"buurtkaart lookup (demo workspace, one address): {lookup_s:.3f} s (median of {RUNS} new processes)")
        base_s = statistics.median(_python_start_s(env) for _ in range(RUNS))
        print(f"  for scale: a bare Python start takes {base_s:.3f} s here")


def _python_start_s(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
