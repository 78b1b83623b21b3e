"""Command-line forms of the plan core: new, validate, info, import-xlsx, export-xlsx."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from typing import Any, TextIO

from .dates import short_date
from .document import PlanDocument
from .storage import collector_paused
from .model import KINDS, Plan


keep_until_exit: list | None = None
"""When a list (set by main.py for ``info`` and ``validate`` run as a program, which leave with
``os._exit``), the plans those commands read are kept in it, so that they are not freed record by
record just before the program leaves anyway (issue 13). None otherwise: nothing is kept."""


def exit_at_once(code: int) -> None:
    """Flush standard output and error, then leave the process at once (``os._exit``), without
    freeing every object and module first (issue 13). Returns instead if flushing fails (output
    piped into a program that stopped reading): the usual exit then says what went wrong, as it
    always has. Only for a program with nothing left to write: files closed, work finished."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        return
    os._exit(code)


def _keep(doc: PlanDocument, *more: Any) -> None:
    if keep_until_exit is not None:
        keep_until_exit.append(doc.plan)
        keep_until_exit.extend(more)


def open_plan(path: str, readonly: bool = True,
              columns: dict[str, dict[str, tuple]] | None = None,
              unbuilt: dict[str, Any] | None = None) -> PlanDocument:
    """Open a plan for a command, telling the user (on stderr) anything opening it did.

    Commands that only read (validate, info, sequence, export-xlsx...) open it read-only, so they
    never change the file: a WAL-mode plan stays WAL, its bytes and time stamp stay the same.
    ``columns``, ``unbuilt``: as ``PlanDocument.open`` (the stored columns of the tables read
    exactly; kinds whose records may be left unbuilt).
    """
    return _with_notices(PlanDocument.open(path, readonly=readonly, columns=columns,
                                           unbuilt=unbuilt))


def _with_notices(doc: PlanDocument) -> PlanDocument:
    for notice in doc.notices:
        sys.stderr.write(f"note: {notice}\n")
    return doc


def counts(plan: Plan) -> dict[str, int]:
    """How many records of each kind the plan holds."""
    return {KINDS[k].table: len(plan.collection(k)) for k in
            ("action", "dependency", "milestone", "measure", "reading", "person", "assessment",
             "challenge", "initiative", "risk", "phase")}


def run_new(path: str, template: str | None, out: TextIO) -> int:
    """Create a plan: the ten challenges alone, or a named starter template."""
    plan = None
    if template:
        from .templates import load_template

        plan = load_template(template)
        if plan.settings.start is None:
            plan.settings.start = date.today()
        if plan.settings.as_of is None:
            plan.settings.as_of = plan.settings.start
    with PlanDocument.create(path, plan) as doc:
        c = counts(doc.plan)
        out.write(f"Created '{path}' with {c['challenges']} challenges, {c['actions']} actions "
                  f"and {c['milestones']} milestones.\n")
    return 0


def run_validate(path: str, out: TextIO) -> int:
    """List every problem in a plan; exit 0 when there are none, 1 when some are listed."""
    with collector_paused():  # the plan is gone again before the collector resumes
        problems = _problems(path)
    if not problems:
        out.write(f"'{path}': no problems found.\n")
        return 0
    out.write(f"'{path}': {len(problems)} problem{'s' if len(problems) != 1 else ''} found:\n")
    for p in problems:
        out.write(f"  - {p}\n")
    return 1


def _problems(path: str) -> list[str]:
    """Every problem ``validate`` lists, in its order."""
    from .domain_checks import domain_messages  # only validate needs the rules (not info)
    from .validate import future_actuals, plan_warnings, validate_plan

    columns: dict[str, dict[str, tuple]] = {}
    unbuilt: dict[str, Any] = {"dependency": None}
    with open_plan(path, columns=columns, unbuilt=unbuilt) as doc:
        _keep(doc, columns, unbuilt)
        # read=True: the plan is as it was read, every value inside its range; the checks
        # read whole columns of its text and whole-number fields as they were read, and the
        # links' records are built only if a check needs them one by one
        return (validate_plan(doc.plan, read=True, columns=columns,
                              unbuilt_links=unbuilt["dependency"]) + future_actuals(doc.plan)
                + plan_warnings(doc.plan, columns=columns)
                + domain_messages(doc.plan, columns=columns))


def run_info(path: str, as_json: bool, out: TextIO) -> int:
    """Print the schema version, as-of date and record counts of a plan."""
    from .storage import SCHEMA_VERSION

    with open_plan(path) as doc:
        _keep(doc)
        plan = doc.plan
        c = counts(plan)
        info = {"schema_version": SCHEMA_VERSION,
                "as_of": plan.settings.as_of.isoformat() if plan.settings.as_of else None,
                **{k: c[k] for k in ("actions", "dependencies", "milestones", "measures",
                                     "readings", "people", "assessments", "challenges")}}
        if as_json:
            out.write(json.dumps(info, indent=2) + "\n")
            return 0
        s = plan.settings
        out.write(f"{s.name}" + (f" — {s.organisation}" if s.organisation else "") + "\n")
        out.write(f"  file format     {info['schema_version']}\n")
        # the status date, named and written as the window's header and every slide give it
        out.write(f"  status date     {short_date(plan.settings.as_of, 'not set')}\n")
        for key in ("challenges", "people", "initiatives", "actions", "dependencies",
                    "milestones", "measures", "readings", "assessments", "risks"):
            out.write(f"  {key:<15} {c[key]}\n")
    return 0


def run_import_xlsx(workbook: str, path: str, force: bool, out: TextIO) -> int:
    """Build a new plan file from an Excel workbook (all or nothing)."""
    from .xlsx import import_workbook_opened

    doc, warnings = import_workbook_opened(workbook, path, force)
    with _with_notices(doc):  # the file as created and checked: no second open just to count (issue 13)
        c = counts(doc.plan)
    for w in warnings:
        out.write(f"warning: {w}\n")
    out.write(f"Imported '{workbook}' into '{path}': {c['actions']} actions, "
              f"{c['dependencies']} dependencies, {c['milestones']} milestones, "
              f"{c['measures']} measures, {c['people']} people.\n")
    return 0


def run_export_xlsx(path: str, workbook: str, out: TextIO) -> int:
    """Write a plan to an Excel workbook."""
    from .xlsx import export_workbook

    from .packs import workbook_lineage

    with open_plan(path) as doc:
        export_workbook(doc.plan, workbook, workbook_lineage(doc))
    out.write(f"Exported '{path}' to '{workbook}'. Edited, it can come back with merge-pack.\n")
    return 0


def run_import_mspdi(xml: str, path: str, force: bool, out: TextIO) -> int:
    """Build a new plan file from MS Project XML; list what could not be carried across."""
    from .mspdi_read import import_mspdi

    result = import_mspdi(xml, path, force)
    c = counts(result.plan)
    out.write(f"Imported '{xml}' into '{path}': {c['actions']} actions, {c['milestones']} "
              f"milestones, {c['dependencies']} dependencies, {c['people']} people, "
              f"{len(result.plan.settings.holidays)} holidays.\n")
    if result.dropped:
        out.write(f"Not carried across ({len(result.dropped)}):\n")
        for item in result.dropped:
            out.write(f"  - {item}\n")
    return 0


def _merge_report(path: str, merge, out: TextIO) -> int:
    """Open the plan, run ``merge(doc)`` and print its report: 0 merged, 1 conflicts left, 2 refused."""
    from .errors import NotAPlanError
    from .merge import MergeRefused, exit_code

    try:
        with PlanDocument.open(path) as doc:
            report = merge(doc)
    except (MergeRefused, NotAPlanError) as exc:
        out.write(f"{exc}\n")
        return 2
    for line in report.lines():
        out.write(line + "\n")
    return exit_code(report)


def run_merge(path: str, other: str, prefer: str | None, dry_run: bool, out: TextIO) -> int:
    """Merge another copy of a plan: exit 0 merged, 1 conflicts left, 2 refused."""
    from .merge import merge_copy

    return _merge_report(path, lambda doc: merge_copy(doc, other, prefer=prefer,
                                                      dry_run=dry_run), out)


def run_pack(path: str, owner: str, out_path: str, out: TextIO) -> int:
    """Write one owner's update pack."""
    from .packs import make_pack

    with PlanDocument.open(path) as doc:
        info = make_pack(doc, owner, out_path)
    out.write(f"Wrote the update pack for {info.owner} to '{out_path}': {info.actions} actions, "
              f"{info.milestones} milestones. Send it to them; bring it back with merge-pack.\n")
    return 0


def run_merge_pack(path: str, pack: str, prefer: str | None, dry_run: bool, out: TextIO) -> int:
    """Merge a returned pack or an exported workbook: exit 0 applied, 1 conflicts left, 2 refused."""
    from .packs import merge_pack

    return _merge_report(path, lambda doc: merge_pack(doc, pack, prefer=prefer,
                                                      dry_run=dry_run).report, out)


def run_backups(path: str, out: TextIO) -> int:
    """List a plan's backups, newest first."""
    from pathlib import Path

    from . import backups
    from .errors import NotAPlanError

    plan = Path(path)
    if not plan.is_file():
        raise NotAPlanError(f"There is no file '{plan}'.")
    listed = backups.backups_of(plan)
    if not listed:
        out.write(f"No backups of '{plan.name}' yet (one is taken on the first save of each day, "
                  f"before a format update and before a restore) in {backups.data_folder()}.\n")
        return 0
    out.write(f"Backups of '{plan.name}' in {listed[0].path.parent}, newest first:\n")
    for b in listed:
        out.write(f"  {b.describe()}\n")
    return 0


def run_restore(path: str, ref: str, out: TextIO) -> int:
    """Put a backup back as the plan, after backing up the plan as it is."""
    from . import backups

    source, before = backups.restore(path, ref)
    out.write(f"Restored '{source.name}' as '{path}'.\n")
    if before is not None:
        out.write(f"The plan as it was is kept as '{before.name}' ('python main.py backups "
                  f"{path}' lists it).\n")
    return 0
