"""Issue 15 through the resident page on the real Asse workspace (skipped where ../shared/realdata is absent):
a register address a few metres over the border is not told it is outside, a box the register does not have is
not reported as found."""

from __future__ import annotations

from buurtkaart.texts import t
from tests.app.conftest import ask, beside_app


def _search(asse_workspace, text: str) -> dict:
    """The answer of the search on "Welke groep?" (served by the app beside its pages) on real Asse."""
    return ask(beside_app(asse_workspace), text)


def test_ichelgemstraat_23_is_not_told_it_is_outside(asse_workspace):
    body = _search(asse_workspace, "Ichelgemstraat 23, 1730 Asse")
    assert body["status"] != "buiten_gemeente" and body["message"] != t("resident.outside")
    assert "Ichelgemstraat 23" in body["address"]["label"]
    # the imported wijk name loses its trailing "(Asse)"
    assert body["message"] == t("resident.covered", group="Mollem")


def test_a_box_the_register_does_not_have_is_not_reported_as_found(asse_workspace):
    how = _search(asse_workspace, "Petrus Ascanusstraat 40 bus 1")["address"]["message"]
    assert "het gebouw is gevonden in het adressenregister, maar bus 1 staat er niet in" in how
    assert not how.endswith(": gevonden in het adressenregister.")
