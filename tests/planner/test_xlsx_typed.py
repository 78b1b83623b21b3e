"""Workbooks as people fill them in (issue 10): dates typed as text in any UK form, words such as
"Not started", "Done" or "Y" mapped to the plan's values with a warning, unknown words refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from planner.errors import ImportProblems
from planner.xlsx import read_workbook


def workbook(path: Path, *, plan_rows=(), actions=(), milestones=(), as_of="20/11/2026") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Key", "Value"])
    ws.append(["Name", "Typed plan"])
    ws.append(["As of", as_of])
    for row in plan_rows:
        ws.append(list(row))
    ws = wb.create_sheet("Actions")
    ws.append(["ID", "Title", "Duration", "Deadline", "Status", "Actual start", "Co-produced"])
    for row in actions:
        ws.append(list(row))
    ws = wb.create_sheet("Milestones")
    ws.append(["ID", "Title", "Baseline", "Forecast", "Actual", "Status", "Governance"])
    for row in milestones:
        ws.append(list(row))
    wb.save(path)
    return path


FORMS = ["15/03/2027", "15/3/27", "15 Mar 2027", "15-03-2027", "2027-03-15", "15032027",
         "15Mar2027"]


def test_text_dates_in_every_uk_form_import_as_the_day_typed(tmp_path):
    rows = [(f"M{i}", f"Milestone {i}", text, text, None, "planned", "no")
            for i, text in enumerate(FORMS, 1)]
    plan, _ = read_workbook(workbook(tmp_path / "w.xlsx", milestones=rows))
    assert plan.settings.as_of == date(2026, 11, 20)
    assert {m.forecast for m in plan.milestones.values()} == {date(2027, 3, 15)}


def test_month_first_workbooks_say_so_on_the_plan_sheet(tmp_path):
    path = workbook(tmp_path / "w.xlsx", plan_rows=[("Date order", "month first")],
                    as_of="11/20/2026",
                    milestones=[("M1", "One", "03/15/2027", "03/04/2027", None, "planned", "no")])
    plan, _ = read_workbook(path)
    assert plan.settings.date_order == "month first"
    assert plan.milestones["M1"].forecast == date(2027, 3, 4)


@pytest.mark.parametrize("text, why", [("31/02/2027", "February 2027 has 28 days"),
                                       ("31/04/2027", "April 2027 has 30 days"),
                                       ("the spring", "dd/mm/yyyy")])
def test_an_impossible_date_refuses_the_import_and_says_why(tmp_path, text, why):
    path = workbook(tmp_path / "w.xlsx",
                    milestones=[("M1", "One", None, text, None, "planned", "no")])
    with pytest.raises(ImportProblems) as info:
        read_workbook(path)
    assert "Milestones, row 2, column Forecast" in str(info.value)
    assert why in str(info.value)


def test_an_actual_after_the_status_date_refuses_the_import(tmp_path):
    path = workbook(tmp_path / "w.xlsx",
                    milestones=[("M1", "One", None, None, "18/12/2026", "achieved", "no")],
                    actions=[("A1", "Act", 5, None, "in progress", "01/12/2026", "no")])
    with pytest.raises(ImportProblems) as info:
        read_workbook(path)
    text = str(info.value)
    assert "actual date 18 Dec 2026 is after the plan's status date (20 Nov 2026)" in text
    assert "actual start date 1 Dec 2026" in text  # as every date reads (was "01 Dec")


def test_words_people_write_are_mapped_with_a_warning_for_each(tmp_path):
    path = workbook(tmp_path / "w.xlsx",
                    actions=[("A1", "One", 5, None, "Complete", "01/11/2026", "Y"),
                             ("A2", "Two", 5, None, "On track", None, "N"),
                             ("A3", "Three", 5, None, "Not started", None, "Yes"),
                             ("A4", "Four", 5, None, "Delayed", None, "no")],
                    milestones=[("M1", "One", None, None, None, "not started", "Y"),
                                ("M2", "Two", None, None, "10/11/2026", "Done", "N"),
                                ("M3", "Three", None, None, None, "On track", "no"),
                                ("M4", "Four", None, None, None, "Not started", None)])
    plan, warnings = read_workbook(path)
    assert [a.status for a in plan.actions.values()] == ["done", "in progress", "not started",
                                                         "in progress"]
    assert [a.coproduced for a in plan.actions.values()] == [True, False, True, False]
    assert [m.status for m in plan.milestones.values()] == ["planned", "achieved", "planned",
                                                            "planned"]
    assert plan.milestones["M1"].governance is True
    for line in ["Actions, row 2, column Status: 'Complete' was read as 'done'",
                 "Actions, row 3, column Status: 'On track' was read as 'in progress'",
                 "Actions, row 5, column Status: 'Delayed' was read as 'in progress'",
                 "Actions, row 2, column Co-produced: 'Y' was read as 'yes'",
                 "Milestones, row 2, column Status: 'not started' was read as 'planned'",
                 "Milestones, row 3, column Status: 'Done' was read as 'achieved'"]:
        assert line in warnings
    # exact values need no warning
    assert not any("'no' was read" in w or "'Not started' was read as 'not started'" in w
                   for w in warnings)


@pytest.mark.parametrize("column, word, kind", [
    (5, "sort of", "an action status"), (7, "maybe", "a yes or no")])
def test_an_unknown_word_is_refused_and_the_accepted_ones_listed(tmp_path, column, word, kind):
    row = ["A1", "One", 5, None, "done", None, "no"]
    row[column - 1] = word
    path = workbook(tmp_path / "w.xlsx", actions=[row])
    with pytest.raises(ImportProblems) as info:
        read_workbook(path)
    text = str(info.value)
    assert f"'{word}' is not {kind}; use one of:" in text
    if kind == "an action status":
        assert "not started, in progress, done, on hold, cancelled" in text
        assert "complete" in text
    else:
        assert "yes, no" in text


def test_a_milestone_status_of_an_action_word_lists_the_milestone_words(tmp_path):
    path = workbook(tmp_path / "w.xlsx",
                    milestones=[("M1", "One", None, None, None, "on hold", "no")])
    with pytest.raises(ImportProblems) as info:
        read_workbook(path)
    assert "'on hold' is not a milestone status; use one of: planned, achieved, missed, " \
           "cancelled" in str(info.value)
