"""Staff page "Dekking": coverage figures, gaps with proposed boundaries, low participation, overlaps, a map,
invitation lists in walking order, downloads. Everything is computed by buurtkaart.coverage."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _shared
from buurtkaart.coverage import CoverageReport, coverage_report, delivery_order, gap_as_group
from buurtkaart.display import display_frame
from buurtkaart.errors import BuurtkaartError
from buurtkaart.exports import frame_bytes
from buurtkaart.maps.coverage import coverage_map
from buurtkaart.texts import number, t
from buurtkaart.workspace import Workspace

_COLUMNS = {
    "gaps": ["rank", "gap_id", "households", "deelgemeente", "n_streets", "streets", "area_km2"],
    "low_streets": ["rank", "street", "postcode", "households", "members", "participation", "groups"],
    "low_groups": ["rank", "group_id", "name", "households", "members", "participation"],
    "overlaps": ["group_a", "group_b", "households", "streets", "area_m2"],
    "deelgemeenten": ["deelgemeente", "households", "covered", "overlap", "uncovered", "members", "participation",
                      "n_groups"],
    "split_streets": ["street", "postcode", "group_id", "households", "from_number", "to_number", "side"],
}


def build_report(ws: Workspace, max_link_m: float, depth_m: float, max_households: int) -> CoverageReport:
    """The coverage report for these settings (cached per workspace version and settings by _shared.cached)."""
    return coverage_report(ws, max_link_m=max_link_m, depth_m=depth_m,
                           max_households=max_households or None)


def _table(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    shown = display_frame(frame[[c for c in _COLUMNS[name] if c in frame.columns]])
    return shown.rename(columns={c: t(f"coverage.column.{c}") for c in shown.columns})


def _figure(value: object, *, decimals: int | None = None) -> str:
    return "-" if value is None else number(value, decimals=decimals)  # type: ignore[arg-type]


def _metrics(report: CoverageReport) -> None:
    s = report.summary()
    cols = st.columns(4)
    for col, key in zip(cols, ("households", "covered", "uncovered", "overlap"), strict=True):
        col.metric(t(f"coverage.column.{key}"), _figure(s[key]))
    cols = st.columns(4)
    cols[0].metric(t("coverage.column.members"), _figure(s["members"]))
    cols[1].metric(t("coverage.column.participation"), _figure(s["participation"], decimals=1))
    cols[2].metric(t("coverage.column.n_groups"), _figure(s["n_groups"]))
    cols[3].metric(t("coverage.column.groups_per_1000"), _figure(s["groups_per_1000"], decimals=2))
    if s["outside"]:
        st.caption(t("coverage.app.outside", count=s["outside"]))


def _gaps(report: CoverageReport) -> None:
    gaps = report.gaps
    if gaps.empty:
        st.success(t("coverage.cli.no_gaps"))
        return
    st.caption(t("coverage.app.gaps_intro"))
    st.dataframe(_table(gaps, "gaps"), hide_index=True, width="stretch")
    chosen = st.selectbox(t("coverage.app.choose_gap"), list(gaps["gap_id"]), key="coverage_gap")
    row = gaps[gaps["gap_id"] == chosen].iloc[0]
    st.write(t("coverage.app.gap_detail", gap_id=chosen, households=row["households"], streets=row["streets"]))
    proposal = gap_as_group(gaps, str(chosen), group_id=f"nieuw-{chosen}")
    data, file_name = frame_bytes(proposal, f"voorstel-{chosen}", ".geojson")
    st.download_button(t("coverage.app.download_proposal"), data=data, file_name=file_name,
                       mime="application/geo+json", key="coverage_proposal", icon=":material/download:")
    _shared.download_frame(gaps, file_stem="dekkingsgaten", key="coverage_gaps")


def _invitations(report: CoverageReport, ws: Workspace) -> None:
    st.caption(t("coverage.app.invitations_intro"))
    ranked = report.low_streets["street"].astype(str).drop_duplicates().tolist()
    others = sorted(set(report.streets["street"].astype(str)) - set(ranked))
    streets = st.multiselect(t("coverage.app.choose_streets"), ranked + others, key="coverage_streets")
    if not streets:
        return
    try:
        order = delivery_order(_shared.layer("addresses"), _shared.layer("streets"), street_names=streets)
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    st.write(t("coverage.app.letters", count=len(order)))
    shown = order[["seq", "label", "side", "postcode"]].rename(columns={
        "seq": t("coverage.app.col.seq"), "label": t("coverage.app.col.address"),
        "side": t("coverage.app.col.side"), "postcode": t("coverage.column.postcode")})
    st.dataframe(shown, hide_index=True, width="stretch", height=300)
    _shared.download_frame(order.drop(columns=["geometry"]), file_stem="uitnodigingen", key="coverage_letters")


def main() -> None:
    _shared.require_role("staff")
    ws = _shared.workspace()
    st.title(t("coverage.app.title"))
    st.caption(t("coverage.app.intro"))
    with st.expander(t("coverage.app.settings")):
        max_link_m = st.slider(t("coverage.cli.max_link_m"), 0, 500, 150, step=10, key="coverage_max_link_m")
        depth_m = st.slider(t("coverage.cli.depth_m"), 10, 150, 50, step=5, key="coverage_depth_m")
        max_households = st.number_input(t("coverage.cli.max_households"), 0, 5000, 350, step=50,
                                         key="coverage_max_households")
    try:
        with st.spinner(t("coverage.app.working")):
            report = _shared.cached(build_report, float(max_link_m), float(depth_m), int(max_households))
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    if report.addresses.empty:
        st.info(t("coverage.app.empty"))
        return
    _metrics(report)
    groups = _shared.layer("groups")
    streets = _shared.layer("streets")
    try:
        m = coverage_map(report, groups=groups, streets=streets, fictional=ws.is_fictional)
    except BuurtkaartError as exc:
        _shared.show_error(exc)
    else:
        _shared.show_map(m, key="coverage_map", height=560)
    tabs = st.tabs([t("coverage.app.tab.gaps"), t("coverage.app.tab.low"), t("coverage.app.tab.overlaps"),
                    t("coverage.app.tab.areas"), t("coverage.app.tab.invitations")])
    with tabs[0]:
        _gaps(report)
    with tabs[1]:
        st.caption(t("coverage.app.low_intro"))
        st.dataframe(_table(report.low_streets, "low_streets"), hide_index=True, width="stretch", height=300)
        st.dataframe(_table(report.low_groups, "low_groups"), hide_index=True, width="stretch")
        _shared.download_frame(report.low_streets, file_stem="deelname-straten", key="coverage_low")
    with tabs[2]:
        if report.overlaps.empty:
            st.success(t("coverage.app.no_overlaps"))
        else:
            st.dataframe(_table(report.overlaps, "overlaps"), hide_index=True, width="stretch")
            _shared.download_frame(report.overlaps, file_stem="overlappingen", key="coverage_overlaps")
    with tabs[3]:
        if len(report.deelgemeenten):
            st.dataframe(_table(report.deelgemeenten, "deelgemeenten"), hide_index=True, width="stretch")
        st.header(t("coverage.app.split_title"))
        st.dataframe(_table(report.split_streets, "split_streets"), hide_index=True, width="stretch")
        _shared.download_frame(report.streets, file_stem="dekking-straten", key="coverage_streets_dl")
    with tabs[4]:
        _invitations(report, ws)


main()
