"""Excel exchange: read a plan workbook into a Plan, and write a Plan out as a workbook.

Recovery leads keep plans in Excel, so the workbook speaks their language: owners are people's
names, challenges are numbers such as ``2, 3``, dates are real Excel dates. Headers and sheet names
are matched ignoring case, spaces and punctuation, so ``"Actual  start "`` finds *Actual start*.

Import is all-or-nothing: :func:`read_workbook` collects every problem it finds, each naming the
sheet, row and column as Excel shows them, and raises :class:`ImportProblems` with all of them;
:func:`import_workbook` only writes a plan file when there are none, and writes it to a temporary
file first so that a half-written plan never exists.

Beyond the sheets the issue lists (Plan, People, Actions, Dependencies, Milestones, Measures,
Readings, Assessments), export adds Initiatives, Challenges, Phases, Risks and Holidays sheets, a
hidden UID column on every record sheet and extra Action columns, so nothing in the model is lost
on a round trip. All of those are optional on import.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from planner.errors import PlanError
from planner.files import write_whole
from planner.model import Plan

# The modules below hold the work: columns (the format), values (reading cells), read and build
# (workbook to Plan), write (Plan to workbook). Their tables, parse_date and _write stay
# importable from here as they were before the split; this module keeps the file operations.
from planner.xlsx.columns import (
    ALIASES, GUIDE, GUIDE_SHEET, NON_DATA_SHEETS, PLAN_KEYS, REQUIRED, SHEETS, normalise,
)
from planner.xlsx.read import read_workbook
from planner.xlsx.values import NO, STATUS_SYNONYMS, YES, parse_date
from planner.xlsx.write import _write

__all__ = [
    "SHEETS", "PLAN_KEYS", "GUIDE", "read_workbook", "write_workbook", "import_workbook",
    "export_workbook", "export_plan", "write_blank_workbook", "normalise",
]


def _atomic(path: str | os.PathLike, writer: Callable[[Path], None]) -> None:
    """Run ``writer`` on a temporary file beside ``path``, then move it into place."""
    write_whole(path, writer, "The workbook was not written")


def write_workbook(plan: Plan, path: str | os.PathLike,
                   lineage: list[tuple[str, str]] | None = None) -> None:
    """Write ``plan`` as a workbook at ``path`` (via a temporary file, so never half-written).

    ``lineage`` (from ``planner.packs.workbook_lineage``) goes in a hidden Lineage sheet, so the
    edited workbook can be merged back into the plan it came from.
    """
    _atomic(path, lambda tmp: _write(plan, tmp, lineage=lineage))


def export_workbook(plan: Plan, workbook_path: str | os.PathLike,
                    lineage: list[tuple[str, str]] | None = None) -> None:
    """Export an in-memory plan to ``workbook_path``; what ``main.py export-xlsx`` calls."""
    write_workbook(plan, workbook_path, lineage)


def write_blank_workbook(path: str | os.PathLike) -> None:
    """The empty exchange workbook (headers, drop-down lists and the Guide sheet)."""
    _atomic(path, lambda tmp: _write(None, tmp))


def import_workbook(workbook_path: str | os.PathLike, plan_path: str | os.PathLike,
                    force: bool = False) -> list[str]:
    """Import a workbook as a new plan file; returns the warnings.

    Refuses (PlanError) to replace an existing plan file unless ``force``. On any problem raises
    ImportProblems and writes nothing; the plan file appears only once completely written.
    """
    doc, warnings = import_workbook_opened(workbook_path, plan_path, force)
    doc.close()
    return warnings


def import_workbook_opened(workbook_path: str | os.PathLike, plan_path: str | os.PathLike,
                           force: bool = False):
    """``import_workbook``, returning the new plan file opened (a ``PlanDocument``) as well.

    Creating the file reads it back and checks it once; a caller that wants to report on the
    new plan uses this document rather than opening and checking the file a second time.
    """
    from planner.document import PlanDocument

    target = Path(plan_path)
    if target.exists() and not force:
        raise PlanError(f"'{target}' already exists; choose another name (or --force to "
                        f"replace it).")
    from planner.storage import collector_paused

    with collector_paused():  # the records hold no cycles (issue 13)
        plan, warnings = read_workbook(workbook_path)
        # PlanDocument.create builds the file under a temporary name and renames it into
        # place, so a failure part-way never leaves a half-written plan.
        return PlanDocument.create(target, plan, overwrite=force), warnings


def export_plan(plan_path: str | os.PathLike, workbook_path: str | os.PathLike) -> None:
    """Export the plan file at ``plan_path`` to a workbook."""
    from planner.document import PlanDocument

    doc = PlanDocument.open(plan_path)
    try:
        export_workbook(doc.plan, workbook_path)
    finally:
        doc.close()
