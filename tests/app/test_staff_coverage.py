"""The staff page "Dekking" on the demo town: figures, map, gap list, invitation list; refused to others."""

from __future__ import annotations

import pytest

from buurtkaart.coverage import coverage_report
from buurtkaart.texts import number, t
from tests.app.conftest import map_args, no_exception, texts

PAGE = "app_pages/staff_coverage.py"


def test_coverage_page_shows_the_same_figures_as_the_library(app_test, demo_workspace):
    at = app_test(role="staff", page=PAGE)
    no_exception(at)
    assert at.title[0].value == t("coverage.app.title")
    summary = coverage_report(demo_workspace).summary()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("coverage.column.households")] == number(summary["households"])
    assert metrics[t("coverage.column.uncovered")] == number(summary["uncovered"])
    assert metrics[t("coverage.column.groups_per_1000")] == number(summary["groups_per_1000"], decimals=2)
    assert "." not in metrics[t("coverage.column.groups_per_1000")]
    script = map_args(at)[0]["script"]
    assert t("coverage.map.layer.gaps") in script and "gat-1" in script
    assert t("core.fictional_banner") in texts(at)
    gaps = at.dataframe[0].value
    assert len(gaps) == summary["gaps"]


def test_invitation_list_in_walking_order(app_test):
    at = app_test(role="staff", page=PAGE)
    options = at.multiselect(key="coverage_streets").options
    at.multiselect(key="coverage_streets").set_value([options[0]]).run()
    no_exception(at)
    assert t("coverage.app.col.address") in at.dataframe[-1].value.columns
    assert list(at.dataframe[-1].value[t("coverage.app.col.seq")])[:3] == [1, 2, 3]


@pytest.mark.parametrize("role", [None, "coordinator", "police"])
def test_only_staff_see_the_coverage_page(app_test, role):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app_test(role=role, page=PAGE)
