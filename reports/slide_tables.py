"""Tables over slides: columns wide enough that no word breaks, rows measured, cell text clipped,
and a table (or a flow of headed sections) continued on "(continued)" slides with its header
repeated.

``TableSlides`` is a part of ``reports.writer.DeckWriter``: it uses the writer's content box,
table size, ``slide`` and ``_textbox_xml``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from reports.shape_xml import add_shapes_xml, run_text, table_xml
from reports.slide_text import (ACCENT, LINE_HEIGHT, MUTED, RAG_FILL, RAG_INK, clip,
                                needed_lines, rgb, srgb, wrap_count)
from reports.template import Box

CELL_MARGIN_X = Inches(0.06)
CELL_MARGIN_Y = Inches(0.035)


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



class TableSlides:
    """The deck writer's tables: one table, or sections one below another, over as many slides
    as they need."""

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
        """A row as tall as its cells' text needs (by the letters' widths, ``needed_lines``)."""
        lines = max(needed_lines(t, w - 2 * CELL_MARGIN_X, size) for t, w in zip(texts, widths))
        return int(lines * size * LINE_HEIGHT * 12700 + 2 * CELL_MARGIN_Y + Pt(2))

    def table_slides(self, title: str, cols: list[Col], rows: list[list], *, notes: str = "",
                     empty: str = "None this period.", intro: str = "", size: float | None = None,
                     alt: str = "", kind: str = "table") -> list:
        """One table over as many slides as it needs; later slides are titled "(continued)".

        A short table is set up to two points larger when it still fits on one slide, and one
        point smaller (not under 9 pt) when that keeps it on one slide: a "(continued)" slide
        for the last row or two of the ten challenges is not worth the point.
        """
        base = size or self.table_pt
        for bigger in (base + 2, base + 1, base) + ((base - 1,) if base - 1 >= 9 else ()):
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
