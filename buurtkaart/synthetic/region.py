"""A large synthetic region for benchmarks: a jittered street grid with up to millions of addresses.

Everything is vectorised (numpy and shapely arrays, no loop per address), so a million addresses take seconds.
Streets form one connected grid (segments meet at shared nodes): every 15th line is a regional N-road
(``primary``, ``gewest``), every 5th a collector (``tertiary``), the rest residential (``minor``); the outer lines
are field tracks and a few segments footpaths. A street is a run of a few segments on one grid line; its houses
are numbered odd on the left and even on the right, increasing along it. Groups are rectangles of plot cells
(borders along the backs of the plots) covering most but not all of the region; deelgemeenten are a grid of
tiles, each street belonging to the tile holding its middle (its addresses follow the street).

>>> region = synthetic_region(n_addresses=2_000, n_groups=10, seed=1)
>>> len(region["addresses"]), len(region["groups"])
(2000, 10)
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.schema import WORKING_CRS
from buurtkaart.synthetic._layout import TOWN_CENTRE
from buurtkaart.synthetic._reference import reference
from buurtkaart.texts import t
from buurtkaart.vocabulary import AddressStatus, MemberStatus
from buurtkaart.workspace import conform

_SPACING_M = 150.0
#: How far group borders of the region wave away from the plot grid.
_BEND_M = 40.0
_JITTER_M = 12.0
_SLOTS_PER_SIDE = 8
_CLEAR_M = 24.0  # no houses this close to a crossing
_OCCUPANCY = 0.9
_STREET_RUN = 6  # segments per residential street
_NROAD_RUN = 30
_STREETS_PER_DEELGEMEENTE = 220


def synthetic_region(*, n_addresses: int = 1_000_000, n_groups: int = 2_000, seed: int = 0,
                     n_members: int = 0) -> dict[str, gpd.GeoDataFrame]:
    """Layers municipality, deelgemeenten, streets, addresses and groups of a synthetic region.

    Exactly ``n_addresses`` addresses and ``n_groups`` groups; the same seed gives the same region. With
    ``n_members`` > 0 also a ``members`` layer: that many fictional members at random addresses, linked to the
    group covering their address (NA and status ``kandidaat`` where none does).
    """
    problems = []
    if n_addresses < 1:
        problems.append(t("demo.region_bad_count", name="n_addresses", value=n_addresses))
    if n_groups < 1:
        problems.append(t("demo.region_bad_count", name="n_groups", value=n_groups))
    if not 0 <= n_members <= n_addresses:
        problems.append(t("demo.region_bad_members", value=n_members, addresses=n_addresses))
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        problems.append(t("demo.bad_seed", seed=seed))
    if problems:
        raise InputError(t("demo.region_invalid"), problems=problems)
    rng = np.random.default_rng(seed)
    n = _grid_size(n_addresses, n_groups)
    x0 = TOWN_CENTRE[0] - (n - 1) * _SPACING_M / 2
    y0 = TOWN_CENTRE[1] - (n - 1) * _SPACING_M / 2
    nodes = np.stack(np.meshgrid(np.arange(n), np.arange(n), indexing="ij"), axis=-1) * _SPACING_M
    nodes = nodes + np.array([x0, y0]) + rng.uniform(-_JITTER_M, _JITTER_M, size=nodes.shape)

    seg = _segments(n, nodes)
    dg_tiles, dg_frame = _deelgemeenten(rng, n, x0, y0)
    street_of_seg, street_dg, street_names = _street_names(rng, seg, n, dg_tiles, x0, y0)
    road_class, ref, authority = _road_classes(rng, seg, n)
    streets = gpd.GeoDataFrame(
        {"street_id": np.arange(1, len(seg["line"]) + 1), "name": street_names[street_of_seg],
         "road_class": road_class, "ref": ref, "authority": authority,
         "deelgemeente": dg_frame["name"].to_numpy()[street_dg[street_of_seg]]},
        geometry=shapely.linestrings(np.stack([seg["start"], seg["end"]], axis=1)), crs=WORKING_CRS)
    addresses = _addresses(rng, n_addresses, seg, road_class, street_of_seg, street_names, street_dg, dg_frame)
    groups = _groups(rng, n, n_groups, x0, y0)
    half = _SPACING_M
    outline = shapely.box(x0 - half, y0 - half, x0 + (n - 1) * _SPACING_M + half, y0 + (n - 1) * _SPACING_M + half)
    municipality = gpd.GeoDataFrame({"code": ["99998"], "name": ["Synthetische regio (fictief)"],
                                     "population": [round(n_addresses * 2.3)]}, geometry=[outline], crs=WORKING_CRS)
    layers = {"municipality": municipality, "deelgemeenten": dg_frame, "streets": streets,
              "addresses": addresses, "groups": groups}
    if n_members:
        group_idx = np.full(len(addresses), -1)
        inside, group = shapely.STRtree(groups.geometry.values).query(addresses.geometry.values, predicate="within")
        group_idx[inside] = group
        layers["members"] = _members(rng, n_members, addresses, groups["group_id"].to_numpy(), group_idx)
    return {name: conform(name, frame) for name, frame in layers.items()}  # type: ignore[misc]


def _grid_size(n_addresses: int, n_groups: int) -> int:
    """Lines per direction so that the built segments hold enough house slots (and cells for the groups)."""
    need = n_addresses / (2 * _SLOTS_PER_SIDE * _OCCUPANCY * 0.97)
    n = math.ceil((1 + math.sqrt(1 + 2 * need)) / 2) + 2
    return max(n, math.ceil(math.sqrt(n_groups / 0.8)) + 2, 4)


def _segments(n: int, nodes: np.ndarray) -> dict[str, np.ndarray]:
    """Grid segments: horizontal lines 0..n-1 then vertical lines n..2n-1; ``pos`` counts along the line."""
    i, j = np.meshgrid(np.arange(n - 1), np.arange(n), indexing="ij")
    h_start, h_end = nodes[i, j], nodes[i + 1, j]  # along x on row j
    v_start, v_end = nodes[j, i], nodes[j, i + 1]  # along y on column j
    return {
        "start": np.concatenate([h_start.reshape(-1, 2), v_start.reshape(-1, 2)]),
        "end": np.concatenate([h_end.reshape(-1, 2), v_end.reshape(-1, 2)]),
        "line": np.concatenate([j.ravel(), n + j.ravel()]),
        "pos": np.concatenate([i.ravel(), i.ravel()]),
    }


def _line_kind(seg: dict[str, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    q = seg["line"] % n
    return q % 15 == 7, (q % 5 == 2) & ~(q % 15 == 7)


def _road_classes(rng: np.random.Generator, seg: dict[str, np.ndarray],
                  n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    nroad, collector = _line_kind(seg, n)
    q = seg["line"] % n
    road_class = np.where(nroad, "primary", np.where(collector, "tertiary", "minor")).astype(object)
    outer = (q == 0) | (q == n - 1)
    road_class[outer & ~nroad] = "track"
    footpath = (road_class == "minor") & (rng.random(len(q)) < 0.01)
    road_class[footpath] = "path"
    ref = np.full(len(q), None, dtype=object)
    ref[nroad] = np.char.add("N", (100 + seg["line"][nroad]).astype(str))
    authority = np.where(nroad, "gewest", "gemeente").astype(object)
    return road_class, ref, authority


def _deelgemeenten(rng: np.random.Generator, n: int, x0: float, y0: float) -> tuple[int, gpd.GeoDataFrame]:
    """A grid of ``k`` x ``k`` deelgemeente tiles with invented names and postcodes."""
    k = max(1, math.ceil(math.sqrt(2 * n * n / _STREET_RUN / _STREETS_PER_DEELGEMEENTE)))
    ref = reference()
    stems, suffixes = ref["street_stems"], ref["place_suffixes"]
    combos = rng.choice(len(stems) * len(suffixes), size=k * k, replace=False)
    names = [stems[c // len(suffixes)] + suffixes[c % len(suffixes)] for c in combos]
    postcodes = ref["postcodes_region"]
    size = n * _SPACING_M / k
    tx, ty = np.divmod(np.arange(k * k), k)
    left, bottom = x0 - _SPACING_M / 2 + tx * size, y0 - _SPACING_M / 2 + ty * size
    boxes = shapely.box(left, bottom, left + size, bottom + size)
    frame = gpd.GeoDataFrame({"code": [f"99998{c:03d}" for c in range(k * k)], "name": names,
                              "postcode": [postcodes[c % len(postcodes)] for c in range(k * k)]},
                             geometry=boxes, crs=WORKING_CRS)
    return k, frame


def _street_names(rng: np.random.Generator, seg: dict[str, np.ndarray], n: int, k: int, x0: float,
                  y0: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Street per segment, deelgemeente per street and street names, unique within each deelgemeente."""
    nroad, _ = _line_kind(seg, n)
    run = np.where(nroad, seg["pos"] // _NROAD_RUN, seg["pos"] // _STREET_RUN)
    keys = seg["line"].astype(np.int64) * 100_000 + run
    _, street_of_seg = np.unique(keys, return_inverse=True)
    # the deelgemeente of a street: the tile holding the middle of its segments
    mid = (seg["start"] + seg["end"]) / 2
    cx = np.bincount(street_of_seg, mid[:, 0]) / np.bincount(street_of_seg)
    cy = np.bincount(street_of_seg, mid[:, 1]) / np.bincount(street_of_seg)
    size = n * _SPACING_M / k
    tx = np.clip(((cx - x0 + _SPACING_M / 2) // size).astype(int), 0, k - 1)
    ty = np.clip(((cy - y0 + _SPACING_M / 2) // size).astype(int), 0, k - 1)
    street_dg = tx * k + ty
    ref = reference()
    pool = np.array([s + x for s in ref["street_stems"] for x in ("straat", "laan", "weg", "dreef")], dtype=object)
    rank = pd.Series(street_dg).groupby(street_dg).cumcount().to_numpy()
    perms = np.argsort(rng.random((k * k, len(pool))), axis=1)
    names = pool[perms[street_dg, rank % len(pool)]]
    return street_of_seg, street_dg, names


def _addresses(rng: np.random.Generator, count: int, seg: dict[str, np.ndarray], road_class: np.ndarray,
               street_of_seg: np.ndarray, street_names: np.ndarray, street_dg: np.ndarray,
               dg_frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    built = np.flatnonzero(np.isin(road_class, ["minor", "tertiary", "primary"]))
    per_seg = 2 * _SLOTS_PER_SIDE
    capacity = len(built) * per_seg
    slots = np.sort(rng.choice(capacity, size=count, replace=False))
    s = built[slots // per_seg]
    side = np.where((slots // _SLOTS_PER_SIDE) % 2 == 0, 1, -1)
    slot = slots % _SLOTS_PER_SIDE
    start, end = seg["start"][s], seg["end"][s]
    vec = end - start
    length = np.hypot(vec[:, 0], vec[:, 1])
    unit = vec / length[:, None]
    usable = length - 2 * _CLEAR_M
    along = _CLEAR_M + (slot + 0.5) * usable / _SLOTS_PER_SIDE + rng.uniform(-2, 2, size=count)
    setback = rng.uniform(10, 25, size=count)
    normal = np.stack([-unit[:, 1], unit[:, 0]], axis=1) * side[:, None]
    xy = start + unit * along[:, None] + normal * setback[:, None]
    nroad_run = np.where(road_class[s] == "primary", _NROAD_RUN, _STREET_RUN)
    index_on_street = (seg["pos"][s] % nroad_run) * _SLOTS_PER_SIDE + slot
    housenumber = 2 * index_on_street + np.where(side == 1, 1, 2)
    street = street_of_seg[s]
    suffix = np.full(count, None, dtype=object)
    suffix[rng.random(count) < 0.015] = "A"
    ids = pd.Series(np.arange(1, count + 1)).astype("str").str.zfill(7)
    return gpd.GeoDataFrame(
        {"address_id": ("R" + ids).to_numpy(), "street": street_names[street],
         "housenumber": housenumber, "suffix": suffix, "box": None,
         "postcode": dg_frame["postcode"].to_numpy()[street_dg[street]],
         "deelgemeente": dg_frame["name"].to_numpy()[street_dg[street]]},
        geometry=shapely.points(xy), crs=WORKING_CRS)


def _groups(rng: np.random.Generator, n: int, n_groups: int, x0: float, y0: float) -> gpd.GeoDataFrame:
    """``n_groups`` areas of plot cells (borders halfway between streets), some tiles left uncovered.

    The tiles are bent by one smooth displacement of the plane (:func:`_bend`), so that borders wave like real
    ones: neighbours still share their borders exactly, and a point-in-rectangle shortcut cannot help a
    benchmark.
    """
    side = max(1, round(n / math.sqrt(n_groups / 0.85)))  # about 85 % of the tiles get a group
    while side > 1 and math.ceil(n / side) ** 2 < n_groups:
        side -= 1
    per_row = math.ceil(n / side)
    chosen = np.sort(rng.choice(per_row * per_row, size=n_groups, replace=False))
    tx, ty = np.divmod(chosen, per_row)
    lo_x, hi_x = tx * side, np.minimum((tx + 1) * side, n)
    lo_y, hi_y = ty * side, np.minimum((ty + 1) * side, n)
    boxes = shapely.box(x0 + (lo_x - 0.5) * _SPACING_M, y0 + (lo_y - 0.5) * _SPACING_M,
                        x0 + (hi_x - 0.5) * _SPACING_M, y0 + (hi_y - 0.5) * _SPACING_M)
    width = len(str(n_groups))
    ids = [f"G{k:0{max(width, 4)}d}" for k in range(1, n_groups + 1)]
    return gpd.GeoDataFrame({"group_id": ids, "name": [f"Zone {k}" for k in range(1, n_groups + 1)]},
                            geometry=_bend(boxes), crs=WORKING_CRS)


def _bend(polygons: np.ndarray) -> np.ndarray:
    """Densify ``polygons`` and move every vertex by the same smooth displacement field (at most
    :data:`_BEND_M`, gentle enough never to fold), rounded to the centimetre so shared borders stay identical."""
    dense = shapely.segmentize(polygons, _SPACING_M / 5)
    wave = 2 * math.pi / _SPACING_M

    def shift(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0], xy[:, 1]
        dx = _BEND_M * np.sin(y * wave / 3.7) * np.cos(x * wave / 5.3)
        dy = _BEND_M * np.sin(x * wave / 4.1) * np.cos(y * wave / 6.1)
        return np.round(np.column_stack([x + dx, y + dy]), 2)

    return shapely.make_valid(shapely.transform(dense, shift))


def _members(rng: np.random.Generator, count: int, addresses: gpd.GeoDataFrame, group_ids: np.ndarray,
             group_idx: np.ndarray) -> gpd.GeoDataFrame:
    """``count`` fictional members at distinct random addresses (vectorised)."""
    pick = np.sort(rng.choice(len(addresses), size=count, replace=False))
    chosen = addresses.iloc[pick]
    ref = reference()
    first = np.array(ref["first_names"], dtype=object)[rng.integers(len(ref["first_names"]), size=count)]
    last = np.array(ref["last_names"], dtype=object)[rng.integers(len(ref["last_names"]), size=count)]
    ids = "M" + pd.Series(np.arange(1, count + 1)).astype("str").str.zfill(7)
    digits = pd.Series(rng.integers(0, 1_000_000, size=count)).astype("str").str.zfill(6)
    phone = ("04" + pd.Series(rng.integers(60, 100, size=count)).astype("str") + " " + digits.str[:2] + " "
             + digits.str[2:4] + " " + digits.str[4:])
    text = (chosen["street"].reset_index(drop=True) + " " + chosen["housenumber"].astype("str").reset_index(drop=True)
            + chosen["suffix"].fillna("").reset_index(drop=True) + ", " + chosen["postcode"].reset_index(drop=True)
            + " " + chosen["deelgemeente"].reset_index(drop=True))
    group = group_idx[pick]
    covered = group >= 0
    drawn = rng.choice([MemberStatus.LID, MemberStatus.KANDIDAAT, MemberStatus.GOEDGEKEURD], size=count,
                       p=[0.9, 0.05, 0.05])
    status = np.where(covered, drawn, MemberStatus.KANDIDAAT)
    applied = np.datetime64("2026-11-01") - rng.integers(0, 2700, size=count).astype("timedelta64[D]")
    group_col = np.full(count, None, dtype=object)
    group_col[covered] = group_ids[group[covered]]
    return gpd.GeoDataFrame(
        {"member_id": ids.to_numpy(), "name": pd.Series(first) + " " + pd.Series(last), "phone": phone.to_numpy(),
         "email": ("lid" + ids.str[1:] + "@example.be").to_numpy(), "address_text": text.to_numpy(),
         "address_id": chosen["address_id"].to_numpy(), "group_id": group_col, "status": status,
         "applied_on": np.datetime_as_string(applied), "status_on": np.datetime_as_string(applied),
         "street": chosen["street"].to_numpy(), "housenumber": chosen["housenumber"].to_numpy(),
         "assign_status": np.where(covered, AddressStatus.TOEGEWEZEN, AddressStatus.NIET_GEDEKT)},
        geometry=chosen.geometry.values, crs=WORKING_CRS)
