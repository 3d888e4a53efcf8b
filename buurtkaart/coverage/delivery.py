"""Addresses of a chosen set of streets in walking order, for delivering invitation letters on foot.

Along each street the walker goes up the odd side and comes back along the even side (Belgian streets have odd
numbers on one side, even on the other), each side in house-number order; the street's direction follows its
own line where ``streets`` are given, else the main axis of its address points. Streets follow one another
nearest-first: the next street is the one whose start or end lies closest to where the walker stands, entered
from that end. Walks stay on the municipality's own streets: roads beyond the border (``outside`` True, as in
:func:`buurtkaart.infoborden.entry_roads`) are left out even when a road of the same name continues there.

>>> import geopandas as gpd, shapely
>>> addresses = gpd.GeoDataFrame({"street": ["Dorp"] * 4, "housenumber": [2, 1, 3, 4]},
...     geometry=shapely.points([(0, -10), (0, 10), (50, 10), (50, -10)]), crs=31370)
>>> delivery_order(addresses)[["seq", "label", "side"]]
   seq   label    side
0    1  Dorp 1  oneven
1    2  Dorp 3  oneven
2    3  Dorp 4    even
3    4  Dorp 2    even
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.coverage._inputs import check_frame, name_keys, outside_mask, raise_problems
from buurtkaart.texts import t

_NEAR_M = 500.0


def _positions(points: np.ndarray, line: shapely.Geometry | None) -> np.ndarray:
    """Position of each point along the street: along its line if known, else along its main axis."""
    if line is not None and not line.is_empty:
        parts = shapely.get_parts(shapely.line_merge(line))
        coords = shapely.get_coordinates(points)
        axis = _axis(coords)
        starts = shapely.get_coordinates(shapely.line_interpolate_point(parts, 0.0)) @ axis
        ends = shapely.get_coordinates(shapely.line_interpolate_point(parts, 1.0, normalized=True)) @ axis
        order = np.argsort(np.minimum(starts, ends))
        parts = parts[order]
        flipped = (ends < starts)[order]
        offset = np.r_[0.0, np.cumsum(shapely.length(parts))[:-1]]
        nearest = np.argmin(shapely.distance(points[:, None], parts[None, :]), axis=1)
        along = shapely.line_locate_point(parts[nearest], points)
        along = np.where(flipped[nearest], shapely.length(parts[nearest]) - along, along)
        return offset[nearest] + along
    coords = shapely.get_coordinates(points)
    return (coords - coords.mean(axis=0)) @ _axis(coords)


def _axis(coords: np.ndarray) -> np.ndarray:
    if len(coords) < 2:
        return np.array([1.0, 0.0])
    centred = coords - coords.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axis = vt[0]
    return axis if axis[0] + 1e-9 * axis[1] >= 0 else -axis


def _label(rows: pd.DataFrame) -> pd.Series:
    text = rows["street"].astype("str") + " " + rows["housenumber"].astype("str").fillna("")
    if "suffix" in rows.columns:
        text = text + rows["suffix"].astype("str").fillna("")
    if "box" in rows.columns:
        box = rows["box"].astype("str")
        text = text + np.where(box.notna(), " " + t("coverage.delivery.box") + " " + box.fillna(""), "")
    return text.str.strip()


def delivery_order(
    addresses: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame | None = None,
    *,
    street_names: Iterable[str] | None = None,
    postcode: str | None = None,
) -> gpd.GeoDataFrame:
    """The addresses of ``street_names`` (all streets when None) in walking order, numbered ``seq`` from 1.

    Each row carries a printable ``label`` (``Kerkstraat 12A bus 3``) and the ``side`` (``oneven``/``even``).
    """
    _check(addresses, streets)
    rows = addresses
    if postcode is not None and "postcode" in rows.columns:
        rows = rows[rows["postcode"].astype("str") == str(postcode)]
    if street_names is not None:
        wanted = list(street_names)
        wanted_keys = name_keys(wanted)
        rows = rows[np.isin(name_keys(rows["street"]), wanted_keys)]
        found = set(name_keys(rows["street"]))
        unknown = [name for name, key in zip(wanted, wanted_keys, strict=True) if key not in found]
        if unknown:
            raise_problems([t("coverage.error.unknown_streets", streets=", ".join(unknown))])
    labels, sides = _walk_all(rows, streets)
    out = rows.loc[labels]
    keep = [c for c in ("address_id", "street", "housenumber", "suffix", "box", "postcode", "deelgemeente")
            if c in out.columns]
    result = gpd.GeoDataFrame(out[keep].copy(), geometry=out.geometry.values, crs=out.crs, index=out.index)
    result.insert(0, "seq", np.arange(1, len(result) + 1))
    result["side"] = pd.Series(sides, index=result.index, dtype="str")
    result["label"] = _label(result)
    return result.reset_index(drop=True)


def walk_index(addresses: gpd.GeoDataFrame, streets: gpd.GeoDataFrame | None = None) -> pd.Index:
    """The index labels of ``addresses`` in the walking order of :func:`delivery_order` (all rows, each once).

    Other lists to deliver on foot (the stickers of :func:`buurtkaart.members.lists.sticker_list`) use this one
    order. Needs ``street`` and ``housenumber`` columns and point geometry; ``suffix``, ``box`` and ``postcode``
    are used where present.

    >>> import geopandas as gpd, shapely
    >>> addresses = gpd.GeoDataFrame({"street": ["Dorp"] * 4, "housenumber": [2, 1, 3, 4]},
    ...     geometry=shapely.points([(0, -10), (0, 10), (50, 10), (50, -10)]), crs=31370, index=[10, 11, 12, 13])
    >>> list(walk_index(addresses))
    [11, 12, 13, 10]
    """
    _check(addresses, streets)
    return pd.Index(_walk_all(addresses, streets)[0])


def _check(addresses: gpd.GeoDataFrame, streets: gpd.GeoDataFrame | None) -> None:
    problems: list[str] = []
    check_frame(addresses, layer="addresses", columns=["street", "housenumber"], geometry="point", problems=problems)
    if streets is not None:
        check_frame(streets, layer="streets", columns=["name"], geometry="line", problems=problems)
    raise_problems(problems)


def _walk_all(rows: gpd.GeoDataFrame, streets: gpd.GeoDataFrame | None) -> tuple[list, np.ndarray]:
    """Index labels of ``rows`` in walking order, and the side of the street of each."""
    postcode = rows.get("postcode", rows["street"]).astype("str").fillna("")  # no postcode: not left out
    if streets is not None and len(streets):  # walks stay on the municipality's own streets
        streets = streets.loc[~outside_mask(streets)]
    if streets is not None and len(streets):  # only the walked streets' lines (their names compared once)
        streets = streets[np.isin(name_keys(streets["name"]), name_keys(rows["street"]))]
    walks = [_walk(part, streets) for _, part in rows.groupby([rows["street"].astype("str"), postcode])]
    if not walks:
        return [], np.array([], dtype=object)
    order, sides = _chain(walks)
    return order, np.concatenate(sides)


def _walk(rows: gpd.GeoDataFrame, streets: gpd.GeoDataFrame | None) -> tuple[list, list, np.ndarray, np.ndarray]:
    """One street's addresses in order (up the odd side, back the even side), with its two ends."""
    points = np.asarray(rows.geometry.values)
    line = None
    if streets is not None and len(streets):
        same = streets[name_keys(streets["name"]) == name_keys(rows["street"].iloc[:1])[0]]
        if len(same):
            near = shapely.dwithin(same.geometry.values, shapely.union_all(points), _NEAR_M)
            if near.any():
                line = shapely.union_all(same.geometry.values[near])
    position = _positions(points, line)
    number = pd.to_numeric(rows["housenumber"], errors="coerce").to_numpy(dtype="float64")
    odd = np.where(np.isnan(number), 2, number % 2)
    suffix = rows["suffix"].astype("str").fillna("").to_numpy() if "suffix" in rows.columns else np.full(len(rows), "")
    box = rows["box"].astype("str").fillna("").str.zfill(6).to_numpy() if "box" in rows.columns else suffix
    frame = pd.DataFrame({"odd": odd, "pos": position, "number": number, "suffix": suffix, "box": box,
                          "index": rows.index})
    # Up the odd side along the street; back along the even side; addresses without a number last. House numbers
    # run monotonously along a side, so a side is walked in number order, in the direction its numbers grow
    # along the street (address points on deep parcels would otherwise jump back and forth).
    frame["key"] = np.where(frame["odd"] == 1, frame["pos"], -frame["pos"])
    for parity, walk in ((1, 1.0), (0, -1.0)):
        side = (frame["odd"] == parity).to_numpy()
        if side.sum() >= 2 and np.ptp(number[side]) > 0 and np.ptp(position[side]) > 0:
            grows = np.corrcoef(number[side], position[side])[0, 1] >= 0
            frame.loc[side, "key"] = walk * frame.loc[side, "number"] * (1.0 if grows else -1.0)
    frame["part"] = np.select([frame["odd"] == 1, frame["odd"] == 0], [0, 1], 2)
    frame = frame.sort_values(["part", "key", "number", "suffix", "box"], kind="stable")
    sides = frame["part"].map({0: "oneven", 1: "even", 2: t("coverage.delivery.unknown_side")}).to_numpy()
    coords = shapely.get_coordinates(points)
    start = coords[np.argmin(position)]
    end = coords[np.argmax(position)]
    return list(frame["index"]), list(sides), start, end


def _chain(walks: list[tuple[list, list, np.ndarray, np.ndarray]]) -> tuple[list, list]:
    """Chain the streets nearest-first from the largest one; a street entered at its far end is walked backwards."""
    left = list(range(len(walks)))
    current = max(left, key=lambda i: len(walks[i][0]))
    order: list = []
    sides: list = []
    reverse = False
    while True:
        left.remove(current)
        index, side, start, end = walks[current]
        if reverse:
            # walk the odd side from the far end back, then the even side outwards
            n_odd, n_even = side.count("oneven"), side.count("even")
            cut = n_odd + n_even
            index = index[:n_odd][::-1] + index[n_odd:cut][::-1] + index[cut:]
            side = side[:n_odd][::-1] + side[n_odd:cut][::-1] + side[cut:]
        order.extend(index)
        sides.append(np.array(side, dtype=object))
        here = end if reverse else start
        if not left:
            break
        d_start = [float(np.hypot(*(walks[i][2] - here))) for i in left]
        d_end = [float(np.hypot(*(walks[i][3] - here))) for i in left]
        best = int(np.argmin(np.minimum(d_start, d_end)))
        reverse = d_end[best] < d_start[best]
        current = left[best]
    return order, sides
