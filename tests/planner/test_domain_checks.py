"""Practice checks: each known sequencing rule and measure rule, worded as the rule it rests on."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain_checks import RULES, action_tag, domain_warnings
from planner.model import Action, Dependency, Measure, Milestone, Plan, Reading, ten_challenges


def plan_with(actions, links=(), measures=(), milestones=()):
    plan = Plan(challenges={n: c for n, c in ten_challenges().items() if n in (3, 6, 8, 10)})
    for a in actions:
        plan.actions[a.id] = a
    for action, needs, kind, lag in links:
        d = Dependency(action, needs, kind, lag)
        plan.dependencies[d.uid] = d
    for m in measures:
        plan.measures[m.id] = m
    for m in milestones:
        plan.milestones[m.id] = m
    return plan


def rules_broken(plan):
    return [w.rule for w in domain_warnings(plan)]


def test_actions_are_recognised_by_tag_or_title():
    assert action_tag(Action("A1", "Anything at all", tag="peer-hire")) == "peer-hire"
    assert action_tag(Action("A1", "Train the college's peer tutors")) == "peer-tutor-training"
    assert action_tag(Action("A1", "Recruit the first peer tutors")) == "peer-hire"
    assert action_tag(Action("A1", "Run the pilot year of co-delivered courses")) == \
        "co-delivered-course"
    assert action_tag(Action("A1", "Prepare teams, job descriptions and HR policies")) == \
        "hr-readiness"
    assert action_tag(Action("A1", "Train clinical staff to write safety plans")) == \
        "staff-training"
    assert action_tag(Action("A1", "Replace risk forms with safety plans")) == "form-change"
    assert action_tag(Action("A1", "Write the strategy")) == ""


def test_courses_wait_for_trained_peer_tutors():
    course = Action("A2", "Run co-delivered courses", challenges=[3], coproduced=True)
    tutors = Action("A1", "Train the peer tutors", challenges=[3], coproduced=True)
    assert "tutors_before_courses" in rules_broken(plan_with([course]))
    assert "tutors_before_courses" in rules_broken(plan_with([course, tutors]))
    ok = plan_with([course, tutors], [("A2", "A1", "FS", 0)])
    assert "tutors_before_courses" not in rules_broken(ok)
    # through a chain counts too
    mid = Action("A3", "Co-design the prospectus", challenges=[3], coproduced=True)
    chain = plan_with([course, tutors, mid], [("A2", "A3", "FS", 0), ("A3", "A1", "FS", 0)])
    assert "tutors_before_courses" not in rules_broken(chain)


def test_peer_hires_wait_for_hr():
    hire = Action("A2", "Recruit the first peer workers", challenges=[8], coproduced=True)
    hr = Action("A1", "Prepare job descriptions and HR policies for peer roles",
                challenges=[8], coproduced=True)
    broken = [w for w in domain_warnings(plan_with([hire, hr])) if w.rule == "hr_before_hires"]
    assert broken and broken[0].message.startswith(RULES["hr_before_hires"])
    assert "A2" in broken[0].message and "A1" in broken[0].message
    assert not [w for w in domain_warnings(plan_with([hire, hr], [("A2", "A1", "FS", 0)]))
                if w.rule == "hr_before_hires"]


def test_forms_wait_until_training_reaches_most_staff():
    train = Action("A1", "Train clinical staff in safety planning", challenges=[6],
                   duration=120, coproduced=True)
    forms = Action("A2", "Replace risk forms with safety plans", challenges=[6], duration=40)
    # 20 days into a 120-day roll-out is too early (the starter fault)
    early = plan_with([train, forms], [("A2", "A1", "SS", 20)])
    assert "training_before_forms" in rules_broken(early)
    late_enough = plan_with([train, forms], [("A2", "A1", "SS", 100)])
    assert "training_before_forms" not in rules_broken(late_enough)
    after = plan_with([train, forms], [("A2", "A1", "FS", 0)])
    assert "training_before_forms" not in rules_broken(after)


def test_measure_rules():
    cum = Measure("OM1", "Staff trained so far", unit="%", challenges=[6])
    rate = Measure("OM2", "Restraint rate", measure_type="rate", challenges=[6])
    fine = Measure("OM3", "Restraint", measure_type="rate",
                   denominator="per 1,000 occupied bed days", challenges=[6])
    typed = Measure("OM4", "Staff trained so far", measure_type="cumulative", challenges=[6])
    warnings = domain_warnings(plan_with([], measures=[cum, rate, fine, typed]))
    by_rule = {(w.rule, w.ids[0]) for w in warnings}
    assert ("cumulative_run_chart", "OM1") in by_rule
    assert ("rate_denominator", "OM2") in by_rule
    assert not any(i in ("OM3", "OM4") for _r, i in by_rule)
    # a measure that only ever rises, named as a completion count, also looks cumulative
    done = Measure("OM5", "Policies reviewed", unit="policies", challenges=[6])
    plan = plan_with([], measures=[done])
    for k, v in enumerate([1, 2, 2, 3, 5, 6, 8, 9]):
        r = Reading("OM5", date(2026, k + 1, 1), v)
        plan.readings[r.uid] = r
    assert "cumulative_run_chart" in rules_broken(plan)


def test_every_challenge_needs_a_coproduced_action_and_one_rag_per_milestone():
    a = Action("A1", "Agree a housing partnership", challenges=[10, 8])
    m = Milestone("M1", "Partnership agreed", action="A1")
    warnings = domain_warnings(plan_with([a], milestones=[m]))
    coprod = [w for w in warnings if w.rule == "coproduced_action"]
    assert {w.message.split("Challenge ")[1].split(",")[0] for w in coprod} == {"10", "8"}
    assert any(w.rule == "one_milestone_one_rag" and "challenges 10 and 8" in w.message
               for w in warnings)


_TITLE_WORDS = ["train", "training", "tutor", "recruit", "co-deliver", "codeliver", "course",
                "hr", "human resources", "job description", "occupational health", "prepare",
                "ready", "policy", "hire", "appoint", "employ", "peer", "staff", "clinical",
                "every", "all", "roll out", "roll-out", "trainer", "form", "forms", "replace",
                "new", "introduce", "change", "fidelity", "independent", "external",
                "employment specialist", "the", "and", "review", "x"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TITLE_WORDS), max_size=6), st.text(max_size=4))
def test_a_title_gets_the_tag_every_pattern_gives_it(words, noise):
    """Issue 13: a title matching no tag's first pattern is passed over after one search; on any
    title the tag is the one the patterns give when each is tried in turn."""
    import re

    from planner import domain_checks

    title = (" ".join(words) + noise).lower()
    expected = ""
    for tag, need, avoid in domain_checks._TITLE_PATTERNS:
        if all(re.search(p, title) for p in need) and not any(re.search(p, title) for p in avoid):
            expected = tag
            break
    assert domain_checks._title_tag(title) == expected
