"""The screening page of a zone's police: the candidates of every municipality of the zone, with a municipality
column and filter; a decision is written (and audited) in the candidate's own municipality (buurtkaart.zones)."""

from __future__ import annotations

import streamlit as st

from app_pages import _members_ui
from buurtkaart import zones
from buurtkaart.members.accounts import User
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace


def main(zone: Workspace, user: User) -> None:
    st.title(t("members.police.title"))
    st.write(t("zones.app.queue_intro", zone=zone.metadata.get("municipality", "")))
    _members_ui.show_flash()
    queue = _members_ui.screening_queue(lambda: zones.screening_queue(zones.open_zone(zone.path), user))
    if queue is None:
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
    labels = {key: t("zones.app.candidate", member_id=r.member_id, name=r.name, municipality=r.municipality)
              for key, r in rows.items()}
    chosen = _members_ui.screening_form(labels, prefix="zone_screen")
    if chosen is None:
        return
    picked, decision, reason = chosen
    row = rows[picked]
    _members_ui.act(lambda: zones.screen(zones.open_zone(zone.path), user, str(row.nis_code), str(row.member_id),
                                         approved=decision == "approve", reason=reason),
                    f"members.police.done_{decision}", reset=_members_ui.screening_fields("zone_screen"),
                    member_id=row.member_id, name=row.name)
