"""Issue 15 through the resident page on the real Asse workspace (skipped where ../shared/realdata is absent):
a register address a few metres over the border is not told it is outside, a box the register does not have is
not reported as found."""

from __future__ import annotations

from buurtkaart.texts import t, t_md
from tests.app.conftest import no_exception, open_app, texts

WELKE = "app_pages/welke_groep.py"


def _search(asse_workspace, monkeypatch, text: str):
    at = open_app(asse_workspace, monkeypatch)
    at.text_input(key="welke_query").set_value(text)
    at.get("form_submit_button")[0].click()
    at.run()
    no_exception(at)
    return at


def test_ichelgemstraat_23_is_not_told_it_is_outside(asse_workspace, monkeypatch):
    at = _search(asse_workspace, monkeypatch, "Ichelgemstraat 23, 1730 Asse")
    shown = texts(at)
    assert t("app.welke.outside") not in shown
    assert "Ichelgemstraat 23" in shown
    # the imported wijk name loses its trailing "(Asse)"
    assert [s.value for s in at.success] == [t_md("app.welke.covered", group="Mollem")]


def test_a_box_the_register_does_not_have_is_not_reported_as_found(asse_workspace, monkeypatch):
    at = _search(asse_workspace, monkeypatch, "Petrus Ascanusstraat 40 bus 1")
    captions = [c.value for c in at.caption]
    assert any("het gebouw is gevonden in het adressenregister, maar bus 1 staat er niet in" in c for c in captions)
    assert not any(c.endswith(": gevonden in het adressenregister.") for c in captions)
