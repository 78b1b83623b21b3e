"""``validate`` on the command line takes two shortcuts (issue 13), each checked here against
the path it stands in for:

* a plan exactly as it was read from its file has every value inside its range (the file is
  refused otherwise), so ``validate_plan(plan, read=True)`` leaves the range checks out and
  lists exactly what ``validate_plan(plan)`` lists;
* the "every challenge has a co-produced action" practice rule gathers the actions serving a
  challenge only for challenges no co-produced action serves, with C-level passes
  (``domain_checks._serving_of``), and warns exactly as gathering them for every challenge does.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planner import domain_checks
from planner.cli import open_plan
from planner.document import PlanDocument
from planner.domain_checks import domain_warnings
from planner.model import Action, Person, Plan, ten_challenges
from planner.validate import validate_plan

from tests.planner.test_validate_fast import plans


def _read_back(plan, folder: Path):
    """The plan written to a file and opened read-only as ``validate`` opens it (None when the
    file is refused: a value out of range)."""
    path = folder / "p.rcplan"
    try:
        PlanDocument.create(path, plan, overwrite=True).close()
        return open_plan(str(path))
    except Exception:  # noqa: BLE001 - refused on the way in or out: nothing to compare
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_a_plan_as_read_lists_what_every_check_lists(plan):
    with tempfile.TemporaryDirectory(prefix="validate-read-") as folder:
        doc = _read_back(plan, Path(folder))
        assume(doc is not None)
        with doc:
            assert validate_plan(doc.plan, read=True) == validate_plan(doc.plan)


def test_a_plan_as_read_still_lists_broken_rules(tmp_path):
    plan = Plan(challenges=ten_challenges())
    plan.people = {"P1": Person("P1", "Asha")}
    plan.actions = {
        "A1": Action("A1", "", owner="P9", challenges=[11], duration=-1, status="finished",
                     percent=101, check_hope=2, phase=0, tag="odd"),
        "A2": Action("A2", "Fine"),
    }
    doc = _read_back(plan, tmp_path)
    with doc:
        got = validate_plan(doc.plan, read=True)
    assert got == validate_plan(doc.plan)
    assert len(got) == 9 and all(p.startswith("Action A1") for p in got)


CHALLENGE_ITEMS = st.one_of(st.integers(0, 11), st.sampled_from([True, 1.0, 2.0, 3.5]))


@st.composite
def live_actions(draw):
    return [Action(f"A{i}", "x", coproduced=draw(st.booleans()),
                   challenges=draw(st.lists(CHALLENGE_ITEMS, max_size=4)))
            for i in range(draw(st.integers(0, 12)))]


@settings(max_examples=400, deadline=None)
@given(live_actions(), st.lists(st.one_of(st.integers(0, 11), st.just(1.0)), max_size=6,
                                unique=True))
def test_the_actions_serving_a_challenge_are_those_every_action_gives(live, numbers):
    fast = domain_checks._serving_of(live, numbers)
    every = domain_checks.serving(live, numbers)
    for n in numbers:
        count, first = fast.get(n, (0, []))
        acts = every.get(n, [])
        assert (count, [a.id for a in first]) == (len(acts), [a.id for a in acts[:3]])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 11), max_size=4), max_size=30),
       st.lists(st.integers(0, 11), max_size=6, unique=True))
def test_whole_numbered_challenges_are_counted_as_every_action_gives(lists, numbers):
    """The C-level count (each distinct list of challenges once; a number twice in one list
    counts the action once) against ``serving``."""
    live = [Action(f"A{i}", "x", challenges=c) for i, c in enumerate(lists)]
    fast = domain_checks._serving_of(live, numbers)
    every = domain_checks.serving(live, numbers)
    assert fast == {n: (len(acts), acts[:3]) for n, acts in every.items() if acts}


@settings(max_examples=200, deadline=None)
@given(plans())
def test_practice_warnings_are_those_of_every_challenge_asked(plan):
    for i, a in enumerate(plan.actions.values()):
        a.coproduced = i % 3 == 0
    with mock.patch.object(domain_checks, "_served_coproduced", lambda live: None):
        slow = domain_warnings(plan)
    assert domain_warnings(plan) == slow


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Recruit peer workers", "Prepare HR policies",
                                           "Write it", "Train all staff", "TRAIN ALL STAFF"]),
                          st.sampled_from(["", "peer-hire", "hr-readiness", "odd"]),
                          st.integers(0, 12)),
                max_size=30))
def test_tags_in_order_are_each_actions_tag_by_id(rows):
    actions = [Action(f"A{i}", title, tag=tag) for title, tag, i in rows]  # ids may repeat
    by_id = domain_checks.action_tags(actions)
    assert domain_checks._tags_in_order(actions) == [by_id[a.id] for a in actions]
