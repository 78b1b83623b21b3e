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
