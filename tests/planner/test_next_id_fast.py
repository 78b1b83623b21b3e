"""The next free id of a big collection (found in C over the joined keys) is the one a look at
each key gives, for any keys a plan file might hold (issue 13: adding an action on 20,000 actions
spent about 25 ms finding its id)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.model import KINDS, Plan

KEY = st.one_of(
    st.integers(0, 10 ** 6).map(lambda n: f"A{n}"),
    st.integers(0, 10 ** 6).map(lambda n: f"A{n:07d}"),  # leading zeros
    st.sampled_from(["A", "A-3", "AA12", "a12", "A12x", " A12", "A12\n", "A1\nA999999", "M12",
                     "A١٢", "A12.5", ""]),
    st.text(max_size=6),
)


def plain_next_id(keys, prefix: str) -> str:
    highest = 0
    for key in keys:
        tail = str(key)[len(prefix):]
        if str(key).startswith(prefix) and tail.isdigit():
            highest = max(highest, int(tail))
    return f"{prefix}{highest + 1}"


@settings(max_examples=300, deadline=None)
@given(st.lists(KEY, min_size=0, max_size=300, unique=True))
def test_the_next_id_is_the_one_a_look_at_each_key_gives(keys):
    plan = Plan()
    for key in keys:
        plan.actions[key] = None  # only the keys are read
    prefix = KINDS["action"].prefix
    try:
        expected = plain_next_id(keys, prefix)
    except ValueError:  # digits int() cannot read (e.g. "A²"): the plain look fails on them
        return
    assert plan.next_id("action") == expected


def test_a_big_plan_of_numbered_actions_gets_the_next_number():
    plan = Plan()
    for n in list(range(1, 20001)) + [30007]:
        plan.actions[f"A{n}"] = None
    plan.actions["A12b"] = None
    assert plan.next_id("action") == "A30008"
