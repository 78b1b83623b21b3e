"""`why` at an action under way: its own start and remaining work set the date from there, the
chain says so plainly, and it goes on to what set that start when a prerequisite did."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import graph
from planner.document import PlanDocument
from planner.model import Dependency
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
    plan.settings.as_of = date(2027, 1, 25)
    done(plan, "A1", date(2027, 1, 4), date(2027, 1, 15))  # five working days over
    under_way(plan, "A2", date(2027, 1, 18), 50)  # the working day after A1 finished; on pace
    ex = graph.why(plan, "M1")
    assert [s.action_id for s in ex.steps] == ["A3", "A2", "A1"]
    assert ex.root_cause.action_id == "A2"  # its remaining work sets the date now
    assert ex.slip_cause is not None and ex.slip_cause.action_id == "A1"  # A1 ran late
    assert ("it started as soon as 'Agree college pilot' (A1) finished on 15 Jan 2027"
            in ex.steps[1].reason)
    assert ("Current driver: A2 'Recruit peer tutors': under way since 18 Jan 2027, so the work "
            "it has left sets the date; the steps below it show why it started then") in ex.text
    assert "Cause of the slip: A1 'Agree college pilot' finished 5 working days late" in ex.text


def test_work_under_way_behind_its_pace_is_the_cause_of_what_it_adds():
    """A2 started the day A1's late finish let it (5 working days), then fell behind: 20% done
    after two weeks, 8 working days more. The cause named is A2, which added the most, not the
    earliest action that moved (A1), and the sentence says how much of the slip each part is."""
    plan = college_plan()
    plan.settings.as_of = date(2027, 2, 1)
    done(plan, "A1", date(2027, 1, 4), date(2027, 1, 15))
    under_way(plan, "A2", date(2027, 1, 18), 20)
    ex = graph.why(plan, "M1")
    assert [s.action_id for s in ex.steps] == ["A3", "A2", "A1"]
    assert ex.slip_cause.action_id == "A2" and ex.slip_cause.added_days == 8
    assert ("Cause of the slip: A2 'Recruit peer tutors' started 5 working days after its "
            "baseline start (11 Jan 2027) and is forecast to finish 13 working days after its "
            "baseline finish (22 Jan 2027). Of the 16 working days, it added 8 working days "
            "itself, the most of any action in the chain.") in ex.text


def test_a_start_later_than_a_late_prerequisite_allowed_goes_on_to_that_prerequisite():
    """The sample's A28 after A27 in small: A2 started 2 working days after A1, five days late,
    let it. The chain goes on to A1 (it stopped at A2 and blamed A2's whole late start), and the
    step says which prerequisite held it and by how many days it started after."""
    plan = college_plan()
    plan.settings.as_of = date(2027, 2, 3)
    done(plan, "A1", date(2027, 1, 4), date(2027, 1, 15))  # could let A2 start on 18 Jan
    done(plan, "A2", date(2027, 1, 20), date(2027, 2, 2))
    ex = graph.why(plan, "M1")
    assert [s.action_id for s in ex.steps] == ["A3", "A2", "A1"]
    assert ex.steps[1].reason.endswith(
        "; it started 2 working days after 'Agree college pilot' (A1) let it: that finished on "
        "15 Jan 2027, so it could start on 18 Jan 2027")
    assert ex.slip_cause.action_id == "A1" and ex.slip_cause.added_days == 5
    assert ("Cause of the slip: A1 'Agree college pilot' finished 5 working days late. Of the "
            "10 working days, it added 5 working days itself") in ex.text


def test_prerequisites_that_let_an_action_start_the_same_day_are_all_named():
    """A3 waits for A2 and A7, which finish on the same day: the chain goes on through the one
    the schedule picks (A2) and the sentence names A7 too, as either would have held A3 there."""
    plan = college_plan()
    plan.actions["A7"].duration = 15  # 4 to 22 January, as A2
    dep = Dependency("A3", "A7")
    plan.dependencies[dep.uid] = dep
    ex = graph.why(plan, "A3")
    assert [s.action_id for s in ex.steps] == ["A3", "A2", "A1"]
    assert ex.steps[0].reason == ("waits for 'Recruit peer tutors' (A2) to finish on 22 Jan 2027; "
                                  "'Board recovery champion' (A7) let it start that day too")


def test_a_start_nothing_held_back_ends_the_chain_there_and_says_why():
    plan = college_plan()
    plan.settings.as_of = date(2027, 2, 1)
    done(plan, "A1", date(2027, 1, 4), date(2027, 1, 8))
    under_way(plan, "A2", date(2027, 1, 20))  # could have started on 11 Jan
    ex = graph.why(plan, "A2")
    assert [s.action_id for s in ex.steps] == ["A2"]
    assert ex.root_cause.kind == "actual dates"
    assert ex.root_cause_sentence == ("A2 'Recruit peer tutors': under way since 20 Jan 2027, so "
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
    assert ("it started 2 working days after 'Recruit peer tutors' (A2) started on 11 Jan 2027"
            in ex.steps[0].reason)


def test_the_sample_names_the_recruitment_that_finished_late(tmp_path):
    """M8 'First peer workers in post': induction (A71) is under way; it started the day after
    recruitment (A70) finished, months late, which is the slip the lead's own comment names."""
    path = tmp_path / "northmoor.rcplan"
    shutil.copy(SAMPLE, path)
    with PlanDocument.open(path, readonly=True) as doc:
        ex = graph.why(doc.plan, "M8")
    assert [s.action_id for s in ex.steps] == ["A71", "A70"]  # shown as far as the cause
    assert ("it started 3 working days after 'Occupational health ready to support staff "
            "employed for their lived experience (adjustments, return to work)' (A68) let it"
            in ex.steps[1].reason)  # A68 held A70 back: the chain went on, A70 added the most
    assert ex.root_cause.action_id == "A71" and ex.slip_cause.action_id == "A70"
    assert ex.slip_cause.added_days == 21  # 3 days' wait, then 18 days longer than planned
    assert "A70" in doc.plan.milestones["M8"].comment


def test_the_sample_blames_the_recruitment_before_the_training_for_the_college(tmp_path):
    """M6 'Board decision on the full college': training the tutors (A28) started 2 working
    days after recruiting them (A27) let it, and A27 finished 62 working days late. The chain
    went no further than A28 and blamed its 64-day late start; A27 added the most."""
    path = tmp_path / "northmoor.rcplan"
    shutil.copy(SAMPLE, path)
    with PlanDocument.open(path, readonly=True) as doc:
        ex = graph.why(doc.plan, "M6")
    assert [s.action_id for s in ex.steps] == ["A32", "A31", "A30", "A28", "A27"]
    assert "(The chain goes back through 9 earlier actions, none of which added as much.)" \
        in ex.text
    assert ("it started 2 working days after 'Recruit the college's first peer tutors' (A27) "
            "let it: that finished on 2 Sep 2026, so it could start on 3 Sep 2026"
            in ex.steps[3].reason)
    assert ex.slip_cause.action_id == "A27" and ex.slip_cause.finish_days == 62
    assert "Of the 69 working days, it added 19 working days itself" in ex.text
