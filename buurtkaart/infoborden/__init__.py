"""Infobord planning: entry points of every group, sign sites, the two planning modes, changes and exports.

``entries`` (where roads cross into an area), ``sites`` (a pole per entry, shared poles on shared borders),
``coverage`` (households a site covers along the streets), ``solver`` (the budget MILP), ``planning`` (both
modes), ``changes`` (stored signs and what a boundary change means for them), ``export`` (CSV, GeoJSON, GPX,
PDF work order).
"""

from buurtkaart.infoborden.entries import count_entries, entry_roads, find_entries
from buurtkaart.infoborden.planning import InfobordPlan, plan_infoborden
from buurtkaart.infoborden.sites import entry_sites
from buurtkaart.vocabulary import PLAN_MODES as MODES
from buurtkaart.vocabulary import PlanOptions

__all__ = ["MODES", "InfobordPlan", "PlanOptions", "count_entries", "entry_roads", "entry_sites", "find_entries",
           "plan_infoborden"]
