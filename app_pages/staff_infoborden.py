"""Staff page "Infoborden": plan the sign sites (every entry road or a budget), map, table with a reason for
every site, downloads for the technical service, and what changed against the stored signs."""

from __future__ import annotations

import streamlit as st

from app_pages import _shared
from buurtkaart.display import display_frame
from buurtkaart.errors import BuurtkaartError
from buurtkaart.infoborden import entry_roads, plan_infoborden
from buurtkaart.infoborden.changes import compare_signs, save_plan
from buurtkaart.infoborden.export import export_bytes, site_table
from buurtkaart.maps.infoborden import infobord_map
from buurtkaart.safe_text import markdown_text
from buurtkaart.texts import t
from buurtkaart.vocabulary import PLAN_DEFAULTS, PLAN_MODES, PlanMode, SignStatus
from buurtkaart.workspace import Workspace

TABLE_COLUMNS = ["site_id", "group_ids", "road_name", "road_class", "authority", "awv_permit", "bearing_deg",
                 "households", "status", "reason"]


def build_plan(ws: Workspace, mode: str, budget: int | None, per_group: bool, distance_m: float, setback_m: float,
               keep_existing: bool):
    """The plan for these options (cached per workspace version and options by :func:`_shared.cached`)."""
    return plan_infoborden(ws.read("groups"), entry_roads(ws), ws.read("addresses"), mode=mode, budget=budget,
                           per_group=per_group, coverage_distance_m=distance_m, setback_m=setback_m,
                           existing=_placed(ws) if keep_existing else None)


def _placed(ws: Workspace):
    """The signs that stand in the street: a new plan keeps them and replaces the planned signs of an earlier
    plan (as saving it does, buurtkaart.infoborden.changes.save_plan)."""
    signs = ws.read("infoborden")
    return signs[signs["status"] == SignStatus.GEPLAATST]


def _controls() -> dict:
    cols = st.columns(3)
    mode = cols[0].radio(t("infoborden.page.mode"), PLAN_MODES, key="ib_mode",
                         index=PLAN_MODES.index(PLAN_DEFAULTS.mode), format_func=lambda m: t(f"infoborden.mode.{m}"))
    keep = cols[0].checkbox(t("infoborden.page.keep_existing"), value=True, key="ib_keep",
                            help=t("infoborden.page.keep_existing_help"))
    # with the existing signs kept, the budget counts the new signs on top of them
    budget = cols[1].number_input(t("infoborden.page.budget_new" if keep else "infoborden.page.budget"),
                                  min_value=0, value=PLAN_DEFAULTS.form_budget, step=1, key="ib_budget",
                                  disabled=mode != PlanMode.BUDGET)
    per_group = cols[1].checkbox(t("infoborden.page.per_group"), value=PLAN_DEFAULTS.form_per_group,
                                 key="ib_per_group", disabled=mode != PlanMode.BUDGET)
    distance = cols[2].number_input(t("infoborden.page.distance"), min_value=0,
                                    value=int(PLAN_DEFAULTS.coverage_distance_m), step=50, key="ib_dist")
    setback = cols[2].number_input(t("infoborden.page.setback"), min_value=0, value=int(PLAN_DEFAULTS.setback_m),
                                   step=5, key="ib_setback")
    return {"mode": str(mode), "budget": int(budget) if mode == PlanMode.BUDGET else None, "per_group": bool(per_group),
            "distance_m": float(distance), "setback_m": float(setback), "keep_existing": bool(keep)}


def _exporter(sites, fmt: str, streets, groups, roads_outside):
    """The export, made only when its button is pressed (the PDF draws a map per site)."""

    def make() -> bytes:
        return export_bytes(sites, fmt, streets=streets, groups=groups, roads_outside=roads_outside)

    return make


def main() -> None:
    _shared.require_role("staff")
    ws = _shared.workspace()
    st.title(t("infoborden.page.title"))
    st.caption(t("infoborden.page.intro"))
    groups, streets = _shared.layer("groups"), _shared.layer("streets")
    if not len(groups) or not len(streets):
        st.info(t("infoborden.page.no_data"))
        return
    options = _controls()
    try:
        with st.spinner(t("infoborden.page.run")):
            plan = _shared.cached(build_plan, options["mode"], options["budget"], options["per_group"],
                                  options["distance_m"], options["setback_m"], options["keep_existing"])
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        return
    st.info(markdown_text(plan.summary()))
    outside = _shared.layer("streets_outside")
    _shared.show_map(infobord_map(plan.sites, groups, streets=streets, roads_outside=outside,
                                  fictional=ws.is_fictional),
                     key="staff_infoborden_map", height=560)
    table = display_frame(site_table(plan.sites)[TABLE_COLUMNS])
    st.dataframe(table.rename(columns={c: t(f"infoborden.column.{c}") for c in TABLE_COLUMNS}),
                 hide_index=True, width="stretch")

    st.header(t("infoborden.page.downloads"))
    cols = st.columns(4)
    for col, fmt, mime in zip(cols, ["csv", "geojson", "gpx", "pdf"],
                              ["text/csv", "application/geo+json", "application/gpx+xml", "application/pdf"],
                              strict=True):
        col.download_button(t(f"infoborden.page.download_{fmt}"),
                            data=_exporter(plan.sites, fmt, streets, groups, outside), file_name=f"infoborden.{fmt}",
                            mime=mime, key=f"ib_download_{fmt}", icon=":material/download:")
    if st.button(t("infoborden.page.save"), key="ib_save", icon=":material/save:"):
        try:
            saved = save_plan(ws, plan.sites)
        except BuurtkaartError as exc:
            _shared.show_error(exc)
        else:
            st.success(saved.summary())

    stored = _shared.layer("infoborden")
    if len(stored):
        st.header(t("infoborden.page.changes"))
        diff = compare_signs(stored, plan.sites)
        shown = display_frame(diff[["change", "sign_id", "site_id", "description"]])
        st.dataframe(shown.rename(columns={"change": t("infoborden.column.change"),
                                           "sign_id": t("infoborden.column.site_id"),
                                           "site_id": t("infoborden.column.new_site"),
                                           "description": t("infoborden.column.reason")}),
                     hide_index=True, width="stretch")


main()
