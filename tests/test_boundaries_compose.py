"""Composing group areas from streets, street sides, number ranges, blocks and gaps; snapping drawn lines."""

from __future__ import annotations

import pytest
import shapely

from buurtkaart.boundaries import (
    StreetPart,
    address_blocks,
    border_streets,
    compose_group,
    group_from_gap,
    select_addresses,
    snap_drawing,
    snap_geometry,
)
from buurtkaart.errors import InputError, NotFound
from tests import boundaries_town as town
from tests.conftest import square


def inside(area, addresses):
    return set(addresses.loc[addresses.intersects(area), "address_id"])


def test_whole_street_keeps_both_sides_and_nothing_else():
    addr = town.addresses()
    area = compose_group(addr, select_addresses(addr, [StreetPart("dorpstraat")]), streets=town.streets())
    assert inside(area, addr) == set(addr.loc[addr["street"] == "Dorpstraat", "address_id"])
    assert area.geom_type == "MultiPolygon" and len(area.geoms) == 1
    # the street itself lies in the area
    assert area.contains(town.line((20, 100), (380, 100)))


def test_odd_even_split_keeps_each_house_on_its_side():
    addr = town.addresses()
    odd = compose_group(addr, select_addresses(addr, [StreetPart("Dorpstraat", side="odd")]))
    even = compose_group(addr, select_addresses(addr, [StreetPart("Dorpstraat", side="even")]))
    dorp = addr[addr["street"] == "Dorpstraat"]
    assert inside(odd, addr) == set(dorp.loc[dorp["housenumber"] % 2 == 1, "address_id"])
    assert inside(even, addr) == set(dorp.loc[dorp["housenumber"] % 2 == 0, "address_id"])
    # the two sides meet on the street without overlapping
    assert shapely.intersection(odd, even).area < 1e-6


def test_house_number_range_and_ids_and_blocks():
    addr = town.addresses()
    part = StreetPart("Dorpstraat", side="odd", from_number=1, to_number=9)
    assert set(addr.loc[select_addresses(addr, [part]), "address_id"]) == {"D1", "D3", "D5", "D7", "D9"}
    assert part.describe() == "Dorpstraat (oneven 1-9)"
    chosen = select_addresses(addr, address_ids=["K1", "K2"])
    assert set(addr.loc[chosen, "address_id"]) == {"K1", "K2"}
    blocks = address_blocks(town.streets(), boundary=town.municipality())
    assert len(blocks) == 4 and blocks.area.round().eq(20_000).all()
    south_west = blocks[blocks.contains(town.pt(50, 50))]
    area = compose_group(addr, select_addresses(addr, blocks=south_west.geometry))
    assert inside(area, addr) == {f"D{n}" for n in range(1, 20, 2)} | {"K1", "K3"}


def test_unknown_street_and_empty_range_are_explained():
    addr = town.addresses()
    with pytest.raises(NotFound) as err:
        select_addresses(addr, [StreetPart("Dorpstrat"), StreetPart("Kerkstraat", from_number=90)])
    assert len(err.value.problems) == 2
    assert "dorpstraat" in err.value.problems[0]
    with pytest.raises(InputError):
        compose_group(addr, [False] * len(addr))


def test_gap_becomes_group_without_existing_groups():
    gap = shapely.MultiPolygon([square(150, 50, 100)]).union(square(380, 0, 100))
    area = group_from_gap(gap, groups=town.groups().iloc[:1], boundary=town.municipality())
    assert area.area == pytest.approx(100 * 100 + 20 * 100 - 50 * 100 - 20 * 0)
    assert shapely.intersection(area, town.groups().geometry.iloc[0]).area < 1e-6
    with pytest.raises(InputError):
        group_from_gap(square(1000, 1000), boundary=town.municipality())


def test_line_a_few_metres_off_a_street_snaps_onto_it():
    street = town.streets().geometry.iloc[0]
    drawn = town.line((20, 103), (120, 96), (180, 104))
    snapped = snap_geometry(drawn, [street], tolerance_m=8)
    assert snapped.hausdorff_distance(town.line((20, 100), (180, 100))) < 1e-6
    # far away (30 m): left alone
    far = town.line((20, 130), (180, 130))
    assert snap_geometry(far, [street], tolerance_m=8).hausdorff_distance(far) < 1e-6


def test_drawn_polygon_snaps_to_street_and_keeps_the_street_whole():
    addr, streets = town.addresses(), town.streets()
    drawn = town.poly((0, 0), (150, 0), (150, 104), (0, 97))  # top edge drawn around Dorpstraat (y = 100)
    split = snap_drawing(drawn, streets=streets, addresses=addr, tolerance_m=8, split_streets=True)
    assert abs(split.bounds[3] - (town.Y0 + 100)) < 1e-6
    south = {f"D{2 * i + 1}" for i in range(8)}
    assert inside(split, addr) == south
    whole = snap_drawing(drawn, streets=streets, addresses=addr, tolerance_m=8)
    assert inside(whole, addr) == south | {f"D{2 * i + 2}" for i in range(8)}
    assert len(border_streets(split, streets, tolerance_m=8)) == 1


def test_drawn_polygon_snaps_to_neighbour_border():
    groups = town.groups()
    drawn = town.poly((0, 0), (197, 0), (196, 200), (0, 200))  # east edge 3-4 m short of G2
    snapped = snap_drawing(drawn, streets=town.streets().iloc[:0], groups=groups, group_id="G1", tolerance_m=8)
    gap = shapely.difference(shapely.box(*groups.total_bounds), shapely.union(snapped, groups.geometry.iloc[1]))
    assert gap.area < 1e-6
