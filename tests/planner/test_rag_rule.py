"""A challenge's RAG weighs more than milestone slippage (issue 12): overdue actions, outcome
measures showing concern, and extreme risks above their target score; each reason names the facts."""

from __future__ import annotations

from datetime import date, timedelta

from planner import rules
from planner.model import Action, Measure, Milestone, Plan, Reading, Risk, ten_challenges

AS_OF = date(2026, 6, 1)


def plan_for_college() -> Plan:
    plan = Plan(challenges=ten_challenges())
    plan.settings.as_of = AS_OF
    plan.actions = {"A1": Action("A1", "Open the college", challenges=[3]),
                    "A2": Action("A2", "Recruit peers", challenges=[8])}
    plan.milestones["M1"] = Milestone("M1", "College opens", action="A1",
                                      baseline=date(2026, 9, 1))
    return plan


def add_readings(plan: Plan, mid: str, values: list[float]) -> None:
    """Monthly readings, after any the measure already has."""
    first = date(2024, 1, 28) + timedelta(days=30 * len(plan.readings_of(mid)))
    for i, v in enumerate(values):
        r = Reading(mid, first + timedelta(days=30 * i), v)
        plan.readings[r.uid] = r


def rag(plan: Plan, number: int = 3, slips=None) -> rules.RagRating:
    return rules.challenge_rag(plan, number, slips or {"M1": 0}, {})


def test_on_time_milestones_alone_stay_green():
    plan = plan_for_college()
    assert rag(plan).colour == rules.Rag.GREEN


def test_a_measure_in_special_cause_concern_makes_the_challenge_amber_and_is_named():
    plan = plan_for_college()
    plan.measures["OM4"] = Measure("OM4", "College completions", direction="higher",
                                   challenges=[3])
    add_readings(plan, "OM4", [50, 52, 49, 51, 50, 53, 48, 51, 50, 52, 49, 30])  # a fall below the limit
    r = rag(plan)
    assert r.colour == rules.Rag.AMBER and r.measure == "OM4"
    assert r.reason == "OM4 'College completions' shows special-cause concern"
    # the same fall on a measure filed under another challenge does not count here
    plan.measures["OM4"].challenges = [8, 3]
    assert rag(plan).colour == rules.Rag.GREEN


def test_a_measure_missing_its_trajectory_counts_unless_it_is_improving():
    plan = plan_for_college()
    plan.measures["OM2"] = Measure("OM2", "Enrolments", direction="higher", challenges=[3],
                                   target=90.0)
    add_readings(plan, "OM2", [40, 42, 41, 39, 40, 43, 41, 40, 42, 41, 40, 41])
    r = rag(plan)
    assert r.colour == rules.Rag.AMBER
    assert "OM2 'Enrolments' consistently misses its trajectory" in r.reason
    add_readings(plan, "OM2", [70])  # a jump above the upper limit: special-cause improvement
    assert rag(plan).colour == rules.Rag.GREEN


def test_an_extreme_risk_above_its_target_is_amber_at_its_target_it_is_not():
    plan = plan_for_college()
    plan.risks["R1"] = Risk("R1", "Funding ends after the pilot", 4, 4, challenges=[3],
                            target_likelihood=2, target_impact=3)
    r = rag(plan)
    assert r.colour == rules.Rag.AMBER and r.risk == "R1"
    assert r.reason == ("R1 'Funding ends after the pilot' scored 16 against a target of 6, "
                        "no mitigation recorded")
    plan.risks["R1"].mitigation = "Business case to the board"
    assert rag(plan).reason.endswith("scored 16 against a target of 6")
    plan.risks["R1"].target_likelihood, plan.risks["R1"].target_impact = 4, 4  # accepted at 16
    assert rag(plan).colour == rules.Rag.GREEN
    plan.risks["R1"].likelihood = 3  # 12: high, not extreme
    plan.risks["R1"].target_likelihood = 1
    assert rag(plan).colour == rules.Rag.GREEN


def test_an_action_past_its_deadline_is_amber_then_red_after_twenty_working_days():
    plan = plan_for_college()
    a = plan.actions["A1"]
    a.deadline = AS_OF - timedelta(days=7)  # 5 working days
    r = rag(plan)
    assert r.colour == rules.Rag.AMBER and r.action == "A1"
    assert r.reason == "A1 'Open the college' is 5 working days past its deadline and not done"
    a.deadline = AS_OF - timedelta(days=35)  # 25 working days
    assert rag(plan).colour == rules.Rag.RED
    a.status = "done"
    assert rag(plan).colour == rules.Rag.GREEN


def test_the_worst_fact_decides_and_the_reason_names_the_others_one_of_each_kind_first():
    plan = plan_for_college()
    plan.milestones["M2"] = Milestone("M2", "Prospectus out", action="A1",
                                      baseline=date(2026, 10, 1))
    plan.risks["R1"] = Risk("R1", "Funding ends", 5, 4, challenges=[3], mitigation="x",
                            target_likelihood=2, target_impact=2)
    r = rag(plan, slips={"M1": 25, "M2": 10})
    assert r.colour == rules.Rag.RED and r.milestone == "M1"
    assert r.reason == ("M1 'College opens' forecast 25 working days late; also M2 10 working "
                        "days late, R1 scored 20 (target 4)")
    assert len(r.also) == 2
    # the deck's appendix and the window's help list what each colour means, beyond slippage
    words = dict(rules.RAG_DEFINITIONS)
    for needle in ("past its deadline", "special-cause concern", "trajectory", "target score"):
        assert needle in words[rules.Rag.AMBER]


def test_the_risks_a_rating_counts_are_those_the_risk_slides_call_extreme():
    """One band of words for a risk's score: the rating, its definitions and the advice on
    where to start count and name the risks the deck's risk slides call "Extreme" (a 12 is
    "High" there, and was called no high risk here)."""
    for score in range(1, 26):
        assert (score >= rules.EXTREME_RISK) == (rules.risk_band(score)[1] == "Extreme")
    words = " ".join(text for _colour, text in rules.RAG_DEFINITIONS)
    assert f"extreme risk (scored {rules.EXTREME_RISK} or more of 25)" in words
    assert "high risk" not in words
