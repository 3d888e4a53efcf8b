"""Coordinator page "Leden en kandidaten": approved candidates to add to the WhatsApp group, the sticker list in
walking order, the members' contact list, and downloads — for the coordinator's own groups only (staff: any).

Each list comes from :mod:`buurtkaart.members.lists` (role checked, view audited); each step from
:mod:`buurtkaart.members.membership` (role and group checked, change audited).
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

from app_pages import _members_ui, _shared
from buurtkaart.errors import BuurtkaartError
from buurtkaart.members import membership
from buurtkaart.members.lists import contact_list, export_list, group_people, sticker_list
from buurtkaart.texts import t, t_md
from buurtkaart.vocabulary import MemberStatus


def _group_choice(user) -> str | None:
    groups = _shared.layer("groups")
    names = dict(zip(groups["group_id"].astype(str), groups["name"].astype(str), strict=True))
    own = sorted(names) if user.role == "staff" else [g for g in user.group_ids if g in names]
    if not own:
        st.warning(t("members.coord.no_groups"))
        st.stop()
    if len(own) == 1:
        st.caption(t_md("members.coord.group", group=names[own[0]], group_id=own[0]))
        return own[0]
    return st.selectbox(t("members.coord.choose_group"), own, format_func=lambda g: f"{names[g]} ({g})",
                        key="coord_group")


def _pick(frame, key: str, label_key: str) -> str | None:
    """One person chosen explicitly (nobody is preselected)."""
    labels = {row.member_id: f"{row.member_id} — {row.name}, {row.address_text}" for row in frame.itertuples()}
    return st.selectbox(t(label_key), list(labels), format_func=lambda m: labels[m], key=key, index=None,
                        placeholder=t("members.coord.pick_ph"))


def _shown(people, intro_key: str, columns: list[str], *, export: tuple[str, str, str] | None = None,
           ws=None, user=None) -> bool:
    """Intro with the count, then the table and its CSV download (``export``: kind, group id, file stem);
    False when the list is empty."""
    st.write(t(intro_key, count=len(people)))
    if people.empty:
        return False
    _members_ui.table(people[columns])
    if export is not None:
        kind, group_id, stem = export
        _members_ui.download("members.download_csv", lambda: export_list(ws, user, kind, group_id),
                             file_name=f"{stem}-{group_id}.csv", key=f"coord_{kind}_csv")
    return True


def _step(people, step, *, key: str, pick_key: str, pick_label: str, button_label: str, done_key: str, ws, user,
          primary: bool = True) -> None:
    """Pick a person and record one workflow ``step`` (a :mod:`buurtkaart.members.membership` function) for them."""
    member_id = _pick(people, pick_key, pick_label)
    name = str(people.set_index("member_id").at[member_id, "name"]) if member_id else ""
    kind: Literal["primary", "secondary"] = "primary" if primary else "secondary"
    if st.button(t(button_label), key=key, type=kind, disabled=not member_id) and member_id:
        _members_ui.act(lambda: step(ws, user, member_id), done_key, reset=(pick_key,), member_id=member_id,
                        name=name)


def _to_add(ws, user, group_id: str) -> None:
    people = group_people(ws, user, group_id, statuses=(MemberStatus.GOEDGEKEURD,))
    if _shown(people, "members.coord.to_add_intro", ["member_id", "name", "address_text", "phone", "email",
                                                     "screened_on"]):
        _step(people, membership.mark_added, key="coord_add", pick_key="coord_add_pick",
              pick_label="members.coord.candidate", button_label="members.coord.mark_added",
              done_key="members.coord.done_added", ws=ws, user=user)


def _stickers(ws, user, group_id: str) -> None:
    stickers = sticker_list(ws, user, group_id)
    if _shown(stickers, "members.coord.stickers_intro", ["stop", "name", "address_text"],
              export=("stickers", group_id, "stickers"), ws=ws, user=user):
        _step(stickers, membership.mark_sticker, key="coord_sticker", pick_key="coord_sticker_pick",
              pick_label="members.coord.member", button_label="members.coord.mark_sticker",
              done_key="members.coord.done_sticker", ws=ws, user=user)


def _contacts(ws, user, group_id: str) -> None:
    contacts = contact_list(ws, user, group_id)
    if _shown(contacts, "members.coord.contacts_intro", ["name", "phone", "email", "address_text"],
              export=("contacts", group_id, "contacten"), ws=ws, user=user):
        with st.expander(t("members.coord.leave_title")):
            _step(contacts, membership.mark_left, key="coord_left", pick_key="coord_leave_pick",
                  pick_label="members.coord.member", button_label="members.coord.mark_left",
                  done_key="members.coord.done_left", ws=ws, user=user, primary=False)


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
