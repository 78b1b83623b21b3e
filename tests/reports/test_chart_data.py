"""The SPC charts' data without python-pptx's chart-data machinery (issue 13): the same chart XML,
and an embedded workbook holding the same cells as python-pptx's (XlsxWriter) workbook."""

from __future__ import annotations

import io

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE

from planner.codec import clean_text
from reports.chart_data import LineChartData, column_letter

# Labels as the charts have them (dates in words, series names); XlsxWriter would turn text
# starting with "=" into a formula and a web address into a link, which no chart label is.
LABEL = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                max_size=10).map(clean_text).filter(lambda t: t and not t.startswith("=")
                                                    and ":" not in t)
VALUE = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 4)),
                  st.integers(-1000, 1000))


@st.composite
def chart_data(draw):
    n = draw(st.integers(1, 30))
    cats = draw(st.lists(LABEL, min_size=n, max_size=n))
    series = draw(st.lists(st.tuples(LABEL, st.lists(VALUE, min_size=n, max_size=n)),
                           min_size=1, max_size=7))
    return cats, series


def both(cats, series):
    ours = LineChartData(cats)
    theirs = CategoryChartData(number_format="General")
    theirs.categories = cats
    for name, values in series:
        ours.add_series(name, values)
        theirs.add_series(name, values)
    return ours, theirs


@settings(max_examples=40, deadline=None)
@given(chart_data())
def test_chart_xml_is_python_pptx_s(data):
    from pptx.oxml import parse_xml
    from lxml import etree

    ours, theirs = both(*data)
    # compared as python-pptx's chart part reads it (its parser drops the template's indents)
    assert etree.tostring(parse_xml(ours.xml_bytes(XL_CHART_TYPE.LINE_MARKERS))) == \
        etree.tostring(parse_xml(theirs.xml_bytes(XL_CHART_TYPE.LINE_MARKERS)))


def cells(blob: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(blob))
    assert wb.sheetnames == ["Sheet1"]
    ws = wb["Sheet1"]
    return ([(c.coordinate, c.value, c.number_format, c.data_type)
             for row in ws.iter_rows() for c in row if c.value is not None],
            ws.column_dimensions["A"].width)


@settings(max_examples=25, deadline=None)
@given(chart_data())
def test_embedded_workbook_holds_python_pptx_s_cells(data):
    ours, theirs = both(*data)
    assert cells(ours.xlsx_blob) == cells(theirs.xlsx_blob)


def test_workbook_is_the_same_bytes_every_time():
    a, b = both(["Jan 26", "Feb 26"], [("Value", [1.5, None])])
    assert a.xlsx_blob == a.xlsx_blob  # no timestamp: a deck made twice is the same file


def test_column_letters():
    assert [column_letter(n) for n in (1, 2, 26, 27, 52, 53, 702, 703)] == \
        ["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
