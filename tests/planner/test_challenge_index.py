"""``challenge_actions`` read from the index ``challenges_held`` builds once (issue 13: the deck
asked it ten times per question, each a scan of every action) gives exactly the plain scan's
answer: the same actions, in the plan's order, each once, cancelled ones left out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner import rules
from planner.model import Action, ActionStatus, Plan

actions = st.lists(st.tuples(st.lists(st.integers(0, 12), max_size=4),
                             st.sampled_from(list(ActionStatus))), max_size=30)


def plan_of(specs) -> Plan:
    plan = Plan()
    for i, (challenges, status) in enumerate(specs):
        plan.actions[f"A{i}"] = Action(f"A{i}", f"Action {i}", challenges=challenges, status=status)
    return plan


@settings(max_examples=200, deadline=None)
@given(actions)
def test_held_index_gives_the_plain_scan(specs):
    plan = plan_of(specs)
    plain = {n: rules.challenge_actions(plan, n) for n in range(-1, 14)}
    assert plain[3] == [a for a in plan.actions.values()
                        if 3 in a.challenges and a.status != ActionStatus.CANCELLED]
    with rules.challenges_held(plan):
        with rules.challenges_held(plan):  # nested: still the same index
            assert {n: rules.challenge_actions(plan, n) for n in range(-1, 14)} == plain
        held = {n: rules.challenge_actions(plan, n) for n in range(-1, 14)}
    assert held == plain
    for n, got in held.items():
        assert all(a is b for a, b in zip(got, plain[n]))


def test_the_index_is_dropped_after_the_block_and_is_only_for_its_plan():
    plan = plan_of([([3], ActionStatus.NOT_STARTED), ([3, 3, 4], ActionStatus.DONE)])
    other = plan_of([([3], ActionStatus.NOT_STARTED)])
    with rules.challenges_held(plan):
        assert [a.id for a in rules.challenge_actions(plan, 3)] == ["A0", "A1"]
        got = rules.challenge_actions(plan, 3)
        got.clear()  # a caller's list is its own
        assert len(rules.challenge_actions(plan, 3)) == 2
        other.actions["A0"].challenges = [5]  # another plan is scanned as it is
        assert rules.challenge_actions(other, 5) == [other.actions["A0"]]
    plan.actions["A1"].status = ActionStatus.CANCELLED  # after the block: the plan as it is now
    assert [a.id for a in rules.challenge_actions(plan, 3)] == ["A0"]


def test_a_challenge_that_cannot_be_a_key_falls_back_to_the_scan():
    plan = plan_of([([3], ActionStatus.NOT_STARTED)])
    plan.actions["A0"].challenges = [[1], 3]  # an untrusted file's oddity
    with rules.challenges_held(plan):
        assert rules.challenge_actions(plan, 3) == [plan.actions["A0"]]
