"""Shapes, text and slides written as XML in one go are the ones python-pptx's calls make (issue 13).

The deck writes most of its shapes, titles and notes as XML strings parsed once, instead of
python-pptx's property calls (each a search of the shape's XML). Each fast path is compared here
with the python-pptx calls it replaces, on random input.
"""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Inches, Pt

from planner.codec import clean_text
from reports.template import BODY_TYPES, TITLE_TYPES, choose_layouts, open_template
from reports.shape_xml import (add_shapes_xml, autoshape_xml, connector_xml, flat_xml,
                               insert_before, line_xml, set_text, text_body_xml, textbox_xml)
from reports.slide_text import rgb
from reports.writer import DeckWriter


def c14n(el) -> bytes:
    return etree.tostring(el, method="c14n", exclusive=True)


def blank_slide():
    prs = Presentation()
    return prs, prs.slides.add_slide(prs.slide_layouts[6])


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20).map(clean_text)
NAME = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12) \
    .map(clean_text)
COLOUR = st.sampled_from(["D5281B", "ffb81c", "005EB8", "FFFFFF"])
POS = st.integers(0, 9_000_000)
WIDTH = st.one_of(st.none(), st.sampled_from([Pt(0.5), Pt(0.75), Pt(1), Pt(2)]))
MARGIN = st.one_of(st.sampled_from([0, 27432, 45720, 91440]), st.integers(0, 100_000))
PRST = {"rect": MSO_SHAPE.RECTANGLE, "diamond": MSO_SHAPE.DIAMOND,
        "triangle": MSO_SHAPE.ISOSCELES_TRIANGLE, "ellipse": MSO_SHAPE.OVAL}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(PRST)), NAME, POS, POS, POS, POS, st.one_of(st.none(), COLOUR),
       st.one_of(st.none(), COLOUR), WIDTH)
def test_auto_shapes_written_as_xml_match_python_pptx(prst, name, x, y, cx, cy, fill, line, width):
    _prs, slide = blank_slide()
    shape = slide.shapes.add_shape(PRST[prst], x, y, cx, cy)
    shape.name = name
    if fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(fill)
    else:
        shape.fill.background()
    if line:
        shape.line.color.rgb = rgb(line)
    else:
        shape.line.fill.background()
    if width is not None:
        shape.line.width = width
    shape.shadow.inherit = False
    _prs2, other = blank_slide()
    [el] = add_shapes_xml(other.shapes, [autoshape_xml(shape.shape_id, name, prst, x, y, cx, cy,
                                                       flat_xml(fill, line, width))])
    assert c14n(el) == c14n(shape._element)


@settings(max_examples=60, deadline=None)
@given(NAME, POS, POS, POS, POS, COLOUR, WIDTH)
def test_connectors_written_as_xml_match_python_pptx(name, x1, y1, x2, y2, colour, width):
    _prs, slide = blank_slide()
    ln = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, x1, y1, x2, y2)
    ln.name = name
    ln.line.color.rgb = rgb(colour)
    if width is not None:
        ln.line.width = width
    _prs2, other = blank_slide()
    [el] = add_shapes_xml(other.shapes, [connector_xml(ln.shape_id, name, x1, y1, x2, y2,
                                                       line_xml(colour, width))])
    assert c14n(el) == c14n(ln._element)


def _frame(tf, margin_x, margin_y, anchor, lines, size, bold, ink, align) -> None:
    """A text frame filled through python-pptx's calls, as the deck did before issue 13."""
    tf.word_wrap = True
    tf.margin_left = tf.margin_right = margin_x
    tf.margin_top = tf.margin_bottom = margin_y
    tf.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE,
                          "bottom": MSO_ANCHOR.BOTTOM}[anchor]
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER,
                       "right": PP_ALIGN.RIGHT}[align]
        r = p.add_run()
        r.text = line
        r.font.size = Pt(size)
        r.font.bold = bold
        r.font.color.rgb = rgb(ink)


@settings(max_examples=60, deadline=None)
@given(NAME, POS, POS, POS, POS, st.lists(TEXT, min_size=1, max_size=3),
       st.sampled_from([7, 8, 9, 12.5]), COLOUR, MARGIN, MARGIN,
       st.sampled_from(["left", "center", "right"]), st.sampled_from(["top", "middle", "bottom"]),
       st.booleans())
def test_text_boxes_written_as_xml_match_python_pptx(name, x, y, cx, cy, lines, size, ink,
                                                     margin_x, margin_y, align, anchor, bold):
    _prs, slide = blank_slide()
    tb = slide.shapes.add_textbox(x, y, cx, cy)
    tb.name = name
    tf = tb.text_frame
    _frame(tf, margin_x, margin_y, anchor, lines, size, bold, ink, align)
    tf.auto_size = None  # python-pptx's own box says spAutoFit; the fast one writes it
    _prs2, other = blank_slide()
    [el] = add_shapes_xml(other.shapes, [textbox_xml(
        tb.shape_id, name, x, y, cx, cy, text_body_xml(lines, size, ink, margin_x=margin_x,
                                                       margin_y=margin_y, align=align,
                                                       anchor=anchor, bold=bold))])
    fit = el.txBody.bodyPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}spAutoFit")
    assert fit is not None  # the deck's boxes keep the template box's "resize shape to fit text"
    el.txBody.bodyPr.remove(fit)
    assert c14n(el) == c14n(tb._element)


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab &<>\"'\n\v\t\x07\x1f")), max_size=14),
       st.one_of(st.none(), st.sampled_from([12, 18, 28])))
def test_text_set_as_xml_matches_python_pptx_text_frame_text(text, size):
    _prs, slide = blank_slide()
    a = slide.shapes.add_textbox(0, 0, 100, 100)
    a.text_frame.text = text
    if size:
        for p in a.text_frame.paragraphs:
            for r in p.runs:
                r.font.size = Pt(size)
    b = slide.shapes.add_textbox(0, 0, 100, 100)
    b.name = a.name
    b._element.nvSpPr.cNvPr.id = a.shape_id
    set_text(b._element.txBody, text, f'<a:rPr sz="{Pt(size).centipoints}"/>' if size else "")
    assert c14n(b._element) == c14n(a._element)


def _reference_slide(w: DeckWriter, lo, kind: str, title: str, notes: str):
    """A slide as DeckWriter made every slide before issue 13, through python-pptx's calls."""
    s = w.prs.slides.add_slide(lo)
    found = None
    for ph in list(s.placeholders):
        t = ph.placeholder_format.type
        if t in TITLE_TYPES and found is None:
            found = ph
            continue
        if (kind == "cover" and t == PP_PLACEHOLDER.SUBTITLE) or (kind == "text" and t in BODY_TYPES):
            continue
        ph._element.getparent().remove(ph._element)
    if found is None:
        found = w._add_title_placeholder(s)
    found.text_frame.text = title
    found.text_frame.word_wrap = True
    if notes:
        s.notes_slide.notes_text_frame.text = notes
    return s


def _name(el) -> str:
    nv = el.find(".//" + qn("p:cNvPr"))
    return "" if nv is None else nv.get("name", "")


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["table", "text", "cover", "chart"]), NAME, TEXT),
                min_size=1, max_size=5))
def test_slides_copied_from_the_first_of_their_kind_match_python_pptx_slides(slides):
    prs, info = open_template(None)
    ref, ref_info = open_template(None)
    w = DeckWriter(prs, choose_layouts(prs, info), info, "Status")
    wr = DeckWriter(ref, choose_layouts(ref, ref_info), ref_info, "Status")
    for kind, title, notes in slides:
        title = title or "T"
        s = w.slide(title, kind, notes, layout=w.layouts.cover if kind == "cover" else None)
        lo = wr.layouts.cover if kind == "cover" else (
            wr.layouts.content if kind == "text" else wr.layouts.title_only)
        r = _reference_slide(wr, lo, kind, title, notes)
        ours = [el for el in s.shapes._spTree if _name(el) != "Status line"]
        assert [c14n(el) for el in ours] == [c14n(el) for el in r.shapes._spTree]
        assert s.has_notes_slide == r.has_notes_slide
        if notes:
            assert c14n(s.notes_slide._element) == c14n(r.notes_slide._element)
            assert s.notes_slide.part.partname == r.notes_slide.part.partname
        assert s.part.partname == r.part.partname
    assert [c14n(el) for el in prs.part._element.sldIdLst] == \
        [c14n(el) for el in ref.part._element.sldIdLst]


def test_a_long_title_shrinks_as_before():
    prs, info = open_template(None)
    w = DeckWriter(prs, choose_layouts(prs, info), info, "Status")
    w.slide("Short", "table")
    s = w.slide("A title long enough that it cannot fit the placeholder at the template's size " * 2,
                "table")
    sizes = {r.font.size for p in s.shapes.title.text_frame.paragraphs for r in p.runs}
    assert len(sizes) == 1 and Pt(16) <= sizes.pop() < Pt(w._template_title_pt(w.layouts.title_only))


def _reference_textbox(s, box, text, size, *, bold, ink, fill, align, anchor, name, max_lines,
                       margin):
    """DeckWriter.textbox before issue 13: python-pptx's shape and text-frame calls."""
    from reports.slide_text import LINE_HEIGHT, clip

    shape = s.shapes.add_textbox(box.left, box.top, box.width, box.height) if fill is None \
        else s.shapes.add_shape(MSO_SHAPE.RECTANGLE, box.left, box.top, box.width, box.height)
    if fill is not None:
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(fill)
        shape.line.fill.background()
        shape.shadow.inherit = False
    if name:
        shape.name = name
    inner_w = box.width - 2 * margin
    fit = max(1, int((box.height - Inches(0.06)) / (size * LINE_HEIGHT * 12700)))
    if max_lines:
        fit = min(fit, max_lines)
    tf = shape.text_frame
    _frame(tf, margin, Inches(0.03), anchor, clip(text, inner_w, size, fit).split("\n"), size,
           bold, ink, align)
    if fill is None:
        tf.auto_size = MSO_AUTO_SIZE.SHAPE_TO_FIT_TEXT  # as the fast box keeps it
    return shape


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab cd&<\n")), max_size=40), st.sampled_from([8, 9, 12, 14]),
       st.booleans(), COLOUR, st.one_of(st.none(), COLOUR), st.sampled_from(["left", "center", "right"]),
       st.sampled_from(["top", "middle", "bottom"]), st.one_of(st.none(), NAME),
       st.one_of(st.none(), st.integers(1, 3)), MARGIN, st.integers(200_000, 3_000_000),
       st.integers(100_000, 1_500_000))
def test_deck_text_boxes_match_python_pptx(text, size, bold, ink, fill, align, anchor, name,
                                           max_lines, margin, width, height):
    from reports.template import Box

    w = _writer()
    box = Box(Inches(1), Inches(1), width, height)
    ours = w.textbox(w.slide("T"), box, text, size, bold=bold, ink=ink, fill=fill, align=align,
                     anchor=anchor, name=name, max_lines=max_lines, margin=margin)
    ref = _reference_textbox(w.slide("T"), box, text, size, bold=bold, ink=ink, fill=fill,
                             align=align, anchor=anchor, name=name, max_lines=max_lines,
                             margin=margin)
    assert type(ours) is type(ref)  # the shape object python-pptx's own factory makes
    if fill is None:  # the box written before issue 13 went through write_text too: same XML,
        # an empty run written <a:t/> where python-pptx writes <a:t></a:t>
        assert c14n(ours._element) == c14n(ref._element)
    else:
        assert etree.tostring(ours._element) == etree.tostring(ref._element)


_WRITER: list = []


def _writer() -> DeckWriter:
    """One deck for the examples (opening the template for each is slow)."""
    if not _WRITER:
        prs, info = open_template(None)
        _WRITER.append(DeckWriter(prs, choose_layouts(prs, info), info, "Status"))
    return _WRITER[0]


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["~", "H", "L", "P", "F", "?", ""]), COLOUR, NAME, NAME,
       st.sampled_from([Inches(0.32), Inches(0.2)]))
def test_icons_match_python_pptx(mark, colour, words, name, size):
    from planner.spc import Icon
    from reports.charts import draw_icon

    icon = Icon(colour, mark, words)
    _prs, slide = blank_slide()
    ours = draw_icon(slide, Inches(1), Inches(2), size, icon, name)
    ref = slide.shapes.add_shape(MSO_SHAPE.OVAL, Inches(1), Inches(2), size, size)
    ref.name = name
    ref.fill.solid()
    ref.fill.fore_color.rgb = rgb(icon.colour)
    ref.line.fill.background()
    ref.shadow.inherit = False
    tf = ref.text_frame
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
    tf.vertical_anchor = MSO_ANCHOR.MIDDLE
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.CENTER
    run = p.add_run()
    run.text = icon.mark
    run.font.size = Pt(max(7, int(size / 12700 * 0.5)))
    run.font.bold = True
    run.font.color.rgb = rgb("FFFFFF")
    ref._element.nvSpPr.cNvPr.set("descr", icon.words)
    ref._element.nvSpPr.cNvPr.id = ours.shape_id
    assert etree.tostring(ours._element) == etree.tostring(ref._element)


@settings(max_examples=40, deadline=None)
@given(NAME, NAME, POS, POS, st.lists(st.integers(10_000, 3_000_000), min_size=1, max_size=7),
       st.integers(100_000, 5_000_000))
def test_table_frames_match_python_pptx_add_table(name, descr, x, y, widths, height):
    from pptx.util import Emu

    from reports.shape_xml import table_xml

    _prs, slide = blank_slide()
    gf = slide.shapes.add_table(1, len(widths), x, y, Inches(8), height)
    gf.name = name
    gf._element.nvGraphicFramePr.cNvPr.set("descr", descr)
    for gc, w in zip(gf.table._tbl.tblGrid.gridCol_lst, widths):
        gc.w = w
    gf.width = Emu(sum(widths))
    tbl = gf.table._tbl
    rows = "".join(etree.tostring(tr).decode() for tr in tbl.tr_lst)
    _prs2, other = blank_slide()
    [el] = add_shapes_xml(other.shapes, [table_xml(gf.shape_id, name, descr, x, y, widths, height,
                                                   rows.replace(' xmlns:a="http://schemas.openxml'
                                                                'formats.org/drawingml/2006/main"',
                                                                ""))])
    assert c14n(el) == c14n(gf._element)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(POS, POS, POS, POS, st.booleans()), max_size=6), NAME, NAME)
def test_groups_written_as_xml_match_shape_batch(boxes, name, descr):
    from reports.shape_xml import ShapeBatch, add_group_xml, group_xml, set_alt_text

    _prs, slide = blank_slide()
    slide.shapes.turbo_add_enabled = True
    batch = ShapeBatch(slide)
    members, kept = [], []
    for x, y, cx, cy, line in boxes:
        if line:
            shape = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, x, y, cx, cy)
            kept.append((min(x, cx), min(y, cy), abs(cx - x), abs(cy - y)))
            members.append(connector_xml(shape.shape_id, shape.name, x, y, cx, cy))
        else:
            shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, cx, cy)
            kept.append((x, y, cx, cy))
            members.append(autoshape_xml(shape.shape_id, shape.name, "rect", x, y, cx, cy))
    group = batch.group(name)
    set_alt_text(group, descr)
    _prs2, other = blank_slide()
    [el] = add_shapes_xml(other.shapes, [group_xml(group.shape_id, name, descr, members, kept)])
    assert c14n(el) == c14n(group._element)
    _prs3, third = blank_slide()  # the group put in first, its members moved in after
    el = add_group_xml(third.shapes, group.shape_id, name, descr, members, kept)
    assert c14n(el) == c14n(group._element)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.integers(1, 40).map(lambda n: f"rId{n}"),
                                    st.sampled_from(["rIdx", "rId", "Id7", "rId03"])),
                          st.sampled_from(["slide", "chart", "image", "link"]),
                          st.booleans()),
                max_size=8, unique_by=lambda t: t[0]))
def test_relationships_written_as_a_string_match_python_pptx(rels):
    """``rels_xml`` against python-pptx's ``_Relationships.xml``: odd ids sorted as it sorts
    them, internal targets made relative to the part, external ones (and none) through
    python-pptx itself."""
    from pptx.opc.package import Part, _Relationship, _Relationships
    from pptx.opc.packuri import PackURI

    from reports.deck_package import rels_xml

    prs = Presentation()
    coll = _Relationships("/ppt/slides")
    for rid, kind, external in rels:
        if kind == "link" and external:
            target = "https://example.org/a?b=1&c=<2>"
        else:
            target = Part(PackURI(f"/ppt/{kind}s/{kind}{len(rid)}.xml"), "application/xml",
                          prs.part.package, b"")
        coll._rels[rid] = _Relationship("/ppt/slides", rid, f"http://schemas/{kind}",
                                        "External" if isinstance(target, str) else "Internal",
                                        target)
    assert rels_xml(coll) == coll.xml


def test_a_deck_saved_by_save_package_is_the_file_python_pptx_saves(tmp_path):
    """The same zip members, in the same order, with the same bytes, as ``prs.save`` writes."""
    import io
    import zipfile

    from reports.deck import ExportOptions, build_deck
    from reports.deck_package import save_package
    from tests.reports.test_deck import big_milestone_plan

    prs, _ = build_deck(big_milestone_plan(60), ExportOptions(output="unused.pptx"))
    ours, ref = io.BytesIO(), io.BytesIO()
    save_package(prs, ours)
    prs.save(ref)
    with zipfile.ZipFile(ours) as a, zipfile.ZipFile(ref) as b:
        assert a.namelist() == b.namelist()
        assert [a.read(n) for n in a.namelist()] == [b.read(n) for n in b.namelist()]
        assert [i.compress_type for i in a.infolist()] == [i.compress_type for i in b.infolist()]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["table", "chart", "text", "cover"]), NAME, TEXT,
                          st.lists(st.tuples(TEXT, st.booleans()), max_size=4)),
                min_size=1, max_size=5))
def test_slides_made_with_their_shapes_match_shapes_added_afterwards(slides):
    """Issue 13: a slide copied from the first of its kind is parsed once with its shapes in it
    (``DeckWriter.slide(content=...)``); it is the slide made first and given the same shapes
    one by one afterwards, ids and order included, status line and page number too."""
    from reports.template import Box

    decks = []
    for spliced in (True, False):
        prs, info = open_template(None)
        w = DeckWriter(prs, choose_layouts(prs, info), info, "Status · as of today")
        for kind, title, notes, boxes in slides:
            writes = [functools.partial(w._textbox_xml, box=Box(Inches(1), Inches(1 + k), Inches(3),
                                                                Inches(0.5)),
                                        text=text, size=12, fill="E8EDEE" if filled else None)
                      for k, (text, filled) in enumerate(boxes)]
            layout = w.layouts.cover if kind == "cover" else None
            if spliced:
                s = w.slide(title or "T", kind, notes, layout=layout, content=writes)
            else:
                s = w.slide(title or "T", kind, notes, layout=layout)
                for write in writes:
                    add_shapes_xml(s.shapes, [write(s.shapes._next_shape_id)])
            w.textbox(s, Box(Inches(5), Inches(5), Inches(2), Inches(0.5)), "after", 10)  # its id
        w.finish()
        decks.append([etree.tostring(s._element) for s in prs.slides])
    assert decks[0] == decks[1]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(blacklist_categories=("Cs",)),
                                  st.sampled_from(list("&<>\"'\t\n\x01\x0b\x1f\xad\u2028 ")))))
def test_run_text_passes_plain_text_through_as_the_full_rule_writes_it(text):
    """Issue 13: text with nothing to escape skips the escaping; the result is the full rule's
    (control characters as _xHHHH_, then XML escaped)."""
    import re
    from xml.sax.saxutils import escape

    from reports.shape_xml import run_text

    full = escape(re.sub(r"([\x00-\x08\x0B-\x1F])", lambda m: "_x%04X_" % ord(m.group(1)), text))
    assert run_text(text) == full


def test_new_elements_go_before_the_extension_list_in_order_or_at_the_end():
    """Where a slide's shapes (and a status line's page-number run) are put: before the shape
    tree's ``p:extLst`` as python-pptx puts them (PowerPoint refuses a shape after it), else last."""
    def tree(inner: str):
        return parse_xml(f'<p:spTree {nsdecls("p")}>{inner}</p:spTree>')

    def shape(n: int):
        return parse_xml(f'<p:sp {nsdecls("p")} id="{n}"/>')

    with_ext = tree("<p:sp id='0'/><p:extLst/>")
    insert_before(with_ext, "p:extLst", shape(1), shape(2))
    insert_before(with_ext, "p:extLst", shape(3))
    assert [etree.QName(el).localname + el.get("id", "") for el in with_ext] == [
        "sp0", "sp1", "sp2", "sp3", "extLst"]
    bare = tree("<p:sp id='0'/>")
    insert_before(bare, "p:extLst", shape(1), shape(2))
    assert [el.get("id") for el in bare] == ["0", "1", "2"]
