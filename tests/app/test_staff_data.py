"""The staff page "Gegevens": upload, check (report only), import, errors in Dutch, export; staff only."""

from __future__ import annotations

import pandas as pd
import pytest

from buurtkaart.texts import t
from tests.app.conftest import no_exception, texts

PAGE = "app_pages/staff_data.py"


def _upload(at, name: str, content: bytes, kind: str):
    at.selectbox(key="data_kind").set_value(kind)
    at.file_uploader(key="data_upload").set_value((name, content, "application/octet-stream"))
    at.run()
    return at


def test_check_shows_the_report_and_import_stores(app_test, writable_workspace):
    parts = writable_workspace.read("deelgemeenten").rename(columns={"name": "naam"})
    content = parts.to_crs("EPSG:4326").to_json(drop_id=True).encode("utf-8")
    at = _upload(app_test(role="staff", page=PAGE, workspace=writable_workspace), "wijken.geojson", content,
                 "wijken")
    before = writable_workspace.path.read_bytes()
    at.button(key="data_check").click().run()
    no_exception(at)
    assert t("import.app.checked") in texts(at)
    assert at.metric[0].value == str(len(parts))
    assert writable_workspace.path.read_bytes() == before
    at.button(key="data_store").click().run()
    no_exception(at)
    assert len(at.success) == 1
    assert sorted(writable_workspace.read("wijken")["name"]) == sorted(parts["naam"])


def test_a_broken_file_shows_a_dutch_error_and_changes_nothing(app_test, writable_workspace):
    at = _upload(app_test(role="staff", page=PAGE, workspace=writable_workspace), "rommel.csv",
                 bytes(range(256)) * 4, "addresses")
    before = writable_workspace.path.read_bytes()
    at.button(key="data_store").click().run()
    no_exception(at)
    assert "niet aanvaard" in at.error[0].value and "beschadigd" in at.error[0].value
    assert writable_workspace.path.read_bytes() == before


def test_export_offers_a_download(app_test):
    at = app_test(role="staff", page=PAGE)
    at.selectbox(key="data_export_kind").set_value("groups")
    at.selectbox(key="data_export_format").set_value(".geojson")
    at.button(key="data_export_make").click().run()
    no_exception(at)
    assert len(at.download_button) == 1


@pytest.mark.parametrize("role", [None, "coordinator", "police"])
def test_only_staff_can_open_the_page(app_test, role):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app_test(role=role, page=PAGE)


def test_an_address_import_shows_what_changed_in_the_register(app_test, writable_workspace):
    addresses = writable_workspace.read("addresses")
    members = writable_workspace.read("members")
    active = members[members["status"].isin(["kandidaat", "goedgekeurd", "lid"]) & members["address_id"].notna()]
    gone_id = active["address_id"].iloc[0]
    newer = addresses[addresses["address_id"] != gone_id].copy()
    newer["x"], newer["y"] = newer.geometry.x, newer.geometry.y
    content = newer.drop(columns="geometry").to_csv(index=False).encode("utf-8")
    at = _upload(app_test(role="staff", page=PAGE, workspace=writable_workspace), "adressen.csv", content,
                 "addresses")
    at.button(key="data_store").click().run()
    no_exception(at)
    shown = texts(at)
    assert t("import.app.changes_title") in shown
    assert "0 nieuw, 1 verdwenen, 0 verplaatst" in shown
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("import.app.changes.gone")] == "1"
    assert int(metrics[t("import.app.changes.members")]) == int((active["address_id"] == gone_id).sum()) >= 1
    assert len(at.dataframe) == 1 and any(b.label == t("import.app.changes_download") for b in at.download_button)


def test_members_missing_from_the_file_are_kept_unless_the_box_is_ticked(app_test, writable_workspace, tmp_path):
    from buurtkaart.exports import export_layer

    path = tmp_path / "leden.csv"
    export_layer(writable_workspace, "members", path)
    table = pd.read_csv(path, dtype=str)
    gone = str(table["member_id"].iloc[0])
    content = table.iloc[1:].to_csv(index=False).encode("utf-8")
    at = app_test(role="staff", page=PAGE, workspace=writable_workspace)
    assert not at.checkbox(key="data_force").value and "data_remove_missing" not in [c.key for c in at.checkbox]
    at = _upload(at, "leden.csv", content, "members")
    box = at.checkbox(key="data_remove_missing")
    assert box.value is False and box.label == t("import.app.remove_missing")
    at.button(key="data_store").click().run()
    no_exception(at)
    assert "1 lid staat niet in het bestand en is behouden" in texts(at)
    assert gone in set(writable_workspace.read("members")["member_id"])
    at.checkbox(key="data_remove_missing").check().run()
    at.button(key="data_store").click().run()
    no_exception(at)
    assert "1 gewist" in texts(at)
    assert gone not in set(writable_workspace.read("members")["member_id"])
