"""Cutting a gap that is too large for one group into parts of whole streets.

A WhatsApp-buurtpreventiegroep typically covers 50 to 350 homes. A gap above ``max_households`` is cut into
parts along its street network: each street of the gap (all its segments there) is one unit; a part starts at a
street with the fewest free neighbours (an edge of the gap) and grows through neighbouring streets, largest
first, while it stays within ``max_households``. A street that alone exceeds the maximum stays one part. Streets
without uncovered addresses (links, empty ends) join a neighbouring part.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import numpy as np


def split_large_gaps(
    graph: nx.Graph, seg_gap: dict[int, int], snapped: np.ndarray, names: np.ndarray, max_households: int
) -> dict[int, int]:
    """A new segment → gap mapping in which no gap of several streets exceeds ``max_households``."""
    per_seg = np.bincount(snapped, minlength=len(names))
    members: dict[int, list[int]] = defaultdict(list)
    for seg, gap in seg_gap.items():
        members[gap].append(seg)
    out: dict[int, int] = {}
    next_id = 0
    for gap in sorted(members):
        segs = members[gap]
        if int(per_seg[segs].sum()) <= max_households:
            out.update(dict.fromkeys(segs, next_id))
            next_id += 1
            continue
        for part in _parts(graph, segs, per_seg, names, max_households):
            out.update(dict.fromkeys(part, next_id))
            next_id += 1
    return out


def _parts(graph: nx.Graph, segs: list[int], per_seg: np.ndarray, names: np.ndarray, limit: int) -> list[list[int]]:
    inside = set(segs)
    unit_segs: dict[str, list[int]] = defaultdict(list)
    for s in segs:
        unit_segs[str(names[s])].append(s)
    size = {u: int(per_seg[ss].sum()) for u, ss in unit_segs.items()}
    adjacent: dict[str, set[str]] = defaultdict(set)
    for s in segs:
        for n in graph.neighbors(s):
            if n in inside and names[n] != names[s]:
                adjacent[str(names[s])].add(str(names[n]))
    free = {u for u in unit_segs if size[u] > 0}
    parts: list[list[str]] = []
    while free:
        start = min(free, key=lambda u: (len(adjacent[u] & free), u))
        part, total = [start], size[start]
        free.discard(start)
        frontier = adjacent[start] & free
        while frontier:
            fits = [u for u in frontier if total + size[u] <= limit]
            if not fits:
                break
            chosen = max(fits, key=lambda u: (size[u], u))
            part.append(chosen)
            total += size[chosen]
            free.discard(chosen)
            frontier = (frontier | adjacent[chosen]) & free
        parts.append(part)
    owner = {u: i for i, part in enumerate(parts) for u in part}
    empty = [u for u in unit_segs if size[u] == 0]
    for _ in range(len(empty)):  # empty streets join a neighbour part, possibly through another empty street
        for u in [u for u in empty if u not in owner]:
            near = sorted(owner[n] for n in adjacent[u] if n in owner)
            if near:
                owner[u] = near[0]
    grouped: list[list[int]] = [[] for _ in parts]
    for u, ss in unit_segs.items():
        if u in owner:
            grouped[owner[u]].extend(ss)
    return grouped
