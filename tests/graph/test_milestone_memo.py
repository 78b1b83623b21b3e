"""Milestone forecasts kept between analyses (``graph.milestone_memo.MilestoneMemo``) equal the ones
worked out from nothing, after any sequence of edits a user makes through the document (actions
and links added and deleted, initiatives moved, actions cancelled, milestones added, edited and
deleted, Undo and Redo), whether the Scheduler is told what each edit changed
(``refresh_for``) or not (``refresh``), and whatever order analyses are asked in (issue 13)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_graph_properties import DERANDOMIZE, SCALE

import graph
from graph.analysis import MilestoneForecast
from planner import operations, rules
from planner.document import PlanDocument
from planner.errors import PlanError
from planner.model import Action, Dependency, Initiative, Milestone, Plan, ten_challenges

START = date(2027, 1, 4)
INITIATIVES = ["I1", "I2", "I3"]


def plain_forecasts(plan: Plan, d) -> dict[str, MilestoneForecast]:
    """Every milestone's forecast as first written: each initiative's scheduled actions found
    by looking at every action of the plan, nothing kept."""
    cal = d.cal
    members: dict[str, list[int]] = {}
    for aid, a in plan.actions.items():
        if a.initiative is not None and aid in d.pos:
            members.setdefault(a.initiative, []).append(d.pos[aid])
    out = {}
    for mid, m in plan.milestones.items():
        sched_idx = driving = None
        if m.action is not None and m.action in d.pos:
            sched_idx, driving = d.ef[d.pos[m.action]], m.action
        elif m.initiative is not None and m.initiative in members:
            sched_idx = max(d.ef[i] for i in members[m.initiative])
        scheduled = cal.date(sched_idx) if sched_idx is not None else None
        forecast = rules.milestone_forecast(m, scheduled)
        disagrees = (m.actual is None and m.forecast is not None and scheduled is not None
                     and cal.index_on_or_before(m.forecast) != sched_idx)
        out[mid] = MilestoneForecast(mid, m.title, m.baseline, forecast, scheduled, m.forecast,
                                     m.actual, rules.slip_days(cal, m.baseline, forecast),
                                     disagrees, driving)
    return out


def plain_driver(plan: Plan, d, mid: str) -> str | None:
    """``Analysis.milestone_driver`` by looking at every action."""
    m = plan.milestones[mid]
    if m.action is not None:
        return m.action if m.action in d.pos else None
    if m.initiative is not None:
        got = [d.pos[a] for a, rec in plan.actions.items()
               if rec.initiative == m.initiative and a in d.pos]
        return d.ids[max(got, key=lambda i: (d.ef[i], -i))] if got else None
    return None


@st.composite
def plans(draw) -> Plan:
    """Up to 12 actions in up to three initiatives (or none), a few links, milestones on an
    action, an initiative, both, an action that is not in the plan, or nothing."""
    plan = Plan(challenges=ten_challenges())
    plan.settings.start = plan.settings.as_of = START
    for ini in INITIATIVES:
        plan.initiatives[ini] = Initiative(ini, f"Initiative {ini}")
    n = draw(st.integers(1, 12))
    for k in range(1, n + 1):
        plan.actions[f"A{k}"] = Action(f"A{k}", f"Action {k}", duration=draw(st.integers(0, 9)),
                                       initiative=draw(st.sampled_from([None, *INITIATIVES])))
    for a, b in draw(st.lists(st.tuples(st.integers(1, n), st.integers(1, n)), max_size=2 * n)):
        if a < b and not any(d.action == f"A{b}" and d.needs == f"A{a}"
                             for d in plan.dependencies.values()):
            dep = Dependency(f"A{b}", f"A{a}", lag=draw(st.integers(0, 3)))
            plan.dependencies[dep.uid] = dep
    for k in range(1, draw(st.integers(0, 6)) + 1):
        plan.milestones[f"M{k}"] = _milestone(draw, f"M{k}", n)
    return plan


def _milestone(draw, mid: str, n: int) -> Milestone:
    return Milestone(mid, f"Milestone {mid}",
                     action=draw(st.sampled_from([None, None, f"A{draw(st.integers(1, n + 2))}"])),
                     initiative=draw(st.sampled_from([None, *INITIATIVES])),
                     baseline=START + timedelta(days=draw(st.integers(0, 60))),
                     forecast=draw(st.sampled_from(
                         [None, START + timedelta(days=draw(st.integers(0, 60)))])))


def _edit(draw, doc: PlanDocument) -> None:
    """One edit a user might make, through the document (refusals change nothing)."""
    plan = doc.plan
    ids = list(plan.actions) or [None]
    mids = list(plan.milestones) or [None]
    kind = draw(st.sampled_from(["add action", "add action", "delete action", "initiative",
                                 "initiative", "initiative", "status", "status", "duration",
                                 "link", "unlink", "milestone", "add milestone",
                                 "delete milestone", "delete initiative", "undo", "undo",
                                 "redo"]))
    aid, mid = draw(st.sampled_from(ids)), draw(st.sampled_from(mids))
    if kind == "add action":
        if draw(st.booleans()):
            operations.add_action_after(doc, aid)
        else:
            doc.add("action", Action(plan.next_id("action"), "New", duration=draw(
                st.integers(0, 9)), initiative=draw(st.sampled_from([None, *INITIATIVES]))))
    elif kind == "delete action" and aid:
        operations.delete_action(doc, aid)
    elif kind == "initiative" and aid:
        operations.edit_action(doc, aid, initiative=draw(st.sampled_from([None, *INITIATIVES])))
    elif kind == "status" and aid:
        operations.edit_action(doc, aid, status=draw(st.sampled_from(
            ["cancelled", "not started", "not started", "on hold"])))
    elif kind == "duration" and aid:
        operations.edit_action(doc, aid, duration=draw(st.integers(0, 12)))
    elif kind == "link" and aid:
        operations.add_dependency(doc, aid, draw(st.sampled_from(ids)),
                                  lag=draw(st.integers(0, 2)))
    elif kind == "unlink" and plan.dependencies:
        operations.remove_dependency(doc, draw(st.sampled_from(sorted(plan.dependencies))))
    elif kind == "milestone" and mid:
        field = draw(st.sampled_from(["action", "initiative", "forecast", "actual", "title"]))
        value = {"action": draw(st.sampled_from([None, *ids])),
                 "initiative": draw(st.sampled_from([None, *INITIATIVES])),
                 "forecast": draw(st.sampled_from([None, START + timedelta(days=9)])),
                 "actual": draw(st.sampled_from([None, START])),
                 "title": draw(st.sampled_from(["Renamed", "Other"]))}[field]
        doc.update("milestone", mid, **{field: value})
    elif kind == "add milestone":
        doc.add("milestone", _milestone(draw, plan.next_id("milestone"), len(ids)))
    elif kind == "delete milestone" and mid:
        doc.delete("milestone", mid)
    elif kind == "delete initiative":
        doc.delete("initiative", draw(st.sampled_from(INITIATIVES)))
    elif kind == "undo":
        doc.undo()
    elif kind == "redo":
        doc.redo()


def follow_edits(doc: PlanDocument, data, edit, check, untold, most: int,
                 first=None) -> list:
    """The window's analyses of ``doc`` (a Scheduler told of each change set through
    ``refresh_for``, or when ``untold()`` says so refreshed without it) through 1 to ``most``
    edits drawn by ``edit`` (refusals change nothing); ``check(plan, analysis)`` on the latest
    analysis now and then, and at the end (``first(analysis)`` on the first, before any edit)."""
    sched = graph.Scheduler(doc.plan)
    got = [sched.analyse()]
    if first is not None:
        first(got[0])

    def listener(change):
        if untold():  # told nothing of what changed
            got.append(sched.refresh(
                actions=sorted(change.schedule_actions), links_changed=change.links,
                settings_changed=change.calendar, link_edits=change.link_edits,
                actions_added=change.actions_added, actions_removed=change.actions_removed))
        else:
            got.append(sched.refresh_for(change))

    doc.listeners.append(listener)
    for _ in range(data.draw(st.integers(1, most))):
        try:
            edit(data.draw, doc)
        except PlanError:
            pass
        if data.draw(st.integers(0, 3)):  # read now, or leave it for the next edits
            check(doc.plan, got[-1])
    check(doc.plan, got[-1])
    return got


def _same_as_fresh(plan: Plan, an) -> None:
    fresh = graph.analyse(plan)
    assert an.milestones == fresh.milestones == plain_forecasts(plan, fresh.data)
    assert list(an.milestones) == list(plan.milestones)
    for mid in plan.milestones:
        assert an.milestone_driver(mid) == fresh.milestone_driver(mid) == plain_driver(
            plan, fresh.data, mid)


@settings(deadline=None, max_examples=100 * SCALE, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plans(), st.data())
def test_forecasts_kept_between_edits_equal_fresh_ones(plan, data):
    """After every edit the window's analysis (refresh_for, or now and then refresh without
    being told what changed) gives the forecasts and drivers a fresh analysis gives; analyses
    not read at once and read later give what the plan and their own schedule give."""
    with tempfile.TemporaryDirectory() as tmp:
        doc = PlanDocument.create(Path(tmp) / "p.rcplan", plan)
        try:
            got = follow_edits(doc, data, _edit, _same_as_fresh, lambda: data.draw(st.booleans()),
                               14)
            late = [an for an in got if "milestones" not in vars(an)]  # none read yet
            for an in data.draw(st.permutations(late))[:4]:  # older analyses, read late
                assert an.milestones == plain_forecasts(doc.plan, an.data)
        finally:
            doc.close()


def test_an_edit_made_behind_the_schedulers_back_is_seen_after_refresh():
    """``refresh`` without a change set: the forecasts look at every milestone and action."""
    plan = Plan(challenges=ten_challenges())
    plan.settings.start = START
    plan.initiatives["I1"] = Initiative("I1", "One")
    plan.actions["A1"] = Action("A1", "One", duration=5, initiative="I1")
    plan.actions["A2"] = Action("A2", "Two", duration=20)
    plan.milestones["M1"] = Milestone("M1", "Done", initiative="I1")
    sched = graph.Scheduler(plan)
    before = sched.analyse().milestones["M1"].scheduled
    plan.actions["A2"].initiative = "I1"
    after = sched.refresh().milestones["M1"].scheduled
    assert after > before
    assert after == graph.analyse(plan).milestones["M1"].scheduled


@settings(deadline=None, max_examples=100 * SCALE, derandomize=DERANDOMIZE)
@given(plans(), st.data())
def test_members_read_in_plan_order_equal_those_looked_up_by_id(plan, data):
    """A fresh memo finds each initiative's scheduled actions, their initiative and its latest
    finish in one pass in the plan's order when every action is scheduled; it gives what
    looking each action up in the schedule gives: the same sets, the same finishes, in the
    same order (the order forecasts and later edits read them in)."""
    from graph.milestone_memo import _members_by_id, _members_in_order

    for a in plan.actions.values():  # now and then one cancelled: the look-up path is taken
        if data.draw(st.integers(0, 9)) == 0:
            a.status = "cancelled"
    d = graph.analyse(plan).data
    keys = list(plan.actions)
    inis = [a.initiative for a in plan.actions.values()]
    want = _members_by_id(keys, inis, d.pos, d.ef)
    if keys == d.ids:
        got = _members_in_order(keys, inis, d.ef)
        for g, w in zip(got, want):
            assert list(g.items()) == list(w.items())
    memo = graph.analysis.MilestoneMemo()
    memo._start(plan, d)
    for g, w in zip((memo.members, memo.member_of, memo.finish), want):
        assert list(g.items()) == list(w.items())
    assert memo.forecasts(plan, d) == plain_forecasts(plan, d)


@settings(deadline=None, max_examples=100 * SCALE, derandomize=DERANDOMIZE)
@given(plans(), st.data())
def test_maps_a_fresh_analysis_leaves_unbuilt_are_those_of_the_plan_analysed(plan, data):
    """A fresh analysis works out each initiative's latest finish and leaves the maps only later
    edits and ``members_of`` read (each initiative's members, each action's initiative, the
    milestones on each action and initiative) to be built when first needed (issue 13). Built
    after the plan has changed, they are still those of the plan as analysed: what building
    them at once gave, which the next edit's comparison starts from."""
    from graph.milestone_memo import _members_by_id

    for a in plan.actions.values():  # now and then one cancelled: the look-up path is taken
        if data.draw(st.integers(0, 9)) == 0:
            a.status = "cancelled"
    d = graph.analyse(plan).data
    members, member_of, finish = _members_by_id(
        list(plan.actions), [a.initiative for a in plan.actions.values()], d.pos, d.ef)
    by_action: dict = {}
    by_ini: dict = {}
    for mid, m in plan.milestones.items():
        if m.action is not None:
            by_action.setdefault(m.action, set()).add(mid)
        if m.initiative is not None:
            by_ini.setdefault(m.initiative, set()).add(mid)
    memo = graph.analysis.MilestoneMemo()
    want_forecasts = plain_forecasts(plan, d)
    assert memo.forecasts(plan, d) == want_forecasts
    assert list(memo.finish.items()) == list(finish.items())
    for a in plan.actions.values():  # the plan changes before anything reads the maps
        a.initiative = data.draw(st.sampled_from([None, *INITIATIVES]))
    for m in plan.milestones.values():
        m.action, m.initiative = m.initiative, m.action
    assert list(memo.members.items()) == list(members.items())
    assert list(memo.member_of.items()) == list(member_of.items())
    assert memo.by_action == by_action
    assert memo.by_ini == by_ini
