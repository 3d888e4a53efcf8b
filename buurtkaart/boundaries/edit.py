"""One edit of a group area from start to preview: the layers it needs, the checks, the new groups, the impact.

The app page and the command line call :func:`preview_edit` on an :class:`EditContext` (read once per workspace
version with :func:`edit_context`) and, when the user agrees, :func:`buurtkaart.boundaries.save_groups` with the
``groups`` of the returned :class:`EditPreview`.

>>> import geopandas as gpd, shapely
>>> groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]},
...     geometry=[shapely.MultiPolygon([shapely.box(0, 0, 100, 100)])], crs="EPSG:31370")
>>> ctx = EditContext(groups=groups)
>>> preview = preview_edit(ctx, "G2", shapely.box(100, 0, 200, 100), name="Oost")
>>> preview.check.ok, preview.groups["group_id"].tolist(), preview.impact.changed_groups
(True, ['G1', 'G2'], ['G2'])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from buurtkaart.boundaries.checks import CheckResult, Finding, OverlapMode, SizeGuide, check_group
from buurtkaart.boundaries.history import remove_group, replace_group
from buurtkaart.boundaries.impact import Impact, preview_impact
from buurtkaart.schema import LAYERS
from buurtkaart.texts import t
from buurtkaart.vocabulary import AddressStatus
from buurtkaart.workspace import Workspace

#: Member columns the editor needs: no names, phone numbers or addresses.
MEMBER_COLUMNS = ["member_id", "status"]


def _empty(name: str) -> gpd.GeoDataFrame:
    return LAYERS[name].empty()  # type: ignore[return-value]


@dataclass(frozen=True)
class EditContext:
    """The layers an edit is checked against (all EPSG:31370); absent layers are empty."""

    groups: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame = field(default_factory=lambda: _empty("streets"))
    addresses: gpd.GeoDataFrame = field(default_factory=lambda: _empty("addresses"))
    members: gpd.GeoDataFrame = field(default_factory=lambda: _empty("members")[[*MEMBER_COLUMNS, "geometry"]])
    infoborden: gpd.GeoDataFrame = field(default_factory=lambda: _empty("infoborden"))
    municipality_area: BaseGeometry | None = None
    #: The roads the sign sites are found on (the streets and the roads beyond the border); None: the streets.
    roads: gpd.GeoDataFrame | None = None


def edit_context(ws: Workspace) -> EditContext:
    """Read what an edit needs from ``ws``: groups, streets, addresses, members (id, status and location only),
    infoborden and the municipality outline. Spatial indexes are built here, once.

    Parameters
    ----------
    ws : Workspace
        The workspace to read.

    Returns
    -------
    EditContext
        The layers, ready for :func:`preview_edit` and :func:`preview_removal`.
    """
    from buurtkaart.infoborden.entries import entry_roads  # the planning package sits above this one

    muni = ws.read("municipality")
    ctx = EditContext(
        groups=ws.read("groups"),  # type: ignore[arg-type]
        streets=ws.read("streets"),  # type: ignore[arg-type]
        addresses=ws.read("addresses"),  # type: ignore[arg-type]
        members=ws.read("members", columns=MEMBER_COLUMNS),  # type: ignore[arg-type]
        infoborden=ws.read("infoborden"),  # type: ignore[arg-type]
        municipality_area=shapely.union_all(muni.geometry.values) if len(muni) else None,
        roads=entry_roads(ws),
    )
    for frame in (ctx.groups, ctx.streets, ctx.addresses, ctx.members, ctx.infoborden, ctx.roads):
        if frame is not None and len(frame):
            frame.sindex  # noqa: B018 - build the spatial index once, shared by every preview
    return ctx


@dataclass
class EditPreview:
    """The checked area, the groups layer as it would be saved, and what changes for whom."""

    check: CheckResult
    groups: gpd.GeoDataFrame
    impact: Impact

    @property
    def can_save(self) -> bool:
        """No check failed and something changes."""
        return self.check.ok and bool(self.impact.changed_groups)


def preview_edit(
    ctx: EditContext,
    group_id: str,
    geometry: BaseGeometry,
    *,
    name: str | None = None,
    overlap: OverlapMode = "refuse",
    guide: SizeGuide = SizeGuide(),  # noqa: B008 - frozen dataclass, safe default
) -> EditPreview:
    """Check ``geometry`` as the new area of ``group_id`` (new or existing) and preview the impact of saving it.

    Parameters
    ----------
    ctx : EditContext
        What :func:`edit_context` read.
    group_id : str
        The group to change, or a new id.
    geometry : shapely geometry
        The new area in EPSG:31370.
    name : str, optional
        The group's name (needed for a new group).
    overlap : {"refuse", "trim"}
        Refuse an overlap with another group, or cut the area out of it.
    guide : SizeGuide
        The size limits to check against.

    Returns
    -------
    EditPreview
        The check, the groups layer as it would be saved and the impact; ``can_save`` says whether to offer saving
        (with :func:`save_groups`).
    """
    result = check_group(geometry, group_id=group_id, groups=ctx.groups, municipality_area=ctx.municipality_area,
                         addresses=ctx.addresses, members=ctx.members, overlap=overlap, guide=guide)
    if result.geometry.is_empty:
        new_groups = ctx.groups
    else:
        new_groups = replace_group(ctx.groups, group_id, result.geometry, name=name)
    impact = preview_impact(ctx.groups, new_groups, addresses=ctx.addresses, members=ctx.members,
                            streets=ctx.streets, roads=ctx.roads, infoborden=ctx.infoborden)
    return EditPreview(result, new_groups, impact)


def preview_removal(ctx: EditContext, group_id: str) -> EditPreview:
    """Preview a group that stops: its households and members become uncovered (unless another group covers
    them) and its signs are no longer needed."""
    new_groups = remove_group(ctx.groups, group_id)
    impact = preview_impact(ctx.groups, new_groups, addresses=ctx.addresses, members=ctx.members,
                            streets=ctx.streets, roads=ctx.roads, infoborden=ctx.infoborden)
    uncovered = int((impact.addresses["new_status"] == AddressStatus.NIET_GEDEKT).sum()) if len(impact.addresses) else 0
    finding = Finding("group_stops", "warning", t("boundaries.check.group_stops", group=group_id, count=uncovered),
                      impact.changed_area)
    return EditPreview(CheckResult(shapely.MultiPolygon(), [finding]), new_groups, impact)


def preview_groups(
    ctx: EditContext,
    new_groups: gpd.GeoDataFrame,
    *,
    guide: SizeGuide = SizeGuide(),  # noqa: B008 - frozen dataclass, safe default
) -> EditPreview:
    """Preview a change of several groups at once (a split, a merge): every changed group is checked against the
    new layer (overlaps are reported, never trimmed), each finding prefixed with its group."""
    impact = preview_impact(ctx.groups, new_groups, addresses=ctx.addresses, members=ctx.members,
                            streets=ctx.streets, roads=ctx.roads, infoborden=ctx.infoborden)
    areas = dict(zip(new_groups["group_id"].astype(str), new_groups.geometry.values, strict=True))
    findings: list[Finding] = []
    households = members = 0
    for gid in impact.changed_groups:
        if gid not in areas:
            continue
        result = check_group(areas[gid], group_id=gid, groups=new_groups, municipality_area=ctx.municipality_area,
                             addresses=ctx.addresses, members=ctx.members, guide=guide)
        findings.extend(Finding(f.code, f.severity, f"{gid}: {f.message}", f.geometry) for f in result.findings)
        households += result.households
        members += result.members
    changed = [areas[g] for g in impact.changed_groups if g in areas]
    area = shapely.union_all(changed) if changed else shapely.MultiPolygon()
    check = CheckResult(area if area.geom_type == "MultiPolygon" else shapely.MultiPolygon([area]), findings,
                        households=households, members=members)
    return EditPreview(check, new_groups, impact)
