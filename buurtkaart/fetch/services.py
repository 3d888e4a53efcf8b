"""The three public services ``buurtkaart fetch`` asks, each a small function over :class:`HttpClient`:

- the municipal boundary from the VRBG WFS (GeoJSON, Lambert 72, filtered on the NIS code);
- the road segments of the Wegenregister WFS within a box (GeoJSON, paged with ``startIndex``);
- the addresses of the Basisregisters Vlaanderen API v2: the paged list ``/v2/adressen?nisCode=&offset=&limit=``
  (``adressen[]``, a ``volgende`` link while more follow), then the detail of every address in use or proposed
  (``/v2/adressen/{objectId}``, with ``adresPositie``); retired and rejected ones keep their list entry (counted,
  not imported).

The URLs and sizes are in ``reference/services.json``.
"""

from __future__ import annotations

import functools
import json
import os
import urllib.parse
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from typing import Any

from buurtkaart.errors import ServiceError
from buurtkaart.fetch._http import BASE_URL_ENV, HttpClient, rebase
from buurtkaart.importers.flemish_addresses import STATUSES
from buurtkaart.texts import t

#: ``progress(items, total, description)`` gives the items back while showing progress (a tqdm bar, or nothing).
Progress = Callable[[Iterable[Any], int | None, str], Iterable[Any]]
_KEPT = {key for key, value in STATUSES.items() if value in ("current", "proposed")}
_JSON_LD = "application/ld+json"


def no_progress(items: Iterable[Any], total: int | None, description: str) -> Iterable[Any]:
    """The items, without showing anything."""
    return items


@functools.lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    with resources.files("buurtkaart.reference").joinpath("services.json").open(encoding="utf-8") as fh:
        return dict(json.load(fh))


@dataclass(frozen=True)
class Services:
    """The services' settings, with every URL moved to ``base_url`` when given."""

    base_url: str | None = None

    @classmethod
    def load(cls, base_url: str | None = None) -> Services:
        """The services of ``reference/services.json``; ``base_url`` or ``$BUURTKAART_FETCH_BASE_URL`` moves them."""
        return cls(base_url or os.environ.get(BASE_URL_ENV) or None)

    def setting(self, key: str) -> Any:
        """A top-level setting (``user_agent``, ``timeout_s``, ``retries``, ``backoff_s``)."""
        return _config()[key]

    def url(self, service: str) -> str:
        return rebase(str(_config()[service]["url"]), self.base_url)

    def name(self, service: str) -> str:
        return str(_config()[service]["name"])

    def get(self, service: str, key: str) -> Any:
        return _config()[service][key]


def _wfs_url(services: Services, service: str, **params: object) -> str:
    query = {"service": "WFS", "version": "2.0.0", "request": "GetFeature",
             "typeNames": services.get(service, "type_name"), "outputFormat": "application/json",
             "srsName": "EPSG:31370", **params}
    return services.url(service) + "?" + urllib.parse.urlencode(query)


def _features(data: Any, *, service: str) -> list[Any]:
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise ServiceError(t("fetch.error.bad_format", service=service), problems=[t("fetch.error.bad_json_fix")])
    return list(data["features"])


def fetch_boundary(client: HttpClient, services: Services, code: str) -> list[Any]:
    """The GeoJSON features of municipality ``code`` (none for an unknown code)."""
    field = services.get("boundary", "code_field")
    url = _wfs_url(services, "boundary", cql_filter=f"{field}='{code}'")
    return _features(client.get_json(url, service=services.name("boundary")), service=services.name("boundary"))


def fetch_streets(client: HttpClient, services: Services, bbox: tuple[float, float, float, float], *,
                  progress: Progress = no_progress) -> list[Any]:
    """The road segments within ``bbox`` (Lambert 72), page by page."""
    size = int(services.get("streets", "page_size"))
    box = ",".join(f"{v:.0f}" for v in bbox) + ",EPSG:31370"
    features: list[Any] = []

    def pages() -> Iterable[int]:
        start = 0
        while True:
            yield start
            start += size

    for start in progress(pages(), None, t("fetch.progress.streets")):
        url = _wfs_url(services, "streets", bbox=box, count=size, startIndex=start)
        page = _features(client.get_json(url, service=services.name("streets")), service=services.name("streets"))
        features.extend(page)
        if len(page) < size:
            break
    return features


def fetch_addresses(client: HttpClient, services: Services, code: str, *,
                    progress: Progress = no_progress) -> list[Any]:
    """Every address of municipality ``code``: the detail of those in use or proposed, the list entry of others."""
    name = services.name("addresses")
    size = int(services.get("addresses", "page_size"))
    listed: list[Any] = []
    offset = 0
    while True:
        query = urllib.parse.urlencode({"nisCode": code, "offset": offset, "limit": size})
        page = client.get_json(f"{services.url('addresses')}?{query}", service=name, accept=_JSON_LD)
        if not isinstance(page, dict) or not isinstance(page.get("adressen"), list):
            raise ServiceError(t("fetch.error.bad_format", service=name), problems=[t("fetch.error.bad_json_fix")])
        listed.extend(page["adressen"])
        if not page.get("volgende") or not page["adressen"]:
            break
        offset += len(page["adressen"])
    wanted = [item for item in listed if str(item.get("adresStatus", "")).lower() in _KEPT]
    ids = [str((item.get("identificator") or {}).get("objectId", "")) for item in wanted]

    def detail(object_id: str) -> Any:
        return client.get_json(f"{services.url('addresses')}/{urllib.parse.quote(object_id)}", service=name,
                               accept=_JSON_LD)

    with ThreadPoolExecutor(max_workers=int(services.get("addresses", "workers"))) as pool:
        details = list(progress(pool.map(detail, ids), len(ids), t("fetch.progress.addresses")))
    others = [item for item in listed if str(item.get("adresStatus", "")).lower() not in _KEPT]
    return details + others
