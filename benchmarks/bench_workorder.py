"""The printable work order (PDF) of the demo town: a sign at every entry (132 signs), every site with its map.
Target < 2 s.

    python benchmarks/run.py workorder
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._timing import median_seconds  # noqa: E402
from buurtkaart.infoborden import plan_infoborden  # noqa: E402
from buurtkaart.infoborden.export import site_table  # noqa: E402
from buurtkaart.infoborden.workorder import work_order_pdf  # noqa: E402
from buurtkaart.synthetic import make_demo_workspace  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = make_demo_workspace(Path(tmp) / "demo.gpkg")
        groups, streets = ws.read("groups"), ws.read("streets")
        plan = plan_infoborden(groups, streets, ws.read("addresses"))
        table = site_table(plan.sites)
        seconds, pdf = median_seconds(lambda: work_order_pdf(plan.sites, table, streets=streets, groups=groups),
                                      repeat=3, warmup=True)
        cpu = time.process_time()
        work_order_pdf(plan.sites, table, streets=streets, groups=groups)
        cpu = time.process_time() - cpu
        pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
        print(f"work order of the demo town: {len(plan.sites)} signs, {pages} pages, {len(pdf):,} bytes, "
              f"median {seconds:.2f} s wall of 3, {cpu:.2f} s CPU (target < 2 s; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
