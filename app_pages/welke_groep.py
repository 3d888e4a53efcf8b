"""Public page "Welke groep?": type an address or a street, see the group, its area, the street answer.

The search is the embeddable widget (:mod:`buurtkaart.api.widget`), served by the app's own server beside the
pages (:mod:`buurtkaart.api.beside_app`): the same search, answers and map as on the municipality's website. A
search is one small request to the API, answered from the shared resident index; the page itself does not rerun,
so a crowd of residents (a newsletter, a burglary wave) costs their browsers and the server little.

Uncovered addresses get the nearest groups with their distance and how to start a new group. Nothing the
resident types is stored or logged: the query lives only in the search box and in one request.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from app_pages import _shared, _zone
from buurtkaart.api.beside_app import MUNICIPALITY_PARAM
from buurtkaart.texts import t

#: The height of the search with its answer and map, in pixels (the widget's map is 340 px).
SEARCH_HEIGHT_PX = 760


def search_url() -> str:
    """The widget's address on this server (under ``server.baseUrlPath``, as the pages are); on a police zone it
    names the chosen municipality."""
    location = _shared.app_location()
    choice = _zone.choice(location) if _zone.is_zone(location) else None
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return (f"/{base}" if base else "") + "/widget" + (f"?{urlencode({MUNICIPALITY_PARAM: choice})}" if choice else "")


def main() -> None:
    st.title(t("app.welke.title"))
    st.write(t("app.welke.intro"))
    st.iframe(search_url(), height=SEARCH_HEIGHT_PX, alt=t("api.widget.title"))
    # where to apply: a link to the page (also on a phone, where the menu is folded away)
    st.page_link("app_pages/kandidaat_worden.py", label=t("app.welke.join"), icon=":material/person_add:")


main()
