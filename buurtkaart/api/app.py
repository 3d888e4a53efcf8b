"""The public read-only HTTP API: the resident's question for the municipality's own website.

``GET /api/v1/groep?adres=...`` answers with :func:`buurtkaart.assignment.find.find_group` (the same function
as ``buurtkaart lookup``); ``GET /api/v1/groepen`` gives the group areas as GeoJSON (names and areas only),
``GET /api/v1/straten`` the street lines (geometry only); ``GET /api/v1/openapi.json`` describes them;
``GET /widget`` is the embeddable search page, which the page *Welke groep?* embeds too
(:mod:`buurtkaart.api.widget`). Only the non-personal layers are read (addresses of the register, streets, groups,
municipality). CORS allows the configured origins, GET only; a rate limit per client answers 429; the log holds
method, path, status and time, never the query (:mod:`buurtkaart.api._limits`).

Run it with ``buurtkaart serve`` (uvicorn). The data follow the workspace file: a change to it (an import, an
edited boundary) is picked up within ``check_every_s`` seconds, built in a worker thread while the old answers
keep being served.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import anyio.to_thread
import geopandas as gpd
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from buurtkaart.api._limits import Guard, RateLimiter
from buurtkaart.api._openapi import openapi_document
from buurtkaart.assignment.find import FindIndex, check_query, find_group
from buurtkaart.errors import InputError
from buurtkaart.schema import DISPLAY_CRS, WORKING_CRS
from buurtkaart.texts import t
from buurtkaart.workspace import Workspace

API = "/api/v1"
#: Requests per minute per client by default (a resident searches a few times; a page reload is one request).
DEFAULT_PER_MINUTE = 60


#: Answers kept per workspace version (the encoded JSON of the most recent distinct questions).
CACHED_ANSWERS = 4096


@dataclass(frozen=True)
class Snapshot:
    """The public data of one version of the workspace, with its answers cache (:meth:`answer_json`)."""

    token: tuple[int, ...]
    index: FindIndex
    groups_geojson: bytes
    #: The street lines (GeoJSON in EPSG:4326: one MultiLineString feature, no properties), the map's orientation.
    streets_geojson: bytes
    fictional: bool
    #: An address of the workspace for the search box's placeholder (``"Kerkstraat 12, 9995 Heikegem"``).
    example: str = ""
    answers: OrderedDict[bytes, bytes] = field(default_factory=OrderedDict, compare=False, repr=False)

    def answer_json(self, query: str) -> bytes:
        """The encoded ``/api/v1/groep`` answer to ``query`` (as :class:`JSONResponse` would encode
        :func:`answer_body`), from a bounded cache of the most recent distinct questions of this version.

        The key is a digest of the question as :func:`check_query` normalises it (the answer depends on nothing
        else), so the cache holds no resident's text; bad questions raise :class:`InputError` and are not kept."""
        key = hashlib.blake2b(check_query(query).encode("utf-8"), digest_size=16).digest()
        cached = self.answers.get(key)
        if cached is not None:
            self.answers.move_to_end(key)
            return cached
        data = json.dumps(answer_body(query, self), ensure_ascii=False, allow_nan=False, indent=None,
                          separators=(",", ":")).encode("utf-8")
        self.answers[key] = data
        if len(self.answers) > CACHED_ANSWERS:
            self.answers.popitem(last=False)
        return data


def build_snapshot(ws: Workspace) -> Snapshot:
    """The resident index, the public group areas (GeoJSON in EPSG:4326, ``group_id`` and ``name`` only) and the
    street lines (geometry only, to about a metre)."""
    import shapely

    from buurtkaart.geocoding.result import example_address
    from buurtkaart.maps.base import to_display

    token = ws.version_token
    groups = ws.read("groups")[["group_id", "name", "geometry"]]
    shown = to_display(groups, layer="groups") if len(groups) else groups.to_crs(DISPLAY_CRS)
    streets = ws.read("streets", columns=["geometry"])
    streets = to_display(streets, layer="streets") if len(streets) else streets.to_crs(DISPLAY_CRS)
    lines = shapely.get_parts(shapely.set_precision(streets.geometry.values, 1e-5))
    lines = lines[~shapely.is_empty(lines)]  # a line of a few metres can vanish at this precision
    # one feature: the browser projects and draws it as one shape, not thousands (a search moves the map)
    street_lines = gpd.GeoDataFrame(geometry=[shapely.multilinestrings(lines)] if len(lines) else [],
                                    crs=DISPLAY_CRS)
    return Snapshot(token=token, index=FindIndex.cached(ws),
                    groups_geojson=shown.to_json(drop_id=True, ensure_ascii=False).encode("utf-8"),
                    streets_geojson=street_lines.to_json(drop_id=True).encode("utf-8"),
                    fictional=ws.is_fictional, example=example_address(
                        ws.read("addresses", columns=["street", "housenumber", "postcode", "deelgemeente"])))


class _Data:
    """The current snapshot; rebuilt in a worker thread when the file changed (checked every few seconds)."""

    def __init__(self, ws: Workspace, *, check_every_s: float) -> None:
        self.ws = ws
        self.check_every_s = check_every_s
        self.snapshot = build_snapshot(ws)
        self._checked = time.monotonic()
        self._lock = asyncio.Lock()

    async def current(self) -> Snapshot:
        now = time.monotonic()
        if now - self._checked >= self.check_every_s:
            self._checked = now
            if self.ws.version_token != self.snapshot.token and not self._lock.locked():
                async with self._lock:
                    self.snapshot = await anyio.to_thread.run_sync(build_snapshot, self.ws)
        return self.snapshot


@lru_cache(maxsize=1)
def _to_display() -> Any:
    from pyproj import Transformer

    return Transformer.from_crs(WORKING_CRS, DISPLAY_CRS, always_xy=True)


def answer_body(query: str, snapshot: Snapshot) -> dict[str, Any]:
    """The JSON body of ``/api/v1/groep``: the resident answer plus the point in EPSG:4326 (``lat``, ``lon``)."""
    answer = find_group(query, index=snapshot.index)
    body = answer.to_dict()
    point = answer.lookup.point
    if point is not None:
        lon, lat = _to_display().transform(point.x, point.y)
        body["address"]["lat"], body["address"]["lon"] = round(lat, 6), round(lon, 6)
    body["fictional"] = snapshot.fictional
    return body


def create_app(workspace: Workspace, *, origins: Sequence[str] = (), per_minute: int = DEFAULT_PER_MINUTE,
               check_every_s: float = 2.0, params: Mapping[str, str] | None = None) -> Starlette:
    """The ASGI application for ``workspace``; ``origins`` are the websites allowed to call it from a browser
    (CORS), ``per_minute`` the requests a client may make per minute (0: no limit), ``params`` the query
    parameters the widget adds to each of its requests (``gemeente`` on a zone, :mod:`buurtkaart.api.beside_app`)."""
    from buurtkaart.api import widget

    data = _Data(workspace, check_every_s=check_every_s)

    async def groep(request: Request) -> Response:
        values = request.query_params.getlist("adres")
        query = values[0] if len(values) == 1 else ""
        snapshot = await data.current()
        try:
            return Response(snapshot.answer_json(query), media_type="application/json")
        except InputError as exc:
            return JSONResponse({"error": exc.message, "problems": exc.problems}, status_code=400)

    async def groepen(request: Request) -> Response:
        snapshot = await data.current()
        return Response(snapshot.groups_geojson, media_type="application/geo+json",
                        headers={"cache-control": "public, max-age=60"})

    async def straten(request: Request) -> Response:
        snapshot = await data.current()
        return Response(snapshot.streets_geojson, media_type="application/geo+json",
                        headers={"cache-control": "public, max-age=60"})

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document())

    async def http_error(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        key = {404: "api.error.not_found", 405: "api.error.method"}.get(code, "api.error.internal")
        return JSONResponse({"error": t(key)}, status_code=code)

    routes = [
        Route(f"{API}/groep", groep, methods=["GET"]),
        Route(f"{API}/groepen", groepen, methods=["GET"]),
        Route(f"{API}/straten", straten, methods=["GET"]),
        Route(f"{API}/openapi.json", openapi, methods=["GET"]),
        *widget.routes(api=API, origins=origins, params=params),
    ]
    middleware = [
        Middleware(Guard, limiter=RateLimiter(per_minute=per_minute)),
        Middleware(GZipMiddleware, minimum_size=8192),  # the areas and streets (a tenth of their size), not answers
        Middleware(CORSMiddleware, allow_origins=list(origins), allow_methods=["GET"], allow_headers=[],
                   max_age=3600),
    ]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error})
    app.state.fictional = data.snapshot.fictional
    app.state.data = data  # the current snapshot (and its answers cache), for tests and checks
    return app
