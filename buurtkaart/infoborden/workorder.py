"""The printable work order (PDF): one block per site with its position, facing direction, reason and a small
map drawn from the workspace's own streets (matplotlib; no web tiles, so it works offline)."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd

from buurtkaart.texts import t

_MAP_RADIUS_M = 120.0


def work_order_pdf(sites: gpd.GeoDataFrame, table: pd.DataFrame, *, streets: gpd.GeoDataFrame | None = None,
                   groups: gpd.GeoDataFrame | None = None) -> bytes:
    """The work order for ``sites`` (``table`` is :func:`buurtkaart.infoborden.export.site_table` of them)."""
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
    for i, row in enumerate(table.itertuples(index=False)):
        if i and i % 3 == 0:
            pdf.add_page()
        top = pdf.get_y()
        image = _site_map(sites.geometry.values[i], float(row.bearing_deg) if pd.notna(row.bearing_deg) else None,
                          streets=streets, groups=groups)
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
    return bytes(pdf.output())


def _fmt(value) -> str:
    return "-" if value is None or pd.isna(value) else f"{float(value):.0f}"


def _site_map(point, bearing_deg: float | None, *, streets, groups) -> io.BytesIO:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2.8, 2.8), dpi=110)
    ax = fig.add_axes((0, 0, 1, 1))
    x, y = point.x, point.y
    box = (x - _MAP_RADIUS_M, y - _MAP_RADIUS_M, x + _MAP_RADIUS_M, y + _MAP_RADIUS_M)
    if groups is not None and len(groups):
        near = groups.iloc[groups.sindex.query(_box(box), predicate="intersects")]
        if len(near):
            near.boundary.plot(ax=ax, color="#1f6fb2", linewidth=1.2, linestyle="--")
    if streets is not None and len(streets):
        near = streets.iloc[streets.sindex.query(_box(box), predicate="intersects")]
        if len(near):
            near.plot(ax=ax, color="#777777", linewidth=1.0)
    ax.plot([x], [y], marker="o", color="#d62728", markersize=7)
    if bearing_deg is not None:
        rad = np.radians(bearing_deg)
        ax.annotate("", xy=(x + 35 * np.sin(rad), y + 35 * np.cos(rad)), xytext=(x, y),
                    arrowprops={"arrowstyle": "->", "color": "#d62728", "lw": 1.6})
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    buffer.seek(0)
    return buffer


def _box(bounds):
    import shapely

    return shapely.box(*bounds)
