"""Shapes as XML: the XML python-pptx writes for text bodies, auto shapes, text boxes,
connectors, groups and tables, written as strings and parsed once per slide (issue 13), and
``ShapeBatch`` for shapes drawn through python-pptx and grouped at the end.

tests/reports/test_deck_xml.py checks each against python-pptx's own calls.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as xml_escape

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt

from reports.slide_text import srgb

P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


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


def insert_before(parent, tag: str, *elements) -> None:
    """Put ``elements`` in ``parent``, in order, before its first ``tag`` child (a shape goes
    before a shape tree's ``p:extLst``, a run before its paragraph's ``a:endParaRPr``), or at its
    end when it has none."""
    mark = parent.find(qn(tag))
    for el in elements:
        if mark is not None:
            mark.addprevious(el)
        else:
            parent.append(el)


def add_shapes_xml(shapes, parts: list[str]) -> list:
    """Parse the shapes' XML once and put them on the slide, in order, where python-pptx adds a
    shape (before the tree's ``p:extLst``). Returns the new elements. Their ids are taken from
    ``shapes._next_shape_id`` for the first and counted on from there."""
    if not parts:
        return []
    new = list(parse_xml(f'<p:x {nsdecls("a", "p")}>' + "".join(parts) + "</p:x>"))
    insert_before(shapes._spTree, "p:extLst", *new)
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



_CTRL = re.compile(r"([\x00-\x08\x0B-\x1F])")


def run_text(line: str) -> str:
    """A run's text as python-pptx writes it: control characters as _xHHHH_, XML escaped."""
    if line.isprintable() and "&" not in line and "<" not in line and ">" not in line:
        return line  # no control character (none is printable) and nothing to escape
    return xml_escape(_CTRL.sub(lambda m: "_x%04X_" % ord(m.group(1)), line))
