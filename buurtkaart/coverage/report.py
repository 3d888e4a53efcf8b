"""Everything the app and the command line show about coverage, computed once from a workspace.

:func:`coverage_report` reads the layers, computes the per-address status once and derives every figure from it:
per street, group, deelgemeente and municipality, the split streets, the gaps, the overlaps and the low
participation rankings. :func:`write_table` exports one of its tables as CSV, GeoJSON or GeoPackage.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

import geopandas as gpd
import pandas as pd

from buurtkaart.coverage._inputs import raise_problems, with_roads_outside
from buurtkaart.coverage.figures import address_coverage, coverage_by, split_streets
from buurtkaart.coverage.gaps import find_gaps
from buurtkaart.coverage.overlaps import overlap_addresses, overlaps
from buurtkaart.coverage.participation import participation_ranking
from buurtkaart.exports import write_layer
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace


@dataclass(frozen=True)
class CoverageReport:
    """The coverage tables of one workspace (see :func:`coverage_report`)."""

    addresses: gpd.GeoDataFrame
    streets: pd.DataFrame
    groups: pd.DataFrame
    deelgemeenten: pd.DataFrame
    municipality: pd.DataFrame
    split_streets: pd.DataFrame
    gaps: gpd.GeoDataFrame
    overlaps: gpd.GeoDataFrame
    overlap_addresses: gpd.GeoDataFrame
    low_streets: pd.DataFrame
    low_groups: pd.DataFrame

    @classmethod
    def table_names(cls) -> list[str]:
        """The names of the report's tables (also its export layer names)."""
        return [f.name for f in fields(cls)]

    def table(self, name: str) -> pd.DataFrame:
        """The table ``name`` (a clear error for an unknown one)."""
        if name not in self.table_names():
            raise_problems([t("coverage.error.unknown_table", name=name, known=", ".join(self.table_names()))])
        return getattr(self, name)

    def summary(self) -> dict[str, object]:
        """The municipality's headline figures as plain numbers (for JSON and the app's metrics)."""
        row = self.municipality.iloc[0]
        figures = {k: _plain(row[k]) for k in ("households", "covered", "overlap", "uncovered", "outside",
                                                "members", "participation", "n_groups", "streets",
                                                "population", "groups_per_1000", "area_km2")}
        figures["gaps"] = len(self.gaps)
        figures["gap_households"] = int(self.gaps["households"].sum()) if len(self.gaps) else 0
        figures["overlap_pairs"] = len(self.overlaps)
        figures["split_streets"] = int(self.split_streets[["street", "postcode"]].drop_duplicates().shape[0])
        return figures


def _plain(value: object) -> object:
    if pd.isna(value):  # type: ignore[arg-type]
        return None
    return value.item() if hasattr(value, "item") else value


def coverage_report(
    ws: Workspace,
    *,
    max_link_m: float = 150.0,
    depth_m: float = 50.0,
    max_households: int | None = 350,
    min_households: int = 10,
) -> CoverageReport:
    """Read ``ws`` and compute every coverage table (population comes from the municipality layer).

    Parameters
    ----------
    ws : Workspace
        The workspace to read.
    max_link_m, depth_m, max_households
        Passed to :func:`coverage_gaps`.
    min_households : int, default 10
        Streets and groups with fewer households are left out of the low-participation tables.

    Returns
    -------
    CoverageReport
        The tables per address, street, group, deelgemeente and municipality, the gaps and the overlaps.
    """
    addresses = ws.read("addresses")
    groups = ws.read("groups")
    members = ws.read("members")
    streets = ws.read("streets")
    deelgemeenten = ws.read("deelgemeenten")
    return analyse(addresses, groups, members, streets=streets, roads_outside=ws.read("streets_outside"),
                   municipality_area=ws.read("municipality"),
                   deelgemeenten=deelgemeenten, max_link_m=max_link_m, depth_m=depth_m,
                   max_households=max_households, min_households=min_households)


def analyse(
    addresses: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    members: pd.DataFrame | None = None,
    *,
    streets: gpd.GeoDataFrame,
    roads_outside: gpd.GeoDataFrame | None = None,
    municipality_area: gpd.GeoDataFrame | None = None,
    deelgemeenten: gpd.GeoDataFrame | None = None,
    population: int | None = None,
    max_link_m: float = 150.0,
    depth_m: float = 50.0,
    max_households: int | None = 350,
    min_households: int = 10,
) -> CoverageReport:
    """The full coverage analysis of in-memory layers (what :func:`coverage_report` does after reading).

    ``roads_outside`` (the ``streets_outside`` layer) only links uncovered addresses into gaps (:func:`find_gaps`);
    the street figures are the municipality's own streets. ``municipality_area`` is the municipality layer (its
    ``population`` is used when ``population`` is not given)."""
    if population is None and municipality_area is not None and "population" in municipality_area.columns:
        known = municipality_area["population"].dropna()
        population = int(known.iloc[0]) if len(known) else None
    table = address_coverage(addresses, groups, members, municipality_area=municipality_area)
    gaps, gap_of = find_gaps(addresses, with_roads_outside(streets, roads_outside), groups, members,
                             max_link_m=max_link_m, depth_m=depth_m, max_households=max_households,
                             municipality_area=municipality_area, table=table)
    table = table.assign(gap_id=gap_of)

    def by(level: str, **extra: object) -> pd.DataFrame:
        return coverage_by(addresses, groups, members, level=level, table=table, **extra)  # type: ignore[arg-type]

    has_deelgemeente = "deelgemeente" in table.columns and table["deelgemeente"].notna().any()
    street_figures = by("street", streets=streets)
    group_figures = by("group")
    return CoverageReport(
        addresses=table,
        streets=street_figures,
        groups=group_figures,
        deelgemeenten=by("deelgemeente", deelgemeenten=deelgemeenten) if has_deelgemeente else pd.DataFrame(),
        municipality=by("municipality", population=population, municipality_area=municipality_area),
        split_streets=split_streets(table),
        gaps=gaps,
        overlaps=overlaps(addresses, groups, members, table=table),
        overlap_addresses=overlap_addresses(table),
        low_streets=participation_ranking(addresses, groups, members, level="street", table=table,
                                          figures=street_figures, min_households=min_households),
        low_groups=participation_ranking(addresses, groups, members, level="group", table=table,
                                         figures=group_figures, min_households=min_households),
    )


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str], *, layer: str | None = None) -> Path:
    """Write a coverage table to ``path`` (CSV, GeoJSON, GeoPackage... by extension) with :mod:`buurtkaart.exports`.

    The tables hold no personal data (members are counted, never named), so no audit line is written.
    """
    target = Path(path)
    write_layer(frame, target, layer_name=layer)
    return target
