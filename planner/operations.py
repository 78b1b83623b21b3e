"""The named operations a user can make on a plan: one function each, in the user's words.

Each takes the open ``PlanDocument`` first, decides everything the action means (defaults, fields
that go together, what to refuse), makes its edits as one undoable step with a label ("mark M3
achieved"), and returns the step's ``ChangeSet`` (planner/changes.py). A refusal raises a
``PlanError`` subclass with a message in a recovery lead's words, and changes nothing. The window
runs these through its one path (``AppContext.run(operation, *args)``) and the command line calls
them directly; neither assembles record edits itself.

How to add one: write a function here ``verb_object(doc, ...) -> ChangeSet`` that checks its
arguments, calls ``doc.add`` / ``doc.update`` / ``doc.delete`` / ``doc.update_settings`` (inside
``with doc.batch(label):`` when it makes more than one edit, then ``return doc.last_change``), and a
test in tests/planner/test_operations.py that it changes the plan, names its undo step, and that
Undo puts back exactly what was there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date
from typing import Any

from .changes import ChangeSet
from .dates import short_date
from .document import PlanDocument
from .errors import PlanError, ValidationError
from .model import Action, Assessment, Dependency, MilestoneStatus, Reading, Settings
from .validate import status_date

BOARD_COVER_FIELDS = tuple(f.name for f in dataclasses.fields(Settings)
                           if f.name.startswith(("board_", "summary_")))
"""The plan settings a board report's cover and the lead's summary answers are kept in."""


# ----- undo and redo ---------------------------------------------------------------------------

def undo(doc: PlanDocument) -> ChangeSet | None:
    """Undo the last step made since the plan was opened (None: nothing to undo)."""
    return doc.undo()


def redo(doc: PlanDocument) -> ChangeSet | None:
    """Redo the last undone step (None: nothing to redo)."""
    return doc.redo()


# ----- actions and links -------------------------------------------------------------------------

def edit_action(doc: PlanDocument, action_id: str, **fields: Any) -> ChangeSet:
    """Change fields of an action (undo label e.g. "change duration of A12")."""
    if "title" in fields and isinstance(fields["title"], str):
        fields["title"] = fields["title"].strip()
    return doc.update("action", action_id, **fields)


def add_action_after(doc: PlanDocument, after: str | None = None,
                     title: str = "New action") -> ChangeSet:
    """Add a new action next to ``after``: it serves the same challenges, with the same owner and
    initiative (undo label "add action A13"). The new id is the change set's only action."""
    plan = doc.plan
    base = plan.actions.get(after) if after else None
    action = Action(id=plan.next_id("action"), title=title,
                    challenges=list(base.challenges) if base else [],
                    owner=base.owner if base else None,
                    initiative=base.initiative if base else None)
    return doc.add("action", action)


def delete_action(doc: PlanDocument, action_id: str) -> ChangeSet:
    """Delete an action with its links (undo label "delete action A12")."""
    return doc.delete("action", action_id)


def add_dependency(doc: PlanDocument, action: str, needs: str, type: str = "FS",
                   lag: int = 0) -> ChangeSet:
    """Make ``action`` wait for ``needs`` (undo label "add dependency"); a loop is refused."""
    if not needs:
        raise PlanError("Choose the action it should wait for.")
    if action == needs:
        raise ValidationError(f"{action} cannot wait for itself.")
    return doc.add("dependency", Dependency(action=action, needs=needs, type=type, lag=lag))


def remove_dependency(doc: PlanDocument, uid: str) -> ChangeSet:
    """Remove one link between two actions (undo label "delete dependency")."""
    return doc.delete("dependency", uid)


def apply_phase_plan(doc: PlanDocument, changes: Iterable[tuple[str, int | None]],
                     label: str = "Assign phases") -> ChangeSet:
    """Put actions in phases as one undoable step: ``changes`` is plain data, (action id, phase)
    pairs, e.g. the engine's proposal ``[(c.action_id, c.new) for c in graph.plan_phases(...)]``."""
    pairs = [(str(aid), phase) for aid, phase in changes]
    missing = [aid for aid, _ in pairs if aid not in doc.plan.actions]
    if missing:
        raise PlanError(f"The phase plan names actions that are not in this plan: "
                        f"{', '.join(missing)}. Make the proposal again.")
    with doc.batch(label):
        for aid, phase in pairs:
            doc.update("action", aid, phase=phase)
    return doc.last_change


# ----- milestones --------------------------------------------------------------------------------

def _milestone_fields(doc: PlanDocument, milestone_id: str, today: date | None,
                      fields: dict[str, Any]) -> dict[str, Any]:
    """The fields an edit sets once status and actual date are kept together."""
    m = doc.plan.milestones.get(milestone_id)
    if m is None:
        raise ValidationError(f"There is no milestone '{milestone_id}' in this plan.")
    fields = dict(fields)
    if isinstance(fields.get("comment"), str):
        fields["comment"] = fields["comment"].strip()
    if fields.get("status") == MilestoneStatus.ACHIEVED and m.actual is None and "actual" not in fields:
        fields["actual"] = today or date.today()
    if (fields.get("actual") is not None and m.status == MilestoneStatus.PLANNED
            and "status" not in fields):
        fields["status"] = MilestoneStatus.ACHIEVED.value
    return fields


def later_actual(doc: PlanDocument, milestone_id: str, today: date | None = None,
                 **fields: Any) -> date | None:
    """The actual date an edit would record after the plan's status date but not after today
    (the window asks whether to move the status date on to it), else None."""
    if milestone_id not in doc.plan.milestones:
        return None
    actual = _milestone_fields(doc, milestone_id, today, fields).get("actual")
    if actual is not None and status_date(doc.plan) < actual <= (today or date.today()):
        return actual
    return None


def _with_status_date(doc: PlanDocument, label: str, actual: date | None,
                      move_status_date: bool, edit) -> ChangeSet:
    """Run ``edit``; with ``move_status_date`` first move the plan's status date on to
    ``actual`` when it is later, in the same undoable step."""
    if not (move_status_date and actual is not None and actual > status_date(doc.plan)):
        return edit()
    with doc.batch(label):
        doc.update_settings(as_of=actual)
        edit()
    return doc.last_change


def edit_milestone(doc: PlanDocument, milestone_id: str, today: date | None = None,
                   move_status_date: bool = False, **fields: Any) -> ChangeSet:
    """Change fields of a milestone, keeping status and actual date together: marking it achieved
    without a date dates it ``today``; giving a planned milestone an actual date marks it achieved.

    An actual date after the plan's status date is refused (issue 10), unless
    ``move_status_date`` moves the status date on to it in the same step.
    """
    fields = _milestone_fields(doc, milestone_id, today, fields)
    actual = fields.get("actual")
    return _with_status_date(
        doc, f"record {milestone_id} on {short_date(actual)}" if actual else "", actual,
        move_status_date, lambda: doc.update("milestone", milestone_id, **fields))


def mark_achieved(doc: PlanDocument, milestone_id: str, on: date | None = None,
                  move_status_date: bool = False) -> ChangeSet:
    """Mark a milestone achieved, on its actual date if it has one, else ``on`` (default today)
    (undo label "mark M3 achieved"); ``move_status_date`` as for ``edit_milestone``."""
    m = doc.plan.milestones.get(milestone_id)
    if m is None:
        raise ValidationError(f"There is no milestone '{milestone_id}' in this plan.")
    actual = m.actual or on or date.today()
    label = f"mark {milestone_id} achieved"

    def edit() -> ChangeSet:
        with doc.batch(label):
            doc.update("milestone", milestone_id, status=MilestoneStatus.ACHIEVED.value,
                       actual=actual)
        return doc.last_change

    return _with_status_date(doc, label, actual, move_status_date, edit)


# ----- outcomes and assessments ------------------------------------------------------------------

def add_reading(doc: PlanDocument, measure: str | None, when: date, value: float,
                note: str = "") -> ChangeSet:
    """Add one value of an outcome measure (undo label "add reading")."""
    if not measure:
        raise PlanError("Choose a measure first.")
    return doc.add("reading", Reading(measure, when, value, (note or "").strip()))


def set_spc_settings(doc: PlanDocument, measure: str | None, **fields: Any) -> ChangeSet:
    """Change how a measure's SPC chart works out its limits: ``spc_fix_after`` (fix them on the
    first N readings, None: all) and ``spc_rebase`` (dates where new limits start)."""
    if not measure:
        raise PlanError("Choose a measure first.")
    unknown = [f for f in fields if f not in ("spc_fix_after", "spc_rebase")]
    if unknown:
        raise PlanError(f"{', '.join(unknown)} is not an SPC setting.")
    if "spc_rebase" in fields:
        fields["spc_rebase"] = sorted(set(fields["spc_rebase"] or []))
    return doc.update("measure", measure, **fields)


def add_spc_rebase(doc: PlanDocument, measure: str | None, when: date) -> ChangeSet:
    """Start new SPC limits for a measure from ``when`` (a known change in the service)."""
    current = doc.plan.measures[measure].spc_rebase if measure in doc.plan.measures else []
    return set_spc_settings(doc, measure, spc_rebase=[*current, when])


def fix_spc_limits(doc: PlanDocument, measure: str | None, first: int | None) -> ChangeSet:
    """Fix a measure's SPC limits on its first ``first`` readings (None or 0: use every reading)."""
    return set_spc_settings(doc, measure, spc_fix_after=first or None)


def clear_spc_settings(doc: PlanDocument, measure: str | None) -> ChangeSet:
    """Go back to one set of SPC limits over all of a measure's readings."""
    return set_spc_settings(doc, measure, spc_rebase=[], spc_fix_after=None)


def add_measure_from_catalogue(doc: PlanDocument, key: str) -> ChangeSet:
    """Add a new measure filled from a catalogue entry (undo label "add measure OMn"); the user
    then adds its baseline, target and readings."""
    from .catalogue import new_measure

    return doc.add("measure", new_measure(doc.plan, key))


def record_assessment(doc: PlanDocument, challenge: int | None, when: date, stage: str,
                      evidence: str = "", assessor: str = "") -> ChangeSet:
    """Record the stage a challenge has reached on a date (undo label "add assessment")."""
    if challenge is None:
        raise PlanError("Choose a challenge first.")
    return doc.add("assessment", Assessment(challenge=challenge, date=when, stage=stage,
                                            evidence=(evidence or "").strip(),
                                            assessor=(assessor or "").strip()))


# ----- the board report ----------------------------------------------------------------------------

def store_board_cover(doc: PlanDocument, **fields: Any) -> ChangeSet:
    """Keep the board report's cover fields and the lead's summary answers in the plan, as one step;
    only fields that differ are changed (an empty change set if none do)."""
    unknown = [f for f in fields if f not in BOARD_COVER_FIELDS]
    if unknown:
        raise PlanError(f"{', '.join(unknown)} is not part of the board report's cover.")
    settings: Settings = doc.plan.settings
    changed = {k: v for k, v in fields.items() if getattr(settings, k) != v}
    if not changed:
        return ChangeSet("no change")
    return doc.update_settings(**changed)


# ----- the working calendar ----------------------------------------------------------------------

def set_bank_holidays(doc: PlanDocument, region: str) -> ChangeSet:
    """Follow ``region``'s bank holidays ("England and Wales", "Scotland", "Northern Ireland", or
    "" for none): the old region's are taken out of the plan's non-working days and the new
    region's put in; days the lead added stay (undo label "bank holidays: Scotland")."""
    from .bank_holidays import holidays_for_region

    settings = doc.plan.settings
    days = holidays_for_region(settings, region)  # refuses an unknown region
    with doc.batch(f"bank holidays: {region or 'none'}"):
        doc.update_settings(holiday_region=region, holidays=days)
    return doc.last_change


def set_days_off(doc: PlanDocument, days: Iterable[date]) -> ChangeSet:
    """Set the plan's non-working days (bank holidays and any of its own), e.g. after adding a
    trust-wide closure day or taking a bank holiday out (undo label "change non-working days")."""
    with doc.batch("change non-working days"):
        doc.update_settings(holidays=sorted(set(days)))
    return doc.last_change
