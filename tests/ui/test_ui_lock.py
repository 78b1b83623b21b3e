"""The window says who holds a plan opened read-only, and can take a stale lock over (issue 9)."""

from __future__ import annotations

import json
import os
import socket

from planner import lock as locks


def hold(path, pid, since="2026-03-02T09:00:00+00:00"):
    locks.lock_path(path).write_text(json.dumps(
        {"user": "Asha", "host": socket.gethostname(), "pid": pid, "since": since}))


def test_a_plan_held_by_another_program_shows_who_and_where(window, tmp_path, sample_copy):
    other = tmp_path / "held.rcplan"
    other.write_bytes(sample_copy.read_bytes())
    hold(other, os.getppid())  # a live program on this machine
    assert window.open_plan(other, quiet=True)
    assert window.context.doc.readonly
    assert window.lock_banner.isVisible()
    text = window.lock_text.text()
    assert "Asha on " + socket.gethostname() + " since" in text
    assert not window.take_over_button.isVisible()  # a live lock is never taken over
    assert "cannot be saved" in window.saved_label.text()  # never "every change is saved"


def test_a_stale_lock_can_be_taken_over_from_the_banner(window, tmp_path, sample_copy):
    other = tmp_path / "stale.rcplan"
    other.write_bytes(sample_copy.read_bytes())
    hold(other, 2 ** 22 + 12345)  # no such process on this machine: stale
    assert window.open_plan(other, quiet=True)
    assert window.context.doc.readonly and window.take_over_button.isVisible()
    window.take_over_button.click()
    assert not window.context.doc.readonly and not window.lock_banner.isVisible()
    assert window.saved_label.text() == "Every change is saved as you make it"
    assert locks.is_mine(locks.read_lock(other))


def test_closing_the_window_gives_up_the_plans_lock(qtbot, sample_copy):
    from ui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_plan(sample_copy, quiet=True)
    lock = sample_copy.parent / f".{sample_copy.name}.lock"
    assert lock.exists()
    w.close()
    assert not lock.exists()
