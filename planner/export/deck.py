"""Build the board update deck from a plan: the slides, in order, and the export around them."""

from __future__ import annotations

import contextlib
import copy
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from planner.errors import PlanError
from planner.export import charts, facts
from planner.export.facts import (RAG_DEFINITIONS, ChallengeRow, MilestoneChanges, MilestoneRow,
                                  Summary, fmt_date, person_name)
from planner.export.template import Box, TemplateInfo, choose_layouts, open_template
from planner.export.timeline import timeline_slide
from planner.export.writer import (ACCENT, INK, MUTED, Cell, Col, DeckWriter, OutlineEntry,
                                   RAG_FILL, RAG_INK, Section, ShapeBatch, rag_cell,
                                   set_alt_text,
                                   wrap_count)
from planner.model import Plan

Progress = Callable[[float, str], None]
"""Called as ``progress(share_done, message)`` with ``share_done`` from 0 to 1."""


@dataclass
class ExportOptions:
    """What the user chose in the export dialog (or on the command line)."""

    output: str | Path
    template: str | Path | None = None  # None: the product's own templates/board.pptx
    as_of: date | None = None  # None: the plan's status date (else today)
    since: str | None = None  # snapshot uid, label or unique prefix; None: the latest
    summary: Summary | None = None  # the lead's edited text; None: kept text, else a draft
    keep_summary: bool = True  # store the summary used in the plan for next time
    store_snapshot: bool = True  # store a snapshot of the plan as this report's baseline
    measures: list[str] | None = None  # measure ids to chart; None: all
    spc_fix_after: int | None = None  # fix each chart's limits on its first N readings
    spc_rebase: dict[str, list[date]] = field(default_factory=dict)  # measure id -> change dates
    appendix: bool = True


@dataclass
class ExportReport:
    """What the export used and produced: template and layouts, comparison, slide outline."""

    output: str
    template: TemplateInfo
    outline: list[OutlineEntry]
    as_of: date
    compared_with: str
    previous_as_of: date | None
    snapshot_uid: str | None
    summary: Summary
    drafted: list[str]
    schedule_source: str
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    summary_edited: bool = False  # the lead's text came with the options (the export dialog)

    def lines(self) -> list[str]:
        """The report as lines of plain text for the command line or a dialog."""
        out = self.template.describe()
        out.append(f"Status date: {fmt_date(self.as_of)}; compared with {self.compared_with}")
        out.append(f"Schedule from: {self.schedule_source}")
        words = {"on_track": "on track?", "changed": "what changed", "next": "what next",
                 "decisions": "decisions"}
        if self.drafted:
            out.append("Executive summary drafted from the data for: "
                       + ", ".join(words[f] for f in self.drafted)
                       + " (edit it before export to use your own words)")
        kept = [f for f in Summary.FIELDS if f not in self.drafted]
        if self.summary_edited:
            out.append("Executive summary: the lead's edited text")
        elif kept:
            out.append("Executive summary uses the lead's text kept in the plan for: "
                       + ", ".join(words[f] for f in kept) + " (check it is still current)")
        out += self.notes
        out.append(f"{len(self.outline)} slides written to {self.output} in {self.seconds:.1f} s")
        if self.snapshot_uid:
            out.append(f"Snapshot stored for next time: {self.snapshot_uid[:8]}")
        return out


# ----- comparing with an earlier report -----------------------------------------------------------

_AS_OF_LABEL = re.compile(r"as of (\d{4}-\d{2}-\d{2})")


def snapshot_label(as_of: date, meeting: str = "") -> str:
    """The label stored with each export's snapshot; it carries the report's status date."""
    return f"Board report as of {as_of.isoformat()}" + (f" ({meeting})" if meeting else "")


def find_snapshot(doc, ref: str | None):
    """The snapshot named by uid, label or unique prefix (None: the latest); None if there is none."""
    snaps = doc.snapshots()
    if ref is None:
        return snaps[-1] if snaps else None
    ref = ref.strip()
    for s in snaps:
        if s.uid == ref or s.label == ref:
            return s
    hits = [s for s in snaps if s.uid.startswith(ref) or s.label.startswith(ref)]
    if len(hits) == 1:
        return hits[0]
    listing = "; ".join(f"{s.uid[:8]} '{s.label}'" for s in snaps[-8:]) or "none yet"
    if not hits:
        raise PlanError(f"No snapshot matches '{ref}'. Snapshots in this plan: {listing}.")
    raise PlanError(f"'{ref}' matches {len(hits)} snapshots; give more of its name or id. "
                    f"Snapshots: {listing}.")


def snapshot_as_of(info, plan: Plan) -> date:
    """The status date of the report a snapshot was taken for."""
    m = _AS_OF_LABEL.search(info.label or "")
    if m:
        with contextlib.suppress(ValueError):
            return date.fromisoformat(m.group(1))
    if plan.settings.as_of:
        return plan.settings.as_of
    return info.created.date() if isinstance(info.created, datetime) else date.today()


# ----- building the deck ----------------------------------------------------------------------------

@dataclass
class DeckFacts:
    """Everything the slides say, worked out before any slide is made."""

    plan: Plan
    as_of: date
    sched: facts.Schedule
    previous: Plan | None
    prev_as_of: date | None
    prev_sched: facts.Schedule | None
    rows: list[ChallengeRow]
    changes: MilestoneChanges
    draft: Summary
    summary: Summary
    drafted: list[str]


def gather(plan: Plan, as_of: date, previous: Plan | None, prev_as_of: date | None,
           summary: Summary | None = None) -> DeckFacts:
    """Work out the facts for a deck (schedules, RAG, milestone changes, summary draft)."""
    sched = facts.schedule(plan, as_of)
    prev_sched = facts.schedule(previous, prev_as_of or as_of) if previous is not None else None
    rows = facts.challenge_rows(plan, sched, previous, prev_sched)
    changes = facts.milestone_changes(plan, sched, previous, prev_sched, prev_as_of)
    draft = facts.draft_summary(plan, sched, rows, changes, prev_as_of)
    if summary is not None:
        used, drafted = summary, []
    else:
        used, drafted = facts.summary_from_settings(plan, draft)
    return DeckFacts(plan, as_of, sched, previous, prev_as_of, prev_sched, rows, changes, draft,
                     used, drafted)


def build_deck(plan: Plan, options: ExportOptions, *, previous: Plan | None = None,
               previous_as_of: date | None = None, compared_with: str = "",
               progress: Progress | None = None):
    """Make the deck in memory. Returns ``(presentation, report)``; nothing is written.

    Raises ``TemplateError`` (a ``PlanError``) if the template cannot be used.
    """
    t0 = time.perf_counter()
    say = progress or (lambda share, msg: None)
    say(0.0, "Opening the template")
    prs, info = open_template(options.template)
    layouts = choose_layouts(prs, info)
    as_of = options.as_of or plan.settings.as_of or date.today()
    say(0.1, "Working out the schedule and what changed")
    f = gather(plan, as_of, previous, previous_as_of, options.summary)
    st = plan.settings
    prev_text = (f"previous report {fmt_date(previous_as_of)}" if previous is not None
                 else "first report (no earlier snapshot)")
    status = f"{st.name} · Status as of {fmt_date(as_of)} · {prev_text[0].upper()}{prev_text[1:]}"
    if st.board_meeting:
        status += f" · {st.board_meeting}"
    w = DeckWriter(prs, layouts, info, status)

    say(0.2, "Cover and summary")
    _cover(w, f)
    _cover_sheet(w, f)
    _summary(w, f)
    say(0.3, "The ten challenges")
    _challenges(w, f)
    say(0.4, "Milestones")
    _milestones(w, f)
    say(0.55, "Timeline")
    timeline_slide(w, plan, f.sched, "Timeline by challenge")
    say(0.65, "Outcome measures")
    measures = [m for m in plan.measures.values()
                if options.measures is None or m.id in options.measures]
    charts.measure_slides(w, plan, measures, title="Outcome measures (SPC charts)",
                          fix_after=options.spc_fix_after, rebase=options.spc_rebase)
    say(0.8, "Risks and decisions")
    _risk_map(w, f)
    _risks(w, f)
    _decisions(w, f)
    if options.appendix:
        say(0.85, "Appendix")
        _actions_by_owner(w, f)
        _rag_definitions(w)
        _data_notes(w, f, info, compared_with or prev_text)
    w.finish()
    notes = []
    if f.sched.problem:
        notes.append(f.sched.problem)
    if previous_as_of and previous_as_of >= as_of:
        notes.append(f"Note: the report compared with has a status date ({fmt_date(previous_as_of)}) "
                     f"on or after this one ({fmt_date(as_of)}); pick an earlier one with --since.")
    report = ExportReport(str(options.output), info, w.outline, as_of,
                          compared_with or prev_text, previous_as_of, None, f.summary, f.drafted,
                          f.sched.source, notes)
    report.summary_edited = options.summary is not None
    report.seconds = time.perf_counter() - t0
    prs.core_properties.title = f"{st.name}: board update {fmt_date(as_of)}"
    prs.core_properties.subject = "Recovery plan board update"
    prs.core_properties.author = "Recovery Change Planner"
    say(0.95, "Deck built")
    return prs, report


def save_atomic(prs, output: str | Path) -> Path:
    """Write the deck beside its destination under a temporary name, then rename into place."""
    out = Path(output)
    if out.suffix.lower() != ".pptx":
        raise PlanError(f"The deck must be saved as a .pptx file (got '{out.name}').")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise PlanError(f"The folder '{folder}' does not exist.")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".pptx.tmp", dir=folder)
    os.close(fd)
    try:
        prs.save(tmp)
        os.replace(tmp, out)
    except PermissionError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise PlanError(f"'{out}' could not be written (is it open in PowerPoint?): "
                        f"{e.strerror or e}.") from e
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return out


@dataclass
class ExportJob:
    """What a deck is built from, read out of the document (so a worker thread need not touch it)."""

    plan: Plan
    options: ExportOptions
    previous: Plan | None = None
    previous_as_of: date | None = None
    compared_with: str = ""


def prepare_export(doc, options: ExportOptions, *, copy_plan: bool = True) -> ExportJob:
    """Read what the export needs from an open ``PlanDocument`` (on the thread that owns it).

    Finds the snapshot to compare with (``options.since`` or the latest; ``PlanError`` if the
    name matches none or several) and, by default, copies the plan so that a worker thread can
    build the deck while the window stays editable.
    """
    snap = find_snapshot(doc, options.since)
    job = ExportJob(copy.deepcopy(doc.plan) if copy_plan else doc.plan, options)
    if snap is not None:
        job.previous = doc.load_snapshot(snap.uid)
        job.previous_as_of = snapshot_as_of(snap, job.previous)
        job.compared_with = (f"snapshot '{snap.label}' ({snap.uid[:8]}, status date "
                             f"{fmt_date(job.previous_as_of)})")
    return job


def run_export(job: ExportJob, progress: Progress | None = None) -> ExportReport:
    """Build the deck and write it (temporary name, then rename). Safe on a worker thread."""
    prs, report = build_deck(job.plan, job.options, previous=job.previous,
                             previous_as_of=job.previous_as_of,
                             compared_with=job.compared_with, progress=progress)
    if progress:
        progress(0.97, "Saving")
    save_atomic(prs, job.options.output)
    return report


def finish_export(doc, job: ExportJob, report: ExportReport) -> ExportReport:
    """After the deck is written: keep the lead's summary and store the snapshot (owner thread)."""
    options = job.options
    if options.keep_summary and options.summary is not None:
        doc.update_settings(**options.summary.settings_fields())
    if options.store_snapshot:
        try:
            report.snapshot_uid = doc.save_snapshot(snapshot_label(report.as_of,
                                                                   doc.plan.settings.board_meeting))
        except Exception as e:  # the deck is written; say plainly that next time lacks a baseline
            report.notes.append(f"The deck was written, but the snapshot for next time could not "
                                f"be stored in the plan file ({e}).")
    return report


def export_deck(doc, options: ExportOptions, progress: Progress | None = None) -> ExportReport:
    """Build the deck for an open ``PlanDocument``, write it safely and store a snapshot.

    The comparison ("since the last report") uses ``options.since`` or the latest snapshot.
    If the lead edited the summary (``options.summary``) and ``keep_summary`` is set, the text is
    stored in the plan for next time. The snapshot is stored only after the deck is written.
    The three steps are also available one by one for a window that builds on a worker thread:
    :func:`prepare_export`, :func:`run_export`, :func:`finish_export`.
    """
    t0 = time.perf_counter()
    job = prepare_export(doc, options, copy_plan=False)
    report = run_export(job, progress)
    finish_export(doc, job, report)
    report.seconds = time.perf_counter() - t0
    if progress:
        progress(1.0, "Done")
    return report


# ----- the slides ------------------------------------------------------------------------------------

def _cover(w: DeckWriter, f: DeckFacts) -> None:
    st = f.plan.settings
    s = w.slide(f"{st.name}: board update", "cover", layout=w.layouts.cover,
                notes=(f"Board update on {st.name} for {st.organisation or 'the organisation'}, "
                       f"status as of {fmt_date(f.as_of)}. Purpose: {st.board_purpose}. "
                       f"Recommendation: {st.board_recommendation or 'to note the report'}."))
    lines = [st.organisation or "", st.board_meeting or "Board meeting",
             f"{fmt_date(st.board_date) if st.board_date else ''}"]
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


def _cover_sheet(w: DeckWriter, f: DeckFacts) -> None:
    st = f.plan.settings
    prev = fmt_date(f.prev_as_of) if f.previous is not None else "None: this is the first report"
    rows = [
        ["Report to", st.board_meeting or "—"],
        ["Meeting date", fmt_date(st.board_date)],
        ["Organisation", st.organisation or "—"],
        ["Purpose", Cell(st.board_purpose or "—", bold=True)],
        ["Level of assurance", Cell(st.board_assurance or "—", bold=True)],
        ["Recommendation", st.board_recommendation or "The board is asked to note the report."],
        ["Strategic objectives", st.board_objectives or "—"],
        ["Board Assurance Framework risks", st.board_baf_risks or "—"],
        ["CQC domains", st.board_cqc_domains or "—"],
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


def _summary(w: DeckWriter, f: DeckFacts) -> None:
    notes = "\n\n".join(f"{h}\n{getattr(f.summary, k)}" for k, h in SUMMARY_HEADINGS)
    s = w.slide("Executive summary", "summary", notes)
    b = w.box
    gap = Inches(0.2)
    cw, ch = (b.width - gap) // 2, (b.height - gap) // 2
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


def _challenges(w: DeckWriter, f: DeckFacts) -> None:
    first = f.previous is None
    cols = [Col("#", 0.35, "center"), Col("Challenge", 2.3), Col("Stage now", 1.15, max_lines=3),
            Col("Previous assessment", 1.25, max_lines=3), Col("Target", 1.15),
            Col("RAG last report", 0.85, "center"), Col("RAG now", 0.85, "center"),
            Col("Reason", 3.2)]
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


def _milestones(w: DeckWriter, f: DeckFacts) -> None:
    c = f.changes
    period = f"{fmt_date(c.since)} to {fmt_date(c.until)}"
    ms_cols = [Col("ID", 0.5), Col("Milestone", 3.0), Col("Owner", 1.3), Col("Baseline", 0.9),
               Col("Forecast", 0.9), Col("Working days late", 0.8, "right")]
    achieved = Section(
        "Achieved", [Col("ID", 0.5), Col("Milestone", 3.0), Col("Owner", 1.3),
                      Col("Baseline", 0.9), Col("Achieved", 0.9),
                      Col("Days vs baseline", 0.8, "right")],
        [[r.id, r.title, r.owner, fmt_date(r.baseline), fmt_date(r.actual or r.forecast),
          _days(r.actual, r.baseline)] for r in c.achieved],
        intro=(f"Since the last report ({period})." if not c.first_report else
               f"First report: achieved in the last {(c.until - c.since).days} days ({period})."),
        empty="No milestones were achieved in this period.", alt="Table: milestones achieved")
    changed = Section(
        "New and removed", [Col("Change", 0.7), Col("ID", 0.5), Col("Milestone", 3.0),
                            Col("Owner", 1.3), Col("Baseline", 0.9), Col("Forecast / note", 1.2)],
        [[Cell("New", bold=True), r.id, r.title, r.owner, fmt_date(r.baseline),
          fmt_date(r.forecast)] for r in c.new]
        + [[Cell("Removed", bold=True), r.id, r.title, r.owner, fmt_date(r.baseline),
            r.reason or ("Cancelled" if r.status == "cancelled" else "—")] for r in c.removed],
        empty=("First report: there is no earlier report to compare with." if c.first_report
               else "No milestones were added or removed since the last report."),
        alt="Table: milestones added or removed since the last report")
    due = Section(
        "Due next period", ms_cols,
        [[r.id, r.title, r.owner, fmt_date(r.baseline), fmt_date(r.forecast),
          str(max(0, r.slip_days))] for r in c.due_next],
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
        [Col("ID", 0.45), Col("Milestone", 2.0, max_lines=3), Col("Baseline", 0.8), Col("Forecast", 0.8),
         Col("Working days late", 0.75, "right"), Col("Change since last report", 0.8, "right"),
         Col("Reason given", 1.7, max_lines=4), Col("Root cause (from the schedule)", 2.7, max_lines=4)],
        [[r.id, r.title, fmt_date(r.baseline),
          "Missed" if r.status == "missed" else fmt_date(r.forecast),
          str(r.slip_days), "—" if c.first_report else _change(r), r.reason or "—",
          r.root_cause or "—"]
         for r in c.slipped],
        size=w.table_pt - 1,
        intro="Open milestones forecast after their baseline, worst first. The root cause is the "
              "first action in the chain of work that sets the date, from the schedule.",
        empty="No milestone is forecast after its baseline.",
        notes=_ms_notes("Slipped", c.slipped,
                        lambda r: f": {r.slip_days} working days late. {r.root_cause}"))


def _days(a: date | None, b: date | None) -> str:
    if not a or not b:
        return "—"
    d = (a - b).days
    return "on time" if d == 0 else f"{d:+d}"


def _change(r: MilestoneRow) -> str:
    if r.slip_before is None:
        return "new"
    d = r.slip_days - r.slip_before
    return "no change" if d == 0 else f"{d:+d}"


RISK_BANDS = [(15, "Red", "Extreme"), (8, "Amber", "High"), (4, "Amber", "Moderate"), (0, "Green", "Low")]


def risk_band(score: int) -> tuple[str, str]:
    for floor, colour, word in RISK_BANDS:
        if score >= floor:
            return colour, word
    return "Green", "Low"


def _risks(w: DeckWriter, f: DeckFacts) -> None:
    risks = sorted(f.plan.risks.values(), key=lambda r: (-r.likelihood * r.impact, r.id))
    rows = []
    for r in risks:
        score = r.likelihood * r.impact
        colour, word = risk_band(score)
        rows.append([r.id, r.title, str(r.likelihood), str(r.impact),
                     Cell(f"{score} {word}", RAG_FILL[colour], RAG_INK[colour], bold=True),
                     person_name(f.plan, r.owner), r.mitigation or "—"])
    w.table_slides("Risks", [Col("ID", 0.45), Col("Risk", 2.6, max_lines=3), Col("Likelihood", 0.7, "center"),
                             Col("Impact", 0.6, "center"), Col("Score", 0.8, "center"),
                             Col("Owner", 1.1), Col("Mitigation", 2.8, max_lines=3)],
                   rows, empty="No risks are recorded in the plan.",
                   intro="Scored likelihood × impact on a 5 × 5 grid, highest first.",
                   notes="\n".join(f"{r.id} {r.title}: score {r.likelihood * r.impact}. "
                                   f"Mitigation: {r.mitigation or 'none recorded'}." for r in risks))


BAND_FILL = {"Extreme": "F4B6B1", "High": "FFD08A", "Moderate": "FFF1B3", "Low": "B3DCC4"}
"""Light tints of the four bands, so that risk ids stay readable on them."""


def _risk_map(w: DeckWriter, f: DeckFacts) -> None:
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
            shape = w.textbox(grid, box, text, 11 if ids else 9, bold=bool(ids), ink=INK,
                              fill=BAND_FILL[word], align="center", anchor="middle",
                              name=f"Cell L{lk} I{im}")
            shape.line.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            shape.line.width = Pt(1.5)
    w.textbox(grid, Box(x0, y0 + 5 * side + Inches(0.05), 5 * side, Inches(0.3)),
              "Impact (1 = negligible … 5 = catastrophic) →", 10, ink=MUTED, align="center",
              name="Impact axis")
    w.textbox(grid, Box(x0 - label, y0, label - Inches(0.05), 5 * side),
              "Likelihood (1 = rare … 5 = almost certain) ↑", 10, ink=MUTED, align="right",
              anchor="middle", name="Likelihood axis")
    grid = batch.group("Risk map")
    list_left = x0 + 5 * side + Inches(0.4)
    if b.right - list_left > Inches(2.5):
        lines = [f"{r.id}  {r.title} ({r.likelihood * r.impact}, {risk_band(r.likelihood * r.impact)[1].lower()})"
                 for r in sorted(risks, key=lambda r: (-r.likelihood * r.impact, r.id))]
        box = Box(list_left, y0, b.right - list_left, 5 * side)
        text = "\n".join(lines)
        w.textbox(s, box, text, w.fitting_size(text, box.width - Inches(0.1), box.height,
                                               sizes=(14, 12, 11, 10, 9)),
                  ink=INK, name="Risk list")
    set_alt_text(grid, "Risk map, likelihood by impact: " + "; ".join(
        f"{', '.join(ids)} at likelihood {lk}, impact {im}" for (lk, im), ids in sorted(cells.items())))


def _decisions(w: DeckWriter, f: DeckFacts) -> None:
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


MAX_LIVE_ACTIONS = 120
"""Most rows in the live-actions appendix (about six slides)."""


def _actions_by_owner(w: DeckWriter, f: DeckFacts) -> None:
    plan, sched = f.plan, f.sched
    horizon = f.changes.next_until
    per: dict[str, dict[str, int]] = {}
    detail = []
    for a in plan.actions.values():
        if a.status == "cancelled":
            continue
        key = a.owner or ""
        c = per.setdefault(key, {"open": 0, "progress": 0, "late": 0, "due": 0, "done": 0})
        if a.status == "done":
            c["done"] += 1
            continue
        c["open"] += 1
        if a.status == "in progress":
            c["progress"] += 1
        dates = sched.actions.get(a.id)
        finish = dates[1] if dates else None
        late = bool(a.deadline and finish and finish > a.deadline)
        due = bool(finish and f.as_of <= finish <= horizon)
        c["late"] += late
        c["due"] += due
        if late or due or a.status == "in progress":
            detail.append((person_name(plan, a.owner), finish or date.max, a, late))
    owners = sorted(per, key=lambda k: (person_name(plan, k) if k else "~", k))
    rows = [[person_name(plan, k), str(per[k]["open"]), str(per[k]["progress"]),
             str(per[k]["due"]), Cell(str(per[k]["late"]), *(("FFB81C", INK) if per[k]["late"] else (None, None))),
             str(per[k]["done"])] for k in owners]
    w.table_slides("Appendix: actions by owner",
                   [Col("Owner", 2.2), Col("Open", 0.7, "right"), Col("In progress", 0.8, "right"),
                    Col(f"Finishing by {fmt_date(horizon)}", 1.1, "right"),
                    Col("Past deadline", 0.8, "right"), Col("Done", 0.7, "right")],
                   rows, empty="No actions are recorded in the plan.",
                   notes="Counts of actions per owner. Past deadline: forecast to finish after "
                         "the action's deadline.")
    total_live = len(detail)
    if total_live > MAX_LIVE_ACTIONS:  # keep the appendix readable: the most pressing first
        detail.sort(key=lambda t: (not t[3], t[1], t[2].id))
        detail = detail[:MAX_LIVE_ACTIONS]
    detail.sort(key=lambda t: (t[0], t[1], t[2].id))
    w.table_slides("Appendix: live actions by owner",
                   [Col("Owner", 1.3), Col("ID", 0.5), Col("Action", 3.2), Col("Challenges", 0.8),
                    Col("Forecast finish", 0.9), Col("Status", 0.9)],
                   [[owner, a.id, a.title, ", ".join(f"C{n}" for n in a.challenges),
                     fmt_date(fin if fin != date.max else None),
                     Cell("Past deadline", "FFB81C", INK, True) if late else f"{a.status}"
                     + (f" ({a.percent}%)" if a.status == "in progress" and a.percent else "")]
                    for owner, fin, a, late in detail],
                   size=w.table_pt - 1,
                   intro=f"Actions in progress, finishing by {fmt_date(horizon)}, or past their "
                         "deadline."
                         + (f" The {MAX_LIVE_ACTIONS} most pressing of {total_live} are listed "
                            "(past deadline first, then soonest to finish); the plan holds the "
                            "rest." if total_live > MAX_LIVE_ACTIONS else ""),
                   empty="No live actions this period.",
                   notes=f"{len(detail)} live actions: in progress, finishing by "
                         f"{fmt_date(horizon)}, or forecast past their deadline "
                         f"({sum(1 for *_, late in detail if late)} of them).")


def _rag_definitions(w: DeckWriter) -> None:
    w.table_slides("Appendix: RAG definitions",
                   [Col("Rating", 0.8, "center"), Col("Meaning", 6.0, max_lines=3)],
                   [[rag_cell(c), text] for c, text in RAG_DEFINITIONS],
                   size=w.table_pt + 1,
                   intro="Each challenge is rated from its milestones and actions in the plan; "
                         "last period's rating is worked out the same way from the last "
                         "report's snapshot.",
                   notes="How the RAG ratings are decided.")


def _data_notes(w: DeckWriter, f: DeckFacts, info: TemplateInfo, compared: str) -> None:
    plan = f.plan
    few = [m.name for m in plan.measures.values()
           if 0 < len(plan.readings_of(m.id)) < 12]
    none = [m.name for m in plan.measures.values() if not plan.readings_of(m.id)]
    items = [
        f"Status date {fmt_date(f.as_of)}; compared with {compared}.",
        (f"Dates and slips come from the plan's schedule ({f.sched.source}); slips are counted "
         "in working days against each milestone's baseline.") if not f.sched.problem
        else f.sched.problem,
        "Outcome measures are drawn as XmR (SPC) charts: the centre line is the mean; process "
        "limits are the mean ± 2.66 × the mean moving range. Special cause: a point beyond a "
        "limit; 7 points in a row on one side of the mean; 7 points in a row rising or falling; "
        "2 of 3 points beyond two-thirds of the way to a limit on the same side.",
        f"The plan holds {len(plan.actions)} actions, {len(plan.milestones)} milestones, "
        f"{len(plan.measures)} outcome measures with {len(plan.readings)} readings and "
        f"{len(plan.risks)} risks.",
    ]
    sources = [f"{m.name}: {m.source}" for m in plan.measures.values() if m.source]
    if sources:
        items.append("Measure sources: " + "; ".join(sources[:15])
                     + (f"; and {len(sources) - 15} more." if len(sources) > 15 else "."))
    if few:
        items.append("Fewer than 12 readings (limits provisional): " + ", ".join(few) + ".")
    if none:
        items.append("No readings yet: " + ", ".join(none) + ".")
    if f.drafted:
        items.append("Parts of the executive summary were drafted from the data, not written "
                     "by the lead.")
    items.append(f"Slide template: {Path(info.path).name} ({info.aspect}).")
    w.bullets("Appendix: data notes", items, size=14,
              notes="Where the figures come from and how they were worked out.")
