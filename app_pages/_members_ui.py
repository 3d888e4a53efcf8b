"""Small helpers shared by the member pages (login, application, police queue, coordinator, staff users)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from app_pages import _shared
from buurtkaart.display import display_frame
from buurtkaart.errors import BuurtkaartError
from buurtkaart.texts import catalogue, t

_FLASH = "members_flash"


def act(action: Callable[[], object], done_key: str, *, reset: Iterable[str] = (), **values: object) -> None:
    """Run a library action; on success remember a confirmation (a text key + the ids and name it names), empty
    the widgets ``reset`` (so that nothing stays chosen for the next action) and rerun; else show the error and
    keep every choice as it was."""
    try:
        action()
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    st.session_state[_FLASH] = (done_key, {k: str(v) for k, v in values.items()})
    for key in reset:
        st.session_state.pop(key, None)
    st.rerun()


def show_flash() -> None:
    """The confirmation of the last action, once. Always takes one slot on the page (an empty container when
    there is nothing to say), so that the widgets below keep their place and open tabs stay open."""
    slot = st.container()
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        key, values = flash
        slot.success(t(key, **values), icon=":material/check_circle:")


def download(label_key: str, make: Callable[[], bytes], *, file_name: str, key: str, mime: str = "text/csv") -> None:
    """A download whose data is made (and the export written to the audit log) only when it is clicked."""
    st.download_button(t(label_key), data=make, file_name=file_name, mime=mime, key=key, on_click="ignore",
                       icon=":material/download:")


def dutch_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame for display: Dutch column headers (``members.col.<column>``) and Dutch values
    (:func:`buurtkaart.display.display_frame`)."""
    texts = catalogue()
    return display_frame(frame).rename(columns={c: texts.get(f"members.col.{c}", c) for c in frame.columns})


def table(frame: pd.DataFrame) -> None:
    """A scrollable table with Dutch headers."""
    st.dataframe(dutch_columns(frame), hide_index=True, width="stretch")
