"""Build the board update deck from a plan: the slides, in order, and the export around them.

The slides themselves are in ``slides_front``, ``slides_risks`` and ``slides_appendix``; the facts
they state are gathered in ``deck_facts``.
"""

from __future__ import annotations

import contextlib
import copy
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from planner import operations
from planner.errors import PlanError
from planner.files import replaced_atomically
from reports import charts
from reports.assurance import check_assurance
from reports.deck_facts import DeckFacts, gather
from reports.facts import Summary, fmt_date
from reports.slides_appendix import (actions_by_owner_slides, data_notes_slide,
                                            rag_definitions_slide)
from reports.slides_front import (challenges_slide, cover_sheet_slide, cover_slide,
                                         milestone_slides, summary_slide)
from reports.slides_risks import decisions_slide, risk_map_slide, risks_slide
from reports.template import TemplateInfo, choose_layouts, open_template
from reports.slides_voice import rollup_slide, you_said_slide
from reports.timeline import timeline_slide
from reports.deck_package import remember_partnames, save_package
from reports.writer import DeckWriter, OutlineEntry
from planner.model import Plan

if TYPE_CHECKING:
    from pptx.presentation import Presentation

    from planner.document import PlanDocument, SnapshotInfo

__all__ = ["SECTIONS", "DeckFacts", "ExportJob", "ExportOptions", "ExportReport", "build_deck", "export_deck",
           "find_snapshot", "finish_export", "gather", "prepare_export", "run_export",
           "save_atomic", "snapshot_as_of", "snapshot_label", "snapshot_name"]

Progress = Callable[[float, str], None]
"""Called as ``progress(share_done, message)`` with ``share_done`` from 0 to 1."""

SECTIONS: dict[str, str] = {
    "summary": "Executive summary",
    "challenges": "The ten challenges",
    "milestones": "Milestones",
    "timeline": "Timeline",
    "voice": "Co-production and lived experience",
    "outcomes": "Outcome measures (SPC charts)",
    "risks": "Risks and decisions required",
    "appendix": "Appendix",
}
"""The parts of the deck a lead can leave out (the cover and cover sheet are always there)."""


@dataclass
class ExportOptions:
    """What the user chose in the export dialog (or on the command line)."""

    output: str | Path
    template: str | Path | None = None  # None: the product's own templates/board.pptx
    as_of: date | None = None  # None: the plan's status date (else today)
    since: str | None = None  # snapshot uid, label or unique prefix; None: the latest
    summary: Summary | None = None  # the lead's edited text; None: kept text, else a draft
    keep_summary: bool = True  # store the summary used in the plan for next time
    store_snapshot: bool = False  # this deck is the one presented: store a snapshot of the plan
    # so the next report compares with it (decks only drafted or previewed store nothing)
    measures: list[str] | None = None  # measure ids to chart; None: all
    spc_fix_after: int | None = None  # fix each chart's limits on its first N readings
    spc_rebase: dict[str, list[date]] = field(default_factory=dict)  # measure id -> change dates
    appendix: bool = True
    sections: frozenset[str] | None = None  # keys of SECTIONS to include; None: all

    def wants(self, section: str) -> bool:
        """Whether a part of the deck is to be made."""
        if section == "appendix" and not self.appendix:
            return False
        return self.sections is None or section in self.sections


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
            out.append(f"Marked as the deck presented: snapshot {self.snapshot_uid[:8]} stored, so "
                       "the next report compares with this one")
        else:
            out.append("Not marked as presented: no snapshot stored (use --presented for the "
                       "deck that goes to the board)")
        return out


# ----- comparing with an earlier report -----------------------------------------------------------

_AS_OF_LABEL = re.compile(r"as of (\d{4}-\d{2}-\d{2})")


def snapshot_label(as_of: date, meeting: str = "") -> str:
    """The label stored with each export's snapshot; it carries the report's status date."""
    return f"Board report as of {as_of.isoformat()}" + (f" ({meeting})" if meeting else "")


def find_snapshot(doc: PlanDocument, ref: str | None,
                  before: date | None = None) -> SnapshotInfo | None:
    """The snapshot named by uid, label or unique prefix; None if there is none.

    With no name, the previous report: the latest snapshot whose status date is earlier than
    ``before`` (this report's status date), so a snapshot stored for this same report, or for a
    later one, is never taken as "the last report".
    """
    snaps = doc.snapshots()
    if ref is None:
        if before is None:
            return snaps[-1] if snaps else None
        earlier = [(_label_as_of(s), i, s) for i, s in enumerate(snaps)]
        earlier = [t for t in earlier if t[0] is not None and t[0] < before]
        return max(earlier, key=lambda t: (t[0], t[1]))[2] if earlier else None
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


def _named_as_of(info: SnapshotInfo) -> date | None:
    """The status date a snapshot's label names ("... as of 2026-05-01"), if it names one."""
    m = _AS_OF_LABEL.search(info.label or "")
    if m:
        with contextlib.suppress(ValueError):
            return date.fromisoformat(m.group(1))
    return None


def _stored_on(info: SnapshotInfo) -> date | None:
    """The day a snapshot was stored (None if its time is not known)."""
    return info.created.date() if isinstance(info.created, datetime) else None


def snapshot_name(info: SnapshotInfo) -> str:
    """A snapshot as people read it: its label with the status date it names written as every
    date is ("Board report as of 4 Sep 2026 (Trust Board)"; the label keeps the ISO date, which
    ``--since`` matches), else its label and the day it was stored."""
    named = _named_as_of(info)
    if named is not None:
        return _AS_OF_LABEL.sub(f"as of {fmt_date(named)}", info.label or "", count=1)
    stored = _stored_on(info)
    return f"{info.label} (stored {fmt_date(stored)})" if stored else (info.label or "")


def _label_as_of(info: SnapshotInfo) -> date | None:
    """A snapshot's status date from its label, else the day it was stored."""
    return _named_as_of(info) or _stored_on(info)


def snapshot_as_of(info: SnapshotInfo, plan: Plan) -> date:
    """The status date of the report a snapshot was taken for: the one its label names, else the
    plan's status date, else the day it was stored."""
    return _named_as_of(info) or plan.settings.as_of or _stored_on(info) or date.today()


# ----- building the deck ----------------------------------------------------------------------------

def build_deck(plan: Plan, options: ExportOptions, *, previous: Plan | None = None,
               previous_as_of: date | None = None, compared_with: str = "",
               progress: Progress | None = None) -> tuple[Presentation, ExportReport]:
    """Make the deck in memory. Returns ``(presentation, report)``; nothing is written.

    Raises ``TemplateError`` (a ``PlanError``) if the template cannot be used.
    """
    t0 = time.perf_counter()
    say = progress or (lambda share, msg: None)
    say(0.0, "Opening the template")
    prs, info = open_template(options.template)
    remember_partnames(prs)
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

    unknown = set(options.sections or ()) - set(SECTIONS)
    if unknown:
        raise PlanError(f"The deck has no section {', '.join(sorted(unknown))} "
                        f"(sections: {', '.join(SECTIONS)}).")
    say(0.2, "Cover and summary")
    cover_slide(w, f)
    cover_sheet_slide(w, f)
    if options.wants("summary"):
        summary_slide(w, f)
    if options.wants("challenges"):
        say(0.3, "The ten challenges")
        challenges_slide(w, f)
    if options.wants("milestones"):
        say(0.4, "Milestones")
        milestone_slides(w, f)
    if options.wants("timeline"):
        say(0.55, "Timeline")
        timeline_slide(w, plan, f.sched, "Timeline by challenge")
    if options.wants("voice"):
        say(0.6, "Co-production and lived experience")
        rollup_slide(w, f)
        you_said_slide(w, f)
    if options.wants("outcomes"):
        say(0.65, "Outcome measures")
        measures = [m for m in plan.measures.values()
                    if options.measures is None or m.id in options.measures]
        charts.summary_slides(w, plan, measures)
        charts.measure_slides(w, plan, measures, title="Outcome measures (SPC charts)",
                              fix_after=options.spc_fix_after, rebase=options.spc_rebase)
    if options.wants("risks"):
        say(0.8, "Risks and decisions")
        risk_map_slide(w, f)
        risks_slide(w, f)
        decisions_slide(w, f)
    if options.wants("appendix"):
        say(0.85, "Appendix")
        actions_by_owner_slides(w, f)
        rag_definitions_slide(w)
        data_notes_slide(w, f, info, compared_with or prev_text)
    w.finish()
    notes = []
    if f.sched.problem:
        notes.append(f.sched.problem)
    if previous_as_of and previous_as_of >= as_of:
        notes.append(f"Note: the report compared with has a status date ({fmt_date(previous_as_of)}) "
                     f"on or after this one ({fmt_date(as_of)}); pick an earlier one with --since.")
    check = check_assurance(plan)
    if check.contradicted:
        notes.append("Assurance check: " + check.message)
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


def save_atomic(prs: Presentation, output: str | Path) -> Path:
    """Write the deck beside its destination under a temporary name, then rename into place."""
    out = Path(output)
    if out.suffix.lower() != ".pptx":
        raise PlanError(f"The deck must be saved as a .pptx file (got '{out.name}').")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise PlanError(f"The folder '{folder}' does not exist.")
    try:
        with replaced_atomically(out) as tmp:
            save_package(prs, str(tmp))
    except PermissionError as e:
        raise PlanError(f"'{out}' could not be written (is it open in PowerPoint?): "
                        f"{e.strerror or e}.") from e
    return out


@dataclass
class ExportJob:
    """What a deck is built from, read out of the document (so a worker thread need not touch it)."""

    plan: Plan
    options: ExportOptions
    previous: Plan | None = None
    previous_as_of: date | None = None
    compared_with: str = ""


def prepare_export(doc: PlanDocument, options: ExportOptions, *, copy_plan: bool = True) -> ExportJob:
    """Read what the export needs from an open ``PlanDocument`` (on the thread that owns it).

    Finds the snapshot to compare with (``options.since`` or the latest; ``PlanError`` if the
    name matches none or several) and, by default, copies the plan so that a worker thread can
    build the deck while the window stays editable.
    """
    as_of = options.as_of or doc.plan.settings.as_of or date.today()
    snap = find_snapshot(doc, options.since, before=as_of)
    job = ExportJob(copy.deepcopy(doc.plan) if copy_plan else doc.plan, options)
    if snap is not None:
        job.previous = doc.load_snapshot(snap.uid)
        job.previous_as_of = snapshot_as_of(snap, job.previous)
        job.compared_with = (f"snapshot '{snapshot_name(snap)}' ({snap.uid[:8]}, status date "
                             f"{fmt_date(job.previous_as_of)})")
    return job


def run_export(job: ExportJob, progress: Progress | None = None) -> ExportReport:
    """Build the deck and write it (temporary name, then rename). Safe on a worker thread.

    Python's cycle collector is held off meanwhile: the deck's tens of thousands of new XML
    proxies and strings would otherwise set it walking the whole plan in memory again and again
    (about a tenth of the 2,000-action deck's time, issue 13); it runs as usual afterwards."""
    from planner.storage import collector_paused

    with collector_paused():
        prs, report = build_deck(job.plan, job.options, previous=job.previous,
                                 previous_as_of=job.previous_as_of,
                                 compared_with=job.compared_with, progress=progress)
        if progress:
            progress(0.97, "Saving")
        save_atomic(prs, job.options.output)
    return report


def finish_export(doc: PlanDocument, job: ExportJob, report: ExportReport) -> ExportReport:
    """After the deck is written: keep the lead's summary and store the snapshot (owner thread)."""
    options = job.options
    if options.keep_summary and options.summary is not None:
        operations.store_board_cover(doc, **options.summary.settings_fields())
    if options.store_snapshot:
        try:
            report.snapshot_uid = doc.save_snapshot(snapshot_label(report.as_of,
                                                                   doc.plan.settings.board_meeting))
        except Exception as e:  # the deck is written; say plainly that next time lacks a baseline
            report.notes.append(f"The deck was written, but the snapshot for next time could not "
                                f"be stored in the plan file ({e}).")
    return report


def export_deck(doc: PlanDocument, options: ExportOptions, progress: Progress | None = None) -> ExportReport:
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
