"""Staff page "Overzichtskaart": every layer of the workspace on one map, the layers' sizes, downloads."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from app_pages import _shared
from buurtkaart.coverage import coverage_by
from buurtkaart.display import display_frame
from buurtkaart.errors import BuurtkaartError
from buurtkaart.maps import overview_map, payload_bytes, standalone_html
from buurtkaart.texts import catalogue, t

MAP_LAYERS = ["municipality", "deelgemeenten", "wijken", "streets", "groups", "infoborden", "addresses"]


def _group_table(groups: gpd.GeoDataFrame, addresses: gpd.GeoDataFrame) -> pd.DataFrame:
    figures = coverage_by(addresses, groups, level="group")
    return pd.DataFrame({
        t("app.overview.col.group_id"): figures["group_id"].astype(str),
        t("app.overview.col.name"): figures["name"].astype(str),
        t("app.overview.col.area_ha"): (figures["area_km2"] * 100).round(1),
        t("app.overview.col.households"): figures["households"].astype(int),
    })


def main() -> None:
    _shared.require_role("staff")
    ws = _shared.workspace()
    st.title(t("app.overview.title"))
    st.caption(t("app.overview.intro"))
    options = st.columns(2)
    tiles = options[0].toggle(t("app.overview.tiles"), value=False, key="overview_tiles")
    with_addresses = options[1].toggle(t("app.overview.addresses"), value=False, key="overview_addresses")
    layers = {name: _shared.layer(name) for name in MAP_LAYERS}
    try:
        with st.spinner(t("app.loading_map")):
            m = overview_map(layers, with_addresses=with_addresses, tiles=tiles, fictional=ws.is_fictional)
    except BuurtkaartError as exc:
        _shared.show_error(exc)
        st.info(t("app.overview.empty"))
        return
    _shared.show_map(m, key="staff_overview_map", height=620)
    st.caption(t("app.overview.payload", kb=round(payload_bytes(m) / 1024)))
    st.download_button(t("app.download_map"), data=lambda: standalone_html(m).encode("utf-8"),
                       file_name="overzichtskaart.html", mime="text/html", key="overview_map_html",
                       icon=":material/download:")

    st.header(t("app.overview.groups_title"))
    groups = layers["groups"]
    table = _group_table(groups, layers["addresses"])
    st.dataframe(display_frame(table), hide_index=True, width="stretch")
    _shared.download_frame(groups, file_stem="groepen", key="overview_groups")

    st.header(t("app.overview.layers_title"))
    info = pd.DataFrame(ws.info())
    if len(info):
        known = catalogue()
        info["layer"] = [known.get(f"maps.layer.{name}", name) for name in info["layer"]]
        info = info[["layer", "features", "geometry_type", "personal"]].rename(columns={
            "layer": t("app.overview.col.layer"), "features": t("app.overview.col.features"),
            "geometry_type": t("app.overview.col.geometry"), "personal": t("app.overview.col.personal"),
        })
        st.dataframe(info, hide_index=True, width="stretch")


main()
