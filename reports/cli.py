"""Command-line form of the board deck export: ``python main.py export PLAN --pptx OUT.pptx``."""

from __future__ import annotations

from datetime import date
from typing import TextIO

from reports.deck import ExportOptions, export_deck


def run_export(plan_path: str, pptx: str, template: str | None, as_of: date | None,
               since: str | None, out: TextIO, presented: bool = False) -> int:
    """Write the board deck for a plan file; print what was used. Raises ``PlanError`` on user errors.

    The deck is written under a temporary name and renamed into place. With ``presented`` (the
    deck that goes to the board) a snapshot of the plan is stored in the plan file once the deck
    exists, so the next report compares with it; a draft stores nothing.
    """
    from planner.document import PlanDocument

    with PlanDocument.open(plan_path) as doc:
        report = export_deck(doc, ExportOptions(output=pptx, template=template, as_of=as_of,
                                                since=since, store_snapshot=presented))
    for line in report.lines():
        out.write(line + "\n")
    out.write("Slides:\n")
    for entry in report.outline:
        out.write(f"  {entry.number:>3}. {entry.title}\n")
    return 0


def run_export_ics(plan_path: str, ics: str, owner: str | None, out: TextIO) -> int:
    """Write milestones and governance dates to an iCalendar file."""
    from planner.document import PlanDocument
    from reports.ics import export_ics

    with PlanDocument.open(plan_path) as doc:
        n = export_ics(doc.plan, ics, owner)
    who = f" for {owner}" if owner else ""
    out.write(f"Wrote {n} event{'s' if n != 1 else ''}{who} to '{ics}'. Importing it again "
              "updates the same events.\n")
    return 0


def run_export_mspdi(plan_path: str, xml: str, out: TextIO) -> int:
    """Write a plan as MS Project XML."""
    from planner.document import PlanDocument
    from reports.mspdi import export_mspdi

    with PlanDocument.open(plan_path) as doc:
        report = export_mspdi(doc.plan, xml)
    out.write(f"Wrote '{xml}': {report.tasks} tasks, {report.milestones} milestones, "
              f"{report.links} links, {report.resources} people.\n")
    for item in report.left_out:
        out.write(f"  left out: {item}\n")
    return 0
