"""The warnings policy of pyproject.toml: our own code's warnings fail the suite, third-party deprecations show."""

from __future__ import annotations

import warnings

import pytest


@pytest.mark.parametrize("category", [DeprecationWarning, FutureWarning, PendingDeprecationWarning, UserWarning])
@pytest.mark.parametrize("module", ["buurtkaart.assignment.points", "app_pages.welke_groep", "tests.test_x"])
def test_a_warning_raised_in_our_code_is_an_error(category: type[Warning], module: str) -> None:
    with pytest.raises(category):
        warnings.warn_explicit("ours", category, filename=f"{module}.py", lineno=1, module=module)


@pytest.mark.parametrize("category", [DeprecationWarning, FutureWarning, PendingDeprecationWarning])
def test_a_third_party_deprecation_is_shown_not_fatal(category: type[Warning]) -> None:
    # record=True keeps the configured filters: an "error" filter would raise here instead of recording
    with warnings.catch_warnings(record=True) as caught:
        warnings.warn_explicit("theirs", category, filename="somelib/core.py", lineno=1, module="somelib.core")
    assert [(w.category, str(w.message)) for w in caught] == [(category, "theirs")]


def test_other_third_party_warnings_stay_errors() -> None:
    # a CRS mismatch or a runtime problem reported by a library is about our data: it must fail a test
    with pytest.raises(UserWarning):
        warnings.warn_explicit("CRS mismatch", UserWarning, filename="geopandas/array.py", lineno=1,
                               module="geopandas.array")
