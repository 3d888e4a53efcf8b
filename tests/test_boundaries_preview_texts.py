"""Previews that never contradict themselves, and the street picker per deelgemeente (issue 16, point 6)."""

from __future__ import annotations

import pandas as pd

from buurtkaart.boundaries import EditContext, StreetPart, preview_edit, select_addresses, street_parts
from tests import boundaries_town as town


def _west_only() -> EditContext:
    groups = town.groups()
    return EditContext(groups=groups[groups["group_id"] == "G1"].reset_index(drop=True), streets=town.streets(),
                       addresses=town.addresses(), municipality_area=town.municipality())


def test_a_new_group_on_empty_land_cannot_be_saved_and_says_why():
    empty_land = town.poly((300, 130), (380, 130), (380, 190), (300, 190))
    preview = preview_edit(_west_only(), "G3", empty_land, name="Leeg")
    assert preview.check.households == 0
    assert "no_addresses" in {f.code for f in preview.check.findings} and not preview.can_save
    headline = preview.impact.headline()
    # the border of G3 changes and nothing else: the headline says exactly that, never "Niets verandert"
    assert headline.startswith("De grens van groep G3 verandert") and "geen enkel adres" in headline
    assert "Niets verandert" not in headline and preview.impact.lines() == []


def test_headline_counts_with_plurals_and_nothing_when_nothing_changes():
    ctx = _west_only()
    east = town.poly((200, 0), (400, 0), (400, 200), (200, 200))
    preview = preview_edit(ctx, "G2", east, name="Oost")
    headline = preview.impact.headline()
    assert preview.can_save and headline.startswith("Verandert van groep: **24** adressen en **2** straten.")
    assert "groep G2" in headline and "groep(en)" not in headline
    same = preview_edit(preview_context(preview), "G2", east, name="Oost")
    assert same.impact.headline() == "Niets verandert: dit is het opgeslagen gebied." and not same.can_save


def preview_context(preview) -> EditContext:
    return EditContext(groups=preview.groups, streets=town.streets(), addresses=town.addresses(),
                       municipality_area=town.municipality())


def test_findings_table_names_checks_in_dutch_not_codes():
    empty_land = town.poly((300, 130), (380, 130), (380, 190), (300, 190))
    table = preview_edit(_west_only(), "G3", empty_land).check.table()
    assert list(table.columns) == ["controle", "ernst", "uitleg"]
    assert "geen adressen" in set(table["controle"]) and "no_addresses" not in table.to_string()


def test_a_street_name_in_two_deelgemeenten_is_listed_and_selected_per_deelgemeente():
    addresses = town.addresses()
    addresses["deelgemeente"] = ["Mollem" if name == "Kerkstraat" and y > 100 else "Asse"
                                 for name, y in zip(addresses["street"], addresses.geometry.y - town.Y0, strict=True)]
    parts = street_parts(addresses)
    assert list(parts) == ["Dorpstraat", "Kerkstraat (Asse)", "Kerkstraat (Mollem)"]
    chosen = select_addresses(addresses, [parts["Kerkstraat (Mollem)"]])
    assert set(addresses.loc[chosen, "address_id"]) == {"K5", "K6", "K7", "K8"}
    assert StreetPart("Kerkstraat", side="odd", deelgemeente="Mollem").describe() == "Kerkstraat, Mollem (oneven)"
    whole = select_addresses(addresses, [StreetPart("Kerkstraat")])
    assert int(whole.sum()) == 8 and isinstance(whole, pd.Series)
