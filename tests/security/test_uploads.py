"""One upload stalls the app for everyone (issue 12, attack 4) and the upload check disagrees with the CLI
(attack 9): archives that unpack too far and tables with too many lines are refused before any reader parses them;
a UTF-16 CSV with a byte-order mark is accepted like the CLI accepts it."""

from __future__ import annotations

import io
import zipfile

import pytest

from buurtkaart import uploads
from buurtkaart.errors import InputError
from buurtkaart.uploads import check_upload

TABLES = (".csv", ".xlsx", ".zip")


def _archive(name: str, size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, b"\x00" * size)
    return buffer.getvalue()


def test_a_zip_bomb_xlsx_is_refused_before_parsing():
    bomb = _archive("xl/worksheets/sheet1.xml", 50 * 1024 * 1024)  # ~50 KB that unpack to 50 MB
    assert len(bomb) < 1024 * 1024
    with pytest.raises(InputError, match="samengeperst"):
        check_upload("leden.xlsx", bomb, suffixes=TABLES)


def test_an_archive_that_unpacks_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(InputError, match="pakt uit"):
        check_upload("grenzen.zip", _archive("a.shp", 5000), suffixes=TABLES)


def test_a_broken_archive_is_malformed():
    with pytest.raises(InputError, match="beschadigd"):
        check_upload("leden.xlsx", b"PK\x03\x04 niet echt een zip", suffixes=TABLES)


def test_too_many_lines_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ROWS", 10)
    with pytest.raises(InputError, match="regels"):
        check_upload("leden.csv", b"naam\n" + b"An\n" * 20, suffixes=TABLES)
    assert check_upload("leden.csv", b"naam\n" + b"An\n" * 5, suffixes=TABLES) == "leden.csv"


def test_utf16_csv_with_bom_is_accepted_like_the_cli_accepts_it():
    data = "naam;adres\nAn;Kerkstraat 1\n".encode("utf-16")
    assert data.startswith(b"\xff\xfe")
    assert check_upload("leden.csv", data, suffixes=TABLES) == "leden.csv"
    with pytest.raises(InputError, match="beschadigd"):  # NUL bytes without a byte-order mark stay refused
        check_upload("leden.csv", data[2:], suffixes=TABLES)
