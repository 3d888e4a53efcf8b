"""Importers for the files a municipality really has, and the import report.

Each reader validates its input, reports every problem at once in a Dutch :class:`~buurtkaart.errors.InputError`,
converts to EPSG:31370 and returns ``(frame, report)``: a frame that fits the workspace schema and an
:class:`ImportReport` saying what was kept and what was left out and why.
"""

from buurtkaart.importers.addresses import read_addresses
from buurtkaart.importers.boundaries import read_boundaries, read_municipality
from buurtkaart.importers.report import ImportReport

__all__ = ["ImportReport", "read_addresses", "read_boundaries", "read_municipality"]
