"""Invariants of composing areas (Hypothesis): a composed area holds exactly the chosen addresses."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from buurtkaart.boundaries import compose_group
from buurtkaart.schema import WORKING_CRS
from tests.conftest import X0, Y0


@st.composite
def town(draw):
    n = draw(st.integers(min_value=2, max_value=40))
    cells = draw(st.lists(st.tuples(st.integers(0, 19), st.integers(0, 19)), min_size=n, max_size=n, unique=True))
    jitter = draw(st.lists(st.tuples(st.floats(-4, 4), st.floats(-4, 4)), min_size=n, max_size=n))
    chosen = draw(st.lists(st.booleans(), min_size=n, max_size=n).filter(any))
    xy = np.array([(X0 + 10 * cx + jx, Y0 + 10 * cy + jy) for (cx, cy), (jx, jy) in zip(cells, jitter, strict=True)])
    frame = gpd.GeoDataFrame({"address_id": [f"a{i}" for i in range(n)], "street": "Dorp",
                              "housenumber": np.arange(1, n + 1)},
                             geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=WORKING_CRS)
    return frame, np.array(chosen)


@settings(max_examples=60, deadline=None)
@given(town())
def test_composed_area_holds_exactly_the_chosen_addresses(case):
    addresses, chosen = case
    area = compose_group(addresses, chosen, reach_m=25.0)
    assert area.is_valid
    inside = addresses.intersects(area).to_numpy()
    assert (inside == chosen).all()
