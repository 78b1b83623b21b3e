"""Small plans for tests of the plan core."""

from __future__ import annotations

from datetime import date

from planner.model import (
    Action, Assessment, Dependency, Measure, Milestone, Person, Plan, Reading, ten_challenges,
)


def small_plan() -> Plan:
    """A plan with two people, five actions in a chain-and-fork, a milestone and a measure."""
    plan = Plan(challenges=ten_challenges())
    s = plan.settings
    s.name, s.organisation = "Test plan", "Testshire NHS Trust"
    s.start, s.as_of = date(2026, 1, 5), date(2026, 3, 2)
    plan.people = {"P1": Person("P1", "Asha Patel", "staff", "Recovery team"),
                   "P2": Person("P2", "Ben Ode", "peer worker", "Peer team", capacity=2)}
    titles = ["Set up steering group", "Write recovery strategy", "Pilot recovery college",
              "Recruit peer trainers", "Open the college"]
    for i, title in enumerate(titles, 1):
        plan.actions[f"A{i}"] = Action(f"A{i}", title, owner="P1" if i % 2 else "P2",
                                       challenges=[4] if i < 3 else [3], duration=5 * i)
    for action, needs in [("A2", "A1"), ("A3", "A2"), ("A4", "A2"), ("A5", "A3"), ("A5", "A4")]:
        dep = Dependency(action, needs)
        plan.dependencies[dep.uid] = dep
    plan.milestones["M1"] = Milestone("M1", "College opens", owner="P1", action="A5",
                                      baseline=date(2026, 6, 1))
    plan.measures["OM1"] = Measure("OM1", "College enrolments", unit="people", challenges=[3])
    r = Reading("OM1", date(2026, 2, 1), 12.0)
    plan.readings[r.uid] = r
    a = Assessment(3, date(2026, 1, 10), "Engagement", "Baseline self-assessment", "Steering group")
    plan.assessments[a.uid] = a
    return plan
