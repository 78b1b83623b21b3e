"""The settings that steer an edit's recomputation (``graph.schedule_edits``) do steer it: a test
that sets one to an extreme to drive the code down one path must reach that path. Since the edits
moved to a module of their own, a setting patched where the code no longer reads it would leave
those tests passing on the other path; these fail then."""

from __future__ import annotations

from datetime import date

import graph
from graph import schedule, schedule_edits
from planner import codec
from planner.changes import WHOLE, ChangeSet, FieldChange
from planner.model import Action, Dependency, Plan, Settings


def _chain(n: int = 40) -> Plan:
    """A1 <- A2 <- ... <- An: a duration changed at the start moves every action after it."""
    plan = Plan(settings=Settings(start=date(2027, 1, 4)))
    for k in range(1, n + 1):
        plan.actions[f"A{k}"] = Action(f"A{k}", f"Step {k}", duration=2)
    for k in range(2, n + 1):
        dep = Dependency(f"A{k}", f"A{k - 1}")
        plan.dependencies[dep.uid] = dep
    return plan


def _full_passes_in_one_edit(monkeypatch) -> int:
    """How many times one duration edit at the chain's start ran the plain forward pass."""
    plan = _chain()
    sched = graph.Scheduler(plan)
    sched.analyse()
    calls = []
    real = schedule.ScheduleCore._forward_all
    monkeypatch.setattr(schedule.ScheduleCore, "_forward_all",
                        lambda self: (calls.append(1), real(self))[1])
    plan.actions["A1"].duration = 5
    an = sched.refresh(["A1"])
    assert an.to_json() == graph.analyse(plan).to_json()
    return len(calls)


def test_a_cascade_within_the_budget_is_followed_action_by_action(monkeypatch):
    monkeypatch.setattr(schedule_edits, "CASCADE_DIVISOR", 10 ** 9)
    monkeypatch.setattr(schedule_edits, "CASCADE_MIN", 10 ** 6)
    assert _full_passes_in_one_edit(monkeypatch) == 0


def test_a_cascade_past_the_budget_switches_to_full_passes(monkeypatch):
    monkeypatch.setattr(schedule_edits, "CASCADE_DIVISOR", 10 ** 9)
    monkeypatch.setattr(schedule_edits, "CASCADE_MIN", 0)
    assert _full_passes_in_one_edit(monkeypatch) == 1


def _tombstones_after_deleting_one(monkeypatch, divisor: int) -> list[int]:
    monkeypatch.setattr(schedule_edits, "TOMBSTONE_DIVISOR", divisor)
    plan = _chain(10)
    sched = graph.Scheduler(plan)
    sched.analyse()
    gone = plan.actions.pop("A5")
    changes = [FieldChange("dependency", uid, uid, WHOLE, codec.record_to_json(d), None)
               for uid, d in list(plan.dependencies.items()) if "A5" in (d.action, d.needs)]
    for change in changes:
        del plan.dependencies[change.key]
    changes.append(FieldChange("action", gone.id, gone.uid, WHOLE, codec.record_to_json(gone),
                               None))
    an = sched.refresh_for(ChangeSet("delete", changes))
    assert an.to_json() == graph.analyse(plan).to_json()
    return sched.core._tombstones()


def test_a_deleted_actions_place_is_kept_until_enough_go(monkeypatch):
    assert len(_tombstones_after_deleting_one(monkeypatch, 0)) == 1  # never taken out


def test_a_deleted_actions_place_is_taken_out_once_enough_go(monkeypatch):
    assert _tombstones_after_deleting_one(monkeypatch, 10 ** 9) == []  # taken out at once
