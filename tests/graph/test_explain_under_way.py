"""`why` at an action under way: its own start and remaining work set the date from there, the
chain says so plainly, and it goes on to what set that start when a prerequisite did."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import graph
from planner.document import PlanDocument
from test_graph_explain import college_plan

SAMPLE = Path(__file__).resolve().parents[2] / "sample_plans" / "northmoor.rcplan"


def under_way(plan, aid, started, percent=20):
    a = plan.actions[aid]
    a.status, a.actual_start, a.percent = "in progress", started, percent


def done(plan, aid, started, finished):
    a = plan.actions[aid]
    a.status, a.actual_start, a.actual_finish = "done", started, finished


def test_a_start_set_by_a_prerequisite_continues_the_chain_to_the_cause_of_the_slip():
    plan = college_plan()  # A1 (5 days) then A2 (10) then A3 (1): M1 on A3, baseline 20 Jan
    plan.settings.as_of = date(2027, 2, 1)
    done(plan, "A1", date(2027, 1, 4), date(2027, 1, 15))  # five working days over
    under_way(plan, "A2", date(2027, 1, 18))  # the working day after A1 finished
    ex = graph.why(plan, "M1")
    assert [s.action_id for s in ex.steps] == ["A3", "A2", "A1"]
    assert ex.root_cause.action_id == "A2"  # its remaining work sets the date now
    assert ex.slip_cause is not None and ex.slip_cause.action_id == "A1"  # A1 ran late
    assert ("it started as soon as 'Agree college pilot' (A1) finished on 2027-01-15"
            in ex.steps[1].reason)
    assert ("Current driver: A2 'Recruit peer tutors': under way since 2027-01-18, so the work "
            "it has left sets the date; the steps below it show why it started then") in ex.text
    assert "Cause of the slip: A1 'Agree college pilot' finished 5 working days late" in ex.text


def test_a_start_nothing_held_back_ends_the_chain_there_and_says_why():
    plan = college_plan()
    plan.settings.as_of = date(2027, 2, 1)
    done(plan, "A1", date(2027, 1, 4), date(2027, 1, 8))
    under_way(plan, "A2", date(2027, 1, 20))  # could have started on 11 Jan
    ex = graph.why(plan, "A2")
    assert [s.action_id for s in ex.steps] == ["A2"]
    assert ex.root_cause.kind == "actual dates"
    assert ex.root_cause_sentence == ("A2 'Recruit peer tutors': under way since 2027-01-20, so "
                                      "the work it has left sets the date.")
    assert "about 8 working days of work left" in ex.steps[0].reason


def test_a_start_to_start_link_with_a_lag_is_named_with_its_lag():
    plan = college_plan()  # A6 starts 2 working days after A2 starts
    plan.settings.as_of = date(2027, 2, 1)
    done(plan, "A1", date(2027, 1, 4), date(2027, 1, 8))
    under_way(plan, "A2", date(2027, 1, 11))
    under_way(plan, "A6", date(2027, 1, 13))
    ex = graph.why(plan, "A6")
    assert [s.action_id for s in ex.steps] == ["A6", "A2", "A1"]
    assert ex.root_cause.action_id == "A6"
    assert ("it started 2 working days after 'Recruit peer tutors' (A2) started on 2027-01-11"
            in ex.steps[0].reason)


def test_the_sample_names_the_recruitment_that_finished_late(tmp_path):
    """M8 'First peer workers in post': induction (A71) is under way; it started the day after
    recruitment (A70) finished, months late, which is the slip the lead's own comment names."""
    path = tmp_path / "northmoor.rcplan"
    shutil.copy(SAMPLE, path)
    with PlanDocument.open(path, readonly=True) as doc:
        ex = graph.why(doc.plan, "M8")
    assert [s.action_id for s in ex.steps] == ["A71", "A70"]
    assert ex.root_cause.action_id == "A71" and ex.slip_cause.action_id == "A70"
    assert "A70" in doc.plan.milestones["M8"].comment
