"""Staff page "Kandidaten en privacy": candidates without a group (uncovered area or overlap) to route, every
group's members, GDPR requests of one person (access export, erasure) and the retention run.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _members_ui, _shared
from buurtkaart.errors import BuurtkaartError
from buurtkaart.members import gdpr, membership
from buurtkaart.members import lists as member_lists
from buurtkaart.texts import t


def _routing(ws, user) -> None:
    queue = member_lists.staff_queue(ws, user)
    st.write(t("members.staffm.routing_intro", count=len(queue)))
    if queue.empty:
        return
    _members_ui.table(queue)
    groups = _shared.layer("groups")
    names = dict(zip(groups["group_id"].astype(str), groups["name"].astype(str), strict=True))
    labels = {row.member_id: f"{row.member_id} — {row.name}, {row.address_text}" for row in queue.itertuples()}
    cols = st.columns(2)
    member_id = cols[0].selectbox(t("members.coord.candidate"), list(labels), format_func=lambda m: labels[m],
                                  key="staffm_pick", index=None, placeholder=t("members.coord.pick_ph"))
    group_id = cols[1].selectbox(t("members.staffm.group"), sorted(names), format_func=lambda g: f"{names[g]} ({g})",
                                 key="staffm_group", index=None, placeholder=t("members.staffm.group_ph"))
    if (st.button(t("members.staffm.assign"), key="staffm_assign", type="primary",
                  disabled=not (member_id and group_id)) and member_id and group_id):
        name = str(queue.set_index("member_id").at[member_id, "name"])
        _members_ui.act(lambda: membership.assign_group(ws, user, member_id, group_id), "members.staffm.done_assign",
                        reset=("staffm_pick", "staffm_group"), member_id=member_id, name=name, group=names[group_id])


def _person(ws, user) -> None:
    st.write(t("members.staffm.gdpr_intro"))
    member_id = st.text_input(t("members.staffm.reference"), key="staffm_reference").strip()
    if not member_id:
        return
    if not gdpr.person_exists(ws, user, member_id):
        st.warning(t("members.person_not_found", member_id=member_id), icon=":material/person_off:")
        return
    cols = st.columns(2)
    with cols[0]:
        _members_ui.download("members.staffm.export", lambda: gdpr.export_person_json(ws, user, member_id),
                             file_name=f"inzage-{member_id}.json", key="staffm_export", mime="application/json")
    confirm = cols[1].checkbox(t("members.staffm.erase_confirm", member_id=member_id), key="staffm_erase_ok")
    if cols[1].button(t("members.staffm.erase"), key="staffm_erase", disabled=not confirm):
        _members_ui.act(lambda: gdpr.erase_person(ws, user, member_id), "members.staffm.done_erase",
                        reset=("staffm_reference", "staffm_erase_ok"), member_id=member_id)


def _retention(ws, user) -> None:
    days = gdpr.retention_days(ws)
    due = gdpr.due_for_erasure(ws, days=days)
    st.write(t("members.staffm.retention_intro", days=days, count=len(due)))
    if due and st.button(t("members.staffm.retention_run"), key="staffm_retention"):
        _members_ui.act(lambda: gdpr.apply_retention(ws, actor=user, days=days), "members.staffm.done_retention",
                        count=len(due))


def main() -> None:
    user = _shared.require_role("staff")
    ws = _shared.workspace()
    st.title(t("members.staffm.title"))
    _members_ui.show_flash()
    tabs = st.tabs([t("members.staffm.tab_routing"), t("members.staffm.tab_gdpr"), t("members.staffm.tab_retention")])
    try:
        with tabs[0]:
            _routing(ws, user)
        with tabs[1]:
            _person(ws, user)
        with tabs[2]:
            _retention(ws, user)
    except BuurtkaartError as exc:
        _shared.show_error(exc)


main()
