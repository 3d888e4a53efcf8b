"""What a first walkthrough found unclear on the pages (issue 16, points 7, 9-13), through AppTest."""

from __future__ import annotations

import re

from tests.app.conftest import no_exception, texts

INFOBORDEN = "app_pages/staff_infoborden.py"


def test_the_budget_with_kept_signs_counts_new_signs_and_the_summary_says_what_it_did(app_test, demo_workspace):
    kept = demo_workspace.read("infoborden")
    assert len(kept)
    at = app_test(role="staff", page=INFOBORDEN)
    at.radio(key="ib_mode").set_value("budget").run()
    no_exception(at)
    assert at.number_input(key="ib_budget").label == "Aantal nieuwe borden (bovenop de geplaatste)"
    summaries = {}
    for budget in (0, 2, 30):
        at.number_input(key="ib_budget").set_value(budget).run()
        no_exception(at)
        summary = at.info[-1].value if at.info else ""
        assert "Groep -" not in summary
        found = re.search(r"(\d+) bestaande borden blijven staan en (\d+) (nieuw bord komt|nieuwe borden komen) erbij",
                          summary)
        assert found, summary
        summaries[budget] = (int(found[1]), int(found[2]))
    assert summaries[0][1] == 0 and summaries[2][1] <= 2 * len(demo_workspace.read("groups"))
    assert len({new for _kept, new in summaries.values()}) == 3  # each budget changes the plan
    at.checkbox(key="ib_keep").uncheck().run()
    assert at.number_input(key="ib_budget").label == "Aantal borden"
    assert "bestaande borden blijven staan" not in texts(at)
