"""The one vocabulary: stored words unchanged, one named set per meaning, one set of plan defaults everywhere."""

from __future__ import annotations

import inspect

import pandas as pd
from click.testing import CliRunner

from buurtkaart.infoborden import entries, planning, sites, solver
from buurtkaart.vocabulary import (
    CURRENT_MEMBER_STATUSES,
    JOINING_OR_MEMBER_STATUSES,
    MEMBER_STATUSES,
    PEOPLE_STATUSES,
    PLAN_DEFAULTS,
    PLAN_MODES,
    POINT_STATUSES,
    SIGN_STATUSES,
    STANDING_SIGN_STATUSES,
    AddressStatus,
    MemberStatus,
    PlanOptions,
)


def test_the_stored_words_are_the_values_and_compare_equal_to_stored_strings():
    assert [str(s) for s in MEMBER_STATUSES] == ["kandidaat", "goedgekeurd", "geweigerd", "lid", "vertrokken"]
    assert [str(s) for s in POINT_STATUSES] == ["toegewezen", "overlap", "niet_gedekt", "buiten_gemeente",
                                                "geen_punt"]
    assert [str(s) for s in SIGN_STATUSES] == ["gepland", "geplaatst", "te_verwijderen"]
    assert [str(m) for m in PLAN_MODES] == ["elke-invalsweg", "budget"]
    stored = pd.Series(["lid", "kandidaat", "vertrokken"], dtype="str")
    assert stored.isin(CURRENT_MEMBER_STATUSES).tolist() == [True, False, False]
    assert stored.isin(JOINING_OR_MEMBER_STATUSES).tolist() == [True, True, False]
    assert MemberStatus.LID == "lid" and f"{AddressStatus.NIET_GEDEKT}" == "niet_gedekt"


def test_named_sets_are_subsets_of_their_enum():
    assert set(CURRENT_MEMBER_STATUSES) < set(JOINING_OR_MEMBER_STATUSES) < set(MEMBER_STATUSES)
    assert set(STANDING_SIGN_STATUSES) < set(SIGN_STATUSES)
    assert AddressStatus.ADRES_NIET_GEVONDEN in PEOPLE_STATUSES and AddressStatus.GEEN_PUNT not in PEOPLE_STATUSES


def test_plan_defaults_are_read_by_the_library_functions():
    defaults = PlanOptions()
    params = inspect.signature(planning.plan_infoborden).parameters
    for name in ("mode", "budget", "per_group", "coverage_distance_m", "setback_m", "border_tolerance_m",
                 "merge_distance_m", "reach_m", "match_distance_m", "solver", "time_limit_s"):
        assert params[name].default == getattr(defaults, name), name
    assert inspect.signature(sites.entry_sites).parameters["setback_m"].default == defaults.setback_m
    assert inspect.signature(entries.find_entries).parameters["reach_m"].default == defaults.reach_m
    assert inspect.signature(solver.solve_max_cover).parameters["time_limit_s"].default == defaults.time_limit_s


def test_plan_defaults_are_the_command_line_defaults():
    from buurtkaart.cli.infobord_cmds import infoborden

    plan = infoborden.commands["plan"]
    by_name = {p.name: p.default for p in plan.params}
    assert by_name["mode"] == PLAN_DEFAULTS.mode
    assert by_name["distance_m"] == PLAN_DEFAULTS.coverage_distance_m
    assert by_name["setback_m"] == PLAN_DEFAULTS.setback_m
    assert by_name["time_limit_s"] == PLAN_DEFAULTS.time_limit_s
    out = CliRunner().invoke(infoborden, ["plan", "--help"])
    assert "elke-invalsweg" in out.output and "300.0" in out.output
