"""The one small HTTP client every download service goes through: a timeout per request, retries with exponential
backoff on connection errors, timeouts and 5xx answers, a user agent, and a cache on disk (one file per URL) so that
a second run, or a run that stopped half-way, asks nothing twice. Standard library only (:mod:`urllib`).

Errors become a Dutch :class:`~buurtkaart.errors.ServiceError` that names the service and says what to do; a
response that is no valid JSON is never cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from buurtkaart.errors import ServiceError
from buurtkaart.texts import t

#: Environment variable that points every service at another scheme and host (tests: a local server).
BASE_URL_ENV = "BUURTKAART_FETCH_BASE_URL"
#: Environment variable for the cache folder (default ``~/.cache/buurtkaart``).
CACHE_ENV = "BUURTKAART_CACHE"


def default_cache_dir() -> Path:
    """``$BUURTKAART_CACHE``, else ``$XDG_CACHE_HOME/buurtkaart``, else ``~/.cache/buurtkaart``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "buurtkaart"


def rebase(url: str, base_url: str | None) -> str:
    """``url`` with the scheme and host of ``base_url`` (its path and query kept).

    >>> rebase("https://api.basisregisters.vlaanderen.be/v2/adressen?limit=5", "http://127.0.0.1:8123")
    'http://127.0.0.1:8123/v2/adressen?limit=5'
    """
    if not base_url:
        return url
    base = urllib.parse.urlsplit(base_url)
    parts = urllib.parse.urlsplit(url)
    path = base.path.rstrip("/") + parts.path
    return urllib.parse.urlunsplit((base.scheme, base.netloc, path, parts.query, ""))


@dataclass
class HttpClient:
    """GET with timeout, retries, user agent and a disk cache. ``requests`` and ``cache_hits`` count the work."""

    user_agent: str
    timeout_s: float = 60.0
    retries: int = 3
    backoff_s: float = 2.0
    cache_dir: Path | None = None
    requests: int = 0
    cache_hits: int = 0
    _sleep: Any = field(default=time.sleep, repr=False)
    _count_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def get_json(self, url: str, *, service: str, accept: str = "application/json") -> Any:
        """The parsed JSON at ``url`` (from the cache when there); a body that is no JSON raises, uncached."""
        cached = self._cached(url)
        body = cached if cached is not None else self._get(url, service=service, accept=accept)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._forget(url)
            raise ServiceError(t("fetch.error.bad_json", service=service),
                               problems=[t("fetch.error.where", url=_short_url(url)),
                                         t("fetch.error.bad_json_fix")]) from exc
        if cached is None:
            self._store(url, body)
        return data

    def _get(self, url: str, *, service: str, accept: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": accept})
        last: str = ""
        timed_out = False
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self.backoff_s * 2 ** (attempt - 1))
            with self._count_lock:  # details are fetched by a few threads at once
                self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    return bytes(response.read())
            except urllib.error.HTTPError as exc:
                if exc.code < 500 and exc.code != 429:  # the question is wrong: asking again will not help
                    raise ServiceError(t("fetch.error.http", service=service, status=exc.code),
                                       problems=[t("fetch.error.where", url=_short_url(url))]) from exc
                last, timed_out = f"HTTP {exc.code}", False
            except TimeoutError as exc:
                last, timed_out = type(exc).__name__, True
            except urllib.error.URLError as exc:
                timed_out = isinstance(exc.reason, TimeoutError)
                last = str(exc.reason)[:120]
            except (ConnectionError, OSError) as exc:
                last, timed_out = str(exc)[:120], False
        if timed_out:
            raise ServiceError(t("fetch.error.timeout", service=service, timeout_s=round(self.timeout_s, 1),
                                 count=self.retries + 1),
                               problems=[t("fetch.error.where", url=_short_url(url)), t("fetch.error.later")])
        raise ServiceError(t("fetch.error.down", service=service, count=self.retries + 1),
                           problems=[t("fetch.error.reason", reason=last), t("fetch.error.where", url=_short_url(url)),
                                     t("fetch.error.later")])

    # ---- cache
    def _cache_file(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.cache_dir / "http" / digest[:2] / digest

    def _cached(self, url: str) -> bytes | None:
        file = self._cache_file(url)
        if file is None or not file.is_file():
            return None
        with self._count_lock:
            self.cache_hits += 1
        return file.read_bytes()

    def _store(self, url: str, body: bytes) -> None:
        file = self._cache_file(url)
        if file is None:
            return
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(file.name + ".part")
        tmp.write_bytes(body)
        os.replace(tmp, file)  # a cache file is whole or absent

    def _forget(self, url: str) -> None:
        file = self._cache_file(url)
        if file is not None:
            with contextlib.suppress(FileNotFoundError):
                file.unlink()


def _short_url(url: str) -> str:
    """The URL without its query beyond 120 characters (messages stay readable)."""
    return url if len(url) <= 120 else url[:117] + "..."
