"""Every value has a documented range the core checks; nothing inside it breaks a reader (issue 9)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import graph
from graph.explain import impact, why
from planner import limits
from planner.document import PlanDocument
from planner.errors import ImportProblems, PlanError, ValidationError
from planner.model import Action, Dependency, Measure, Milestone, Plan, Reading, Settings, ten_challenges
from planner.validate import validate_plan
from planner.xlsx import read_workbook, write_workbook
from plan_factory import small_plan
from reports.deck import ExportOptions, build_deck


@pytest.fixture
def doc(tmp_path):
    d = PlanDocument.create(tmp_path / "p.rcplan", small_plan())
    yield d
    d.close()


@pytest.mark.parametrize("fields", [
    {"duration": 3_000_000}, {"duration": 1_000_000_000}, {"duration": -1},
    {"deadline": date(9999, 12, 31)}, {"not_before": date(1900, 1, 1)},
    {"notes": "x" * 40_000}, {"title": "t" * 32_768},
])
def test_edits_outside_the_range_are_refused(doc, fields):
    before = doc.plan.actions["A1"]
    with pytest.raises(ValidationError):
        doc.update("action", "A1", **fields)
    assert doc.plan.actions["A1"] == before
    reopened = PlanDocument.open(doc.path)
    assert reopened.plan.actions["A1"] == before
    reopened.close()


def test_settings_and_lags_have_ranges_too(doc):
    with pytest.raises(ValidationError, match="31 Dec 2200"):
        doc.update_settings(end=date(9999, 12, 31))
    # the range and the date refused read as every date does (it said "01 Jan 1990" and
    # "not 1900-01-01")
    with pytest.raises(ValidationError, match="from 1 Jan 1990 to 31 Dec 2200, not 1 Jan 1900"):
        doc.update("action", "A1", not_before=date(1900, 1, 1))
    dep = next(iter(doc.plan.dependencies))
    with pytest.raises(ValidationError, match="2,000 working days"):
        doc.update("dependency", dep, lag=5000)
    with pytest.raises(ValidationError, match="finite"):
        doc.add("reading", Reading("OM1", date(2026, 2, 1), float("inf")))


def test_the_edges_of_the_range_are_accepted(doc):
    doc.update("action", "A1", duration=limits.MAX_WORKING_DAYS, notes="n" * limits.MAX_TEXT,
               deadline=limits.LAST_DATE)
    doc.update_settings(end=limits.LAST_DATE)


def test_a_chain_too_long_to_schedule_is_refused(doc):
    for a in ("A1", "A2", "A3", "A5"):
        doc.update("action", a, duration=2000)
    plan = doc.plan
    # A1 → A2 → A3 → A5 is 8,000 days; 20 more 2,000-day actions in a row exceed the limit
    prev = "A5"
    with pytest.raises(ValidationError, match="longest chain"):
        for k in range(6, 40):
            doc.add("action", Action(f"A{k}", f"Step {k}", duration=2000))
            doc.add("dependency", Dependency(f"A{k}", prev))
            prev = f"A{k}"
    assert limits.chain_problem(plan) is None


def _set_cell(path, sheet, header_word, value):
    wb = load_workbook(path)
    ws = wb[sheet]
    col = next(i for i, c in enumerate(ws[1], 1) if c.value and header_word in str(c.value))
    ws.cell(row=2, column=col).value = value
    wb.save(path)


@pytest.mark.parametrize("header,value", [("Duration", 1e308), ("Duration", 3_000_000),
                                          ("Deadline", "9999-12-31")])
def test_imports_outside_the_range_are_clear_import_problems(tmp_path, header, value):
    path = tmp_path / "w.xlsx"
    write_workbook(small_plan(), path)
    _set_cell(path, "Actions", header, value)
    with pytest.raises(ImportProblems) as err:
        read_workbook(path)
    assert "Action A1" in str(err.value)


def test_excel_export_refuses_rather_than_cuts(tmp_path):
    """Text the core holds fits a cell; a longer one (a plan from elsewhere) is refused whole."""
    plan = small_plan()
    plan.actions["A1"].notes = "n" * 40_000  # built in memory, past the core's checks
    path = tmp_path / "w.xlsx"
    with pytest.raises(PlanError, match="32,767"):
        write_workbook(plan, path)
    assert not path.exists()
    plan.actions["A1"].notes = "n" * limits.MAX_TEXT
    write_workbook(plan, path)
    back, _ = read_workbook(path)
    assert back.actions["A1"].notes == plan.actions["A1"].notes


# ----- nothing the core accepts breaks the scheduler, the deck or the workbook ----------------

days = st.integers(0, limits.MAX_WORKING_DAYS)
dates = st.dates(limits.FIRST_DATE, limits.LAST_DATE)
numbers = st.floats(-limits.MAX_NUMBER, limits.MAX_NUMBER, allow_nan=False)


@st.composite
def extreme_plans(draw):
    """Plans anywhere in the accepted range, leaning on its edges."""
    start = draw(st.one_of(st.just(limits.FIRST_DATE), st.just(limits.LAST_DATE), dates))
    as_of = draw(st.one_of(st.none(), dates))
    plan = Plan(settings=Settings(name="Edge", start=start, as_of=as_of,
                                  end=draw(st.one_of(st.none(), dates)),
                                  holidays=draw(st.lists(dates, max_size=5, unique=True))))
    plan.challenges = ten_challenges()
    n = draw(st.integers(1, 6))
    for k in range(1, n + 1):
        plan.actions[f"A{k}"] = Action(
            f"A{k}", draw(st.text(min_size=1, max_size=30)).strip() or "x",
            duration=draw(st.one_of(st.just(limits.MAX_WORKING_DAYS), days)),
            challenges=[draw(st.integers(1, 10))],
            not_before=draw(st.one_of(st.none(), dates)), deadline=draw(st.one_of(st.none(), dates)))
    for k in range(2, n + 1):
        if draw(st.booleans()):
            dep = Dependency(f"A{k}", f"A{draw(st.integers(1, k - 1))}",
                             type=draw(st.sampled_from(["FS", "SS"])),
                             lag=draw(st.one_of(st.just(limits.MAX_WORKING_DAYS), days)))
            plan.dependencies[dep.uid] = dep
    plan.milestones["M1"] = Milestone("M1", "Edge milestone", action="A1",
                                      baseline=draw(st.one_of(st.none(), dates)),
                                      forecast=draw(st.one_of(st.none(), dates)))
    plan.measures["OM1"] = Measure("OM1", "Edge measure", baseline=draw(numbers),
                                   target=draw(numbers))
    for d in draw(st.lists(dates, max_size=4, unique=True)):
        r = Reading("OM1", d, draw(numbers))
        plan.readings[r.uid] = r
    return plan


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(plan=extreme_plans())
def test_nothing_in_the_accepted_range_breaks_a_reader(tmp_path, plan):
    problems = [p for p in validate_plan(plan)]
    assert not [p for p in problems if "must" in p or "longest chain" in p], problems
    analysis = graph.analyse(plan)
    impact(plan, "A1", limits.MAX_WORKING_DAYS, analysis=analysis)
    why(plan, "M1", analysis=analysis)
    why(plan, "A1", analysis=analysis)
    write_workbook(plan, tmp_path / "edge.xlsx")
    build_deck(plan, ExportOptions(output=tmp_path / "edge.pptx", store_snapshot=False))


_EDGE_VALUES = st.one_of(
    st.none(), st.booleans(),
    st.integers(-limits.MAX_WHOLE - 5, limits.MAX_WHOLE + 5),
    st.sampled_from([-2001, -2000, 2000, 2001, 10 ** 40, -(10 ** 40), 999_999, 1_000_001]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(), st.sampled_from([limits.FIRST_DATE, limits.LAST_DATE,
                                 limits.FIRST_DATE - timedelta(days=1),
                                 limits.LAST_DATE + timedelta(days=1)]),
    st.text(max_size=3), st.sampled_from(["x" * limits.MAX_TEXT, "x" * (limits.MAX_TEXT + 1)]),
    st.lists(st.integers(-3000, 3000), max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["duration", "lag", "percent", "title", "baseline", "challenges"]),
       _EDGE_VALUES, _EDGE_VALUES)
def test_the_quick_range_check_words_every_record_as_the_field_by_field_check(field, v1, v2):
    """Issue 13: ``record_problems`` passes plainly-inside values over without a call; on any
    values it says exactly what ``value_problem`` says, field by field."""
    import dataclasses

    rec = dataclasses.make_dataclass("Rec", [field, "other_field"])(v1, v2)
    expected = [f"Thing: {name.replace('_', ' ')} {p}."
                for name, value in ((field, v1), ("other_field", v2))
                for p in [limits.value_problem(name, value)] if p]
    assert limits.record_problems("Thing", rec) == expected
