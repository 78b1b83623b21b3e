"""A line chart's data for python-pptx's chart part, without its chart-data machinery (issue 13).

python-pptx's ``CategoryChartData`` writes the chart XML and an embedded workbook through
XlsxWriter, whose import and workbook cost the deck more than the charts themselves. This module
gives ``ChartPart.new`` the two things it asks of chart data: ``xml_bytes(chart_type)``, the same
XML python-pptx 1.0 writes for a line chart with markers and text categories (compared with it
in tests/reports/test_chart_data.py), and ``xlsx_blob``, a small workbook holding the same cells
(categories in column A from row 2, each series' name in row 1 and its values below, every cell
in the "General" format), so the chart stays native and its data editable in PowerPoint.

Beyond python-pptx's new chart it can fix the chart's geometry (reports/chart_layout.py): the
plot area's and title's places as a manual layout, the value axis's step, and no category
labels (the deck writes its own).
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def column_letter(n: int) -> str:
    """Excel's column letters for column ``n`` (1 is A)."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


class LineChartData:
    """Text categories and named series of numbers (None: no point) for a line chart."""

    def __init__(self, categories: list[str], number_format: str = "General"):
        if number_format != "General":  # the workbook's one cell style is General
            raise ValueError("only the General number format is written")
        self.categories = [str(c) for c in categories]
        self.number_format = number_format
        self.series: list[tuple[str, list[float | None], str]] = []
        # how the chart is drawn; the defaults are python-pptx's new chart
        self.title: str | None = None  # a title, its runs' properties (``<a:rPr .../>``)
        self.title_run_pr = ""
        self.legend = True
        self.value_gridlines = True
        self.value_scale: tuple[float, float] | None = None  # (minimum, maximum)
        self.category_font_pt: float | None = None  # the axes' label sizes
        self.value_font_pt: float | None = None
        # a fixed geometry (reports/chart_layout.py); None: the renderer's own
        self.plot_layout: tuple[float, float, float, float] | None = None  # inner x, y, w, h
        self.title_at: tuple[float, float] | None = None  # the title's top left (x, y)
        self.value_major: float | None = None  # the value axis's step
        self.category_labels = True  # False: the category axis without its labels

    def add_series(self, name: str, values: list[float | None], style: str = "") -> None:
        """A series; ``style`` is its ``<c:spPr>``, ``<c:marker>`` and ``<c:dLbls>`` XML."""
        self.series.append((name, list(values), style))

    # ----- the chart XML ------------------------------------------------------------------------

    def xml_bytes(self, chart_type=None) -> bytes:
        """The chart part's XML as python-pptx writes it for ``XL_CHART_TYPE.LINE_MARKERS``."""
        return self.xml().encode("utf-8")

    def xml(self) -> str:
        n = len(self.categories)
        cat_ref = f"Sheet1!$A$2:$A${n + 1}"
        cat_pts = "".join(f'<c:pt idx="{i}"><c:v>{escape(c)}</c:v></c:pt>'
                          for i, c in enumerate(self.categories))
        cat = (f"<c:cat><c:strRef><c:f>{cat_ref}</c:f><c:strCache><c:ptCount val=\"{n}\"/>"
               f"{cat_pts}</c:strCache></c:strRef></c:cat>")
        sers = []
        for i, (name, values, style) in enumerate(self.series):
            col = column_letter(2 + i)
            pts = "".join(f'<c:pt idx="{j}"><c:v>{v}</c:v></c:pt>'
                          for j, v in enumerate(values) if v is not None)
            sers.append(
                f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:strRef>'
                f"<c:f>Sheet1!${col}$1</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\">"
                f"<c:v>{escape(name)}</c:v></c:pt></c:strCache></c:strRef></c:tx>{style}{cat}"
                f"<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${len(values) + 1}</c:f>"
                f"<c:numCache><c:formatCode>{self.number_format}</c:formatCode>"
                f'<c:ptCount val="{len(values)}"/>{pts}</c:numCache></c:numRef></c:val>'
                '<c:smooth val="0"/></c:ser>')
        title_layout = ("<c:layout/>" if self.title_at is None else
                        "<c:layout>" + _manual(None, *self.title_at) + "</c:layout>")
        title = ("" if self.title is None else
                 "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/>"
                 + _paragraphs(self.title, self.title_run_pr)
                 + f'</c:rich></c:tx>{title_layout}<c:overlay val="0"/></c:title>')
        plot_layout = ("" if self.plot_layout is None else
                       "<c:layout>" + _manual("inner", *self.plot_layout) + "</c:layout>")
        cat_labels = ('<c:tickLblPos val="nextTo"/>' + _tick_font(self.category_font_pt)
                      if self.category_labels else '<c:tickLblPos val="none"/>')
        major = ("" if self.value_major is None else
                 f'<c:crossBetween val="between"/><c:majorUnit val="{self.value_major!r}"/>')
        scale = ("<c:scaling/>" if self.value_scale is None else
                 f'<c:scaling><c:max val="{self.value_scale[1]}"/>'
                 f'<c:min val="{self.value_scale[0]}"/></c:scaling>')
        return (
            "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}" xmlns:r="{_R}"><c:date1904 val="0"/>'
            f'<c:chart>{title}<c:autoTitleDeleted val="0"/><c:plotArea>{plot_layout}<c:lineChart>'
            '<c:grouping val="standard"/><c:varyColors val="0"/>' + "".join(sers)
            + '<c:marker val="1"/><c:smooth val="0"/><c:axId val="2118791784"/>'
            '<c:axId val="2140495176"/></c:lineChart><c:catAx><c:axId val="2118791784"/>'
            '<c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
            '<c:axPos val="b"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
            f'{cat_labels}'
            '<c:crossAx val="2140495176"/><c:crosses val="autoZero"/>'
            '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
            f'<c:noMultiLvlLbl val="0"/></c:catAx><c:valAx><c:axId val="2140495176"/>{scale}'
            '<c:delete val="0"/><c:axPos val="l"/>'
            + ("<c:majorGridlines/>" if self.value_gridlines else "")
            + '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
            f'{_tick_font(self.value_font_pt)}<c:crossAx val="2118791784"/>'
            f'<c:crosses val="autoZero"/>{major}</c:valAx></c:plotArea>'
            + ('<c:legend><c:legendPos val="r"/><c:layout/><c:overlay val="0"/></c:legend>'
               if self.legend else "")
            + '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/><c:showDLblsOverMax val="0"/>'
            '</c:chart><c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1800"/></a:pPr>'
            '<a:endParaRPr lang="en-US"/></a:p></c:txPr></c:chartSpace>\n')

    # ----- the embedded workbook --------------------------------------------------------------------

    @property
    def xlsx_blob(self) -> bytes:
        """An .xlsx file holding the chart's cells, laid out as python-pptx lays them out."""
        strings: dict[str, int] = {}
        n_strings = 0

        def s(text: str) -> int:
            nonlocal n_strings
            n_strings += 1
            return strings.setdefault(text, len(strings))

        cats = [s(c) for c in self.categories]  # written first, as XlsxWriter numbers them
        names = [s(name) for name, *_ in self.series]
        last_col = column_letter(1 + len(self.series))
        n_rows = 1 + max([len(self.categories)] + [len(v) for _, v, _ in self.series])
        spans = f"1:{1 + len(self.series)}"
        rows = []
        head = "".join(f'<c r="{column_letter(2 + i)}1" t="s"><v>{k}</v></c>'
                       for i, k in enumerate(names))
        if head:
            rows.append(f'<row r="1" spans="{spans}">{head}</row>')
        for r in range(2, n_rows + 1):
            cells = []
            if r - 2 < len(cats):
                cells.append(f'<c r="A{r}" s="1" t="s"><v>{cats[r - 2]}</v></c>')
            for i, (_name, values, _style) in enumerate(self.series):
                if r - 2 >= len(values):
                    continue
                ref = f"{column_letter(2 + i)}{r}"
                v = values[r - 2]
                cells.append(f'<c r="{ref}" s="1"/>' if v is None else
                             f'<c r="{ref}" s="1"><v>{v:.16G}</v></c>')
            if cells:
                rows.append(f'<row r="{r}" spans="{spans}">{"".join(cells)}</row>')
        sheet = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_SML}" xmlns:r="{_R}"><dimension ref="A1:{last_col}{n_rows}"/>'
            '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            '<cols><col min="1" max="1" width="10.7109375" customWidth="1"/></cols>'
            f'<sheetData>{"".join(rows)}</sheetData>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            "</worksheet>")
        sst = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{_SML}" count="{n_strings}" uniqueCount="{len(strings)}">'
            + "".join(f"<si>{_cell_text(t)}</si>" for t in strings) + "</sst>")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                               ("xl/workbook.xml", _WORKBOOK),
                               ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
                               ("xl/styles.xml", _STYLES), ("xl/sharedStrings.xml", sst),
                               ("xl/worksheets/sheet1.xml", sheet)):
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, text.encode("utf-8"))
        return buf.getvalue()


def _tick_font(pt: float | None) -> str:
    """An axis's ``<c:txPr>`` as ``axis.tick_labels.font.size = Pt(pt)`` writes it."""
    if pt is None:
        return ""
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{round(pt * 100)}"/>'
            "</a:pPr></a:p></c:txPr>")


def _manual(target: str | None, x: float, y: float, w: float | None = None,
            h: float | None = None) -> str:
    """A ``<c:manualLayout>``: a place (and size) as shares of the chart's frame, from its top
    left; ``target`` "inner": the plot area inside its axes."""
    t = f'<c:layoutTarget val="{target}"/>' if target else ""
    size = "" if w is None else f'<c:w val="{w:.6f}"/><c:h val="{h:.6f}"/>'
    return (f'<c:manualLayout>{t}<c:xMode val="edge"/><c:yMode val="edge"/>'
            f'<c:x val="{x:.6f}"/><c:y val="{y:.6f}"/>{size}</c:manualLayout>')


def _paragraphs(text: str, rpr: str) -> str:
    from reports.shape_xml import paragraphs_xml

    return paragraphs_xml(text, rpr)


def _cell_text(text: str) -> str:
    """A shared string as XlsxWriter writes it: control characters as _xHHHH_, spaces at
    either end kept."""
    t = escape(_CTRL.sub(lambda m: "_x%04X_" % ord(m.group(1)), text))
    return f'<t xml:space="preserve">{t}</t>' if t != t.strip() else f"<t>{t}</t>"


_CTRL = re.compile(r"([\x00-\x08\x0B-\x1F])")


_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = (_HEAD + f'<Relationships xmlns="{_PKG_RELS}"><Relationship Id="rId1" '
         f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (_HEAD + f'<workbook xmlns="{_SML}" xmlns:r="{_DOC_RELS}">'
             '<bookViews><workbookView/></bookViews>'
             '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
             '<calcPr fullCalcOnLoad="1"/></workbook>')
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOC_RELS}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>")
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_SML}"><fonts count="1"><font><sz val="11"/>'
    '<name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill>'
    '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')
