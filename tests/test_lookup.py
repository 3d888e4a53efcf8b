"""The geocoder on a register you can draw: every way of being found, and never a silent guess.

Kerkstraat exists twice: in 1730 (Asse, along y = 0) and in 1731 (Zellik, along y = 1000). Odd numbers on the
south side (y = -10), even on the north side (y = +10), 10 m per number step.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from buurtkaart.errors import InputError
from buurtkaart.geocoding.lookup import FOUND, AddressIndex
from buurtkaart.schema import WORKING_CRS
from tests.conftest import X0, Y0


def _register() -> gpd.GeoDataFrame:
    rows = []

    def add(street, number, postcode, place, y0, *, suffix=None, box=None, dx=0.0):
        side = -10 if number % 2 else 10
        rows.append({"address_id": f"{street[:3]}{postcode}-{number}{suffix or ''}{'-' + box if box else ''}",
                     "street": street, "housenumber": number, "suffix": suffix, "box": box, "postcode": postcode,
                     "deelgemeente": place, "geometry": shapely.Point(X0 + number * 5 + dx, Y0 + y0 + side)})

    for n in (1, 3, 5, 9, 11, 2, 4, 8, 10):
        add("Kerkstraat", n, "1730", "Asse", 0)
    for n in (1, 3, 5, 7):
        add("Kerkstraat", n, "1731", "Zellik", 1000)
    for n in (1, 2, 3):
        add("Nerviërsstraat", n, "1730", "Asse", 2000)
    for n in (45, 47):
        add("Brusselsesteenweg", n, "1731", "Zellik", 3000)
    add("Brusselsesteenweg", 45, "1731", "Zellik", 3000, box="3", dx=0.5)
    add("Kalkoven", 7, "1730", "Asse", 4000)
    add("Kalkoven", 7, "1730", "Asse", 4000, suffix="B", dx=1.0)
    add("Jan Dekinderstraat", 10, "1730", "Asse", 5000)
    for n in (5, 7):
        add("Bergstraat", n, "1730", "Asse", 6000)
        add("Berkstraat", n, "1730", "Asse", 7000)
    frame = pd.DataFrame(rows)
    return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=list(frame["geometry"]), crs=WORKING_CRS)


@pytest.fixture(scope="module")
def index() -> AddressIndex:
    streets = gpd.GeoDataFrame({"name": ["Veldweg"], "deelgemeente": ["Mollem"]},
                               geometry=[shapely.LineString([(X0, Y0 + 9000), (X0 + 200, Y0 + 9000)])],
                               crs=WORKING_CRS)
    return AddressIndex.from_layers(_register(), streets, municipality_name="Asse")


@pytest.mark.parametrize(
    ("text", "address_id"),
    [
        ("Nerviërsstraat 2, 1730 Asse", "Ner1730-2"),
        ("nervierstraat 2 asse", "Ner1730-2"),
        ("Brusselse steenweg 45 bus 3 Zellik", "Bru1731-45-3"),
        ("Brusselsestwg 45", "Bru1731-45"),
        ("Kalkoven 7b", "Kal1730-7B"),
        ("Kalkoven 7", "Kal1730-7"),
        ("Jan Dekinderstr. 10", "Jan1730-10"),
        ("Kerkstraat 9, 1730", "Ker1730-9"),
        ("Kerkstraat 9", "Ker1730-9"),  # only Asse's Kerkstraat has a 9
        ("Kerkstraat 3 Zellik", "Ker1731-3"),
        ("Kerkstraat 3, 1731", "Ker1731-3"),
    ],
)
def test_found_at_its_register_point(index, text, address_id):
    result = index.lookup(text)
    assert result.found, result.message
    assert result.address_id == address_id
    assert result.point == index.addresses.set_index("address_id").geometry[address_id]


def test_exact_and_fuzzy_say_how_they_were_found(index):
    assert index.lookup("Kalkoven 7").status == "exact"
    fuzzy = index.lookup("Kalkovn 7")  # a letter dropped
    assert fuzzy.status == "fuzzy_street" and fuzzy.address_id == "Kal1730-7"
    assert "Kalkovn" in fuzzy.message and "Kalkoven" in fuzzy.message
    swapped = index.lookup("Nerivërsstraat 3")
    assert swapped.status == "fuzzy_street" and swapped.address_id == "Ner1730-3"


def test_homonymous_street_without_postcode_is_ambiguous_with_both_suggestions(index):
    result = index.lookup("Kerkstraat 3")
    assert result.status == "ambiguous" and result.point is None
    assert {s.address_id for s in result.suggestions} == {"Ker1730-3", "Ker1731-3"}
    assert "1730" in result.message and "1731" in result.message


def test_two_close_street_names_are_not_guessed(index):
    result = index.lookup("Bertstraat 5")
    assert result.status == "ambiguous"
    assert {s.street for s in result.suggestions[:2]} == {"Bergstraat", "Berkstraat"}


def test_missing_number_is_interpolated_on_the_same_side(index):
    result = index.lookup("Kerkstraat 7, 1730")  # 5 and 9 exist on the odd side; 8 is on the other side
    assert result.status == "interpolated" and result.address_id is None
    assert result.point.x == pytest.approx(X0 + 35) and result.point.y == pytest.approx(Y0 - 10)
    assert "5" in result.message and "9" in result.message
    even = index.lookup("Kerkstraat 6, 1730")
    assert even.point.x == pytest.approx(X0 + 30) and even.point.y == pytest.approx(Y0 + 10)


def test_unknown_suffix_uses_the_number_and_says_so(index):
    result = index.lookup("Kalkoven 7C")
    assert result.status == "interpolated" and "7C" in result.message
    assert result.point == index.lookup("Kalkoven 7").point


def test_street_only(index):
    result = index.lookup("Kerkstraat, 1731 Zellik")
    assert result.status == "street_only" and result.point is None and result.street == "Kerkstraat"
    beyond = index.lookup("Kerkstraat 99, 1730")
    assert beyond.status == "street_only"
    assert [s.housenumber for s in beyond.suggestions][:2] == [11, 10]
    line_only = index.lookup("Veldweg")
    assert line_only.status == "street_only" and line_only.street == "Veldweg"


def test_postcode_typed_as_number_is_read_as_postcode(index):
    assert index.lookup("Kerkstraat 1731 Zellik").status == "street_only"


def test_not_found_and_empty(index):
    assert index.lookup("Qqqqwwww 5").status == "not_found"
    assert index.lookup("").status == "not_found"
    assert index.lookup("   ").message.startswith("Geef een adres in")


def test_lookup_many_is_indexed_like_its_input(index):
    texts = pd.Series(["Kalkoven 7", "Kerkstraat 3", None, "Kalkoven 7"], index=["a", "b", "c", "d"])
    out = index.lookup_many(texts)
    assert list(out.index) == ["a", "b", "c", "d"]
    assert out["status"].tolist() == ["exact", "ambiguous", "not_found", "exact"]
    assert out.crs == WORKING_CRS and out.geometry["a"] == out.geometry["d"]
    assert "Kerkstraat 3, 1730" in out.loc["b", "suggestions"]
    assert set(out["status"]) - {"ambiguous", "not_found"} <= FOUND


def test_result_to_dict_is_json_ready(index):
    data = index.lookup("Brusselse steenweg 45 bus 3").to_dict()
    assert data["status"] == "exact" and data["housenumber"] == "45 bus 3" and data["postcode"] == "1731"
    assert isinstance(data["x"], float)


def test_bad_layer_is_refused_with_every_problem():
    register = _register().drop(columns=["street"]).to_crs("EPSG:4326")
    with pytest.raises(InputError) as err:
        AddressIndex.from_layers(register)
    assert "street" in str(err.value) and "EPSG:4326" in str(err.value)


def test_same_street_name_in_two_deelgemeenten_of_one_postcode():
    """Two Dorpstraten in postcode 1730 (Mollem and Kobbegem) with the same numbers: the place decides."""
    points = [shapely.Point(X0 + n * 5, Y0 + dy) for dy in (0, 5000) for n in (1, 2, 3)]
    register = gpd.GeoDataFrame(
        {"address_id": [f"{p}{n}" for p in ("M", "K") for n in (1, 2, 3)], "street": "Dorpstraat",
         "housenumber": [1, 2, 3] * 2, "postcode": "1730", "deelgemeente": ["Mollem"] * 3 + ["Kobbegem"] * 3},
        geometry=points, crs=WORKING_CRS)
    index = AddressIndex.from_layers(register, municipality_name="Asse")
    assert index.lookup("Dorpstraat 2, 1730 Kobbegem").address_id == "K2"
    assert index.lookup("Dorpstraat 2 Mollem").address_id == "M2"
    unsure = index.lookup("Dorpstraat 2, 1730 Asse")
    assert unsure.status == "ambiguous" and {s.address_id for s in unsure.suggestions} == {"M2", "K2"}


def test_number_typed_without_the_registers_only_suffix():
    register = gpd.GeoDataFrame(
        {"address_id": ["a33", "a35A", "a37"], "street": "Molenweg", "housenumber": [33, 35, 37],
         "suffix": [None, "A", None], "postcode": "1730"},
        geometry=[shapely.Point(X0, Y0), shapely.Point(X0 + 10, Y0), shapely.Point(X0 + 20, Y0)], crs=WORKING_CRS)
    result = AddressIndex.from_layers(register).lookup("Molenweg 35")
    assert result.status == "interpolated" and result.point == shapely.Point(X0 + 10, Y0)
    assert "35A" in result.message


def test_unknown_street_in_another_municipalitys_postcode_is_not_guessed(index):
    result = index.lookup("Grensstraat 14, 9998 Buitenwijk")
    assert result.status == "not_found" and result.point is None
    assert "9998" in result.message and "andere gemeente" in result.message


def test_a_typo_in_the_postcode_of_a_known_street_is_still_found(index):
    assert index.lookup("Nerviërsstraat 2, 1703 Asse").found


def test_homonyms_in_one_postcode_are_told_apart_in_the_suggestions():
    rows = []
    for place, y in (("Demodorp", 0.0), ("Heikegem", 3000.0)):
        for n in (8, 10, 12):
            rows.append({"address_id": f"{place}-{n}", "street": "Kerkstraat", "housenumber": n, "postcode": "9995",
                         "deelgemeente": place, "geometry": shapely.Point(X0 + n * 5, Y0 + y + 10)})
    frame = pd.DataFrame(rows)
    register = gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=list(frame["geometry"]), crs=WORKING_CRS)
    result = AddressIndex.from_layers(register, register.iloc[:0], municipality_name="Demodorp").lookup("Kerkstraat 10")
    assert result.status == "ambiguous"
    labels = [s.label for s in result.suggestions]
    assert labels == sorted(set(labels), key=labels.index) and len(labels) == 2
    assert {"Kerkstraat 10, 9995 Demodorp", "Kerkstraat 10, 9995 Heikegem"} == set(labels)
    assert index_lookup_found(register, "Kerkstraat 10, 9995 Heikegem") == "Heikegem-10"


def index_lookup_found(register, text):
    return AddressIndex.from_layers(register, register.iloc[:0], municipality_name="Demodorp").lookup(text).address_id
