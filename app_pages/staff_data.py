"""Staff page "Gegevens": upload a file, choose what it holds, check it (the import report; for addresses also what
changed in the register since the last import), import it; and
export any layer as GeoPackage, GeoJSON, CSV, shapefile or KML.

Reading, checking and storing are :func:`buurtkaart.importers.prepare_import` and
:func:`buurtkaart.exports.export_bytes`; this page only collects the input and shows what they return.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _shared
from buurtkaart.display import display_frame
from buurtkaart.errors import BuurtkaartError
from buurtkaart.exports import csv_bytes, export_bytes
from buurtkaart.importers import KINDS, ImportReport, keep_warm, prepare_import
from buurtkaart.importers.register_changes import RegisterChanges
from buurtkaart.safe_text import markdown_text
from buurtkaart.schema import LAYERS
from buurtkaart.texts import t
from buurtkaart.uploads import received_file

_UPLOAD_TYPES = ["gpkg", "geojson", "json", "zip", "kml", "csv", "txt", "xlsx", "pbf", "osm"]
_EXPORT_FORMATS = [".gpkg", ".geojson", ".csv", ".shp", ".kml"]
_MIME = {".gpkg": "application/geopackage+sqlite3", ".geojson": "application/geo+json", ".csv": "text/csv",
         ".shp": "application/zip", ".kml": "application/vnd.google-earth.kml+xml"}


def _show_report(report: ImportReport) -> None:
    cols = st.columns(2)
    cols[0].metric(t("import.app.kept"), f"{report.kept:,}".replace(",", "."))
    cols[1].metric(t("import.app.dropped"), f"{report.dropped_total:,}".replace(",", "."))
    for line in report.reason_lines():
        st.markdown(f"- {markdown_text(line)}")
    for note in report.notes:
        st.caption(markdown_text(note))


def _import_section(ws, user) -> None:
    keep_warm()  # a child for the checks is started ahead, so "Controleren" does not wait for Python to start
    st.header(t("import.app.import_title"))
    st.write(t("import.app.import_intro"))
    kind = st.selectbox(t("import.app.kind"), KINDS, format_func=lambda k: t(f"import.app.kind.{k}"),
                        key="data_kind")
    upload = st.file_uploader(t("import.app.file"), type=_UPLOAD_TYPES, key="data_upload")
    remove_missing = kind == "members" and st.checkbox(t("import.app.remove_missing"), value=False,
                                                       key="data_remove_missing",
                                                       help=t("import.app.remove_missing_help"))
    with st.expander(t("import.app.options")):
        layer = st.text_input(t("import.app.layer"), key="data_layer").strip() or None
        crs = st.text_input(t("import.app.crs"), key="data_crs").strip() or None
        municipality = st.text_input(t("import.app.municipality"), key="data_municipality").strip() or None
        repair = st.checkbox(t("import.app.repair"), key="data_repair")
        force = st.checkbox(t("import.app.force"), key="data_force")
    cols = st.columns(2)
    check = cols[0].button(t("import.app.check"), key="data_check", disabled=upload is None)
    store = cols[1].button(t("import.app.store"), key="data_store", type="primary", disabled=upload is None)
    if upload is None or not (check or store):
        return
    try:
        with received_file(upload.name, upload.getvalue(), suffixes=[f".{s}" for s in _UPLOAD_TYPES]) as path, \
                st.spinner(t("import.app.working")):
            prepared = prepare_import(ws, kind, path, layer=layer, crs=crs, repair=repair,
                                      municipality=municipality, actor=user, force=force,
                                      remove_missing=remove_missing)
            if store:
                prepared.store()
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    if store:
        st.success(t("import.app.stored", kind=t(f"import.app.kind.{kind}"), count=prepared.report.kept))
    else:
        st.info(t("import.app.checked"))
    _show_report(prepared.report)
    if kind == "addresses":
        _show_changes(prepared.changes)


def _show_changes(changes: RegisterChanges | None) -> None:
    """What changed in the register since the last import; the members at a gone address (staff only: this page
    is the staff's, and :func:`buurtkaart.importers.register_changes.changes_since_import` reads them for staff)."""
    st.subheader(t("import.app.changes_title"))
    if changes is None:
        st.caption(t("import.changes.first_import"))
        return
    cols = st.columns(4)
    for col, key in zip(cols, ("new", "gone", "moved", "members"), strict=True):
        col.metric(t(f"import.app.changes.{key}"), f"{changes.counts[key]:,}".replace(",", "."))
    for line in changes.lines():
        st.markdown(f"- {markdown_text(line)}")
    table = changes.table()
    if len(table):
        st.dataframe(display_frame(table), hide_index=True, width="stretch")
        st.download_button(t("import.app.changes_download"), data=csv_bytes(table, bom=True),
                           file_name="registerwijzigingen.csv", mime="text/csv", key="data_changes_download",
                           icon=":material/download:")


def _export_section(ws, user) -> None:
    st.header(t("import.app.export_title"))
    kinds = [k for k in LAYERS if k != "users"]
    cols = st.columns(2)
    kind = cols[0].selectbox(t("import.app.export_layer"), kinds, key="data_export_kind",
                             format_func=lambda k: t(f"maps.layer.{k}"))
    suffix = cols[1].selectbox(t("import.app.export_format"), _EXPORT_FORMATS, key="data_export_format")
    if LAYERS[kind].personal:
        st.warning(t("import.app.personal_warning"))
    if st.button(t("import.app.export_make"), key="data_export_make"):
        try:
            data, name = export_bytes(ws, kind, suffix, actor=user)
        except BuurtkaartError as exc:
            _shared.show_error(exc)
            return
        st.download_button(t("import.app.download", name=name), data=data, file_name=name, mime=_MIME[suffix],
                           key="data_export_download", icon=":material/download:")


def main() -> None:
    user = _shared.require_role("staff")
    ws = _shared.workspace()
    st.title(t("import.app.title"))
    _import_section(ws, user)
    st.divider()
    _export_section(ws, user)


main()
