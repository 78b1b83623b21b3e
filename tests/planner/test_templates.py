"""Tests of planner.templates and the ten-challenges starter."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from planner.errors import PlanError
from planner.templates import available_templates, load_template
from planner.validate import validate_plan

ROOT = Path(__file__).resolve().parents[2]


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_ten_challenges", ROOT / "templates" / "build_ten_challenges.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def starter():
    return load_template("ten-challenges")


def by_title(plan, start: str) -> str:
    found = [a.id for a in plan.actions.values() if a.title.startswith(start)]
    assert len(found) == 1, start
    return found[0]


def waits_for(plan, later: str, earlier: str) -> bool:
    """Whether ``later`` waits (directly or through others) for ``earlier``."""
    todo, seen = [later], set()
    while todo:
        current = todo.pop()
        for d in plan.predecessors(current):
            if d.needs == earlier:
                return True
            if d.needs not in seen:
                seen.add(d.needs)
                todo.append(d.needs)
    return False


def test_listed_and_unknown_names():
    assert "ten-challenges" in available_templates()
    assert "plan-workbook" not in available_templates()
    with pytest.raises(PlanError, match="ten-challenges"):
        load_template("eleven-challenges")


def test_starter_is_valid_and_covers_every_challenge(starter):
    assert validate_plan(starter) == []
    assert len(starter.challenges) == 10
    for n in range(1, 11):
        assert starter.actions_of_challenge(n), n
        assert any(n in m.challenges for m in starter.measures.values()), n
        initiatives = [i for i in starter.initiatives.values()
                       if n in i.challenges and i.title != "Baseline self-assessment"]
        assert 2 <= len(initiatives) <= 5, (n, [i.title for i in initiatives])
    assert all(a.owner for a in starter.actions.values())
    assert all(a.duration > 0 for a in starter.actions.values())


def test_governance_and_baseline_come_first(starter):
    first = {a.id for a in starter.actions.values() if a.phase == 1}
    for a in starter.actions.values():
        if a.phase == 1:
            assert all(d.needs in first for d in starter.predecessors(a.id)), a.title
    baseline = by_title(starter, "Choose the first priorities")
    steering = by_title(starter, "Set up the recovery steering group")
    assert waits_for(starter, baseline, steering)
    for a in starter.actions.values():
        if a.phase and a.phase >= 2:
            assert starter.predecessors(a.id), f"{a.title} waits for nothing"


def test_known_sequences(starter):
    t = lambda s: by_title(starter, s)  # noqa: E731
    prepare, recruit = t("Prepare teams, job descriptions"), t("Recruit the first peer workers")
    employ, develop = t("Induct peer workers"), t("Start peer supervision")
    assert waits_for(starter, recruit, prepare)
    assert waits_for(starter, employ, recruit)
    assert waits_for(starter, develop, employ)
    assert waits_for(starter, t("Open the full college"), t("Run the pilot year"))
    assert waits_for(starter, t("Add courses co-designed"), t("Open the full college"))
    trainers = t("Train the trainers")
    # the college's courses wait for its own peer tutors, recruited once HR is ready for peer
    # roles, then trained; not for the staff trainer pool
    pilot, tutors = t("Run the pilot year"), t("Train the college's peer tutors")
    assert waits_for(starter, pilot, tutors)
    assert waits_for(starter, tutors, t("Recruit the college's first peer tutors"))
    assert waits_for(starter, t("Recruit the college's first peer tutors"), prepare)
    assert not waits_for(starter, pilot, trainers)
    assert waits_for(starter, t("Train clinical staff to write safety plans"), trainers)
    assert waits_for(starter, t("Replace risk-prediction forms"),
                     t("Board approves the revised risk"))  # policy change
    # new forms only once training has reached most staff (a lag of 80% of the roll-out or more)
    forms, training = t("Replace risk-prediction forms"), t("Train clinical staff to write")
    link = next(d for d in starter.predecessors(forms) if d.needs == training)
    assert link.type == "FS" or link.lag >= 0.8 * starter.actions[training].duration
    # the independent review comes once employment specialists are in teams
    review = t("Independent IPS fidelity review")
    assert waits_for(starter, review, t("Self-assess the employment service"))
    assert waits_for(starter, review, t("Place employment specialists"))


def test_starter_passes_the_practice_checks(starter):
    from planner.domain_checks import domain_warnings

    assert [w.message for w in domain_warnings(starter)] == []


def test_starter_covers_what_the_paper_asks_for(starter):
    from planner.model import CHALLENGES

    titles = " | ".join(a.title.lower() for a in starter.actions.values())
    for words in ("secure wards", "choice of clinician", "carers", "public statements",
                  "feed audit and survey results back", "stigma within services",
                  "targets with commissioners", "executive team", "skill mix",
                  "occupational health", "accreditation", "peer professionals"):
        assert words in titles, words
    names = " | ".join(m.name.lower() for m in starter.measures.values())
    for words in ("recovery knowledge", "ips employment support fidelity",
                  "restrictive interventions per 1,000 occupied bed days"):
        assert words in names, words
    assert not any("hours per month" in m.unit for m in starter.measures.values())
    cumulative = [m for m in starter.measures.values() if m.measure_type == "cumulative"]
    assert cumulative and all("so far" in m.name for m in cumulative)
    # challenge 8 is the whole workforce, not only peer roles
    eight = next(c for c in CHALLENGES if c.number == 8)
    assert "whole workforce" in eight.description and "occupational health" in eight.description
    assert starter.challenges[8].title == eight.title
    # every initiative says why it comes in the order it does
    assert all(i.rationale for i in starter.initiatives.values())
    college = [p for p in starter.people.values() if p.team == "Recovery college"]
    assert college and all("peer" in p.name.lower() for p in college)


def test_each_load_gets_fresh_identities(starter):
    again = load_template("ten-challenges")
    assert again.settings.plan_id != starter.settings.plan_id
    assert {a.uid for a in again.actions.values()}.isdisjoint(
        a.uid for a in starter.actions.values())
    assert set(again.dependencies) == {d.uid for d in again.dependencies.values()}


def test_shipped_workbook_matches_its_build_script(starter):
    built = _builder().build_plan()
    assert [(a.id, a.title, a.duration, a.owner, a.challenges, a.phase)
            for a in built.actions.values()] == \
        [(a.id, a.title, a.duration, a.owner, a.challenges, a.phase)
         for a in starter.actions.values()]
    assert sorted((d.action, d.needs, d.type, d.lag) for d in built.dependencies.values()) == \
        sorted((d.action, d.needs, d.type, d.lag) for d in starter.dependencies.values())


def test_start_date_can_be_given():
    from datetime import date

    plan = load_template("ten-challenges", start=date(2027, 4, 5))
    assert plan.settings.start == plan.settings.as_of == date(2027, 4, 5)
