"""Page "Aanmelden": staff, coordinators and police log in (the public needs no account).

A local account (username + password, locked after repeated failures), or — where the municipality configured
single sign-on in ``.streamlit/secrets.toml`` (``[auth]``, Streamlit's built-in OIDC) — the identity provider:
the e-mail address it confirms is mapped to an account with :func:`buurtkaart.members.accounts.user_for_email`.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _shared
from buurtkaart.errors import BuurtkaartError
from buurtkaart.members.accounts import authenticate, user_for_email
from buurtkaart.texts import t, t_md


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all: Streamlit raises its own FileNotFoundError subclass
        return False


def _sso_user_email() -> str | None:
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or "")
    except Exception:  # st.user without an [auth] configuration
        return None
    return None


def _log_in(username: str) -> None:
    _shared.log_in(username)
    st.rerun()


def main() -> None:
    st.title(t("members.login.title"))
    ws = _shared.workspace()
    user = _shared.current_user()
    if user is not None:
        st.success(t_md("members.login.already", name=user.display_name or user.username))
        return
    if _sso_configured():
        email = _sso_user_email()
        if email is not None:
            try:
                _log_in(user_for_email(ws, email).username)
            except BuurtkaartError as exc:
                _shared.show_error(exc)
                st.button(t("members.login.sso_logout"), on_click=st.logout, key="login_sso_logout")
        else:
            st.button(t("members.login.sso_button"), on_click=st.login, key="login_sso", type="primary")
            st.caption(t("members.login.or_local"))
    # clear_on_submit: the password never stays in the session's widget state
    with st.form("login_form", clear_on_submit=True):
        username = st.text_input(t("members.login.username"), autocomplete="username")
        password = st.text_input(t("members.login.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("members.login.submit"), type="primary")
    if submitted:
        try:
            found = authenticate(ws, username, password, client=_shared.client_address())
        except BuurtkaartError as exc:
            _shared.show_error(exc)
        else:
            _log_in(found.username)
    st.caption(t("members.login.public_hint"))
    if ws.is_fictional:
        st.caption(t("members.login.demo_hint"))


main()
