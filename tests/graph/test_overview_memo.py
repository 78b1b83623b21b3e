"""The warnings and challenge statuses kept between analyses (``graph.overview_memo``) equal the
ones a fresh analysis works out, after any sequence of edits a user makes through the document
(every field of an action the warnings or tiles read, links, actions added and deleted,
milestones, people, Undo and Redo), told through ``refresh_for`` or not (``refresh``); and the
parts worked out per person or per challenge equal the plain functions run over the whole plan
(issue 13: the Overview worked all of it out again after every edit)."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_graph_properties import DERANDOMIZE, SCALE
from test_milestone_memo import follow_edits

import graph
from graph.coverage import overload_warnings
from graph.overview_memo import READ, EditsSince
from planner import operations, rules
from planner.errors import PlanError
from planner.document import PlanDocument
from planner.model import (Action, Dependency, Initiative, Milestone, Person, Phase, Plan,
                           ten_challenges)

START = date(2027, 1, 4)
PEOPLE = ["P1", "P2", "P3"]
TAGS = ["", "", "staff-training", "form-change", "peer-hire", "hr-readiness"]
TITLES = ["Roll out staff training", "Introduce new forms", "Recruit peer workers", "Plan it",
          "Prepare HR policies"]


@st.composite
def plans(draw) -> Plan:
    """Up to 14 actions with owners of small capacity, challenges, tags, deadlines, phases and
    progress; links (some start-to-start); milestones on actions or initiatives."""
    plan = Plan(challenges=ten_challenges())
    plan.settings.start = plan.settings.as_of = START
    for pid in PEOPLE:
        plan.people[pid] = Person(pid, f"Person {pid}", capacity=draw(st.integers(0, 2)))
    plan.initiatives["I1"] = Initiative("I1", "One", challenges=[2, 3])
    plan.initiatives["I2"] = Initiative("I2", "Two", challenges=[5])
    plan.phases[1] = Phase(1, "First")
    plan.phases[2] = Phase(2, "Second")
    n = draw(st.integers(3, 14))
    for k in range(1, n + 1):
        started = draw(st.integers(0, 2)) == 0
        plan.actions[f"A{k}"] = Action(
            f"A{k}", draw(st.sampled_from(TITLES)), duration=draw(st.integers(0, 9)),
            owner=draw(st.sampled_from([None, *PEOPLE, *PEOPLE, "P9"])),
            challenges=draw(st.lists(st.integers(1, 4), max_size=2)),
            initiative=draw(st.sampled_from([None, "I1", "I2"])),
            tag=draw(st.sampled_from(TAGS)), coproduced=draw(st.booleans()),
            deadline=draw(st.sampled_from([None, START + timedelta(days=draw(
                st.integers(0, 40)))])),
            phase=draw(st.sampled_from([None, 1, 2])),
            status="in progress" if started else "not started",
            actual_start=START if started else None, percent=30 if started else 0)
    for a, b in draw(st.lists(st.tuples(st.integers(1, n), st.integers(1, n)), max_size=2 * n)):
        if a < b and not any(d.action == f"A{b}" and d.needs == f"A{a}"
                             for d in plan.dependencies.values()):
            dep = Dependency(f"A{b}", f"A{a}", type=draw(st.sampled_from(["FS", "SS"])),
                             lag=draw(st.integers(0, 3)))
            plan.dependencies[dep.uid] = dep
    for k in range(1, draw(st.integers(0, 4)) + 1):
        plan.milestones[f"M{k}"] = Milestone(
            f"M{k}", f"Milestone {k}", action=draw(st.sampled_from([None, f"A{k}"])),
            initiative=draw(st.sampled_from([None, "I1", "I2"])),
            baseline=START + timedelta(days=draw(st.integers(0, 30))))
    return plan


def _edit(draw, doc: PlanDocument) -> None:
    """One edit a user might make, through the document (refusals change nothing): mostly an
    action's fields, now and then something else."""
    plan = doc.plan
    ids = list(plan.actions) or [None]
    aid = draw(st.sampled_from(ids))
    kind = draw(st.sampled_from(
        ["duration"] * 8 + ["status", "percent", "owner", "title", "challenges",
         "tag", "deadline", "not_before", "coproduced", "phase", "started", "two", "link",
         "unlink", "add action", "delete action", "milestone", "capacity", "undo", "redo"]))
    later = START + timedelta(days=draw(st.integers(0, 40)))
    fields = {"duration": lambda: {"duration": draw(st.integers(0, 15))},
              "status": lambda: {"status": draw(st.sampled_from(
                  ["not started", "on hold", "cancelled", "in progress"]))},
              "percent": lambda: {"percent": draw(st.integers(0, 100))},
              "owner": lambda: {"owner": draw(st.sampled_from([None, *PEOPLE]))},
              "title": lambda: {"title": draw(st.sampled_from(TITLES))},
              "challenges": lambda: {"challenges": draw(st.lists(st.integers(1, 4), max_size=2))},
              "tag": lambda: {"tag": draw(st.sampled_from(TAGS))},
              "deadline": lambda: {"deadline": draw(st.sampled_from([None, later]))},
              "not_before": lambda: {"not_before": draw(st.sampled_from([None, later]))},
              "coproduced": lambda: {"coproduced": draw(st.booleans())},
              "phase": lambda: {"phase": draw(st.sampled_from([None, 1, 2]))},
              "started": lambda: {"status": "in progress", "actual_start": later},
              "two": lambda: {"duration": draw(st.integers(0, 15)), "owner": draw(
                  st.sampled_from(PEOPLE)), "title": draw(st.sampled_from(TITLES))}}
    if kind in fields and aid:
        operations.edit_action(doc, aid, **fields[kind]())
    elif kind == "link" and aid:
        operations.add_dependency(doc, aid, draw(st.sampled_from(ids)),
                                  lag=draw(st.integers(0, 2)))
    elif kind == "unlink" and plan.dependencies:
        operations.remove_dependency(doc, draw(st.sampled_from(list(plan.dependencies))))
    elif kind == "add action":
        operations.add_action_after(doc, aid)
    elif kind == "delete action" and aid:
        operations.delete_action(doc, aid)
    elif kind == "milestone" and plan.milestones:
        mid = draw(st.sampled_from(sorted(plan.milestones)))
        doc.update("milestone", mid, forecast=draw(st.sampled_from([None, later])))
    elif kind == "capacity":
        doc.update("person", draw(st.sampled_from(PEOPLE)), capacity=draw(st.integers(0, 3)))
    elif kind == "undo":
        doc.undo()
    elif kind == "redo":
        doc.redo()


def same_as_fresh(plan: Plan, an) -> None:
    """``an``'s warnings and challenge statuses are a fresh analysis's; the fresh one's overload
    warnings (worked out per person) are what the whole plan's overloads give, and its
    statuses (worked out from each challenge's actions found in one pass) what
    ``rules.challenge_progress`` and ``challenge_rag`` give."""
    fresh = graph.analyse(plan)
    assert an.warnings == fresh.warnings
    assert an.challenges == fresh.challenges
    d = fresh.data
    floats = {aid: d.lf[i] - d.ef[i] for i, aid in enumerate(d.ids)}
    assert ([w for w in fresh.warnings if w.kind == "capacity"]
            == overload_warnings(plan, fresh.overloads, floats))
    for n, status in fresh.challenges.items():
        assert status.progress == rules.challenge_progress(plan, n)
        assert status.rag == fresh.challenge_rag(n)


@settings(deadline=None, max_examples=100 * SCALE, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plans(), st.data())
def test_warnings_and_tiles_kept_between_edits_equal_fresh_ones(plan, data):
    """After every edit the window's analysis (refresh_for, now and then refresh without being
    told what changed) gives the warnings and tiles a fresh analysis gives, whether they are
    read after each edit or after several."""
    with opened(plan) as doc:
        follow_edits(doc, data, _edit, same_as_fresh, lambda: data.draw(st.integers(0, 7)) == 0,
                     12, first=lambda an: (an.warnings, an.challenges))


@settings(deadline=None, max_examples=60 * SCALE, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plans(), st.data(), st.sampled_from([READ, ("title", "status", "challenges", "phase",
                                                   "initiative")]),
       st.sampled_from([None, ("action", "dependency", "phase", "settings")]))
def test_edits_since_reads_again_only_the_actions_named_as_a_full_reread_would(plan, data, read,
                                                                               kinds):
    """``EditsSince.take`` rereads only the actions the change sets since name, also after a
    link or an action came or went (it reread every action: 50-145 ms of a link added on
    20,000 actions). What it keeps is what reading every action gives, and what it says
    changed is what differs from the last full read; told only of some kinds of record (as
    the Graph tells it), or that the plan changed unseen (``lost``), likewise."""
    with opened(plan) as doc:
        part = EditsSince(read)

        def note(change):
            if kinds is None:
                part.note(change)
            else:
                part.note(SimpleNamespace(changes=tuple(fc for fc in change.changes
                                                        if fc.kind in kinds)))

        def full() -> dict:
            return {aid: part._inputs(a) for aid, a in doc.plan.actions.items()}

        assert part.take(doc.plan, graph.analyse(doc.plan).data) is None
        seen = full()
        assert part.inputs == seen
        doc.listeners.append(note)
        for _ in range(data.draw(st.integers(1, 12))):
            try:
                _edit(data.draw, doc)
            except PlanError:
                pass
            if data.draw(st.integers(0, 9)) == 0:
                part.lost()
            if data.draw(st.integers(0, 2)):
                continue  # taken after the next edits
            touched = part.take(doc.plan, graph.analyse(doc.plan).data)
            now = full()
            assert part.inputs == now
            if touched is not None:
                for aid, fields in now.items():
                    was = seen.get(aid)
                    differ = (set(read) if was is None else
                              {f for f, x, y in zip(read, was, fields) if x != y})
                    assert differ <= touched.get(aid, set())
                    if aid in touched:
                        assert touched[aid] == differ
                assert set(touched) <= set(now)
            seen = now


@contextmanager
def opened(plan: Plan):
    """A plan file made from ``plan``, open."""
    with tempfile.TemporaryDirectory() as tmp:
        doc = PlanDocument.create(Path(tmp) / "p.rcplan", plan)
        try:
            yield doc
        finally:
            doc.close()


def test_a_longer_training_can_change_a_practice_warning():
    """The one duration a practice rule reads (training a form change waits for through a
    start-to-start link): lengthening it brings the warning, though only a duration changed."""
    plan = Plan(challenges=ten_challenges())
    plan.settings.start = START
    plan.actions["A1"] = Action("A1", "Roll out staff training", duration=5, challenges=[1],
                                tag="staff-training")
    plan.actions["A2"] = Action("A2", "Introduce new forms", duration=2, challenges=[1],
                                tag="form-change")
    dep = Dependency("A2", "A1", type="SS", lag=4)
    plan.dependencies[dep.uid] = dep
    with opened(plan) as doc:
        sched = graph.Scheduler(doc.plan)
        before = sched.analyse().warnings
        assert not any("does not wait for" in w.message for w in before)
        after = sched.refresh_for(operations.edit_action(doc, "A1", duration=20)).warnings
        assert any("A2 'Introduce new forms' does not wait for" in w.message for w in after)
        same_as_fresh(doc.plan, sched.refresh_for(operations.edit_action(doc, "A1", duration=5)))


def test_an_edit_downstream_changes_the_advice_and_names_upstream():
    """What an edit changes away from the action edited: lengthening a later action takes
    float from the one before it (its owner's overload advice says so), and renaming an action
    renames it in the warning of a started action waiting for it."""
    plan = Plan(challenges=ten_challenges())
    plan.settings.start = plan.settings.as_of = START
    plan.people["P1"] = Person("P1", "Person P1", capacity=0)
    plan.actions["A1"] = Action("A1", "First", duration=5, owner="P1")
    plan.actions["A2"] = Action("A2", "Second", duration=2)
    plan.actions["A3"] = Action("A3", "Long", duration=40)
    plan.actions["A4"] = Action("A4", "Started", duration=3, status="in progress",
                                actual_start=START)
    for action, needs in (("A2", "A1"), ("A4", "A3")):
        dep = Dependency(action, needs)
        plan.dependencies[dep.uid] = dep
    with opened(plan) as doc:
        sched = graph.Scheduler(doc.plan)
        first = sched.analyse().warnings
        assert any("(33 working days of float)" in w.message for w in first)
        an = sched.refresh_for(operations.edit_action(doc, "A2", duration=12))
        assert any("(23 working days of float)" in w.message for w in an.warnings)
        same_as_fresh(doc.plan, an)
        an = sched.refresh_for(operations.edit_action(doc, "A3", title="Renamed"))
        assert any("before 'Renamed' (A3) allowed" in w.message for w in an.warnings)
        same_as_fresh(doc.plan, an)
