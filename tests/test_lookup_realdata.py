"""The geocoder and the assignment on the real Asse address register (CRAB 2013, 10,994 addresses).

"Its own point": the register has no two Asse rows with the same street, number (with suffix) and postcode (the
test checks this), so every typed-back address must come back with its own row's ``address_id`` and point. If a
later register did hold such duplicates, the lookup returns the first row by ``address_id`` (see
:mod:`buurtkaart.geocoding.lookup`) and any row sharing the key would count as its own point.

Typos are realistic and seeded: a letter dropped, two letters swapped, an abbreviation (str., stwg, ln, pl.),
accents left out and lower case, no postcode; half of the texts carry the postcode, some a place name.
"""

from __future__ import annotations

import random

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from buurtkaart.assignment.points import GroupIndex, assign_points
from buurtkaart.assignment.streets import street_answer
from buurtkaart.geocoding.addressing import split_housenumbers, strip_accents
from buurtkaart.geocoding.lookup import AddressIndex
from tests.conftest import REALDATA

pytestmark = pytest.mark.realdata

_ABBREVIATIONS = [("straat", "str."), ("steenweg", "stwg"), ("laan", "ln"), ("plein", "pl.")]


@pytest.fixture(scope="module")
def folder():
    """Like the ``realdata`` fixture, once per module: skips with a reason where the files are absent."""
    if not REALDATA.is_dir():
        pytest.skip(f"real Asse data not found at {REALDATA} (it lives in ../shared beside the project)")
    return REALDATA


@pytest.fixture(scope="module")
def crab(folder) -> gpd.GeoDataFrame:
    raw = gpd.read_file(folder / "asse_crab_addresses_2013.gpkg", layer="addresses")
    raw = raw[raw["in_asse"]].to_crs("EPSG:31370").reset_index(drop=True)
    parts = split_housenumbers(raw["housenumber"])
    return gpd.GeoDataFrame(
        {"address_id": [f"crab{i:05d}" for i in range(len(raw))], "street": raw["street"],
         "housenumber": parts["housenumber"], "suffix": parts["suffix"], "box": parts["box"],
         "postcode": raw["postcode"], "deelgemeente": raw["deelgemeente_DERIVED"],
         "typed_number": raw["housenumber"]},
        geometry=raw.geometry.values, crs="EPSG:31370")


@pytest.fixture(scope="module")
def index(crab) -> AddressIndex:
    return AddressIndex.from_layers(crab, municipality_name="Asse")


@pytest.fixture(scope="module")
def wijken(folder) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    path = folder / "asse_boundaries_provinciesincijfers.gpkg"
    wijk = gpd.read_file(path, layer="wijken")
    wijk = wijk[wijk["in_asse"]].to_crs("EPSG:31370")
    groups = gpd.GeoDataFrame({"group_id": wijk["code"].astype(str), "name": wijk["naam"].astype(str)},
                              geometry=wijk.geometry.values, crs="EPSG:31370")
    muni = gpd.read_file(path, layer="municipalities")
    return groups, muni[muni["in_asse"]].to_crs("EPSG:31370")


def test_register_has_10994_addresses_without_duplicate_keys(crab):
    assert len(crab) == 10_994
    assert not crab.duplicated(["street", "housenumber", "suffix", "postcode"]).any()


def test_every_address_typed_back_is_found_at_its_own_point(crab, index):
    texts = [f"{s} {n}, {p} Asse" for s, n, p in zip(crab["street"], crab["typed_number"], crab["postcode"],
                                                      strict=True)]
    found = index.lookup_many(pd.Series(texts, index=crab.index))
    own = found["address_id"] == crab["address_id"]
    print(f"\ntyped back: {own.mean():.2%} of {len(crab)} found at their own point; statuses "
          f"{found['status'].value_counts().to_dict()}")
    assert own.all(), found.loc[~own, ["status", "message"]].head()
    assert found.geometry.geom_equals(crab.geometry).all()


def _with_typo(rng: random.Random, street: str, number: str, postcode: str, place: str) -> tuple[str, str]:
    kind = rng.choice(["drop", "swap", "abbreviation", "accents", "no_postcode"])
    letters = [i for i, c in enumerate(street) if c.isalpha()]
    if kind == "drop":
        i = rng.choice(letters[1:-1] or letters)
        street = street[:i] + street[i + 1:]
    elif kind == "swap":
        i = rng.choice(letters[1:-2] or letters[:1])
        street = street[:i] + street[i + 1] + street[i] + street[i + 2:]
    elif kind == "abbreviation":
        for full, short in _ABBREVIATIONS:
            if street.endswith(full):
                street = street[: -len(full)] + short
                break
    elif kind == "accents":
        street = strip_accents(street).lower()
    if kind == "no_postcode":
        return kind, f"{street} {number}"
    tail = f", {postcode}" if rng.random() < 0.5 else ""
    tail += rng.choice(["", " Asse", " " + place.split(" (")[0]])
    return kind, f"{street} {number}{tail}"


def test_realistic_typos_found_top1_or_among_suggestions(crab, index):
    rng = random.Random(2019)
    cases = [_with_typo(rng, s, n, p, d) for s, n, p, d in
             zip(crab["street"], crab["typed_number"], crab["postcode"], crab["deelgemeente"], strict=True)]
    results = [index.lookup(text) for _kind, text in cases]
    top1 = np.array([r.address_id == want for r, want in zip(results, crab["address_id"], strict=True)])
    suggested = np.array([any(s.address_id == want for s in r.suggestions)
                          for r, want in zip(results, crab["address_id"], strict=True)])
    kinds = pd.Series([k for k, _t in cases])
    per_kind = pd.Series(top1).groupby(kinds).mean().round(4).to_dict()
    print(f"\ntypos: top-1 {top1.mean():.2%}, among suggestions {(suggested & ~top1).mean():.2%}, "
          f"neither {(~top1 & ~suggested).mean():.2%}; top-1 per kind {per_kind}")
    assert top1.mean() >= 0.97
    missed = [cases[i][1] for i in np.flatnonzero(~top1 & ~suggested)]
    assert not missed, missed[:10]
    wrong_points = [r for r, ok in zip(results, top1, strict=True) if not ok and r.found and r.address_id]
    assert len(wrong_points) <= len(results) * 0.002  # a wrong address is rare: unsure answers give suggestions


def test_all_addresses_text_to_group_with_wijken_as_groups(crab, index, wijken):
    groups, municipality = wijken
    group_index = GroupIndex(groups, municipality_area=municipality)
    texts = pd.Series([f"{s} {n}" for s, n in zip(crab["street"], crab["typed_number"], strict=True)])
    found = index.lookup_many(texts)
    ok = found.geometry.notna()
    assigned = group_index.assign(found.geometry[ok])
    statuses = assigned["status"].value_counts().to_dict()
    print(f"\ntext → group on the wijken: {statuses}; not found {int((~ok).sum())}")
    assert set(statuses) <= {"toegewezen", "overlap", "niet_gedekt", "buiten_gemeente"}
    assert statuses.get("toegewezen", 0) >= 10_900
    # the same answer as a plain spatial join wherever the join is unambiguous
    joined = gpd.sjoin(gpd.GeoDataFrame(geometry=crab.geometry), groups, predicate="within", how="left")
    joined = joined[~joined.index.duplicated(keep=False)]
    direct = assign_points(crab.geometry, group_index)
    both = joined.index[joined["group_id"].notna()]
    assert (direct.loc[both, "group_id"] == joined.loc[both, "group_id"]).all()


def test_street_answer_for_a_street_that_crosses_wijken(crab, wijken):
    groups, _municipality = wijken
    index = GroupIndex(groups)
    answer = street_answer("Brusselse stwg", postcode="1730", addresses=crab, groups=index)
    print(f"\n{answer.text}")
    assert answer.text.startswith("Brusselsesteenweg ")
    assert len(answer.group_ids) >= 2
    on_street = crab[(crab["street"] == "Brusselsesteenweg") & (crab["postcode"] == "1730")]
    assert sum(p.count for p in answer.parts) >= on_street["housenumber"].nunique() * 0.9
