"""The printable work order (PDF): one block per site with its position, facing direction, reason and a small
map drawn from the workspace's own streets and, light and dotted, the roads beyond the municipal border (no web
tiles, so it works offline).

Speed: the site maps are vector drawings straight into the PDF (clipped lines, no raster image to compress), the
nearby streets and borders come from the spatial index, and a text that fits on one line is written as one cell
(fpdf's ``multi_cell`` line breaking is the slow part; longer texts still wrap with it).
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
OUTSIDE_COLOR = (179, 170, 153)  # #b3aa99


_MAP_MM = 70.0
_PT_MM = 25.4 / 72  # one typographic point in millimetres (the line widths of the former matplotlib maps)
_RED = (214, 39, 40)


def work_order_pdf(sites: gpd.GeoDataFrame, table: pd.DataFrame, *, streets: gpd.GeoDataFrame | None = None,
                   groups: gpd.GeoDataFrame | None = None, roads_outside: gpd.GeoDataFrame | None = None) -> bytes:
    """The work order for ``sites`` (``table`` is :func:`buurtkaart.infoborden.export.site_table` of them);
    ``roads_outside`` (the roads beyond the municipal border) are drawn dotted and light on the site maps."""
    from fpdf import FPDF
    from matplotlib import font_manager

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
    _lines(pdf, 5, t("infoborden.pdf.intro", count=len(table)))
    pdf.ln(3)
    maps = _SiteMaps(streets=streets, groups=groups, roads_outside=roads_outside)
    for i, row in enumerate(table.itertuples(index=False)):
        if i and i % 3 == 0:
            pdf.add_page()
        top = pdf.get_y()
        maps.draw(pdf, pdf.l_margin, top, sites.geometry.values[i],
                  float(row.bearing_deg) if pd.notna(row.bearing_deg) else None)
        pdf.set_xy(pdf.l_margin + 74, top)
        pdf.set_font("DejaVu", "B", 11)
        road = row.road_name if isinstance(row.road_name, str) else t("infoborden.reason.unnamed")
        _lines(pdf, 6, t("infoborden.pdf.site", site_id=row.site_id, road=road))
        pdf.set_font("DejaVu", "", 9)
        lines = [
            t("infoborden.pdf.position", x=row.x, y=row.y, lat=row.lat, lon=row.lon),
            t("infoborden.pdf.facing", bearing=_fmt(row.bearing_deg), groups=row.group_ids),
            str(row.reason) if isinstance(row.reason, str) else "",
            t("infoborden.pdf.done"),
        ]
        for text in lines:
            pdf.set_x(pdf.l_margin + 74)
            _lines(pdf, 5, text)
        pdf.set_y(max(pdf.get_y(), top + 74))
        pdf.set_x(pdf.l_margin)
    pdf.set_font("DejaVu", "", 8)
    pdf.cell(0, 5, t("infoborden.pdf.legend"), new_x="LMARGIN", new_y="NEXT")
    if roads_outside is not None and len(roads_outside):
        pdf.cell(0, 5, t("infoborden.pdf.legend_outside"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _lines(pdf: Any, height_mm: float, text: str) -> None:
    """``text`` from the current x to the right margin, wrapped like ``multi_cell`` (each line one cell, without
    fpdf's slow line breaking), then on to the next line at the left margin."""
    left = pdf.get_x()
    rows = _wrap(pdf, text, pdf.w - pdf.r_margin - left - 2 * pdf.c_margin)
    if rows is None:
        pdf.multi_cell(0, height_mm, text, new_x="LMARGIN", new_y="NEXT")
        return
    for row in rows:
        pdf.set_x(left)
        pdf.cell(0, height_mm, row, new_x="LMARGIN", new_y="NEXT")


def _wrap(pdf: Any, text: str, room_mm: float) -> list[str] | None:
    """The lines of ``text`` in the current font, broken at spaces to fit ``room_mm``; None when a single word is
    wider than the room (``multi_cell`` then cuts it inside the word)."""
    width = pdf.get_string_width
    space = width(" ")
    rows: list[str] = []
    for paragraph in text.split("\n"):
        line: str | None = None
        used = 0.0
        for word in paragraph.split(" "):
            size = width(word)
            if size > room_mm:
                return None
            if line is not None and used + space + size > room_mm:
                rows.append(line)
                line = None
            line, used = (word, size) if line is None else (f"{line} {word}", used + space + size)
        rows.append(line or "")
    return rows


def _fmt(value) -> str:
    return "-" if value is None or pd.isna(value) else f"{float(value):.0f}"


class _SiteMaps:
    """The site maps of a work order, drawn as vectors into the PDF: group borders (blue, dashed), streets (grey),
    the site (a red dot) and the direction the sign faces (a red arrow 35 m long)."""

    def __init__(self, *, streets: gpd.GeoDataFrame | None, groups: gpd.GeoDataFrame | None,
                 roads_outside: gpd.GeoDataFrame | None = None) -> None:
        self.layers = []
        # (frame, colour, line width in pt, dash and gap as multiples of the width or None for a solid line)
        for frame, color, width_pt, dash in ((groups, (31, 111, 178), 1.2, (3.7, 1.6)),
                                             (roads_outside, OUTSIDE_COLOR, 0.9, (1.0, 1.65)),
                                             (streets, (119, 119, 119), 1.0, None)):
            if frame is not None and len(frame):
                geoms = frame.geometry.values
                self.layers.append((frame.sindex, shapely.boundary(geoms) if frame is groups else geoms, color,
                                    width_pt * _PT_MM, dash))

    def draw(self, pdf: Any, left_mm: float, top_mm: float, point: shapely.Point, bearing_deg: float | None) -> None:
        """The map of the site at ``point``, a square of ``_MAP_MM`` with its top-left corner at the given place."""
        x, y = point.x, point.y
        box = (x - _MAP_RADIUS_M, y - _MAP_RADIUS_M, x + _MAP_RADIUS_M, y + _MAP_RADIUS_M)
        scale = _MAP_MM / (2 * _MAP_RADIUS_M)

        def page(xy: np.ndarray) -> list[tuple[float, float]]:
            return list(zip((left_mm + (xy[:, 0] - box[0]) * scale).tolist(),
                            (top_mm + (box[3] - xy[:, 1]) * scale).tolist(), strict=True))

        with pdf.local_context(), pdf.rect_clip(left_mm, top_mm, _MAP_MM, _MAP_MM):
            for sindex, geoms, color, width_mm, dash in self.layers:
                near = geoms[sindex.query(shapely.box(*box), predicate="intersects")]
                near = near[~shapely.is_empty(near)] if len(near) else near
                if not len(near):
                    continue
                pdf.set_draw_color(*color)
                pdf.set_line_width(width_mm)
                if dash is None:
                    pdf.set_dash_pattern()
                else:
                    pdf.set_dash_pattern(dash=dash[0] * width_mm, gap=dash[1] * width_mm)
                for part in shapely.get_parts(near):
                    coords = shapely.get_coordinates(part)
                    if len(coords) >= 2:
                        pdf.polyline(page(coords))
            pdf.set_dash_pattern()
            pdf.set_draw_color(*_RED)
            pdf.set_fill_color(*_RED)
            if bearing_deg is not None:
                pdf.set_line_width(1.6 * _PT_MM)
                rad = np.radians(bearing_deg)
                (sx, sy), (ex, ey) = page(np.array([[x, y], [x + 35 * np.sin(rad), y + 35 * np.cos(rad)]]))
                pdf.line(sx, sy, ex, ey)
                back = np.arctan2(sy - ey, sx - ex)
                for turn in (-0.45, 0.45):
                    pdf.line(ex, ey, ex + 2.2 * np.cos(back + turn), ey + 2.2 * np.sin(back + turn))
            (px, py), = page(np.array([[x, y]]))
            pdf.circle(px, py, 3.5 * _PT_MM, style="F")
