"""The screening page of a zone's police: the candidates of every municipality of the zone, with a municipality
column and filter; a decision is written (and audited) in the candidate's own municipality (buurtkaart.zones)."""

from __future__ import annotations

import streamlit as st

from app_pages import _members_ui, _shared
from buurtkaart import zones
from buurtkaart.errors import BuurtkaartError
from buurtkaart.members import membership
from buurtkaart.members.accounts import User
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace


def main(zone: Workspace, user: User) -> None:
    st.title(t("members.police.title"))
    st.write(t("zones.app.queue_intro", zone=zone.metadata.get("municipality", "")))
    _members_ui.show_flash()
    try:
        queue = zones.screening_queue(zones.open_zone(zone.path), user)
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    if queue.empty:
        st.success(t("members.police.empty"))
        return
    names = dict(zip(queue["nis_code"], queue["municipality"], strict=True))
    shown = st.multiselect(t("zones.app.filter"), sorted(names), format_func=lambda n: names[n],
                           placeholder=t("zones.app.filter_all"), key="zone_filter")
    if shown:
        queue = queue[queue["nis_code"].isin(shown)].reset_index(drop=True)
    headers = {"nis_code": t("zones.col.nis_code"), "municipality": t("zones.col.municipality")}
    st.dataframe(_members_ui.dutch_columns(queue).rename(columns=headers), hide_index=True, width="stretch")
    _members_ui.download("members.download_csv",
                         lambda: zones.export_screening(zones.open_zone(zone.path), user),
                         file_name="screening-zone.csv", key="zone_police_csv")
    st.header(t("members.police.decide"))
    rows = {f"{r.nis_code}/{r.member_id}": r for r in queue.itertuples()}
    with st.form("zone_screen_form", clear_on_submit=False):
        picked = st.selectbox(t("members.police.candidate"), list(rows), index=None, key="zone_screen_member",
                              format_func=lambda k: t("zones.app.candidate", member_id=rows[k].member_id,
                                                      name=rows[k].name, municipality=rows[k].municipality),
                              placeholder=t("members.police.candidate_ph"))
        decision = st.radio(t("members.police.decision"), ["approve", "refuse"], horizontal=True, index=None,
                            format_func=lambda d: t(f"members.police.{d}"), key="zone_screen_decision")
        reason = st.text_area(t("members.police.reason"), max_chars=membership.MAX_REASON_LENGTH,
                              key="zone_screen_reason")
        submitted = st.form_submit_button(t("members.police.submit"), type="primary")
    if not submitted:
        return
    if picked is None or decision is None:
        st.warning(t("members.police.choose_first"))
        return
    row = rows[picked]
    _members_ui.act(lambda: zones.screen(zones.open_zone(zone.path), user, str(row.nis_code), str(row.member_id),
                                         approved=decision == "approve", reason=reason),
                    f"members.police.done_{decision}",
                    reset=("zone_screen_member", "zone_screen_decision", "zone_screen_reason"),
                    member_id=row.member_id, name=row.name)
