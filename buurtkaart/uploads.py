"""Files people upload in the app (member lists, boundaries, address files): refuse what is too large, malformed
or tries a path trick before any reader sees it, with one clear Dutch message listing every problem.

:func:`received_file` checks an upload and puts it, under a clean name, in a private temporary folder that is
removed afterwards (uploads with personal data never linger on disk):

>>> with received_file("leden.csv", b"naam;adres\\nAn;Kerkstraat 1\\n", suffixes=(".csv",)) as path:
...     path.name, path.read_bytes()[:4]
('leden.csv', b'naam')
>>> check_upload("../../etc/passwd", b"x", suffixes=(".csv",))
Traceback (most recent call last):
...
buurtkaart.errors.InputError: Het bestand wordt niet aanvaard:
- de bestandsnaam mag geen mappen bevatten (zoals ../ of C:\\); geef alleen de naam van het bestand
- het bestandstype wordt niet aanvaard; toegelaten: .csv
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from buurtkaart.errors import InputError
from buurtkaart.texts import t

#: Largest upload accepted (a member list or an address register of one municipality is far smaller).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_NAME_LENGTH = 120
#: Largest total an archive (``.xlsx``, ``.zip``) may unpack to, and the highest ratio of unpacked to packed size
#: of any of its files (a "zip bomb": 2.4 MB that unpack to 616 MB once stalled the app for everyone).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
#: Most lines a text table (``.csv``, ``.txt``) may have (a municipality's address register has ~30,000).
MAX_ROWS = 500_000

#: What the first bytes of a file of each type must look like (a type not listed is only checked for NUL bytes
#: when it is text).
_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".xlsx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".gpkg": (b"SQLite format 3\x00",),
    ".pbf": (b"\x00\x00",),
}
_TEXT = {".csv", ".txt", ".geojson", ".json", ".kml", ".osm"}
_NAME_CHARS = re.compile(r"^[\w .,()+\-]+$")


def check_upload(
    name: str, data: bytes, *, suffixes: Iterable[str], max_bytes: int = MAX_UPLOAD_BYTES
) -> str:
    """The clean file name of an acceptable upload; :class:`InputError` naming every problem otherwise.

    Refused: more than ``max_bytes``; an archive that unpacks to more than :data:`MAX_UNPACKED_BYTES` or a file in
    it packed more than :data:`MAX_COMPRESSION_RATIO` times; a text table of more than :data:`MAX_ROWS` lines;
    empty; a name with folders (``../``, ``C:\\``), control characters, a leading dot or more than
    :data:`MAX_NAME_LENGTH` characters; a type not in ``suffixes``; content that does not match
    its type (an ``.xlsx`` that is no zip archive, a ``.gpkg`` that is no SQLite file, a text file with NUL bytes).
    """
    allowed = tuple(s.lower() for s in suffixes)
    problems = []
    raw_name = unicodedata.normalize("NFC", name or "")
    if re.search(r"[/\\]", raw_name) or re.match(r"^[A-Za-z]:", raw_name):
        problems.append(t("members.upload_path"))
    base = re.split(r"[/\\]", raw_name)[-1].strip()
    suffix = Path(base).suffix.lower()
    if not base or base in (".", "..") or base.startswith(".") or len(base) > MAX_NAME_LENGTH \
            or not _NAME_CHARS.match(base):
        problems.append(t("members.upload_name", length=MAX_NAME_LENGTH))
    if suffix not in allowed:
        problems.append(t("members.upload_type", allowed=", ".join(allowed)))
    size = len(data)
    if size > max_bytes:
        problems.append(t("members.upload_too_large", size_mb=f"{size / 1e6:.1f}", max_mb=f"{max_bytes / 1e6:.0f}"))
    elif size == 0:
        problems.append(t("members.upload_empty"))
    elif _malformed(suffix, data):
        problems.append(t("members.upload_malformed", suffix=suffix))
    else:
        problems.extend(_too_big_inside(suffix, data))
    if problems:
        raise InputError(t("members.upload_refused"), problems=problems)
    return base


def _malformed(suffix: str, data: bytes) -> bool:
    if suffix in _MAGIC:
        return not data.startswith(_MAGIC[suffix])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark: NUL bytes belong to it
        return False
    return suffix in _TEXT and b"\x00" in data[:65536]


def _too_big_inside(suffix: str, data: bytes) -> list[str]:
    """Problems with what an upload holds, found before any reader parses it: an archive that unpacks too far, a
    table with too many lines."""
    if suffix in (".xlsx", ".zip"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                entries = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return [t("members.upload_malformed", suffix=suffix)]
        unpacked = sum(e.file_size for e in entries)
        ratio = max((e.file_size / max(e.compress_size, 1) for e in entries), default=0.0)
        if unpacked > MAX_UNPACKED_BYTES or ratio > MAX_COMPRESSION_RATIO:
            return [t("members.upload_unpacks_too_far", size_mb=f"{unpacked / 1e6:.0f}",
                      max_mb=f"{MAX_UNPACKED_BYTES / 1e6:.0f}", ratio=f"{ratio:.0f}", max_ratio=MAX_COMPRESSION_RATIO)]
    if suffix in (".csv", ".txt"):
        lines = data.count(b"\n")
        if lines > MAX_ROWS:
            return [t("members.upload_too_many_rows", rows=f"{lines:,}".replace(",", "."),
                      max_rows=f"{MAX_ROWS:,}".replace(",", "."))]
    return []


@contextlib.contextmanager
def received_file(
    name: str, data: bytes, *, suffixes: Iterable[str], max_bytes: int = MAX_UPLOAD_BYTES
) -> Iterator[Path]:
    """Check an upload (:func:`check_upload`) and yield its path in a private temporary folder, removed after."""
    clean = check_upload(name, data, suffixes=suffixes, max_bytes=max_bytes)
    with tempfile.TemporaryDirectory(prefix="buurtkaart-upload-") as folder:
        path = Path(folder) / clean
        path.write_bytes(data)
        path.chmod(0o600)
        yield path
