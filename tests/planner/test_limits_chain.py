"""The longest-chain limit finds the same longest chain as a plain longest-path search."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner import limits
from planner.model import Action, Dependency, Plan


def _longest(plan: Plan) -> int:
    """Reference: longest chain of durations plus lags, by memoised search over prerequisites."""
    needs: dict[str, list[tuple[str, int]]] = {}
    for d in plan.dependencies.values():
        if d.action in plan.actions and d.needs in plan.actions and d.action != d.needs:
            needs.setdefault(d.action, []).append((d.needs, max(d.lag or 0, 0)))
    memo: dict[str, int] = {}

    def finish(a: str) -> int:
        if a not in memo:
            own = max(plan.actions[a].duration or 0, 0)
            memo[a] = own + max((finish(p) + lag for p, lag in needs.get(a, ())), default=0)
        return memo[a]
    return max((finish(a) for a in plan.actions), default=0)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 2000), min_size=1, max_size=25), st.data())
def test_chain_limit_agrees_with_a_plain_longest_path(durations, data):
    plan = Plan()
    for i, dur in enumerate(durations):
        plan.actions[f"A{i}"] = Action(f"A{i}", f"Step {i}", duration=dur)
    n = len(durations)
    for _ in range(data.draw(st.integers(0, 3 * n))):
        a, b = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
        if a < b:  # a link always to an earlier action: no loop
            dep = Dependency(f"A{b}", f"A{a}", lag=data.draw(st.integers(0, 2000)))
            plan.dependencies[dep.uid] = dep
    longest = _longest(plan)
    problem = limits.chain_problem(plan)
    assert (problem is not None) == (longest > limits.MAX_CHAIN_WORKING_DAYS)
    if problem:
        assert f"{longest:,} working days" in problem


# ----- the check an edit gets: kept between edits, same verdicts as the whole-plan check --------

def _edit_doc(tmp: str, durations: list[int]):
    from planner.document import PlanDocument

    plan = Plan()
    plan.settings.start = plan.settings.as_of = None
    for i, dur in enumerate(durations):
        plan.actions[f"A{i}"] = Action(f"A{i}", f"Step {i}", duration=dur)
    return PlanDocument.create(f"{tmp}/chain.rcplan", plan, overwrite=True)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=2, max_size=8), st.data())
def test_an_edit_is_refused_exactly_when_the_whole_plan_check_refuses_it(durations, data):
    """Issue 13: an edit no longer runs the longest-chain pass over the whole plan each time.
    Through a random run of edits, undos and redos (with the limit lowered so that chains
    cross it often), every edit of a duration, a lag or a link is refused with the chain
    problem exactly when ``chain_problem`` on the plan with that record in it finds one."""
    import dataclasses
    import tempfile

    from planner.errors import PlanError
    from planner.validate import record_problems

    saved = limits.MAX_CHAIN_WORKING_DAYS
    limits.MAX_CHAIN_WORKING_DAYS = 30
    try:
        with tempfile.TemporaryDirectory() as tmp:
            doc = _edit_doc(tmp, durations)
            ids = list(doc.plan.actions)
            refused = accepted = 0
            for _ in range(data.draw(st.integers(1, 15))):
                op = data.draw(st.sampled_from(["duration", "link", "lag", "unlink", "undo",
                                                "redo"]))
                deps = list(doc.plan.dependencies.values())
                if op == "undo":
                    doc.undo()
                    continue
                if op == "redo":
                    doc.redo()
                    continue
                if op == "unlink":
                    if deps:
                        doc.delete("dependency", data.draw(st.sampled_from(deps)).uid)
                    continue
                if op == "duration":
                    aid = data.draw(st.sampled_from(ids))
                    value = data.draw(st.integers(0, 25))
                    kind, rec = "action", dataclasses.replace(doc.plan.actions[aid], duration=value)
                    run = (lambda aid=aid, value=value: doc.update("action", aid, duration=value))
                elif op == "lag" and deps:
                    dep = data.draw(st.sampled_from(deps))
                    value = data.draw(st.integers(0, 25))
                    kind, rec = "dependency", dataclasses.replace(dep, lag=value)
                    run = (lambda dep=dep, value=value: doc.update("dependency", dep.uid, lag=value))
                else:
                    a, b = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
                    rec = Dependency(a, b, lag=data.draw(st.integers(0, 25)))
                    kind, run = "dependency", (lambda rec=rec: doc.add("dependency", rec))
                if record_problems(doc.plan, kind, rec, check_loops=False):
                    continue  # refused for another reason before the chain is looked at
                expected = limits.chain_problem(doc.plan, kind, rec)
                try:
                    run()
                    got = None
                except PlanError as exc:
                    got = str(exc)
                if expected is None:
                    assert got is None or "longest chain" not in got
                    accepted += got is None
                else:
                    assert got is not None and expected in got
                    refused += 1
                assert limits.chain_problem(doc.plan) is None or refused  # never let one in
            doc.close()
    finally:
        limits.MAX_CHAIN_WORKING_DAYS = saved


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=2, max_size=8), st.data())
def test_the_kept_chain_check_gives_the_whole_plan_checks_verdict_on_every_edit(durations, data):
    """The same property on the guard alone, over many more edits: each edit is judged by
    ``ChainGuard.problem`` and by ``chain_problem``; the verdicts (and words) are the same, and
    accepted edits (and removals) are applied and told to the guard as the document does."""
    import dataclasses

    saved = limits.MAX_CHAIN_WORKING_DAYS
    limits.MAX_CHAIN_WORKING_DAYS = 30
    try:
        plan = Plan()
        for i, dur in enumerate(durations):
            plan.actions[f"A{i}"] = Action(f"A{i}", f"Step {i}", duration=dur)
        ids = list(plan.actions)
        guard = limits.ChainGuard()
        for _ in range(data.draw(st.integers(1, 40))):
            op = data.draw(st.sampled_from(["duration", "link", "lag", "unlink"]))
            deps = list(plan.dependencies.values())
            if op == "unlink" and deps:
                dep = data.draw(st.sampled_from(deps))
                del plan.dependencies[dep.uid]
                guard.note(plan, "dependency", "*", {"lag": dep.lag}, None)
                continue
            if op == "duration":
                a = plan.actions[data.draw(st.sampled_from(ids))]
                kind, rec = "action", dataclasses.replace(a, duration=data.draw(st.integers(0, 25)))
            elif op == "lag" and deps:
                dep = data.draw(st.sampled_from(deps))
                kind, rec = "dependency", dataclasses.replace(dep, lag=data.draw(st.integers(0, 25)))
            else:
                a, b = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
                kind, rec = "dependency", Dependency(a, b, lag=data.draw(st.integers(0, 25)))
            expected = limits.chain_problem(plan, kind, rec)
            assert guard.problem(plan, kind, rec) == expected
            if expected is None:  # accepted: apply it and tell the guard, field by field
                coll = plan.actions if kind == "action" else plan.dependencies
                key = rec.id if kind == "action" else rec.uid
                old = coll.get(key)
                coll[key] = rec
                if old is None:
                    guard.note(plan, kind, "*", None, {"lag": rec.lag})
                elif kind == "action":
                    guard.note(plan, kind, "duration", old.duration, rec.duration)
                else:
                    guard.note(plan, kind, "lag", old.lag, rec.lag)
    finally:
        limits.MAX_CHAIN_WORKING_DAYS = saved
