"""Staff page "Gebruikers": accounts (make, unlock, deactivate) and the audit log of personal data.

Accounts go through :mod:`buurtkaart.members.accounts` and the log through
:func:`buurtkaart.members.audit.read_log`; both check
that the acting user is staff.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _members_ui, _shared
from buurtkaart.errors import BuurtkaartError
from buurtkaart.members import accounts, audit
from buurtkaart.texts import t

_ACCOUNT_COLUMNS = ["username", "display_name", "role", "group_ids", "email", "active", "locked_until", "last_login"]


def _accounts(ws, user) -> None:
    users = accounts.list_users(ws, user)
    _members_ui.table(users[_ACCOUNT_COLUMNS])
    names = list(users["username"])
    if names:
        # nobody is preselected: every action names the account it acts on, and deactivating asks for a tick
        chosen = st.selectbox(t("members.staff.account"), names, index=None, key="staff_account_pick",
                              placeholder=t("members.staff.account_ph"))
        if chosen:
            _account_actions(ws, user, chosen, active=users.set_index("username").at[chosen, "active"] == "ja")
    groups = _shared.layer("groups")
    group_ids = sorted(groups["group_id"].astype(str))
    with st.expander(t("members.staff.new_account")), st.form("new_account", clear_on_submit=True):
        username = st.text_input(t("members.staff.username"))
        display_name = st.text_input(t("members.staff.display_name"))
        email = st.text_input(t("members.staff.email"))
        role = st.selectbox(t("members.staff.role"), accounts.ROLES, format_func=lambda r: t(f"app.role.{r}"))
        chosen_groups = st.multiselect(t("members.staff.groups"), group_ids)
        password = st.text_input(t("members.staff.password"), type="password")
        if st.form_submit_button(t("members.staff.create"), type="primary"):
            _members_ui.act(
                lambda: accounts.create_user(ws, username, password, role=role, group_ids=chosen_groups,
                                             display_name=display_name, email=email, actor=user),
                "members.staff.done_create", username=username.strip().lower())


def _account_actions(ws, user, chosen: str, *, active: bool) -> None:
    cols = st.columns(3)
    if cols[0].button(t("members.staff.unlock_named", username=chosen), key="staff_unlock"):
        _members_ui.act(lambda: accounts.unlock_user(ws, chosen, actor=user), "members.staff.done_unlock",
                        username=chosen)
    if not active:
        if cols[1].button(t("members.staff.reactivate_named", username=chosen), key="staff_reactivate"):
            _members_ui.act(lambda: accounts.set_active(ws, chosen, True, actor=user),
                            "members.staff.done_reactivate", username=chosen)
        return
    if chosen == user.username:
        cols[1].caption(t("members.staff.not_self"))
        return
    confirm = cols[1].checkbox(t("members.staff.deactivate_confirm", username=chosen), key="staff_deactivate_ok")
    if cols[2].button(t("members.staff.deactivate_named", username=chosen), key="staff_deactivate",
                      disabled=not confirm):
        _members_ui.act(lambda: accounts.set_active(ws, chosen, False, actor=user),
                        "members.staff.done_deactivate", username=chosen)


def _audit_log(ws, user) -> None:
    st.write(t("members.staff.audit_intro"))
    cols = st.columns(2)
    subject = cols[0].text_input(t("members.staff.audit_subject"), key="audit_subject").strip() or None
    actor = cols[1].text_input(t("members.staff.audit_actor"), key="audit_actor").strip() or None
    log = audit.read_log(ws, user, subject_id=subject, actor=actor, limit=1000)
    if subject and not log.empty:
        # one person's or account's history, oldest first, as a plain table
        st.table(_members_ui.dutch_columns(log.iloc[::-1][["at", "actor", "role", "action", "detail"]]
                                            .reset_index(drop=True)))
    else:
        _members_ui.table(log)
    _shared.download_frame(log, file_stem="auditlog", key="audit_download")


def main() -> None:
    user = _shared.require_role("staff")
    ws = _shared.workspace()
    st.title(t("members.staff.title"))
    _members_ui.show_flash()
    tabs = st.tabs([t("members.staff.tab_accounts"), t("members.staff.tab_audit")])
    try:
        with tabs[0]:
            _accounts(ws, user)
        with tabs[1]:
            _audit_log(ws, user)
    except BuurtkaartError as exc:
        _shared.show_error(exc)


main()
