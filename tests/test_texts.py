"""The Dutch text catalogue: every key used and defined once, placeholders consistent, plural forms, Dutch formats."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

from buurtkaart.texts import PLURAL_FORMS, catalogue, number, t, when

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "buurtkaart" / "locale" / "nl"
SOURCES = [ROOT / "app.py", *sorted(ROOT.glob("app_pages/*.py")), *sorted(ROOT.glob("buurtkaart/**/*.py"))]
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_\-]+)+$")


def _placeholders(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def _forms(value: str | dict[str, str]) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]


def _source_usage() -> tuple[set[str], set[str], list[tuple[str, set[str], str]]]:
    """String constants, f-string prefixes and the static ``t("key", name=...)`` calls of the code."""
    constants: set[str] = set()
    prefixes: set[str] = set()
    calls: list[tuple[str, set[str], str]] = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                prefixes.add(str(node.values[0].value))
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
                  and node.args and isinstance(node.args[0], ast.Constant)
                  and not any(k.arg is None for k in node.keywords)):
                calls.append((str(node.args[0].value), {str(k.arg) for k in node.keywords},
                              f"{path.relative_to(ROOT)}:{node.lineno}"))
    return constants, {p for p in prefixes if "." in p.strip(".")}, calls


def test_each_key_is_defined_once_across_and_within_files():
    seen: dict[str, str] = {}
    for path in sorted(LOCALE.glob("*.json")):
        pairs = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=lambda p: p)
        for key, _value in pairs:
            assert key not in seen, f"{key} in {path.name} and {seen[key]}"
            seen[key] = path.name
            assert KEY.match(key), key
    assert set(seen) == set(catalogue())


def test_every_key_is_used_and_every_used_key_exists():
    constants, prefixes, calls = _source_usage()
    cat = catalogue()
    unused = [k for k in cat if k not in constants and not any(k.startswith(p) for p in prefixes)]
    assert unused == []
    missing = sorted({key for key, _, _ in calls if KEY.match(key) and key not in cat})
    assert missing == []


def test_placeholders_of_each_call_match_the_text():
    _, _, calls = _source_usage()
    cat = catalogue()
    wrong = []
    for key, names, where in calls:
        if key not in cat:
            continue
        needed = set().union(*(_placeholders(form) for form in _forms(cat[key])))
        if isinstance(cat[key], dict):
            names = names - {"count"} if "count" not in needed else names
            needed |= {"count"}
        if names != needed:
            wrong.append(f"{where}: {key} gets {sorted(names)}, text wants {sorted(needed)}")
    assert wrong == []


def test_plural_forms_are_complete_and_share_their_placeholders():
    plurals = {k: v for k, v in catalogue().items() if isinstance(v, dict)}
    assert len(plurals) >= 5
    for key, forms in plurals.items():
        assert {"one", "other"} <= set(forms) <= set(PLURAL_FORMS), key
        assert _placeholders(forms["other"]) >= {"count"}, key
        assert len({frozenset(_placeholders(f) - {"count"}) for f in forms.values()}) == 1, key


def test_no_count_text_without_plural_forms():
    """A text that says "{count} <noun>" has plural forms, so that it never reads "1 groepen"."""
    flat = [k for k, v in catalogue().items() if isinstance(v, str) and re.search(r"\{count\} [a-z]", v)]
    assert flat == []


def test_plurals_choose_the_form_by_count():
    key = "boundaries.impact.headline.groups"
    assert t(key, count=1, ids="G1") == "groep G1"
    assert t(key, count=2, ids="G1, G2") == "2 groepen (G1, G2)"
    assert t("members.staffm.done_retention", count=0) == "0 personen gewist."


@pytest.mark.parametrize(("value", "kwargs", "expected"), [
    (13.8, {}, "13,8"), (9970, {}, "9970"), (10994, {}, "10.994"), (1.048, {"decimals": 1}, "1,0"),
    (0.25, {"decimals": 0}, "0"), (-12345.5, {"decimals": 1}, "-12.345,5"), (float("nan"), {}, "–"),
])
def test_numbers_in_dutch_format(value, kwargs, expected):
    assert number(value, **kwargs) == expected


def test_numbers_filled_into_texts_are_dutch_and_keep_their_alignment():
    assert t("demo.count_line", layer="groups", count=12345) == "  groups            12.345"
    assert t("lookup.cli.point", label="a", status="b", x=1.25, y=2.0).endswith("x=1,2 y=2,0")


def test_timestamps_in_belgian_time_without_iso_format():
    assert when("2026-11-29T18:50:09+00:00") == "29-11-2026 19:50"
    assert when("2026-07-01T10:00:00+00:00") == "01-07-2026 12:00"  # summer time
    assert when(None) == "" and when(float("nan")) == "" and when("kandidaat") == "kandidaat"


def test_the_catalogue_says_u_not_je():
    informal = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
    found = [k for k, v in catalogue().items() for f in _forms(v) if informal.search(f)]
    assert found == []
