"""The facts behind the deck, on small hand-made plans: RAG rules, milestone changes, snapshots."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from planner.errors import PlanError
from reports import facts
from reports.deck import find_snapshot, snapshot_as_of, snapshot_label
from reports.facts import MilestoneDates, Schedule
from planner.model import Action, Initiative, Milestone, Plan, ten_challenges

AS_OF = date(2026, 6, 1)


def plan_with(*milestones: Milestone, actions=None) -> Plan:
    plan = Plan(challenges=ten_challenges())
    plan.settings.as_of = AS_OF
    plan.actions = actions or {"A1": Action("A1", "Open the college", challenges=[3]),
                               "A2": Action("A2", "Recruit peers", challenges=[8])}
    plan.initiatives = {"I1": Initiative("I1", "College", challenges=[3])}
    for m in milestones:
        plan.milestones[m.id] = m
    return plan


def sched(plan: Plan, slips: dict[str, int], actions=None) -> Schedule:
    s = Schedule(plan, AS_OF)
    for mid, m in plan.milestones.items():
        s.milestones[mid] = MilestoneDates(m.baseline, m.forecast or m.baseline, slips.get(mid, 0))
    s.actions = actions or {aid: (AS_OF, AS_OF) for aid in plan.actions}
    return s


@pytest.mark.parametrize("slip, colour", [(0, "Green"), (5, "Green"), (6, "Amber"), (20, "Amber"),
                                          (21, "Red")])
def test_rag_thresholds(slip, colour):
    plan = plan_with(Milestone("M1", "College opens", action="A1", baseline=date(2026, 9, 1)))
    rag = facts.challenge_rag(plan, 3, sched(plan, {"M1": slip}))
    assert rag.colour == colour
    if colour != "Green":
        assert f"{slip} working days late" in rag.reason and "M1" in rag.reason


def test_missed_milestone_is_red_and_initiative_links_count():
    plan = plan_with(Milestone("M1", "Pilot agreed", initiative="I1", baseline=date(2026, 3, 1),
                               status="missed"))
    rag = facts.challenge_rag(plan, 3, sched(plan, {}))
    assert rag.colour == "Red" and "was missed" in rag.reason


def test_grey_when_nothing_planned_and_amber_past_deadline():
    plan = plan_with()
    assert facts.challenge_rag(plan, 5, sched(plan, {})).colour == "Grey"
    plan.actions["A1"].deadline = date(2026, 6, 19)  # still ahead, but forecast to be missed
    s = sched(plan, {}, actions={"A1": (AS_OF, date(2026, 7, 1)), "A2": (AS_OF, AS_OF)})
    rag = facts.challenge_rag(plan, 3, s)
    assert rag.colour == "Amber" and "forecast to finish after its deadline" in rag.reason


def test_milestone_changes_against_a_snapshot():
    kept = Milestone("M1", "College opens", action="A1", baseline=date(2026, 9, 1))
    done = Milestone("M2", "Peers recruited", action="A2", baseline=date(2026, 5, 1))
    gone = Milestone("M3", "Old milestone", action="A2", baseline=date(2026, 7, 1))
    before = plan_with(kept, done, gone)
    now = copy.deepcopy(before)
    del now.milestones["M3"]
    now.milestones["M2"].status = "achieved"
    now.milestones["M2"].actual = date(2026, 5, 20)
    now.milestones["M4"] = Milestone("M4", "Brand new", action="A1", baseline=date(2026, 6, 20))
    now.milestones["M1"].forecast = date(2026, 9, 15)
    prev_as_of = date(2026, 5, 1)
    s_now = sched(now, {"M1": 10})
    s_before = sched(before, {"M1": 4})
    s_before.as_of = prev_as_of
    ch = facts.milestone_changes(now, s_now, before, s_before, prev_as_of, root_causes=False)
    assert [r.id for r in ch.achieved] == ["M2"]
    assert [r.id for r in ch.new] == ["M4"]
    assert [r.id for r in ch.removed] == ["M3"] and ch.removed[0].reason == "Deleted from the plan"
    assert [r.id for r in ch.slipped] == ["M1"]
    assert ch.slipped[0].slip_days == 10 and ch.slipped[0].slip_before == 4
    assert [r.id for r in ch.due_next] == ["M4"]  # within a period (31 days) of the status date
    assert (ch.since, ch.until) == (prev_as_of, AS_OF) and not ch.first_report


def test_first_report_looks_back_thirty_days():
    m = Milestone("M1", "Done", action="A1", baseline=date(2026, 5, 1), status="achieved",
                  actual=date(2026, 5, 10))
    old = Milestone("M2", "Long ago", action="A1", baseline=date(2026, 1, 1), status="achieved",
                    actual=date(2026, 1, 10))
    plan = plan_with(m, old)
    ch = facts.milestone_changes(plan, sched(plan, {}), None, None, None)
    assert ch.first_report and [r.id for r in ch.achieved] == ["M1"]
    assert ch.new == [] and ch.removed == []


def test_period_days_is_kept_sensible():
    assert facts.period_days(AS_OF, None) == 30
    assert facts.period_days(AS_OF, date(2026, 5, 25)) == 14
    assert facts.period_days(AS_OF, date(2026, 3, 1)) == 92
    assert facts.period_days(AS_OF, date(2025, 1, 1)) == 120


def test_draft_summary_and_kept_text():
    plan = plan_with(Milestone("M1", "College opens", action="A1", baseline=date(2026, 9, 1)))
    s = sched(plan, {"M1": 30})
    rows = facts.challenge_rows(plan, s, None, None)
    ch = facts.milestone_changes(plan, s, None, None, None, root_causes=False)
    draft = facts.draft_summary(plan, s, rows, ch, None)
    assert draft.on_track.startswith("Off track in 1 of 10 challenges (1 green, 0 amber, 1 red")
    assert "first report" in draft.changed
    assert "note the report" in draft.decisions
    plan.settings.summary_next = "Open the college in September."
    used, drafted = facts.summary_from_settings(plan, draft)
    assert used.next == "Open the college in September." and "next" not in drafted
    assert used.on_track == draft.on_track and "on_track" in drafted


@dataclass
class FakeSnap:
    uid: str
    created: datetime
    label: str


class FakeDoc:
    def __init__(self, snaps):
        self._snaps = snaps

    def snapshots(self):
        return self._snaps


def test_find_snapshot_by_uid_label_and_prefix():
    a = FakeSnap("aaaa1111", datetime(2026, 5, 1), snapshot_label(date(2026, 5, 1), "Board"))
    b = FakeSnap("aaab2222", datetime(2026, 6, 1), "Board report as of 2026-06-01")
    doc = FakeDoc([a, b])
    assert find_snapshot(doc, None) is b
    assert find_snapshot(doc, "aaaa1111") is a
    assert find_snapshot(doc, "aaab") is b
    assert find_snapshot(doc, "Board report as of 2026-05-01 (Board)") is a
    with pytest.raises(PlanError, match="matches 2 snapshots"):
        find_snapshot(doc, "aaa")
    with pytest.raises(PlanError, match="No snapshot matches"):
        find_snapshot(doc, "zzz")
    assert find_snapshot(FakeDoc([]), None) is None
    assert snapshot_as_of(a, Plan()) == date(2026, 5, 1)
    odd = FakeSnap("c", datetime(2026, 7, 3, 9), "my label")
    assert snapshot_as_of(odd, Plan()) == date(2026, 7, 3)


def test_a_snapshots_status_date_its_label_then_the_plans_then_the_day_stored():
    """The status date a snapshot stands for: the one its label names; else (for the report to
    compare with) the plan's; and for finding the previous report, the day it was stored."""
    named = FakeSnap("n", datetime(2026, 9, 1), snapshot_label(date(2026, 5, 1), "Board"))
    odd = FakeSnap("o", datetime(2026, 7, 3, 9), "my label")
    plan = Plan()
    plan.settings.as_of = date(2026, 6, 15)
    assert snapshot_as_of(named, plan) == date(2026, 5, 1)
    assert snapshot_as_of(odd, plan) == date(2026, 6, 15)
    assert snapshot_as_of(FakeSnap("u", None, "my label"), Plan()) == date.today()
    doc = FakeDoc([named, odd])
    # by label, 2026-05-01 is before 2026-06-01; the odd one was stored on 2026-07-03, after it
    assert find_snapshot(doc, None, before=date(2026, 6, 1)) is named
    assert find_snapshot(doc, None, before=date(2026, 8, 1)) is odd
    assert find_snapshot(doc, None, before=date(2026, 5, 1)) is None


SINCE = date(2026, 3, 1)


@pytest.mark.parametrize("status, actual, before_status, expected", [
    ("achieved", date(2026, 4, 1), None, True),         # dated in the period
    ("achieved", SINCE, None, False),                   # on the last report's status date
    ("achieved", AS_OF, None, True),                    # on this one's
    ("achieved", date(2026, 2, 1), None, False),        # before the period
    ("achieved", date(2026, 2, 1), "planned", True),    # achieved since the last report said
    ("achieved", None, "planned", True),                #   so, with no date given
    ("achieved", None, "achieved", False),              # already achieved then
    ("achieved", date(2026, 7, 1), "planned", False),   # dated after the status date
    ("planned", date(2026, 4, 1), None, True),          # an actual date is achievement
    ("cancelled", date(2026, 4, 1), "planned", False),  # cancelled is never achieved
    ("planned", None, "planned", False),
])
def test_achieved_in_period_is_one_rule(status, actual, before_status, expected):
    m = Milestone("M1", "College opens", action="A1", baseline=date(2026, 4, 1), actual=actual,
                  status=status)
    before = None if before_status is None else Milestone("M1", "College opens", action="A1",
                                                          status=before_status)
    assert facts.achieved_in_period(m, before, SINCE, AS_OF) is expected
    # the milestones slide's Achieved table uses the same rule
    prev = None
    if before is not None:
        prev = plan_with(before)
        before.uid = m.uid = "u1"
    plan = plan_with(m)
    ch = facts.milestone_changes(plan, sched(plan, {}), prev, sched(prev, {}) if prev else None,
                                 SINCE if prev else None)
    if prev is not None:
        assert ([r.id for r in ch.achieved] == ["M1"]) is expected
    assert facts.milestones_achieved(plan, SINCE, AS_OF, prev) == ([m] if expected else [])


@pytest.mark.parametrize("status, actual, forecast, expected", [
    ("planned", None, date(2026, 6, 20), True),
    ("missed", None, date(2026, 6, 20), True),     # a missed milestone at its recovery date
    ("planned", None, AS_OF, False),               # on the status date: not next period
    ("planned", None, date(2026, 7, 1), True),     # on the period's last day
    ("planned", None, date(2026, 7, 2), False),
    ("achieved", date(2026, 5, 1), date(2026, 6, 20), False),
    ("cancelled", None, date(2026, 6, 20), False),
    ("planned", None, None, False),
])
def test_due_in_period_is_one_rule(status, actual, forecast, expected):
    m = Milestone("M1", "College opens", action="A1", baseline=date(2026, 6, 1), actual=actual,
                  status=status)
    assert facts.due_in_period(m, forecast, AS_OF, date(2026, 7, 1)) is expected
