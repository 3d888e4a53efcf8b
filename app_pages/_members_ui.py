"""Small helpers shared by the member pages (login, application, police queue, coordinator, staff users)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages import _shared
from buurtkaart.errors import BuurtkaartError
from buurtkaart.texts import t

_FLASH = "members_flash"


def act(action: Callable[[], object], done_key: str, **values: object) -> None:
    """Run a library action; on success remember a confirmation (a text key + ids) and rerun, else show the error."""
    try:
        action()
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    st.session_state[_FLASH] = (done_key, {k: str(v) for k, v in values.items()})
    st.rerun()


def show_flash() -> None:
    """The confirmation of the last action, once."""
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        key, values = flash
        st.success(t(key, **values), icon=":material/check_circle:")


def download(label_key: str, make: Callable[[], bytes], *, file_name: str, key: str, mime: str = "text/csv") -> None:
    """A download whose data is made (and the export written to the audit log) only when it is clicked."""
    st.download_button(t(label_key), data=make, file_name=file_name, mime=mime, key=key, on_click="ignore",
                       icon=":material/download:")
