"""The ten-challenges starter, scheduled: after the baseline the work starts in waves that fit
its owners' capacity (issue 12: 14 actions across 7 challenges used to start on one day)."""

from __future__ import annotations

from datetime import date, timedelta

from graph.analysis import analyse
from planner.templates import load_template


def test_after_the_baseline_the_work_starts_in_waves_within_capacity():
    plan = load_template("ten-challenges", start=date(2026, 1, 5))
    an = analyse(plan)
    baseline = next(a.id for a in plan.actions.values()
                    if a.title.startswith("Choose the first priorities"))
    day_after = an.rows[baseline].finish
    starting = [r for r in an.rows.values() if day_after < r.start <= day_after + timedelta(7)]
    assert len(starting) <= 6, [r.title for r in starting]
    assert len({plan.actions[r.action_id].challenges[0] for r in starting}) <= 5
    assert an.overloads == [], [(o.name, o.week, o.count) for o in an.overloads[:3]]

