"""A local stand-in for the public download services (stdlib ``http.server`` on 127.0.0.1 in a thread), serving
the town you can draw of test_importers_best.py in the services' own formats: the VRBG WFS (GeoJSON), the
Wegenregister WFS (GeoJSON, ``startIndex``/``count``) and the Basisregisters API v2 (``/v2/adressen`` pages of at
most ``page`` with a ``volgende`` link, and ``/v2/adressen/{id}`` details). ``FakeServices.mode`` breaks it on purpose.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import geopandas as gpd
import shapely

from tests.test_importers import municipalities
from tests.test_importers_best import ROWS
from tests.test_importers_flanders import api_detail, wegsegmenten


@dataclass
class FakeServices:
    """``mode``: ``""`` (all well), ``"slow"`` (the boundary answers after ``delay_s``), ``"bad_json"`` (the second
    address page is no JSON), ``"flaky"`` (the boundary answers 503 twice, then well). ``hits`` counts the requests
    per path, ``user_agents`` keeps the User-Agent header of each."""

    mode: str = ""
    delay_s: float = 1.0
    hits: dict[str, int] = field(default_factory=dict)
    base_url: str = ""
    page: int = 3  # the most addresses per list page (the real API allows 500)
    rows: list[tuple] = field(default_factory=lambda: list(ROWS))  # in the layout of test_importers_best.ROWS
    boundaries: gpd.GeoDataFrame = field(default_factory=municipalities)  # code, naam, geometry
    segments: gpd.GeoDataFrame = field(default_factory=wegsegmenten)  # the Wegenregister's fields
    user_agents: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _by_id: dict[str, tuple] = field(default_factory=dict, repr=False)
    _segment_features: list[Any] = field(default_factory=list, repr=False)

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        with self._lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            if not self._by_id:
                self._by_id = {r[0]: r for r in self.rows}
                self._segment_features = json.loads(self.segments.to_json())["features"]
        if path == "/VRBG/wfs":
            if self.mode == "flaky" and self.hits[path] <= 2:
                return 503, b"{}"
            if self.mode == "slow":
                time.sleep(self.delay_s)
            code = re.search(r"'(\d+)'", query.get("cql_filter", ""))
            frame = self.boundaries
            features = [{"type": "Feature", "properties": {"NISCODE": c, "NAAM": n},
                         "geometry": shapely.geometry.mapping(g)}
                        for c, n, g in zip(frame["code"], frame["naam"], frame.geometry, strict=True)
                        if code and c == code.group(1)]
            return 200, _json({"type": "FeatureCollection", "features": features})
        if path == "/Wegenregister/wfs":
            start, count = int(query.get("startIndex", 0)), int(query.get("count", 1000))
            features = self._segment_features[start:start + count]
            return 200, _json({"type": "FeatureCollection", "features": features})
        if path == "/v2/adressen":
            offset, limit = int(query.get("offset", 0)), min(int(query.get("limit", 100)), self.page)
            if self.mode == "bad_json" and offset > 0:
                return 200, b'{"adressen": [{"identificator": '
            rows = [r for r in self.rows if r[5][0] == query.get("nisCode")]
            page = rows[offset:offset + limit]
            body: dict[str, Any] = {"@context": "https://docs.basisregisters.vlaanderen.be/context/adres/"
                                                "2023-03-13/adressen_list.jsonld",
                                    "adressen": [_listed(r) for r in page]}
            if offset + limit < len(rows):
                body["volgende"] = (f"https://api.basisregisters.vlaanderen.be/v2/adressen?nisCode="
                                    f"{query.get('nisCode')}&offset={offset + limit}&limit={limit}")
            return 200, _json(body)
        match = re.fullmatch(r"/v2/adressen/(\w+)", path)
        if match:
            row = self._by_id.get(match.group(1))
            return (404, b"{}") if row is None else (200, _json(api_detail(row)))
        return 404, b"{}"


def _listed(row: tuple) -> dict[str, Any]:
    detail = api_detail(row)
    return {key: detail[key] for key in ("@type", "identificator", "huisnummer", "busnummer", "volledigAdres",
                                         "adresStatus")} | {"detail": f"https://api.basisregisters.vlaanderen.be"
                                                                      f"/v2/adressen/{row[0]}"}


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


@contextmanager
def serve(services: FakeServices) -> Iterator[FakeServices]:
    """Run ``services`` on a free port of 127.0.0.1 for the duration of the block (``services.base_url``)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            services.user_agents.append(self.headers.get("User-Agent", ""))
            status, body = services.answer(parts.path, query)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    services.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield services
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
