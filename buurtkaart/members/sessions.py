"""A login that survives a page reload for a limited time: a signed, expiring token kept in a browser cookie.

The token names the account and the moment it expires, signed with HMAC-SHA256 under a secret of the server
(``BUURTKAART_SESSION_SECRET``, or a random key kept beside the workspace in ``<workspace>.sessiekey``, readable by
its owner only). It carries no password and no personal data. A token whose signature or expiry does not hold is
ignored; an account that is deactivated or gone is refused by :func:`buurtkaart.members.accounts.get_user` as
before, and
a new password ends every earlier session (the token is bound to the account's password hash).

>>> secret = b"k" * 32
>>> token = issue_token(secret, "an.peeters", binding="h1", now=1_000.0, hours=8)
>>> verify_token(secret, token, binding="h1", now=1_000.0 + 3600)
'an.peeters'
>>> verify_token(secret, token, binding="h1", now=1_000.0 + 8 * 3600 + 1) is None   # expired
True
>>> verify_token(secret, token, binding="h2", now=1_000.0) is None                 # password changed
True
>>> forged = issue_token(b"other-secret", "demo-gemeente", binding="h1", now=1_000.0)
>>> verify_token(secret, forged, binding="h1", now=1_000.0) is None, token_username(forged)
(True, 'demo-gemeente')
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from functools import lru_cache
from pathlib import Path

#: How long a login survives a reload or a closed tab.
SESSION_HOURS = 8
#: The environment variable that holds the server's secret (any long random text); without it a key file is used.
SECRET_ENV_VAR = "BUURTKAART_SESSION_SECRET"
#: The name of the cookie in the browser.
COOKIE_NAME = "buurtkaart_sessie"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: bytes, payload: str, binding: str) -> str:
    return _b64(hmac.new(secret, f"{payload}|{binding}".encode(), hashlib.sha256).digest())


def issue_token(secret: bytes, username: str, *, binding: str = "", now: float | None = None,
                hours: float = SESSION_HOURS) -> str:
    """A token for ``username`` that expires ``hours`` from ``now``; ``binding`` (e.g. the password hash) must be
    the same when it is verified."""
    expires = int((time.time() if now is None else now) + hours * 3600)
    payload = _b64(f"{username}|{expires}".encode())
    return f"{payload}.{_signature(secret, payload, binding)}"


def verify_token(secret: bytes, token: str | None, *, binding: str = "", now: float | None = None) -> str | None:
    """The username of a valid, unexpired ``token``; None for anything else (never an exception)."""
    if not token or token.count(".") != 1:
        return None
    payload, signature = token.split(".")
    if not hmac.compare_digest(signature, _signature(secret, payload, binding)):
        return None
    try:
        username, expires = _unb64(payload).decode().rsplit("|", 1)
        valid = float(expires) >= (time.time() if now is None else now)
    except (ValueError, UnicodeDecodeError):
        return None
    return username if valid and username else None


def token_username(token: str | None) -> str | None:
    """The username a token claims, unverified (only to look up what it must be verified against)."""
    try:
        return _unb64(str(token).split(".")[0]).decode().rsplit("|", 1)[0] or None
    except (ValueError, UnicodeDecodeError, IndexError):
        return None


@lru_cache(maxsize=8)
def server_secret(workspace_path: Path | None) -> bytes:
    """The secret tokens are signed with: ``BUURTKAART_SESSION_SECRET``, else a random key in a file beside the
    workspace, made on first use and readable by its owner only (where that folder is read-only, or for a server
    workspace given as None: a key of this process, so logins then survive a reload but not a restart of the
    server)."""
    configured = os.environ.get(SECRET_ENV_VAR, "")
    if configured:
        return configured.encode()
    if workspace_path is None:
        return secrets.token_bytes(32)
    key_file = Path(f"{workspace_path}.sessiekey")
    try:
        return bytes.fromhex(key_file.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    key = secrets.token_bytes(32)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another server process made it first: use theirs
        return bytes.fromhex(key_file.read_text(encoding="ascii").strip())
    except OSError:
        return key
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex())
    return key
