"""Checks of one group area before it is saved, each explained in Dutch, returned as findings with a severity.

``check_group`` runs them all: valid geometry (repaired where safe), inside the municipality, overlaps with
other groups (refused or trimmed, the user's choice), slivers and holes, size against a guide (50 to 350
households by default) and the WhatsApp limit of 1,024 members, and contiguity. It returns the area as it would
be saved (repaired, clipped, trimmed) and the findings; ``ok`` is false when any finding is an error.

>>> import shapely
>>> result = check_group(shapely.box(0, 0, 100, 100), municipality_area=shapely.box(0, 0, 1000, 1000))
>>> result.ok, [f.code for f in result.findings]
(True, [])
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from buurtkaart.boundaries._geom import near, polygonal
from buurtkaart.errors import InputError
from buurtkaart.texts import number, t
from buurtkaart.validation import require_crs
from buurtkaart.vocabulary import CURRENT_MEMBER_STATUSES

Severity = Literal["error", "warning", "info"]
OverlapMode = Literal["refuse", "trim"]
_REFERENCE = json.loads((Path(__file__).resolve().parents[1] / "reference" / "boundaries.json").read_text("utf-8"))
WHATSAPP_MAX_MEMBERS = int(_REFERENCE["whatsapp_max_members"])
#: Member statuses that take a place in the WhatsApp group.


@dataclass(frozen=True)
class SizeGuide:
    """The configurable size guide in households (one address = one household)."""

    min_households: int = int(_REFERENCE["min_households"])
    max_households: int = int(_REFERENCE["max_households"])
    max_members: int = WHATSAPP_MAX_MEMBERS


@dataclass(frozen=True)
class Finding:
    """One check's outcome: a code, its severity, a Dutch message, and where on the map (optional)."""

    code: str
    severity: Severity
    message: str
    geometry: BaseGeometry | None = None

    @property
    def label(self) -> str:
        """The severity in Dutch (fout, waarschuwing, info)."""
        return t(f"boundaries.severity.{self.severity}")

    @property
    def title(self) -> str:
        """The check's name in Dutch (the ``code`` stays for files and the command line's JSON)."""
        return t(f"boundaries.check.title.{self.code}")


@dataclass
class CheckResult:
    """The area as it would be saved and the findings of every check."""

    geometry: shapely.MultiPolygon
    findings: list[Finding] = field(default_factory=list)
    households: int = 0
    members: int = 0

    @property
    def ok(self) -> bool:
        """True when no finding is an error (warnings may remain)."""
        return not any(f.severity == "error" for f in self.findings)

    def table(self) -> pd.DataFrame:
        """The findings as a Dutch table (controle, ernst, uitleg) for a list or a report."""
        return pd.DataFrame({"controle": [f.title for f in self.findings],
                             "ernst": [f.label for f in self.findings],
                             "uitleg": [f.message for f in self.findings]})


def check_group(
    geometry: BaseGeometry,
    *,
    group_id: str | None = None,
    groups: gpd.GeoDataFrame | None = None,
    municipality_area: BaseGeometry | None = None,
    addresses: gpd.GeoDataFrame | None = None,
    members: gpd.GeoDataFrame | None = None,
    overlap: OverlapMode = "refuse",
    guide: SizeGuide = SizeGuide(),
    sliver_width_m: float = float(_REFERENCE["sliver_width_m"]),
    min_hole_m2: float = float(_REFERENCE["min_hole_m2"]),
) -> CheckResult:
    """Run every check on the area ``geometry`` of group ``group_id`` (None for a new group).

    ``groups`` are the other groups (the row of ``group_id`` itself is ignored), ``municipality_area`` its outline;
    ``addresses`` count households, ``members`` (status ``lid``) count WhatsApp members.
    """
    if overlap not in ("refuse", "trim"):
        raise InputError(t("boundaries.check.bad_overlap_mode", mode=overlap))
    findings: list[Finding] = []
    area = _check_valid(geometry, findings)
    if area.is_empty:
        return CheckResult(area, findings)
    if municipality_area is not None:
        area = _check_inside(area, municipality_area, findings)
    others = _other_groups(groups, group_id, area, sliver_width_m)
    if len(others):
        area = _check_overlaps(area, others, overlap, findings)
    if area.is_empty:
        return CheckResult(area, findings)
    _check_slivers(area, others, municipality_area, sliver_width_m, findings)
    _check_holes(area, addresses, min_hole_m2, findings)
    _check_contiguity(area, findings)
    households = members_count = 0
    if addresses is not None:
        require_crs(addresses, what="addresses")
        households = _count_inside(addresses, area)
        if households == 0 and len(addresses):
            findings.append(Finding("no_addresses", "error", t("boundaries.check.no_addresses")))
        elif households < guide.min_households:
            findings.append(Finding("size_small", "warning", t("boundaries.check.size_small", count=households,
                                                                 minimum=guide.min_households)))
        elif households > guide.max_households:
            findings.append(Finding("size_large", "warning", t("boundaries.check.size_large", count=households,
                                                                 maximum=guide.max_households)))
        if households > guide.max_members:
            findings.append(Finding("households_over_limit", "info", t(
                "boundaries.check.households_over_limit", count=households, limit=guide.max_members)))
    if members is not None and len(members):
        require_crs(members, what="members")
        active = members[members["status"].isin(CURRENT_MEMBER_STATUSES)]
        members_count = _count_inside(active, area)
        if members_count > guide.max_members:
            findings.append(Finding("members_over_limit", "error", t(
                "boundaries.check.members_over_limit", count=members_count, limit=guide.max_members)))
    return CheckResult(area, findings, households=households, members=members_count)


def _check_valid(geometry: BaseGeometry | None, findings: list[Finding]) -> shapely.MultiPolygon:
    if geometry is None or geometry.is_empty:
        findings.append(Finding("empty", "error", t("boundaries.check.empty")))
        return shapely.MultiPolygon()
    if geometry.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
        findings.append(Finding("not_polygon", "error", t("boundaries.check.not_polygon", kind=geometry.geom_type)))
        return shapely.MultiPolygon()
    if geometry.is_valid:
        return polygonal(geometry)
    reason = shapely.is_valid_reason(geometry)
    repaired = polygonal(shapely.make_valid(geometry), min_area_m2=1.0)  # drop crumbs of the crossing
    # GEOS measures an invalid ring by its signed (shoelace) area: a twisted corner barely changes it, a drawn
    # figure eight does; only a small change is a safe repair.
    change = abs(repaired.area - abs(geometry.area)) / max(repaired.area, 1.0)
    if repaired.is_empty or change > 0.01:
        findings.append(Finding("invalid", "error", t("boundaries.check.invalid", reason=reason)))
        return shapely.MultiPolygon()
    findings.append(Finding("repaired", "info", t("boundaries.check.repaired", reason=reason)))
    return repaired


def _check_inside(area: shapely.MultiPolygon, municipality_area: BaseGeometry, findings: list[Finding]) -> BaseGeometry:
    outside = polygonal(shapely.difference(area, municipality_area), min_area_m2=1.0)
    if outside.is_empty:
        return area
    share = outside.area / area.area
    if share > 0.05:
        findings.append(Finding("outside", "error", t("boundaries.check.outside", area_m2=round(outside.area),
                                                        percent=round(100 * share)), outside))
        return area
    findings.append(Finding("clipped", "warning", t("boundaries.check.clipped", area_m2=round(outside.area)),
                            outside))
    return polygonal(shapely.intersection(area, municipality_area))


def _other_groups(groups: gpd.GeoDataFrame | None, group_id: str | None, area: BaseGeometry,
                  margin_m: float) -> gpd.GeoDataFrame:
    if groups is None or len(groups) == 0:
        return gpd.GeoDataFrame({"group_id": []}, geometry=[], crs="EPSG:31370")
    require_crs(groups, what="groups")
    others = groups if group_id is None else groups[groups["group_id"].astype("str") != str(group_id)]
    return near(others, area, margin_m)


def _check_overlaps(area: BaseGeometry, others: gpd.GeoDataFrame, mode: OverlapMode,
                    findings: list[Finding]) -> shapely.MultiPolygon:
    shared = shapely.intersection(others.geometry.values, area)
    sizes = shapely.area(shared)
    hit = sizes > 1.0
    if not hit.any():
        return polygonal(area)
    names = ", ".join(f"{g} ({round(s)} m²)" for g, s in zip(others["group_id"][hit], sizes[hit], strict=True))
    overlap_geom = polygonal(shapely.union_all(shared[hit]))
    if mode == "refuse":
        findings.append(Finding("overlap", "error", t("boundaries.check.overlap", groups=names), overlap_geom))
        return polygonal(area)
    findings.append(Finding("trimmed", "warning", t("boundaries.check.trimmed", groups=names), overlap_geom))
    return polygonal(shapely.difference(area, overlap_geom), min_area_m2=1.0)


def _check_slivers(area: shapely.MultiPolygon, others: gpd.GeoDataFrame, municipality_area: BaseGeometry | None,
                   width_m: float, findings: list[Finding]) -> None:
    half = width_m / 2
    opened = shapely.buffer(shapely.buffer(area, -half, join_style="mitre"), half, join_style="mitre")
    thin = [p for p in polygonal(shapely.difference(area, opened)).geoms if p.area > width_m * width_m]
    if thin:
        findings.append(Finding("sliver", "warning", t("boundaries.check.sliver", count=len(thin), width=width_m,
                                                         area_m2=round(sum(p.area for p in thin))),
                                shapely.MultiPolygon(thin)))
    if len(others) == 0:
        return
    covered = shapely.union_all([area, *others.geometry.values])
    closed = shapely.buffer(shapely.buffer(covered, half, join_style="mitre"), -half, join_style="mitre")
    gaps = polygonal(shapely.difference(closed, covered), min_area_m2=1.0)
    if municipality_area is not None:
        gaps = polygonal(shapely.intersection(gaps, municipality_area), min_area_m2=1.0)
    near_area = [g for g in gaps.geoms if g.distance(area) < 0.5]
    if near_area:
        findings.append(Finding("gap_sliver", "warning", t("boundaries.check.gap_sliver", count=len(near_area),
                                                             width=width_m), shapely.MultiPolygon(near_area)))


def _check_holes(area: shapely.MultiPolygon, addresses: gpd.GeoDataFrame | None, min_hole_m2: float,
                 findings: list[Finding]) -> None:
    holes = [shapely.Polygon(ring) for poly in area.geoms for ring in poly.interiors]
    if not holes:
        return
    small = [h for h in holes if h.area < min_hole_m2]
    if small:
        findings.append(Finding("small_hole", "warning", t("boundaries.check.small_hole", count=len(small),
                                                             area_m2=round(min_hole_m2)), shapely.MultiPolygon(small)))
    if addresses is not None:
        inside = _count_inside(addresses, shapely.MultiPolygon(holes))
        if inside:
            findings.append(Finding("hole_addresses", "warning", t("boundaries.check.hole_addresses", count=inside),
                                    shapely.MultiPolygon(holes)))


def _check_contiguity(area: shapely.MultiPolygon, findings: list[Finding]) -> None:
    if len(area.geoms) > 1:
        sizes = ", ".join(f"{number(p.area / 10_000, decimals=2)} ha"
                          for p in sorted(area.geoms, key=lambda p: -p.area))
        findings.append(Finding("not_contiguous", "warning", t("boundaries.check.not_contiguous",
                                                                 parts=len(area.geoms), sizes=sizes), area))


def _count_inside(points: gpd.GeoDataFrame, area: BaseGeometry) -> int:
    if len(points) == 0 or area.is_empty:
        return 0
    return len(points.sindex.query(area, predicate="intersects"))


def check_all_groups(
    groups: gpd.GeoDataFrame,
    *,
    municipality_area: BaseGeometry | None = None,
    addresses: gpd.GeoDataFrame | None = None,
    members: gpd.GeoDataFrame | None = None,
    guide: SizeGuide = SizeGuide(),
) -> dict[str, CheckResult]:
    """:func:`check_group` for every group against all the others (overlaps are reported, never trimmed)."""
    require_crs(groups, what="groups")
    return {
        str(gid): check_group(geom, group_id=str(gid), groups=groups, municipality_area=municipality_area,
                              addresses=addresses, members=members, guide=guide)
        for gid, geom in zip(groups["group_id"], groups.geometry.values, strict=True)
    }
