"""Public page "Welke groep?": type an address or a street, see the group, its area, the street answer.

Uncovered addresses get the nearest groups with their distance and how to start a new group. Nothing the
resident types is stored: the query lives only in the text box.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages import _shared
from buurtkaart.errors import BuurtkaartError
from buurtkaart.safe_text import markdown_text
from buurtkaart.texts import t, t_md
from buurtkaart.vocabulary import UNSURE_LOOKUP_STATUSES, AddressStatus, LookupStatus

QUERY_KEY = "welke_query"
#: The longest address anyone types; a longer paste is cut by the text box (and never echoed in full).
MAX_QUERY_CHARS = 200


def _index() -> Any:
    from buurtkaart.assignment.find import FindIndex

    return _shared.cached(FindIndex.cached)  # from its cache file when a server process starts


def _how(status: str) -> str:
    key = f"app.welke.how.{status}"
    try:
        return t(key)
    except KeyError:
        return status


def _use_suggestion(text: str) -> None:
    st.session_state[QUERY_KEY] = text


def _join_link() -> None:
    """Where to apply: a link to the page (also on a phone, where the menu is folded away)."""
    st.page_link("app_pages/kandidaat_worden.py", label=t("app.welke.join"), icon=":material/person_add:")


def _answer(answer: Any) -> tuple[list[str], bool]:
    """Show which group covers the found point; return the group ids to highlight and whether it is covered."""
    status = answer.status
    if status == AddressStatus.TOEGEWEZEN:
        st.success(t_md("app.welke.covered", group=answer.group_names[0]), icon=":material/groups:")
        _join_link()
        return list(answer.group_ids), True
    if status == AddressStatus.OVERLAP:
        st.warning(t_md("app.welke.overlap", groups=", ".join(answer.group_names)))
        _join_link()
        return list(answer.group_ids), True
    if status == AddressStatus.BUITEN_GEMEENTE:
        st.warning(t("app.welke.outside"))
        return [], False
    st.info(t("app.welke.uncovered"), icon=":material/info:")
    if answer.nearest:
        st.markdown(f"**{t('app.welke.nearest_title')}**")
        st.markdown("\n".join(
            "- " + t_md("app.welke.nearest_row", group=name, distance=round(d)) for _g, name, d in answer.nearest
        ))
    st.markdown(f"**{t('app.welke.start_title')}**")
    st.markdown(t("app.welke.start_text"))
    return list(answer.group_ids), False


def _street_answer(answer: Any) -> list[str]:
    """The street answer ("Kerkstraat 1-57 (oneven): groep Centrum; ..."); the groups it names."""
    if answer.street is None:
        return []
    st.markdown(f"**{t('app.welke.street_title')}**")
    st.markdown(markdown_text(answer.street.text))
    return [str(g) for g in answer.street.group_ids]


def _overlay(point: Any, highlight: list[str]) -> str:
    """The answer drawn on the map: the shared answer of its groups with this resident's address on it, or an
    answer of its own for an address outside that answer's view (an uncovered address far from its nearest
    group); nothing without an address or a group."""
    from buurtkaart.maps import address_marker, resident_answer

    if point is None and not highlight:
        return ""
    if highlight:
        shared, view = _shared.cached(_shared.resident_group_answer, tuple(highlight), point is not None)
        if point is None:
            return shared
        if view.covers(point):
            return shared + _shared.overlay_script(address_marker(point))
    return _shared.overlay_script(resident_answer(point, groups=_shared.layer("groups"), highlight=highlight,
                                                  streets=_shared.layer("streets")))


def _map(overlay: str, *, caption_key: str) -> None:
    """The map of all groups, on the page from the start and kept in the browser from one search to the next
    (always at this place on the page, so it is not drawn anew), with the answer drawn on it."""
    st.caption(t(caption_key))
    _shared.show_prepared_map(_shared.cached(_shared.prepared_resident_map), key="welke_map", height=380,
                              overlay=overlay)


def main() -> None:
    st.title(t("app.welke.title"))
    st.write(t("app.welke.intro"))
    _search()


@st.fragment
def _search() -> None:
    """The form, the answer and the map: a search reruns only this part of the page, not the app's navigation,
    sidebar and banner (a fragment rerun)."""
    with st.form("welke_form", border=False):
        query = st.text_input(t("app.welke.input"), key=QUERY_KEY, max_chars=MAX_QUERY_CHARS,
                              placeholder=t("app.welke.placeholder", example=_shared.example_address()))
        submitted = st.form_submit_button(t("app.welke.search"), icon=":material/search:", type="primary")
    # build the lookup and group indexes while the resident types (once per workspace version, for every session)
    _index()
    _shared.prepare_maps()
    with st.container():
        overlay, caption_key = _answer_to((query or "").strip(), submitted=submitted)
    with st.container():
        _map(overlay, caption_key=caption_key)


def _answer_to(query: str, *, submitted: bool) -> tuple[str, str]:
    """Show the answer to ``query``; return what to draw on the map and the map's caption."""
    nothing = ("", "app.welke.map_caption_all")
    if not query:
        if submitted:
            st.info(t("app.welke.empty"))
        return nothing
    from buurtkaart.assignment.find import find_group

    try:
        answer = find_group(query, index=_index())
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return nothing
    result = answer.lookup
    if result.status in UNSURE_LOOKUP_STATUSES:
        st.warning(t("app.welke.not_found") if result.status == LookupStatus.NOT_FOUND else t("app.welke.suggestions"))
        if result.message:
            st.caption(markdown_text(result.message))
        suggestions = [s.label for s in result.suggestions][:5]
        if suggestions:
            if result.status == LookupStatus.NOT_FOUND:
                st.markdown(t("app.welke.suggestions"))
            for i, text in enumerate(suggestions):
                st.button(markdown_text(text), key=f"welke_suggestion_{i}", on_click=_use_suggestion, args=(text,))
        return nothing
    st.caption(markdown_text(result.message)
               or t_md("app.welke.found_how", label=result.label or query, how=_how(str(result.status))))
    highlight: list[str] = []
    caption_key = "app.welke.map_caption_street"
    if result.found:
        highlight, covered = _answer(answer)
        caption_key = "app.welke.map_caption" if covered else "app.welke.map_caption_nearest"
    street_groups = _street_answer(answer)
    if not result.found:
        highlight = street_groups
    if not result.found and not highlight:
        st.info(t("app.welke.uncovered"))
        st.markdown(t("app.welke.start_text"))
    overlay = _overlay(result.point if result.found else None, highlight)
    return (overlay, caption_key) if overlay else nothing


main()
