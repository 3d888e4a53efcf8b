"""The fictional demo town and the synthetic region: deterministic, schema-conform, and shaped like the real thing."""

from __future__ import annotations

import re
from itertools import combinations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from geopandas.testing import assert_geodataframe_equal

from buurtkaart.cli import main
from buurtkaart.errors import InputError
from buurtkaart.schema import LAYERS, WORKING_CRS
from buurtkaart.synthetic import demo_layers, ensure_demo_workspace, make_demo_workspace, synthetic_region
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, conform


@pytest.fixture(scope="module")
def town() -> dict[str, gpd.GeoDataFrame]:
    return demo_layers(seed=2019)


@pytest.fixture(scope="module")
def region() -> dict[str, gpd.GeoDataFrame]:
    return synthetic_region(n_addresses=20_000, n_groups=40, seed=3)


def _graph(streets: gpd.GeoDataFrame) -> nx.MultiGraph:
    coords = shapely.get_coordinates(shapely.boundary(streets.geometry.values)).round(3).reshape(-1, 2, 2)
    graph = nx.MultiGraph()
    graph.add_edges_from((tuple(a), tuple(b)) for a, b in coords)
    return graph


def _covering(addresses: gpd.GeoDataFrame, groups: gpd.GeoDataFrame) -> pd.Series:
    """Number of groups whose area holds each address."""
    pt, _ = shapely.STRtree(groups.geometry.values).query(addresses.geometry.values, predicate="within")
    return pd.Series(np.bincount(pt, minlength=len(addresses)), index=addresses.index)


# --------------------------------------------------------------------------------------------- demo town
def test_same_seed_gives_identical_layers(town):
    again = demo_layers(seed=2019)
    assert set(again) == set(town)
    for name in town:
        assert_geodataframe_equal(again[name], town[name])


def test_other_seed_gives_another_town(town):
    other = demo_layers(seed=7)
    assert len(other["groups"]) == 24
    ours, theirs = (shapely.get_coordinates(lay["addresses"].geometry.values[:100]) for lay in (town, other))
    assert not np.allclose(ours, theirs)


def test_bad_seed_is_refused_in_dutch(tmp_path):
    with pytest.raises(InputError, match="startgetal"):
        demo_layers(seed=-1)
    result = CliRunner().invoke(main, ["--workspace", str(tmp_path / "x.gpkg"), "demo", "--seed", "-3"])
    assert result.exit_code == 2 and not (tmp_path / "x.gpkg").exists()


def test_counts_and_place(town):
    assert len(town["municipality"]) == 1
    assert len(town["deelgemeenten"]) == 6
    assert len(town["groups"]) == 24
    assert 3 <= len(town["wijken"]) <= 8
    assert 8_500 <= len(town["addresses"]) <= 11_500
    assert 1_300 <= len(town["members"]) <= 1_700
    muni = town["municipality"].geometry.iloc[0]
    assert 30e6 <= muni.area <= 50e6
    assert abs(muni.centroid.x - 140_000) < 2_000 and abs(muni.centroid.y - 175_000) < 2_000
    # the deelgemeenten tile the municipality
    assert abs(town["deelgemeenten"].area.sum() - muni.area) < 1.0
    assert town["addresses"].within(muni).all()


def test_every_layer_conforms_to_the_schema(town):
    for name, frame in town.items():
        checked = conform(name, frame)
        assert list(checked.columns[: len(LAYERS[name].columns)]) == list(LAYERS[name].columns)
        assert frame.crs == WORKING_CRS


def test_clearly_fictional(town):
    assert "fictief" in town["municipality"]["name"].iloc[0]
    assert set(town["deelgemeenten"]["postcode"]) <= {"9995", "9996", "9997"}
    assert town["members"]["email"].str.endswith("@example.be").all()


def test_street_network_is_connected_and_split_at_junctions(town):
    streets = town["streets"]
    assert nx.is_connected(_graph(streets))
    geoms = streets.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    meet = shapely.intersection(geoms[left[pairs]], geoms[right[pairs]])
    # two segments only ever meet in an end point of both
    assert (shapely.distance(meet, shapely.boundary(geoms[left[pairs]])) < 1e-6).all()
    assert (shapely.distance(meet, shapely.boundary(geoms[right[pairs]])) < 1e-6).all()
    assert shapely.get_type_id(meet).max() == 0  # points only, no shared stretches


def test_road_hierarchy(town):
    streets = town["streets"]
    classes = set(streets["road_class"])
    assert {"primary", "tertiary", "minor", "path", "track"} <= classes
    nroad = streets[streets["road_class"] == "primary"]
    assert set(nroad["authority"]) == {"gewest"} and set(nroad["ref"]) == {"N98"}
    assert set(streets.loc[streets["road_class"] != "primary", "authority"]) == {"gemeente"}
    graph = _graph(streets)
    dead_ends = [n for n, d in graph.degree() if d == 1]
    assert len(dead_ends) >= 12  # cul-de-sacs in every village, the track, the N-road leaving the town
    assert streets["name"].notna().all()


def test_street_names_exercise_the_address_parser(town):
    names = set(town["addresses"]["street"])
    assert {"Nerviërsstraat", "Brusselsesteenweg", "Jan Dekinderstraat", "Kerkstraat"} <= names
    assert any(n.endswith("laan") for n in names) and any(n.endswith("plein") for n in names)


def test_homonym_in_two_deelgemeenten(town):
    kerk = town["addresses"][town["addresses"]["street"] == "Kerkstraat"]
    assert kerk["deelgemeente"].nunique() == 2
    assert kerk["postcode"].nunique() == 1  # same postcode: only the deelgemeente tells them apart
    parts = kerk.dissolve("deelgemeente").centroid
    assert parts.iloc[0].distance(parts.iloc[1]) > 1_500


def test_house_numbers_odd_left_even_right_increasing(town):
    assert _check_numbering(town) > 100


def _check_numbering(town: dict[str, gpd.GeoDataFrame]) -> int:
    """Per street (and per part, for homonyms): one parity per side, numbers monotonic along the street."""
    addresses, streets = town["addresses"], town["streets"]
    checked = 0
    for name, addr in addresses.groupby("street"):
        merged = shapely.line_merge(shapely.union_all(streets.loc[streets["name"] == name].geometry.values))
        parts = shapely.get_parts(merged)
        points = addr.geometry.values
        part = np.argmin(np.stack([shapely.distance(points, p) for p in parts], axis=1), axis=1)
        for k, line in enumerate(parts):
            sel = part == k
            if not sel.any():
                continue
            pos = shapely.line_locate_point(line, points[sel])
            ahead = shapely.get_coordinates(shapely.line_interpolate_point(line, pos + 0.5))
            behind = shapely.get_coordinates(shapely.line_interpolate_point(line, pos - 0.5))
            here = shapely.get_coordinates(points[sel])
            tangent, offset = ahead - behind, here - behind
            side = np.sign(tangent[:, 0] * offset[:, 1] - tangent[:, 1] * offset[:, 0])
            numbers = addr["housenumber"].to_numpy()[sel].astype(int)
            for s in (-1, 1):
                on_side = side == s
                if on_side.sum() < 2:
                    continue
                assert len(set(numbers[on_side] % 2)) == 1, (name, s)
                ordered = numbers[on_side][np.argsort(pos[on_side], kind="stable")]
                steps = np.diff(ordered)
                assert (steps >= 0).all() or (steps <= 0).all(), (name, s)
            if (side == 1).any() and (side == -1).any():
                assert set(numbers[side == 1] % 2) != set(numbers[side == -1] % 2), name
            checked += 1
    return checked


def test_addresses_sit_beside_their_own_street(town):
    addresses, streets = town["addresses"], town["streets"]
    nearest = streets.sindex.nearest(addresses.geometry.values, return_all=False)[1]
    assert (streets["name"].to_numpy()[nearest] == addresses["street"].to_numpy()).mean() > 0.995
    own = np.array([shapely.distance(pt, shapely.union_all(streets.geometry.values[streets["name"].to_numpy() == s]))
                    for pt, s in zip(addresses.geometry.values[:400], addresses["street"].to_numpy()[:400],
                                     strict=True)])
    assert (own >= 9.5).all() and (own <= 25.5).all()


def test_flemish_house_numbers(town):
    addresses = town["addresses"]
    assert addresses["suffix"].eq("A").sum() > 50
    boxed = addresses[addresses["box"].notna()]
    assert len(boxed) > 500 and boxed["box"].str.contains(r"\.").any()
    key = ["deelgemeente", "street", "housenumber", "suffix", "box"]
    assert not addresses[key].astype(str).duplicated().any()
    assert addresses["postcode"].notna().all() and addresses["deelgemeente"].notna().all()


def test_groups_leave_gaps_and_overlap_exactly_once(town):
    groups, addresses = town["groups"], town["addresses"]
    pairs = _overlapping_pairs(groups)
    assert [tuple(groups["group_id"].iloc[list(p)]) for p in pairs] == [("G05", "G07")]  # as the README says
    count = _covering(addresses, groups)
    assert (count == 2).sum() > 10  # the overlap holds houses
    assert count.max() == 2
    assert (count == 0).sum() > 1_000  # gaps and ribbon houses
    assert groups["group_id"].tolist() == [f"G{k:02d}" for k in range(1, 25)]
    # names are bare ("Kerkwijk"): texts say "groep {name}", so a name never repeats the word
    assert not groups["name"].str.lower().str.startswith("groep").any() and groups["name"].is_unique


def _overlapping_pairs(groups: gpd.GeoDataFrame) -> list[tuple[int, int]]:
    return [(a, b) for a, b in combinations(range(len(groups)), 2)
            if groups.geometry.iloc[a].intersection(groups.geometry.iloc[b]).area > 0.01]


@pytest.mark.parametrize("seed", [1, 4])
def test_invariants_hold_for_other_seeds(seed):
    other = demo_layers(seed=seed)
    assert nx.is_connected(_graph(other["streets"]))
    assert len(_overlapping_pairs(other["groups"])) == 1
    assert _check_numbering(other) > 100
    assert (_covering(other["addresses"], other["groups"]) == 0).sum() > 1_000


def test_a_group_border_runs_along_a_street(town):
    groups, addresses = town["groups"], town["addresses"]
    pt, grp = shapely.STRtree(groups.geometry.values).query(addresses.geometry.values, predicate="within")
    frame = pd.DataFrame({"street": addresses["street"].to_numpy()[pt], "dg": addresses["deelgemeente"].to_numpy()[pt],
                          "odd": addresses["housenumber"].to_numpy()[pt] % 2 == 1, "group": grp})
    # a street whose odd houses lie in one group (none of its even ones) and even houses in another
    counts = frame.groupby(["street", "dg", "group"])["odd"].agg(["sum", "count"])
    only_odd = counts[(counts["sum"] >= 5) & (counts["sum"] == counts["count"])].reset_index()
    only_even = counts[(counts["sum"] == 0) & (counts["count"] >= 5)].reset_index()
    split = only_odd.merge(only_even, on=["street", "dg"], suffixes=("_odd", "_even"))
    assert len(split[split["group_odd"] != split["group_even"]]) >= 1


def test_members_link_to_the_address_and_group_they_live_at(town):
    members, addresses, groups = town["members"], town["addresses"], town["groups"]
    assert set(members["status"]) <= {"kandidaat", "goedgekeurd", "geweigerd", "lid", "vertrokken"}
    assert (members["status"] == "lid").mean() > 0.7
    assert members["phone"].map(lambda p: bool(re.fullmatch(r"04\d\d \d\d \d\d \d\d", p))).all()
    assert members["email"].is_unique
    regular = members[members["member_id"].str.match(r"M\d{4}$") & ~members["member_id"].str.startswith("M9")]
    by_id = addresses.set_index("address_id")
    linked = by_id.loc[regular["address_id"]]
    assert (linked.geometry.values == regular.geometry.values).all()
    holder = groups.set_index("group_id").geometry
    assert all(holder[g].covers(p) for g, p in zip(regular["group_id"], regular.geometry, strict=True))
    assert (members["applied_on"] <= members["status_on"]).all()


def test_member_assign_status_agrees_with_the_assignment_module(town):
    from buurtkaart.assignment.points import assign_points

    members = town["members"]
    found = assign_points(members.geometry, town["groups"], municipality_area=town["municipality"])
    expected = members["assign_status"].replace({"toegewezen_door_gemeente": "overlap", "geen_punt": "niet_gedekt"})
    assert (found["status"] == expected).all()
    assigned = found["status"] == "toegewezen"
    assert (found.loc[assigned, "group_id"] == members.loc[assigned, "group_id"]).all()
    overlap = found["status"] == "overlap"
    assert overlap.sum() >= 5
    assert all(g in ids for g, ids in zip(members.loc[overlap, "group_id"], found.loc[overlap, "groups"], strict=True))


def test_member_workflow_dates_and_actors(town):
    members = town["members"]
    for status, needed in {"lid": ["screened_on", "added_on", "added_by"], "geweigerd": ["refusal_reason"],
                           "vertrokken": ["left_on"], "goedgekeurd": ["screened_by"]}.items():
        assert members.loc[members["status"] == status, needed].notna().all().all(), status
    screened = members[members["screened_on"].notna()]
    assert (screened["applied_on"] <= screened["screened_on"]).all()
    added = members[members["added_on"].notna()]
    assert (added["screened_on"] <= added["added_on"]).all()
    assert set(members.loc[members["group_id"] == "G01", "added_by"].dropna()) == {"demo-coordinator"}
    candidates = members[members["status"] == "kandidaat"]
    assert candidates["screened_on"].isna().all() and (candidates["status_by"] == "publiek").all()


def test_problem_members(town):
    members = town["members"].set_index("member_id")
    groups, muni = town["groups"], town["municipality"].geometry.iloc[0]
    addresses = town["addresses"].set_index("address_id")
    typos = members.loc[["M9001", "M9002", "M9003", "M9004"]]
    for _, row in typos.iterrows():
        addr = addresses.loc[row["address_id"]]
        assert not row["address_text"].startswith(addr["street"] + " ")
    assert pd.isna(members.loc["M9011", "address_id"]) and "Fantasiestraat" in members.loc["M9011", "address_text"]
    assert not muni.contains(members.loc["M9021"].geometry) and pd.isna(members.loc["M9021", "group_id"])
    gap = members.loc[[f"M903{k}" for k in range(1, 7)]]
    assert gap["group_id"].isna().all() and gap["address_id"].notna().all()
    assert not any(groups.geometry.union_all().covers(p) for p in gap.geometry)


# --------------------------------------------------------------------------------------------- workspace and CLI
def test_make_and_ensure_demo_workspace(tmp_path, town):
    path = tmp_path / "demo.gpkg"
    ws = ensure_demo_workspace(path)
    assert ws.is_fictional and "fictief" in ws.metadata["municipality"]
    assert ws.metadata["seed"] == "2019"
    assert len(ws.read("addresses")) == len(town["addresses"])
    assert {"demo-gemeente", "demo-politie", "demo-coordinator"} <= set(ws.read("users")["username"])
    token = ws.version_token
    again = ensure_demo_workspace(path)  # opens, does not rebuild
    assert again.version_token == token
    remade = make_demo_workspace(path, seed=5)
    assert remade.metadata["seed"] == "5"


def test_cli_demo_creates_and_recreates(tmp_path):
    path = tmp_path / "cli.gpkg"
    runner = CliRunner()
    result = runner.invoke(main, ["--workspace", str(path), "demo", "--seed", "11"])
    assert result.exit_code == 0, result.output
    assert "Demodorp (fictief)" in result.output and t("core.fictional_banner") in result.output
    counts = dict(re.findall(r"^\s+(\w+)\s+(\d+)$", result.output, flags=re.M))
    assert counts["groups"] == "24" and int(counts["addresses"]) > 8_000
    assert "demo-coordinator (coordinator)" in result.output
    assert Workspace.open(path).metadata["seed"] == "11"
    result = runner.invoke(main, ["--workspace", str(path), "demo"])  # a demo may be replaced without --force
    assert result.exit_code == 0, result.output
    assert Workspace.open(path).metadata["seed"] == "2019"


def test_cli_demo_refuses_to_overwrite_real_data(tmp_path):
    path = tmp_path / "echt.gpkg"
    Workspace.create(path, {}, municipality="Echtegem", fictional=False)
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["--workspace", str(path), "demo"])
    assert result.exit_code == 1
    assert "--force" in result.output
    assert path.read_bytes() == before
    result = CliRunner().invoke(main, ["--workspace", str(path), "demo", "--force"])
    assert result.exit_code == 0, result.output
    assert Workspace.open(path).is_fictional


# --------------------------------------------------------------------------------------------- region
def test_region_counts_and_schema(region):
    assert len(region["addresses"]) == 20_000
    assert len(region["groups"]) == 40
    for name, frame in region.items():
        conform(name, frame)
    assert region["addresses"]["address_id"].is_unique
    key = ["deelgemeente", "street", "housenumber", "suffix"]
    assert not region["addresses"][key].astype(str).duplicated().any()
    muni = region["municipality"].geometry.iloc[0]
    assert region["addresses"].within(muni).all()


def test_region_network(region):
    streets = region["streets"]
    assert nx.is_connected(_graph(streets))
    assert {"primary", "tertiary", "minor", "track", "path"} <= set(streets["road_class"])
    nroad = streets[streets["road_class"] == "primary"]
    assert nroad["ref"].str.match(r"N\d+$").all() and set(nroad["authority"]) == {"gewest"}


def test_region_odd_numbers_left(region):
    addresses, streets = region["addresses"], region["streets"]
    nearest = streets.sindex.nearest(addresses.geometry.values, return_all=False)[1]
    seg = streets.geometry.values[nearest]
    start = shapely.get_coordinates(shapely.get_point(seg, 0))
    end = shapely.get_coordinates(shapely.get_point(seg, -1))
    here = shapely.get_coordinates(addresses.geometry.values)
    d, o = end - start, here - start
    left = d[:, 0] * o[:, 1] - d[:, 1] * o[:, 0] > 0
    odd = addresses["housenumber"].to_numpy() % 2 == 1
    assert (left == odd).mean() > 0.99


def test_region_members_on_request(region):
    assert "members" not in region
    small = synthetic_region(n_addresses=5_000, n_groups=12, seed=2, n_members=400)
    members = conform("members", small["members"])
    assert len(members) == 400 and members["address_id"].is_unique
    pt, grp = shapely.STRtree(small["groups"].geometry.values).query(members.geometry.values, predicate="within")
    holder = pd.Series(pd.NA, index=range(len(members)), dtype="str")
    holder.iloc[pt] = small["groups"]["group_id"].to_numpy()[grp]
    assert (holder.fillna("-").to_numpy() == members["group_id"].fillna("-").to_numpy()).all()
    assert (members.loc[members["group_id"].isna(), "status"] == "kandidaat").all()


def test_region_is_deterministic_and_checks_input(region):
    again = synthetic_region(n_addresses=20_000, n_groups=40, seed=3)
    assert_geodataframe_equal(again["addresses"], region["addresses"])
    with pytest.raises(InputError) as err:
        synthetic_region(n_addresses=0, n_groups=-1, n_members=5)
    assert len(err.value.problems) == 3
