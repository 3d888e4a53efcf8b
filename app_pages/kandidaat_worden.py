"""Public page "Kandidaat worden": a resident applies to join the group of their address.

The form asks name, address, phone (WhatsApp) and optional e-mail, shows the declaration of intent and the consent
to pass the data to the police with their text version, and hands everything to
:func:`buurtkaart.members.membership.submit_application`. The resident sees only their own reference and group.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _shared
from buurtkaart.errors import BuurtkaartError
from buurtkaart.members.membership import Application, declaration, submit_application
from buurtkaart.safe_text import markdown_text
from buurtkaart.texts import t


def _indexes():
    """The address index and the group index, built once per workspace version and shared with "Welke groep?"."""
    from buurtkaart.assignment.points import GroupIndex
    from buurtkaart.geocoding.lookup import AddressIndex

    return _shared.cached(AddressIndex.from_workspace), _shared.cached(GroupIndex.from_workspace)


_RECEIPT = "apply_receipt"
_FIELDS = ("apply_name", "apply_address", "apply_phone", "apply_email", "apply_intent", "apply_consent")


def _start_over() -> None:
    """A button callback: forget the receipt, so that the (empty) form shows again for another person."""
    st.session_state.pop(_RECEIPT, None)


def _show_receipt(member_id: str, message: str) -> None:
    st.success(markdown_text(message), icon=":material/check_circle:")
    st.info(t("members.apply.reference", member_id=member_id))
    st.button(t("members.apply.another"), on_click=_start_over, key="apply_another")


def main() -> None:
    st.title(t("members.apply.title"))
    receipt_shown = st.session_state.get(_RECEIPT)
    if receipt_shown:
        # the application was sent: its receipt replaces the form, so a second click cannot send it again
        _show_receipt(*receipt_shown)
        return
    st.write(t("members.apply.intro"))
    ws = _shared.workspace()
    texts = declaration()
    with st.form("apply_form", clear_on_submit=False):
        name = st.text_input(t("members.apply.name"), max_chars=100, autocomplete="name", key="apply_name")
        address = st.text_input(t("members.apply.address"), max_chars=200, autocomplete="street-address",
                                placeholder=t("members.apply.address_ph", example=_shared.example_address()),
                                key="apply_address")
        phone = st.text_input(t("members.apply.phone"), max_chars=30, autocomplete="tel", key="apply_phone")
        email = st.text_input(t("members.apply.email"), max_chars=200, autocomplete="email", key="apply_email")
        st.markdown(f"**{t('members.apply.declaration_title')}** ({texts['version']})")
        st.caption(texts["intent"])
        intent = st.checkbox(t("members.apply.declaration_check"), key="apply_intent")
        st.caption(texts["consent"])
        consent = st.checkbox(t("members.apply.consent_check"), key="apply_consent")
        submitted = st.form_submit_button(t("members.apply.submit"), type="primary")
    if not submitted:
        return
    application = Application(name=name, address_text=address, phone=phone, email=email,
                              declaration_accepted=intent, consent_police=consent)
    try:
        with st.spinner(t("members.apply.busy")):
            index, groups = _indexes()
            receipt = submit_application(ws, application, index=index, groups=groups)
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    st.session_state[_RECEIPT] = (receipt.member_id, receipt.message)
    for key in _FIELDS:  # the next person starts from an empty form
        st.session_state.pop(key, None)
    st.rerun()


main()
