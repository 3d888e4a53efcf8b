"""Built indexes kept on disk per workspace version, so a freshly started server answers its first visitor
without building them again (the resident index of real Asse: about 1.4 s to build, 0.2 s to load).

``disk_cached(ws, "resident", builder)`` returns ``builder(ws)``, loaded from the cache file when that file was
written by this user for this workspace version and this code, else built and saved. The file is our own cache,
never the workspace: beside a GeoPackage workspace (``<file>.resident-cache``), and for a server workspace in
``$BUURTKAART_CACHE`` or ``$XDG_CACHE_HOME/buurtkaart`` (default ``~/.cache/buurtkaart``), named by a digest of
the location (so no password or host name appears in a file name).

A cache file is one header line (JSON: format, what it holds, the workspace version, a digest of the location,
of buurtkaart's source files and of the library versions) followed by a pickle. It is written 0600 to a temporary
name and moved into place with ``os.replace``; it is only read when it is a regular file (not a link) owned by this
user with no rights for others, and when its header matches exactly. Anything else (absent, old, corrupt,
someone else's, a read-only folder) means: build, try to save, go on. A cache is never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["CACHE_ENV", "cache_file", "disk_cached"]

#: A folder for the cache files of server workspaces (default ``$XDG_CACHE_HOME/buurtkaart`` or ~/.cache/buurtkaart).
CACHE_ENV = "BUURTKAART_CACHE"
_MAGIC = b"buurtkaart-cache 1\n"
_PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = ("numpy", "pandas", "shapely", "geopandas", "pyarrow")

log = logging.getLogger(__name__)
R = TypeVar("R")


def disk_cached(ws: Any, kind: str, builder: Callable[[Any], R]) -> R:
    """``builder(ws)``, from the cache file of ``kind`` when it holds this workspace version, else built and saved."""
    token = list(ws.version_token)  # read before building: data changed meanwhile is then saved under the old token
    path = cache_file(ws, kind)
    header = _header(ws, kind, token)
    if path is not None:
        found = _load(path, header)
        if found is not None:
            return found  # type: ignore[no-any-return]
    value = builder(ws)
    if path is not None:
        _save(path, header, value)
    return value


def cache_file(ws: Any, kind: str) -> Path | None:
    """Where the cache file of ``kind`` for ``ws`` lives (None: no folder of our own to keep it in)."""
    location = str(ws.path)
    if "://" not in location:
        file = Path(location)
        return file.with_name(f"{file.name}.{kind}-cache")
    root = os.environ.get(CACHE_ENV)
    if root:
        folder = Path(root)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "buurtkaart"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        return None  # not a folder of our own that nobody else can write in
    return folder / f"{kind}-{_digest(location)[:24]}.cache"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of buurtkaart's own source files and the library versions: a changed class is never unpickled."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(sys.version.encode())
    for name in _LIBRARIES:
        with contextlib.suppress(PackageNotFoundError):
            digest.update(f"{name}={version(name)};".encode())
    for file in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(file.relative_to(_PACKAGE)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _header(ws: Any, kind: str, token: list[Any]) -> bytes:
    fields = {"kind": kind, "token": token, "location": _digest(str(ws.path)), "code": _code_digest()}
    return json.dumps(fields, sort_keys=True).encode() + b"\n"


def _load(path: Path, header: bytes) -> Any:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
                log.info("cache file %s ignored: not a private file of this user", path.name)
                return None
            if fh.readline() != _MAGIC or fh.readline() != header:
                return None  # another version of the workspace or of the code
            return pickle.load(fh)  # our own 0600 file whose header matched
    except Exception as exc:  # a corrupt or truncated file: rebuilt, never an error
        log.info("cache file %s ignored: %s", path.name, type(exc).__name__)
        return None


def _save(path: Path, header: bytes, value: Any) -> None:
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mode 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC)
            fh.write(header)
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
    except Exception as exc:  # a read-only folder, a full disk, an object that cannot be pickled: not cached
        log.info("cache file %s not written: %s", path.name, type(exc).__name__)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
