"""Hypothesis round trip: any valid plan written as a workbook reads back as the same plan."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.model import (ACTION_STATUSES, DEPENDENCY_TYPES, DIRECTIONS, MEASURE_KINDS,
                           MEASURE_TYPES,
                           MILESTONE_STATUSES, ROLES, Action, Assessment, Dependency, Initiative,
                           Measure, Milestone, Person, Phase, Plan, Reading, Risk, ten_challenges)
from planner.xlsx import read_workbook, write_workbook

# Text as a lead types it: no control characters (Excel cannot hold them), no stray spaces at
# the ends (import trims them), no semicolons in stage names.
_letters = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"),
                         blacklist_characters="\u2028\u2029\x85")
text = st.text(_letters, max_size=30).map(lambda s: " ".join(s.split()))
title = text.filter(bool)
days = st.dates(date(1990, 1, 1), date(2080, 12, 31))
maybe_day = st.none() | days
challenge_list = st.lists(st.integers(1, 10), unique=True, max_size=4)
check = st.none() | st.sampled_from([-1, 0, 1])
# Excel (and openpyxl) keep about 15 significant digits, so values are drawn with at most 13.
number = st.integers(-10**10, 10**10).map(lambda i: i / 1000)


@st.composite
def plans(draw) -> Plan:
    plan = Plan(challenges=ten_challenges())
    s = plan.settings
    s.name = draw(title)
    s.organisation = draw(text)
    s.start, s.as_of, s.board_date = draw(maybe_day), draw(maybe_day), draw(maybe_day)
    s.holidays = sorted(set(draw(st.lists(days, max_size=3))))
    s.summary_next = draw(text)
    names = draw(st.lists(st.from_regex(r"[A-Z][a-z]{1,8} [A-Z][a-z]{1,10}", fullmatch=True),
                          min_size=1, max_size=5, unique_by=str.casefold))
    for i, name in enumerate(names, 1):
        plan.people[f"P{i}"] = Person(f"P{i}", name, draw(st.sampled_from(ROLES)), draw(text),
                                      draw(text), draw(st.integers(1, 9)))
    people = st.none() | st.sampled_from(list(plan.people))
    for i in range(1, draw(st.integers(0, 3)) + 1):
        plan.initiatives[f"I{i}"] = Initiative(f"I{i}", draw(title), draw(text), draw(people),
                                               draw(challenge_list))
    initiatives = st.none() | st.sampled_from(list(plan.initiatives)) if plan.initiatives \
        else st.none()
    for n in range(1, draw(st.integers(0, 2)) + 1):
        plan.phases[n] = Phase(n, draw(text), draw(maybe_day))
    n_actions = draw(st.integers(0, 8))
    for i in range(1, n_actions + 1):
        start = draw(maybe_day)
        a = Action(f"A{i}", draw(title), draw(text), draw(initiatives), draw(people),
                   draw(challenge_list), draw(st.integers(0, 400)), draw(maybe_day), None,
                   draw(st.sampled_from(ACTION_STATUSES)), draw(st.integers(0, 100)), start,
                   None, draw(st.booleans()), draw(text), draw(check), draw(check), draw(check),
                   draw(st.none() | st.sampled_from(list(plan.phases))) if plan.phases else None,
                   draw(text))
        if start and draw(st.booleans()):
            a.actual_finish = start
        plan.actions[a.id] = a
    ids = list(plan.actions)
    pairs = draw(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=10))
    seen = set()
    for x, y in pairs:
        if x < len(ids) and y < x:  # later waits on earlier: never a loop
            if (x, y) in seen:
                continue
            seen.add((x, y))
            d = Dependency(ids[x], ids[y], draw(st.sampled_from(DEPENDENCY_TYPES)),
                           draw(st.integers(0, 30)))
            plan.dependencies[d.uid] = d
    actions = st.none() | st.sampled_from(ids) if ids else st.none()
    for i in range(1, draw(st.integers(0, 3)) + 1):
        plan.milestones[f"M{i}"] = Milestone(f"M{i}", draw(title), draw(people), draw(actions),
                                             draw(initiatives), draw(maybe_day), draw(maybe_day),
                                             draw(maybe_day),
                                             draw(st.sampled_from(MILESTONE_STATUSES)),
                                             draw(st.booleans()), draw(text))
    for i in range(1, draw(st.integers(0, 2)) + 1):
        m = Measure(f"OM{i}", draw(title), draw(st.sampled_from(MEASURE_KINDS)), draw(text),
                    draw(st.sampled_from(DIRECTIONS)), draw(text), draw(challenge_list),
                    draw(st.none() | number), draw(maybe_day), draw(st.none() | number),
                    draw(maybe_day), draw(st.none() | st.integers(12, 30)),
                    sorted(set(draw(st.lists(days, max_size=3)))),
                    draw(st.sampled_from(MEASURE_TYPES)), draw(text), draw(text), draw(text),
                    draw(maybe_day))
        plan.measures[m.id] = m
        for when in sorted(set(draw(st.lists(days, max_size=4)))):
            r = Reading(m.id, when, draw(number), draw(text))
            plan.readings[r.uid] = r
    for _ in range(draw(st.integers(0, 3))):
        a = Assessment(draw(st.integers(1, 10)), draw(days), draw(st.sampled_from(plan.stages)),
                       draw(text), draw(text))
        plan.assessments[a.uid] = a
    for i in range(1, draw(st.integers(0, 2)) + 1):
        plan.risks[f"R{i}"] = Risk(f"R{i}", draw(title), draw(st.integers(1, 5)),
                                   draw(st.integers(1, 5)), draw(people), draw(text),
                                   draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))
                                   if ids else [], draw(challenge_list),
                                   draw(st.none() | st.integers(1, 5)),
                                   draw(st.none() | st.integers(1, 5)), draw(text))
    actuals = [d for d in [a.actual_start for a in plan.actions.values()]
               + [m.actual for m in plan.milestones.values()] if d]
    if actuals and (s.as_of is None or s.as_of < max(actuals)):
        s.as_of = max(actuals)  # an actual date after the status date is refused (issue 10)
    return plan


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_any_plan_round_trips(plan):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.xlsx"
        write_workbook(plan, path)
        back, _warnings = read_workbook(path)
    assert back.settings == plan.settings
    for table in ("challenges", "people", "initiatives", "actions", "milestones", "measures",
                  "risks", "phases"):
        assert getattr(back, table) == getattr(plan, table), table
    # dependencies, readings and assessments are keyed by uid; order may differ
    for table in ("dependencies", "readings", "assessments"):
        assert dict(sorted(getattr(back, table).items())) == \
            dict(sorted(getattr(plan, table).items())), table

