"""The links a compile reads are exactly the plan's links between scheduled actions.

Issue 13: compiling looks every link's two ids up in one C loop (an itemgetter of them all) when
the plan has two links or more, one at a time when it has one, and falls back to the look-up
that notes bad links when one names an unknown or cancelled action. Whichever way it went, each
link kept is the positions of its two ends, its kind and its lag, in the plan's order, and the
links into each action are those, in the same order.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_graph_properties import DERANDOMIZE, SCALE, random_plans

from graph.schedule import ScheduleCore
from planner.model import Dependency


@st.composite
def plans_with_links(draw):
    """random_plans cut to no link, one, two or all of them; some actions cancelled and a link
    to an action that is not in the plan, now and then."""
    plan = draw(random_plans())
    keep = draw(st.sampled_from([0, 1, 2, None]))
    if keep is not None:
        for uid in list(plan.dependencies)[keep:]:
            del plan.dependencies[uid]
    ids = list(plan.actions)
    for aid in ids:
        if draw(st.integers(0, 8)) == 0:
            plan.actions[aid].status = "cancelled"
    if draw(st.integers(0, 4)) == 0:
        d = Dependency(action=draw(st.sampled_from(ids)), needs="GONE")
        plan.dependencies[d.uid] = d
    return plan


def plain_links(plan, pos: dict[str, int]) -> list[tuple[int, int, bool, int]]:
    """(prerequisite, successor, start-to-start, lag) of each link between scheduled actions."""
    return [(pos[d.needs], pos[d.action], d.type == "SS", d.lag)
            for d in plan.dependencies.values() if d.needs in pos and d.action in pos]


@settings(deadline=None, max_examples=200 * SCALE, derandomize=DERANDOMIZE)
@given(plans_with_links())
def test_compiled_links_are_the_plans_links_between_scheduled_actions(plan):
    core = ScheduleCore(plan).run()
    pos = core.pos
    assert core.ids == [a for a, r in plan.actions.items() if r.status != "cancelled"]
    links = core.links
    want = plain_links(plan, pos)
    assert list(zip(links.e_pred, links.e_succ, links.e_ss, links.e_lag)) == want
    for i in range(len(core.ids)):
        lo, hi = links.p_off[i], links.p_off[i + 1]
        assert list(zip(links.p_node[lo:hi], links.p_ss[lo:hi], links.p_lag[lo:hi])) == \
            [(p, ss, lag) for p, s, ss, lag in want if s == i]
    bad = [d for d in plan.dependencies.values() if d.needs not in pos or d.action not in pos]
    assert [n.ids for n in core.notes if n.kind == "link"] == [(d.action, d.needs) for d in bad]


@settings(deadline=None, max_examples=200 * SCALE, derandomize=DERANDOMIZE)
@given(st.integers(1, 40).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans(),
                                   st.integers(0, 12)), max_size=120))),
       st.sampled_from([0, 10**9]), st.booleans())
def test_grouping_the_links_keeps_each_actions_links_in_the_plans_order(case, array_from, three):
    """``flat.grouped`` (a counting sort), its next places kept in an array (a big plan) or in a
    list (a small one), with three columns (the scheduler's) or two (the longest-chain check's),
    against the plain stable sort of the edges by their key."""
    from planner import flat

    n, edges = case
    keys = [e[0] for e in edges]
    was = flat.SCATTER_ARRAY_FROM
    flat.SCATTER_ARRAY_FROM = array_from
    try:
        off, node, ss, lag = flat.grouped(
            keys, n, [e[1] for e in edges], [e[2] for e in edges],
            [e[3] for e in edges] if three else None)
    finally:
        flat.SCATTER_ARRAY_FROM = was
    plain = sorted(range(len(edges)), key=keys.__getitem__)
    if three:
        assert list(zip(node, ss, lag)) == [edges[k][1:] for k in plain]
    else:
        assert lag is None
        assert list(zip(node, ss)) == [edges[k][1:3] for k in plain]
    assert off == [sum(1 for x in keys if x < i) for i in range(n + 1)]
