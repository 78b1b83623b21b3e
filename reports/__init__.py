"""Board update deck (PowerPoint) from a plan, in the product's or the organisation's template.

For the export dialog::

    from reports import ExportOptions, export_deck, preview_summary
    summary = preview_summary(doc, as_of=None, since=None)      # to edit before export
    report = export_deck(doc, ExportOptions(output="board.pptx", summary=summary),
                         progress=lambda share, message: ...)
    report.lines()      # template and layouts used, comparison, where the deck went
    report.outline      # [OutlineEntry(number, title, kind), ...]

On a worker thread: ``job = prepare_export(doc, options)`` on the document's thread (it copies
the plan), ``report = run_export(job, progress)`` on the worker (builds and writes the deck),
then ``finish_export(doc, job, report)`` back on the document's thread (keeps the summary,
stores the snapshot). ``build_deck(plan, options, previous=..., previous_as_of=...)`` makes the
deck in memory without touching any file. Nothing here imports Qt.
"""

from __future__ import annotations

from datetime import date

from reports.deck import (SECTIONS, ExportJob, ExportOptions, ExportReport, build_deck,
                                 export_deck, find_snapshot, finish_export, gather,
                                 prepare_export, run_export, snapshot_as_of,
                                 snapshot_label)
from reports.facts import Summary
from reports.template import TemplateError, TemplateInfo
from reports.writer import OutlineEntry

__all__ = ["SECTIONS", "ExportJob", "ExportOptions", "ExportReport", "OutlineEntry", "Summary",
           "TemplateError", "TemplateInfo", "build_deck", "export_deck", "finish_export",
           "prepare_export", "preview_summary", "run_export", "find_snapshot", "snapshot_label"]


def preview_summary(doc, as_of: date | None = None, since: str | None = None) -> tuple[Summary, Summary]:
    """``(text to show, fresh draft)`` for the executive summary editor in the export dialog.

    The text to show is the lead's kept text where there is some and the draft elsewhere.
    """
    snap = find_snapshot(doc, since)
    previous = prev_as_of = None
    if snap is not None:
        previous = doc.load_snapshot(snap.uid)
        prev_as_of = snapshot_as_of(snap, previous)
    as_of = as_of or doc.plan.settings.as_of or date.today()
    f = gather(doc.plan, as_of, previous, prev_as_of)
    return f.summary, f.draft
