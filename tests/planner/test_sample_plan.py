"""The Northmoor sample plan is realistic, valid and the same in its workbook and its plan file."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from planner.document import PlanDocument
from planner.validate import validate_plan
from planner.xlsx import read_workbook

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_plans"


@pytest.fixture(scope="module")
def plan():
    with PlanDocument.open(SAMPLE / "northmoor.rcplan", readonly=True) as doc:  # no lock beside it
        return doc.plan


def test_sizes(plan):
    assert 80 <= len(plan.actions) <= 150
    assert len(plan.milestones) >= 25
    assert len(plan.measures) >= 8
    assert len(plan.people) >= 12
    roles = Counter(p.role for p in plan.people.values())
    for role in ("staff", "peer worker", "service user", "carer", "partner organisation"):
        assert roles[role] >= 1, role
    for m in plan.measures.values():
        assert 18 <= len(plan.readings_of(m.id)) <= 24, m.name


def test_valid_and_complete(plan):
    assert validate_plan(plan) == []
    assert all(a.owner for a in plan.actions.values())
    for n in range(1, 11):
        assert plan.actions_of_challenge(n)
        assert any(n in m.challenges for m in plan.measures.values())
    s = plan.settings
    assert s.organisation and s.board_meeting and s.board_date and s.board_recommendation
    assert s.summary_on_track and s.summary_changed and s.summary_next and s.summary_decisions
    assert s.start.year == 2025 and s.start.month <= 3
    assert abs((s.as_of - s.as_of.replace(month=11, day=20)).days) <= 10


def test_progress_is_mixed(plan):
    statuses = Counter(a.status for a in plan.actions.values())
    assert statuses["done"] and statuses["in progress"] and statuses["not started"]
    ms = Counter(m.status for m in plan.milestones.values())
    assert ms["achieved"] and ms["planned"]
    slipped = [m for m in plan.milestones.values()
               if m.baseline and m.forecast and m.forecast > m.baseline + timedelta(days=14)]
    assert len(slipped) >= 3
    assert any(m.governance for m in plan.milestones.values())
    for m in plan.milestones.values():
        if m.status == "achieved":
            assert m.actual and m.actual <= plan.settings.as_of


def test_actual_dates_respect_dependencies(plan):
    as_of = plan.settings.as_of
    for a in plan.actions.values():
        if a.status == "done":
            assert a.actual_start <= a.actual_finish <= as_of
        if a.status == "in progress":
            assert a.actual_start <= as_of and a.actual_finish is None
        if a.status == "not started":
            assert a.actual_start is None
    for d in plan.dependencies.values():
        later, earlier = plan.actions[d.action], plan.actions[d.needs]
        if later.actual_start and d.type == "FS":
            assert earlier.actual_finish and earlier.actual_finish < later.actual_start
        if later.actual_start and d.type == "SS":
            assert earlier.actual_start and earlier.actual_start <= later.actual_start


def test_three_assessment_rounds_a_year_apart(plan):
    rounds = sorted({a.date for a in plan.assessments.values()})
    assert len(rounds) == 3
    for earlier, later in zip(rounds, rounds[1:]):
        assert 350 <= (later - earlier).days <= 380
    for n in range(1, 11):
        assert len(plan.assessments_of(n)) == 3


def test_workbook_and_plan_file_hold_the_same_plan(plan):
    from_workbook, _ = read_workbook(SAMPLE / "northmoor.xlsx")
    assert from_workbook == plan
