"""Actions and links added and removed are taken into the engine's compiled graph
(``ScheduleCore._relink``) and give exactly what compiling the plan again gives: every date, float, driver, wave, critical
path and milestone forecast, after any mix of link edits (loops refused, as the document does)
and other edits, with earlier results left as they were (issue 13)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_graph_properties import DERANDOMIZE, SCALE, random_edit, random_plans

import graph
from graph import schedule_edits
from graph.compiled_links import Links, _renumbering
from planner import codec
from planner.changes import WHOLE, ChangeSet, FieldChange
from planner.model import Action, Dependency
from planner.validate import loop_through


def _link_change(dep: Dependency, added: bool) -> FieldChange:
    rec = codec.record_to_json(dep)
    return FieldChange("dependency", dep.uid, dep.uid, WHOLE, None if added else rec,
                       rec if added else None)


def _same_as_a_fresh_schedule(fresh, plan) -> None:
    full = graph.analyse(plan)
    assert fresh.to_json() == full.to_json()
    for aid in full.rows:
        assert fresh.rows[aid] == full.rows[aid]
    assert fresh.critical_paths == full.critical_paths
    assert fresh.waves == full.waves
    assert fresh.milestones == full.milestones
    assert fresh.data.order == full.data.order
    flags = fresh.data.critical_flags
    assert fresh.data.critical_set == {i for i, c in enumerate(flags) if c}


@settings(deadline=None, max_examples=120 * SCALE, derandomize=DERANDOMIZE)
@given(random_plans(), st.data())
def test_links_added_and_removed_give_what_a_recompile_gives(plan, data):
    was = schedule_edits.TOMBSTONE_DIVISOR  # deleted actions' positions taken out as drawn:
    schedule_edits.TOMBSTONE_DIVISOR = data.draw(st.sampled_from([was, 0, 10 ** 9]))  # or never
    try:
        _edits_taken_in(plan, data)
    finally:
        schedule_edits.TOMBSTONE_DIVISOR = was


def _edits_taken_in(plan, data) -> None:
    sched = graph.Scheduler(plan)
    sched.analyse()
    ids = list(plan.actions)
    kept = []
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["add", "add", "remove", "both", "edit", "action",
                                        "delete"]))
        changes: list[FieldChange] = []
        if op == "action":  # a new action, then perhaps a link to or from it in the same step
            new = Action(f"N{len(kept)}", "New", duration=data.draw(st.integers(0, 9)))
            plan.actions[new.id] = new
            changes.append(FieldChange("action", new.id, new.uid, WHOLE, None,
                                       codec.record_to_json(new)))
            ids.append(new.id)
            op = data.draw(st.sampled_from(["action", "add"]))
        if op in ("add", "both"):
            a, b = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
            dep = Dependency(a, b, type=data.draw(st.sampled_from(["FS", "SS"])),
                             lag=data.draw(st.sampled_from([0, 1, 3])))
            if a != b and loop_through(plan, dep) is None:  # what the document lets in
                plan.dependencies[dep.uid] = dep
                changes.append(_link_change(dep, True))
        if op in ("remove", "both") and plan.dependencies:
            dep = plan.dependencies.pop(data.draw(st.sampled_from(list(plan.dependencies))))
            changes.append(_link_change(dep, False))
        if op == "delete" and len(ids) > 1:  # as the document deletes: its links, then it
            # one action or several in one step (several positions go at once)
            for _k in range(data.draw(st.integers(1, min(3, len(ids) - 1)))):
                gone = plan.actions.pop(data.draw(st.sampled_from(ids)))
                for uid in [u for u, d in plan.dependencies.items()
                            if gone.id in (d.action, d.needs)]:
                    changes.append(_link_change(plan.dependencies.pop(uid), False))
                changes.append(FieldChange("action", gone.id, gone.uid, WHOLE,
                                           codec.record_to_json(gone), None))
                ids.remove(gone.id)
        if op == "edit":
            aid = random_edit(data, plan, ids)
            changes.append(FieldChange("action", aid, plan.actions[aid].uid, "duration", 0, 1))
        if not changes:
            continue
        change = ChangeSet(op, changes)
        compiled = sched.core._compiled_key  # made anew by each compile
        fresh = sched.refresh_for(change)
        if change.link_edits or change.actions_added or change.actions_removed:
            assert sched.core._compiled_key is compiled  # taken in, not compiled again
        kept.append((fresh, fresh.to_json()))
    if kept:
        _same_as_a_fresh_schedule(kept[-1][0], plan)
    for old, frozen in kept:  # earlier results are not changed by later edits
        assert old.to_json() == frozen


def test_a_link_against_the_sweep_reorders_it_and_the_dates_follow():
    """A chain A1 <- A2 <- A3, then A1 made to wait for A3's neighbour A4 that comes later in
    the sweep: A1 and everything after it move after A4, as a fresh schedule says."""
    from datetime import date

    from planner.model import Action, Plan, Settings

    plan = Plan(settings=Settings(start=date(2027, 1, 4)))
    for k in range(1, 5):
        plan.actions[f"A{k}"] = Action(f"A{k}", f"Step {k}", duration=k)
    for waits, needs in (("A2", "A1"), ("A3", "A2")):
        dep = Dependency(waits, needs)
        plan.dependencies[dep.uid] = dep
    sched = graph.Scheduler(plan)
    sched.analyse()
    dep = Dependency("A1", "A4", lag=2)
    plan.dependencies[dep.uid] = dep
    fresh = sched.refresh_for(ChangeSet("add", [_link_change(dep, True)]))
    _same_as_a_fresh_schedule(fresh, plan)
    assert fresh.critical_path == ["A4", "A1", "A2", "A3"]


def test_a_link_across_a_deleted_action_is_taken_in_as_the_plan_has_it():
    """A1 <- G <- A2: G deleted (its position kept by the engine, with its links, until enough
    go), then A1 made to wait for A2: no loop in the plan, so none in the engine either; the
    sweep is reordered and the dates are a fresh schedule's, also once G's place is gone."""
    from datetime import date

    from planner.model import Plan, Settings

    for divisor in (0, 10 ** 9):
        was, schedule_edits.TOMBSTONE_DIVISOR = schedule_edits.TOMBSTONE_DIVISOR, divisor
        try:
            plan = Plan(settings=Settings(start=date(2027, 1, 4)))
            for aid in ("A1", "G", "A2", "A3"):
                plan.actions[aid] = Action(aid, aid, duration=3)
            deps = [Dependency("G", "A1"), Dependency("A2", "G"), Dependency("A3", "A2")]
            for dep in deps:
                plan.dependencies[dep.uid] = dep
            sched = graph.Scheduler(plan)
            sched.analyse()
            gone = plan.actions.pop("G")
            changes = [_link_change(plan.dependencies.pop(d.uid), False) for d in deps[:2]]
            changes.append(FieldChange("action", "G", gone.uid, WHOLE,
                                       codec.record_to_json(gone), None))
            _same_as_a_fresh_schedule(sched.refresh_for(ChangeSet("delete", changes)), plan)
            compiled = sched.core._compiled_key
            dep = Dependency("A1", "A2", lag=1)
            plan.dependencies[dep.uid] = dep
            fresh = sched.refresh_for(ChangeSet("add", [_link_change(dep, True)]))
            assert sched.core._compiled_key is compiled  # taken in, not compiled again
            _same_as_a_fresh_schedule(fresh, plan)
            assert fresh.critical_path == ["A2", "A1"]
        finally:
            schedule_edits.TOMBSTONE_DIVISOR = was


def test_a_chain_deleted_step_by_step_is_taken_in_at_each_step():
    """A1 <- A2 <- ... <- A6, then A3, A4 and A2 deleted one after another (each with its links
    still in the plan): each deletion is taken into the compiled graph, whatever the engine
    still holds of the ones before, and gives what compiling gives."""
    from datetime import date

    from planner.model import Plan, Settings

    for divisor in (0, 8, 10 ** 9):
        was, schedule_edits.TOMBSTONE_DIVISOR = schedule_edits.TOMBSTONE_DIVISOR, divisor
        try:
            plan = Plan(settings=Settings(start=date(2027, 1, 4)))
            for k in range(1, 7):
                plan.actions[f"A{k}"] = Action(f"A{k}", f"Step {k}", duration=k)
            for k in range(2, 7):
                dep = Dependency(f"A{k}", f"A{k - 1}")
                plan.dependencies[dep.uid] = dep
            sched = graph.Scheduler(plan)
            sched.analyse()
            compiled = sched.core._compiled_key
            for aid in ("A3", "A4", "A2"):
                gone = plan.actions.pop(aid)
                changes = [_link_change(plan.dependencies.pop(uid), False)
                           for uid, d in list(plan.dependencies.items())
                           if aid in (d.action, d.needs)]
                changes.append(FieldChange("action", aid, gone.uid, WHOLE,
                                           codec.record_to_json(gone), None))
                fresh = sched.refresh_for(ChangeSet("delete", changes))
                assert sched.core._compiled_key is compiled  # taken in, not compiled again
                _same_as_a_fresh_schedule(fresh, plan)
        finally:
            schedule_edits.TOMBSTONE_DIVISOR = was


def test_a_new_action_gets_an_entry_in_every_list_an_edit_changes():
    from graph import schedule_edits

    assert set(schedule_edits._BLANK) == set(schedule_edits._PER_ACTION)


@settings(deadline=None, max_examples=200 * SCALE, derandomize=DERANDOMIZE)
@given(st.integers(2, 30).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans(),
                       st.integers(0, 3)), max_size=60),
    st.sets(st.integers(0, n - 1), min_size=1, max_size=n - 1))))
def test_links_without_some_actions_are_the_links_made_without_them(case):
    """``Links.without`` (how the engine takes deleted actions' positions out, all at once)
    gives what grouping the links left gives, renumbered: both sides, in the plan's order."""
    n, edges, gone = case
    gone = sorted(gone)
    links = Links(n, *map(list, zip(*edges))) if edges else Links(
        n, [], [], [], [])
    table = _renumbering(n, gone)
    got = links.without(gone, table)
    left = [(table[p], table[s], ss, lag) for p, s, ss, lag in edges
            if p not in gone and s not in gone]
    want = Links(n - len(gone), *map(list, zip(*left))) if left else Links(
        n - len(gone), [], [], [], [])
    assert got.pred_side() == want.pred_side()
    assert got.succ_side() == tuple(want.succ_side())
