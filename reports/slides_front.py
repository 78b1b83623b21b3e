"""The deck's opening slides: cover, cover sheet, executive summary, the challenges, milestones."""

from __future__ import annotations

from typing import Callable

from pptx.util import Inches, Pt

from planner.dates import long_date
from planner.model import MilestoneStatus, Plan
from reports.deck_facts import DeckFacts
from planner.rules import slip_text
from reports.facts import MilestoneChanges, MilestoneRow, fmt_date, plural, slip_cell
from reports.template import Box
from reports.slide_tables import Cell, Col, Section, rag_cell
from reports.slide_text import ACCENT, INK, wrap_count
from reports.writer import DeckWriter


def cover_slide(w: DeckWriter, f: DeckFacts) -> None:
    """The title slide: plan, meeting and status date."""
    st = f.plan.settings
    s = w.slide(f"{st.name}: board update", "cover", layout=w.layouts.cover,
                notes=(f"Board update on {st.name} for {st.organisation or 'the organisation'}, "
                       f"status as of {fmt_date(f.as_of)}. Purpose: {st.board_purpose}. "
                       f"Recommendation: {st.board_recommendation or 'to note the report'}."))
    lines = [st.organisation or "", st.board_meeting or "Board meeting",
             long_date(st.board_date)]
    sub_text = "\n".join(x for x in lines if x)
    sub_text += f"\nFor {st.board_purpose.lower()} · Status as of {fmt_date(f.as_of)}"
    sub = getattr(s, "_rcp_subtitle", None)
    if sub is not None:
        tf = sub.text_frame
        tf.word_wrap = True
        size = w.fitting_size(sub_text, int(sub.width) - Inches(0.2), int(sub.height) - Inches(0.1),
                              sizes=(24, 20, 18, 16, 14, 12))
        for i, line in enumerate(sub_text.split("\n")):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.text = line
            for r in p.runs:
                r.font.size = Pt(size)
    else:
        b = w.box
        w.textbox(s, Box(b.left, b.top + b.height // 3, b.width, b.height // 2), sub_text, 18,
                  ink=INK, name="Subtitle")


def cover_sheet_slide(w: DeckWriter, f: DeckFacts) -> None:
    """The board cover sheet: purpose, assurance, recommendation and links."""
    st = f.plan.settings
    prev = fmt_date(f.prev_as_of) if f.previous is not None else "None: this is the first report"
    rows = [
        ["Report to", ", ".join(x for x in (st.board_meeting, long_date(st.board_date)) if x)
                      or "—"],
        ["Executive lead", st.board_exec_lead or "—"],
        ["Author", st.board_author or "—"],
        ["Previously considered by", st.board_previously or "—"],
        ["Purpose", Cell(st.board_purpose or "—", bold=True)],
        ["Level of assurance", Cell(st.board_assurance or "—", bold=True)],
        ["Recommendation", st.board_recommendation or "The board is asked to note the report."],
        ["Strategic objectives", st.board_objectives or "—"],
        ["Board Assurance Framework risks", st.board_baf_risks or "—"],
        ["CQC domains", st.board_cqc_domains or "—"],
        ["Equality, quality and legal impact", st.board_impact or "—"],
        ["Lived-experience involvement", st.board_lived_experience or "—"],
        ["Status date", fmt_date(f.as_of)],
        ["Previous report", prev],
    ]
    w.table_slides("Cover sheet", [Col("Item", 1.0, max_lines=2), Col("Detail", 3.2, max_lines=4)],
                   rows, size=w.table_pt + 1,
                   notes="The cover sheet states why the paper comes to the board, the level of "
                         "assurance it offers and the recommendation.",
                   alt="Cover sheet: purpose, level of assurance, recommendation and links")


SUMMARY_HEADINGS = [("on_track", "Are we on track?"),
                    ("changed", "What has changed since the last report?"),
                    ("next", "What happens next?"),
                    ("decisions", "What do we need from the board?")]


def summary_slide(w: DeckWriter, f: DeckFacts) -> None:
    """The executive summary's four answers in a two-by-two grid."""
    notes = "\n\n".join(f"{h}\n{getattr(f.summary, k)}" for k, h in SUMMARY_HEADINGS)
    s = w.slide("Executive summary", "summary", notes)
    b = w.box
    gap = Inches(0.2)
    # the grid stops a gap short of the content area's end, clear of the status line under it
    cw, ch = (b.width - gap) // 2, (b.height - 2 * gap) // 2
    head_h = Inches(0.38)
    inner, body_h = cw - Inches(0.2), ch - head_h - Inches(0.1)
    size = min(w.fitting_size(getattr(f.summary, k) or "—", inner, body_h)
               for k, _ in SUMMARY_HEADINGS)  # one size for all four boxes
    for i, (key, heading) in enumerate(SUMMARY_HEADINGS):
        x = b.left + (i % 2) * (cw + gap)
        y = b.top + (i // 2) * (ch + gap)
        hsize = next((z for z in (14, 13, 12, 11) if wrap_count(heading, cw - Inches(0.2), z) == 1), 10)
        w.textbox(s, Box(x, y, cw, head_h), heading, hsize, bold=True, fill=ACCENT, ink="FFFFFF",
                  anchor="middle", name=f"Summary heading: {heading}", max_lines=1,
                  margin=Inches(0.1))
        text = getattr(f.summary, key) or "—"
        w.textbox(s, Box(x, y + head_h, cw, ch - head_h), text, size, fill="F4F6F7", ink=INK,
                  name=f"Summary: {heading}", margin=Inches(0.1))


def challenges_slide(w: DeckWriter, f: DeckFacts) -> None:
    """Each challenge's stage now, before and at target, with RAG now and last report."""
    first = f.previous is None
    # the reason names the deciding fact and up to two more (planner.rules): room for three lines
    cols = [Col("#", 0.35, "center"), Col("Challenge", 1.9), Col("Stage now", 1.1, max_lines=3),
            Col("Previous assessment", 1.15, max_lines=3), Col("Target", 1.1),
            Col("RAG last report", 0.85, "center"), Col("RAG now", 0.85, "center"),
            Col("Reason", 3.75, max_lines=3)]
    rows = []
    for r in f.rows:
        prev = f"{r.stage_before}\n{fmt_date(r.assessed_before)}" if r.assessed_before else "—"
        now = f"{r.stage_now}\n{fmt_date(r.assessed)}" if r.assessed else r.stage_now
        rows.append([str(r.number), r.title, now, prev, r.target or "—",
                     rag_cell(r.rag_before.colour) if r.rag_before else Cell("First report" if first else "—"),
                     rag_cell(r.rag_now.colour), r.rag_now.reason])
    notes = "\n".join(
        f"Challenge {r.number}, {r.title}: stage {r.stage_now}, target {r.target}; "
        f"RAG {r.rag_now.colour}"
        + (f" (was {r.rag_before.colour})" if r.rag_before else "")
        + f" because {r.rag_now.reason[0].lower()}{r.rag_now.reason[1:]}." for r in f.rows)
    w.table_slides("The ten challenges: stage and RAG", cols, rows, size=w.table_pt - 1,
                   notes=notes, alt="Table: each challenge's stage now, at the previous "
                                    "assessment and the target, with RAG this period and last")


def _ms_notes(title: str, rows: list[MilestoneRow], extra: Callable[[MilestoneRow], str]) -> str:
    if not rows:
        return f"{title}: none."
    return f"{title}: {len(rows)}.\n" + "\n".join(f"{r.id} {r.title}{extra(r)}" for r in rows[:60]) \
        + ("\n…" if len(rows) > 60 else "")


def milestone_slides(w: DeckWriter, f: DeckFacts) -> None:
    """Milestones achieved, new or removed and due next period; then those slipped."""
    c = f.changes
    period = f"{fmt_date(c.since)} to {fmt_date(c.until)}"
    ms_cols = [Col("ID", 0.5), Col("Milestone", 3.0), Col("Owner", 1.3), Col("Baseline", 0.9),
               Col("Forecast", 0.9), Col("Working days late", 0.8, "right")]
    achieved = Section(
        "Achieved", [Col("ID", 0.5), Col("Milestone", 3.0), Col("Owner", 1.3),
                      Col("Baseline", 0.9), Col("Achieved", 0.9),
                      Col("Working days late", 0.8, "right")],
        [[r.id, r.title, r.owner, fmt_date(r.baseline), fmt_date(r.actual or r.forecast),
          _late(r)] for r in c.achieved],
        intro=(f"Since the last report ({period})." if not c.first_report else
               f"First report: achieved in the last {(c.until - c.since).days} days ({period})."),
        empty="No milestones were achieved in this period.", alt="Table: milestones achieved")
    changed = Section(
        "New and removed", [Col("Change", 0.7), Col("ID", 0.5), Col("Milestone", 3.0),
                            Col("Owner", 1.3), Col("Baseline", 0.9), Col("Forecast / note", 1.2)],
        [[Cell("New", bold=True), r.id, r.title, r.owner, fmt_date(r.baseline),
          fmt_date(r.forecast)] for r in c.new]
        + [[Cell("Removed", bold=True), r.id, r.title, r.owner, fmt_date(r.baseline),
            r.reason or ("Cancelled" if r.status == MilestoneStatus.CANCELLED else "—")] for r in c.removed],
        empty=("First report: there is no earlier report to compare with." if c.first_report
               else "No milestones were added or removed since the last report."),
        alt="Table: milestones added or removed since the last report")
    due = Section(
        "Due next period", ms_cols,
        [[r.id, r.title, r.owner, fmt_date(r.baseline), fmt_date(r.forecast),
          _late(r)] for r in c.due_next],
        intro=f"Forecast after {fmt_date(c.until)} and by {fmt_date(c.next_until)}.",
        empty="No milestones fall due in the next period.", alt="Table: milestones due next period")
    w.flow_slides("Milestones since the last report", [achieved, changed, due],
                  notes="\n\n".join([
                      _ms_notes("Achieved", c.achieved, lambda r: f", {fmt_date(r.actual)}"),
                      _ms_notes("New", c.new, lambda r: ""),
                      _ms_notes("Removed", c.removed, lambda r: ""),
                      _ms_notes("Due next period", c.due_next, lambda r: f", {fmt_date(r.forecast)}")]))
    w.table_slides(
        "Milestones slipped",
        [Col("ID", 0.45), Col("Milestone", 1.75, max_lines=3), Col("Baseline", 0.8),
         Col("Forecast", 0.8, max_lines=3),  # "18 Dec 2026 (missed)" on a 4:3 slide
         Col("Working days late", 0.75, "right"), Col("Change since last report", 0.8, "right"),
         Col("Reason given", 2.2, max_lines=5), Col("Cause of the slip (from the schedule)", 2.45, max_lines=5)],
        [[r.id, r.title, fmt_date(r.baseline),
          _forecast_cell(r),
          _late(r), "—" if c.first_report else _change(r), r.reason or "—",
          r.root_cause or "—"]
         for r in c.slipped],
        size=w.table_pt - 1,
        intro=slipped_intro(f.plan, c),
        empty="No milestone is forecast after its baseline.",
        notes=_ms_notes("Slipped", c.slipped,
                        lambda r: f": {slip_text(r.slip_days)}. {r.root_cause}"))


_COUNT = ["No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"]


def _num(n: int) -> str:
    """A count in words up to ten ("eight"), else in figures."""
    return _COUNT[n].lower() if 0 <= n < len(_COUNT) else str(n)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def slipped_intro(plan: Plan, c: MilestoneChanges) -> str:
    """The slipped-milestones slide's opening, as a board member reads it: what slipped and by how
    much, what changed since the last report, why (the late action behind each slip, naming one
    that holds up several), and what the dates in the table are. "" when nothing slipped."""
    rows = c.slipped
    if not rows:
        return ""
    n = len(rows)
    head = _num(n).capitalize()
    days = sorted(r.slip_days for r in rows if r.slip_days > 0)
    worst = max(rows, key=lambda r: r.slip_days)
    if not days:
        by = ""
    elif days[0] == days[-1]:
        by = f", by {plural(days[0], 'working day')}"
    else:
        by = f", by {days[0]} to {days[-1]} working days ({worst.id} the most)"
    text = (f"{head} {'milestone is' if n == 1 else 'milestones are'} behind "
            f"{'its' if n == 1 else 'their'} baseline{by}")
    missed = [r.id for r in rows if r.status == MilestoneStatus.MISSED]
    if missed:
        names = missed[:4] + ([f"{len(missed) - 4} more"] if len(missed) > 4 else [])
        text += f"; {_and(names)} {'was' if len(missed) == 1 else 'were'} missed"
    text += "."
    if not c.first_report:
        worse = sum(1 for r in rows if r.slip_before is not None and r.slip_days > r.slip_before)
        better = sum(1 for r in rows if r.slip_before is not None and r.slip_days < r.slip_before)
        fresh = sum(1 for r in rows if r.slip_before is None)
        moves = ([f"{_num(worse)} slipped further"] if worse else []) \
            + ([f"{_num(better)} recovered some time"] if better else []) \
            + ([f"{_num(fresh)} {'is' if fresh == 1 else 'are'} newly late"] if fresh else [])
        if moves:
            text += f" Since the last report {_and(moves)}."
    held: dict[str, list[str]] = {}
    for r in rows:
        if r.cause_id:
            held.setdefault(r.cause_id, []).append(r.id)
    if held:
        aid, ms = max(held.items(), key=lambda kv: len(kv[1]))  # the first of the largest
        traced = sum(1 for r in rows if r.cause_id)
        text += (" Each slip traces back to a late action, named in the last column"
                 if traced == n else
                 f" {_num(traced).capitalize()} of them trace back to a late action and the "
                 "rest to the chain of work behind them, as the last column says")
        if len(ms) > 1:
            title = plan.actions[aid].title if aid in plan.actions else ""
            title = f" '{title if len(title) <= 45 else title[:44].rstrip() + '…'}'" if title else ""
            text += f"; {aid}{title} alone holds up {_and(ms)}"
        text += "."
    text += (" The table gives each owner's reason and the recovery date they are now working "
             "to (the forecast).")
    return text


def _late(r: MilestoneRow) -> str:
    """A milestone's "Working days late" cell in every milestone table (``facts.slip_cell``):
    working days after its baseline, counted as every slip in the deck is (the Achieved column
    once gave calendar days: M5 '+91' where its slip is 64 working days)."""
    return slip_cell(r.slip_days if r.baseline else None)


def _forecast_cell(r: MilestoneRow) -> str:
    """A slipped milestone's forecast: the date it is now expected (the recovery date the board is
    asked to note, as the next-period table and the window give it), marked when it was missed."""
    if r.status != MilestoneStatus.MISSED:
        return fmt_date(r.forecast)
    return f"{fmt_date(r.forecast)} (missed)" if r.forecast else "Missed"


def _change(r: MilestoneRow) -> str:
    if r.slip_before is None:
        return "new"
    d = r.slip_days - r.slip_before
    return "no change" if d == 0 else f"{d:+d}"
