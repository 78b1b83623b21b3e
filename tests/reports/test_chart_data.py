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


def _style_with_python_pptx(chart, geo) -> None:
    """The SPC chart's styling as python-pptx's chart calls make it (the deck did it so before
    issue 13); the places of the title and plot area, which python-pptx has no call for, put
    in with lxml as the schema orders them."""
    from lxml import etree
    from pptx.enum.chart import XL_MARKER_STYLE, XL_TICK_LABEL_POSITION
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    from reports import charts as c
    from reports.slide_text import rgb

    def marker(series, style, size, colour) -> None:
        series.marker.style = style
        series.marker.size = size
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = rgb(colour)
        series.marker.format.line.color.rgb = rgb(colour)

    def manual(parent, target, x, y, w=None, h=None) -> None:
        C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
        layout = parent.find(qn("c:layout"))
        if layout is None:
            layout = etree.Element(qn("c:layout"))
            parent.insert(0, layout)
        ml = etree.SubElement(layout, qn("c:manualLayout"))
        items = ([("layoutTarget", target)] if target else []) + [
            ("xMode", "edge"), ("yMode", "edge"), ("x", f"{x:.6f}"), ("y", f"{y:.6f}")] + (
            [("w", f"{w:.6f}"), ("h", f"{h:.6f}")] if w is not None else [])
        for tag, val in items:
            etree.SubElement(ml, f"{{{C}}}{tag}").set("val", val)

    chart.has_title = True
    chart.chart_title.text_frame.text = geo.title
    for p in chart.chart_title.text_frame.paragraphs:
        for run in p.runs:
            run.font.size = Pt(10)
            run.font.bold = True
    manual(chart.chart_title._title, None, (geo.title_left - geo.frame.left) / geo.frame.width, 0)
    chart.has_legend = False
    for s in chart.plots[0].series:
        s.smooth = False
        line = s.format.line
        if s.name == c.SERIES_VALUE:
            line.color.rgb = rgb(c.COMMON)
            line.width = Pt(1.5)
            marker(s, XL_MARKER_STYLE.CIRCLE, 5, c.COMMON)
        elif s.name == c.SERIES_MEAN:
            line.color.rgb = rgb(c.MEAN)
            line.width = Pt(1.25)
            s.marker.style = XL_MARKER_STYLE.NONE
        elif s.name in (c.SERIES_UPPER, c.SERIES_LOWER):
            line.color.rgb = rgb(c.LIMIT)
            line.width = Pt(1)
            line.dash_style = MSO_LINE_DASH_STYLE.DASH
            s.marker.style = XL_MARKER_STYLE.NONE
        elif s.name == c.SERIES_TARGET:
            line.color.rgb = rgb(c.TARGET)
            line.width = Pt(1.25)
            line.dash_style = MSO_LINE_DASH_STYLE.LONG_DASH
            s.marker.style = XL_MARKER_STYLE.NONE
        else:
            colour = c.IMPROVEMENT if s.name == c.SERIES_IMPROVEMENT else c.CONCERN
            line.fill.background()
            marker(s, XL_MARKER_STYLE.CIRCLE, 8, colour)
    va = chart.value_axis
    va.minimum_scale, va.maximum_scale = geo.lo, geo.hi
    va.major_unit = geo.major
    va.tick_labels.font.size = Pt(9)
    va.has_major_gridlines = False
    va._element.find(qn("c:majorUnit")).addprevious(etree.Element(qn("c:crossBetween"),
                                                                   val="between"))
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    manual(chart._chartSpace.chart.plotArea, "inner", *geo.fractions())


def test_styled_spc_charts_are_python_pptx_s_styled_charts(doc):
    """Every chart of the sample plan (notes on points, special causes, run charts, targets):
    the chart XML written in one go is the XML python-pptx's chart calls made."""
    from lxml import etree
    from pptx import Presentation

    from reports.charts import chart_geometry, measure_chart, spc_chart_data
    from reports.template import Box

    plan = doc.plan
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    checked = 0
    for m in plan.measures.values():
        r = measure_chart(plan, m)
        if not r.points:
            continue
        geo = chart_geometry(plan, m, r, Box(457200, 1828800, 5547360, 1508760))
        ours = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, 0, 0, 100, 100,
                                      spc_chart_data(plan, m, r, geometry=geo)).chart
        theirs = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, 0, 0, 100, 100,
                                        spc_chart_data(plan, m, r, styled=False)).chart
        _style_with_python_pptx(theirs, geo)
        assert etree.tostring(ours._chartSpace) == etree.tostring(theirs._chartSpace), m.id
        checked += 1
    assert checked >= 10
