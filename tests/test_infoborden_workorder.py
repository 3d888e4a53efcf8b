"""The work order PDF: its own line breaking equals fpdf's ``multi_cell``, and every site gets a vector map."""

from __future__ import annotations

import re
from collections.abc import Iterator

import geopandas as gpd
import pytest
import shapely
from fpdf import FPDF
from matplotlib import font_manager

from buurtkaart.infoborden import plan_infoborden
from buurtkaart.infoborden.export import site_table
from buurtkaart.infoborden.workorder import _wrap, work_order_pdf
from buurtkaart.schema import WORKING_CRS
from tests.conftest import X0, Y0
from tests.pdf_helpers import pdf_content

LONG = ("Dit bord staat waar de straat het gebied binnenkomt vanaf de gewestweg N9; een vergunning van AWV is "
        "nodig voor het plaatsen, en de paal komt op minstens een halve meter van de rijbaan.")


@pytest.fixture(scope="module")
def pdf() -> Iterator[FPDF]:
    doc = FPDF(format="A4")
    doc.add_font("DejaVu", "", font_manager.findfont("DejaVu Sans"))
    doc.set_font("DejaVu", "", 9)
    doc.add_page()
    yield doc
    doc.output()  # fpdf closes the font file when it writes the document


@pytest.mark.parametrize("text", ["kort", LONG, "a  b", " voor", "na ", "twee\nregels", "", LONG + " " + LONG,
                                  "Kerkstraat 12, 1730 Asse: één bord (ß, œ, €)"])
@pytest.mark.parametrize("indent_mm", [0.0, 74.0])
def test_wrap_breaks_lines_like_multi_cell(pdf, text, indent_mm):
    pdf.set_x(pdf.l_margin + indent_mm)
    room = pdf.w - pdf.r_margin - pdf.get_x() - 2 * pdf.c_margin
    assert _wrap(pdf, text, room) == pdf.multi_cell(0, 5, text, dry_run=True, output="LINES")


def test_a_word_wider_than_the_line_is_left_to_multi_cell(pdf):
    assert _wrap(pdf, "x" * 400, 50.0) is None


def test_each_site_gets_a_clipped_vector_map_with_its_streets_and_red_dot():
    def line(*xy):
        return shapely.LineString([(X0 + x, Y0 + y) for x, y in xy])

    groups = gpd.GeoDataFrame({"group_id": ["G1"], "name": ["West"]},
                              geometry=[shapely.box(X0, Y0, X0 + 100, Y0 + 100)], crs=WORKING_CRS)
    streets = gpd.GeoDataFrame({"street_id": [1, 2], "name": ["Westweg", "Noordweg"],
                                "road_class": ["minor", "minor"]},
                               geometry=[line((-200, 50), (60, 50)), line((50, 300), (50, 40))], crs=WORKING_CRS)
    homes = gpd.GeoDataFrame({"address_id": ["a1", "a2"]},
                             geometry=[shapely.Point(X0 + 20, Y0 + 20), shapely.Point(X0 + 80, Y0 + 80)],
                             crs=WORKING_CRS)
    plan = plan_infoborden(groups, streets, homes)
    assert len(plan.sites) == 2
    data = work_order_pdf(plan.sites, site_table(plan.sites), streets=streets, groups=groups)
    assert data.startswith(b"%PDF") and b"/Subtype /Image" not in data
    content = pdf_content(data)
    assert content.count(" re W n") == 2  # one clipped map per site
    assert content.count("0.8392 0.1529 0.1569 rg") == 2  # the red dots
    assert content.count("0.4667 0.4667 0.4667 RG") == 2  # the grey streets
    assert content.count("0.1216 0.4353 0.698 RG") == 2  # the blue group border ...
    assert re.search(r"\[[\d.]+ [\d.]+\] 0\.000 d", content)  # ... dashed
