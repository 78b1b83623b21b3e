"""The flat-list engine (issue 13) against the plain scheduler it replaced, on random plans.

Every number the engine keeps (early and late dates, drivers, float, the topological order,
waves, critical actions, notes) must equal the plain scheduler's in ``schedule_reference``:
from scratch, after random edits refreshed incrementally, with cancelled actions, links to
missing or cancelled actions, phases with start dates, previews of phases, and loops.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from schedule_reference import PlainCore
from test_graph_properties import DERANDOMIZE, SCALE, random_edit, random_plans

import graph
from graph import analysis, schedule, schedule_edits
from graph.compiled_links import Links
from graph.schedule import ScheduleCore
from planner.errors import LoopError
from planner.model import Dependency, Phase

KEPT = ("ids", "es", "ef", "driver", "tail", "bound", "span", "lower", "lower_why", "state",
        "fixed_start", "fixed_finish", "deadline", "phase", "order", "topo_pos")


@st.composite
def varied_plans(draw):
    """random_plans with cancelled and on-hold actions, bad links, phases and a phase preview."""
    plan = draw(random_plans())
    ids = list(plan.actions)
    start = plan.settings.start
    for aid in ids:
        roll = draw(st.integers(0, 12))
        if roll == 0:
            plan.actions[aid].status = "cancelled"
        elif roll == 1:
            plan.actions[aid].status = "on hold"
        if draw(st.integers(0, 3)) == 0:
            plan.actions[aid].phase = draw(st.integers(1, 3))
    for n in (1, 2, 3):
        if draw(st.booleans()):
            plan.phases[n] = Phase(n, f"Phase {n}",
                                   start=start + timedelta(days=draw(st.integers(0, 40))))
    if draw(st.integers(0, 4)) == 0:
        d = Dependency(action=draw(st.sampled_from(ids)), needs="GONE")
        plan.dependencies[d.uid] = d
    override = None
    if draw(st.integers(0, 4)) == 0:
        override = {aid: draw(st.sampled_from([None, 1, 2])) for aid in ids}
    return plan, override


def assert_same(new: ScheduleCore, old: PlainCore) -> None:
    for name in KEPT:
        assert list(getattr(new, name)) == list(getattr(old, name)), name
    assert new.finish_idx == old.finish_idx
    assert [(n.kind, n.message, n.ids) for n in new.notes] == \
        [(n.kind, n.message, n.ids) for n in old.notes]
    assert new.critical_positions() == old.critical_positions()
    assert new.snapshot().waves() == old.waves()


@settings(deadline=None, max_examples=200 * SCALE, derandomize=DERANDOMIZE)
@given(varied_plans())
def test_engine_equals_the_plain_scheduler(case):
    plan, override = case
    assert_same(ScheduleCore(plan, phases=override).run(), PlainCore(plan, phases=override).run())


@settings(deadline=None, max_examples=120 * SCALE, derandomize=DERANDOMIZE)
@given(varied_plans(), st.data())
def test_engine_equals_the_plain_scheduler_through_edits(case, data):
    plan, override = case
    full_passes = data.draw(st.booleans())  # sometimes the switch to full passes of big cascades
    saved = schedule_edits.CASCADE_DIVISOR, schedule_edits.CASCADE_MIN
    if full_passes:
        schedule_edits.CASCADE_DIVISOR, schedule_edits.CASCADE_MIN = 10 ** 9, 0
    try:
        new = ScheduleCore(plan, phases=override).run()
        old = PlainCore(plan, phases=override).run()
        ids = [a for a in plan.actions if plan.actions[a].status != "cancelled"]
        if not ids:
            return
        for _ in range(data.draw(st.integers(1, 5))):
            aid = random_edit(data, plan, ids)
            new.snapshot()  # an earlier result is held: the edit must copy, not change it
            new.refresh([aid])
            old.refresh([aid])
            assert_same(new, old)
    finally:
        schedule_edits.CASCADE_DIVISOR, schedule_edits.CASCADE_MIN = saved


@settings(deadline=None, max_examples=60 * SCALE, derandomize=DERANDOMIZE)
@given(random_plans(progress=False), st.data())
def test_a_loop_is_named_as_the_plain_scheduler_names_it(plan, data):
    ids = list(plan.actions)
    if len(ids) < 2:
        return
    a, b = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
    for x, y in ((a, b), (b, a)):
        d = Dependency(action=x, needs=y)
        plan.dependencies[d.uid] = d
    with pytest.raises(LoopError) as new:
        ScheduleCore(plan).run()
    with pytest.raises(LoopError) as old:
        PlainCore(plan).run()
    assert str(new.value) == str(old.value)


def plain_critical_paths(an) -> list[list[str]]:
    """Critical chains as they were always found: ends by finish, ties by topological order."""
    d = an.data
    crit = {i for i, c in enumerate(d.critical_flags) if c}
    drives = {d.driver[i] for i in crit if d.driver[i] in crit}
    ends = sorted((i for i in crit if i not in drives), key=lambda i: (-d.ef[i], d.topo_pos[i]))
    paths = []
    for end in ends[:analysis.MAX_CRITICAL_PATHS]:
        chain = [end]
        while d.driver[chain[-1]] >= 0 and d.driver[chain[-1]] in crit:
            chain.append(d.driver[chain[-1]])
        paths.append(chain[::-1])
    paths.sort(key=lambda c: (-d.ef[c[-1]], -(d.ef[c[-1]] - d.es[c[0]]), -len(c)))
    return [[d.ids[i] for i in c] for c in paths]


@settings(deadline=None, max_examples=200 * SCALE, derandomize=DERANDOMIZE)
@given(random_plans(), st.integers(1, 4), st.randoms(use_true_random=False))
def test_critical_paths_as_the_plain_rule_orders_them(plan, most, rnd):
    """The topological order is read only when a tie needs it; the chains come out as before,
    also when fewer chains are kept than there are ends (``most``), whatever the plan's order."""
    ids = list(plan.actions)
    rnd.shuffle(ids)
    plan.actions = {aid: plan.actions[aid] for aid in ids}
    saved = analysis.MAX_CRITICAL_PATHS
    analysis.MAX_CRITICAL_PATHS = most
    try:
        an = graph.analyse(plan)
        got = an.critical_paths
        assert an.data.links._fifo is None  # a tie is settled without sorting the whole graph
        assert got == plain_critical_paths(an)
    finally:
        analysis.MAX_CRITICAL_PATHS = saved


def test_equal_critical_chains_keep_the_topological_order_not_the_plans():
    """Two equal chains, A -> B and C -> D, listed D, A, B, C: Kahn's sort meets B before D,
    so A -> B comes first (as it always has), though D is listed first."""
    from test_graph_schedule import mk

    plan = mk([("D", 3), ("A", 2), ("B", 3), ("C", 2)], [("B", "A"), ("D", "C")])
    an = graph.analyse(plan)
    assert an.critical_paths == [["A", "B"], ["C", "D"]]
    assert an.data.links._fifo is None  # only the chains' ends and what comes before them
    assert an.critical_paths == plain_critical_paths(an)
    assert an.critical_path == ["A", "B"]


@settings(deadline=None, max_examples=300 * SCALE, derandomize=DERANDOMIZE)
@given(st.integers(1, 25).flatmap(lambda n: st.tuples(
    st.just(n), st.permutations(range(n)),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60),
    st.sets(st.integers(0, n - 1), min_size=1), st.integers(0, 2))))
def test_kahns_order_among_a_few_actions_is_the_whole_sorts(case):
    """``Links.fifo_among`` (Kahn's sort over some actions and everything before them, what a
    tie between critical chains needs) orders them as Kahn's sort of the whole graph does: for
    the links as compiled, with the successor side built, and for an edited copy."""
    n, rank, pairs, nodes, shape = case
    edges = [(p, s) if rank[p] < rank[s] else (s, p) for p, s in pairs if p != s]  # no loop
    columns = ([p for p, _s in edges], [s for _p, s in edges], [False] * len(edges),
               [0] * len(edges))
    links = Links(n, *columns)
    if shape == 1:
        links.succ_side()
    elif shape == 2:
        links = links.edited([])
    got = links.fifo_among(nodes)
    whole = Links(n, *columns).fifo()[1]
    assert sorted(nodes, key=got.__getitem__) == sorted(nodes, key=whole.__getitem__)
    assert links._fifo is None


@settings(deadline=None, max_examples=150 * SCALE, derandomize=DERANDOMIZE)
@given(varied_plans(), st.data())
def test_initiative_members_taken_a_run_at_a_time_are_the_plain_ones(case, data):
    """Milestones on an initiative read its actions' positions from MilestoneMemo.members_for,
    which takes the plan's order a run of one initiative at a time (issue 13): the same
    positions, in the same order, as looking at every scheduled action, cancelled ones or not."""
    plan, _override = case
    for a in plan.actions.values():
        a.initiative = data.draw(st.sampled_from([None, "I1", "I2", "I3"]))
    d = graph.analyse(plan).data
    plain: dict[str, list[int]] = {}
    for aid, a in plan.actions.items():
        if a.initiative is not None and aid in d.pos:
            plain.setdefault(a.initiative, []).append(d.pos[aid])
    assert analysis.MilestoneMemo().members_for(plan, d) == plain


def _moved_back(plan, days: int) -> None:
    """Every date the schedule reads moved ``days`` days earlier."""
    back = timedelta(days=days)
    s = plan.settings
    s.start = s.start - back if s.start else None
    s.as_of = s.as_of - back if s.as_of else None
    s.holidays = [h - back for h in s.holidays]
    for a in plan.actions.values():
        for name in ("not_before", "deadline", "actual_start", "actual_finish"):
            if getattr(a, name) is not None:
                setattr(a, name, getattr(a, name) - back)
    for ph in plan.phases.values():
        if ph.start is not None:
            ph.start -= back


@settings(deadline=None, max_examples=120 * SCALE, derandomize=DERANDOMIZE)
@given(varied_plans(), st.sampled_from([0, 9863, 9870, 9900, 9950]))
def test_engine_equals_the_plain_scheduler_around_working_day_0_with_the_day_table_growing(
        case, back):
    """The passes store dates and tails as the objects of a table of day numbers grown when a
    number passes its end (``schedule._day_table``), never for a plan with dates before working
    day 0 (3 January 2000; a list reads a negative index from its end): the plan moved back to
    start in January 2000 or late 1999, with the table grown one day at a time from nothing."""
    from graph import compiled_links

    plan, override = case
    _moved_back(plan, back)  # BASE (4 January 2027) less 9,863 days: Monday 3 January 2000
    saved = schedule._DAYS_AHEAD, list(compiled_links._NUMBERS)
    schedule._DAYS_AHEAD = 0
    del compiled_links._NUMBERS[:]
    try:
        assert_same(ScheduleCore(plan, phases=override).run(),
                    PlainCore(plan, phases=override).run())
    finally:
        schedule._DAYS_AHEAD = saved[0]
        compiled_links._NUMBERS[:] = saved[1]


@settings(deadline=None, max_examples=150 * SCALE, derandomize=DERANDOMIZE)
@given(varied_plans(), st.data())
def test_can_start_now_and_unlocks_are_the_plain_rules(case, data):
    """What can start now, in Kahn's order, and what each challenge's open actions unlock
    downstream, as the plain rules have them (issue 13: both are read from the links as the
    schedule holds them, the first sorted among its own actions only, the second along any
    topological order)."""
    import networkx as nx

    from graph.snapshot import DONE, IN_PROGRESS
    from planner.rules import primary_challenge

    plan, override = case
    for a in plan.actions.values():
        if a.status == "not started":
            a.status = data.draw(st.sampled_from(["not started"] * 3 + ["done", "in progress"]))
        a.challenges = data.draw(st.lists(st.integers(1, 4), max_size=2))
    an = graph.analyse(plan)
    d = an.data
    ready, recs = an.ready_now, an.recommendations
    assert d.links._fifo is None and d.links._lists is None  # no sort or tuples of every link
    asof = d.as_of_idx if d.as_of_idx is not None else d.start_idx
    plain = [d.ids[i] for i in d.order
             if d.state[i] == 0 and plan.actions[d.ids[i]].status != "on hold"
             and all(d.state[p] == DONE or (ss and d.state[p] == IN_PROGRESS)
                     for p, _s, ss, _lag in d.preds[i])
             and d.es[i] <= asof]
    assert ready == plain
    open_graph = nx.DiGraph()
    open_graph.add_nodes_from(i for i in range(len(d.ids)) if d.state[i] != DONE)
    open_graph.add_edges_from((p, s) for s in open_graph for p, _s, _ss, _lag in d.preds[s]
                              if p in open_graph)
    home = {i: primary_challenge(plan.actions[d.ids[i]]) for i in open_graph}
    for r in recs:
        if r.kind != "challenge":
            continue
        below = set().union(*(nx.descendants(open_graph, i) for i in open_graph
                              if home[i] == r.challenge))
        unlocked = {i for i in below if home[i] != r.challenge}
        assert r.leverage == len(unlocked)
        assert r.unlocked_challenges == sorted({home[i] for i in unlocked} - {None})
