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
    from reports.ics import write_calendar

    with PlanDocument.open(plan_path) as doc:
        out.write(write_calendar(doc.plan, ics, owner) + "\n")
    return 0


def run_export_mspdi(plan_path: str, xml: str, out: TextIO) -> int:
    """Write a plan as MS Project XML."""
    from planner.document import PlanDocument
    from reports.mspdi import write_project

    with PlanDocument.open(plan_path) as doc:
        lines = write_project(doc.plan, xml)
    for line in lines:
        out.write(line + "\n")
    return 0
