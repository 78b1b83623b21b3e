"""The plan as a typed networkx graph: challenges, initiatives, actions, milestones, measures, people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.model import Plan

if TYPE_CHECKING:  # networkx is imported when a graph is built, not when the window starts
    import networkx as nx


def build_graph(plan: Plan) -> nx.MultiDiGraph:
    """A MultiDiGraph with typed nodes ``(kind, key)`` and typed edges (attribute ``kind``).

    Edges: ``needs`` (action -> the action it waits on; ``type`` FS/SS and ``lag``), ``addresses``
    (action -> challenge), ``marks`` (milestone -> action or initiative), ``measured_by``
    (challenge -> measure), ``owns`` (person -> action), ``part_of`` (action -> initiative).
    Every node carries ``kind``, ``key`` and ``title``.
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    for n, c in plan.challenges.items():
        g.add_node(("challenge", n), kind="challenge", key=n, title=c.title)
    for pid, p in plan.people.items():
        g.add_node(("person", pid), kind="person", key=pid, title=p.name)
    for iid, ini in plan.initiatives.items():
        g.add_node(("initiative", iid), kind="initiative", key=iid, title=ini.title)
    for mid, m in plan.measures.items():
        g.add_node(("measure", mid), kind="measure", key=mid, title=m.name)
        for n in m.challenges:
            g.add_node(("challenge", n), kind="challenge", key=n,
                       title=plan.challenges[n].title if n in plan.challenges else f"Challenge {n}")
            g.add_edge(("challenge", n), ("measure", mid), kind="measured_by")
    for aid, a in plan.actions.items():
        g.add_node(("action", aid), kind="action", key=aid, title=a.title, status=a.status)
        for n in a.challenges:
            if ("challenge", n) not in g:
                g.add_node(("challenge", n), kind="challenge", key=n, title=f"Challenge {n}")
            g.add_edge(("action", aid), ("challenge", n), kind="addresses")
        if a.owner is not None and ("person", a.owner) in g:
            g.add_edge(("person", a.owner), ("action", aid), kind="owns")
        if a.initiative is not None and ("initiative", a.initiative) in g:
            g.add_edge(("action", aid), ("initiative", a.initiative), kind="part_of")
    for d in plan.dependencies.values():
        if d.action in plan.actions and d.needs in plan.actions:
            g.add_edge(("action", d.action), ("action", d.needs), kind="needs", type=d.type,
                       lag=d.lag, uid=d.uid)
    for mid, m in plan.milestones.items():
        g.add_node(("milestone", mid), kind="milestone", key=mid, title=m.title)
        if m.action is not None and ("action", m.action) in g:
            g.add_edge(("milestone", mid), ("action", m.action), kind="marks")
        elif m.initiative is not None and ("initiative", m.initiative) in g:
            g.add_edge(("milestone", mid), ("initiative", m.initiative), kind="marks")
    return g


def dependency_graph(plan: Plan) -> nx.DiGraph:
    """Actions only, with an edge from each prerequisite to the action that needs it."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(plan.actions)
    for d in plan.dependencies.values():
        if d.action in plan.actions and d.needs in plan.actions:
            g.add_edge(d.needs, d.action, type=d.type, lag=d.lag)
    return g
