"""Foundation figures: demo generation, workspace write and open, the synthetic region (and imports, see below).

Each measurement is one small function returning its figures; ``main()`` prints them. The importer benchmarks
(real Asse addresses and streets) belong in this file too: add a function and call it from ``main()``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _timing import median_seconds

from buurtkaart.synthetic import demo_layers, make_demo_workspace, synthetic_region
from buurtkaart.workspace import Workspace


def bench_demo_generation() -> None:
    seconds, layers = median_seconds(lambda: demo_layers(seed=2019))
    print(f"demo town generated in memory: {seconds:.2f} s "
          f"({len(layers['addresses'])} addresses, {len(layers['streets'])} street segments, "
          f"{len(layers['members'])} members)")


def bench_demo_workspace(folder: Path) -> Path:
    path = folder / "demo.gpkg"
    seconds, ws = median_seconds(lambda: make_demo_workspace(path), repeat=2)
    print(f"demo workspace generated and written: {seconds:.2f} s ({ws.path.stat().st_size / 1e6:.1f} MB)")
    return path


def bench_workspace_open(path: Path) -> None:
    seconds, _ = median_seconds(lambda: Workspace.open(path), repeat=5)
    print(f"workspace open (schema check): {seconds * 1000:.0f} ms")
    for layer in ("addresses", "streets", "members", "groups"):
        seconds, frame = median_seconds(lambda layer=layer: Workspace.open(path).read(layer), repeat=3)
        print(f"  open + read {layer:<10} {len(frame):>6} rows: {seconds * 1000:.0f} ms")


def bench_region(n_addresses: int = 1_000_000, n_groups: int = 2_000) -> None:
    seconds, region = median_seconds(lambda: synthetic_region(n_addresses=n_addresses, n_groups=n_groups), repeat=1)
    print(f"synthetic region: {n_addresses:,} addresses, {len(region['streets']):,} street segments, "
          f"{n_groups:,} groups in {seconds:.1f} s")


def main() -> None:
    bench_demo_generation()
    with tempfile.TemporaryDirectory() as tmp:
        path = bench_demo_workspace(Path(tmp))
        bench_workspace_open(path)
    bench_region()


if __name__ == "__main__":
    main()
