"""Uploads: too large, empty, malformed or with a path trick are refused, each problem named; a good one lands in a
private temporary folder that is gone afterwards."""

from __future__ import annotations

import stat

import pytest

from buurtkaart.errors import InputError
from buurtkaart.uploads import check_upload, received_file

TABLES = (".csv", ".xlsx")


@pytest.mark.parametrize("name", ["../../etc/passwd.csv", "..\\..\\boot.csv", "/tmp/x.csv", "C:leden.csv",
                                  "map/leden.csv"])
def test_path_tricks_refused(name):
    with pytest.raises(InputError, match="mappen"):
        check_upload(name, b"naam\nAn\n", suffixes=TABLES)


@pytest.mark.parametrize("name", ["", ".", "..", ".verborgen.csv", "a" * 200 + ".csv", "leden\x00.csv",
                                  "leden\n.csv"])
def test_bad_names_refused(name):
    with pytest.raises(InputError, match="bestandsnaam"):
        check_upload(name, b"naam\nAn\n", suffixes=TABLES)


def test_size_type_and_content_checked():
    with pytest.raises(InputError, match="te groot"):
        check_upload("leden.csv", b"x" * 2001, suffixes=TABLES, max_bytes=2000)
    with pytest.raises(InputError, match="leeg"):
        check_upload("leden.csv", b"", suffixes=TABLES)
    with pytest.raises(InputError, match="bestandstype"):
        check_upload("leden.exe", b"MZ", suffixes=TABLES)
    with pytest.raises(InputError, match="beschadigd"):
        check_upload("leden.xlsx", b"naam;adres\n", suffixes=TABLES)  # an .xlsx is a zip archive
    with pytest.raises(InputError, match="beschadigd"):
        check_upload("leden.csv", b"naam\x00\x00\x00", suffixes=TABLES)
    with pytest.raises(InputError, match="beschadigd"):
        check_upload("groepen.gpkg", b"PK\x03\x04", suffixes=(".gpkg",))


def test_every_problem_at_once_and_no_content_echoed():
    with pytest.raises(InputError) as err:
        check_upload("../geheim/Jan Peeters.exe", b"0470123456" * 10, suffixes=TABLES, max_bytes=10)
    assert len(err.value.problems) == 3  # folders, type, size
    assert "0470123456" not in str(err.value)


def test_good_upload_lands_in_a_private_folder_and_is_removed():
    data = b"naam;adres\nAn;Kerkstraat 1\n"
    with received_file("Leden (2026).csv", data, suffixes=TABLES) as path:
        assert path.name == "Leden (2026).csv" and path.read_bytes() == data
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        folder = path.parent
    assert not folder.exists()
    assert check_upload("groepen.gpkg", b"SQLite format 3\x00rest", suffixes=(".gpkg",)) == "groepen.gpkg"
