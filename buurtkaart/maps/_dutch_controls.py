"""Leaflet's and Leaflet.draw's own control texts in Dutch ("Draw a polygon", "No layers to edit", "Zoom in",
"Layers"): Leaflet.draw reads ``L.drawLocal`` when its toolbar is made, so the texts are merged into it before any
draw control is added; the zoom and layer buttons get a Dutch title once the map is complete. The texts come from
the catalogue (``maps.control.*``)."""

from __future__ import annotations

import json
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

from buurtkaart.texts import t


def _draw_texts() -> dict[str, Any]:
    """The part of Leaflet.draw's ``L.drawLocal`` the app uses, in Dutch."""
    finish = {"title": t("maps.control.finish_title"), "text": t("maps.control.finish")}
    undo = {"title": t("maps.control.undo_title"), "text": t("maps.control.undo")}
    cancel = {"title": t("maps.control.cancel_title"), "text": t("maps.control.cancel")}
    return {
        "draw": {
            "toolbar": {
                "actions": cancel, "finish": finish, "undo": undo,
                "buttons": {"polygon": t("maps.control.draw_polygon"), "polyline": t("maps.control.draw_line"),
                            "rectangle": t("maps.control.draw_rectangle"), "circle": t("maps.control.draw_circle"),
                            "marker": t("maps.control.draw_marker"),
                            "circlemarker": t("maps.control.draw_marker")},
            },
            "handlers": {
                "polygon": {"tooltip": {"start": t("maps.control.polygon_start"),
                                        "cont": t("maps.control.polygon_cont"),
                                        "end": t("maps.control.polygon_end")}},
                "polyline": {"error": t("maps.control.line_error"),
                             "tooltip": {"start": t("maps.control.line_start"), "cont": t("maps.control.line_cont"),
                                         "end": t("maps.control.line_end")}},
                "rectangle": {"tooltip": {"start": t("maps.control.rectangle_start")}},
                "simpleshape": {"tooltip": {"end": t("maps.control.shape_end")}},
            },
        },
        "edit": {
            "toolbar": {
                "actions": {"save": {"title": t("maps.control.save_title"), "text": t("maps.control.save")},
                            "cancel": {"title": t("maps.control.cancel_edit_title"), "text": t("maps.control.cancel")},
                            "clearAll": {"title": t("maps.control.clear_all_title"),
                                         "text": t("maps.control.clear_all")}},
                "buttons": {"edit": t("maps.control.edit"), "editDisabled": t("maps.control.edit_disabled"),
                            "remove": t("maps.control.remove"),
                            "removeDisabled": t("maps.control.remove_disabled")},
            },
            "handlers": {
                "edit": {"tooltip": {"text": t("maps.control.edit_tooltip"),
                                     "subtext": t("maps.control.edit_subtext")}},
                "remove": {"tooltip": {"text": t("maps.control.remove_tooltip")}},
            },
        },
    }


class DutchControls(MacroElement):
    """Add to a map before any draw control (``base_map`` does): Dutch texts for Leaflet's and Leaflet.draw's
    controls."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            function merge(into, from) {
                for (var key in from) {
                    if (from[key] && typeof from[key] === "object") {
                        into[key] = into[key] || {};
                        merge(into[key], from[key]);
                    } else {
                        into[key] = from[key];
                    }
                }
            }
            if (window.L && L.drawLocal) { merge(L.drawLocal, {{ this.draw_texts }}); }
            var titles = {{ this.titles }};
            var map = {{ this._parent.get_name() }};
            setTimeout(function () {
                for (var selector in titles) {
                    map.getContainer().querySelectorAll(selector).forEach(function (el) {
                        el.title = titles[selector];
                        el.setAttribute("aria-label", titles[selector]);
                    });
                }
            }, 0);
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "DutchControls"
        self.draw_texts = json.dumps(_draw_texts(), ensure_ascii=False)
        self.titles = json.dumps({
            ".leaflet-control-zoom-in": t("maps.control.zoom_in"),
            ".leaflet-control-zoom-out": t("maps.control.zoom_out"),
            ".leaflet-control-layers-toggle": t("maps.control.layers"),
        }, ensure_ascii=False)
