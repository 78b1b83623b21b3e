"""Big random but realistic plans for benchmarks and stress tests: ``make_plan(n_actions, n_links, seed)``.

The plan looks like a large recovery programme: the ten challenges, initiatives of about twenty
actions each, owners with a capacity, milestones on actions and initiatives, UK-style bank
holidays, a few not-before dates and deadlines. Initiatives run side by side as chains of steps;
a link always points to an earlier step, so the plan never holds a loop. Most links stay inside an
initiative; some cross to another initiative, as real programmes do (training before courses,
policy before practice). The same seed always gives the same plan.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.model import (Action, Assessment, Dependency, Initiative, Measure, Milestone,
                           Person, Plan, Settings, ten_challenges)

PLAN_START = date(2027, 1, 4)  # a Monday

_VERBS = ["Agree", "Draft", "Co-produce", "Pilot", "Review", "Train", "Recruit", "Launch",
          "Evaluate", "Embed", "Map", "Publish", "Audit", "Commission", "Develop"]
_OBJECTS = ["peer worker roles", "recovery college prospectus", "safety planning policy",
            "shared decision tool", "crisis plan template", "IPS service", "steering group terms",
            "recovery strategy", "staff wellbeing offer", "tutor pool", "housing partnership",
            "supervision model", "training module", "advance statement guide", "fidelity review"]
_FIRST = ["Sam", "Alex", "Priya", "Jordan", "Chris", "Morgan", "Aisha", "Tom", "Grace", "Ravi",
          "Lucy", "Ben", "Fatima", "Owen", "Maya", "Dan"]
_LAST = ["Jones", "Patel", "Smith", "Okafor", "Williams", "Khan", "Brown", "Evans", "Taylor",
         "Murphy", "Ali", "Clarke"]


def bank_holidays(first_year: int, last_year: int) -> list[date]:
    """Fixed-date and Monday holidays roughly like England's, enough for a realistic calendar."""
    days: list[date] = []
    for y in range(first_year, last_year + 1):
        days.append(date(y, 1, 1))
        for month in (5, 8):  # late May and late August Mondays
            d = date(y, month, 31)
            while d.weekday() != 0:
                d -= timedelta(days=1)
            days.append(d)
        first_may = date(y, 5, 1)
        while first_may.weekday() != 0:
            first_may += timedelta(days=1)
        days.append(first_may)
        days.append(date(y, 12, 25))
        days.append(date(y, 12, 26))
    return sorted(d for d in days if d.weekday() < 5)


def make_plan(n_actions: int, n_links: int, seed: int = 1, *, zero_share: float = 0.02,
              not_before_share: float = 0.04, deadline_share: float = 0.0,
              ss_share: float = 0.15, years: int = 15) -> Plan:
    """A plan with ``n_actions`` actions and about ``n_links`` dependencies, reproducible from ``seed``.

    ``zero_share`` of actions have duration 0 (set it to 0 for TaskJuggler comparisons);
    ``not_before_share`` carry a not-before date; ``deadline_share`` carry a deadline;
    ``ss_share`` of links are start-to-start. All actions are not started and the status date
    is the plan start, so the schedule depends only on the plan's structure.
    """
    rng = random.Random(seed)
    plan = Plan(settings=Settings(name=f"Random plan {n_actions}/{n_links} (seed {seed})",
                                  organisation="Benchmark NHS Trust", start=PLAN_START,
                                  as_of=PLAN_START,
                                  holidays=bank_holidays(PLAN_START.year, PLAN_START.year + years)))
    plan.challenges = ten_challenges()
    for n in range(1, 11):
        stage = plan.stages[rng.randrange(0, len(plan.stages) - 1)]
        plan.assessments[f"as{n}"] = Assessment(challenge=n, date=PLAN_START, stage=stage)

    n_people = max(3, n_actions // 15)
    for i in range(1, n_people + 1):
        pid = f"P{i}"
        plan.people[pid] = Person(pid, f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                                  role=rng.choice(["staff", "staff", "peer worker", "service user"]),
                                  capacity=rng.choice([2, 3, 3, 4, 5]))
    people = list(plan.people)

    n_init = max(1, n_actions // 20)
    init_ids = []
    for i in range(1, n_init + 1):
        iid = f"I{i}"
        chs = sorted(rng.sample(range(1, 11), rng.choice([1, 1, 2])))
        plan.initiatives[iid] = Initiative(iid, f"Workstream {i}: {rng.choice(_OBJECTS)}",
                                           owner=rng.choice(people), challenges=chs)
        init_ids.append(iid)

    ids: list[str] = []
    init_of: list[int] = []
    for i in range(1, n_actions + 1):
        aid = f"A{i}"
        k = min(n_init - 1, (i - 1) * n_init // n_actions)
        ini = plan.initiatives[init_ids[k]]
        dur = 0 if rng.random() < zero_share else rng.choice([1, 2, 3, 5, 5, 5, 10, 10, 15, 20])
        nb = None
        if rng.random() < not_before_share:
            nb = PLAN_START + timedelta(days=rng.randrange(0, 365 * 3))
        dl = None
        if rng.random() < deadline_share:
            dl = PLAN_START + timedelta(days=rng.randrange(60, 365 * 5))
        plan.actions[aid] = Action(aid, f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} ({aid})",
                                   initiative=ini.id, owner=rng.choice(people),
                                   challenges=list(ini.challenges), duration=dur,
                                   not_before=nb, deadline=dl)
        ids.append(aid)
        init_of.append(k)

    # Links: initiatives run side by side as chains of about twenty steps. A prerequisite is
    # always at an earlier step (usually of the same initiative, sometimes of another one), so the
    # plan never holds a loop and a programme spans a few years rather than decades.
    slot = [0] * n_actions
    members: list[list[int]] = [[] for _ in range(n_init)]
    for i, k in enumerate(init_of):
        slot[i] = len(members[k])
        members[k].append(i)
    seen: set[tuple[int, int]] = set()
    attempts = 0
    while len(seen) < n_links and attempts < n_links * 20 and n_actions > 1:
        attempts += 1
        s = rng.randrange(0, n_actions)
        j = slot[s]
        if j == 0:
            continue
        if rng.random() < 0.8 or n_init == 1:
            p = members[init_of[s]][rng.randrange(max(0, j - 5), j)]
        else:
            other = members[rng.randrange(n_init)]
            if other is members[init_of[s]]:
                continue
            p = other[rng.randrange(0, min(j, len(other)))]
        if (p, s) in seen:
            continue
        seen.add((p, s))
        kind = "SS" if rng.random() < ss_share else "FS"
        lag = 0 if rng.random() < 0.7 else rng.choice([1, 2, 3, 5, 10])
        dep = Dependency(action=ids[s], needs=ids[p], type=kind, lag=lag)
        plan.dependencies[dep.uid] = dep

    n_ms = max(1, n_actions // 10)
    for i in range(1, n_ms + 1):
        mid = f"M{i}"
        if rng.random() < 0.7:
            target = {"action": rng.choice(ids)}
        else:
            target = {"initiative": rng.choice(init_ids)}
        plan.milestones[mid] = Milestone(mid, f"Milestone {i}", owner=rng.choice(people),
                                         baseline=PLAN_START + timedelta(days=rng.randrange(30, 2000)),
                                         **target)
    for i in range(1, 11):
        if rng.random() < 0.8:
            mid = f"OM{i}"
            plan.measures[mid] = Measure(mid, f"Measure {i}", challenges=[i])
    return plan


if __name__ == "__main__":  # pragma: no cover - a quick look at a generated plan
    import argparse

    ap = argparse.ArgumentParser(description="Counts of a generated benchmark plan.")
    ap.add_argument("actions", nargs="?", type=int, default=2000, help="how many actions")
    n = ap.parse_args().actions
    p = make_plan(n, 3 * n, 1)
    print(len(p.actions), "actions,", len(p.dependencies), "links,", len(p.milestones), "milestones")
