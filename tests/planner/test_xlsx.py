"""Tests of planner.xlsx: round trips, messy workbooks, all-or-nothing import with every problem listed."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from planner.document import PlanDocument
from planner.errors import ImportProblems, PlanError
from planner.model import Action, Dependency, Person, Plan, ten_challenges
from planner.xlsx import (GUIDE, SHEETS, export_plan, export_workbook, import_workbook,
                          parse_date, read_workbook, write_blank_workbook, write_workbook)
from plan_factory import small_plan

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_XLSX = ROOT / "sample_plans" / "northmoor.xlsx"


def cell_values(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cell values, row by row (what a user would see)."""
    wb = openpyxl.load_workbook(path)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    finally:
        wb.close()


# --------------------------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------------------------


def test_small_plan_round_trips_exactly(tmp_path):
    plan = small_plan()
    first = tmp_path / "first.xlsx"
    write_workbook(plan, first)
    back, _warnings = read_workbook(first)
    assert back == plan
    second = tmp_path / "second.xlsx"
    write_workbook(back, second)
    assert cell_values(first) == cell_values(second)


def test_sample_plan_export_import_export_gives_same_cells(tmp_path):
    plan, _ = read_workbook(SAMPLE_XLSX)
    first = tmp_path / "a.xlsx"
    second = tmp_path / "b.xlsx"
    export_workbook(plan, first)
    again, _ = read_workbook(first)
    assert again == plan
    export_workbook(again, second)
    assert cell_values(first) == cell_values(second)


def test_export_writes_every_sheet_with_headers_and_a_guide(tmp_path):
    path = tmp_path / "out.xlsx"
    write_workbook(small_plan(), path)
    values = cell_values(path)
    for sheet, columns in SHEETS.items():
        assert values[sheet][0] == tuple(columns)
    assert "Guide" in values
    explained = {(row[0], row[1]) for row in values["Guide"] if row and len(row) > 1}
    for sheet, columns in GUIDE.items():
        for column in columns:
            assert (sheet, column) in explained
    actions = values["Actions"]
    header = actions[0]
    row = dict(zip(header, actions[1]))
    assert row["Owner"] == "Asha Patel"  # names, not ids
    assert row["Challenges"] == "4"


def test_uid_column_is_hidden_and_dates_are_real_dates(tmp_path):
    plan = small_plan()
    plan.actions["A1"].actual_start = date(2026, 1, 5)
    path = tmp_path / "out.xlsx"
    write_workbook(plan, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Actions"]
    uid_col = openpyxl.utils.get_column_letter(SHEETS["Actions"].index("UID") + 1)
    assert ws.column_dimensions[uid_col].hidden
    start_col = SHEETS["Actions"].index("Actual start") + 1
    assert isinstance(ws.cell(2, start_col).value, datetime)
    assert ws.cell(2, start_col).is_date


def test_every_date_in_the_workbook_shows_as_the_window_writes_it(tmp_path):
    """The Milestones sheet showed its baselines as 2025-03-11 beside forecasts shown as
    24 Mar 2025: Excel's default for a date the writer did not format. Every date cell of every
    sheet is shown as short_date writes it (d mmm yyyy) and is 14 wide."""
    path = tmp_path / "northmoor.rcplan"
    shutil.copy(ROOT / "sample_plans" / "northmoor.rcplan", path)
    with PlanDocument.open(path, readonly=True) as doc:
        write_workbook(doc.plan, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    seen = set()
    for ws in wb:
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, datetime):
                    assert c.number_format == "d mmm yyyy", (ws.title, c.coordinate)
                    seen.add((ws.title, ws.cell(1, c.column).value))
                    if ws.title != "Plan":
                        assert ws.column_dimensions[c.column_letter].width == 14, c.coordinate
    assert ("Milestones", "Baseline") in seen and ("Milestones", "Forecast") in seen


def test_blank_template_imports_as_an_empty_plan(tmp_path):
    path = tmp_path / "blank.xlsx"
    write_blank_workbook(path)
    plan, _ = read_workbook(path)
    assert not plan.actions and len(plan.challenges) == 10
    shipped, _ = read_workbook(ROOT / "templates" / "plan-workbook.xlsx")
    assert not shipped.actions and not shipped.people


def test_export_never_leaves_a_half_written_file(tmp_path, monkeypatch):
    import planner.xlsx as xlsx

    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous export")

    def broken(plan, path, rows_hint=500, **_):
        Path(path).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(xlsx, "_write", broken)
    from planner.errors import SaveError

    with pytest.raises(SaveError, match="'out.xlsx' could not be written"):
        export_workbook(small_plan(), target)
    assert target.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


# --------------------------------------------------------------------------------------------
# Messy workbooks
# --------------------------------------------------------------------------------------------


def messy_workbook(path: Path) -> None:
    """A workbook as a lead might really keep it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = " plan "
    ws.append(["Northmoor recovery plan - settings"])
    ws.append([])
    ws.append(["KEY ", " value"])
    ws.append(["Name", "  Messy plan  "])
    ws.append(["Start", "06/01/2025"])
    ws.append(["As of", datetime(2025, 3, 3)])
    ws.append(["Colour scheme", "blue"])

    ws = wb.create_sheet("people")
    ws.append(["Name", "role", "Team ", "E-mail address", "Capacity"])
    ws.append(["Asha Patel ", "Staff", "Recovery team", "asha@example.org", 3])
    ws.append([None, None, None, None, None])
    ws.append(["Ben Ode", "Peer Worker", "Peer team", None, "2"])

    ws = wb.create_sheet("ACTIONS")
    ws.append(["Recovery programme actions (draft)", None, None])
    ws.append([])
    ws.append(["id", "Title", "Initiative", "owner", "Challenges", "Duration ", "Not Before",
               "Deadline", "Status", "% complete", "Actual  start", "Actual finish",
               "Co-produced", "Phase", "Notes", "RAG (local)"])
    ws.append(["A1", "Set up steering group ", "Governance", "Asha Patel", "4", 10,
               "2025-01-06", None, "Completed", "100%", datetime(2025, 1, 6), "24/01/2025",
               "Yes", 1, None, "green"])
    ws.append([])
    ws.append([])
    ws.append(["A2", "Write strategy", "governance", "ben ode", "4, 7", "20 days", None,
               date(2025, 6, 30), "in progress", 0.4, "03/02/2025", None, "no", 1, "draft 2",
               "amber"])
    ws.cell(ws.max_row, 10).number_format = "0%"
    ws.append([None, "Recruit peer trainers", "Training", "P2", "2;8", 30, None, None, None,
               None, None, None, None, None, None, None])

    ws = wb.create_sheet("Dependencies")
    ws.append(["Action", "Needs", "Type", "Lag"])
    ws.append(["A2", "A1", "fs", None])
    ws.append(["Recruit peer trainers", "write strategy", "SS", 5])

    ws = wb.create_sheet("Readings")  # readings without their measure sheet are still checked
    ws.append(["Measure", "Date", "Value", "Note"])

    ws = wb.create_sheet("Scratch")
    ws.append(["anything"])
    wb.save(path)


def test_messy_workbook_imports(tmp_path):
    path = tmp_path / "messy.xlsx"
    messy_workbook(path)
    plan, warnings = read_workbook(path)
    s = plan.settings
    assert s.name == "Messy plan"
    assert s.start == date(2025, 1, 6) and s.as_of == date(2025, 3, 3)
    assert [p.name for p in plan.people.values()] == ["Asha Patel", "Ben Ode"]
    assert plan.people["P2"].role == "peer worker" and plan.people["P2"].capacity == 2
    a1, a2, a3 = plan.actions["A1"], plan.actions["A2"], plan.actions["A3"]
    assert a1.title == "Set up steering group" and a1.status == "done" and a1.percent == 100
    assert a1.actual_finish == date(2025, 1, 24) and a1.coproduced
    assert a1.not_before == date(2025, 1, 6)
    assert a2.owner == "P2" and a2.challenges == [4, 7] and a2.duration == 20
    assert a2.percent == 40 and a2.actual_start == date(2025, 2, 3)
    assert a2.deadline == date(2025, 6, 30)
    assert a1.initiative == a2.initiative  # "Governance" and "governance" are one initiative
    assert plan.initiatives[a1.initiative].title == "Governance"
    assert a3.owner == "P2"  # a person id is accepted where a name is expected
    assert a3.challenges == [2, 8] and a3.status == "not started"
    links = {(d.action, d.needs, d.type, d.lag) for d in plan.dependencies.values()}
    assert links == {("A2", "A1", "FS", 0), ("A3", "A2", "SS", 5)}
    text = "\n".join(warnings)
    assert "E-mail address" in text and "RAG (local)" in text
    assert "Colour scheme" in text
    assert "Scratch" in text


def test_dates_in_every_accepted_form():
    assert parse_date("2025-04-01") == date(2025, 4, 1)
    assert parse_date("01/04/2025") == date(2025, 4, 1)
    assert parse_date("1/4/2025") == date(2025, 4, 1)
    assert parse_date(datetime(2025, 4, 1)) == date(2025, 4, 1)
    assert parse_date(45748) == date(2025, 4, 1)  # an Excel day number left unformatted
    assert parse_date("31/02/2025") is None
    assert parse_date("next Tuesday") is None
    assert parse_date("04/01/2025 ") == date(2025, 1, 4)


# --------------------------------------------------------------------------------------------
# All-or-nothing: every problem listed with sheet, row and column; nothing written
# --------------------------------------------------------------------------------------------


def broken_workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Key", "Value"])
    ws.append(["Name", "Broken plan"])
    ws.append(["Start", "the spring"])
    ws = wb.create_sheet("People")
    ws.append(["Name", "Role"])
    ws.append(["Asha Patel", "staff"])
    ws.append(["Asha Patel", "wizard"])
    ws = wb.create_sheet("Actions")
    ws.append(["Plan actions"])
    ws.append(["ID", "Title", "Owner", "Challenges", "Duration", "Percent", "Status"])
    for i in range(3, 14):
        ws.append([f"A{i}", f"Action {i}", "Asha Patel", "1", 5, 0, "not started"])
    ws.append(["A14", "Train staff", "Chris Nobody", "2, 13", "five", 140, "sort of"])
    ws.append(["A15", None, "Asha Patel", "two", 5, 0, None])
    ws.append(["A3", "Duplicate id", None, None, None, None, None])
    ws = wb.create_sheet("Dependencies")
    ws.append(["Action", "Needs", "Type", "Lag"])
    ws.append(["A14", "A99", "FS", 0])
    ws.append(["A4", "A4", "XX", -2])
    wb.save(path)


def test_every_problem_is_listed_with_sheet_row_and_column(tmp_path):
    path = tmp_path / "broken.xlsx"
    broken_workbook(path)
    with pytest.raises(ImportProblems) as caught:
        read_workbook(path)
    problems = caught.value.problems
    expected = [
        "Plan, row 3, column Value: 'the spring' is not a date",
        "People, row 3, column Name: 'Asha Patel' is already listed in row 2",
        "People, row 3, column Role: 'wizard' is not one of",
        "Actions, row 14, column Duration: 'five' is not a whole number of working days",
        "Actions, row 14, column Owner: 'Chris Nobody' is not on the People sheet",
        "Actions, row 14, column Challenges: there is no challenge 13",
        "Actions, row 14, column Percent: 140 is not between 0 and 100",
        "Actions, row 14, column Status: 'sort of' is not an action status; use one of",
        "Actions, row 15, column Title: the action's title is missing",
        "Actions, row 15, column Challenges: 'two' should list challenge numbers",
        "Actions, row 16, column ID: 'A3' is already used in row 3",
        "Dependencies, row 2, column Needs: there is no action 'A99'",
        "Dependencies, row 3, column Type: 'XX' is not one of: FS, SS",
        "Dependencies, row 3, column Lag: -2 cannot be below 0",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), (text, problems)
    assert "nothing was written" in str(caught.value)


def test_failed_import_writes_no_plan_file(tmp_path):
    workbook = tmp_path / "broken.xlsx"
    broken_workbook(workbook)
    target = tmp_path / "plan.rcplan"
    with pytest.raises(ImportProblems):
        import_workbook(workbook, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.xlsx"]


def test_a_loop_is_refused_by_the_plan_checks(tmp_path):
    plan = small_plan()
    dep = Dependency("A1", "A5")
    plan.dependencies[dep.uid] = dep
    workbook = tmp_path / "loop.xlsx"
    write_workbook(plan, workbook)
    with pytest.raises(ImportProblems) as caught:
        read_workbook(workbook)
    assert any("loop" in p for p in caught.value.problems)


def test_a_sheet_without_its_headers_is_a_problem(tmp_path):
    path = tmp_path / "noheaders.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Actions"
    wb.active.append(["What", "Who", "When"])
    wb.active.append(["Set up group", "Asha", "2025-01-01"])
    wb.save(path)
    with pytest.raises(ImportProblems) as caught:
        read_workbook(path)
    assert caught.value.problems[0].startswith("Actions: no header row found")


def test_not_a_workbook(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a spreadsheet")
    with pytest.raises(ImportProblems):
        read_workbook(path)
    with pytest.raises(PlanError):
        read_workbook(tmp_path / "missing.xlsx")


# --------------------------------------------------------------------------------------------
# Plan files
# --------------------------------------------------------------------------------------------


def test_import_creates_a_plan_file_and_refuses_to_overwrite(tmp_path):
    from planner.document import PlanDocument

    plan = small_plan()
    workbook = tmp_path / "plan.xlsx"
    write_workbook(plan, workbook)
    target = tmp_path / "plan.rcplan"
    import_workbook(workbook, target)
    with PlanDocument.open(target) as doc:
        assert doc.plan.actions == plan.actions
        assert doc.plan.settings.name == "Test plan"
    with pytest.raises(PlanError):
        import_workbook(workbook, target)
    plan.settings.name = "Renamed"
    write_workbook(plan, workbook)
    import_workbook(workbook, target, force=True)
    with PlanDocument.open(target) as doc:
        assert doc.plan.settings.name == "Renamed"
    again = tmp_path / "again.xlsx"
    export_plan(target, again)
    assert cell_values(again) == cell_values(workbook)


def test_people_without_ids_get_them_and_owners_map_by_name(tmp_path):
    path = tmp_path / "simple.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "People"
    wb.active.append(["Name", "Role"])
    wb.active.append(["Dee Harper", "peer worker"])
    wb.active.append(["Tom Ashworth", "service user"])
    ws = wb.create_sheet("Actions")
    ws.append(["Title", "Owner", "Challenges"])
    ws.append(["Co-chair the steering group", "Tom Ashworth", 7])
    ws.append(["Write the partnership framework", "DEE HARPER", "7"])
    wb.save(path)
    plan, _ = read_workbook(path)
    assert list(plan.people) == ["P1", "P2"]
    assert [a.owner for a in plan.actions.values()] == ["P2", "P1"]
    assert list(plan.actions) == ["A1", "A2"]


def test_duplicate_uids_from_copied_rows_become_new_records(tmp_path):
    plan = Plan(challenges=ten_challenges())
    plan.people["P1"] = Person("P1", "Asha Patel")
    plan.actions["A1"] = Action("A1", "First", owner="P1")
    path = tmp_path / "copy.xlsx"
    write_workbook(plan, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Actions"]
    row = [c.value for c in ws[2]]
    row[0], row[1] = "A2", "Second"
    ws.append(row)
    wb.save(path)
    back, warnings = read_workbook(path)
    assert back.actions["A1"].uid == plan.actions["A1"].uid
    assert back.actions["A2"].uid != plan.actions["A1"].uid
    assert any("UID repeats" in w for w in warnings)


def test_long_decimals_settle_after_one_export(tmp_path):
    """Excel keeps about 15 significant digits; the second export matches the first."""
    from planner.model import Reading

    plan = small_plan()
    plan.measures["OM1"].target = 10.256803850934375
    r = Reading("OM1", date(2026, 3, 1), 0.1 + 0.2)
    plan.readings[r.uid] = r
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    write_workbook(plan, first)
    back, _ = read_workbook(first)
    assert back.measures["OM1"].target == pytest.approx(10.256803850934375, rel=1e-15)
    write_workbook(back, second)
    assert cell_values(first) == cell_values(second)


def test_text_excel_cannot_hold_is_dropped_not_fatal(tmp_path):
    """A plan from anywhere may hold control characters; the export still works."""
    plan = small_plan()
    plan.actions["A1"].notes = "Agreed\x01 at board\ufffe"
    plan.people["P1"].team = "Recovery\x0b team"
    path = tmp_path / "odd.xlsx"
    write_workbook(plan, path)
    back, _ = read_workbook(path)
    assert back.actions["A1"].notes == "Agreed at board"
    assert back.people["P1"].team == "Recovery team"


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    plan = small_plan()
    plan.actions["A1"].notes = "=SUM(A1:A3) was the old tracker's total"
    plan.people["P1"].email = "=0"
    path = tmp_path / "f.xlsx"
    write_workbook(plan, path)
    back, _ = read_workbook(path)
    assert back.actions["A1"].notes == plan.actions["A1"].notes
    assert back.people["P1"].email == "=0"


def test_plan_sheet_without_key_value_headers(tmp_path):
    path = tmp_path / "settings.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Our recovery plan"])
    ws.append([])
    ws.append([None, "Name", "Headerless plan"])
    ws.append([None, "Organisation", "Testshire NHS Trust"])
    ws.append([None, "Start", "05/01/2026"])
    wb.save(path)
    plan, _ = read_workbook(path)
    assert plan.settings.name == "Headerless plan"
    assert plan.settings.organisation == "Testshire NHS Trust"
    assert plan.settings.start == date(2026, 1, 5)


NOT_WORKBOOKS = [  # (what the file holds, what the message calls it)
    (b"Action,Owner,Start\nA1,Jo,01/03/2027\n", "a CSV file, renamed"),
    (b"\xef\xbb\xbfAction;Owner\nA1;Jo\n", "a CSV file, renamed"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "an older Excel file (.xls)"),
    (b"<html><body>Plan</body></html>", "a web page or XML file"),
    (b"Just some notes about the plan\n", "plain text"),
]


@pytest.mark.parametrize("content,called", NOT_WORKBOOKS)
def test_a_file_that_is_not_a_workbook_is_named_in_plain_words(tmp_path, content, called):
    """Issue 10: a CSV renamed .xlsx got only "File is not a zip file"."""
    from planner.errors import NotAWorkbook
    from planner.xlsx import read_workbook

    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    with pytest.raises(NotAWorkbook) as err:
        read_workbook(path)
    message = str(err.value)
    assert message.startswith("'plan.xlsx' is not an Excel workbook (.xlsx): it holds ")
    assert called in message and "save it as 'Excel Workbook (*.xlsx)'" in message
    assert "zip" not in message and "Nothing was imported" in message


def test_an_empty_file_or_another_zip_is_not_a_workbook(tmp_path):
    import zipfile

    from planner.errors import NotAWorkbook
    from planner.xlsx import read_workbook

    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(NotAWorkbook, match="'empty.xlsx' is empty: it is not an Excel workbook"):
        read_workbook(empty)
    document = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(document, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(NotAWorkbook, match="is a zip archive or another kind of document"):
        read_workbook(document)
