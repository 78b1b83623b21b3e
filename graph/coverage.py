"""Coverage gaps (challenges with no actions or no measures) and people over capacity by week.

Capacity is a warning, not automatic levelling: a person's ``capacity`` is how many actions they
can carry at once. Who carries what in which week is ``planner.rules.weekly_load`` (the People
view counts with the same rule): an action counts in every calendar week (Monday to Sunday) in
which it has at least one scheduled working day; done actions are in the past and do not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping

from planner import rules
from planner.model import Plan
from planner.dates import short_date

from .snapshot import DONE, ScheduleData


@dataclass(frozen=True)
class PlanWarning:
    """Something the user should look at: ``kind`` (e.g. "capacity"), a message, the ids involved."""

    kind: str
    message: str
    ids: tuple = ()


@dataclass(frozen=True)
class Overload:
    """One person in one week with more concurrent actions than their capacity."""

    person: str
    name: str
    week: date
    count: int
    capacity: int
    actions: tuple = field(default_factory=tuple)


def coverage_warnings(plan: Plan) -> list[PlanWarning]:
    """Challenges in the plan that have no actions, or no outcome measures."""
    with_measures = {c for m in plan.measures.values() for c in m.challenges}
    out = []
    for n in sorted(plan.challenges):
        title = rules.challenge_title(plan, n)
        if not rules.challenge_actions(plan, n):
            out.append(PlanWarning("coverage", f"Challenge {n}, {title}, has no actions.", (n,)))
        if n not in with_measures:
            msg = f"Challenge {n}, {title}, has no outcome measures."
            out.append(PlanWarning("coverage", msg, (n,)))
    return out


def workload(plan: Plan, data: ScheduleData) -> dict[str, dict[date, list[str]]]:
    """Person -> week -> open actions they own that week, from the schedule (``rules.weekly_load``)."""
    to_date = data.cal.date
    spans = ((aid, to_date(data.es[i]), to_date(data.ef[i]))
             for i, aid in enumerate(data.ids) if data.state[i] != DONE)
    return rules.weekly_load(plan, spans)


def capacity_overloads(plan: Plan, load: dict[str, dict[date, list[str]]],
                       spans: Mapping[str, tuple[date, date]] | None = None) -> list[Overload]:
    """Every (person, week) where the actions they have under way at once (on one day, given
    the schedule's ``spans``) exceed the person's capacity (``rules.overloaded_weeks``)."""
    return [Overload(pid, plan.people[pid].name, week, most, rules.capacity_of(plan, pid),
                     tuple(ids))
            for pid, week, ids, most in rules.overloaded_weeks(plan, load, spans)]


def action_spans(data: ScheduleData) -> dict[str, tuple[date, date]]:
    """Action id -> (first, last) scheduled working day of each open action."""
    to_date = data.cal.date
    return {aid: (to_date(data.es[i]), to_date(data.ef[i]))
            for i, aid in enumerate(data.ids) if data.state[i] != DONE}


def overload_warnings(plan: Plan, overloads: list[Overload],
                      float_of: Mapping[str, int] | None = None) -> list[PlanWarning]:
    """One warning per person per run of consecutive overloaded weeks, saying what to move: the
    overlapping actions with the most float (they can go later without moving the finish), as
    many as take the person back to their capacity."""
    out = []
    run: list[Overload] = []

    def flush() -> None:
        if not run:
            return
        o = run[0]
        peak = max(x.count for x in run)
        ids = tuple(dict.fromkeys(a for x in run for a in x.actions))
        if len(run) == 1:
            when = f"in the week of {short_date(o.week)}"
        else:
            when = f"in {len(run)} weeks from {short_date(o.week)} to {short_date(run[-1].week)}"
        msg = (f"{o.name} ({o.person}) has up to {peak} actions at once {when}, more than their "
               f"capacity of {o.capacity}.")
        if float_of:
            movable = sorted((a for a in ids if a in float_of), key=lambda a: -float_of[a])
            move = movable[:max(1, peak - o.capacity)]
            if move:
                names = ", ".join(f"{a} '{plan.actions[a].title}' ({float_of[a]} working days of "
                                  "float)" for a in move)
                msg += f" Move {names} later, or give {'it' if len(move) == 1 else 'them'} to " \
                       "someone else."
        out.append(PlanWarning("capacity", msg, ids))
        run.clear()

    for o in overloads:
        if run and (o.person != run[-1].person or o.week - run[-1].week != timedelta(days=7)):
            flush()
        run.append(o)
    flush()
    return out
