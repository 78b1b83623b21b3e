"""Build templates/board.pptx: the product's own 16:9 slide master for board update decks.

Run ``python templates/build_board_template.py`` to rebuild it. The template starts from
python-pptx's default master, widens it to 16:9, keeps five layouts (Title Slide, Title and
Content, Section Header, Title Only, Blank), places their placeholders for a wide slide, and
sets clear fonts, a high-contrast colour scheme and a thin accent band. It holds no slides.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches

OUT = Path(__file__).resolve().parent / "board.pptx"

KEEP = ["Title Slide", "Title and Content", "Section Header", "Title Only", "Blank"]
FONT = "Arial"
COLOURS = {  # theme slot -> hex: dark blue text, blue accents, plus RAG-friendly accents
    "dk1": "212B32", "lt1": "FFFFFF", "dk2": "003087", "lt2": "E8EDEE",
    "accent1": "005EB8", "accent2": "41B6E6", "accent3": "007F3B",
    "accent4": "FFB81C", "accent5": "D5281B", "accent6": "768692",
    "hlink": "005EB8", "folHlink": "330072",
}
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"

W, H = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in
MARGIN = Inches(0.5)
TITLE_BOX = (MARGIN, Inches(0.35), W - 2 * MARGIN, Inches(0.8))
BODY_BOX = (MARGIN, Inches(1.3), W - 2 * MARGIN, Inches(5.55))
FOOT_Y, FOOT_H = Inches(7.0), Inches(0.35)


def _set_box(shape, box) -> None:
    shape.left, shape.top, shape.width, shape.height = (Emu(int(v)) for v in box)


def _theme(prs) -> None:
    """Fonts and colours in the theme part."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    ns = {"a": A}
    for slot, hexv in COLOURS.items():
        el = root.find(f".//a:clrScheme/a:{slot}", ns)
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, f"{{{A}}}srgbClr", val=hexv)
    root.find(".//a:clrScheme", ns).set("name", "Recovery Change Planner")
    for which in ("majorFont", "minorFont"):
        root.find(f".//a:fontScheme/a:{which}/a:latin", ns).set("typeface", FONT)
    root.find(".//a:fontScheme", ns).set("name", "Recovery Change Planner")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _text_styles(prs) -> None:
    """Title: 28 pt bold dark blue, left aligned. Body: 20/18/16 pt."""
    master = prs.slide_master._element
    ns = {"a": A, "p": P}
    title = master.find(".//p:txStyles/p:titleStyle/a:lvl1pPr", ns)
    title.set("algn", "l")
    rpr = title.find("a:defRPr", ns)
    rpr.set("sz", "2800")
    rpr.set("b", "1")
    for child in list(rpr):
        if child.tag == f"{{{A}}}solidFill":
            rpr.remove(child)
    fill = etree.Element(f"{{{A}}}solidFill")
    etree.SubElement(fill, f"{{{A}}}schemeClr", val="tx2")
    rpr.insert(0, fill)
    sizes = {1: 2000, 2: 1800, 3: 1600, 4: 1400, 5: 1400}
    for lvl, sz in sizes.items():
        el = master.find(f".//p:txStyles/p:bodyStyle/a:lvl{lvl}pPr/a:defRPr", ns)
        if el is not None:
            el.set("sz", str(sz))


def _move_to(container_sptree, shape) -> None:
    """Move a shape drawn on a scratch slide into a master or layout shape tree."""
    el = copy.deepcopy(shape._element)
    # shape ids must be unique within a part, or PowerPoint offers to repair the file
    ids = [int(x.get("id")) for x in container_sptree.iter(f"{{{P}}}cNvPr")]
    el.find(f".//{{{P}}}cNvPr").set("id", str(max(ids + [1]) + 1))
    container_sptree.insert(2, el)  # after nvGrpSpPr and grpSpPr: drawn beneath placeholders


def build(out: Path = OUT) -> Path:
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    for layout in list(prs.slide_layouts):
        if layout.name not in KEEP:
            prs.slide_layouts.remove(layout)
    _theme(prs)
    _text_styles(prs)

    master = prs.slide_master
    for ph in master.placeholders:
        t = ph.placeholder_format.type
        name = str(t)
        if "TITLE" in name:
            _set_box(ph, TITLE_BOX)
        elif "BODY" in name or "OBJECT" in name:
            _set_box(ph, BODY_BOX)
    _place_footers(master.placeholders)

    for layout in prs.slide_layouts:
        phs = list(layout.placeholders)
        if layout.name == "Title Slide":
            for ph in phs:
                t = str(ph.placeholder_format.type)
                if "CENTER_TITLE" in t:
                    _set_box(ph, (Inches(0.9), Inches(2.2), W - Inches(1.8), Inches(1.5)))
                    _title_size(ph, 3600)
                elif "SUBTITLE" in t:
                    _set_box(ph, (Inches(0.9), Inches(3.9), W - Inches(1.8), Inches(1.6)))
                    for lvl in ph._element.iter(f"{{{A}}}lvl1pPr"):
                        lvl.set("algn", "l")  # line up with the title
        elif layout.name == "Section Header":
            for ph in phs:
                t = str(ph.placeholder_format.type)
                if "TITLE" in t:
                    _set_box(ph, (Inches(0.9), Inches(3.3), W - Inches(1.8), Inches(1.2)))
                elif "BODY" in t:
                    _set_box(ph, (Inches(0.9), Inches(2.3), W - Inches(1.8), Inches(0.9)))
        else:
            for ph in phs:
                t = str(ph.placeholder_format.type)
                if "TITLE" in t:
                    _set_box(ph, TITLE_BOX)
                elif "BODY" in t or "OBJECT" in t:
                    _set_box(ph, BODY_BOX)
        _place_footers(layout.placeholders)

    # Decorations: drawn on a scratch slide, then moved into the master / title layout.
    scratch = prs.slides.add_slide(prs.slide_layouts[-1])
    band = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, Inches(0.12))
    band.name = "Accent band"
    _plain(band, "005EB8")
    rule = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, FOOT_Y - Inches(0.06),
                                    W - 2 * MARGIN, Emu(9525))
    rule.name = "Footer rule"
    _plain(rule, "AEB7BD")
    _move_to(master.shapes._spTree, rule)
    _move_to(master.shapes._spTree, band)
    block = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(1.6), Inches(0.35), Inches(4.2))
    block.name = "Title accent"
    _plain(block, "005EB8")
    title_layout = next(lo for lo in prs.slide_layouts if lo.name == "Title Slide")
    _move_to(title_layout.shapes._spTree, block)
    _drop_slide(prs, scratch)

    prs.core_properties.title = "Recovery Change Planner board template"
    prs.core_properties.author = "Recovery Change Planner"
    out.parent.mkdir(parents=True, exist_ok=True)
    prs.save(out)
    return out


def _title_size(ph, size: int) -> None:
    """A bigger title on the cover, set in the layout's own list style."""
    txbody = ph._element.find(f"{{{P}}}txBody")
    lst = txbody.find(f"{{{A}}}lstStyle")
    for child in list(lst):
        lst.remove(child)
    lvl = etree.SubElement(lst, f"{{{A}}}lvl1pPr", algn="l")
    etree.SubElement(lvl, f"{{{A}}}defRPr", sz=str(size), b="1")


def _place_footers(placeholders) -> None:
    for ph in placeholders:
        t = str(ph.placeholder_format.type)
        if "DATE" in t:
            _set_box(ph, (MARGIN, FOOT_Y, Inches(2.5), FOOT_H))
        elif "FOOTER" in t:
            _set_box(ph, (Inches(3.4), FOOT_Y, W - Inches(6.8), FOOT_H))
        elif "SLIDE_NUMBER" in t:
            _set_box(ph, (W - MARGIN - Inches(1.5), FOOT_Y, Inches(1.5), FOOT_H))


def _plain(shape, hexv: str) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(hexv)
    shape.line.fill.background()
    shape.shadow.inherit = False


def _drop_slide(prs, slide) -> None:
    ids = prs.slides._sldIdLst
    for sld_id in list(ids):
        if prs.part.related_part(sld_id.rId) is slide.part:
            prs.part.drop_rel(sld_id.rId)
            ids.remove(sld_id)


if __name__ == "__main__":
    path = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print("wrote", path)
