"""The document's link index (planner/links.py) gives the per-edit checks the answers the plain
whole-plan searches give: the same loop named, the same duplicate refused, the same longest chain,
the same links deleted with an action, after any sequence of edits, undos and redos (issue 13)."""

from __future__ import annotations

import dataclasses
import itertools
import tempfile
import types
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import limits, model, operations
from planner.changes import WHOLE, FieldChange
from planner.document import PlanDocument
from planner.errors import PlanError
from planner.links import LinkIndex
from planner.model import Action, Dependency, Plan
from planner.validate import loop_through, successors_map


def _plan(durations: list[int], pairs: list[tuple[int, int, int]], chain: int = 0) -> Plan:
    """Actions A0.. with ``durations``, a chain A0 <- A1 <- ... of ``chain`` links, then a link
    for each (waits, needs, lag) in ``pairs``: self-links, loops and repeats included."""
    plan = Plan()
    for i, dur in enumerate(durations):
        plan.actions[f"A{i}"] = Action(f"A{i}", f"Step {i}", duration=dur)
    for i in range(1, min(chain, len(durations))):
        dep = Dependency(f"A{i}", f"A{i - 1}")
        plan.dependencies[dep.uid] = dep
    for a, b, lag in pairs:
        dep = Dependency(f"A{a}", f"A{b}", lag=lag)
        plan.dependencies[dep.uid] = dep
    return plan


plans = st.integers(1, 14).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 30), min_size=n, max_size=n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(0, 9)),
             max_size=3 * n),
    st.sampled_from([0, 0, n])))


@settings(max_examples=200, deadline=None)
@given(plans, st.data())
def test_the_kept_loop_check_names_the_loop_the_plain_search_names(shape, data):
    """Random plans (loops, self-links and repeated pairs included) and random new or existing
    links: the search over the index finds the same chain, or none, as over a fresh map."""
    durations, pairs, chain = shape
    plan = _plan(durations, pairs, chain)
    index = LinkIndex()
    n = len(durations)
    for _ in range(6):
        if plan.dependencies and data.draw(st.booleans()):
            dep = data.draw(st.sampled_from(list(plan.dependencies.values())))  # moved: skipped
            dep = dataclasses.replace(dep, action=f"A{data.draw(st.integers(0, n - 1))}")
        else:
            dep = Dependency(f"A{data.draw(st.integers(0, n - 1))}",
                             f"A{data.draw(st.integers(0, n - 1))}")
        assert loop_through(plan, dep, index) == loop_through(plan, dep)
        taken = any(o.uid != dep.uid and (o.action, o.needs) == (dep.action, dep.needs)
                    for o in plan.dependencies.values())
        assert index.pair_taken(plan, dep.action, dep.needs, dep.uid) == taken


def test_a_long_chain_closed_into_a_loop_is_named_whole():
    """A chain of 3,000 actions and the link that would close it: the kept check names every
    action of the loop, as the plain one does, and a link along the chain is no loop."""
    plan = _plan([1] * 3000, [], chain=3000)
    index = LinkIndex()
    closing = Dependency("A0", "A2999")
    found = loop_through(plan, closing, index)
    assert found == loop_through(plan, closing) == [f"A{i}" for i in range(3000)]
    assert loop_through(plan, Dependency("A2999", "A0"), index) is None


@settings(max_examples=200, deadline=None)
@given(plans, st.data())
def test_the_chain_through_a_new_link_is_what_the_whole_plan_pass_adds(shape, data):
    """On plans without a loop, the longest chain once a link is added is the larger of the
    plan's longest chain and the index's chain through the link."""
    durations, pairs, chain = shape
    pairs = [(a, b, lag) for a, b, lag in pairs if a > b]  # no loop
    plan = _plan(durations, pairs, chain)
    index = LinkIndex()
    n = len(durations)
    a, b = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
    if a <= b:
        return
    dep = Dependency(f"A{a}", f"A{b}", lag=data.draw(st.integers(0, 20)))
    through = index.chain_through(plan, dep.action, dep.needs, dep.lag)
    assert through is not None
    assert max(limits.longest_chain(plan), through) == limits.longest_chain(plan, "dependency", dep)


def _replay(plan: Plan, index: LinkIndex, guard: limits.ChainGuard, fc: FieldChange) -> None:
    """Apply a field change as the document does: the plan, then the index, then the guard."""
    coll = plan.actions if fc.kind == "action" else plan.dependencies
    if fc.new is None:
        del coll[fc.key]
    elif fc.kind == "action":
        coll[fc.key] = Action(fc.key, "Step", duration=fc.new["duration"])
    else:
        coll[fc.key] = Dependency(fc.new["action"], fc.new["needs"], lag=fc.new["lag"], uid=fc.key)
    index.note(plan, fc)
    guard.note(plan, fc.kind, fc.field, fc.old, fc.new)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=2, max_size=8), st.data())
def test_the_chain_check_with_the_index_gives_the_whole_plan_verdict(durations, data):
    """``ChainGuard`` given the index, over many edits (new actions, new and removed links,
    longer durations): every verdict is ``chain_problem``'s."""
    saved = limits.MAX_CHAIN_WORKING_DAYS
    limits.MAX_CHAIN_WORKING_DAYS = 30
    try:
        plan = _plan(durations, [])
        index = LinkIndex()
        guard = limits.ChainGuard(index)
        for _ in range(data.draw(st.integers(1, 30))):
            ids = list(plan.actions)
            op = data.draw(st.sampled_from(["duration", "link", "unlink", "action"]))
            deps = list(plan.dependencies.values())
            if op == "unlink" and deps:
                dep = data.draw(st.sampled_from(deps))
                _replay(plan, index, guard, FieldChange(
                    "dependency", dep.uid, dep.uid, WHOLE,
                    {"action": dep.action, "needs": dep.needs, "lag": dep.lag}, None))
                continue
            if op == "duration":
                a = plan.actions[data.draw(st.sampled_from(ids))]
                kind, rec = "action", dataclasses.replace(a, duration=data.draw(st.integers(0, 25)))
            elif op == "action":
                aid = f"A{len(ids) + 100}"
                kind, rec = "action", Action(aid, "New", duration=data.draw(st.integers(0, 40)))
            else:
                a, b = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
                if a == b or loop_through(plan, Dependency(a, b)) is not None:
                    continue  # the document refuses these before the chain matters
                kind, rec = "dependency", Dependency(a, b, lag=data.draw(st.integers(0, 25)))
            expected = limits.chain_problem(plan, kind, rec)
            assert guard.problem(plan, kind, rec) == expected
            if expected is not None:
                continue
            if kind == "action" and rec.id in plan.actions:
                old = plan.actions[rec.id]
                plan.actions[rec.id] = rec
                guard.note(plan, kind, "duration", old.duration, rec.duration)
            elif kind == "action":
                _replay(plan, index, guard, FieldChange("action", rec.id, rec.uid, WHOLE, None,
                                                        {"id": rec.id, "duration": rec.duration}))
            else:
                _replay(plan, index, guard, FieldChange(
                    "dependency", rec.uid, rec.uid, WHOLE, None,
                    {"action": rec.action, "needs": rec.needs, "lag": rec.lag}))
    finally:
        limits.MAX_CHAIN_WORKING_DAYS = saved


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_document_keeps_its_index_through_edits_undo_and_redo(data):
    """Random edits through the operations (links added, refused, removed; actions added and
    deleted), undos and redos: the document's index always holds the plan's successor map in
    the plan's order, and an action is deleted with exactly the links that name it."""
    # Records' uids are random: the same ones in every run of an example, so that hypothesis
    # replaying an example (under load, in a whole-suite run) walks exactly the same path.
    count = itertools.count(1)
    same_uids = types.SimpleNamespace(urandom=lambda n: next(count).to_bytes(n, "big"))
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(model, "os", same_uids):
        plan = _plan([2, 3, 1, 4, 2, 5], [(1, 0, 0), (2, 1, 1), (3, 1, 0), (5, 4, 2)])
        doc = PlanDocument.create(Path(folder) / "p.rcplan", plan)
        try:
            for _ in range(data.draw(st.integers(1, 14))):
                ids = sorted(doc.plan.actions)
                op = data.draw(st.sampled_from(["link", "link", "unlink", "add", "delete",
                                                "undo", "redo"]))
                try:
                    if op == "link":
                        operations.add_dependency(doc, data.draw(st.sampled_from(ids)),
                                                  data.draw(st.sampled_from(ids)))
                    elif op == "unlink" and doc.plan.dependencies:
                        operations.remove_dependency(
                            doc, data.draw(st.sampled_from(list(doc.plan.dependencies))))
                    elif op == "add":
                        operations.add_action_after(doc, data.draw(st.sampled_from(ids)))
                    elif op == "delete" and len(ids) > 1:
                        aid = data.draw(st.sampled_from(ids))
                        naming = [u for u, d in doc.plan.dependencies.items()
                                  if aid in (d.action, d.needs)]
                        change = operations.delete_action(doc, aid)
                        gone = [fc.key for fc in change.changes if fc.kind == "dependency"]
                        assert gone == naming
                    elif op == "undo":
                        operations.undo(doc)
                    elif op == "redo":
                        operations.redo(doc)
                except PlanError:
                    pass
                index = doc._links
                if index._plan is doc.plan:  # kept, not rebuilt: it followed every change
                    assert index._count == len(doc.plan.dependencies)
                kept = index.successors(doc.plan)
                plain = successors_map(doc.plan)
                assert {a: kept.get(a) for a in doc.plan.actions} == \
                    {a: plain.get(a, ()) for a in doc.plan.actions}
                assert limits.chain_problem(doc.plan) is None
        finally:
            doc.close()
