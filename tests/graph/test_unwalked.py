"""The schedule's lists of a big plan are left out of Python's cycle collector's walks
(``planner.flat.leave_unwalked``; issue 13: after each full schedule of 100,000 actions the
collector walked some thirty entries an action twice, about 60 ms). That is safe only while
they hold whole numbers, booleans, None and strings: these tests hold the engine to it through
every kind of edit, and check that nothing is kept once a schedule is dropped."""

from __future__ import annotations

import gc
import tempfile
import tracemalloc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_graph_properties import DERANDOMIZE, SCALE
from test_structural_edits import _same_as_a_fresh_analysis, _step

import graph
from planner import flat
from planner.document import PlanDocument
from planner.errors import PlanError

_ATOMS = (int, str, type(None))  # bool is an int


def _engine_lists(sched: graph.Scheduler) -> list[tuple[str, object]]:
    """Every list or tuple the scheduler keeps as an attribute of its engine, the engine's links
    or its milestone memo."""
    core = sched.core
    out = []
    for where, obj in (("core", core), ("links", core.links), ("memo", sched._memo)):
        names = list(getattr(obj, "__dict__", {})) + list(getattr(type(obj), "__slots__", ()))
        for name in names:
            value = getattr(obj, name, None)
            if isinstance(value, (list, tuple)):
                out.append((f"{where}.{name}", value))
    for k, side in enumerate(core.links._succ or ()):
        out.append((f"links._succ[{k}]", side))
    return out


def _untracked_hold_only_atoms(sched: graph.Scheduler) -> int:
    """Check every untracked list holds only atoms; how many were untracked."""
    untracked = 0
    for name, value in _engine_lists(sched):
        if isinstance(value, list) and not gc.is_tracked(value):
            untracked += 1
            odd = [x for x in value if not isinstance(x, _ATOMS)]
            assert not odd, f"{name} is left out of the collector's walks but holds {odd[:3]}"
    return untracked


UNTRACKED_SEEN: list[int] = []


@settings(deadline=None, max_examples=30 * SCALE, derandomize=DERANDOMIZE)
@given(st.integers(0, 10_000), st.integers(2, 40), st.data())
def test_lists_left_out_of_the_collectors_walks_hold_only_numbers_and_ids_through_edits(
        seed, n, data):
    """Every list is left out (from 0 entries), and random edits, Undo and Redo are made as the
    window makes them: after each, the lists left out still hold nothing that could be in a
    reference cycle, and the schedule is the one a fresh analysis gives."""
    from bench.gen_plans import make_plan

    was = flat.UNWALKED_FROM
    flat.UNWALKED_FROM = 0
    try:
        with tempfile.TemporaryDirectory() as folder:
            doc = PlanDocument.create(Path(folder) / "plan.rcplan", make_plan(n, 3 * n, seed))
            try:
                sched = graph.Scheduler(doc.plan)
                an = sched.analyse()
                an.milestones
                UNTRACKED_SEEN.append(_untracked_hold_only_atoms(sched))
                for _ in range(data.draw(st.integers(1, 10))):
                    try:
                        change = _step(doc, data)
                    except PlanError:
                        continue
                    if change is None:
                        continue
                    an = sched.refresh_for(change)
                    an.milestones
                    _same_as_a_fresh_analysis(an, doc.plan)
                    UNTRACKED_SEEN.append(_untracked_hold_only_atoms(sched))
            finally:
                doc.close()
    finally:
        flat.UNWALKED_FROM = was


def test_the_checks_above_saw_lists_left_out():
    """Run after the test above: it looked at lists that were in fact left out."""
    if UNTRACKED_SEEN:
        assert min(UNTRACKED_SEEN) >= 20


def _big_plan():
    from bench.gen_plans import make_plan

    return make_plan(flat.UNWALKED_FROM + 500, 3 * (flat.UNWALKED_FROM + 500), seed=3)


def test_after_a_big_schedule_the_collector_has_few_entries_to_walk():
    """After a full schedule of a plan of some 8,700 actions, with its milestones and every row
    read, the containers made since (what the collector's next young pass walks) hold under
    five entries an action (the milestones' forecasts, mostly); they held forty, each walked
    again in the middle pass."""
    plan = _big_plan()
    n = len(plan.actions)
    gc.collect()
    gc.disable()
    try:
        an = graph.analyse(plan)
        an.critical_path
        an.milestones
        for aid in an.rows:
            an.rows[aid]
        entries = sum(len(o) for o in gc.get_objects(0) if isinstance(o, (list, tuple, dict)))
    finally:
        gc.enable()
    assert entries < 5 * n, f"{entries / n:.1f} entries an action left for the collector"


def test_a_dropped_schedule_leaves_nothing_behind():
    """The lists left out of the collector's walks are freed, as any list, once nothing refers
    to them: schedules made one after the other take no more memory than the first."""
    plan = _big_plan()
    graph.analyse(plan).milestones  # imports and tables made once
    tracemalloc.start()
    try:
        first = None
        for _ in range(4):
            sched = graph.Scheduler(plan)
            sched.analyse().milestones
            sched = None
            gc.collect()
            now = tracemalloc.get_traced_memory()[0]
            first = now if first is None else first
        assert now < first + 256 * 1024, f"{(now - first) / 1e6:.1f} MB more after 4 schedules"
    finally:
        tracemalloc.stop()
