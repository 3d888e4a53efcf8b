"""The printable work order (PDF): one block per site with its position, facing direction, reason and a small
map drawn from the workspace's own streets and, light and dotted, the roads beyond the municipal border
(matplotlib; no web tiles, so it works offline).

Speed: one figure serves every site map; per site only the nearby streets and borders (from the spatial index),
the marker, the arrow and the extent change, and the image goes to the PDF without a PNG round trip.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from buurtkaart.texts import t

_MAP_RADIUS_M = 120.0
#: The roads beyond the municipal border on a site map: light and dotted, so that they read as not the town's own.
OUTSIDE_COLOR = "#b3aa99"


def work_order_pdf(sites: gpd.GeoDataFrame, table: pd.DataFrame, *, streets: gpd.GeoDataFrame | None = None,
                   groups: gpd.GeoDataFrame | None = None, roads_outside: gpd.GeoDataFrame | None = None) -> bytes:
    """The work order for ``sites`` (``table`` is :func:`buurtkaart.infoborden.export.site_table` of them);
    ``roads_outside`` (the roads beyond the municipal border) are drawn dotted and light on the site maps."""
    import matplotlib
    from fpdf import FPDF
    from matplotlib import font_manager

    matplotlib.use("Agg", force=False)
    pdf = FPDF(format="A4")
    font = font_manager.findfont("DejaVu Sans")
    pdf.add_font("DejaVu", "", font)
    pdf.add_font("DejaVu", "B", font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans",
                                                                                   weight="bold")))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, t("infoborden.pdf.title"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, t("infoborden.pdf.intro", count=len(table)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    maps = _SiteMaps(streets=streets, groups=groups, roads_outside=roads_outside)
    for i, row in enumerate(table.itertuples(index=False)):
        if i and i % 3 == 0:
            pdf.add_page()
        top = pdf.get_y()
        image = maps.draw(sites.geometry.values[i], float(row.bearing_deg) if pd.notna(row.bearing_deg) else None)
        pdf.image(image, x=pdf.l_margin, y=top, w=70, h=70)
        pdf.set_xy(pdf.l_margin + 74, top)
        pdf.set_font("DejaVu", "B", 11)
        road = row.road_name if isinstance(row.road_name, str) else t("infoborden.reason.unnamed")
        pdf.multi_cell(0, 6, t("infoborden.pdf.site", site_id=row.site_id, road=road), new_x="LMARGIN",
                       new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        lines = [
            t("infoborden.pdf.position", x=row.x, y=row.y, lat=row.lat, lon=row.lon),
            t("infoborden.pdf.facing", bearing=_fmt(row.bearing_deg), groups=row.group_ids),
            str(row.reason) if isinstance(row.reason, str) else "",
            t("infoborden.pdf.done"),
        ]
        for text in lines:
            pdf.set_x(pdf.l_margin + 74)
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), top + 74))
        pdf.set_x(pdf.l_margin)
    pdf.set_font("DejaVu", "", 8)
    pdf.cell(0, 5, t("infoborden.pdf.legend"), new_x="LMARGIN", new_y="NEXT")
    if roads_outside is not None and len(roads_outside):
        pdf.cell(0, 5, t("infoborden.pdf.legend_outside"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _fmt(value) -> str:
    return "-" if value is None or pd.isna(value) else f"{float(value):.0f}"


class _SiteMaps:
    """One matplotlib figure for every site map of a work order."""

    def __init__(self, *, streets: gpd.GeoDataFrame | None, groups: gpd.GeoDataFrame | None,
                 roads_outside: gpd.GeoDataFrame | None = None) -> None:
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=(2.8, 2.8), dpi=110)
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_aspect("equal")
        self.ax.set_axis_off()
        self.layers = []
        for frame, color, width, dash in ((groups, "#1f6fb2", 1.2, "--"), (roads_outside, OUTSIDE_COLOR, 0.9, ":"),
                                          (streets, "#777777", 1.0, "-")):
            if frame is not None and len(frame):
                lines = LineCollection([], colors=color, linewidths=width, linestyles=dash)
                self.ax.add_collection(lines)
                geoms = frame.geometry.values
                self.layers.append((frame.sindex, shapely.boundary(geoms) if frame is groups else geoms, lines))
        (self.marker,) = self.ax.plot([0], [0], marker="o", color="#d62728", markersize=7)
        self.arrow = self.ax.annotate("", xy=(0, 0), xytext=(0, 0),
                                      arrowprops={"arrowstyle": "->", "color": "#d62728", "lw": 1.6})

    def draw(self, point: shapely.Point, bearing_deg: float | None) -> Any:
        """The site's map as a PIL image."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        x, y = point.x, point.y
        box = (x - _MAP_RADIUS_M, y - _MAP_RADIUS_M, x + _MAP_RADIUS_M, y + _MAP_RADIUS_M)
        for sindex, geoms, lines in self.layers:
            near = geoms[sindex.query(shapely.box(*box), predicate="intersects")]
            parts = shapely.get_parts(near[~shapely.is_empty(near)]) if len(near) else []
            lines.set_segments([shapely.get_coordinates(part) for part in parts])
        self.marker.set_data([x], [y])
        self.arrow.set_visible(bearing_deg is not None)
        if bearing_deg is not None:
            rad = np.radians(bearing_deg)
            self.arrow.xy = (x + 35 * np.sin(rad), y + 35 * np.cos(rad))
            self.arrow.set_position((x, y))
        self.ax.set_xlim(box[0], box[2])
        self.ax.set_ylim(box[1], box[3])
        canvas = FigureCanvasAgg(self.fig)
        canvas.draw()
        return Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
