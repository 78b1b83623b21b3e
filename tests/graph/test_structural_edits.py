"""Structural edits made through the document as the window makes them (actions added next to
another and deleted with their links, links added, refused and removed, actions started, done
and restarted), with Undo and Redo in any order, each refreshed the window's way
(``Scheduler.refresh_for``): after every step the schedule equals the one a fresh analysis of
the plan gives, in every date, float, driver, wave, critical path, milestone forecast and the
order of the warnings (issue 13: the engine takes these edits into its compiled graph rather
than compiling the plan again, and renumbers positions after a deletion itself)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_graph_properties import DERANDOMIZE, SCALE

import graph
from graph import schedule_edits
from graph.dense import _Dense
from planner import operations
from planner.document import PlanDocument
from planner.errors import PlanError

TOMBSTONES_SEEN: list[int] = []  # deleted actions' positions the engine held at each check

KINDS = ["add action", "delete action", "delete action", "add link", "add link",
         "remove link", "start", "done", "restart", "undo", "undo", "redo"]


def _same_as_a_fresh_analysis(an, plan) -> None:
    full = graph.analyse(plan)
    # byte for byte, in the order a fresh analysis writes them (actions, warnings)
    assert json.dumps(an.to_json()) == json.dumps(full.to_json())
    assert list(an.rows) == list(full.rows)
    for aid in full.rows:
        assert an.rows[aid] == full.rows[aid]
    assert an.critical_paths == full.critical_paths
    assert an.waves == full.waves
    assert an.milestones == full.milestones
    assert [(w.kind, w.message, w.ids) for w in an.warnings] == [
        (w.kind, w.message, w.ids) for w in full.warnings]
    d, f = an.data, full.data
    assert d.order == f.order
    assert d.critical_set == {i for i, c in enumerate(f.critical_flags) if c}
    assert (d.ids, d.es, d.ef, d.driver, d.lf) == (f.ids, f.es, f.ef, f.driver, f.lf)
    # every list a view may read, numbered as compiling numbers the positions (an edit that
    # deletes an action leaves a tombstone in the engine: a snapshot shows none)
    for name in ("tail", "bound", "state", "span", "lower_why", "deadline", "phase"):
        assert getattr(d, name) == getattr(f, name), name
    assert list(d.pos.items()) == list(f.pos.items())
    assert all(d.pos.get(a) == i and a in d.pos for i, a in enumerate(f.ids))
    assert len(d.pos) == len(f.pos) and d.pos.get("no such id") is None
    assert d.waves() == f.waves()
    assert d.links.pred_side() == f.links.pred_side()
    assert d.links.succ_side() == f.links.succ_side()
    assert sorted(d.sweep) == list(range(len(f.ids)))  # a topological order of them all
    rank = {i: k for k, i in enumerate(d.sweep)}
    po, pn = f.links.p_off, f.links.p_node
    assert all(rank[pn[k]] < rank[i] for i in range(len(f.ids)) for k in range(po[i], po[i + 1]))
    if isinstance(d, _Dense):
        TOMBSTONES_SEEN.append(len(d._layout.gone))


def _scheduled(plan) -> list[str]:
    return [a for a, rec in plan.actions.items() if rec.status != "cancelled"]


def _step(doc, data):
    """One edit the window could make (or Undo or Redo); its change set, or None."""
    plan = doc.plan
    kind = data.draw(st.sampled_from(KINDS))
    ids = _scheduled(plan)
    if kind == "undo":
        return doc.undo()
    if kind == "redo":
        return doc.redo()
    if not ids:
        return operations.add_action_after(doc, None)
    aid = data.draw(st.sampled_from(ids))
    if kind == "add action":
        return operations.add_action_after(doc, aid)
    if kind == "delete action":
        return operations.delete_action(doc, aid)
    if kind == "add link":
        needs = data.draw(st.sampled_from(ids))  # a loop, or the action itself, is refused
        return operations.add_dependency(doc, aid, needs,
                                         type=data.draw(st.sampled_from(["FS", "SS"])),
                                         lag=data.draw(st.sampled_from([0, 1, 4])))
    if kind == "remove link":
        if not plan.dependencies:
            return None
        return operations.remove_dependency(doc, data.draw(st.sampled_from(
            sorted(plan.dependencies))))
    as_of = plan.settings.as_of or plan.settings.start
    if kind == "start":
        return operations.edit_action(doc, aid, status="in progress", actual_start=as_of,
                                      actual_finish=None)
    if kind == "done":
        return operations.edit_action(doc, aid, status="done")
    return operations.edit_action(doc, aid, status="not started", actual_start=None,
                                  actual_finish=None, percent=0)


def _edit_and_refresh(doc, data) -> int:
    """Random steps, each refreshed and checked; the number taken into the compiled graph.
    The engine takes its tombstones out when it sees fit, at once or never (as drawn)."""
    was = schedule_edits.TOMBSTONE_DIVISOR
    schedule_edits.TOMBSTONE_DIVISOR = data.draw(st.sampled_from([was, 0, 10 ** 9]))
    try:
        return _steps(doc, data)
    finally:
        schedule_edits.TOMBSTONE_DIVISOR = was


def _steps(doc, data) -> int:
    plan = doc.plan
    sched = graph.Scheduler(plan)
    sched.analyse()
    kept = []
    taken_in = 0
    for _ in range(data.draw(st.integers(1, 12))):
        try:  # an edit the plan's rules refuse changes nothing, as in the window
            change = _step(doc, data)
        except PlanError:
            continue
        if change is None:
            continue
        compiled = sched.core._compiled_key  # made anew by each compile
        an = sched.refresh_for(change)
        if change.links and sched.core._compiled_key is compiled:
            taken_in += 1
        _same_as_a_fresh_analysis(an, plan)
        kept.append((an, json.dumps(an.to_json()), _lists_of(an.data)))
    for old, frozen, lists in kept:  # earlier results are not changed by later edits
        assert json.dumps(old.to_json()) == frozen
        assert _lists_of(old.data) == lists
    return taken_in


def _lists_of(d) -> dict:
    """What the views read straight from a schedule (``Analysis.data``), per action position."""
    return {name: list(getattr(d, name)) for name in (
        "ids", "es", "ef", "tail", "bound", "driver", "lower_why", "state", "span", "deadline",
        "phase", "sweep")}


@settings(deadline=None, max_examples=40 * SCALE, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # the sample is only read
@given(st.data())
def test_structural_edits_undo_and_redo_on_the_sample_refresh_to_a_fresh_schedule(
        sample_copy, data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.rcplan"
        path.write_bytes(sample_copy.read_bytes())
        doc = PlanDocument.open(path)
        try:
            _edit_and_refresh(doc, data)
        finally:
            doc.close()


TAKEN_IN = []


@settings(deadline=None, max_examples=40 * SCALE, derandomize=DERANDOMIZE)
@given(st.integers(0, 10_000), st.integers(2, 60), st.data())
def test_structural_edits_on_generated_plans_refresh_to_a_fresh_schedule(seed, n, data):
    """Plans as the benchmarks make them (initiatives, milestones on actions and initiatives,
    holidays, not-before dates), small enough to check every step."""
    from bench.gen_plans import make_plan

    with tempfile.TemporaryDirectory() as folder:
        doc = PlanDocument.create(Path(folder) / "plan.rcplan", make_plan(n, 3 * n, seed))
        try:
            TAKEN_IN.append(_edit_and_refresh(doc, data))
        finally:
            doc.close()


def test_the_edits_above_were_taken_into_the_compiled_graph():
    """The checks above are of the engine's own way of taking edits in, not of compiling again,
    and of schedules shown while the engine held deleted actions' positions, one or several
    (run after them; on its own it has nothing to look at)."""
    if TAKEN_IN:
        assert sum(TAKEN_IN) > len(TAKEN_IN)
        assert len(TOMBSTONES_SEEN) > 20 and max(TOMBSTONES_SEEN) > 2


def test_deleting_a_step_of_one_of_two_equal_chains_leaves_the_other_critical(tmp_path):
    """Two chains of three steps that end together are both critical; deleting the middle of
    one leaves the other as the critical path, the same after Undo and Redo."""
    from datetime import date

    from planner.model import Action, Dependency, Plan, Settings, ten_challenges

    plan = Plan(settings=Settings(start=date(2027, 1, 4)))
    plan.challenges = ten_challenges()
    for k in range(1, 7):
        plan.actions[f"A{k}"] = Action(f"A{k}", f"Step {k}", duration=5, challenges=[1])
    for waits, needs in (("A2", "A1"), ("A3", "A2"), ("A5", "A4"), ("A6", "A5")):
        dep = Dependency(waits, needs)
        plan.dependencies[dep.uid] = dep
    doc = PlanDocument.create(tmp_path / "chains.rcplan", plan)
    try:
        sched = graph.Scheduler(doc.plan)
        an = sched.analyse()
        an = sched.refresh_for(operations.edit_action(doc, "A1", duration=6))  # A1-A3 critical
        assert an.critical_path == ["A1", "A2", "A3"]
        an = sched.refresh_for(operations.edit_action(doc, "A1", duration=5))  # both tie
        assert set(an.data.ids[i] for i in an.data.critical_set) == {f"A{k}" for k in range(1, 7)}
        an = sched.refresh_for(operations.delete_action(doc, "A2"))
        _same_as_a_fresh_analysis(an, doc.plan)
        assert an.critical_path == ["A4", "A5", "A6"]
        an = sched.refresh_for(operations.undo(doc))
        _same_as_a_fresh_analysis(an, doc.plan)
        an = sched.refresh_for(operations.redo(doc))
        _same_as_a_fresh_analysis(an, doc.plan)
        assert an.critical_path == ["A4", "A5", "A6"]
    finally:
        doc.close()


def test_every_list_an_edit_writes_is_copied_before_it_is_written():
    """An edit copies a list a snapshot holds before writing it: the lists ``_prepare`` writes
    and those the passes write are all of them (a list left out would change earlier results)."""
    from graph import schedule_edits

    edits = schedule_edits
    assert set(edits._PREPARED) | set(edits._PASSES) == set(edits._PER_ACTION)
