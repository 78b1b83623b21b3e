"""The measure catalogue: measures a trust would use, each complete enough to chart honestly."""

from __future__ import annotations

import pytest

from planner import catalogue, spc
from planner.document import PlanDocument
from planner.errors import PlanError
from planner.model import DIRECTIONS, MEASURE_KINDS, MEASURE_TYPES
from planner.validate import record_problems
from plan_factory import small_plan


def test_every_entry_is_complete():
    for e in catalogue.CATALOGUE:
        assert e.kind in MEASURE_KINDS and e.direction in DIRECTIONS
        assert e.measure_type in MEASURE_TYPES
        assert e.unit and e.source and e.challenges
        # a rate names what it is over, or two teams' figures cannot be compared
        assert e.measure_type != "rate" or e.denominator, e.key
    assert len({e.key for e in catalogue.CATALOGUE}) == len(catalogue.CATALOGUE)


def test_the_catalogue_has_the_measures_the_issue_names():
    names = " | ".join(e.name for e in catalogue.CATALOGUE)
    assert "recovery knowledge" in names.lower()
    assert "IPS employment support fidelity" in names
    restrictive = catalogue.BY_KEY["restrictive"]
    assert restrictive.measure_type == "rate"
    assert restrictive.denominator == "per 1,000 occupied bed days"
    assert restrictive.direction == "lower"
    kinds = {e.kind for e in catalogue.CATALOGUE}
    assert kinds == {"objective", "subjective"}
    assert {e.measure_type for e in catalogue.CATALOGUE} == set(MEASURE_TYPES)


def test_picking_an_entry_fills_a_new_measure(tmp_path):
    doc = PlanDocument.create(tmp_path / "c.rcplan", small_plan())
    before = set(doc.plan.measures)
    m = catalogue.new_measure(doc.plan, "trained_cum")
    assert m.id not in before and m.measure_type == "cumulative"
    assert record_problems(doc.plan, "measure", m) == []
    doc.add("measure", m)
    assert doc.plan.measures[m.id].name.startswith("Staff who have completed")
    # a cumulative measure is never put on an XmR chart
    assert spc.wants_run_chart(doc.plan.measures[m.id])
    with pytest.raises(PlanError, match="not in the measure catalogue"):
        catalogue.new_measure(doc.plan, "nonsense")
    doc.close()
