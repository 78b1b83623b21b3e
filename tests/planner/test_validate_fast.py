"""``validate``'s whole-column checks list exactly what checking record by record lists (issue 13).

Each fast path is compared with the plain rule it stands in for, on plans holding valid and
invalid values: the actions a column check leaves out (``validate._action_suspects``), links
(``validate._links_plain``), range checks (``limits.plainly_inside``), actual dates after the
status date (``validate._any_after``), tags found from titles (``domain_checks.action_tags``)
and the words a title pattern needs (``domain_checks._required_words``).
"""

from __future__ import annotations

import re
from datetime import date
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from planner import domain_checks, limits, validate
from planner.domain_checks import action_tag, action_tags, domain_warnings
from planner.model import (
    ACTION_TAGS, Action, ActionStatus, Dependency, Milestone, Person, Plan, ten_challenges,
)
from planner.validate import future_actuals, validate_plan

WORDS = ["train", "training", "tutor", "trainer", "recruit", "co-deliver", "codeliver", "course",
         "hr", "human resources", "job description", "occupational health", "prepare", "ready",
         "readiness", "policy", "hire", "appoint", "employ", "peer", "staff", "clinical", "every",
         "all", "roll out", "roll-out", "form", "forms", "replace", "new", "introduce", "change",
         "fidelity", "independent", "external", "employment specialist", "the", "review",
         "\n", "é", "İ", "x", "-", " "]
TITLES = (st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
          | st.text(min_size=1, max_size=6))


DATES = st.sampled_from([None, None, date(2026, 1, 5), date(2026, 3, 1), date(2027, 6, 1)])

BREAKS = [  # one field of one action given a value that breaks a rule
    ("title", ""), ("title", "   "), ("owner", "P9"), ("initiative", "I9"), ("challenges", [0]),
    ("challenges", [3, 11]), ("duration", -1), ("status", "finished"), ("percent", -5),
    ("percent", 101), ("check_control", 2), ("check_opportunity", -2), ("phase", 0),
    ("phase", -1), ("tag", "odd"), ("tag", "Peer-hire"), ("actual_finish", date(2026, 1, 1)),
    ("not_before", date(2027, 12, 1)),
]
ODD = [  # ... or a value out of range, or of another type (each action is then checked)
    ("title", "x" * 32_001), ("challenges", [True]), ("duration", 2001), ("duration", 10**7),
    ("duration", None), ("status", ActionStatus.DONE), ("percent", None), ("check_hope", True),
    ("check_hope", 1.0), ("deadline", date(2300, 1, 1)), ("actual_start", date(1900, 1, 1)),
    ("notes", "y" * 32_001),
]
LINK_BREAKS = [("type", "XX"), ("lag", -3), ("lag", 2001), ("lag", None), ("action", "A99"),
               ("needs", "A99"), ("needs", "itself"), ("action", "twin")]


# The strategies below are made once: made anew for every value drawn, they cost hypothesis more
# than the checks under test (each one validated and measured), for the same values.
_OWNERS = st.sampled_from([None, "", "P1", "P2"])
_NO_INITIATIVE = st.sampled_from([None, ""])
_CHALLENGE_LISTS = st.lists(st.integers(1, 10), max_size=3)
_STATUSES = st.sampled_from(["not started", "done", "cancelled"])
_CHECKS = st.sampled_from([None, -1, 0, 1])
_PHASES = st.sampled_from([None, 1, 2])
_TAGS = st.sampled_from(ACTION_TAGS)
_BREAKS = st.lists(st.tuples(st.integers(0, 99), st.sampled_from(BREAKS)), max_size=4)
_ODD = st.lists(st.tuples(st.integers(0, 99), st.sampled_from(ODD)), max_size=1)
_LINK_TYPES = st.sampled_from(["FS", "SS"])
_LINK_BREAKS = st.lists(st.tuples(st.integers(0, 99), st.sampled_from(LINK_BREAKS)), max_size=2)


@st.composite
def actions(draw, n_max=6):
    """Actions with valid values, then a few single fields broken (``BREAKS``)."""
    out = []
    for i in range(draw(st.integers(1, n_max))):
        out.append(Action(
            id=f"A{i + 1}", title=draw(TITLES), owner=draw(_OWNERS),
            initiative=draw(_NO_INITIATIVE),
            challenges=draw(_CHALLENGE_LISTS),
            duration=draw(st.integers(0, 30)),
            status=draw(_STATUSES),
            percent=draw(st.integers(0, 100)),
            actual_start=draw(DATES), actual_finish=draw(DATES),
            not_before=draw(DATES), deadline=draw(DATES), coproduced=draw(st.booleans()),
            check_control=draw(_CHECKS),
            phase=draw(_PHASES), tag=draw(_TAGS)))
    for at, (name, value) in draw(_BREAKS) + draw(_ODD):
        if out:
            setattr(out[at % len(out)], name, value)
    return out


@st.composite
def plans(draw):
    plan = Plan(challenges=ten_challenges())
    plan.settings.as_of = date(2026, 6, 1)
    plan.people = {"P1": Person("P1", "Asha"), "P2": Person("P2", "Ben")}
    for a in draw(actions()):
        plan.actions[a.id] = a
    ids = list(plan.actions)
    links = []
    if len(ids) >= 2:
        some_id = st.sampled_from(ids)
        for _ in range(draw(st.integers(0, 8))):
            a, b = draw(some_id), draw(some_id)
            if a != b and (a, b) not in {(d.action, d.needs) for d in links}:
                links.append(Dependency(a, b, type=draw(_LINK_TYPES),
                                        lag=draw(st.integers(0, 5))))
    for at, (name, value) in draw(_LINK_BREAKS):
        if links:
            link = links[at % len(links)]
            if value == "itself":
                value = link.action
            elif value == "twin":
                link = Dependency(links[0].action, links[0].needs)
                links.append(link)
                continue
            setattr(link, name, value)
    plan.dependencies = {d.uid: d for d in links}
    milestone_action = st.sampled_from(ids + ["A99"])
    for i in range(draw(st.integers(0, 2))):
        m = Milestone(f"M{i + 1}", "Milestone", action=draw(milestone_action),
                      actual=draw(DATES))
        plan.milestones[m.id] = m
    return plan


def _plainly(fn, plan):
    """``fn(plan)`` with every whole-column shortcut turned off: record by record."""
    with mock.patch.object(validate, "_action_suspects", lambda plan, records: None), \
            mock.patch.object(validate, "_links_plain", lambda plan, links: False), \
            mock.patch.object(validate, "_any_after", lambda records, fields, limit: True):
        return fn(plan)


def _outcome(fn, plan):
    try:
        return "ok", fn(plan)
    except Exception as exc:  # noqa: BLE001 - odd values may fail: they must fail the same way
        return "raised", type(exc)


@settings(max_examples=300, deadline=None)
@given(plans())
def test_validate_lists_what_checking_each_record_lists(plan):
    for fn in (validate_plan, future_actuals):
        assert _outcome(fn, plan) == _outcome(lambda p: _plainly(fn, p), plan)


@settings(max_examples=300, deadline=None)
@given(actions(n_max=5))
def test_plainly_inside_means_no_range_problem(records):
    if limits.plainly_inside(records):
        assert all(limits.field_problems(r) == [] for r in records)


def test_a_value_out_of_range_is_not_plainly_inside():
    assert limits.plainly_inside([Action("A1", "x"), Action("A2", "y")])
    assert not limits.plainly_inside([Action("A1", "x"), Action("A2", "y", duration=2001)])
    assert not limits.plainly_inside([Action("A1", "x", deadline=date(2300, 1, 1))])
    assert not limits.plainly_inside([Action("A1", "x" * 32_001)])


@settings(max_examples=400, deadline=None)
@given(actions(n_max=8))
def test_action_tags_are_each_actions_tag(records):
    assert action_tags(records) == {a.id: action_tag(a) for a in records}


@settings(max_examples=500, deadline=None)
@given(TITLES)
def test_a_title_a_pattern_matches_holds_one_of_its_words(title):
    title = title.lower()
    for _tag, need, avoid in domain_checks._TITLE_PATTERNS:
        for pattern in need + avoid:
            words = domain_checks._required_words(pattern)
            if words is not None and re.search(pattern, title):
                assert any(w in title for w in words), (pattern, title)


def test_the_tag_patterns_are_narrowed_by_words():
    """Every pattern a tag needs gives its words (else every title would be searched)."""
    for _tag, need, _avoid in domain_checks._TITLE_PATTERNS:
        assert all(domain_checks._required_words(p) for p in need)


@settings(max_examples=300, deadline=None)
@given(plans())
def test_domain_warnings_are_those_of_each_action_asked_in_turn(plan):
    def plain_tags(records):
        return {a.id: action_tag(a) for a in records}

    def plain_serving(live, numbers):
        return {n: [a for a in live if n in a.challenges] for n in numbers}

    with mock.patch.object(domain_checks, "action_tags", plain_tags), \
            mock.patch.object(domain_checks, "serving", plain_serving):
        expected = _outcome(domain_warnings, plan)
    assert _outcome(domain_warnings, plan) == expected
