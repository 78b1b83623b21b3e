"""Coverage gaps (challenges with no actions or no measures) and people over capacity by week.

Capacity is a warning, not automatic levelling: a person's ``capacity`` is how many actions they
can carry at once; an action counts in every calendar week (Monday to Sunday) in which it has at
least one scheduled working day. Done actions are in the past and do not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from planner.model import Plan

from .phases import challenge_title
from .schedule import DONE, ScheduleData


@dataclass(frozen=True)
class Overload:
    """One person in one week with more concurrent actions than their capacity."""

    person: str
    name: str
    week: date
    count: int
    capacity: int
    actions: tuple = field(default_factory=tuple)


def coverage_warnings(plan: Plan) -> list:
    """Challenges in the plan that have no actions, or no outcome measures."""
    from .analysis import PlanWarning
    with_actions = {c for a in plan.actions.values() if a.status != "cancelled" for c in a.challenges}
    with_measures = {c for m in plan.measures.values() for c in m.challenges}
    out = []
    for n in sorted(plan.challenges):
        title = challenge_title(plan, n)
        if n not in with_actions:
            out.append(PlanWarning("coverage", f"Challenge {n}, {title}, has no actions.", (n,)))
        if n not in with_measures:
            msg = f"Challenge {n}, {title}, has no outcome measures."
            out.append(PlanWarning("coverage", msg, (n,)))
    return out


def capacity_overloads(plan: Plan, data: ScheduleData) -> list[Overload]:
    """Every (person, week) where open actions owned at once exceed the person's capacity."""
    cal = data.cal
    by_person: dict[str, dict[int, list[str]]] = {}
    week_of: dict[int, int] = {}  # working day number -> week number (few distinct days)
    for i, aid in enumerate(data.ids):
        if data.state[i] == DONE:
            continue
        owner = plan.actions[aid].owner
        if owner is None or owner not in plan.people:
            continue
        a, b = data.es[i], data.ef[i]
        first = week_of.get(a)
        if first is None:
            first = week_of[a] = (cal.date(a).toordinal() - 1) // 7
        last = week_of.get(b)
        if last is None:
            last = week_of[b] = (cal.date(b).toordinal() - 1) // 7
        weeks = by_person.setdefault(owner, {})
        for w in range(first, last + 1):
            weeks.setdefault(w, []).append(aid)
    out = []
    for pid in sorted(by_person, key=lambda p: (len(p), p)):
        person = plan.people[pid]
        cap = max(0, int(person.capacity or 0))
        for w in sorted(by_person[pid]):
            ids = by_person[pid][w]
            if len(ids) > cap:
                out.append(Overload(pid, person.name, date.fromordinal(w * 7 + 1), len(ids), cap,
                                    tuple(ids)))
    return out


def overload_warnings(plan: Plan, overloads: list[Overload]) -> list:
    """One warning per person per run of consecutive overloaded weeks."""
    from .analysis import PlanWarning
    out = []
    run: list[Overload] = []

    def flush() -> None:
        if not run:
            return
        o = run[0]
        peak = max(x.count for x in run)
        ids = tuple(dict.fromkeys(a for x in run for a in x.actions))
        if len(run) == 1:
            when = f"in the week of {o.week.isoformat()}"
        else:
            when = f"in {len(run)} weeks from {o.week.isoformat()} to {run[-1].week.isoformat()}"
        msg = (f"{o.name} ({o.person}) has up to {peak} actions at once {when}, more than their "
               f"capacity of {o.capacity}.")
        out.append(PlanWarning("capacity", msg, ids))
        run.clear()

    for o in overloads:
        if run and (o.person != run[-1].person or o.week - run[-1].week != timedelta(days=7)):
            flush()
        run.append(o)
    flush()
    return out
