"""Update packs and exported workbooks merged back: three-way per field, refusals, a real spreadsheet."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from libreoffice import SOFFICE, resave
from planner.dates import short_date
from planner.document import PlanDocument
from planner.packs import merge_pack
from plan_factory import small_plan

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(*args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                          capture_output=True, text=True, timeout=180)


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def column(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def row_of(ws, record_id: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == record_id:
            return r
    raise KeyError(record_id)


def edit(path, edits: dict[tuple[str, str, str], object]) -> None:
    """Change cells as an owner would: {(sheet, record id, header): value}."""
    wb = load_workbook(path)
    for (sheet, record_id, header), value in edits.items():
        ws = wb[sheet]
        ws.cell(row_of(ws, record_id), column(ws, header)).value = value
    wb.save(path)


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "plan.rcplan"
    plan = small_plan()
    plan.milestones["M1"].forecast = date(2026, 6, 8)
    plan.settings.as_of = date(2026, 3, 9)  # packs report actual dates up to the status date
    PlanDocument.create(path, plan).close()
    return path


@pytest.fixture
def pack(plan_file, tmp_path):
    out = tmp_path / "asha.xlsx"
    r = run("pack", str(plan_file), "--owner", "asha patel", str(out))
    assert r.returncode == 0, r.stderr
    return out


OWNER_EDITS = {("Actions", "A1", "Status"): "done", ("Actions", "A1", "Percent"): 100,
               ("Actions", "A1", "Actual finish"): datetime(2026, 3, 6),
               ("Actions", "A1", "Actual start"): "02/03/2026",
               ("Milestones", "M1", "Forecast"): datetime(2026, 6, 22),
               ("Milestones", "M1", "Comment"): "Estates delayed the room"}


def test_pack_holds_one_owners_work_with_only_the_editable_columns_unlocked(plan_file, pack):
    wb = load_workbook(pack)
    assert wb.sheetnames[0] == "How to update"
    # read by the owner: the day it was made as every screen writes a date, not ISO
    made = wb["How to update"].cell(2, 1).value
    assert made.endswith(f"Made on {short_date(date.today())}."), made
    assert wb["Pack"].sheet_state == "hidden"
    actions = wb["Actions"]
    assert actions.protection.sheet
    ids = [actions.cell(r, 1).value for r in range(2, actions.max_row + 1)]
    with PlanDocument.open(plan_file) as doc:
        mine = sorted((a.id for a in doc.plan.actions.values() if a.owner == "P1"),
                      key=lambda x: int(x[1:]))
    assert ids == mine == ["A1", "A3", "A5"]
    editable = {"Status", "Percent", "Actual start", "Actual finish", "Comment"}
    for c in actions[2]:
        header = actions.cell(1, c.column).value
        assert c.protection.locked == (header not in editable), header
    milestones = wb["Milestones"]
    assert {milestones.cell(1, c.column).value for c in milestones[2]
            if not c.protection.locked} == {"Forecast", "Actual", "Status", "Comment"}


def test_owner_edits_are_applied_as_one_step_under_the_owners_name(plan_file, pack):
    edit(pack, OWNER_EDITS)
    r = run("merge-pack", str(plan_file), str(pack))
    assert r.returncode == 0, r.stdout + r.stderr
    with PlanDocument.open(plan_file) as doc:
        a1, m1 = doc.plan.actions["A1"], doc.plan.milestones["M1"]
        assert (a1.status, a1.percent, a1.actual_start, a1.actual_finish) == (
            "done", 100, date(2026, 3, 2), date(2026, 3, 6))
        assert (m1.forecast, m1.comment) == (date(2026, 6, 22), "Estates delayed the room")
        last = doc.history(1)[0]
        assert last.who == "Asha Patel" and last.label == "merge update pack from Asha Patel"
        assert {(c.key, c.field) for c in last.changes} == {
            ("A1", "status"), ("A1", "percent"), ("A1", "actual_start"), ("A1", "actual_finish"),
            ("M1", "forecast"), ("M1", "comment")}
        untouched = {k: a for k, a in doc.plan.actions.items() if k != "A1"}
    before = digest(plan_file)
    r = run("merge-pack", str(plan_file), str(pack))  # the same pack again changes nothing
    assert r.returncode == 0 and "Applied 0 changes" in r.stdout
    with PlanDocument.open(plan_file) as doc:
        assert {k: a for k, a in doc.plan.actions.items() if k != "A1"} == untouched
    assert before  # (the file records the pack as merged; no record changed)


def test_a_field_changed_in_both_places_is_a_conflict_left_alone_unless_preferred(plan_file,
                                                                                     pack):
    with PlanDocument.open(plan_file) as doc:
        doc.update("milestone", "M1", forecast=date(2026, 7, 1))
    edit(pack, OWNER_EDITS)
    r = run("merge-pack", str(plan_file), str(pack), "--dry-run")
    assert r.returncode == 1 and "Nothing was changed" in r.stdout
    r = run("merge-pack", str(plan_file), str(pack))
    assert r.returncode == 1
    assert "forecast: base 8 Jun 2026, here 1 Jul 2026, incoming 22 Jun 2026" in r.stdout
    with PlanDocument.open(plan_file) as doc:
        assert doc.plan.milestones["M1"].forecast == date(2026, 7, 1)
        assert doc.plan.milestones["M1"].comment == "Estates delayed the room"
        assert doc.plan.actions["A1"].status == "done"
    r = run("merge-pack", str(plan_file), str(pack), "--prefer", "pack")
    assert r.returncode == 0, r.stdout
    with PlanDocument.open(plan_file) as doc:
        assert doc.plan.milestones["M1"].forecast == date(2026, 6, 22)


def _tamper(path):
    wb = load_workbook(path)
    ws = wb["Pack"]
    for r in range(1, ws.max_row + 1):
        text = ws.cell(r, 4).value
        if isinstance(text, str) and '"forecast"' in text:
            ws.cell(r, 4).value = text.replace('"2026-06-08"', '"2030-01-01"')
            break
    else:
        raise AssertionError("no base forecast to tamper with")
    wb.save(path)


def _foreign(path, tmp_path):
    other = tmp_path / "other.rcplan"
    PlanDocument.create(other, small_plan()).close()
    run("pack", str(other), "--owner", "Asha Patel", str(path))


@pytest.mark.parametrize("how", ["tampered", "foreign", "garbage", "bad date", "plain workbook"])
def test_bad_packs_are_refused_and_change_nothing(plan_file, pack, tmp_path, how):
    if how == "tampered":
        _tamper(pack)
    elif how == "foreign":
        _foreign(pack, tmp_path)
    elif how == "garbage":
        pack.write_bytes(b"PK\x03\x04" + os.urandom(300))
    elif how == "bad date":
        edit(pack, {("Actions", "A1", "Actual finish"): "31/02/2026",
                    ("Actions", "A1", "Status"): "done"})
    elif how == "plain workbook":
        from planner.xlsx import export_workbook
        with PlanDocument.open(plan_file) as doc:
            export_workbook(doc.plan, pack)
    before = digest(plan_file)
    r = run("merge-pack", str(plan_file), str(pack))
    assert r.returncode == 2, r.stdout + r.stderr
    message = r.stdout + r.stderr
    assert "Traceback" not in message and "Nothing was changed" in message or "nothing was changed" in message
    expected = {"tampered": "changed after the pack was made", "foreign": "another plan",
                "garbage": "could not be opened", "bad date": "'31/02/2026' is not a date",
                "plain workbook": "not an update pack"}[how]
    assert expected in message
    assert digest(plan_file) == before


def test_a_full_exported_workbook_edited_in_excel_merges_into_its_plan(plan_file, tmp_path):
    book = tmp_path / "whole.xlsx"
    assert run("export-xlsx", str(plan_file), str(book)).returncode == 0
    with PlanDocument.open(plan_file) as doc:  # the plan moves on meanwhile
        doc.update("action", "A5", notes="lead's note")
    edit(book, {("Actions", "A2", "Title"): "Write and publish the recovery strategy",
                ("Actions", "A4", "Duration"): 25})
    r = run("merge-pack", str(plan_file), str(book))
    assert r.returncode == 0, r.stdout + r.stderr
    with PlanDocument.open(plan_file) as doc:
        assert doc.plan.actions["A2"].title == "Write and publish the recovery strategy"
        assert doc.plan.actions["A4"].duration == 25
        assert doc.plan.actions["A5"].notes == "lead's note"
        assert len(doc.history(1)[0].changes) == 2


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_pack_resaved_by_libreoffice_applies_exactly_the_edits_made(plan_file, pack, tmp_path):
    edit(pack, OWNER_EDITS)
    resaved = resave(pack, tmp_path)
    assert digest(resaved) != digest(pack)
    with PlanDocument.open(plan_file) as doc:
        report = merge_pack(doc, resaved).report
        assert not report.conflicts
        changed = {(c.key, c.field) for c in doc.history(1)[0].changes}
    assert changed == {("A1", "status"), ("A1", "percent"), ("A1", "actual_start"),
                       ("A1", "actual_finish"), ("M1", "forecast"), ("M1", "comment")}


def test_a_plan_without_a_stored_secret_still_gets_its_workbook_back(plan_file, tmp_path):
    import sqlite3

    conn = sqlite3.connect(plan_file)  # as a plan from before packs existed
    with conn:
        conn.execute("DELETE FROM meta WHERE key = 'signing_key'")
    conn.close()
    book = tmp_path / "whole.xlsx"
    assert run("export-xlsx", str(plan_file), str(book)).returncode == 0  # opens read-only
    edit(book, {("Actions", "A4", "Duration"): 25})
    r = run("merge-pack", str(plan_file), str(book))
    assert r.returncode == 0, r.stdout + r.stderr
    with PlanDocument.open(plan_file) as doc:
        assert doc.plan.actions["A4"].duration == 25
