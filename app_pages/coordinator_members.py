"""Coordinator page "Leden en kandidaten": approved candidates to add to the WhatsApp group, the sticker list in
walking order, the members' contact list, and downloads — for the coordinator's own groups only (staff: any).

Each list comes from :mod:`buurtkaart.member_lists` (role checked, view audited); each step from
:mod:`buurtkaart.membership` (role and group checked, change audited).
"""

from __future__ import annotations

import streamlit as st

from app_pages import _members_ui, _shared
from buurtkaart import member_lists, membership
from buurtkaart.errors import BuurtkaartError
from buurtkaart.texts import t


def _group_choice(user) -> str | None:
    groups = _shared.layer("groups")
    names = dict(zip(groups["group_id"].astype(str), groups["name"].astype(str), strict=True))
    own = sorted(names) if user.role == "staff" else [g for g in user.group_ids if g in names]
    if not own:
        st.warning(t("members.coord.no_groups"))
        st.stop()
    if len(own) == 1:
        st.caption(t("members.coord.group", group=names[own[0]], group_id=own[0]))
        return own[0]
    return st.selectbox(t("members.coord.choose_group"), own, format_func=lambda g: f"{names[g]} ({g})",
                        key="coord_group")


def _pick(frame, key: str, label_key: str) -> str | None:
    labels = {row.member_id: f"{row.member_id} — {row.name}, {row.address_text}" for row in frame.itertuples()}
    return st.selectbox(t(label_key), list(labels), format_func=lambda m: labels[m], key=key)


def _to_add(ws, user, group_id: str) -> None:
    people = member_lists.group_people(ws, user, group_id, statuses=("goedgekeurd",))
    st.write(t("members.coord.to_add_intro", count=len(people)))
    if people.empty:
        return
    _members_ui.table(people[["member_id", "name", "address_text", "phone", "email", "screened_on"]])
    member_id = _pick(people, "coord_add_pick", "members.coord.candidate")
    if st.button(t("members.coord.mark_added"), key="coord_add", type="primary") and member_id:
        _members_ui.act(lambda: membership.mark_added(ws, user, member_id), "members.coord.done_added",
                        member_id=member_id)


def _stickers(ws, user, group_id: str) -> None:
    stickers = member_lists.sticker_list(ws, user, group_id)
    st.write(t("members.coord.stickers_intro", count=len(stickers)))
    if stickers.empty:
        return
    _members_ui.table(stickers[["stop", "name", "address_text"]])
    _members_ui.download("members.download_csv", lambda: member_lists.export_list(ws, user, "stickers", group_id),
                         file_name=f"stickers-{group_id}.csv", key="coord_stickers_csv")
    member_id = _pick(stickers, "coord_sticker_pick", "members.coord.member")
    if st.button(t("members.coord.mark_sticker"), key="coord_sticker", type="primary") and member_id:
        _members_ui.act(lambda: membership.mark_sticker(ws, user, member_id), "members.coord.done_sticker",
                        member_id=member_id)


def _contacts(ws, user, group_id: str) -> None:
    contacts = member_lists.contact_list(ws, user, group_id)
    st.write(t("members.coord.contacts_intro", count=len(contacts)))
    if contacts.empty:
        return
    _members_ui.table(contacts[["name", "phone", "email", "address_text"]])
    _members_ui.download("members.download_csv", lambda: member_lists.export_list(ws, user, "contacts", group_id),
                         file_name=f"contacten-{group_id}.csv", key="coord_contacts_csv")
    with st.expander(t("members.coord.leave_title")):
        member_id = _pick(contacts, "coord_leave_pick", "members.coord.member")
        if st.button(t("members.coord.mark_left"), key="coord_left") and member_id:
            _members_ui.act(lambda: membership.mark_left(ws, user, member_id), "members.coord.done_left",
                            member_id=member_id)


def main() -> None:
    user = _shared.require_role("coordinator", "staff")
    ws = _shared.workspace()
    st.title(t("members.coord.title"))
    _members_ui.show_flash()
    group_id = _group_choice(user)
    if group_id is None:
        return
    tabs = st.tabs([t("members.coord.tab_add"), t("members.coord.tab_stickers"), t("members.coord.tab_contacts")])
    try:
        with tabs[0]:
            _to_add(ws, user, group_id)
        with tabs[1]:
            _stickers(ws, user, group_id)
        with tabs[2]:
            _contacts(ws, user, group_id)
    except BuurtkaartError as exc:
        _shared.show_error(exc)


main()
