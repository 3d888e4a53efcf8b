"""The shipped reverse-proxy configuration (docs/deploy/nginx.conf) in a running nginx (issue 12, attack 10): its
response headers forbid framing by other sites and limit scripts, the visitor's address reaches the app and cannot
be forged, and Streamlit's websocket passes through.

The site is templated to a temporary folder: plain HTTP on a free local port instead of TLS on 443, and a tiny
local HTTP server standing in for Streamlit at 127.0.0.1:8501. Skips without nginx (``apt-get install
nginx-light``); fails instead when ``BUURTKAART_REQUIRE_NGINX`` is set (CI).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "docs" / "deploy" / "nginx.conf"


def _nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if found:
        return found
    if os.environ.get("BUURTKAART_REQUIRE_NGINX"):  # CI: a missing nginx is a failure, not a skip
        pytest.fail("BUURTKAART_REQUIRE_NGINX is set but nginx is not installed (apt-get install nginx-light)")
    pytest.skip("nginx is not installed (apt-get install nginx-light); the proxy headers are checked as a file only")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Upstream(BaseHTTPRequestHandler):
    """Stands in for Streamlit: records the request headers, answers a page, or switches to a websocket."""

    seen: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        type(self).seen.append({k.lower(): v for k, v in self.headers.items()})
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self.send_response(101)
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.end_headers()
            self.wfile.write(b"hallo over de websocket")
            self.wfile.flush()
            self.close_connection = True
            return
        body = b"<html><body>buurtkaart</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # quiet
        pass


def _site(conf: str, *, port: int, redirect_port: int, upstream_port: int) -> str:
    """The shipped site on local ports: plain HTTP instead of TLS, the stand-in instead of Streamlit."""
    site = re.sub(r"^\s*ssl_certificate(_key)?\s.*$", "", conf, flags=re.M)
    assert "listen 443 ssl http2;" in site
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{redirect_port};")
    assert "proxy_pass http://127.0.0.1:8501;" in site
    return site.replace("proxy_pass http://127.0.0.1:8501;", f"proxy_pass http://127.0.0.1:{upstream_port};")


@pytest.fixture
def proxy(tmp_path):
    nginx = _nginx()
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    _Upstream.seen = []
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port, redirect_port = _free_port(), _free_port()
    (tmp_path / "site.conf").write_text(_site(SITE.read_text(encoding="utf-8"), port=port, redirect_port=redirect_port,
                                              upstream_port=upstream.server_address[1]), encoding="utf-8")
    temp = {name: tmp_path / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir()
    (tmp_path / "nginx.conf").write_text(f"""
daemon off;
master_process off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp['client_body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {tmp_path}/site.conf;
}}
""", encoding="utf-8")
    output = (tmp_path / "nginx.out").open("wb")
    process = subprocess.Popen([nginx, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c",
                                str(tmp_path / "nginx.conf")], stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                log = (tmp_path / "error.log").read_text(errors="replace") if (tmp_path / "error.log").exists() else ""
                said = (tmp_path / "nginx.out").read_text(errors="replace")
                pytest.fail(f"nginx refused the shipped configuration: {said} {log}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("nginx did not start listening within 20 s")
                time.sleep(0.1)
        yield port, redirect_port
    finally:
        process.kill()
        process.wait()
        output.close()
        upstream.shutdown()
        upstream.server_close()


def test_the_running_proxy_sends_the_security_headers_and_the_visitors_address(proxy):
    port, _ = proxy
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={
        "X-Real-IP": "203.0.113.66", "X-Forwarded-For": "203.0.113.66"})  # a visitor forging their address
    with urllib.request.urlopen(request, timeout=10) as response:
        headers = response.headers
        assert response.status == 200 and b"buurtkaart" in response.read()
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";") if part.strip())
    assert policy["frame-ancestors"] == "'self'" and policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'" and "http" not in policy["script-src"]
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    seen = _Upstream.seen[-1]
    assert seen["x-real-ip"] == "127.0.0.1" and seen["x-forwarded-for"] == "127.0.0.1"  # set by nginx, not passed on


def test_the_running_proxy_passes_streamlits_websocket_and_redirects_plain_http(proxy):
    port, redirect_port = proxy
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /_stcore/stream HTTP/1.1\r\nHost: buurtkaart.example.be\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZQ==\r\n\r\n")
        received = b""
        while b"hallo over de websocket" not in received:
            chunk = sock.recv(4096)
            if not chunk:
                break
            received += chunk
    assert received.startswith(b"HTTP/1.1 101"), received[:200]
    assert b"hallo over de websocket" in received
    seen = _Upstream.seen[-1]
    assert seen["upgrade"] == "websocket" and seen["connection"].lower() == "upgrade"
    with socket.create_connection(("127.0.0.1", redirect_port), timeout=10) as sock:
        sock.sendall(b"GET /welke-groep HTTP/1.1\r\nHost: buurtkaart.example.be\r\nConnection: close\r\n\r\n")
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 301")
    assert "Location: https://buurtkaart.example.be/welke-groep" in answer
