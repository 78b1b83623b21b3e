"""The checks ``validate`` runs on whole columns give what the plain, record-by-record forms give
(issue 13), on random plans with loops, long chains and hostile values.

Each fast path is compared with the plain code it stands in for: the longest-chain pass over
flat lists of positions (``limits.chain_of``, reached through ``chain_pass`` and through the
links ``validate._links_plain`` shares) against ``limits.chain_plain``; the range check by
columns (``limits.columns_plainly_inside``) against ``field_problems``; the live actions, the
tags found from titles and the actions grouped by tag against asking each action in turn.
"""

from __future__ import annotations

from datetime import date, datetime
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from planner import domain_checks, limits, rules, validate
from planner.domain_checks import action_tag, action_tags
from planner.model import Action, ActionStatus, Dependency, Person, Plan, ten_challenges
from planner.validate import validate_plan

HOSTILE_DAYS = st.one_of(
    st.integers(-5, 40), st.integers(-10**6, 10**6), st.sampled_from([None, True, False, 0]),
    st.floats(allow_nan=True, allow_infinity=True), st.just(10**40))
# made once, not for every link drawn (hypothesis validates each new strategy it is given)
_DAYS_HOSTILE = st.sampled_from([st.integers(0, 2000), st.integers(-30, 60), HOSTILE_DAYS])
_DAYS_SOUND = st.sampled_from([st.integers(0, 2000)])
_LINK_TYPES = st.sampled_from(["FS", "SS"])


@st.composite
def linked_plans(draw, hostile: bool = True):
    """Plans of up to 40 actions whose links may make loops, long chains, links of an action to
    itself or to no action of the plan, the same pair twice; durations and lags may be odd."""
    n = draw(st.integers(0, 40))
    plan = Plan(challenges=ten_challenges())
    days = draw(_DAYS_HOSTILE if hostile else _DAYS_SOUND)
    for i in range(n):
        plan.actions[f"A{i}"] = Action(f"A{i}", f"Step {i}", duration=draw(days))
    ids = list(plan.actions)
    if ids and draw(st.booleans()):  # a long chain through every action, perhaps closed
        for a, b in zip(ids[1:], ids):
            dep = Dependency(a, b, lag=draw(days))
            plan.dependencies[dep.uid] = dep
        if draw(st.booleans()):
            dep = Dependency(ids[0], ids[-1])
            plan.dependencies[dep.uid] = dep
    names = st.sampled_from(ids or ["A0"])
    for _ in range(draw(st.integers(0, 3 * n + 2))):
        a, b = draw(names), draw(names)
        if a == b and not (hostile and draw(st.booleans())):
            continue  # a link of an action to itself only now and then
        dep = Dependency(a, b, type=draw(_LINK_TYPES), lag=draw(days))
        plan.dependencies[dep.uid] = dep
    if hostile and draw(st.integers(0, 5)) == 0:  # now and then a link to no action of the plan
        dep = Dependency(draw(names), "A999", lag=draw(days))
        plan.dependencies[dep.uid] = dep
    return plan


def _outcome(fn, *args):
    try:
        return "ok", fn(*args)
    except Exception as exc:  # noqa: BLE001 - odd values may fail: they must fail the same way
        return "raised", type(exc)


@settings(max_examples=400, deadline=None)
@given(linked_plans())
def test_the_chain_pass_on_positions_finds_what_the_plain_pass_finds(plan):
    assert (_outcome(limits.chain_pass, plan)
            == _outcome(limits.chain_plain, plan.actions, plan.dependencies))


@settings(max_examples=200, deadline=None)
@given(linked_plans(hostile=False), st.data())
def test_the_chain_pass_on_positions_judges_an_edit_as_the_plain_pass(plan, data):
    ids = list(plan.actions) or ["A0"]
    rec = Dependency(data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids)),
                     lag=data.draw(st.integers(0, 2000)))
    deps = {**plan.dependencies, rec.uid: rec}
    assert (_outcome(limits.chain_pass, plan, "dependency", rec)
            == _outcome(limits.chain_plain, plan.actions, deps))


def test_a_loop_and_what_waits_on_it_are_not_reached():
    """A loop's actions and those waiting on them are never reached: the plan is not loop-free."""
    plan = Plan()
    for i in range(4):
        plan.actions[f"A{i}"] = Action(f"A{i}", f"Step {i}", duration=3)
    for a, b in (("A1", "A0"), ("A2", "A1"), ("A1", "A2"), ("A3", "A2")):
        dep = Dependency(a, b, lag=1)
        plan.dependencies[dep.uid] = dep
    # A1 is reached from A0 (3 + 1 + 3) but never finished with: A1, A2 and A3 wait in vain
    assert limits.chain_pass(plan) == (7, False) == limits.chain_plain(plan.actions,
                                                                       plan.dependencies)


@settings(max_examples=300, deadline=None)
@given(linked_plans(), st.integers(1, 200))
def test_validate_with_shared_link_positions_lists_what_the_plain_checks_list(plan, limit):
    """The longest-chain limit lowered so that chains cross it often."""
    plan.people = {"P1": Person("P1", "Asha")}
    saved = limits.MAX_CHAIN_WORKING_DAYS
    limits.MAX_CHAIN_WORKING_DAYS = limit
    try:
        fast = _outcome(validate_plan, plan)
        with mock.patch.object(validate, "_links_plain", lambda plan, links: False), \
                mock.patch.object(limits, "link_positions", lambda actions, links: None):
            plain = _outcome(validate_plan, plan)
    finally:
        limits.MAX_CHAIN_WORKING_DAYS = saved
    assert fast == plain


class Title(str):
    """A str subclass, as a str enum is."""


PLAIN_VALUES = [None, 0, "", False, True, [], "x", Title("y"), 5, -3, 2000, -2000,
                date(2026, 1, 5), date(1990, 1, 1), date(2200, 12, 31), [1, 2], [0], [True]]
ODD_VALUES = [
    "x" * 32_001, ActionStatus.DONE, 2001, -2001, 10**7, 10**40, 1.5, 0.0, float("nan"),
    float("inf"), date(1900, 1, 1), date(2300, 1, 1), datetime(2026, 1, 5, 12), [2001], [1.0],
    [float("nan")], list(range(1001)), (1,), {"a": 1}, b"bytes",
]
VALUES = st.sampled_from(PLAIN_VALUES) | st.sampled_from(ODD_VALUES)


@settings(max_examples=1000, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=6))
@example([5, float("nan")])
@example([True, 0, float("inf")])
@example([None, -3, 10**40])
@example(["x", "", 5])
@example([date(2026, 1, 5), datetime(2026, 1, 5, 12)])
@example([[1, 2], [float("nan")]])
@example([[1], (1,)])
def test_a_column_judged_plainly_inside_holds_no_value_out_of_range(values):
    if limits.columns_plainly_inside([values]):
        for value in values:
            assert limits.value_problem("duration", value) is None
            assert limits.value_problem("notes", value) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "notes", "duration", "percent", "phase",
                                           "deadline", "challenges", "owner", "check_hope"]),
                          VALUES), max_size=4),
       st.integers(1, 6))
def test_records_judged_plainly_inside_have_no_range_problem(changes, n):
    records = [Action(f"A{i}", f"Step {i}") for i in range(n)]
    for k, (name, value) in enumerate(changes):
        setattr(records[k % n], name, value)
    if limits.plainly_inside(records):
        assert all(limits.field_problems(r) == [] for r in records)
    else:  # unsure only when something is odd
        assert changes


def test_plain_columns_are_plainly_inside():
    assert limits.plainly_inside([Action("A1", "x", challenges=[1, 2], deadline=date(2026, 1, 1),
                                         phase=2, check_hope=-1),
                                  Action("A2", "", owner=None, percent=100, duration=0)])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([s.value for s in ActionStatus] + [ActionStatus.CANCELLED,
                                                                   "odd", None, 3]), max_size=8))
def test_live_actions_are_those_each_action_says_are_live(statuses):
    actions = [Action(f"A{i}", "x", status=s) for i, s in enumerate(statuses)]
    assert rules.live_actions(iter(actions)) == [a for a in actions if rules.is_live(a)]


WORDS = ["train", "tutor", "recruit", "co-deliver", "course", "hr", "job description",
         "prepare", "policy", "hire", "peer", "staff", "all", "form", "new", "fidelity",
         "external", "employment specialist", "trainer", "the", "x", "\n", " "]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join),
                          st.sampled_from(["", "", "", "peer-hire", "form-change"])),
                min_size=1, max_size=60))
def test_tags_of_many_actions_are_each_actions_tag(rows):
    """Enough titles that a tag's later patterns are asked of the few titles left."""
    actions = [Action(f"A{i}", title, tag=tag) for i, (title, tag) in enumerate(rows)]
    assert action_tags(actions) == {a.id: action_tag(a) for a in actions}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Recruit peer workers", "Prepare HR policies",
                                           "Write it", "Train all staff"]),
                          st.one_of(st.sampled_from(["", "peer-hire", "hr-readiness"]),
                                    st.integers(1, 40).map(str))),
                min_size=1, max_size=40), st.booleans())
def test_actions_grouped_by_tag_are_those_of_each_action_in_turn(rows, twin):
    actions = [Action(f"A{i}", title, tag=tag) for i, (title, tag) in enumerate(rows)]
    if twin:  # two actions with one id
        actions.append(Action("A0", "Recruit peer tutors"))
    tags = {a.id: action_tag(a) for a in actions}
    plain: dict[str, list[Action]] = {}
    for a in actions:
        plain.setdefault(tags[a.id], []).append(a)
    got = domain_checks._tagged(actions)
    assert {t: got.get(t, []) for t in plain if t} == {t: v for t, v in plain.items() if t}


@st.composite
def plans_of_records(draw):
    """Plans with several milestones, initiatives, measures and risks, a few of their fields
    given odd or out-of-range values."""
    from planner.model import Initiative, Measure, Milestone, Risk

    plan = Plan(challenges=ten_challenges())
    plan.people = {"P1": Person("P1", "Asha")}
    plan.actions = {"A1": Action("A1", "Step")}
    made = []
    for i in range(draw(st.integers(0, 4))):
        made.append(Initiative(f"I{i}", f"Stream {i}", owner=draw(st.sampled_from([None, "P1"])),
                               challenges=draw(st.lists(st.integers(1, 10), max_size=2))))
    for i in range(draw(st.integers(0, 4))):
        made.append(Milestone(f"M{i}", f"Point {i}", action=draw(st.sampled_from([None, "A1"])),
                              baseline=draw(st.sampled_from([None, date(2026, 5, 1)]))))
    for i in range(draw(st.integers(0, 3))):
        made.append(Measure(f"OM{i}", f"Measure {i}"))
    for i in range(draw(st.integers(0, 3))):
        made.append(Risk(f"R{i}", f"Risk {i}", likelihood=draw(st.integers(1, 5)),
                         impact=draw(st.integers(1, 5))))
    for _ in range(draw(st.integers(0, 3))):
        if made:
            rec = draw(st.sampled_from(made))
            name = draw(st.sampled_from([f for f in vars(rec) if f not in ("uid", "id")]))
            setattr(rec, name, draw(VALUES))
    for rec in made:
        plan.collection({"Initiative": "initiative", "Milestone": "milestone",
                         "Measure": "measure", "Risk": "risk"}[type(rec).__name__])[rec.id] = rec
    return plan


@settings(max_examples=300, deadline=None)
@given(plans_of_records())
def test_records_with_plain_columns_get_the_problems_each_record_gets(plan):
    fast = _outcome(validate_plan, plan)
    with mock.patch.object(validate, "_records_plain", lambda records: False):
        assert _outcome(validate_plan, plan) == fast


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([None, "", "P1", "P9"]),
                          st.lists(st.integers(0, 12), max_size=3)), max_size=30))
def test_plan_warnings_name_the_actions_each_action_names(rows):
    from planner.validate import plan_warnings

    plan = Plan(challenges=ten_challenges())
    for i, (owner, challenges) in enumerate(rows):
        plan.actions[f"A{i}"] = Action(f"A{i}", "Step", owner=owner, challenges=challenges)
    no_owner = [a.id for a in plan.actions.values() if not a.owner]
    covered = {n for a in plan.actions.values() for n in a.challenges}
    got = plan_warnings(plan)
    assert bool(no_owner) == any("no owner" in w for w in got)
    if no_owner:
        assert got[0].startswith(f"{len(no_owner)} action") and no_owner[0] in got[0]
    assert [w for w in got if w.startswith("Challenge ")] == [
        f"Challenge {n}, {c.title}, has no actions yet."
        for n, c in sorted(plan.challenges.items()) if n not in covered]
