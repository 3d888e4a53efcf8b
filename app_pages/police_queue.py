"""Police page "Screening": the candidates waiting to be screened; approve, or refuse with a reason.

Everything goes through :mod:`buurtkaart.members.lists` and :mod:`buurtkaart.members.membership`, which check the role
and write each view, export and decision to the audit log. The police see this queue and nothing else. The police
of a zone (logged in on the zone) see the queue of every municipality of the zone (:mod:`app_pages._zone_queue`).
"""

from __future__ import annotations

import streamlit as st

from app_pages import _members_ui, _shared
from buurtkaart.members import lists as member_lists
from buurtkaart.members import membership
from buurtkaart.texts import t


def main() -> None:
    user = _shared.require_role("police", "staff")
    ws = _shared.workspace()
    if user.zone:
        from app_pages import _zone_queue

        _zone_queue.main(ws, user)
        return
    st.title(t("members.police.title"))
    st.write(t("members.police.intro"))
    _members_ui.show_flash()
    queue = _members_ui.screening_queue(lambda: member_lists.screening_queue(ws, user))
    if queue is None:
        return
    _members_ui.table(queue)
    _members_ui.download("members.download_csv", lambda: member_lists.export_list(ws, user, "screening"),
                         file_name="screening.csv", key="police_csv")
    if user.role != "police":
        return
    st.header(t("members.police.decide"))
    labels = {row.member_id: f"{row.member_id} — {row.name}" for row in queue.itertuples()}
    names = dict(zip(queue["member_id"], queue["name"], strict=True))
    chosen = _members_ui.screening_form(labels, prefix="screen")
    if chosen is None:
        return
    member_id, decision, reason = chosen
    _members_ui.act(lambda: membership.screen(ws, user, member_id, approved=decision == "approve", reason=reason),
                    f"members.police.done_{decision}", reset=_members_ui.screening_fields("screen"),
                    member_id=member_id, name=names[member_id])


main()
