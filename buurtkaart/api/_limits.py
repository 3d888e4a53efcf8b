"""The API's guards, as plain ASGI middleware: a per-client rate limit, and an access log that never holds what a
resident typed (no query string, no client address) nor a traceback.

>>> limiter = RateLimiter(per_minute=2)
>>> [limiter.allow("a", now=0.0), limiter.allow("a", now=0.0), limiter.allow("a", now=0.0)]
[True, True, False]
>>> limiter.allow("a", now=30.0), limiter.allow("b", now=0.0)
(True, True)
"""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from typing import Any

from buurtkaart.texts import t

LOG = logging.getLogger("buurtkaart.api")

Scope = dict[str, Any]


class RateLimiter:
    """A token bucket per client: ``per_minute`` requests a minute, at most ``per_minute`` at once. The
    ``max_clients`` most recent clients are remembered (memory stays bounded whatever the traffic)."""

    def __init__(self, *, per_minute: int, max_clients: int = 50_000) -> None:
        self.per_minute = int(per_minute)
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, client: str, *, now: float | None = None) -> bool:
        """True when ``client`` may make one more request now (and counts it)."""
        if self.per_minute <= 0:
            return True
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60.0)
        allowed = tokens >= 1.0
        self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return allowed

    def retry_after_s(self) -> int:
        return max(1, round(60 / max(self.per_minute, 1)))


class Guard:
    """ASGI middleware: rate limit (429 with a Dutch message), a Dutch 500 without traceback for anything
    unexpected, and one log line per request: method, path, status, milliseconds."""

    def __init__(self, app: Any, *, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500, "started": 0}

        async def send_status(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["started"] = message["status"], 1
            await send(message)

        client = (scope.get("client") or ("?", 0))[0]
        try:
            if scope.get("method") != "OPTIONS" and not self.limiter.allow(str(client)):
                await _json(send_status, 429, {"error": t("api.error.rate_limited")},
                            headers=[(b"retry-after", str(self.limiter.retry_after_s()).encode())])
            else:
                await self.app(scope, receive, send_status)
        except Exception as exc:  # never a traceback or a query in a log or an answer
            LOG.error("internal error %s on %s", type(exc).__name__, scope.get("path", "?"))
            if not status["started"]:
                await _json(send_status, 500, {"error": t("api.error.internal")})
        LOG.info("%s %s %s %.1f ms", scope.get("method"), scope.get("path"), status["code"],
                 1000 * (time.perf_counter() - started))


async def _json(send: Any, status: int, body: dict[str, Any], *,
                headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(data)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": data})
