"""Small helpers shared by the member pages (login, application, police queue, coordinator, staff users)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from app_pages import _shared
from buurtkaart.display import display_frame
from buurtkaart.errors import BuurtkaartError
from buurtkaart.members.membership import MAX_REASON_LENGTH
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


def screening_queue(read: Callable[[], pd.DataFrame]) -> pd.DataFrame | None:
    """The candidates waiting for the police, read by ``read``; ``None`` (after showing the error, or that nobody
    is waiting) when there is nothing to decide."""
    try:
        queue = read()
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return None
    if queue.empty:
        st.success(t("members.police.empty"))
        return None
    return queue


def screening_form(labels: dict[str, str], *, prefix: str) -> tuple[str, str, str] | None:
    """The police's decision on one candidate of ``labels`` (key → label): approve or refuse, with a reason.

    Nothing is preselected and a refused save keeps every choice, so a second click never decides on someone
    else. Returns ``(key, decision, reason)`` once submitted with a candidate and a decision; the widgets are
    ``<prefix>_member``, ``<prefix>_decision`` and ``<prefix>_reason`` (see :func:`screening_fields`)."""
    with st.form(f"{prefix}_form", clear_on_submit=False):
        picked = st.selectbox(t("members.police.candidate"), list(labels), format_func=lambda k: labels[k],
                              index=None, placeholder=t("members.police.candidate_ph"), key=f"{prefix}_member")
        decision = st.radio(t("members.police.decision"), ["approve", "refuse"], horizontal=True, index=None,
                            format_func=lambda d: t(f"members.police.{d}"), key=f"{prefix}_decision")
        reason = st.text_area(t("members.police.reason"), max_chars=MAX_REASON_LENGTH, key=f"{prefix}_reason")
        submitted = st.form_submit_button(t("members.police.submit"), type="primary")
    if not submitted:
        return None
    if picked is None or decision is None:
        st.warning(t("members.police.choose_first"))
        return None
    return str(picked), str(decision), reason or ""


def screening_fields(prefix: str) -> tuple[str, str, str]:
    """The widget keys of :func:`screening_form`, to empty after a decision."""
    return f"{prefix}_member", f"{prefix}_decision", f"{prefix}_reason"


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
