"""Reading addresses as people type them."""

from __future__ import annotations

import pytest

from buurtkaart.geocoding.addressing import parse_address, place_key, split_housenumber, street_key


@pytest.mark.parametrize(
    ("text", "street", "number", "suffix", "box", "postcode", "place"),
    [
        ("Nerviërsstraat 12, 1730 Asse", "Nerviërsstraat", 12, None, None, "1730", "Asse"),
        ("nervierstraat 12 asse", "nervierstraat", 12, None, None, None, "asse"),
        ("Brusselse steenweg 45 bus 3 Zellik", "Brusselse steenweg", 45, None, "3", None, "Zellik"),
        ("Kalkoven 7b", "Kalkoven", 7, "B", None, None, None),
        ("Kalkoven 7 B", "Kalkoven", 7, "B", None, None, None),
        ("Jan Dekinderstr. 10", "Jan Dekinderstr.", 10, None, None, None, None),
        ("Kerkstraat 12/3", "Kerkstraat", 12, None, "3", None, None),
        ("Kerkstraat 12 b3", "Kerkstraat", 12, None, "3", None, None),
        ("Kerkstraat 12A bus 2, 1731 Zellik", "Kerkstraat", 12, "A", "2", "1731", "Zellik"),
        ("Kerkstraat nr. 5", "Kerkstraat", 5, None, None, None, None),
        ("1730 Asse, Kerkstraat 7", "Kerkstraat", 7, None, None, "1730", "Asse"),
        ("Z. 4 Broekooi 12", "Z. 4 Broekooi", 12, None, None, None, None),
        ("  KERKSTRAAT   3  ", "KERKSTRAAT", 3, None, None, None, None),
        ("Kerkstraat 3, 1730 Asse, België", "Kerkstraat", 3, None, None, "1730", "Asse, België"),
    ],
)
def test_parse(text, street, number, suffix, box, postcode, place):
    parsed = parse_address(text)
    assert (parsed.street, parsed.housenumber, parsed.suffix, parsed.box, parsed.postcode, parsed.place) == (
        street, number, suffix, box, postcode, place)


def test_parse_without_number():
    parsed = parse_address("Kerkstraat, Asse")
    assert (parsed.street, parsed.housenumber, parsed.place) == ("Kerkstraat", None, "Asse")
    parsed = parse_address("Kerkstraat 1730 Asse")  # read as number 1730; the lookup retries it as a postcode
    assert parsed.housenumber == 1730
    assert parse_address("").street_key == ""


@pytest.mark.parametrize(
    ("typed", "register"),
    [
        ("Brusselse stwg", "Brusselsesteenweg"),
        ("brusselsestwg", "Brusselsesteenweg"),
        ("NERVIERSSTRAAT", "Nerviërsstraat"),
        ("St.-Goriksstraat", "Sint Goriksstraat"),
        ("Sint-Goriksstraat", "Sint Goriksstraat"),
        ("Waalborreln", "Waalborrelaan"),
        ("Markt pl.", "Marktplein"),
        ("Jan Dekinderstr.", "Jan De Kinderstraat"),
        ("O.L.V.-straat", "Onze-Lieve-Vrouwstraat"),
        ("'s Herenweg", "S Herenweg"),
    ],
)
def test_street_key_reads_loose_spellings_the_same(typed, register):
    assert street_key(typed) == street_key(register)


def test_street_key_keeps_different_streets_apart():
    assert street_key("Kerkstraat") != street_key("Kerkplein")
    assert street_key("Stationsstraat") == "stationsstraat"  # 'str' inside a word is not an abbreviation


def test_place_key():
    assert place_key("Asse (Dg.)") == "asse"
    assert place_key("ZELLIK") == "zellik"


def test_split_housenumber_register_values():
    assert split_housenumber("55A") == (55, "A", None)
    assert split_housenumber("3 bte 12") == (3, None, "12")
    assert split_housenumber(None) is None
