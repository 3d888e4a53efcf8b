"""The address register as the geocoder holds it: one :class:`Street` per street name and postcode (split per
deelgemeente where one postcode holds two streets of the same name), with its numbered rows per side.

Private to :mod:`buurtkaart.geocoding.lookup`: :meth:`Register.from_frame` reads the address layer's columns and
groups its rows into streets, :meth:`Register.add_street_lines` adds the road layer's streets without addresses;
an :class:`~buurtkaart.geocoding.lookup.AddressIndex` is built from the finished :class:`Register`. Nothing here
changes another object's fields.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.errors import InputError
from buurtkaart.geocoding.addressing import place_key, street_key
from buurtkaart.texts import t
from buurtkaart.validation import crs_problem, require_columns, require_geometry


@dataclass
class Street:
    """One street of the register: a name in one postcode, with its numbered rows."""

    name: str
    key: str
    postcode: str | None
    places: set[str] = field(default_factory=set)
    rows: dict[tuple[int, str | None], list[int]] = field(default_factory=dict)
    sides: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # parity → (numbers, rows)
    middle: shapely.Point | None = None
    numbers: set[int] = field(default_factory=set)  # house numbers with any suffix

    def has_number(self, number: int | None) -> bool:
        return number is not None and number in self.numbers

    def in_range(self, number: int | None) -> bool:
        side = self.sides.get(number % 2) if number is not None else None
        return side is not None and len(side[0]) > 0 and side[0][0] <= number <= side[0][-1]  # type: ignore[operator]


@dataclass
class Register:
    """The address register as columns (one entry per address row) and its rows grouped into streets."""

    ids: np.ndarray
    street_names: np.ndarray
    numbers: np.ndarray
    suffixes: np.ndarray
    boxes: np.ndarray
    postcodes_col: np.ndarray
    places: np.ndarray
    geoms: np.ndarray
    x: np.ndarray
    y: np.ndarray
    #: street key → the streets of that name (one per postcode, or per deelgemeente where split)
    streets: dict[str, list[Street]] = field(default_factory=lambda: defaultdict(list))
    postcodes: set[str] = field(default_factory=set)
    place_postcodes: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_frame(cls, frame: gpd.GeoDataFrame) -> Register:
        """The columns of an ``addresses`` layer (index 0..n-1), grouped into streets."""
        n = len(frame)
        none = np.full(n, None, dtype=object)
        register = cls(
            ids=strings(frame["address_id"]) if "address_id" in frame else np.array([str(i) for i in range(n)]),
            street_names=strings(frame["street"]),
            numbers=pd.to_numeric(frame["housenumber"], errors="coerce").to_numpy(dtype="float64"),
            suffixes=strings(frame["suffix"]) if "suffix" in frame else none,
            boxes=strings(frame["box"]) if "box" in frame else none.copy(),
            postcodes_col=strings(frame["postcode"]) if "postcode" in frame else none.copy(),
            places=strings(frame["deelgemeente"]) if "deelgemeente" in frame else none.copy(),
            geoms=np.asarray(frame.geometry.values, dtype=object),
            x=shapely.get_x(frame.geometry.values),
            y=shapely.get_y(frame.geometry.values),
        )
        register._group_streets()
        return register

    def _group_streets(self) -> None:
        """Group the rows into streets: one per street key and postcode, split per deelgemeente where the same
        number occurs in two deelgemeenten (two streets of the same name in one postcode)."""
        names = pd.Series(self.street_names, dtype=object)
        valid = names.notna().to_numpy()
        key_of = {u: street_key(u) for u in pd.unique(names[valid])}
        places = pd.Series(self.places, dtype=object)
        place_of = {p: place_key(p) for p in pd.unique(places.dropna())}
        boxes = pd.Series(self.boxes, dtype=object)
        df = pd.DataFrame({
            "key": names.map(key_of).astype(object), "pc": pd.Series(self.postcodes_col, dtype=object).fillna(""),
            "place": places.map(place_of).astype(object).fillna(""), "num": self.numbers,
            "suffix": pd.Series(self.suffixes, dtype=object).fillna(""), "box": boxes.fillna(""),
            "boxed": boxes.notna(), "id": self.ids, "x": self.x, "y": self.y,
        })[valid]
        if df.empty:  # a register without addresses: nothing to group (the road layer's streets may still be added)
            return
        numbered = df[df["num"].notna()]
        spread = numbered.groupby(["key", "pc", "num", "suffix", "box"], sort=False)["place"].nunique()
        split = spread[spread > 1].index.droplevel(["num", "suffix", "box"]).unique()
        is_split = pd.MultiIndex.from_frame(df[["key", "pc"]]).isin(split)
        df["unit_place"] = np.where(is_split, df["place"], "")
        # preferred row first among duplicates: without box, then by box, then by address_id
        df = df.sort_values(["boxed", "box", "id"], kind="stable")
        df["unit"] = df.groupby(["key", "pc", "unit_place"], sort=False).ngroup()
        rows = df.index.to_numpy()
        key_arr, place_arr, unit_arr = df["key"].to_numpy(), df["place"].to_numpy(), df["unit"].to_numpy()
        order = np.argsort(unit_arr, kind="stable")
        bounds = np.flatnonzero(np.r_[True, unit_arr[order][1:] != unit_arr[order][:-1], True])
        units: list[Street] = []
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            pos = order[a:b]
            first = rows[pos[0]]
            unit = Street(name=self.street_names[first], key=key_arr[pos[0]], postcode=self.postcodes_col[first],
                           places={p for p in set(place_arr[pos].tolist()) if p})
            units.append(unit)
            self.streets[unit.key].append(unit)
        with_number = df[df["num"].notna()]
        number_rows = with_number.index.to_numpy()
        w_unit = with_number["unit"].to_numpy()
        w_num = with_number["num"].to_numpy().astype(np.int64)
        w_suffix = with_number["suffix"].to_numpy()
        suffix_code = pd.factorize(w_suffix)[0]
        order = np.lexsort((np.arange(len(w_unit)), suffix_code, w_num, w_unit))  # keeps the preferred row first
        su, sn, ss = w_unit[order], w_num[order], suffix_code[order]
        bounds = np.flatnonzero(np.r_[True, (su[1:] != su[:-1]) | (sn[1:] != sn[:-1]) | (ss[1:] != ss[:-1]), True])
        ordered_rows = number_rows[order].tolist()
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            k = order[a]
            units[w_unit[k]].rows[(int(w_num[k]), w_suffix[k] or None)] = ordered_rows[a:b]
        for unit in units:
            unit.numbers = {number for number, _suffix in unit.rows}
        firsts = with_number[with_number["suffix"] == ""].drop_duplicates(["unit", "num"]).sort_values(
            ["unit", "num"], kind="stable")
        first_rows = firsts.index.to_numpy()
        first_nums = firsts["num"].to_numpy().astype(np.int64)
        for u, pos in firsts.groupby("unit", sort=False).indices.items():
            nums, rws = first_nums[pos], first_rows[pos]
            for parity in (0, 1):
                side = nums % 2 == parity
                units[u].sides[parity] = (nums[side], rws[side])
        centre = df.groupby("unit")[["x", "y"]].transform("mean")
        d2 = (df["x"] - centre["x"]) ** 2 + (df["y"] - centre["y"]) ** 2
        for u, row in d2.groupby(df["unit"]).idxmin().items():
            units[int(u)].middle = shapely.Point(self.x[row], self.y[row])
        self.postcodes.update(p for p in pd.unique(df["pc"]) if p)
        pairs = df.loc[(df["place"] != "") & (df["pc"] != ""), ["place", "pc"]].drop_duplicates()
        for place, pc in zip(pairs["place"], pairs["pc"], strict=True):
            self.place_postcodes.setdefault(place, set()).add(pc)

    def add_street_lines(self, streets: gpd.GeoDataFrame) -> None:
        """Streets of the road layer that hold no address: found as ``street_only``."""
        names = strings(streets["name"])
        places = strings(streets["deelgemeente"]) if "deelgemeente" in streets else [None] * len(names)
        lengths = shapely.length(streets.geometry.values)
        best: dict[str, int] = {}
        for i, name in enumerate(names):
            if name is None or street_key(name) in self.streets:
                continue
            if name not in best or lengths[i] > lengths[best[name]]:
                best[name] = i
        for name, i in best.items():
            unit = Street(name=name, key=street_key(name), postcode=None)
            if places[i] is not None:
                unit.places.add(place_key(places[i]))
            line = streets.geometry.values[i]
            unit.middle = shapely.line_interpolate_point(line, 0.5, normalized=True)
            self.streets[unit.key].append(unit)


def strings(series: pd.Series) -> np.ndarray:
    """A column as an object array of ``str`` with ``None`` for missing values."""
    return series.astype("str").to_numpy(dtype=object, na_value=None)


def check_layer(frame: gpd.GeoDataFrame, name: str, columns: tuple[str, ...]) -> None:
    problems: list[str] = []
    require_columns(frame, [c for c in columns if c != "geometry"], what=name, problems=problems)
    if not isinstance(frame, gpd.GeoDataFrame):
        require_geometry(frame, "point", what=name, problems=problems)
    elif (problem := crs_problem(frame, what=name)) is not None:
        problems.append(problem)
    elif name == "addresses" and len(frame):
        require_geometry(frame, "point", what=name, problems=problems)
    if problems:
        raise InputError(t("lookup.error.layer", layer=name), problems=problems)
