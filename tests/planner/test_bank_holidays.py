"""Bank holidays by region from the ``holidays`` package (issue 10, item 8): England and Wales by
default for the starter template, Scotland and Northern Ireland selectable by an undoable
operation that keeps the lead's own days off; the starter plan's actions never start on one."""

from __future__ import annotations

from datetime import date

import pytest

import graph
from planner import operations
from planner.bank_holidays import bank_holidays, holidays_for_region
from planner.document import PlanDocument
from planner.errors import PlanError, ValidationError
from planner.templates import load_template

from plan_factory import small_plan

YEARS_2027 = range(2027, 2028)


def test_each_region_has_its_own_bank_holidays():
    england = bank_holidays("England and Wales", YEARS_2027)
    scotland = bank_holidays("Scotland", YEARS_2027)
    ireland = bank_holidays("Northern Ireland", YEARS_2027)
    assert date(2027, 3, 29) in england and date(2027, 3, 29) not in scotland  # Easter Monday
    assert date(2027, 11, 30) in scotland and date(2027, 11, 30) not in england  # St Andrew's
    assert date(2027, 3, 17) in ireland and date(2027, 7, 12) in ireland  # St Patrick's, Boyne
    assert date(2027, 12, 27) in england  # Christmas Day falls on a Saturday: Monday instead
    assert all(d.weekday() < 5 for d in england + scotland + ireland)
    with pytest.raises(PlanError, match="Wales, Scotland, Northern Ireland"):
        bank_holidays("Wales only", YEARS_2027)


def test_the_starter_plan_skips_england_and_wales_bank_holidays():
    """It finished on 25 Dec 2028 (Christmas Day) with no bank holidays at all."""
    plan = load_template("ten-challenges", start=date(2026, 12, 2))
    s = plan.settings
    assert s.holiday_region == "England and Wales"
    assert date(2027, 12, 27) in s.holidays and date(2028, 12, 25) in s.holidays
    analysis = graph.Scheduler(plan).analyse()
    days_off = set(s.holidays)
    assert analysis.plan_finish not in days_off and analysis.plan_finish.weekday() < 5
    assert (analysis.plan_finish.month, analysis.plan_finish.day) != (12, 25)
    s.holidays = []
    without = graph.Scheduler(plan).analyse().plan_finish
    assert analysis.plan_finish > without  # the bank holidays are skipped (on 2 Dec 2026:
    # 10 Sep 2029 with them, 7 Aug 2029 without)
    starting = [a for a, row in analysis.rows.items() if row.start in days_off]
    assert starting == [], "no action starts on a bank holiday"


def test_choosing_scotland_swaps_the_bank_holidays_keeps_own_days_and_undoes(tmp_path):
    plan = small_plan()
    plan.settings.start, plan.settings.end = date(2027, 1, 4), date(2027, 12, 31)
    closure = date(2027, 6, 14)  # the trust's own training day
    plan.settings.holidays = [closure]
    with PlanDocument.create(tmp_path / "p.rcplan", plan) as doc:
        change = operations.set_bank_holidays(doc, "England and Wales")
        assert change.label == "bank holidays: England and Wales"
        assert date(2027, 3, 29) in doc.plan.settings.holidays
        operations.set_bank_holidays(doc, "Scotland")
        days = doc.plan.settings.holidays
        assert date(2027, 3, 29) not in days and date(2027, 11, 30) in days and closure in days
        assert doc.plan.settings.holiday_region == "Scotland"
        operations.undo(doc)
        assert doc.plan.settings.holiday_region == "England and Wales"
        assert date(2027, 3, 29) in doc.plan.settings.holidays
        operations.set_days_off(doc, [d for d in doc.plan.settings.holidays
                                      if d != date(2027, 5, 3)])  # the trust works May Day
        with pytest.raises(PlanError):
            operations.set_bank_holidays(doc, "Atlantis")
        with pytest.raises(ValidationError):
            doc.update_settings(holiday_region="Atlantis")
    with PlanDocument.open(tmp_path / "p.rcplan") as again:
        s = again.plan.settings
        assert s.holiday_region == "England and Wales" and closure in s.holidays
        assert date(2027, 5, 3) not in s.holidays and date(2027, 8, 30) in s.holidays


def test_no_region_leaves_only_the_plans_own_days():
    plan = small_plan()
    plan.settings.start = date(2027, 1, 4)
    plan.settings.holiday_region = "England and Wales"
    plan.settings.holidays = bank_holidays("England and Wales", range(2027, 2032)) + [
        date(2027, 6, 14)]
    assert holidays_for_region(plan.settings, "") == [date(2027, 6, 14)]


def test_the_region_goes_through_a_workbook(tmp_path):
    from planner.xlsx import read_workbook, write_workbook

    plan = load_template("ten-challenges", start=date(2027, 1, 4))
    plan.settings.holiday_region = "Northern Ireland"
    write_workbook(plan, tmp_path / "p.xlsx")
    back, _warnings = read_workbook(tmp_path / "p.xlsx")
    assert back.settings.holiday_region == "Northern Ireland"
    assert back.settings.holidays == plan.settings.holidays


def test_a_plan_from_before_regions_moves_to_scotland_without_englands_days(tmp_path):
    plan = small_plan()
    plan.settings.start = date(2027, 1, 4)
    closure = date(2027, 6, 14)
    plan.settings.holidays = bank_holidays("England and Wales", range(2027, 2032)) + [closure]
    with PlanDocument.create(tmp_path / "p.rcplan", plan) as doc:
        operations.set_bank_holidays(doc, "Scotland")
        days = doc.plan.settings.holidays
    assert date(2027, 3, 29) not in days and date(2027, 11, 30) in days and closure in days
