"""Staff page "Groepsgrenzen": draw, edit or compose a group area, see the checks and the impact, save a version;
the history with comparison and restore. Every computation is a call into ``buurtkaart.boundaries``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import shapely
import streamlit as st

from app_pages import _shared
from buurtkaart.boundaries import (
    EditContext,
    EditPreview,
    SizeGuide,
    StreetPart,
    compare_versions,
    compose_group,
    edit_context,
    group_from_gap,
    latest_version,
    list_versions,
    merge_groups,
    preview_edit,
    preview_groups,
    preview_removal,
    read_version,
    restore_version,
    save_groups,
    select_addresses,
    snap_drawing,
    split_group,
    street_parts,
)
from buurtkaart.boundaries.checks import OverlapMode
from buurtkaart.boundaries.compose import Side
from buurtkaart.display import display_frame
from buurtkaart.errors import BuurtkaartError
from buurtkaart.maps.boundaries import compare_map, drawings_to_geometry, edit_map, preview_map
from buurtkaart.safe_text import markdown_text
from buurtkaart.texts import number, t
from buurtkaart.workspace import Workspace

NEW = "__nieuw__"
MODES = ("draw", "compose", "gap")
#: Modes that change several groups at once (only for an existing group).
GROUP_MODES = ("split", "merge")
SIDES: tuple[Side, ...] = ("all", "odd", "even")
OVERLAP_MODES: tuple[OverlapMode, ...] = ("refuse", "trim")


def _context() -> EditContext:
    return _shared.cached(edit_context)


def _workspace_gaps(ws: Workspace) -> Any:
    """The coverage gaps of the stored groups (buurtkaart.coverage), once per workspace version."""
    from buurtkaart.coverage import coverage_gaps

    muni = ws.read("municipality")
    from buurtkaart.infoborden.entries import entry_roads

    return coverage_gaps(ws.read("addresses"), entry_roads(ws), ws.read("groups"),
                         municipality_area=muni if len(muni) else None)


def _street_parts(ws: Workspace) -> dict[str, StreetPart]:
    """The street picker's choices (a name in two deelgemeenten twice), once per workspace version."""
    return street_parts(ws.read("addresses"))


def _next_id(groups: pd.DataFrame) -> str:
    taken = set(groups["group_id"].astype(str))
    n = len(taken) + 1
    while f"G{n:02d}" in taken:
        n += 1
    return f"G{n:02d}"


def _candidate(ctx: EditContext, ws: Workspace, mode: str, group_id: str | None, *, tolerance_m: float,
               split_streets: bool) -> shapely.Geometry | None:
    """The area the user made with the chosen tool, or None while there is none yet."""
    if mode == "draw":
        st.caption(t("boundaries.page.draw_help"))
        m = edit_map(ctx.groups, group_id=group_id, streets=ctx.streets, fictional=ws.is_fictional)
        result = _shared.show_map(m, key=f"gb_draw_{group_id or NEW}", returned_objects=["all_drawings"],
                                  height=560)
        drawings = result.get("all_drawings")
        if drawings is None:  # nothing drawn or edited yet: the stored area (none for a new group)
            return None
        drawn = drawings_to_geometry(drawings)
        if drawn.is_empty:
            return drawn
        return snap_drawing(drawn, streets=ctx.streets, groups=ctx.groups, group_id=group_id,
                            addresses=ctx.addresses, tolerance_m=tolerance_m, split_streets=split_streets)
    if mode == "compose":
        streets = _shared.cached(_street_parts)
        chosen = st.multiselect(t("boundaries.page.streets"), list(streets), key="gb_streets",
                                placeholder=t("boundaries.page.streets_placeholder"))
        cols = st.columns(3)
        side = cols[0].radio(t("boundaries.page.side"), SIDES, key="gb_side", horizontal=True,
                             format_func=lambda s: t(f"boundaries.side.{s}"))
        first = cols[1].number_input(t("boundaries.page.from_number"), min_value=0, value=0, step=1, key="gb_from")
        last = cols[2].number_input(t("boundaries.page.to_number"), min_value=0, value=0, step=1, key="gb_to")
        if not chosen:
            return None
        parts = [StreetPart(streets[label].street, side=side, from_number=int(first) or None,
                            to_number=int(last) or None, deelgemeente=streets[label].deelgemeente)
                 for label in chosen]
        selected = select_addresses(ctx.addresses, parts)
        return compose_group(ctx.addresses, selected, streets=ctx.streets, boundary=ctx.municipality_area)
    gaps = _shared.cached(_workspace_gaps)
    if len(gaps) == 0:
        st.info(t("boundaries.page.no_gaps"))
        return None
    labels = {str(r.gap_id): t("boundaries.page.gap_label", gap=r.gap_id, streets=r.streets,
                                 households=r.households) for r in gaps.itertuples()}
    gap_id = st.selectbox(t("boundaries.page.gap"), list(labels), key="gb_gap", format_func=lambda gap: labels[gap])
    return group_from_gap(gaps[gaps["gap_id"].astype(str) == gap_id].iloc[0], groups=ctx.groups,
                          boundary=ctx.municipality_area)


def _split_or_merge(ctx: EditContext, ws: Workspace, mode: str, group_id: str, names: dict[str, str], *,
                    tolerance_m: float) -> Any:
    """The groups layer after splitting ``group_id`` along a drawn line, or merging another group into it."""
    if mode == "merge":
        others = [g for g in sorted(names) if g != group_id]
        other = st.selectbox(t("boundaries.page.merge_with"), others, key="gb_merge_with",
                             format_func=lambda g: f"{g} — {names[g]}")
        return merge_groups(ctx.groups, group_id, other) if other else None
    st.caption(t("boundaries.page.split_help"))
    cols = st.columns(2)
    new_id = cols[0].text_input(t("boundaries.page.split_new_id"), value=_next_id(ctx.groups),
                                key="gb_split_id").strip()
    new_name = cols[1].text_input(t("boundaries.page.split_new_name"), key="gb_split_name").strip() or new_id
    m = edit_map(ctx.groups, group_id=group_id, streets=ctx.streets, fictional=ws.is_fictional, draw_line=True)
    result = _shared.show_map(m, key=f"gb_split_{group_id}", returned_objects=["all_drawings"], height=560)
    drawings = result.get("all_drawings")
    if not drawings:
        return None
    return split_group(ctx.groups, group_id, drawings_to_geometry(drawings), new_id=new_id, new_name=new_name,
                       streets=ctx.streets, tolerance_m=tolerance_m)


def _show_preview(ctx: EditContext, ws: Workspace, preview: EditPreview, group_id: str) -> None:
    check, impact = preview.check, preview.impact
    cols = st.columns(4)
    cols[0].metric(t("boundaries.page.households"), check.households)
    cols[1].metric(t("boundaries.page.members"), check.members)
    cols[2].metric(t("boundaries.page.area_ha"), number(check.geometry.area / 10_000, decimals=2))
    cols[3].metric(t("boundaries.page.findings"), len(check.findings))
    st.header(t("boundaries.page.checks_title"))
    if check.findings:
        st.dataframe(check.table(), hide_index=True, width="stretch")
    else:
        st.success(t("boundaries.page.all_checks_ok"), icon=":material/check_circle:")
    st.header(t("boundaries.page.impact_title"))
    st.markdown(markdown_text(impact.headline()))
    lines = impact.lines()
    if lines:
        st.markdown("\n".join(f"- {markdown_text(line)}" for line in lines[:60]))
        if len(lines) > 60:
            st.caption(t("boundaries.page.more_lines", count=len(lines) - 60))
    m = preview_map(ctx.groups, check.geometry, group_id=group_id, findings=check.findings, impact=impact,
                    streets=ctx.streets, fictional=ws.is_fictional)
    _shared.show_map(m, key="gb_preview_map", height=480)
    if len(impact.addresses):
        _shared.download_frame(impact.addresses.drop(columns=["old_status", "new_status"]),
                               file_stem="adressen_die_veranderen", key="gb_impact_addresses")


def _save_form(ws: Workspace, user: Any, preview: EditPreview) -> None:
    with st.form("gb_save_form"):
        reason = st.text_input(t("boundaries.page.reason"), key="gb_reason",
                               placeholder=t("boundaries.page.reason_placeholder"))
        effective = st.date_input(t("boundaries.page.effective_on"), value=dt.date.today(), key="gb_effective",
                                  format="DD-MM-YYYY")
        submitted = st.form_submit_button(t("boundaries.page.save"), type="primary", icon=":material/save:",
                                          key="gb_save", disabled=not preview.can_save)
    if not preview.check.ok:
        st.warning(t("boundaries.page.fix_errors_first"))
    elif not preview.impact.changed_groups:
        st.caption(t("boundaries.page.nothing_to_save"))
    if not submitted:
        return
    try:
        version = save_groups(ws, preview.groups, author=user.username, reason=reason,
                              effective_on=effective if isinstance(effective, dt.date) else None,
                              expected_version=st.session_state.get("gb_base_version"))
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    st.session_state["gb_base_version"] = version
    st.session_state["gb_saved_version"] = version
    st.rerun()


def _preview_and_save(ctx: EditContext, ws: Workspace, user: Any, group_id: str,
                      make: Callable[[], EditPreview | None]) -> None:
    """Show the preview ``make()`` returns and the save form; a hint when there is nothing yet, the error if any."""
    try:
        preview = make()
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    if preview is None:
        st.info(t("boundaries.page.start_hint"))
        return
    _show_preview(ctx, ws, preview, group_id)
    _save_form(ws, user, preview)


def _editor(ws: Workspace, user: Any) -> None:
    ctx = _context()
    st.session_state.setdefault("gb_base_version", latest_version(ws))
    saved = st.session_state.pop("gb_saved_version", None)
    if saved is not None:
        st.success(t("boundaries.page.saved", version=saved), icon=":material/task_alt:")
    groups = ctx.groups
    names = dict(zip(groups["group_id"].astype(str), groups["name"].astype(str), strict=True))
    options = [NEW, *sorted(names)]
    choice = st.selectbox(t("boundaries.page.group"), options, key="gb_group",
                          format_func=lambda g: t("boundaries.page.new_group") if g == NEW else f"{g} — {names[g]}")
    cols = st.columns(2)
    if choice == NEW:
        group_id = cols[0].text_input(t("boundaries.page.new_id"), value=_next_id(groups), key="gb_new_id").strip()
        name = cols[1].text_input(t("boundaries.page.name"), key="gb_new_name").strip() or group_id
    else:
        group_id = choice
        name = cols[1].text_input(t("boundaries.page.name"), value=names[choice], key=f"gb_name_{choice}").strip()
    stops = choice != NEW and st.checkbox(t("boundaries.page.stops"), key=f"gb_stops_{choice}",
                                          help=t("boundaries.page.stops_help"))
    if stops:
        _preview_and_save(ctx, ws, user, group_id, lambda: preview_removal(ctx, group_id))
        return
    modes = MODES if choice == NEW else (*MODES, *GROUP_MODES)
    mode = st.radio(t("boundaries.page.mode"), modes, key="gb_mode", horizontal=True,
                    format_func=lambda m: t(f"boundaries.page.mode.{m}"))
    with st.expander(t("boundaries.page.settings")):
        scols = st.columns(4)
        tolerance = scols[0].slider(t("boundaries.page.tolerance"), 1, 30, 10, key="gb_tolerance")
        split = scols[1].checkbox(t("boundaries.page.split_streets"), key="gb_split")
        overlap = scols[2].radio(t("boundaries.page.overlap"), OVERLAP_MODES, key="gb_overlap",
                                 format_func=lambda o: t(f"boundaries.page.overlap.{o}"))
        guide = SizeGuide()
        low = scols[3].number_input(t("boundaries.page.min_households"), 1, 5000, guide.min_households, key="gb_min")
        high = scols[3].number_input(t("boundaries.page.max_households"), 1, 5000, guide.max_households,
                                     key="gb_max")
    guide = SizeGuide(min_households=int(low), max_households=int(high))
    if mode in GROUP_MODES:

        def make() -> EditPreview | None:
            new_groups = _split_or_merge(ctx, ws, mode, group_id, names, tolerance_m=float(tolerance))
            return None if new_groups is None else preview_groups(ctx, new_groups, guide=guide)
    else:

        def make() -> EditPreview | None:
            candidate = _candidate(ctx, ws, mode, None if choice == NEW else choice, tolerance_m=float(tolerance),
                                   split_streets=bool(split))
            if candidate is None or candidate.is_empty:
                return None
            return preview_edit(ctx, group_id, candidate, name=name, overlap=overlap, guide=guide)

    _preview_and_save(ctx, ws, user, group_id, make)


def _history(ws: Workspace, user: Any) -> None:
    versions = list_versions(ws)
    if versions.empty:
        st.info(t("boundaries.page.no_versions"))
        return
    table = display_frame(versions).rename(columns={c: t(f"boundaries.page.col.{c}") for c in versions.columns})
    st.dataframe(table, hide_index=True, width="stretch")
    ids = versions["version_id"].astype(int).tolist()
    st.header(t("boundaries.page.compare_title"))
    cols = st.columns(2)
    old = cols[0].selectbox(t("boundaries.page.compare_old"), ids, index=min(1, len(ids) - 1), key="gb_cmp_old")
    new = cols[1].selectbox(t("boundaries.page.compare_new"), ids, index=0, key="gb_cmp_new")
    try:
        diff = compare_versions(ws, int(old), int(new))
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    shown = display_frame(diff.drop(columns=["geometry", "change"])).rename(
        columns={c: t(f"boundaries.page.col.{c}") for c in diff.columns if c not in ("geometry", "change")})
    st.dataframe(shown, hide_index=True, width="stretch")
    m = compare_map(read_version(ws, int(old)), read_version(ws, int(new)), diff, streets=_context().streets,
                    fictional=ws.is_fictional)
    _shared.show_map(m, key="gb_compare_map", height=420)
    st.header(t("boundaries.page.restore_title"))
    st.caption(t("boundaries.page.restore_help"))
    rcols = st.columns([1, 2, 1])
    version = rcols[0].selectbox(t("boundaries.page.restore_version"), ids, index=min(1, len(ids) - 1),
                                 key="gb_restore_version")
    reason = rcols[1].text_input(t("boundaries.page.reason"), key="gb_restore_reason")
    if rcols[2].button(t("boundaries.page.restore"), key="gb_restore", icon=":material/history:"):
        try:
            new_id = restore_version(ws, int(version), author=user.username, reason=reason or None)
        except BuurtkaartError as exc:
            _shared.show_error(exc)
            return
        st.session_state["gb_base_version"] = new_id
        st.success(t("boundaries.page.restored", version=version, new=new_id), icon=":material/task_alt:")


def main() -> None:
    user = _shared.require_role("staff")
    ws = _shared.workspace()
    st.title(t("boundaries.page.title"))
    st.caption(t("boundaries.page.intro"))
    edit_tab, history_tab = st.tabs([t("boundaries.page.tab_edit"), t("boundaries.page.tab_history")])
    with edit_tab:
        _editor(ws, user)
    with history_tab:
        _history(ws, user)


main()
