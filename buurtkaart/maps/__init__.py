"""Folium maps of buurtkaart, built by pure functions; one module per topic on top of :mod:`buurtkaart.maps.base`."""

from buurtkaart.maps.assets import lean_assets, localize_assets, standalone_html, write_assets
from buurtkaart.maps.base import (
    add_areas,
    add_badge,
    add_legend,
    add_points,
    add_streets,
    base_map,
    display_bounds,
    finish_map,
    group_colors,
    payload_bytes,
    style,
    to_display,
)
from buurtkaart.maps.overview import (
    SIGN_STATUS_COLORS,
    address_labels,
    group_map,
    overview_map,
    resident_map,
)

__all__ = [
    "SIGN_STATUS_COLORS",
    "add_areas",
    "add_badge",
    "add_legend",
    "add_points",
    "add_streets",
    "address_labels",
    "base_map",
    "display_bounds",
    "finish_map",
    "group_colors",
    "group_map",
    "lean_assets",
    "localize_assets",
    "overview_map",
    "payload_bytes",
    "resident_map",
    "standalone_html",
    "style",
    "to_display",
    "write_assets",
]
