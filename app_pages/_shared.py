"""What every page shares: the workspace, cached layers, the logged-in user, errors, maps and downloads.

Pages only collect input, call the library and draw what it returns. ``st.session_state`` holds ids and numbers
only (``"username"`` is the logged-in account). Loaders are cached on the workspace's ``version_token``, so a
change to the file (an import, an edit) is seen on the next rerun.

API for pages::

    ws = workspace()                    # the open Workspace (created as the demo on a fresh machine)
    streets = layer("streets")          # a cached copy of a non-personal layer
    user = current_user()               # buurtkaart.members.accounts.User or None
    user = require_role("staff")        # stops the page with a Dutch message for anyone else
    show_error(exc)                     # a BuurtkaartError as a Dutch message with its list of problems
    show_map(folium_map, key="...")     # st_folium with offline assets and only the returned objects asked for
    download_frame(frame, file_stem="groepen", key="...")   # CSV (+ GeoJSON for spatial frames)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd
import streamlit as st

from app_pages import _zone
from app_pages._location import APP_DIR, app_location
from buurtkaart import zones
from buurtkaart.errors import BuurtkaartError, PermissionDenied
from buurtkaart.exports import csv_bytes, frame_bytes
from buurtkaart.members import sessions
from buurtkaart.members.accounts import User, get_user, session_binding
from buurtkaart.safe_text import markdown_text
from buurtkaart.schema import LAYERS
from buurtkaart.texts import t, t_md
from buurtkaart.workspace import DEFAULT_PATH, ENV_VAR, Workspace, is_server_url, resolve_path, workspace_at

#: Streamlit serves ``<app dir>/static`` at ``/app/static`` (``server.enableStaticServing``).
STATIC_DIR = APP_DIR / "static"
STATIC_URL = "app/static"
USER_KEY = "username"

R = TypeVar("R")


# ------------------------------------------------------------------------------------------------ workspace
def workspace() -> Workspace:
    """The app's workspace; on a fresh machine the fictional demo is created first. Stops with a Dutch message
    when a chosen workspace is missing or unreadable."""
    location = app_location()
    try:
        ws = _open_workspace(location)
        if _zone.is_zone(location):  # a police zone: the municipality picked (the zone itself for its police)
            return _zone.chosen_workspace(ws, location)
        return ws
    except BuurtkaartError as exc:
        show_error(exc)
        st.stop()
        raise  # unreachable: st.stop() raises


@st.cache_resource(show_spinner=False)
def _open_workspace(path: str) -> Workspace:
    if is_server_url(path):
        return Workspace.open(path)
    target = Path(path)
    if not target.exists() and not os.environ.get(ENV_VAR) and target.name == DEFAULT_PATH.name:
        from buurtkaart.synthetic import ensure_demo_workspace

        with st.spinner(t("app.creating_demo")):
            return ensure_demo_workspace(target)
    return Workspace.open(target)


def layer(name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """A cached copy of the non-personal layer ``name`` (personal data goes through buurtkaart.members.membership)."""
    if name in LAYERS and LAYERS[name].personal:
        raise PermissionDenied(t("app.personal_layer", layer=name))
    ws = workspace()
    return _read_layer(str(ws.path), ws.version_token, name)


@st.cache_data(show_spinner=False, max_entries=64)
def _read_layer(path: str, token: tuple[int, ...], name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    return workspace_at(path).read(name)


def cached(builder: Callable[..., R], *args: Hashable) -> R:
    """``builder(ws, *args)`` computed once per workspace version (and ``args``) and shared by every session (a
    lookup index, a plan, a report): the one cached loader of the pages.

    ``builder`` must be a named module-level function (its qualified name is part of the cache key); ``args`` are
    hashable options (numbers, strings, tuples). The result is shared, so callers must not change it.
    """
    code = getattr(builder, "__code__", None)
    name = f"{builder.__module__}.{builder.__qualname__}@{code.co_filename if code else ''}"
    if "<lambda>" in name or "<locals>" in name:
        raise TypeError(f"cached() needs a module-level function, not {name}")
    ws = workspace()
    return _cached_resource(str(ws.path), ws.version_token, name, args, builder)


@st.cache_resource(show_spinner=False, max_entries=256)
def _cached_resource(path: str, token: tuple[int, ...], name: str, args: tuple[Hashable, ...],
                     _builder: Callable[..., Any]) -> Any:
    return _builder(workspace_at(path), *args)


def _example_address(ws: Workspace) -> str:
    from buurtkaart.geocoding.result import example_address

    return example_address(ws.read("addresses", columns=["street", "housenumber", "postcode", "deelgemeente"]))


def example_address() -> str:
    """An address of this workspace for a placeholder (``"Kerkstraat 12, 9995 Heikegem"`` on the demo)."""
    return cached(_example_address)


# ------------------------------------------------------------------------------------------------ users
_LOGGED_OUT = "logged_out"
_COOKIE_JS = "cookie_js"


def current_user() -> User | None:
    """The logged-in ``buurtkaart.members.accounts.User``, or None for the public (and for an account that is gone).
    After a reload the login comes back from the signed cookie (:mod:`buurtkaart.members.sessions`) while it is
    valid."""
    username = st.session_state.get(USER_KEY)
    if not username and not st.session_state.get(_LOGGED_OUT):
        username = _remembered_username()
        if username:
            st.session_state[USER_KEY] = username
    if not username:
        return None
    ws = workspace()
    user = zones.zone_user(ws, str(username)) if on_zone_itself(ws) else get_user(ws, str(username))
    if user is None:
        st.session_state.pop(USER_KEY, None)
    return user


def on_zone_itself(ws: Workspace) -> bool:
    """Whether ``ws`` is a police zone itself (its police log in there), not a municipality's workspace."""
    return is_server_url(str(ws.path)) and _zone.is_zone(str(ws.path))


def _switch_municipality() -> None:
    log_out()
    _zone.forget_choice()


def _session_cookie() -> str | None:
    """The session cookie the browser sent when this session started (read-only in Streamlit)."""
    try:
        return st.context.cookies.get(sessions.COOKIE_NAME)
    except Exception:  # no browser connection (bare mode): no cookies at all
        return None


def _session_secret(ws: Workspace) -> bytes:
    """The key session tokens are signed with (beside a workspace file; for a server workspace
    ``BUURTKAART_SESSION_SECRET`` or a key of this process)."""
    location = str(ws.path)
    return sessions.server_secret(None if is_server_url(location) else Path(location).resolve())


def _remembered_username() -> str | None:
    token = _session_cookie()
    claimed = sessions.token_username(token)
    if not claimed:
        return None
    ws = workspace()
    binding = session_binding(ws, claimed)
    if binding is None:
        return None
    return sessions.verify_token(_session_secret(ws), token, binding=binding)


def log_in(username: str) -> None:
    """Remember ``username`` in this session and, for a reload, in a signed cookie that expires after
    ``buurtkaart.members.sessions.SESSION_HOURS`` hours."""
    ws = workspace()
    token = sessions.issue_token(_session_secret(ws), username,
                                 binding=session_binding(ws, username) or "")
    st.session_state[USER_KEY] = username
    st.session_state.pop(_LOGGED_OUT, None)
    st.session_state[_COOKIE_JS] = _cookie_script(token, max_age_s=int(sessions.SESSION_HOURS * 3600))


def log_out() -> None:
    """Forget the logged-in user, here and in the browser's cookie (a button callback)."""
    st.session_state.pop(USER_KEY, None)
    st.session_state[_LOGGED_OUT] = True
    st.session_state[_COOKIE_JS] = _cookie_script("", max_age_s=0)


def _cookie_script(value: str, *, max_age_s: int) -> str:
    # the token is base64url text and the name a constant, so nothing here needs quoting
    secure = "' + (location.protocol === 'https:' ? '; Secure' : '') + '"
    return (f"<script>document.cookie = '{sessions.COOKIE_NAME}={value}; Max-Age={max_age_s}; Path=/; "
            f"SameSite=Strict{secure}';</script>")


def write_cookie() -> None:
    """Send a pending change of the session cookie to the browser (called once per run by app.py)."""
    script = st.session_state.pop(_COOKIE_JS, None)
    if script:
        with st.sidebar:
            st.html(script, unsafe_allow_javascript=True, width="content")


def require_role(*roles: str) -> User:
    """The logged-in user if their role is one of ``roles``; otherwise a Dutch message and the page stops."""
    user = current_user()
    if user is None or user.role not in roles:
        st.warning(t("app.role_required", roles=", ".join(t(f"app.role.{r}") for r in roles)))
        st.stop()
    return user


def client_address() -> str | None:
    """Where the visitor connects from, for the login throttle: the ``X-Real-IP`` the reverse proxy sets (see
    README, "Security"), else the address of the connection."""
    address = st.context.headers.get("X-Real-IP") or st.context.ip_address
    return address if isinstance(address, str) and address else None


# ------------------------------------------------------------------------------------------------ chrome
def fictional_banner(ws: Workspace) -> None:
    """The demo is marked as fictional on every page."""
    if ws.is_fictional:
        st.info(t("core.fictional_banner"), icon=":material/theater_comedy:")


def sidebar(ws: Workspace, user: User | None) -> None:
    """The municipality, who is logged in, and a log-out button."""
    with st.sidebar:
        name = ws.metadata.get("municipality", "")
        st.caption(t_md("app.sidebar.workspace", municipality=name))
        if _zone.can_switch(str(resolve_path())):
            st.button(t("zones.app.switch"), on_click=_switch_municipality, key="zone_switch",
                      icon=":material/swap_horiz:")
        if user is not None:
            st.caption(t_md("app.sidebar.logged_in", name=user.display_name or user.username,
                         role=t(f"app.role.{user.role}")))
            st.button(t("app.logout"), on_click=log_out, key="app_logout", icon=":material/logout:")


def show_error(exc: BuurtkaartError) -> None:
    """A buurtkaart error as one Dutch message with its problems listed (never a traceback)."""
    lines = [markdown_text(exc.message), *(f"- {markdown_text(p)}" for p in exc.problems)]
    st.error("\n".join(lines), icon=":material/error:")


# ------------------------------------------------------------------------------------------------ maps
def prepare_maps() -> None:
    """Import the map libraries and load the list of local assets now, so the first map a visitor asks for
    does not wait for them (about a second on a cold server)."""
    import folium
    import streamlit_folium  # noqa: F401

    from buurtkaart.maps import localize_assets

    localize_assets(folium.Map(tiles=None), base_url=f"/{STATIC_URL}/vendor/")


def _serve_map_component() -> None:
    """Make sure this server serves the map component's files. streamlit-folium declares its component when it is
    first imported, and only a declaration made while a page runs reaches the server; imported earlier (the warm
    launcher app_server.py imports it before the server starts) the browser got "404" for every map."""
    import streamlit_folium
    from streamlit.runtime import Runtime

    component = streamlit_folium._component_func
    registry = Runtime.instance().component_registry
    if registry.get_component_path(component.name) is None:
        registry.register_component(component)


def show_map(
    folium_map: Any,
    *,
    key: str,
    returned_objects: Iterable[str] = (),
    height: int = 480,
) -> dict[str, Any]:
    """Draw a folium map built by ``buurtkaart.maps`` with the app's own copies of Leaflet and its plugins.

    Only ``returned_objects`` (e.g. ``["last_object_clicked_tooltip"]``) make the page rerun on interaction.
    """
    from streamlit_folium import st_folium

    _serve_map_component()
    _offline(folium_map)
    result = st_folium(
        folium_map,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=list(returned_objects),
    )
    return dict(result or {})


def _offline(folium_map: Any) -> None:
    """The app's own copies of Leaflet and its plugins instead of the CDN links folium writes."""
    from buurtkaart.maps import lean_assets, localize_assets, write_assets

    lean_assets(folium_map)
    try:
        write_assets(STATIC_DIR / "vendor")
    except OSError as exc:  # a read-only install: the map then needs internet for its libraries
        st.warning(t("app.assets_unwritable", folder=STATIC_DIR / "vendor", reason=exc))
    else:
        base_path = str(st.get_option("server.baseUrlPath") or "").strip("/")
        prefix = f"/{base_path}" if base_path else ""
        localize_assets(folium_map, base_url=f"{prefix}/{STATIC_URL}/vendor/")


# ------------------------------------------------------------------------------------------------ downloads
def download_frame(frame: pd.DataFrame, *, file_stem: str, key: str) -> None:
    """Download buttons for a table: CSV always, GeoJSON (EPSG:4326) for a spatial frame."""
    columns = st.columns(2)
    table = pd.DataFrame(frame.drop(columns="geometry")) if isinstance(frame, gpd.GeoDataFrame) else frame
    columns[0].download_button(
        t("app.download_csv"),
        data=csv_bytes(table),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
    )
    if isinstance(frame, gpd.GeoDataFrame) and len(frame):
        columns[1].download_button(
            t("app.download_geojson"),
            data=frame_bytes(frame, file_stem, ".geojson")[0],
            file_name=f"{file_stem}.geojson",
            mime="application/geo+json",
            key=f"{key}_geojson",
            icon=":material/download:",
        )

