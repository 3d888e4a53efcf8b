"""Tables as a Dutch reader sees them: no ``None``, no role or road-class codes, no ISO timestamps, Dutch numbers.

Pages pass every table through :func:`display_frame` just before drawing it; files and exports keep the stored
values (codes, ISO 8601, decimal points) so that other software can read them.

>>> import pandas as pd
>>> frame = pd.DataFrame({"role": ["staff", None], "road_class": ["minor", "primary"],
...                       "last_login": ["2026-11-29T18:50:09+00:00", None], "share": [13.8, float("nan")],
...                       "screened_on": ["2026-11-29", None], "households": [9970, 10994]})
>>> display_frame(frame).to_dict("records")[0]  # doctest: +NORMALIZE_WHITESPACE
{'role': 'gemeentepersoneel', 'road_class': 'woonstraat', 'last_login': '29-11-2026 19:50', 'share': '13,8',
 'screened_on': '29-11-2026', 'households': 9970}
>>> display_frame(frame).to_dict("records")[1]["role"], display_frame(frame).to_dict("records")[1]["share"]
('', '')
"""

from __future__ import annotations

import re

import pandas as pd

from buurtkaart.texts import catalogue, number, road_class_label, when

_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Columns whose values are codes with a Dutch name in the catalogue (``<prefix><code>``).
_CODE_COLUMNS = {"role": "app.role.", "actor_role": "app.role."}


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _dutch_date(value: str) -> str:
    year, month, day = value.split("-")
    return f"{day}-{month}-{year}"


def display_value(value: object, column: str = "") -> object:
    """One value as it is shown (see :func:`display_frame`); integers stay numbers."""
    if _is_missing(value):
        return ""
    if column in _CODE_COLUMNS:
        key = f"{_CODE_COLUMNS[column]}{value}"
        return catalogue().get(key, value)
    if column == "road_class":
        return road_class_label(value)
    if isinstance(value, float):
        return number(value)
    if isinstance(value, str):
        if _TIMESTAMP.match(value):
            return when(value)
        if _DATE.match(value):
            return _dutch_date(value)
    return value


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for display, without its geometry: missing values empty, role and road-class codes in
    Dutch, timestamps in Belgian time (``29-11-2026 19:50``), dates as ``29-11-2026``, decimal numbers with a
    comma. Integer columns stay numeric (so that they still sort as numbers)."""
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_integer_dtype(series) and not series.isna().any():
            continue
        if pd.api.types.is_bool_dtype(series):
            continue  # drawn as a tick box
        out[column] = pd.Series([display_value(v, str(column)) for v in series.astype(object)], index=out.index,
                                dtype=object)
    return out
