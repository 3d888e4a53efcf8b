"""Coverage, gaps and participation of the WhatsApp-buurtpreventiegroepen.

* :func:`coverage_by` — households, covered, overlap, uncovered, members, participation per address, street,
  group, deelgemeente or municipality; :func:`split_streets` lists streets shared by groups with their parts.
* :func:`coverage_gaps` — uncovered addresses gathered into gap areas along the street network, each with a
  proposed boundary of whole streets; :func:`gap_as_group` turns one into a groups-layer row.
* :func:`overlaps` — pairs of groups that overlap, with households and streets.
* :func:`participation_ranking` — streets and groups from the lowest participation up.
* :func:`delivery_order` — a street set's addresses in walking order, to deliver invitation letters;
  :func:`walk_index` gives that order for any point frame (the sticker list uses it).
* :func:`coverage_report` — all of it for one workspace; :func:`write_table` exports a table.
"""

from buurtkaart.coverage._inputs import with_roads_outside
from buurtkaart.coverage.delivery import delivery_order, walk_index
from buurtkaart.coverage.figures import address_coverage, coverage_by, members_per_address, split_streets
from buurtkaart.coverage.gaps import coverage_gaps, find_gaps, gap_as_group
from buurtkaart.coverage.overlaps import overlap_addresses, overlaps
from buurtkaart.coverage.participation import participation_ranking
from buurtkaart.coverage.report import CoverageReport, analyse, coverage_report, write_table

__all__ = [
    "CoverageReport",
    "address_coverage",
    "analyse",
    "coverage_by",
    "coverage_gaps",
    "coverage_report",
    "delivery_order",
    "find_gaps",
    "gap_as_group",
    "members_per_address",
    "overlap_addresses",
    "overlaps",
    "participation_ranking",
    "split_streets",
    "walk_index",
    "with_roads_outside",
    "write_table",
]
