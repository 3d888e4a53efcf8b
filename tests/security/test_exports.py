"""Spreadsheet formulas in exports (issue 12, attack 5): names from the public form come out of every CSV/Excel
export as text, never as a formula; phone numbers stay text."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from buurtkaart.exports import csv_bytes, export_layer
from buurtkaart.members import audit
from buurtkaart.members import lists as member_lists
from tests.members_helpers import POLICE, apply, make_ws

FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3",
            "\t=1+1", "\r=1+1"]


def _cells(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _inert(value: str) -> bool:
    return not value.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.fixture
def ws(tmp_path, two_squares):
    ws = make_ws(tmp_path, two_squares)
    for i, name in enumerate(FORMULAS):
        apply(ws, address=f"Weststraat {i + 1}", name=name, email=f"p{i}@voorbeeld.be")
    return ws


def test_police_screening_csv_neutralises_formulas(ws):
    rows = _cells(member_lists.export_list(ws, POLICE, "screening"))
    assert len(rows) == len(FORMULAS)
    assert all(_inert(value) for row in rows for value in row.values())
    assert {row["name"] for row in rows} == {"'" + name.strip() for name in FORMULAS}  # the form trims names
    assert all(row["phone"].lstrip("'").replace(" ", "").lstrip("+").isdigit() for row in rows)


def test_member_layer_export_neutralises_formulas(ws, tmp_path):
    target = tmp_path / "leden.csv"
    export_layer(ws, "members", target, actor=audit.CLI_ACTOR)
    rows = _cells(target.read_bytes())
    assert len(rows) == len(FORMULAS)
    assert all(_inert(value) for row in rows for value in row.values())


def test_csv_bytes_leaves_numbers_and_plain_text_alone():
    frame = pd.DataFrame({"naam": ["Jan", "=1+1"], "aantal": [-3, 4], "telefoon": ["0470 12 34 56", "+32470123456"]})
    rows = _cells(csv_bytes(frame))
    assert [r["naam"] for r in rows] == ["Jan", "'=1+1"]
    assert [r["aantal"] for r in rows] == ["-3", "4"]  # a number is no formula
    assert [r["telefoon"] for r in rows] == ["0470 12 34 56", "'+32470123456"]  # text in a spreadsheet
