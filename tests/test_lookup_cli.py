"""``buurtkaart lookup`` and ``buurtkaart assign`` through click's CliRunner: the same scenario as the library."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from buurtkaart.cli import main
from buurtkaart.workspace import Workspace
from tests.test_assign_bulk import town_addresses


@pytest.fixture
def workspace(tmp_path, two_squares) -> str:
    groups = two_squares.copy()
    groups["name"] = ["Centrum", "Kalkoven"]
    path = tmp_path / "w.gpkg"
    Workspace.create(path, {"groups": groups, "addresses": town_addresses()}, municipality="Teststad",
                     fictional=True)
    return str(path)


def test_lookup_prints_the_address_and_its_group(workspace):
    result = CliRunner().invoke(main, ["-w", workspace, "lookup", "kerkstr 15, 1730"])
    assert result.exit_code == 0, result.output
    assert "Kerkstraat 15, 1730 Asse: gevonden in het adressenregister." in result.output  # with its deelgemeente
    assert "Groep: Kalkoven (G2)" in result.output
    assert "Fictieve demogegevens" in result.output


def test_lookup_json_and_uncovered_and_ambiguous(workspace):
    result = CliRunner().invoke(main, ["-w", workspace, "lookup", "Kerkstraat 27", "--json"])
    data = json.loads(result.output)
    assert data["status"] == "exact" and data["group_status"] == "niet_gedekt"
    assert data["nearest"][0]["group_id"] == "G2"
    result = CliRunner().invoke(main, ["-w", workspace, "lookup", "Kerkstrat"])
    assert result.exit_code == 0 and "Kerkstraat" in result.output


def test_assign_file_writes_a_report(workspace, tmp_path):
    people = tmp_path / "mensen.csv"
    people.write_text("naam;adres\nAn;Kerkstraat 3\nBo;Grensstraat 4\nCas;Qwertylaan 1\n", encoding="cp1252")
    report = tmp_path / "rapport.csv"
    result = CliRunner().invoke(main, ["-w", workspace, "assign", str(people), "-o", str(report)])
    assert result.exit_code == 0, result.output
    assert "toegewezen aan één groep: 2" in result.output and "adres niet gevonden: 1" in result.output
    assert "rij 4" in result.output  # line 4 of the file
    written = pd.read_csv(report)
    assert written["status"].tolist() == ["toegewezen", "toegewezen", "adres_niet_gevonden"]
    assert written["group_id"].tolist()[:2] == ["G1", "G2"]
    again = CliRunner().invoke(main, ["-w", workspace, "assign", str(people), "--json"])
    assert json.loads(again.output)["counts"]["toegewezen"] == 2


def test_assign_excel_and_bad_column(workspace, tmp_path):
    people = tmp_path / "mensen.xlsx"
    pd.DataFrame({"naam": ["An"], "woonadres": ["Kerkstraat 3"]}).to_excel(people, index=False)
    result = CliRunner().invoke(main, ["-w", workspace, "assign", str(people)])
    assert result.exit_code == 1 and "woonadres" in result.output and "--kolom" in result.output
    out = tmp_path / "uit.xlsx"
    result = CliRunner().invoke(main, ["-w", workspace, "assign", str(people), "--kolom", "woonadres", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert pd.read_excel(out)["group_id"].tolist() == ["G1"]


def test_every_status_has_its_dutch_text():
    from buurtkaart.geocoding.lookup import STATUSES
    from buurtkaart.texts import t
    from buurtkaart.vocabulary import PEOPLE_STATUSES

    assert all(t(f"lookup.status.{s}") for s in STATUSES)
    assert all(t(f"assign.report.count.{s}", count=1) for s in PEOPLE_STATUSES)
    assert all(t(f"assign.report.section.{s}") for s in ("not_found", "overlap", "uncovered"))


def test_lookup_of_a_street_name_gives_the_street_answer(workspace):
    """A street without a number: the same street answer as the page and the API (find_group)."""
    result = CliRunner().invoke(main, ["-w", workspace, "lookup", "Grensstraat"])
    assert result.exit_code == 0, result.output
    assert "Grensstraat 1-9 (oneven): groep Centrum; 2-10 (even): groep Kalkoven" in result.output
    data = json.loads(CliRunner().invoke(main, ["-w", workspace, "lookup", "grensstr", "--json"]).output)
    assert data["status"] == "street_only" and "group_status" not in data
    assert data["street_answer"] == "Grensstraat 1-9 (oneven): groep Centrum; 2-10 (even): groep Kalkoven"
    assert data["answer"].endswith(data["street_answer"])
