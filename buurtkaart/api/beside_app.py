"""The public API and the widget served by the app's own server, beside its pages (``st.App`` routes, see
``app.py``).

The page *Welke groep?* embeds the same search as the municipality's website (:mod:`buurtkaart.api.widget`):
a search is one small request to this API, answered from the shared resident index, not a rerun of the
Streamlit page (which costs the resident's browser about a quarter of a core-second per search,
``benchmarks/bench_sessions.py``).

Each workspace's API (:func:`buurtkaart.api.app.create_app`) is built on its first request, in a worker thread,
and then follows its workspace file as ``buurtkaart serve`` does. The app's workspace is read at each request
from ``location`` (the same one the pages open). On a police zone, ``?gemeente=<NIS code>`` names the
municipality (the page passes the one the visitor chose); the zone itself has no public search.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qs

import anyio.to_thread
from starlette.routing import Route

from buurtkaart.api._limits import LOG, _json
from buurtkaart.api.app import API, DEFAULT_PER_MINUTE, create_app
from buurtkaart.errors import BuurtkaartError, NotFound
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace, location_exists

#: Requests per minute per client for the API beside the app (default :data:`DEFAULT_PER_MINUTE`; 0: no limit).
PER_MINUTE_ENV = "BUURTKAART_API_PER_MINUTE"
#: Other websites that may call the API from a browser (CORS), separated by spaces, as ``buurtkaart serve --origin``.
ORIGINS_ENV = "BUURTKAART_API_ORIGINS"
#: The query parameter naming a zone's municipality (as the app's own links: ``?gemeente=23002``).
MUNICIPALITY_PARAM = "gemeente"
#: The paths served beside the app (all GET): the API and the widget with its Leaflet files.
PATHS = (f"{API}/groep", f"{API}/groepen", f"{API}/straten", f"{API}/openapi.json", "/widget",
         "/widget/assets/{name}")


class AppApis:
    """An ASGI application that answers :data:`PATHS` with the API of the app's workspace (or, on a zone, of the
    municipality in ``?gemeente=``), built on its first request."""

    def __init__(self, location: Callable[[], str], *, per_minute: int = DEFAULT_PER_MINUTE,
                 origins: Sequence[str] = ()) -> None:
        self._location = location
        self._options: dict[str, Any] = {"per_minute": per_minute, "origins": tuple(origins)}
        self._apps: dict[tuple[str, str], Any] = {}
        self._zones: dict[str, bool] = {}
        self._lock = asyncio.Lock()

    @classmethod
    def from_environment(cls, location: Callable[[], str]) -> AppApis:
        """With the rate limit of ``$BUURTKAART_API_PER_MINUTE`` and the websites of ``$BUURTKAART_API_ORIGINS``
        (an unreadable number keeps the default, and says so in the log)."""
        value = os.environ.get(PER_MINUTE_ENV, "").strip()
        per_minute = DEFAULT_PER_MINUTE
        if value:
            try:
                per_minute = max(0, int(value))
            except ValueError:
                LOG.warning("%s is not a whole number; the API keeps %d requests per minute", PER_MINUTE_ENV,
                            DEFAULT_PER_MINUTE)
        return cls(location, per_minute=per_minute, origins=os.environ.get(ORIGINS_ENV, "").split())

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        municipality = (query.get(MUNICIPALITY_PARAM) or [""])[0]
        try:
            app = await self.app_for(municipality)
        except BuurtkaartError as exc:
            await _json(send, 404, {"error": exc.message})
            return
        await app(scope, receive, send)

    async def app_for(self, municipality: str = "") -> Any:
        """The API of the app's workspace (of ``municipality`` on a zone); :class:`NotFound` with a Dutch message
        while there is none (no workspace yet, or a zone without a known municipality)."""
        location = self._location()
        key = (location, municipality if self._zones.get(location, True) else "")
        app = self._apps.get(key)
        if app is None:
            async with self._lock:
                app = self._apps.get(key)
                if app is None:
                    app = await anyio.to_thread.run_sync(self._build, location, municipality)
        return app

    def routes(self) -> list[Route]:
        """The routes to serve beside the app's pages (``st.App(..., routes=apis.routes())``): :data:`PATHS`."""
        return [Route(path, self, methods=["GET"]) for path in PATHS]

    def warm(self) -> None:
        """Build the API of the app's workspace now (the warm launcher), where there is one to build."""
        location = self._location()
        if location_exists(location):
            self._build(location, "")

    def _build(self, location: str, municipality: str) -> Any:
        from buurtkaart import zones

        if not location_exists(location):
            raise NotFound(t("api.error.no_workspace"))
        ws = Workspace.open(location)
        self._zones[location] = zone = zones.is_zone(ws)
        if not zone:
            municipality = ""
        elif not municipality:
            raise NotFound(t("api.error.pick_municipality"))
        else:
            ws = Workspace.open(zones.municipality_workspace(zones.open_zone(location), municipality).path)
        key = (location, municipality)
        if key not in self._apps:
            params = {MUNICIPALITY_PARAM: municipality} if municipality else {}
            self._apps[key] = create_app(ws, params=params, **self._options)
        return self._apps[key]

