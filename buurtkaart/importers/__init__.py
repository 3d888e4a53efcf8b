"""Importers for the files a municipality really has, and the import report.

Each reader validates its input, reports every problem at once in a Dutch :class:`~buurtkaart.errors.InputError`,
converts to EPSG:31370 and returns ``(frame, report)``: a frame that fits the workspace schema and an
:class:`ImportReport` saying what was kept and what was left out and why. :func:`setup_workspace` makes a workspace
for one municipality; :func:`import_file` reads and stores one layer, all or nothing. Reading and checking run in
a child process within :class:`ImportLimits` (memory, time); :func:`keep_warm` keeps one started ahead.
:func:`read_table` reads a CSV or Excel list as it is (the command ``assign`` reads people with it).
"""

from buurtkaart.importers._child import ImportLimits, keep_warm
from buurtkaart.importers._read import read_table
from buurtkaart.importers._validate import DEFAULT_TOLERANCE_M, municipality_area
from buurtkaart.importers.addresses import read_addresses
from buurtkaart.importers.best import read_best_addresses
from buurtkaart.importers.boundaries import read_boundaries, read_municipality
from buurtkaart.importers.members import MemberImport, read_members, store_members
from buurtkaart.importers.report import ImportReport
from buurtkaart.importers.run import KINDS, PreparedImport, import_file, prepare_import, setup_workspace
from buurtkaart.importers.streets import read_osm_ways, read_street_network, read_streets

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "KINDS",
    "ImportLimits",
    "ImportReport",
    "MemberImport",
    "PreparedImport",
    "import_file",
    "keep_warm",
    "municipality_area",
    "prepare_import",
    "read_addresses",
    "read_best_addresses",
    "read_boundaries",
    "read_members",
    "read_municipality",
    "read_osm_ways",
    "read_street_network",
    "read_streets",
    "read_table",
    "setup_workspace",
    "store_members",
]
