"""Command-line form of the board deck export: ``python main.py export PLAN --pptx OUT.pptx``."""

from __future__ import annotations

from datetime import date
from typing import TextIO

from reports.deck import ExportOptions, export_deck


def run_export(plan_path: str, pptx: str, template: str | None, as_of: date | None,
               since: str | None, out: TextIO) -> int:
    """Write the board deck for a plan file; print what was used. Raises ``PlanError`` on user errors.

    The deck is written under a temporary name and renamed into place, and a snapshot of the
    plan is stored in the plan file only once the deck exists, so a failure leaves nothing
    half-done.
    """
    from planner.document import PlanDocument

    with PlanDocument.open(plan_path) as doc:
        report = export_deck(doc, ExportOptions(output=pptx, template=template, as_of=as_of,
                                                since=since))
    for line in report.lines():
        out.write(line + "\n")
    out.write("Slides:\n")
    for entry in report.outline:
        out.write(f"  {entry.number:>3}. {entry.title}\n")
    return 0
