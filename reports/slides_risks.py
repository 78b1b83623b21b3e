"""The deck's risk slides (map and table) and the decisions asked of the board."""

from __future__ import annotations

import re

from pptx.util import Inches, Pt

from reports.deck_facts import DeckFacts
from planner.rules import risk_band
from reports.facts import person_name
from reports.template import Box
from reports.shape_xml import ShapeBatch, set_alt_text
from reports.slide_tables import Cell, Col
from reports.slide_text import INK, MUTED, RAG_FILL, RAG_INK
from reports.writer import DeckWriter


def risks_slide(w: DeckWriter, f: DeckFacts) -> None:
    """The risk register, highest score first."""
    risks = sorted(f.plan.risks.values(), key=lambda r: (-r.likelihood * r.impact, r.id))
    before = {r.uid: r for r in f.previous.risks.values()} if f.previous is not None else None
    rows = []
    notes = []
    for r in risks:
        score = r.likelihood * r.impact
        colour, word = risk_band(score)
        target = "—"
        if r.target_likelihood and r.target_impact:
            target = str(r.target_likelihood * r.target_impact)
        move = risk_movement(r, before)
        title = r.title + (f" ({r.baf_ref})" if r.baf_ref else "")
        rows.append([r.id, title,
                     Cell(f"{score} {word} ({r.likelihood}×{r.impact})", RAG_FILL[colour],
                          RAG_INK[colour], bold=True),
                     target, move, person_name(f.plan, r.owner), r.mitigation or "—"])
        notes.append(f"{r.id} {r.title}: score {score} (likelihood {r.likelihood}, impact "
                     f"{r.impact}), target {target}, {move.lower()}; "
                     f"{'linked to ' + r.baf_ref if r.baf_ref else 'no BAF link'}. "
                     f"Mitigation: {r.mitigation or 'none recorded'}.")
    w.table_slides("Risks", [Col("ID", 0.45), Col("Risk (BAF link)", 2.4, max_lines=3),
                             # "16 Extreme (4×4)" and the mitigation were cut on a 4:3 slide
                             Col("Current score", 1.0, "center", max_lines=3),
                             Col("Target", 0.55, "center"), Col("Since last report", 1.0, "center"),
                             Col("Owner", 1.0), Col("Mitigation", 2.5, max_lines=5)],
                   rows, empty="No risks are recorded in the plan.",
                   intro="Scored likelihood × impact on a 5 × 5 grid, highest first; the target "
                         "is the score the mitigation aims for.",
                   notes="\n".join(notes))


def risk_movement(r, before: dict | None) -> str:
    """How a risk's score moved since the last report, in words."""
    if before is None:
        return "First report"
    old = before.get(r.uid)
    if old is None:
        return "New"
    was, now = old.likelihood * old.impact, r.likelihood * r.impact
    if now > was:
        return f"Up from {was}"
    if now < was:
        return f"Down from {was}"
    return "No change"


BAND_FILL = {"Extreme": "F4B6B1", "High": "FFD08A", "Moderate": "FFF1B3", "Low": "B3DCC4"}
"""Light tints of the four bands, so that risk ids stay readable on them."""


def risk_map_slide(w: DeckWriter, f: DeckFacts) -> None:
    """A 5 x 5 likelihood-by-impact grid of native shapes with each risk's id in its cell."""
    risks = list(f.plan.risks.values())
    if not risks:
        return
    s = w.slide("Risk map", "chart",
                notes="Each risk sits in the cell of its likelihood (up) and impact (across). "
                      + " ".join(f"{r.id}: likelihood {r.likelihood}, impact {r.impact}."
                                 for r in sorted(risks, key=lambda r: r.id)))
    b = w.box
    label = Inches(0.9)
    side = min((b.width - label) // 5, (b.height - label) // 5)
    x0 = b.left + label
    y0 = b.top
    batch = ShapeBatch(s)
    grid = s  # drawn on the slide, grouped below
    cells: dict[tuple[int, int], list[str]] = {}
    for r in sorted(risks, key=lambda r: r.id):
        lk = min(5, max(1, r.likelihood))
        im = min(5, max(1, r.impact))
        cells.setdefault((lk, im), []).append(r.id)
    for lk in range(1, 6):
        for im in range(1, 6):
            colour, word = risk_band(lk * im)
            box = Box(x0 + (im - 1) * side, y0 + (5 - lk) * side, side, side)
            ids = cells.get((lk, im), [])
            text = f"{lk * im}\n" + ", ".join(ids) if ids else f"{lk * im}"
            w.textbox(grid, box, text, 11 if ids else 9, bold=bool(ids), ink=INK,
                      fill=BAND_FILL[word], align="center", anchor="middle",
                      name=f"Cell L{lk} I{im}", line="FFFFFF", line_width=Pt(1.5))
    w.textbox(grid, Box(x0, y0 + 5 * side + Inches(0.05), 5 * side, Inches(0.3)),
              "Impact (1 = negligible … 5 = catastrophic) →", 10, ink=MUTED, align="center",
              name="Impact axis")
    w.textbox(grid, Box(x0 - label, y0, label - Inches(0.05), 5 * side),
              "Likelihood (1 = rare … 5 = almost certain) ↑", 10, ink=MUTED, align="right",
              anchor="middle", name="Likelihood axis")
    grid = batch.group("Risk map")
    list_left = x0 + 5 * side + Inches(0.4)
    if b.right - list_left > Inches(2.5):
        lines = [f"{r.id}\t{r.title} ({r.likelihood * r.impact}, {risk_band(r.likelihood * r.impact)[1].lower()})"
                 for r in sorted(risks, key=lambda r: (-r.likelihood * r.impact, r.id))]
        box = Box(list_left, y0, b.right - list_left, 5 * side)
        text = "\n".join(lines)
        # measured as if every line were as narrow as a wrapped one, with the gaps between risks
        size = w.fitting_size(text, box.width - Inches(0.1) - LIST_INDENT,
                              box.height - len(lines) * Pt(LIST_GAP_PT),
                              sizes=(14, 12, 11, 10, 9))
        hanging(w.textbox(s, box, text, size, ink=INK, name="Risk list"), LIST_INDENT)
    set_alt_text(grid, "Risk map, likelihood by impact: " + "; ".join(
        f"{', '.join(ids)} at likelihood {lk}, impact {im}" for (lk, im), ids in sorted(cells.items())))


LIST_INDENT = Inches(0.45)  # the risk list's titles start here, wrapped lines too
LIST_GAP_PT = 4


def hanging(shape, indent: int) -> None:
    """Each paragraph of ``shape`` with a hanging indent: its id, a tab, then the words, whose
    wrapped lines start under the first word rather than under the id."""
    for p in shape.text_frame.paragraphs:
        ppr = p._p.get_or_add_pPr()
        ppr.set("marL", str(int(indent)))
        ppr.set("indent", str(-int(indent)))
        p.space_before = Pt(LIST_GAP_PT)


def decisions_slide(w: DeckWriter, f: DeckFacts) -> None:
    """The recommendation and the decisions asked of the board."""
    st = f.plan.settings
    items = []
    if st.board_recommendation:
        items.append(f"Recommendation: {st.board_recommendation}")
    for part in re.split(r"\n+", f.summary.decisions or ""):
        part = part.strip(" -•")
        if part and part != st.board_recommendation:
            items.append(part)
    if not items:
        items = ["No decision is required; the board is asked to note the report."]
    w.bullets("Decisions required from the board", items,
              notes="What the board is asked to decide or note.\n" + "\n".join(items))
