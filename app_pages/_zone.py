"""The app started on a police zone (``BUURTKAART_WORKSPACE`` names a zone's schema, see buurtkaart.zones).

A visitor first picks the municipality (or ``?gemeente=23002`` in the link, or ``BUURTKAART_MUNICIPALITY=23002``
starts the app for one); every page then runs on that municipality's own workspace, and its staff and
coordinators log in there. The zone's police pick "Politiezone ..." and log in once against the zone: their
screening page lists the candidates of every municipality of the zone. ``st.session_state`` holds only the
chosen NIS code (or ``"zone"``).
"""

from __future__ import annotations

import os

import streamlit as st

from buurtkaart import zones
from buurtkaart.api.beside_app import MUNICIPALITY_PARAM
from buurtkaart.pg_workspace import PostgisWorkspace
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, is_server_url, workspace_at

MUNICIPALITY_ENV = "BUURTKAART_MUNICIPALITY"
CHOICE_KEY = "zone_municipality"
PICKER_KEY = "zone_pick"
#: The link's municipality (``?gemeente=23002``), the same parameter the search beside the pages reads.
QUERY_PARAM = MUNICIPALITY_PARAM
#: The choice of the zone's police: the zone itself (its accounts, its screening page).
ZONE_CHOICE = "zone"


@st.cache_resource(show_spinner=False)
def is_zone(location: str) -> bool:
    """Whether the app's workspace location is a zone (decided once per process)."""
    return is_server_url(location) and zones.is_zone(workspace_at(location))


@st.cache_data(show_spinner=False, ttl=60)
def _municipalities(location: str) -> list[tuple[str, str]]:
    frame = zones.municipalities(PostgisWorkspace(location))
    return list(zip(frame["nis_code"].astype(str), frame["name"].astype(str), strict=True))


@st.cache_resource(show_spinner=False)
def _municipality_workspace(location: str, nis_code: str) -> Workspace:
    return PostgisWorkspace.open(zones.municipality_workspace(PostgisWorkspace(location), nis_code).path)


def fixed() -> bool:
    """Whether the app was started for one municipality (no picker)."""
    return bool(os.environ.get(MUNICIPALITY_ENV))


def choice(location: str) -> str | None:
    """The chosen NIS code (or :data:`ZONE_CHOICE`): fixed at start, picked in this session, or in the link."""
    if fixed():
        return os.environ[MUNICIPALITY_ENV].strip()
    picked = st.session_state.get(CHOICE_KEY)
    if not picked:
        linked = st.query_params.get(QUERY_PARAM)
        if linked in dict(_municipalities(location)):
            picked = st.session_state[CHOICE_KEY] = linked
    return str(picked) if picked else None


def chosen_workspace(zone: Workspace, location: str) -> Workspace:
    """The workspace of the chosen municipality (the zone itself for its police); without a choice the picker
    is shown and the page stops."""
    picked = choice(location)
    if picked == ZONE_CHOICE and not fixed():
        return zone
    if picked:
        return _municipality_workspace(location, picked)
    picker(zone, location)
    st.stop()
    raise AssertionError  # unreachable: st.stop() raises


def _pick() -> None:
    st.session_state[CHOICE_KEY] = st.session_state.get(PICKER_KEY)


def picker(zone: Workspace, location: str) -> None:
    """Which municipality? One line per municipality of the zone, and one for the zone's police."""
    zone_name = zone.metadata.get("municipality", "")
    labels = {nis: t("zones.app.option", name=name, nis=nis) for nis, name in _municipalities(location)}
    labels[ZONE_CHOICE] = t("zones.app.option_police", zone=zone_name)
    st.title(t("zones.app.pick_title"))
    st.write(t("zones.app.pick_intro", zone=zone_name))
    st.selectbox(t("zones.app.pick_label"), list(labels), format_func=lambda k: labels[k], index=None,
                 placeholder=t("zones.app.pick_placeholder"), key=PICKER_KEY, on_change=_pick)


def can_switch(location: str) -> bool:
    """Whether the sidebar offers another municipality (on a zone, unless started for one)."""
    return is_zone(location) and not fixed()


def forget_choice() -> None:
    """Back to the picker (the caller logs out: an account belongs to one municipality or to the zone)."""
    st.session_state.pop(CHOICE_KEY, None)
    st.session_state.pop(PICKER_KEY, None)
    if QUERY_PARAM in st.query_params:
        del st.query_params[QUERY_PARAM]
