"""Slide-making helpers: titled slides on the template's layouts, paginated tables, text that fits.

Text never runs off a slide: table rows are measured (a conservative estimate of characters per
line for the font size), long tables continue on "(continued)" slides, and long cell text is cut
with an ellipsis (the full text goes in the speaker notes where it matters).
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Inches, Pt

from reports.template import BODY_TYPES, TITLE_TYPES, Box, Layouts, TemplateInfo

RAG_FILL = {"Red": "D5281B", "Amber": "FFB81C", "Green": "007F3B", "Grey": "AEB7BD"}
RAG_INK = {"Red": "FFFFFF", "Amber": "212B32", "Green": "FFFFFF", "Grey": "212B32"}
INK = "212B32"
MUTED = "425563"
ACCENT = "005EB8"
BAND_FILL = "E8EDEE"

CHAR_WIDTH = 0.58  # average character width as a share of the font size (wide fonts included)
LINE_HEIGHT = 1.22  # line pitch as a share of the font size
CELL_MARGIN_X = Inches(0.06)
CELL_MARGIN_Y = Inches(0.035)

P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def rgb(hexv: str) -> RGBColor:
    return RGBColor.from_string(hexv)


@functools.lru_cache(maxsize=256)
def srgb(hexv: str) -> str:
    """A colour as python-pptx writes it in ``<a:srgbClr val=...>`` (``str(rgb(hexv))``), kept
    for each colour the deck uses (hundreds of shapes share a handful; issue 13)."""
    return str(RGBColor.from_string(hexv))


NARROW_FONTS = {"arial", "helvetica", "liberation sans", "calibri", "carlito", "segoe ui",
                "frutiger", "aptos", "arial nova"}
_char_width = CHAR_WIDTH


def set_font(typeface: str | None) -> float:
    """Use a tighter character-width estimate for the common narrow sans-serif fonts.

    Returns the estimate now in use. Set once per deck (decks are built one at a time).
    """
    global _char_width
    _char_width = 0.53 if (typeface or "").strip().lower() in NARROW_FONTS else CHAR_WIDTH
    return _char_width


def chars_per_line(width_emu: int, size_pt: float) -> int:
    """How many characters surely fit on one line of ``width_emu`` at ``size_pt``."""
    width_pt = width_emu / 12700
    return max(4, int(width_pt / (size_pt * _char_width)))


def wrap_count(text: str, width_emu: int, size_pt: float) -> int:
    """Lines ``text`` takes when wrapped at word boundaries in ``width_emu``."""
    return _wrapped_lines(text or "", chars_per_line(width_emu, size_pt))


@functools.lru_cache(maxsize=8192)
def _wrapped_lines(text: str, cpl: int) -> int:
    """Lines ``text`` takes wrapped at ``cpl`` characters a line. Kept for each text and width:
    a table's cells are measured for their row's height, for clipping and for the slide they
    fit on, often at the same width (issue 13)."""
    lines = 0
    for para in text.split("\n"):
        n, cur = 1, 0
        for word in para.split(" "):
            w = len(word)
            if cur == 0:
                cur = w
                while cur > cpl:
                    n += 1
                    cur -= cpl
            elif cur + 1 + w <= cpl:
                cur += 1 + w
            else:
                n += 1
                cur = w
                while cur > cpl:
                    n += 1
                    cur -= cpl
        lines += n
    return lines


def clip(text: str, width_emu: int, size_pt: float, max_lines: int) -> str:
    """``text`` shortened with an ellipsis so that it takes at most ``max_lines`` lines."""
    text = text or ""
    if wrap_count(text, width_emu, size_pt) <= max_lines:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if wrap_count(text[:mid].rstrip() + "…", width_emu, size_pt) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def theme_font(prs) -> str | None:
    """The theme's body (minor) Latin typeface, e.g. "Arial"."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    try:
        theme = prs.slide_master.part.part_related_by(RT.THEME)
        root = etree.fromstring(theme.blob)
        el = root.find(f".//{{{A_NS}}}minorFont/{{{A_NS}}}latin")
        return el.get("typeface") if el is not None else None
    except Exception:  # no theme or an odd one: assume a wide font
        return None


def set_alt_text(shape, text: str) -> None:
    """Alt text (the ``descr`` of the shape's non-visual properties) for screen readers."""
    el = shape._element
    cnvpr = el.find(".//" + qn("p:cNvPr"))
    if cnvpr is not None:
        cnvpr.set("descr", text)


_ALIGN_XML = {"left": "l", "center": "ctr", "right": "r"}
_ANCHOR_XML = {"top": "t", "middle": "ctr", "bottom": "b"}


def _insets(margin_x: int, margin_y: int) -> str:
    """``lIns rIns tIns bIns`` as python-pptx's margin setters (left, right, top, bottom) write
    them: a margin equal to its default is left out."""
    return "".join(f' {name}="{int(v)}"' for name, v, default in
                   (("lIns", margin_x, 91440), ("rIns", margin_x, 91440),
                    ("tIns", margin_y, 45720), ("bIns", margin_y, 45720)) if int(v) != default)


def paragraphs_of_runs_xml(lines: list[str], size: float, ink: str, align: str | None = "left",
                           bold: bool | None = None) -> str:
    """A paragraph per line, each one run: its alignment, size, boldness and colour set."""
    b = "" if bold is None else f' b="{1 if bold else 0}"'
    rpr = (f'<a:rPr sz="{Pt(size).centipoints}"{b}><a:solidFill><a:srgbClr val="{srgb(ink)}"/>'
           "</a:solidFill></a:rPr>")
    ppr = f'<a:pPr algn="{_ALIGN_XML[align]}"/>' if align else ""
    return "".join(f"<a:p>{ppr}<a:r>{rpr}<a:t>{run_text(line)}</a:t></a:r></a:p>" for line in lines)


def text_body_xml(lines: list[str], size: float, ink: str, *, margin_x: int, margin_y: int,
                  align: str | None = "left", anchor: str | None = "top",
                  bold: bool | None = None) -> str:
    """The children of a text box's ``<p:txBody>`` as ``write_text`` leaves them."""
    anc = f' anchor="{_ANCHOR_XML[anchor]}"' if anchor else ""
    return (f'<a:bodyPr wrap="square"{_insets(margin_x, margin_y)}{anc}><a:spAutoFit/></a:bodyPr>'
            "<a:lstStyle/>" + paragraphs_of_runs_xml(lines, size, ink, align, bold))


def shape_body_xml(lines: list[str], size: float, ink: str, *, margin_x: int, margin_y: int,
                   align: str = "left", anchor: str = "middle", bold: bool | None = None,
                   wrap: bool = True) -> str:
    """The children of an auto shape's ``<p:txBody>`` after python-pptx's text-frame calls:
    word wrap on (if ``wrap``), the margins, the anchor, then a paragraph per line, one run each."""
    wrapped = ' wrap="square"' if wrap else ""
    return (f'<a:bodyPr rtlCol="0" anchor="{_ANCHOR_XML[anchor]}"{wrapped}'
            f"{_insets(margin_x, margin_y)}/><a:lstStyle/>"
            + paragraphs_of_runs_xml(lines, size, ink, align, bold))


def write_text(shape, lines: list[str], size: float, ink: str, *, margin_x: int, margin_y: int,
               align: str | None = "left", anchor: str | None = "top",
               bold: bool | None = None) -> bool:
    """Put ``lines`` (a paragraph each, one run) in a text box just added, in one go: the XML
    python-pptx's text-frame calls make (word wrap on, then margins, anchor, each paragraph's
    alignment, each run's size, boldness and colour), without a search of the box's XML for each
    (issue 13). Returns False, doing nothing, if the box is not fresh from ``add_textbox``."""
    body = shape._element.txBody
    paras = body.findall(qn("a:p"))
    if body.bodyPr.attrib != {"wrap": "none"} or len(paras) != 1 or len(paras[0]):
        return False
    new = parse_xml(f'<a:x {nsdecls("a")}>'
                    + text_body_xml(lines, size, ink, margin_x=margin_x, margin_y=margin_y,
                                    align=align, anchor=anchor, bold=bold) + "</a:x>")
    for el in list(body):
        body.remove(el)
    for el in list(new):
        body.append(el)
    return True


# ----- shapes as XML ----------------------------------------------------------------------------
# The XML python-pptx 1.0 writes for a new auto shape, text box and straight connector, and for
# the fills and lines set on them afterwards; a slide of hundreds of shapes is written as one
# string and parsed once instead of a search of each shape's XML per property (issue 13).
# tests/reports/test_deck_xml.py checks each against python-pptx's own calls.

_SP_STYLE = ('<p:style><a:lnRef idx="1"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="3">'
             '<a:schemeClr val="accent1"/></a:fillRef><a:effectRef idx="2"><a:schemeClr val="accent1"/>'
             '</a:effectRef><a:fontRef idx="minor"><a:schemeClr val="lt1"/></a:fontRef></p:style>'
             '<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/></a:p>'
             "</p:txBody>")
_CXN_STYLE = ('<p:style><a:lnRef idx="2"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="0">'
              '<a:schemeClr val="accent1"/></a:fillRef><a:effectRef idx="1"><a:schemeClr val="accent1"/>'
              '</a:effectRef><a:fontRef idx="minor"><a:schemeClr val="tx1"/></a:fontRef></p:style>')
_ATTR = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')


def _attr(text: str) -> str:
    return xml_escape(text, _ATTR) if _ATTR_SPECIAL.search(text) else text


def _xfrm(x: int, y: int, cx: int, cy: int, flip: str = "") -> str:
    return (f'<a:xfrm{flip}><a:off x="{int(x)}" y="{int(y)}"/><a:ext cx="{int(cx)}" cy="{int(cy)}"/>'
            "</a:xfrm>")


def line_xml(colour: str | None, width: int | None = None) -> str:
    """``<a:ln>`` as ``shape.line.color.rgb = colour`` (then ``.width = width``) writes it;
    no colour: ``line.fill.background()``."""
    w = f' w="{int(width)}"' if width is not None else ""
    if colour is None:
        return f"<a:ln{w}><a:noFill/></a:ln>"
    return f'<a:ln{w}><a:solidFill><a:srgbClr val="{srgb(colour)}"/></a:solidFill></a:ln>'


def flat_xml(fill: str | None, line: str | None = None, line_width: int | None = None) -> str:
    """Fill (None: ``fill.background()``), line (None: none) and ``shadow.inherit = False``."""
    f = f'<a:solidFill><a:srgbClr val="{srgb(fill)}"/></a:solidFill>' if fill else "<a:noFill/>"
    return f + line_xml(line, line_width) + "<a:effectLst/>"


def autoshape_xml(id_: int, name: str, prst: str, x: int, y: int, cx: int, cy: int,
                  sp_pr: str = "", body: str | None = None, descr: str | None = None) -> str:
    """A ``<p:sp>`` as ``shapes.add_shape`` makes it, named ``name``, with ``sp_pr`` (fill, line,
    effects) after its geometry, ``body`` (``shape_body_xml``) in place of its empty text and
    ``descr`` as its alt text."""
    alt = f' descr="{_attr(descr)}"' if descr is not None else ""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{id_}" name="{_attr(name)}"{alt}/><p:cNvSpPr/><p:nvPr/>'
            f"</p:nvSpPr><p:spPr>{_xfrm(x, y, cx, cy)}<a:prstGeom prst=\"{prst}\"><a:avLst/>"
            f"</a:prstGeom>{sp_pr}</p:spPr>"
            + (_SP_STYLE if body is None else
               _SP_STYLE[: _SP_STYLE.index("<p:txBody>")] + f"<p:txBody>{body}</p:txBody>")
            + "</p:sp>")


def textbox_xml(id_: int, name: str, x: int, y: int, cx: int, cy: int, body: str) -> str:
    """A ``<p:sp>`` as ``shapes.add_textbox`` makes it, named ``name``, its text body ``body``
    (``text_body_xml``)."""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{id_}" name="{_attr(name)}"/><p:cNvSpPr txBox="1"/>'
            f"<p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(x, y, cx, cy)}<a:prstGeom prst=\"rect\"><a:avLst/>"
            f"</a:prstGeom><a:noFill/></p:spPr><p:txBody>{body}</p:txBody></p:sp>")


def connector_xml(id_: int, name: str, x1: int, y1: int, x2: int, y2: int, ln: str = "") -> str:
    """A ``<p:cxnSp>`` as ``shapes.add_connector(MSO_CONNECTOR.STRAIGHT, ...)`` makes it."""
    flip = (' flipH="1"' if x1 > x2 else "") + (' flipV="1"' if y1 > y2 else "")
    return (f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{id_}" name="{_attr(name)}"/><p:cNvCxnSpPr/>'
            f"<p:nvPr/></p:nvCxnSpPr><p:spPr>"
            f"{_xfrm(min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1), flip)}"
            f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom>{ln}</p:spPr>{_CXN_STYLE}</p:cxnSp>')


def empty_runs_as_set(el) -> None:
    """Empty runs as python-pptx's ``run.text = ""`` leaves them: ``<a:t></a:t>``, not ``<a:t/>``
    (the same XML; the file keeps the same bytes)."""
    for t in el.iter(qn("a:t")):
        if t.text is None:
            t.text = ""


def group_xml(id_: int, name: str, descr: str, members: list[str],
              boxes: list[tuple[int, int, int, int]]) -> str:
    """A ``<p:grpSp>`` holding ``members`` (their XML), sized to their ``boxes`` (x, y, width,
    height each): what python-pptx's ``add_group_shape``, moving the shapes in and
    ``_fit_group`` make, with ``descr`` as its alt text."""
    if boxes:
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1 = max(b[0] + b[2] for b in boxes)
        y1 = max(b[1] + b[3] for b in boxes)
    else:
        x0 = y0 = x1 = y1 = 0
    off, ext = f'x="{int(x0)}" y="{int(y0)}"', f'cx="{int(x1 - x0)}" cy="{int(y1 - y0)}"'
    return (f'<p:grpSp><p:nvGrpSpPr><p:cNvPr id="{id_}" name="{_attr(name)}" '
            f'descr="{_attr(descr)}"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>'
            f"<a:off {off}/><a:ext {ext}/><a:chOff {off}/><a:chExt {ext}/></a:xfrm></p:grpSpPr>"
            + "".join(members) + "</p:grpSp>")


def add_group_xml(shapes, id_: int, name: str, descr: str, members: list[str],
                  boxes: list[tuple[int, int, int, int]]):
    """``group_xml`` put on the slide: the group first, then its members parsed and moved in one
    by one (lxml takes far longer to move one element of hundreds of children into another
    document than to move the children one at a time). Returns the group's element."""
    [grp] = add_shapes_xml(shapes, [group_xml(id_, name, descr, [], boxes)])
    if members:
        for el in list(parse_xml(f'<p:x {nsdecls("a", "p")}>' + "".join(members) + "</p:x>")):
            grp.append(el)
    return grp


def table_xml(id_: int, name: str, descr: str, x: int, y: int, widths: list[int], height: int,
              rows: str) -> str:
    """A ``<p:graphicFrame>`` holding a table, as python-pptx's ``add_table`` makes it (default
    table style, first row and banded rows on), named, with alt text, columns ``widths`` wide
    (the frame as wide as they are) and ``rows`` (``<a:tr>`` elements) as its rows."""
    grid = "".join(f'<a:gridCol w="{int(w)}"/>' for w in widths)
    return (f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{id_}" name="{_attr(name)}" '
            f'descr="{_attr(descr)}"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/>'
            f'</p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="{int(x)}" '
            f'y="{int(y)}"/><a:ext cx="{int(sum(widths))}" cy="{int(height)}"/></p:xfrm><a:graphic>'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl>'
            '<a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}'
            f"</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>{rows}</a:tbl></a:graphicData>"
            "</a:graphic></p:graphicFrame>")


def add_shapes_xml(shapes, parts: list[str]) -> list:
    """Parse the shapes' XML once and put them on the slide, in order, where python-pptx adds a
    shape (before the tree's ``p:extLst``). Returns the new elements. Their ids are taken from
    ``shapes._next_shape_id`` for the first and counted on from there."""
    if not parts:
        return []
    new = list(parse_xml(f'<p:x {nsdecls("a", "p")}>' + "".join(parts) + "</p:x>"))
    tree = shapes._spTree
    ext = tree.find(qn("p:extLst"))
    for el in new:
        if ext is not None:
            ext.addprevious(el)
        else:
            tree.append(el)
    if shapes.turbo_add_enabled:  # the slide's id counter moves on past the new shapes' ids
        shapes._cached_max_shape_id = max(
            [shapes._cached_max_shape_id] + [int(el[0][0].get("id")) for el in new])
    return new


def shape_proxy(el, shapes):
    """The python-pptx object for a ``<p:sp>`` just written by ``autoshape_xml`` or
    ``textbox_xml``, as ``shapes._shape_factory(el)`` makes it, without its search of the element
    for a placeholder (one XPath compiled per call; these shapes are never placeholders)."""
    from pptx.shapes.autoshape import Shape

    return Shape(el, shapes)


def paragraphs_xml(text: str, rpr: str = "") -> str:
    """The paragraphs python-pptx's ``text_frame.text = text`` writes: one ``<a:p>`` a line, a
    ``<a:br/>`` at each vertical tab, no run where the text is empty; ``rpr`` goes in each run
    (as a font size set afterwards on every run puts it)."""
    out = []
    for para in text.split("\n"):
        inner = []
        for i, part in enumerate(para.split("\v")):
            if i:
                inner.append("<a:br/>")
            if part:
                inner.append(f"<a:r>{rpr}<a:t>{run_text(part)}</a:t></a:r>")
        out.append(f"<a:p>{''.join(inner)}</a:p>" if inner else "<a:p/>")
    return "".join(out)


def set_text(txbody, text: str, rpr: str = "") -> None:
    """``text_frame.text = text`` on a text body element, written as XML in one go (issue 13)."""
    for p in txbody.findall(qn("a:p")):
        txbody.remove(p)
    for el in list(parse_xml(f'<a:x {nsdecls("a")}>{paragraphs_xml(text, rpr)}</a:x>')):
        txbody.append(el)


def remember_partnames(prs) -> None:
    """Let the presentation's package keep its part names instead of walking every relationship
    of the package for each new part (notes slide, chart, embedded workbook), which made the
    deck's cost grow with the square of its slides (issue 13). The names chosen are the ones
    python-pptx's ``OpcPackage.next_partname`` (1.0) chooses; only parts added through it are
    remembered, which is every part whose name it is asked for while a deck is built."""
    package = prs.part.package
    taken: set = set()
    known = []

    def next_partname(tmpl: str):
        if not known:
            taken.update(p.partname for p in package.iter_parts())
            known.append(True)
        prefix = tmpl[: (tmpl % 42).find("42")]
        partnames = {name for name in taken if name.startswith(prefix)}
        for n in range(len(partnames) + 1, 0, -1):
            candidate = tmpl % n
            if candidate not in partnames:
                taken.add(candidate)
                return PackURI(candidate)
        raise RuntimeError("no free part name")  # cannot happen: n runs past the names taken

    package.next_partname = next_partname


_RELS_OPEN = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">')


def rels_xml(rels) -> bytes:
    """A part's (or the package's) relationships as python-pptx's ``_Relationships.xml`` writes
    them (in the numeric order of their ids, each with its id, type and target), written as one
    string instead of an element per relationship parsed, set attribute by attribute and
    serialised (issue 13). A collection with an external or no relationship goes through
    python-pptx."""
    keys = sorted((int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0, rid)
                  for rid in rels.keys())
    out = [_RELS_OPEN]
    for _, rid in keys:
        rel = rels[rid]
        if rel.is_external:
            return rels.xml
        out.append(f'<Relationship Id="{_attr(rid)}" Type="{_attr(rel.reltype)}" '
                   f'Target="{_attr(rel.target_ref)}"/>')
    if len(out) == 1:
        return rels.xml
    out.append("</Relationships>")
    return "".join(out).encode("utf-8")


def save_package(prs, file) -> None:
    """``prs.save(file)``: the same zip members in the same order with the same bytes (content
    types, package relationships, then each part and its relationships, as python-pptx's
    ``PackageWriter`` writes them), each relationships part written by ``rels_xml``."""
    import zipfile

    from pptx.opc.oxml import serialize_part_xml
    from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from pptx.opc.serialized import _ContentTypesItem

    package = prs.part.package
    parts = tuple(package.iter_parts())
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED,
                         strict_timestamps=False) as z:
        z.writestr(CONTENT_TYPES_URI.membername,
                   serialize_part_xml(_ContentTypesItem.xml_for(parts)))
        z.writestr(PACKAGE_URI.rels_uri.membername, rels_xml(package._rels))
        for part in parts:
            z.writestr(part.partname.membername, part.blob)
            if part._rels:
                z.writestr(part.partname.rels_uri.membername, rels_xml(part._rels))


class ShapeBatch:
    """Shapes drawn straight onto a slide and gathered into one named group at the end.

    python-pptx recalculates a group's extents each time a shape is added to it, which makes
    drawing hundreds of shapes inside a group quadratic; moving them in once is linear.
    """

    def __init__(self, slide):
        self.slide = slide
        self.shapes = slide.shapes
        self._before = set(slide.shapes._spTree.iterchildren())

    def group(self, name: str):
        tree = self.slide.shapes._spTree
        new = [el for el in tree.iterchildren()
               if el not in self._before and el.tag != qn("p:extLst")]
        grp = self.slide.shapes.add_group_shape()
        if self.shapes.turbo_add_enabled:
            # python-pptx numbers a new group by searching the slide, past the counter the
            # slide's other shapes take their ids from: move the counter on past the group's id
            self.shapes.turbo_add_enabled = True
        grp.name = name
        for el in new:
            grp._element.append(el)
        _fit_group(grp._element)
        return grp


def _fit_group(grp_el) -> None:
    """Size a group to its members, as python-pptx's ``recalculate_extents`` does, reading each
    member's position once instead of six times through its properties."""
    off = qn("a:off")
    x0 = y0 = x1 = y1 = None
    for el in grp_el.iter_shape_elms():
        o = el.find(".//" + off)
        e = o.getnext()
        x, y = int(o.get("x")), int(o.get("y"))
        r, b = x + int(e.get("cx")), y + int(e.get("cy"))
        x0 = x if x0 is None else min(x0, x)
        y0 = y if y0 is None else min(y0, y)
        x1 = r if x1 is None else max(x1, r)
        y1 = b if y1 is None else max(y1, b)
    if x0 is None:
        x0 = y0 = x1 = y1 = 0
    grp_el.chOff.x = grp_el.x = Emu(x0)
    grp_el.chOff.y = grp_el.y = Emu(y0)
    grp_el.chExt.cx = grp_el.cx = Emu(x1 - x0)
    grp_el.chExt.cy = grp_el.cy = Emu(y1 - y0)


@dataclass
class Col:
    """A table column: header, share of the width, alignment and the most lines a cell may take."""

    header: str
    weight: float = 1.0
    align: str = "left"
    max_lines: int = 2


@dataclass
class Cell:
    """A table cell with optional fill and ink colours."""

    text: str
    fill: str | None = None
    ink: str | None = None
    bold: bool = False


@dataclass
class Section:
    """A block in a flow of slides: an optional heading and intro, then a table (or a note if empty)."""

    heading: str
    cols: list[Col]
    rows: list[list]
    intro: str = ""
    empty: str = "None this period."
    size: float | None = None
    alt: str = ""


@dataclass
class OutlineEntry:
    """One slide of the deck as listed in the export report."""

    number: int
    title: str
    kind: str


class DeckWriter:
    """Adds titled slides to a presentation using the chosen layouts; keeps the outline."""

    def __init__(self, prs, layouts: Layouts, info: TemplateInfo, status_line: str,
                 table_pt: float | None = None):
        self.prs = prs
        self.layouts = layouts
        self.info = info
        self.status_line = status_line
        self.box: Box = layouts.content_box
        narrow = info.slide_width / info.slide_height < 1.5
        self.table_pt = table_pt or (10 if narrow else 11)
        self.outline: list[OutlineEntry] = []
        self.char_width = set_font(theme_font(prs))
        self._status_lines: list = []
        self._title_pt: dict = {}
        self._made: dict = {}  # (layout part name, kind) -> a fresh slide's XML and its shapes
        self._notes_made: tuple | None = None  # a fresh notes slide's XML, its notes body's place
        self._skeletons: dict = {}  # (layout part name, kind) -> DeckWriter._skeleton
        self._notes_cut: tuple | None = None  # DeckWriter._cut_notes

    def finish(self) -> None:
        """Number the slides in the status lines and move each line to the end of its slide,
        so that screen readers reach it last."""
        total = len(self._status_lines)
        # each page number is the run python-pptx's add_run, size and colour would add to the
        # line's paragraph; all of them parsed in one go (issue 13)
        runs = list(parse_xml(f'<a:x {nsdecls("a")}>' + "".join(
            f'<a:r><a:rPr sz="{Pt(9).centipoints}"><a:solidFill><a:srgbClr val="{srgb(MUTED)}"/>'
            f"</a:solidFill></a:rPr><a:t>  ·  {n} / {total}</a:t></a:r>"
            for n in range(1, total + 1)) + "</a:x>")) if total else []
        for (el, _tb), run in zip(self._status_lines, runs):
            p = el.txBody.find(qn("a:p"))
            end = p.find(qn("a:endParaRPr"))
            if end is not None:
                end.addprevious(run)
            else:
                p.append(run)
            parent = el.getparent()
            parent.remove(el)
            ext = parent.find(qn("p:extLst"))
            if ext is not None:
                ext.addprevious(el)
            else:
                parent.append(el)

    # ----- slides ----------------------------------------------------------------------------

    def slide(self, title: str, kind: str = "table", notes: str = "", *, layout=None,
              content=()):
        """A new slide with a real title placeholder holding ``title``; empty placeholders removed.

        ``content``: functions each writing one shape's XML for the id it is given, put on the
        slide after its status line with the next ids in turn (as ``add_shapes_xml`` would put
        them there one after another). A slide copied from the first of its kind is then parsed
        once with them in it: moving a parsed table of hundreds of elements into the slide cost
        lxml about as much as parsing it (issue 13)."""
        lo = layout or (self.layouts.content if kind == "text" else self.layouts.title_only)
        # a slide keeps the subtitle of a cover and the body of a text slide; every other kind
        # keeps only the title, so they start as copies of the same fresh slide
        key = (lo.part.partname, kind if kind in ("cover", "text") else "titled")
        made = self._made.get(key)
        spliced = None
        if made is not None and content:
            spliced = self._spliced(key, made, content)
        if spliced is not None:
            s = self._copy_slide(lo, spliced[0], fresh=True)
            kids = list(s.shapes._spTree)
            factory = s.shapes._shape_factory
            title_el = kids[made[2]]
            subtitle, body = (factory(kids[i]) if i is not None else None for i in made[3:])
            self._status_lines.append((kids[spliced[1]], None))
            # python-pptx's id counter moved on as add_shapes_xml moves it past the status line
            # and the shapes put in, not by a search of every id on the slide
            s.shapes._cached_max_shape_id = max(
                [spliced[2] + len(content)]
                + [int(el[0][0].get("id")) for el in kids[spliced[1]:spliced[1] + 1 + len(content)]])
        elif made is None:
            s, title_shape, subtitle, body = self._first_slide(lo, kind)
            kids = list(s.shapes._spTree)
            try:
                size = (int(title_shape.width), int(title_shape.height))
            except TypeError:
                size = None
            # every later slide of this layout and kind starts as a copy of this one (issue 13):
            # python-pptx would clone the same placeholders and remove the same ones again
            made = self._made[key] = (
                copy.deepcopy(s._element), size,
                *(kids.index(sh._element) if sh is not None else None
                  for sh in (title_shape, subtitle, body)))
            title_el = title_shape._element
        else:
            s = self._copy_slide(lo, made[0])
            kids = list(s.shapes._spTree)
            factory = s.shapes._shape_factory
            # the title is written through its element: no shape proxy (whose making searches
            # the element for a placeholder) for it
            title_el = kids[made[2]]
            subtitle, body = (factory(kids[i]) if i is not None else None for i in made[3:])
        s._rcp_body = body
        s._rcp_subtitle = subtitle
        # From here on every shape is added through s.shapes, so its ids can come from a counter
        # (python-pptx's "turbo add") instead of a search of the whole slide for the largest id
        # on every shape, which made slides of many shapes quadratic (issue 13). The ids are the
        # same ones the search would hand out; tests/reports/test_deck.py checks they are unique.
        if spliced is None:
            s.shapes.turbo_add_enabled = True
        # the title as python-pptx's text_frame.text, word_wrap and (when it must shrink) each
        # run's font size write it
        tx = title_el.get_or_add_txBody()
        tx.bodyPr.set("wrap", "square")
        size = self._title_size(made[1], title, lo)
        set_text(tx, title, f'<a:rPr sz="{Pt(size).centipoints}"/>' if size else "")
        if spliced is None:
            self._status(s)
        if notes:
            self.notes(s, notes)
        if spliced is None and content:
            shapes = s.shapes
            add_shapes_xml(shapes, [write(shapes._next_shape_id) for write in content])
        self.outline.append(OutlineEntry(len(self.outline) + 1, title, kind))
        return s

    def _spliced(self, key, made, content) -> tuple | None:
        """A copy of the fresh slide ``made`` with its status line and ``content`` in it, parsed
        in one go: (the slide's element, the status line's place in its shape tree, its id);
        None when the status line is not one ``_status`` writes as XML."""
        skel = self._skeletons.get(key)
        if skel is None:
            skel = self._skeletons[key] = self._skeleton(made[0])
        head, tail, at, first_id = skel
        status = self._status_xml(first_id)
        if status is None or head is None:
            return None
        xml = head + status + "".join(write(first_id + 1 + k) for k, write in enumerate(content))
        return parse_xml(xml + tail), at, first_id

    @staticmethod
    def _skeleton(element) -> tuple:
        """A fresh slide's XML cut where ``add_shapes_xml`` puts new shapes (before the shape
        tree's ``p:extLst``, else at its end): (before, after, the place of the first new shape
        among the tree's children, the id the first new shape takes)."""
        el = copy.deepcopy(element)
        tree = el.cSld.spTree
        mark = parse_xml(f'<p:rcpCut {nsdecls("p")}/>')
        ext = tree.find(qn("p:extLst"))
        if ext is not None:
            ext.addprevious(mark)
        else:
            tree.append(mark)
        at = list(tree).index(mark)
        pieces = etree.tostring(el, encoding="unicode").split("<p:rcpCut/>")
        first_id = tree.max_shape_id + 1  # what python-pptx's turbo counter hands out first
        if len(pieces) != 2:
            return None, None, at, first_id
        return pieces[0], pieces[1], at, first_id

    def _first_slide(self, lo, kind: str):
        """The first slide of a layout and kind, made through python-pptx: the layout's
        placeholders cloned, the ones this kind does not use removed, a title added if none."""
        s = self.prs.slides.add_slide(lo)
        title_shape = subtitle = body = None
        for ph in list(s.placeholders):
            t = ph.placeholder_format.type
            if t in TITLE_TYPES and title_shape is None:
                title_shape = ph
                continue
            if kind == "cover" and t == PP_PLACEHOLDER.SUBTITLE and subtitle is None:
                subtitle = ph
                continue
            if kind == "text" and t in BODY_TYPES and body is None:
                body = ph
                continue
            ph._element.getparent().remove(ph._element)  # an empty placeholder helps nobody
        if title_shape is None:
            title_shape = self._add_title_placeholder(s)
        return s, title_shape, subtitle, body

    def _copy_slide(self, lo, element, fresh: bool = False):
        """A new slide holding a copy of ``element`` (``fresh``: ``element`` itself), added as
        ``prs.slides.add_slide`` adds one (part name, relationship to the layout, to the
        presentation, slide id)."""
        from pptx.parts.slide import SlidePart

        prs_part = self.prs.part
        part = SlidePart(prs_part._next_slide_partname, CT.PML_SLIDE, prs_part.package,
                         element if fresh else copy.deepcopy(element))
        part.relate_to(lo.part, RT.SLIDE_LAYOUT)
        rid = prs_part.relate_to(part, RT.SLIDE)
        lst = self.prs.slides._sldIdLst
        # python-pptx's add_sldId takes the next id from an XPath over the list: read the ids
        # from the children (the same id while it stays in range; else python-pptx's own rule)
        next_id = max([255] + [int(el.get("id")) for el in lst.iterchildren(qn("p:sldId"))]) + 1
        if next_id <= 2147483647:
            lst._add_sldId(id=next_id, rId=rid)
        else:
            lst.add_sldId(rid)
        return part.slide

    def notes(self, s, text: str) -> None:
        """The slide's speaker notes: ``s.notes_slide.notes_text_frame.text = text``, with every
        notes slide after the first a copy of the first one's fresh XML (issue 13)."""
        from pptx.parts.slide import NotesSlidePart

        made = self._notes_made
        if made is None:
            ns = s.notes_slide
            ph = ns.notes_placeholder
            kids = list(ns.shapes._spTree)
            made = self._notes_made = (copy.deepcopy(ns._element),
                                       kids.index(ph._element) if ph is not None else None)
            if ph is None:
                ns.notes_text_frame.text = text  # python-pptx's own failure, as before
            el = ns._element
        else:
            # the copy parsed once with the text in it (set_text's paragraphs, where it puts them)
            if self._notes_cut is None:
                self._notes_cut = self._cut_notes(made)
            head, tail = self._notes_cut
            package = self.prs.part.package
            part = NotesSlidePart(package.next_partname("/ppt/notesSlides/notesSlide%d.xml"),
                                  CT.PML_NOTES_SLIDE, package,
                                  copy.deepcopy(made[0]) if head is None
                                  else parse_xml(head + paragraphs_xml(text) + tail))
            part.relate_to(self.prs.part.notes_master_part, RT.NOTES_MASTER)
            part.relate_to(s.part, RT.SLIDE)
            s.part.relate_to(part, RT.NOTES_SLIDE)
            if head is not None:
                return
            el = part._element
        set_text(list(el.cSld.spTree)[made[1]].txBody, text)

    @staticmethod
    def _cut_notes(made) -> tuple:
        """A fresh notes slide's XML cut where ``set_text`` puts the notes' paragraphs (its old
        ones removed): (before, after), or (None, None) without a notes body."""
        if made[1] is None:
            return None, None
        el = copy.deepcopy(made[0])
        tx = list(el.cSld.spTree)[made[1]].txBody
        if tx is None:
            return None, None
        for p in tx.findall(qn("a:p")):
            tx.remove(p)
        tx.append(parse_xml(f'<p:rcpCut {nsdecls("p")}/>'))
        pieces = etree.tostring(el, encoding="unicode").split("<p:rcpCut/>")
        return (pieces[0], pieces[1]) if len(pieces) == 2 else (None, None)

    def _title_size(self, box, title: str, layout) -> float | None:
        """The title's font size when it must shrink to fit its placeholder (never below 16 pt),
        else None (the template's size)."""
        if box is None:
            return None
        width, height = box
        base = self._template_title_pt(layout)
        size = base
        inner = width - Inches(0.2)
        while size > 16 and wrap_count(title, inner, size) * size * LINE_HEIGHT * 12700 > height - Inches(0.1):
            size -= 2
        return size if size < base else None

    def _template_title_pt(self, layout) -> float:
        """The title size the template sets (layout first, then the master), in points."""
        key = layout.part.partname
        if key not in self._title_pt:
            self._title_pt[key] = self._find_title_pt(layout)
        return self._title_pt[key]

    def _find_title_pt(self, layout) -> float:
        for ph in layout.placeholders:
            if ph.placeholder_format.type in TITLE_TYPES:
                for r in ph._element.iter(qn("a:defRPr")):
                    if r.get("sz"):
                        return int(r.get("sz")) / 100
        master = self.prs.slide_master._element
        r = master.find(f".//{qn('p:titleStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
        if r is not None and r.get("sz"):
            return int(r.get("sz")) / 100
        return 32.0

    def _add_title_placeholder(self, s):
        """Give a slide a title placeholder when its layout has none (screen readers need it)."""
        b = self.box
        top = Inches(0.25)
        height = max(Inches(0.5), b.top - top - Inches(0.05))
        sp_id = max([int(x.get("id")) for x in s.shapes._spTree.iter(qn("p:cNvPr"))] + [1]) + 1
        xml = (
            f'<p:sp xmlns:p="{P_NS}" xmlns:a="{A_NS}"><p:nvSpPr>'
            f'<p:cNvPr id="{sp_id}" name="Title {sp_id}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
            '</p:cNvSpPr><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:spPr><a:xfrm>'
            f'<a:off x="{b.left}" y="{top}"/><a:ext cx="{b.width}" cy="{height}"/></a:xfrm>'
            '</p:spPr><p:txBody><a:bodyPr anchor="b"><a:normAutofit/></a:bodyPr><a:lstStyle/><a:p/></p:txBody></p:sp>')
        el = parse_xml(xml)  # python-pptx's own element classes, so the slide knows it
        s.shapes._spTree.insert_element_before(el, "p:extLst")
        shape = s.shapes.title
        shape.text_frame.text = ""
        return shape

    def _status_box(self) -> tuple[int, int, str]:
        """Where the status line goes (top, height) and its text, clipped to one line."""
        b = self.box
        top = b.bottom + Inches(0.04)
        h = Inches(0.28)
        if top + h > self.info.slide_height:
            top = self.info.slide_height - h
        return top, h, clip(self.status_line, b.width - Inches(0.8), 9, 1)

    def _status_xml(self, sid: int) -> str | None:
        """The status line as ``_status`` writes it as XML, with id ``sid``; None when its text
        is empty or breaks lines (python-pptx writes that one)."""
        top, h, text = self._status_box()
        if not text or any(c in text for c in "\n\v"):
            return None
        b = self.box
        return textbox_xml(sid, "Status line", b.left, top, b.width, h,
                           text_body_xml([text], 9, MUTED, margin_x=0, margin_y=0, align=None,
                                         anchor=None))

    def _status(self, s) -> None:
        """The status line (as-of date and previous report) under the content area."""
        b = self.box
        top, h, text = self._status_box()
        xml = self._status_xml(s.shapes._next_shape_id) if text and not any(
            c in text for c in "\n\v") else None
        if xml is not None:
            [el] = add_shapes_xml(s.shapes, [xml])
            self._status_lines.append((el, None))
            return
        tb = s.shapes.add_textbox(b.left, top, b.width, h)
        tb.name = "Status line"
        self._status_lines.append((tb._element, tb))
        tf = tb.text_frame
        tf.margin_left = tf.margin_right = 0
        tf.margin_top = tf.margin_bottom = 0
        tf.word_wrap = True
        tf.text = text
        for r in tf.paragraphs[0].runs:
            r.font.size = Pt(9)
            r.font.color.rgb = rgb(MUTED)

    # ----- text ------------------------------------------------------------------------------

    def textbox(self, s, box: Box, text: str, size: float = 12, *, bold: bool = False,
                ink: str = INK, fill: str | None = None, align: str = "left",
                anchor: str = "top", name: str | None = None, max_lines: int | None = None,
                margin: int = Inches(0.05), line: str | None = None,
                line_width: int | None = None):
        """A text box whose text is clipped to fit its height (with ``fill``: a filled rectangle
        without a shadow, with a ``line`` of ``line_width`` or none). Written as the XML python-pptx's add_textbox / add_shape and
        text-frame calls make, in one go (issue 13; tests/reports/test_deck_xml.py)."""
        sid = s.shapes._next_shape_id
        xml = self._textbox_xml(sid, box, text, size, bold=bold, ink=ink, fill=fill, align=align,
                                anchor=anchor, name=name, max_lines=max_lines, margin=margin,
                                line=line, line_width=line_width)
        [el] = add_shapes_xml(s.shapes, [xml])
        if fill is not None and "<a:t></a:t>" in xml:  # an empty line's run
            empty_runs_as_set(el)
        return shape_proxy(el, s.shapes)

    def _textbox_xml(self, sid: int, box: Box, text: str, size: float = 12, *,
                     bold: bool = False, ink: str = INK, fill: str | None = None,
                     align: str = "left", anchor: str = "top", name: str | None = None,
                     max_lines: int | None = None, margin: int = Inches(0.05),
                     line: str | None = None, line_width: int | None = None) -> str:
        """``textbox``'s shape as XML, with id ``sid``."""
        inner_w = box.width - 2 * margin
        fit = max(1, int((box.height - Inches(0.06)) / (size * LINE_HEIGHT * 12700)))
        if max_lines:
            fit = min(fit, max_lines)
        lines = clip(text, inner_w, size, fit).split("\n")
        if fill is None:
            xml = textbox_xml(sid, name or f"TextBox {sid - 1}", box.left, box.top, box.width,
                              box.height, text_body_xml(lines, size, ink, margin_x=margin,
                                                        margin_y=Inches(0.03), align=align,
                                                        anchor=anchor, bold=bold))
        else:
            xml = autoshape_xml(sid, name or f"Rectangle {sid - 1}", "rect", box.left, box.top,
                                box.width, box.height, flat_xml(fill, line, line_width),
                                shape_body_xml(lines, size, ink, margin_x=margin,
                                               margin_y=Inches(0.03), align=align, anchor=anchor,
                                               bold=bold))
        return xml

    @staticmethod
    def fitting_size(text: str, width: int, height: int,
                     sizes=(20, 18, 16, 14, 13, 12, 11, 10)) -> float:
        """The largest size from ``sizes`` at which ``text`` fits the box (else the smallest)."""
        for size in sizes:
            lines = wrap_count(text, width, size)
            if lines * size * LINE_HEIGHT * 12700 <= height:
                return size
        return sizes[-1]

    def bullets(self, title: str, items: list[str], notes: str = "", size: float = 16,
                kind: str = "text") -> list:
        """Text slides with bulleted items, continued on further slides when they do not fit."""
        b = self.box
        per_line = size * LINE_HEIGHT * 12700
        width = b.width - Inches(0.35)
        slides, chunk, used = [], [], 0.0
        capacity = b.height - Inches(0.1)
        pages: list[list[str]] = []
        for item in items:
            item = clip(item, width, size, max(1, int(capacity / per_line) - 1))
            h = wrap_count(item, width, size) * per_line + Pt(size * 0.5)
            if chunk and used + h > capacity:
                pages.append(chunk)
                chunk, used = [], 0.0
            chunk.append(item)
            used += h
        pages.append(chunk)
        for i, page in enumerate(pages):
            s = self.slide(title if i == 0 else f"{title} (continued)", kind, notes)
            body = getattr(s, "_rcp_body", None)
            if body is not None:
                body.left, body.top, body.width, body.height = b.left, b.top, b.width, b.height
                tf = body.text_frame
            else:
                tf = s.shapes.add_textbox(b.left, b.top, b.width, b.height).text_frame
            tf.word_wrap = True
            for j, item in enumerate(page or ["(nothing to report)"]):
                p = tf.paragraphs[0] if j == 0 else tf.add_paragraph()
                p.text = item
                p.space_after = Pt(size * 0.4)
                for r in p.runs:
                    r.font.size = Pt(size)
            slides.append(s)
        return slides

    # ----- tables ----------------------------------------------------------------------------

    def _col_widths(self, cols: list[Col], width: int) -> list[int]:
        total = sum(c.weight for c in cols)
        widths = [int(width * c.weight / total) for c in cols]
        widths[-1] += width - sum(widths)
        return widths

    def fit_columns(self, cols: list[Col], rows: list[list], width: int,
                    size: float) -> tuple[list[int], float]:
        """Column widths (and font size) wide enough that no word has to break inside a cell.

        Widths follow the columns' weights, then any column too narrow for its longest word is
        widened, taking the room from columns with room to spare; if that cannot work the font
        is made up to two points smaller.
        """
        texts = [[c.header] + [(r[j].text if isinstance(r[j], Cell) else str(r[j] or ""))
                               for r in rows] for j, c in enumerate(cols)]
        # words are measured generously (0.62 em a letter, 0.7 in the bold header) so that no
        # font has to break them
        longest = [max([len(w) * 0.62 for t in col[1:] for w in t.split()]
                       + [len(w) * 0.7 for w in col[0].split()] + [1]) for col in texts]
        for sz in (size, size - 1, size - 2):
            mins = [min(int(width * 0.4), int(n * sz * 12700 + 2 * CELL_MARGIN_X + Pt(2)))
                    for n in longest]
            widths = self._col_widths(cols, width)
            deficit = sum(max(0, m - w) for m, w in zip(mins, widths))
            spare = sum(max(0, w - m) for m, w in zip(mins, widths))
            if deficit == 0:
                return widths, sz
            if spare >= deficit:
                out = []
                for m, w in zip(mins, widths):
                    if w < m:
                        out.append(m)
                    else:
                        out.append(int(w - (w - m) * deficit / spare))
                out[-1] += width - sum(out)
                return out, sz
        return self._col_widths(cols, width), size - 2

    def row_height(self, texts: list[str], widths: list[int], size: float) -> int:
        lines = max(wrap_count(t, w - 2 * CELL_MARGIN_X, size) for t, w in zip(texts, widths))
        return int(lines * size * LINE_HEIGHT * 12700 + 2 * CELL_MARGIN_Y + Pt(2))

    def table_slides(self, title: str, cols: list[Col], rows: list[list], *, notes: str = "",
                     empty: str = "None this period.", intro: str = "", size: float | None = None,
                     alt: str = "", kind: str = "table") -> list:
        """One table over as many slides as it needs; later slides are titled "(continued)".

        A short table is set up to two points larger when it still fits on one slide.
        """
        base = size or self.table_pt
        for bigger in (base + 2, base + 1):
            if rows and self._fits_one_slide(cols, rows, bigger, intro):
                size = bigger
                break
        return self.flow_slides(title, [Section("", cols, rows, intro, empty, size, alt or f"Table: {title}")],
                                notes=notes, kind=kind)

    def flow_slides(self, title: str, sections: list["Section"], *, notes: str = "",
                    kind: str = "table") -> list:
        """Sections (heading, intro, table) one below another, continued on further slides.

        A table that does not fit in the space left breaks between rows; the rest goes on a
        slide titled "<title> (continued)" with the table's header repeated.
        """
        b = self.box
        # first every slide's shapes are laid out (each as the function writing its XML for the
        # id it gets), then each slide is made with its shapes in one go (issue 13)
        pages: list[tuple[str, list]] = []
        state = {"y": 0}

        def new_slide():
            pages.append((title if not pages else f"{title} (continued)", []))
            state["y"] = b.top

        def text(box: Box, words: str, size: float, **style) -> None:
            pages[-1][1].append(functools.partial(self._textbox_xml, box=box, text=words,
                                                  size=size, **style))

        def room() -> int:
            return b.bottom - state["y"]

        def text_h(text: str, size: float) -> int:
            return int(wrap_count(text, b.width, size) * size * LINE_HEIGHT * 12700 + Inches(0.08))

        new_slide()
        for sec in sections:
            widths, size = self.fit_columns(sec.cols, sec.rows, b.width, sec.size or self.table_pt)
            prepared = []
            for row in sec.rows:
                cells = [c if isinstance(c, Cell) else Cell("" if c is None else str(c)) for c in row]
                for c, col, w in zip(cells, sec.cols, widths):
                    c.text = clip(c.text, w - 2 * CELL_MARGIN_X, size, col.max_lines)
                prepared.append((cells, self.row_height([c.text for c in cells], widths, size)))
            header_h = self.row_height([c.header for c in sec.cols], widths, size)
            head_h = text_h(sec.heading, 14) if sec.heading else 0
            intro_h = text_h(sec.intro, 12) if sec.intro else 0
            first_h = header_h + (prepared[0][1] if prepared else text_h(sec.empty, 13))
            if state["y"] > b.top and room() < head_h + intro_h + first_h:
                new_slide()
            if sec.heading:
                text(Box(b.left, state["y"], b.width, head_h), sec.heading, 14, bold=True,
                     ink=ACCENT, margin=0, name=f"Heading: {sec.heading}")
                state["y"] += head_h
            if sec.intro:
                text(Box(b.left, state["y"], b.width, intro_h), sec.intro, 12, ink=MUTED,
                     margin=0, name="Introduction")
                state["y"] += intro_h
            if not prepared:
                h = text_h(sec.empty, 13)
                text(Box(b.left, state["y"], b.width, h), sec.empty, 13, ink=MUTED, margin=0,
                     name="Empty table note")
                state["y"] += h + Inches(0.15)
                continue
            i = 0
            part = 0
            while i < len(prepared):
                avail = room() - header_h
                page, used = [], 0
                while i < len(prepared) and (not page or used + prepared[i][1] <= avail):
                    if not page and prepared[i][1] > avail and state["y"] > b.top:
                        break
                    page.append(prepared[i])
                    used += prepared[i][1]
                    i += 1
                if not page:
                    new_slide()
                    continue
                part += 1
                pages[-1][1].append(functools.partial(
                    self._table_xml, sec=sec, widths=widths, header_h=header_h, page=page,
                    top=state["y"], size=size, part=part))
                state["y"] += header_h + used + Inches(0.15)
                if i < len(prepared):
                    new_slide()
                    if sec.heading:
                        h = text_h(sec.heading + " (continued)", 14)
                        text(Box(b.left, state["y"], b.width, h), sec.heading + " (continued)",
                             14, bold=True, ink=ACCENT, margin=0,
                             name=f"Heading: {sec.heading}")
                        state["y"] += h
        return [self.slide(t, kind, notes, content=shapes) for t, shapes in pages]

    def _fits_one_slide(self, cols: list[Col], rows: list[list], size: float, intro: str) -> bool:
        b = self.box
        widths, sz = self.fit_columns(cols, rows, b.width, size)
        if sz != size:
            return False
        h = self.row_height([c.header for c in cols], widths, size)
        if intro:
            h += int(wrap_count(intro, b.width, 12) * 12 * LINE_HEIGHT * 12700 + Inches(0.08))
        for row in rows:
            texts = [clip(c.text if isinstance(c, Cell) else str(c or ""), w - 2 * CELL_MARGIN_X,
                          size, col.max_lines) for c, col, w in zip(row, cols, widths)]
            h += self.row_height(texts, widths, size)
            if h > b.height:
                return False
        return True

    def _table(self, s, sec: "Section", widths, header_h, page, top, size, part) -> None:
        """``_table_xml`` put on slide ``s``."""
        add_shapes_xml(s.shapes, [self._table_xml(s.shapes._next_shape_id, sec, widths, header_h,
                                                  page, top, size, part)])

    def _table_xml(self, sid: int, sec: "Section", widths, header_h, page, top, size,
                   part) -> str:
        """One table: the frame python-pptx's add_table makes (named, with its alt text, its
        columns' widths and the frame as wide as they are), its header row and ``page``'s rows,
        written as one string and parsed once. Filling cells through python-pptx (margins, runs,
        fonts, each a search of the cell's XML) and setting each row's height (which re-adds every
        row into the frame) cost the 2,000-action deck most of its time (issue 13). ``_fill`` is
        the reference for the cells (tests/reports/test_deck_tables.py), python-pptx's add_table
        for the frame (tests/reports/test_deck_xml.py)."""
        height = header_h + sum(h for _, h in page)
        rows = [(header_h, [(Cell(col.header, bold=True), col) for col in sec.cols])]
        rows += [(h, list(zip(cells, sec.cols))) for cells, h in page]
        return table_xml(
            sid, "Table" + (f": {sec.heading}" if sec.heading else ""),
            (sec.alt or f"Table: {sec.heading}") + (f", part {part}" if part > 1 else ""),
            self.box.left, top, widths, height,
            "".join(_row_xml(h, cells, size) for h, cells in rows))

    @staticmethod
    def _fill(cell, c: Cell, col: Col, size: float) -> None:
        cell.margin_left = cell.margin_right = CELL_MARGIN_X
        cell.margin_top = cell.margin_bottom = CELL_MARGIN_Y
        tf = cell.text_frame
        tf.word_wrap = True
        lines = c.text.split("\n")
        for i, line in enumerate(lines):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            if col.align != "left":
                p.alignment = PP_ALIGN.CENTER if col.align == "center" else PP_ALIGN.RIGHT
            r = p.add_run()
            r.text = line
            f = r.font
            f.size = Pt(size)
            if c.bold:
                f.bold = True
            if c.ink:
                f.color.rgb = rgb(c.ink)
        if c.fill:
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(c.fill)


_ALIGN = {"center": "ctr", "right": "r"}
_CTRL = re.compile(r"([\x00-\x08\x0B-\x1F])")


def run_text(line: str) -> str:
    """A run's text as python-pptx writes it: control characters as _xHHHH_, XML escaped."""
    if line.isprintable() and "&" not in line and "<" not in line and ">" not in line:
        return line  # no control character (none is printable) and nothing to escape
    return xml_escape(_CTRL.sub(lambda m: "_x%04X_" % ord(m.group(1)), line))


_MARGINS = (f'marL="{CELL_MARGIN_X}" marR="{CELL_MARGIN_X}" '
            f'marT="{CELL_MARGIN_Y}" marB="{CELL_MARGIN_Y}"')
_TC_PR = f"<a:tcPr {_MARGINS}/>"
_PPR = {"left": "", "center": '<a:pPr algn="ctr"/>', "right": '<a:pPr algn="r"/>'}


def _row_xml(height: int, cells: list[tuple[Cell, Col]], size: float) -> str:
    """One table row (``<a:tr>``) holding ``cells``, exactly as ``DeckWriter._fill`` fills them."""
    sz = int(size * 12700) // 127  # Pt(size).centipoints, without making a Pt
    parts = [f'<a:tr h="{int(height)}">']
    for c, col in cells:
        ppr = _PPR[col.align]
        bold = ' b="1"' if c.bold else ""
        rpr = (f'<a:rPr sz="{sz}"{bold}><a:solidFill><a:srgbClr val="{srgb(c.ink)}"/></a:solidFill>'
               "</a:rPr>") if c.ink else f'<a:rPr sz="{sz}"{bold}/>'
        text = c.text
        paras = (f"<a:p>{ppr}<a:r>{rpr}<a:t>{run_text(text)}</a:t></a:r></a:p>" if "\n" not in text
                 else "".join(f"<a:p>{ppr}<a:r>{rpr}<a:t>{run_text(line)}</a:t></a:r></a:p>"
                              for line in text.split("\n")))
        tcpr = (f'<a:tcPr {_MARGINS}><a:solidFill><a:srgbClr val="{srgb(c.fill)}"/></a:solidFill>'
                "</a:tcPr>") if c.fill else _TC_PR
        parts.append(f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{paras}'
                     f"</a:txBody>{tcpr}</a:tc>")
    parts.append("</a:tr>")
    return "".join(parts)


def rag_cell(colour: str | None) -> Cell:
    """A cell naming the RAG rating in words (never colour alone) on its colour."""
    if not colour:
        return Cell("—")
    return Cell(colour, RAG_FILL.get(colour), RAG_INK.get(colour), bold=True)
