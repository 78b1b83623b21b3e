"""Editing an action that is cancelled, through the document as the window does, then refreshing
the schedule: a cancelled action is not scheduled, so its own edits move nothing, and the
refreshed schedule is the one a fresh analysis gives (found in review: the refresh looked the
cancelled action up among the scheduled ones and stopped with a KeyError). Marking actions done
without their dates on the way: the warnings the schedule gives are in the same order as a fresh
analysis gives them (they were in the order the edits came)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_graph_properties import DERANDOMIZE, SCALE

import graph
from planner.document import PlanDocument


def _same_as_fresh(an, plan) -> None:
    full = graph.analyse(plan)
    assert an.to_json() == full.to_json()
    assert an.critical_path == full.critical_path
    assert an.milestones == full.milestones


def test_changing_a_cancelled_actions_duration_keeps_the_schedule(doc):
    sched = graph.Scheduler(doc.plan)
    sched.analyse()
    aid = next(iter(doc.plan.actions))
    an = sched.refresh_for(doc.update("action", aid, status="cancelled"))
    assert aid not in an.rows
    an = sched.refresh_for(doc.update("action", aid, duration=doc.plan.actions[aid].duration + 3))
    assert aid not in an.rows
    _same_as_fresh(an, doc.plan)
    an = sched.refresh_for(doc.undo())  # the duration back
    _same_as_fresh(an, doc.plan)
    an = sched.refresh_for(doc.undo())  # no longer cancelled: scheduled again
    assert aid in an.rows
    _same_as_fresh(an, doc.plan)


EDITS = ["cancel", "duration", "not_before", "restart", "done", "on hold"]


@settings(deadline=None, max_examples=40 * SCALE, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # the sample is only copied
@given(st.data())
def test_any_edits_to_cancelled_actions_refresh_to_a_fresh_schedule(sample_copy, data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.rcplan"
        shutil.copyfile(sample_copy, path)
        doc = PlanDocument.open(path)
        try:
            _edit_cancelled(doc, data)
        finally:
            doc.close()


def _edit_cancelled(doc, data) -> None:
    plan = doc.plan
    sched = graph.Scheduler(plan)
    sched.analyse()
    ids = sorted(plan.actions)[:3] + [a for a in plan.actions
                                      if plan.actions[a].status == "not started"][:4]
    an = None
    for _ in range(data.draw(st.integers(1, 6))):
        aid = data.draw(st.sampled_from(ids))
        a = plan.actions[aid]
        edit = data.draw(st.sampled_from(EDITS))
        if edit == "cancel":
            change = doc.update("action", aid, status="cancelled")
        elif edit == "duration":
            change = doc.update("action", aid, duration=data.draw(st.integers(0, 30)))
        elif edit == "not_before":
            change = doc.update("action", aid, not_before=plan.settings.start
                                + timedelta(days=data.draw(st.integers(0, 90))))
        elif edit in ("done", "on hold"):  # done without dates: the schedule notes its guess
            change = doc.update("action", aid, status=edit)
        else:
            change = doc.update("action", aid, status="not started", actual_start=None,
                                actual_finish=None, percent=0)
        an = sched.refresh_for(change)
    _same_as_fresh(an, plan)
    while doc.undo_label is not None:  # every edit undone: the plan as it was opened
        an = sched.refresh_for(doc.undo())
    _same_as_fresh(an, plan)
