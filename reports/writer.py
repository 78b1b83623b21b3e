"""The deck writer: titled slides on the template's layouts, each with its status line and
speaker notes, text boxes and bulleted slides whose text fits, and the deck's outline.

Text never runs off a slide: text is measured and clipped with an ellipsis, the full text going
in the speaker notes where it matters (reports/slide_text.py); tables run over "(continued)"
slides (reports/slide_tables.py, a part of ``DeckWriter``). Shapes are written as XML
(reports/shape_xml.py) and the package saved by reports/deck_package.py.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Inches, Pt

from reports.shape_xml import (A_NS, P_NS, add_shapes_xml, autoshape_xml, empty_runs_as_set,
                               flat_xml, insert_before, paragraphs_xml, set_text, shape_body_xml,
                               shape_proxy, text_body_xml, textbox_xml)
from reports.slide_tables import TableSlides
from reports.slide_text import INK, LINE_HEIGHT, MUTED, clip, rgb, set_font, srgb, wrap_count
from reports.template import BODY_TYPES, TITLE_TYPES, Box, Layouts, TemplateInfo


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


@dataclass
class OutlineEntry:
    """One slide of the deck as listed in the export report."""

    number: int
    title: str
    kind: str


class DeckWriter(TableSlides):
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
        self._rule_bottom: int | None = None  # _rule_under_content
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
            insert_before(el.txBody.find(qn("a:p")), "a:endParaRPr", run)
            parent = el.getparent()
            parent.remove(el)
            insert_before(parent, "p:extLst", el)

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
        insert_before(tree, "p:extLst", mark)
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
        top = max(b.bottom, self._rule_under_content()) + Inches(0.04)
        h = Inches(0.2)  # one 9 pt line
        if top + h > self.info.slide_height:
            top = self.info.slide_height - h
        return top, h, clip(self.status_line, b.width - Inches(0.8), 9, 1)

    def _rule_under_content(self) -> int:
        """The bottom of the lowest thin line (a footer rule) the template's master or layouts
        draw just under the content area, else the content area's bottom: the status line goes
        below it, not through its text (the product template's rule crossed it)."""
        if self._rule_bottom is None:
            b = self.box
            bottom = b.bottom
            seen = set()
            for part in (self.layouts.title_only, self.layouts.content, self.layouts.cover):
                for owner in (part, getattr(part, "slide_master", None)):
                    if owner is None or id(owner) in seen:
                        continue
                    seen.add(id(owner))
                    for sh in owner.shapes:
                        if sh.is_placeholder or sh.height is None or sh.top is None:
                            continue
                        if (sh.height <= Inches(0.05) and b.bottom - Inches(0.05) <= sh.top
                                <= b.bottom + Inches(0.3)):
                            bottom = max(bottom, sh.top + sh.height)
            self._rule_bottom = bottom
        return self._rule_bottom

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
