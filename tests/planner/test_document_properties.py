"""Property-based tests: any sequence of operations keeps the plan valid, stored and undoable."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from planner import codec
from planner.document import PlanDocument
from planner.errors import PlanError
from planner.model import ACTION_STATUSES, Action, Assessment, Dependency, Person, Reading
from planner.validate import validate_plan
from plan_factory import small_plan

ACTION_IDS = [f"A{i}" for i in range(1, 9)]
dates = st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2027, 12, 31)))
small_ints = st.integers(-3, 120)

action_fields = st.fixed_dictionaries({}, optional={
    "duration": small_ints, "percent": small_ints, "status": st.sampled_from(ACTION_STATUSES + ["x"]),
    "owner": st.sampled_from([None, "P1", "P2", "P9"]),
    "challenges": st.lists(st.integers(0, 11), max_size=3),
    "actual_start": dates, "actual_finish": dates, "not_before": dates, "deadline": dates,
    "check_hope": st.sampled_from([None, -1, 0, 1, 2]), "phase": st.sampled_from([None, 0, 1, 2]),
    "title": st.text(max_size=12),
})

operations = st.one_of(
    st.tuples(st.just("add_action"), st.sampled_from(ACTION_IDS), action_fields),
    st.tuples(st.just("update_action"), st.sampled_from(ACTION_IDS), action_fields),
    st.tuples(st.just("delete_action"), st.sampled_from(ACTION_IDS), st.none()),
    st.tuples(st.just("link"), st.tuples(st.sampled_from(ACTION_IDS), st.sampled_from(ACTION_IDS)),
              st.tuples(st.sampled_from(["FS", "SS", "XX"]), st.integers(-1, 5))),
    st.tuples(st.just("unlink"), st.integers(0, 20), st.none()),
    st.tuples(st.just("add_person"), st.sampled_from(["P3", "P4"]),
              st.tuples(st.sampled_from(["Cara", "Asha Patel", ""]), st.integers(0, 4))),
    st.tuples(st.just("delete_person"), st.sampled_from(["P1", "P2", "P3"]), st.none()),
    st.tuples(st.just("reading"), st.sampled_from(["OM1", "OM9"]),
              st.floats(-1e6, 1e6, allow_nan=False)),
    st.tuples(st.just("assess"), st.integers(0, 11),
              st.sampled_from(["Engagement", "Transformation", "Great"])),
    st.tuples(st.just("settings"), st.none(),
              st.sampled_from([{"name": ""}, {"name": "Renamed"}, {"end": date(2025, 1, 1)},
                               {"as_of": date(2026, 5, 1)}])),
    st.tuples(st.just("undo"), st.none(), st.none()),
    st.tuples(st.just("redo"), st.none(), st.none()),
)


def canonical(plan) -> dict:
    """The plan's content regardless of the order records were added in."""
    data = codec.plan_to_json(plan)
    return {k: (sorted(v, key=lambda r: r["uid"]) if isinstance(v, list) else v)
            for k, v in data.items()}


def apply(doc: PlanDocument, op) -> None:
    name, a, b = op
    if name == "add_action":
        doc.add("action", Action(a, b.pop("title", "New action") or "Untitled", **b))
    elif name == "update_action":
        doc.update("action", a, **b)
    elif name == "delete_action":
        doc.delete("action", a)
    elif name == "link":
        doc.add("dependency", Dependency(a[0], a[1], type=b[0], lag=b[1]))
    elif name == "unlink":
        deps = sorted(doc.plan.dependencies)
        if deps:
            doc.delete("dependency", deps[a % len(deps)])
    elif name == "add_person":
        doc.add("person", Person(a, b[0], capacity=b[1]))
    elif name == "delete_person":
        doc.delete("person", a)
    elif name == "reading":
        doc.add("reading", Reading(a, date(2026, 4, 1), b))
    elif name == "assess":
        doc.add("assessment", Assessment(a, date(2026, 4, 1), b))
    elif name == "settings":
        doc.update_settings(**b)
    elif name == "undo":
        doc.undo()
    elif name == "redo":
        doc.redo()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operations, max_size=25))
def test_operations_keep_the_plan_valid_and_undo_all_restores_it(ops):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.rcplan"
        doc = PlanDocument.create(path, small_plan())
        for op in ops:
            before = codec.plan_to_json(doc.plan)
            try:
                apply(doc, op)
            except PlanError:
                # a refused operation changes nothing
                assert codec.plan_to_json(doc.plan) == before
            assert validate_plan(doc.plan) == []
        # what is in memory is what is in the file
        in_memory = canonical(doc.plan)
        doc.close()
        doc = PlanDocument.open(path)
        assert canonical(doc.plan) == in_memory
        doc.close()
        # replay in a session that can undo everything: re-run the operations and undo them all
        doc = PlanDocument.create(Path(tmp) / "q.rcplan", small_plan())
        start = canonical(doc.plan)
        for op in ops:
            try:
                apply(doc, op)
            except PlanError:
                pass
        while doc.undo() is not None:
            pass
        assert canonical(doc.plan) == start
        doc.close()
        again = PlanDocument.open(Path(tmp) / "q.rcplan")
        assert canonical(again.plan) == start
        again.close()
