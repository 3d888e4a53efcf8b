"""The application form on the real Asse register: addresses typed as residents type them (CRAB 2013), groups are
the 16 Asse wijken. Every application must land at its own register address and in the wijk that holds it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from buurtkaart.members import lists as member_lists
from buurtkaart.members import membership
from buurtkaart.members.accounts import User
from buurtkaart.members.membership import Application

pytestmark = pytest.mark.realdata
SAMPLE = 150


@pytest.fixture
def asse(realdata, tmp_path):
    from buurtkaart.importers import import_file, setup_workspace

    boundaries = realdata / "asse_boundaries_provinciesincijfers.gpkg"
    ws, _ = setup_workspace(boundaries, tmp_path / "asse.gpkg", municipality="Asse", layer="municipalities",
                            overwrite=True)
    import_file(ws, "addresses", realdata / "asse_crab_addresses_2013.gpkg", layer="addresses")
    import_file(ws, "groups", boundaries, layer="wijken")
    return ws


def _typed(row) -> str:
    suffix = row["suffix"] if isinstance(row["suffix"], str) else ""
    box = f" bus {row['box']}" if isinstance(row["box"], str) else ""
    return f"{row['street'].lower()} {row['housenumber']}{suffix}{box} {row['postcode']}"


def test_real_addresses_apply_to_the_right_wijk(asse):
    from buurtkaart.assignment.points import GroupIndex
    from buurtkaart.geocoding.lookup import AddressIndex

    addresses = asse.read("addresses")
    sample = addresses.iloc[np.random.default_rng(8).choice(len(addresses), SAMPLE, replace=False)]
    index, groups = AddressIndex.from_workspace(asse), GroupIndex.from_workspace(asse)
    expected = groups.assign(sample.geometry)
    receipts = {}
    for label, row in sample.iterrows():
        receipt = membership.submit_application(asse, Application(
            name="Echte Test", address_text=_typed(row), phone="0470 12 34 56", declaration_accepted=True,
            consent_police=True), index=index, groups=groups)
        receipts[label] = receipt
    members = asse.read("members").set_index("member_id")
    want = {lbl: None if pd.isna(g) else str(g) for lbl, g in expected["group_id"].items()}
    wrong_group = [lbl for lbl, r in receipts.items() if r.group_id != want[lbl]]
    assert not wrong_group, f"{len(wrong_group)} of {SAMPLE} in another wijk"
    assert sum(g is not None for g in want.values()) > SAMPLE * 0.9  # the wijken cover nearly all of Asse
    stored = members.loc[[r.member_id for r in receipts.values()]]
    same_house = [(members_row.street, members_row.housenumber) == (row["street"], row["housenumber"])
                  for members_row, (_, row) in zip(stored.itertuples(), sample.iterrows(), strict=True)]
    assert all(same_house)
    distances = stored.geometry.distance(sample.geometry.set_axis(stored.index), align=True)
    assert (distances < 1e-6).mean() > 0.99  # at its own register point (duplicated numbers share a building)
    from tests.members_helpers import register

    police = User("politie", "police")
    register(asse, police)  # the library re-reads every actor from the users table
    queue = member_lists.screening_queue(asse, police)
    assert len(queue) == SAMPLE
