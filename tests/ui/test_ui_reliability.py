"""The window's side of "never lose a plan" (issue 9): File › Backups…, noticing a plan changed on
disk and reloading it, and the lock heartbeat of an editing window."""

from __future__ import annotations

import json
import os
import socket
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from planner import backups
from planner import lock as locks
from planner.document import PlanDocument


def hold(path, pid=None):
    """Someone else (a live program on this machine) is editing ``path``."""
    locks.lock_path(path).write_text(json.dumps(
        {"user": "Asha", "host": socket.gethostname(), "pid": pid or os.getppid(),
         "since": "2026-03-02T09:00:00+00:00"}))


def title_in(path, key):
    with PlanDocument.open(path, readonly=True) as doc:
        return doc.plan.actions[key].title


def answer(monkeypatch, reply):
    """Answer the next question box with ``reply``; returns the texts asked."""
    asked = []

    def question(_parent, title, text, *_a, **_k):
        asked.append(text)
        return reply

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


# ----- File › Backups… ------------------------------------------------------------------------

def edit_title(window, key, title):
    from planner import operations

    assert window.context.run(operations.edit_action, key, title=title) is not None


def test_backups_dialog_lists_and_restores_a_backup_and_reopens_the_plan(window, qtbot,
                                                                          monkeypatch):
    from ui.backups_dialog import BackupsDialog

    path = window.context.doc.path
    key = sorted(window.context.plan.actions)[0]
    edit_title(window, key, "Title in today's backup")  # the first save of the day: a backup
    edit_title(window, key, "Title after the backup")
    window.show_view("milestones")
    dialog = BackupsDialog(window.context, window, reopen=window.reload_plan)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "daily"
    assert dialog.table.item(0, 2).text().endswith("KB")
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    dialog.restore_button.click()
    assert asked and "backed up first" in asked[0] and "Undo cannot take it back" in asked[0]
    assert title_in(path, key) == "Title after the backup"  # said No: nothing changed
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # from the keyboard: Enter on the row
    assert asked
    assert title_in(path, key) == "Title in today's backup"  # the file holds the backup
    assert window.context.plan.actions[key].title == "Title in today's backup"  # reopened
    assert window.current_view_key() == "milestones"
    assert window.context.doc.undo_label is None  # restoring is no undoable edit
    reasons = [b.reason for b in backups.backups_of(path)]
    assert "before restore" in reasons
    before = next(b for b in backups.backups_of(path) if b.reason == "before restore")
    assert title_in(before.path, key) == "Title after the backup"
    edit_title(window, key, "Edited after the restore")  # the reopened plan is editable
    assert title_in(path, key) == "Edited after the restore"


def test_the_file_menu_opens_the_backups_dialog(window, monkeypatch):
    from ui import backups_dialog

    opened = []
    monkeypatch.setattr(backups_dialog.BackupsDialog, "exec", lambda self: opened.append(self))
    window.act_backups.trigger()
    assert opened and opened[0].windowTitle() == f"Backups of {window.context.doc.path.name}"
    assert window.act_backups in window.menuBar().actions()[0].menu().actions()


def test_a_read_only_plan_lists_its_backups_but_is_never_restored(window, tmp_path, sample_copy,
                                                                  qtbot, monkeypatch):
    from ui.backups_dialog import BackupsDialog

    other = tmp_path / "held.rcplan"
    other.write_bytes(sample_copy.read_bytes())
    backups.backup_file(other, "daily")
    hold(other)
    assert window.open_plan(other, quiet=True) and window.context.doc.readonly
    before = other.read_bytes()
    dialog = BackupsDialog(window.context, window, reopen=window.reload_plan)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert not dialog.restore_button.isEnabled()
    assert "read-only" in dialog.note.text() and "Asha on" in dialog.note.text()
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert dialog.restore() is False
    assert other.read_bytes() == before


# ----- a read-only window notices a change on disk and reloads ------------------------------

def test_a_read_only_window_offers_to_reload_a_plan_changed_on_disk(window, tmp_path,
                                                                    sample_copy, qtbot):
    other = tmp_path / "shared.rcplan"
    other.write_bytes(sample_copy.read_bytes())
    hold(other)
    assert window.open_plan(other, quiet=True) and window.context.doc.readonly
    window.show_view("timeline")
    assert not window.watch.check()  # nothing changed yet: no offer
    assert not window.reload_button.isVisible()
    # Asha saves a change (a second document on the file, as her program would)
    locks.lock_path(other).unlink()
    with PlanDocument.open(other, user="Asha") as hers:
        hers.update_settings(name="Renamed by Asha")
    hold(other)  # she is still editing
    qtbot.waitUntil(window.reload_button.isVisible, timeout=8000)  # the watcher or the poll
    assert "Asha" in window.lock_text.text() and "Reload" in window.lock_text.text()
    assert window.context.plan.settings.name != "Renamed by Asha"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F5)  # from the keyboard
    qtbot.waitUntil(lambda: window.context.plan.settings.name == "Renamed by Asha", timeout=3000)
    assert "Renamed by Asha" in window.header.name.text()
    assert window.current_view_key() == "timeline"  # the view stays
    assert window.context.doc.readonly and window.lock_banner.isVisible()  # still hers
    assert not window.reload_button.isVisible()  # no change left to reload


def test_an_unchanged_plan_is_never_offered_for_reload(window, qtbot):
    from planner import operations

    key = sorted(window.context.plan.actions)[0]
    window.context.run(operations.edit_action, key, title="My own edit")
    assert not window.watch.check()  # this window's own saves are no change "on disk"
    assert not window.lock_banner.isVisible()


# ----- the lock heartbeat ---------------------------------------------------------------------

def test_an_idle_editing_window_keeps_its_lock_fresh(window, qtbot):
    path = window.context.doc.path
    lock = locks.lock_path(path)
    assert window.watch.heartbeat.isActive()
    assert window.watch.heartbeat.interval() == locks.HEARTBEAT * 1000
    assert locks.HEARTBEAT * 3 <= locks.STALE_AFTER  # a missed beat or two is no stale lock
    idle = time.time() - locks.STALE_AFTER - 60  # no save for longer than the stale limit
    os.utime(lock, (idle, idle))
    assert locks.read_lock(path).stale  # what a colleague would see without a heartbeat
    window.watch.heartbeat.setInterval(20)
    qtbot.waitUntil(lambda: not locks.read_lock(path).stale, timeout=3000)
    assert locks.is_mine(locks.read_lock(path))


def test_a_read_only_window_never_refreshes_someone_elses_lock(window, tmp_path, sample_copy,
                                                               qtbot):
    other = tmp_path / "held.rcplan"
    other.write_bytes(sample_copy.read_bytes())
    hold(other)
    old = time.time() - 3600
    os.utime(locks.lock_path(other), (old, old))
    assert window.open_plan(other, quiet=True) and window.context.doc.readonly
    assert not window.watch.heartbeat.isActive()
    window.watch.beat()
    assert locks.lock_path(other).stat().st_mtime == pytest.approx(old, abs=1)


def test_a_taken_over_lock_is_not_refreshed_by_its_old_holder(sample_copy):
    doc = PlanDocument.open(sample_copy)
    hold(sample_copy, pid=os.getppid())  # taken over by another program meanwhile
    old = time.time() - 120
    os.utime(locks.lock_path(sample_copy), (old, old))
    assert doc.lock.refresh() is False
    assert locks.lock_path(sample_copy).stat().st_mtime == pytest.approx(old, abs=1)
    doc.close()
    assert locks.lock_path(sample_copy).exists()  # theirs: left alone
