"""Deck tables keep every row's height and their frames the height of their rows (issue 13)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pptx import Presentation
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.util import Emu, Inches

from reports import ExportOptions, build_deck
from reports.slide_tables import Cell, Col, _row_xml
from reports.writer import DeckWriter


def test_every_table_row_keeps_its_height_and_the_frame_adds_them_up(doc):
    prs, _report = build_deck(doc.plan, ExportOptions(output="unused.pptx"))
    n_tables = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            n_tables += 1
            rows = list(shape.table.rows)
            heights = [row.height for row in rows]
            assert all(h > 0 for h in heights)
            assert shape.height == Emu(sum(heights))
            header = rows[0].cells[0].text_frame.paragraphs[0].runs[0]
            assert header.font.bold  # the header row is the first row, filled as a header
    assert n_tables >= 3


def test_rows_keep_their_own_heights_not_one_default(doc):
    prs, _report = build_deck(doc.plan, ExportOptions(output="unused.pptx"))
    varied = [shape for slide in prs.slides for shape in slide.shapes
              if shape.has_table and len({row.height for row in shape.table.rows}) > 1]
    assert varied  # rows sized to their wrapped text, e.g. a long title's row is taller


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=12)
COLOUR = st.one_of(st.none(), st.sampled_from(["FF0000", "00b050", "1F4E79"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXT, COLOUR, COLOUR, st.booleans(),
                          st.sampled_from(["left", "center", "right"])), min_size=1, max_size=4),
       st.sampled_from([9, 9.5, 11, 14]), st.integers(100_000, 900_000))
def test_table_rows_written_directly_match_python_pptx_filling_the_cells(cells, size, height):
    from planner.codec import clean_text

    cells = [(Cell(clean_text(t), fill, ink, bold), Col("H", align=align))
             for t, fill, ink, bold, align in cells]
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    table = slide.shapes.add_table(1, len(cells), 0, 0, Inches(6), Inches(1)).table
    table.rows[0].height = height
    for j, (c, col) in enumerate(cells):
        DeckWriter._fill(table.cell(0, j), c, col, size)
    expected = table._tbl.tr_lst[0]
    actual = parse_xml(f'<a:tbl {nsdecls("a")}>{_row_xml(height, cells, size)}</a:tbl>')[0]
    assert etree.tostring(actual, method="c14n", exclusive=True) == \
        etree.tostring(expected, method="c14n", exclusive=True)
