"""Address points of the demo town: houses along each street, odd numbers on the left, even on the right.

Houses stand 10-25 m off the centre line, numbered upwards along the street; now and then a number is skipped
(an empty plot) or a house was squeezed in later (``55A``). Apartment buildings have one address per box
(``bus 1..n``, or ``0.1, 0.2, 1.1...`` by floor). Houses too close to another street (corners, footpaths) are
left out, so every address is nearest to its own street.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from buurtkaart.synthetic._layout import Village
from buurtkaart.synthetic._streets import StreetLine

_BUILT = ("grid", "nroad", "collector", "culdesac")


def _spacing_m(line: StreetLine, villages: list[Village]) -> tuple[float, float]:
    """Frontage range of one house on this street: narrow row houses near a village centre, villas elsewhere."""
    if line.kind in ("nroad", "collector"):
        return 11.0, 20.0
    if line.kind == "culdesac":
        return 14.0, 22.0
    centre = np.asarray(villages[line.village].centre)
    mid = np.asarray(shapely.line_interpolate_point(line.geometry, 0.5, normalized=True).coords[0])
    return (7.5, 13.0) if np.hypot(*(mid - centre)) < 330 else (12.0, 22.0)


def _candidates(rng: np.random.Generator, lines: list[StreetLine], villages: list[Village]) -> pd.DataFrame:
    """Possible house sites on both sides of every street that has houses (before removing conflicts)."""
    footprints = shapely.union_all([v.footprint(60.0) for v in villages])
    parts = []
    for idx, line in enumerate(lines):
        if line.kind not in _BUILT:
            continue
        geom = line.geometry
        length = geom.length
        lo, hi = _spacing_m(line, villages)
        for side in (1, -1):  # +1 left of the direction of the street (odd numbers), -1 right (even)
            steps = rng.uniform(lo, hi, size=int(length / lo) + 2)
            pos = rng.uniform(2, 8) + np.cumsum(steps)
            pos = pos[pos < length - 4]
            if line.kind == "culdesac":
                pos = pos[pos < length - 6]
            ahead = shapely.line_interpolate_point(geom, np.minimum(pos + 1.0, length))
            behind = shapely.line_interpolate_point(geom, np.maximum(pos - 1.0, 0.0))
            on_line = shapely.line_interpolate_point(geom, pos)
            tangent = shapely.get_coordinates(ahead) - shapely.get_coordinates(behind)
            tangent /= np.hypot(tangent[:, 0], tangent[:, 1])[:, None]
            normal = np.stack([-tangent[:, 1], tangent[:, 0]], axis=1) * side
            setback = np.clip(rng.uniform(11, 20) + rng.uniform(-3, 3, size=len(pos)), 10, 25)
            xy = shapely.get_coordinates(on_line) + normal * setback[:, None]
            keep = np.ones(len(pos), dtype=bool)
            if line.kind in ("nroad", "collector"):  # ribbon building outside the villages is sparse
                inside = shapely.contains_xy(footprints, xy[:, 0], xy[:, 1])
                keep = rng.random(len(pos)) < np.where(inside, 0.95, 0.33)
            # number in the order a passer-by meets the houses (their projection on the street)
            pos = shapely.line_locate_point(geom, shapely.points(xy))
            parts.append(pd.DataFrame({"line": idx, "side": side, "pos": pos[keep], "setback": setback[keep],
                                       "x": xy[keep, 0], "y": xy[keep, 1]}))
    return pd.concat(parts, ignore_index=True)


def _drop_conflicts(cand: pd.DataFrame, lines: list[StreetLine]) -> pd.DataFrame:
    """Remove sites that lie closer to another street (or path) than to their own."""
    geoms = np.array([line.geometry for line in lines], dtype=object)
    points = shapely.points(cand["x"].to_numpy(), cand["y"].to_numpy())
    pt_idx, line_idx = shapely.STRtree(geoms).query(points, predicate="dwithin", distance=30.0)
    other = line_idx != cand["line"].to_numpy()[pt_idx]
    dist = shapely.distance(points[pt_idx], geoms[line_idx])
    too_close = other & (dist < cand["setback"].to_numpy()[pt_idx] + 4.0)
    bad = np.zeros(len(cand), dtype=bool)
    bad[pt_idx[too_close]] = True
    return cand[~bad].reset_index(drop=True)


def _number(rng: np.random.Generator, cand: pd.DataFrame, lines: list[StreetLine]) -> pd.DataFrame:
    """House numbers per street side: odd left, even right, increasing along the street, some 'A' suffixes."""
    cand = cand.sort_values(["line", "side", "pos"], ignore_index=True)
    n = len(cand)
    step = rng.choice([2, 4, 6], size=n, p=[0.88, 0.09, 0.03])
    inserted = rng.random(n) < 0.03
    first = cand.groupby(["line", "side"]).cumcount().to_numpy() == 0
    inserted &= ~first
    inserted &= ~np.concatenate([[False], inserted[:-1]])  # never two squeezed-in houses in a row
    step = np.where(inserted, 0, step)
    step[first] = np.where(cand["side"].to_numpy()[first] == 1, 1, 2)
    key = cand["line"].to_numpy() * 2 + (cand["side"].to_numpy() == 1)
    number = pd.Series(step).groupby(key).cumsum().to_numpy()
    suffix = np.where(inserted, "A", "")
    cand["housenumber"] = number
    cand["suffix"] = suffix
    cand["street"] = [lines[i].name for i in cand["line"]]
    return cand


def _apartments(rng: np.random.Generator, houses: pd.DataFrame, lines: list[StreetLine],
                villages: list[Village]) -> pd.DataFrame:
    """Turn some houses into apartment buildings: one row per box."""
    centres = np.array([v.centre for v in villages])
    dist = np.min(np.hypot(houses["x"].to_numpy()[:, None] - centres[None, :, 0],
                           houses["y"].to_numpy()[:, None] - centres[None, :, 1]), axis=1)
    main_road = np.array([lines[i].kind in ("nroad", "collector") for i in houses["line"]])
    chance = np.where(dist < 330, 0.08, np.where(main_road & (dist < 700), 0.05, 0.01))
    flats = (rng.random(len(houses)) < chance) & (houses["suffix"].to_numpy() == "")
    n_boxes = np.where(flats, rng.integers(3, 10, size=len(houses)), 1)
    by_floor = rng.random(len(houses)) < 0.25
    out = houses.loc[houses.index.repeat(n_boxes)].reset_index(drop=True)
    unit = out.groupby(np.repeat(houses.index.to_numpy(), n_boxes)).cumcount().to_numpy()
    is_flat = np.repeat(flats, n_boxes)
    floor_style = np.repeat(by_floor, n_boxes)
    plain = (unit + 1).astype(str)
    floors = np.char.add(np.char.add((unit // 2).astype(str), "."), (unit % 2 + 1).astype(str))
    out["box"] = np.where(is_flat, np.where(floor_style, floors, plain), "")
    return out


def town_addresses(rng: np.random.Generator, lines: list[StreetLine], villages: list[Village]) -> pd.DataFrame:
    """Every address of the town as a plain frame: street, housenumber, suffix, box, x, y, line, side, pos."""
    cand = _drop_conflicts(_candidates(rng, lines, villages), lines)
    houses = _number(rng, cand, lines)
    return _apartments(rng, houses, lines, villages)
