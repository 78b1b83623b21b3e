"""Backups in the user's data folder and restoring one (issue 9, item 7)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import socket
import time

import pytest

import main
from planner import backups
from planner import lock as locks
from planner.document import PlanDocument
from planner.errors import ChangedElsewhere, NotAPlanError, PlanError, ReadOnlyPlan
from plan_factory import small_plan


@pytest.fixture
def plan_path(tmp_path):
    path = tmp_path / "plan.rcplan"
    PlanDocument.create(path, small_plan()).close()
    return path


def listed(path):
    return backups.backups_of(path)


def title_in(path, key="A1"):
    with PlanDocument.open(path, readonly=True) as doc:
        return doc.plan.actions[key].title


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backups_go_to_the_folder_the_tests_set_never_the_users_home(plan_path):
    assert str(backups.data_folder()) == os.environ["RCP_BACKUP_DIR"]
    assert not str(backups.data_folder()).startswith(os.path.expanduser("~/.local"))


def test_the_data_folder_is_the_xdg_data_home_without_the_override(monkeypatch, tmp_path):
    monkeypatch.delenv("RCP_BACKUP_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert backups.data_folder() == tmp_path / "data" / "Recovery Change Planner" / "backups"


def test_a_backup_is_taken_on_the_first_save_of_a_day_only(plan_path):
    assert listed(plan_path) == []
    with PlanDocument.open(plan_path) as doc:
        doc.update("action", "A1", title="First edit today")
        doc.update("action", "A1", title="Second edit today")
    with PlanDocument.open(plan_path) as doc:  # another session on the same day
        doc.update("action", "A1", title="Third edit today")
    taken = listed(plan_path)
    assert len(taken) == 1 and taken[0].reason == "daily"
    assert title_in(taken[0].path) == "First edit today"  # a whole, openable plan
    yesterday = time.time() - 26 * 3600
    os.utime(taken[0].path, (yesterday, yesterday))
    with PlanDocument.open(plan_path) as doc:  # the next day
        doc.update("action", "A1", title="Tomorrow's edit")
        doc.update("action", "A1", title="Tomorrow's second edit")
    taken = listed(plan_path)
    assert len(taken) == 2 and title_in(taken[0].path) == "Tomorrow's edit"


def test_opening_and_reading_take_no_backup(plan_path):
    PlanDocument.open(plan_path).close()
    PlanDocument.open(plan_path, readonly=True).close()
    assert listed(plan_path) == []


def test_rotation_keeps_the_newest(plan_path):
    made = []
    start = time.time() - 1000
    with PlanDocument.open(plan_path) as doc:
        for i in range(backups.KEEP + 3):
            p = backups.make_backup(doc.conn, plan_path, f"copy {i}")
            os.utime(p, (start + i, start + i))
            made.append(p)
    kept = listed(plan_path)
    assert len(kept) == backups.KEEP
    assert [b.path for b in kept] == list(reversed(made))[:backups.KEEP]
    assert not any(p.exists() for p in made[:3])


def test_restore_brings_back_the_old_data_and_backs_up_the_current_state_first(plan_path,
                                                                                  capsys):
    with PlanDocument.open(plan_path) as doc:
        doc.update("action", "A1", title="Old title")  # today's backup holds this
        doc.update("action", "A1", title="Current title")
    old = listed(plan_path)[0]
    assert main.main(["backups", str(plan_path)]) == 0
    out = capsys.readouterr().out
    assert old.name in out and "daily" in out and "KB" in out
    assert main.main(["restore", str(plan_path), old.name]) == 0
    assert "as it was is kept" in capsys.readouterr().out
    assert title_in(plan_path) == "Old title"
    before = [b for b in listed(plan_path) if b.reason == "before restore"]
    assert len(before) == 1 and title_in(before[0].path) == "Current title"
    with PlanDocument.open(plan_path) as doc:  # it opens for editing like any plan
        doc.update("action", "A1", title="Edited after the restore")


def test_a_window_left_open_cannot_save_over_a_restore(plan_path):
    doc = PlanDocument.open(plan_path)
    doc.update("action", "A1", title="Old title")
    backup = listed(plan_path)[0]
    doc.update("action", "A1", title="Newer title")
    backups.restore(plan_path, str(backup.path))  # same program: shares the window's hold
    with pytest.raises(ChangedElsewhere, match="Reload"):
        doc.update("action", "A1", title="From the stale window")
    doc.close()
    assert title_in(plan_path) == "Old title"


def test_restoring_a_file_that_is_not_a_plan_is_refused_and_changes_nothing(plan_path, tmp_path,
                                                                            capsys):
    junk = tmp_path / "notes.rcplan"
    junk.write_text("these are my notes, not a plan\n" * 10)
    before, count = digest(plan_path), len(listed(plan_path))
    with pytest.raises(NotAPlanError, match="not a Recovery Change Planner plan"):
        backups.restore(plan_path, str(junk))
    assert main.main(["restore", str(plan_path), str(junk)]) == 2
    assert "cannot be opened as a plan" in capsys.readouterr().err
    assert main.main(["restore", str(plan_path), "no-such-backup"]) == 1
    assert "python main.py backups" in capsys.readouterr().err
    assert digest(plan_path) == before and len(listed(plan_path)) == count
    assert not locks.lock_path(plan_path).exists()


def test_restore_is_refused_while_another_program_holds_the_plan(plan_path):
    with PlanDocument.open(plan_path) as doc:
        doc.update("action", "A1", title="Old title")
    backup = listed(plan_path)[0]
    locks.lock_path(plan_path).write_text(json.dumps(
        {"user": "Asha", "host": socket.gethostname(), "pid": os.getppid(),
         "since": "2026-03-02T09:00:00+00:00"}))
    before = digest(plan_path)
    with pytest.raises(ReadOnlyPlan, match="Asha on .* is editing it"):
        backups.restore(plan_path, backup.name)
    assert digest(plan_path) == before and len(listed(plan_path)) == 1
    assert locks.lock_path(plan_path).exists()  # theirs, left alone


def test_a_damaged_plan_can_be_restored_and_its_bytes_are_kept(plan_path, capsys):
    with PlanDocument.open(plan_path) as doc:
        doc.update("action", "A1", title="Good title")
    backup = listed(plan_path)[0]
    plan_path.write_bytes(plan_path.read_bytes()[:3000])  # cut short
    with pytest.raises(NotAPlanError):
        PlanDocument.open(plan_path)
    assert main.main(["backups", str(plan_path)]) == 0  # found by the plan's file name
    assert backup.name in capsys.readouterr().out
    backups.restore(plan_path, backup.name)
    assert title_in(plan_path) == "Good title"
    assert any("damaged" in b.reason for b in listed(plan_path))


def test_copies_of_one_plan_keep_their_own_backups(plan_path, tmp_path, capsys):
    copy = tmp_path / "elsewhere" / plan_path.name  # the same plan, emailed: same id and name
    copy.parent.mkdir()
    copy.write_bytes(plan_path.read_bytes())
    assert backups.plan_id_at(copy) == backups.plan_id_at(plan_path)
    with PlanDocument.open(plan_path) as doc:
        doc.update("action", "A1", title="Original's edit")
    with PlanDocument.open(copy) as doc:  # its own first save today: its own daily backup
        doc.update("action", "A1", title="Copy's edit")
    mine, theirs = listed(plan_path), listed(copy)
    assert len(mine) == 1 and title_in(mine[0].path) == "Original's edit"
    assert len(theirs) == 1 and title_in(theirs[0].path) == "Copy's edit"
    with PlanDocument.open(copy) as doc:  # the copy's rotation never removes the original's
        for i in range(backups.KEEP + 2):
            backups.make_backup(doc.conn, copy, f"copy {i}")
    assert len(listed(copy)) == backups.KEEP
    assert [b.path for b in listed(plan_path)] == [mine[0].path] and mine[0].path.exists()
    assert main.main(["backups", str(plan_path)]) == 0
    out = capsys.readouterr().out
    assert mine[0].name in out and "copy 3" not in out
    with pytest.raises(PlanError, match="There is no backup"):  # nor restores the other's
        backups.restore(plan_path, listed(copy)[0].name)
    assert title_in(plan_path) == "Original's edit"


def test_backups_kept_before_copies_were_kept_apart_are_still_listed(plan_path):
    with PlanDocument.open(plan_path) as doc:
        older = backups.data_folder() / backups.plan_id_of(doc.conn)  # the old layout
        older.mkdir(parents=True)
        for name in (f"20260101-090000_daily_{plan_path.stem}.rcplan",
                     "20260101-090000_daily_another-file.rcplan"):
            target = sqlite3.connect(older / name)
            doc.conn.backup(target)
            target.close()
    assert [b.name for b in listed(plan_path)] == [f"20260101-090000_daily_{plan_path.stem}.rcplan"]
    backups.restore(plan_path, listed(plan_path)[0].name)
    assert title_in(plan_path) == "Set up steering group"
