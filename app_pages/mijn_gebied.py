"""Coordinator page "Mijn gebied": the group's area, its streets with participation, its infoborden.

A coordinator sees only their own groups (staff may pick any group). Participation figures are counts per
street, never names; the people themselves are on the members page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import streamlit as st

from app_pages import _shared
from buurtkaart.display import display_frame
from buurtkaart.errors import BuurtkaartError
from buurtkaart.safe_text import markdown_text
from buurtkaart.texts import t, t_md
from buurtkaart.workspace import Workspace

if TYPE_CHECKING:
    from buurtkaart.assignment.streets import StreetIndex


def address_table(ws: Workspace) -> gpd.GeoDataFrame:
    """Every address with its coverage status and group (no personal data; cached per version)."""
    from buurtkaart.coverage import address_coverage

    return address_coverage(ws.read("addresses"), ws.read("groups"))


def street_index(ws: Workspace) -> StreetIndex:
    """The per-street answers of "Welke groep?" (cached per version)."""
    from buurtkaart.assignment.streets import StreetIndex

    return StreetIndex.from_workspace(ws)


def _with_members(ws: Workspace, user: object, group_id: str, mine: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The group's addresses with their member count: the members are read through the role-checked, audited
    list of buurtkaart.members.lists (ids only)."""
    from buurtkaart.coverage import members_per_address
    from buurtkaart.members.lists import member_addresses

    people = member_addresses(ws, user, group_id)  # type: ignore[arg-type]
    return mine.assign(members=members_per_address(mine, people))


def _group_choice(user: object) -> str | None:
    groups = _shared.layer("groups")
    names = dict(zip(groups["group_id"].astype(str), groups["name"].astype(str), strict=True))
    role = getattr(user, "role", None)
    allowed = sorted(names) if role == "staff" else [str(g) for g in getattr(user, "group_ids", ())]
    if not allowed:
        st.warning(t("app.mijn.no_groups"))
        return None
    choice = st.selectbox(t("app.mijn.choose_group"), allowed, format_func=lambda g: f"{names.get(g, g)} ({g})",
                          key="mijn_group")
    if choice not in names:
        st.error(t_md("app.mijn.group_gone", group_id=choice))
        return None
    return str(choice)


def _street_table(mine: gpd.GeoDataFrame) -> pd.DataFrame:
    from buurtkaart.coverage import coverage_by

    if mine.empty:
        return pd.DataFrame()
    streets = coverage_by(mine, _shared.layer("groups"), level="street", table=mine)
    table = pd.DataFrame({
        t("app.mijn.col.street"): streets["street"].astype(str),
        t("app.mijn.col.households"): streets["households"].astype(int),
        t("app.mijn.col.members"): streets["members"].astype(int),
        t("app.mijn.col.participation_pct"): streets["participation"].astype(float),
    })
    return table.sort_values(t("app.mijn.col.street")).reset_index(drop=True)


def _signs(group_id: str) -> pd.DataFrame:
    signs = _shared.layer("infoborden")
    if signs.empty:
        return signs
    ids = signs["group_ids"].fillna("").astype(str).str.split(",")
    return signs[ids.apply(lambda values: group_id in [v.strip() for v in values])]


def _street_answers(streets: tuple[str, ...]) -> list[str]:
    """How residents read each street of the group on "Welke groep?" (the index keeps each answer)."""
    index = _shared.cached(street_index)
    return [index.answer(name).text for name in streets]


def main() -> None:
    user = _shared.require_role("coordinator", "staff")
    ws = _shared.workspace()
    st.title(t("app.mijn.title"))
    group_id = _group_choice(user)
    if group_id is None:
        return
    try:
        table = _shared.cached(address_table)
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    try:
        mine = _with_members(ws, user, group_id, table[table["group_id"].astype(str) == group_id])
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    signs = _signs(group_id)
    streets_table = _street_table(mine)
    members = int(mine["members"].sum()) if len(mine) else 0
    cols = st.columns(4)
    cols[0].metric(t("app.mijn.metrics.households"), len(mine))
    cols[1].metric(t("app.mijn.metrics.members"), members)
    share = t("app.mijn.percent", value=100 * members / len(mine)) if len(mine) else "–"
    cols[2].metric(t("app.mijn.metrics.participation"), share)
    cols[3].metric(t("app.mijn.metrics.signs"), len(signs))

    from buurtkaart.maps import group_map, standalone_html

    m = group_map(group_id, groups=_shared.layer("groups"), streets=_shared.layer("streets"), signs=signs,
                  addresses=_shared.layer("addresses").loc[mine.index], fictional=ws.is_fictional)
    _shared.show_map(m, key="mijn_map", height=460)
    st.download_button(t("app.download_map"), data=lambda: standalone_html(m).encode("utf-8"),
                       file_name=f"gebied_{group_id}.html", mime="text/html", key="mijn_map_html",
                       icon=":material/download:")

    st.header(t("app.mijn.streets_title"))
    st.dataframe(display_frame(streets_table), hide_index=True, width="stretch")
    _shared.download_frame(streets_table, file_stem=f"straten_{group_id}", key="mijn_streets")

    if len(mine):
        with st.expander(t("app.mijn.street_answer_title")):
            names = tuple(sorted(mine["street"].dropna().astype(str).unique()))
            for text in _street_answers(names):
                st.markdown(f"- {markdown_text(text)}")

    st.header(t("app.mijn.signs_title"))
    if signs.empty:
        st.caption(t("app.mijn.no_signs"))
    else:
        shown = pd.DataFrame({
            t("app.mijn.col.sign"): signs["sign_id"].astype(str),
            t("app.mijn.col.road"): signs["road_name"].astype(str),
            t("app.mijn.col.status"): signs["status"].astype(str),
        })
        st.dataframe(shown, hide_index=True, width="stretch")
        _shared.download_frame(signs, file_stem=f"infoborden_{group_id}", key="mijn_signs")


main()
