"""Quitting the window as a program: the layout and last plan are remembered, the plan file is
closed and its lock given up, whether the program then leaves at once (``ui.app.leave_now``) or
takes the usual way out (a window not closed, or work still running off the UI thread)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QSettings

from planner.document import PlanDocument
from planner.lock import lock_path
from ui import app as ui_app
from ui.main_window import MainWindow
from ui.workers import Task

REPO = Path(__file__).resolve().parents[2]


class _Left(Exception):
    """Raised by the stand-in for os._exit."""


def _record_exit(monkeypatch) -> list[int]:
    calls: list[int] = []

    def fake_exit(code):
        calls.append(code)
        raise _Left

    monkeypatch.setattr(ui_app.os, "_exit", fake_exit)
    return calls


def test_python_main_py_quits_leaving_settings_saved_and_plan_unlocked(tmp_path):
    # The cold-start benchmark's child is `python main.py` run as the program, closed once painted
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               QT_QPA_PLATFORM="offscreen")
    for _ in range(2):  # the second start opens the plan the first one left
        done = subprocess.run([sys.executable, str(REPO / "bench" / "cold_start_child.py")],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "shown"
        assert done.stderr == ""
        plan = tmp_path / "data" / "Recovery Change Planner" / "northmoor.rcplan"
        assert plan.is_file() and not lock_path(plan).exists()
        conf = tmp_path / "config" / "Recovery Change Planner" / "Recovery Change Planner.conf"
        settings = QSettings(str(conf), QSettings.Format.IniFormat)
        assert settings.value("window/view") == "overview"
        assert Path(str(settings.value("lastPlan"))) == plan
        assert settings.value("window/geometry") is not None
    with PlanDocument.open(plan) as doc:  # not locked by a program that is gone
        assert doc.locked_by is None and not doc.readonly


def test_leaves_only_once_the_window_is_closed(window, monkeypatch):
    calls = _record_exit(monkeypatch)
    ui_app.leave_now(window, 0)  # still open: the usual way out
    assert calls == []
    plan = window.context.doc.path
    window.close()
    assert not lock_path(plan).exists()
    try:
        ui_app.leave_now(window, 0)
    except _Left:
        pass
    assert calls == [0]


def test_work_still_running_takes_the_usual_way_out(window, monkeypatch):
    calls = _record_exit(monkeypatch)
    release = threading.Event()
    task = Task(lambda: release.wait(30)).start()
    window.close()
    try:
        ui_app.leave_now(window, 0)  # an export being written is not cut short
        assert calls == []
    finally:
        release.set()
        assert task.wait()


def _settings_file() -> tuple[bytes, int, int]:
    path = Path(QSettings().fileName())
    st = path.stat()
    return path.read_bytes(), st.st_ino, st.st_mtime_ns


def test_settings_rewritten_only_when_they_change(window, tmp_path):
    first = str(window.context.doc.path)
    before = _settings_file()
    assert window.open_plan(first, quiet=True)  # the plan opened last time, opened again
    assert _settings_file() == before           # the file was not written again
    others = []
    for i in range(9):
        other = tmp_path / f"other{i}.rcplan"
        window.context.doc.save_copy(other)
        others.append(str(other))
        assert window.open_plan(other, quiet=True)
    assert QSettings().value("lastPlan") == others[-1]
    assert window.recent_files() == others[::-1][:8]
    assert window.open_plan(others[3], quiet=True)  # an older one moves to the top
    assert window.recent_files() == [others[3]] + [p for p in others[::-1] if p != others[3]][:7]
    window.show_view("people")
    window.close()
    assert QSettings().value("window/view") == "people"
    for start in range(2):  # the next starts: the same plan, window and view
        again = MainWindow()
        again.show()
        assert again.open_plan(others[3], quiet=True)
        again.show_view("people")
        again.close()
        if start:  # nothing changed since the first of them: nothing is written
            assert _settings_file() == closed
        closed = _settings_file()


def test_people_shown_before_a_plan_is_open(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.show_view("people")  # no plan yet: an empty view, no error
    assert window.current_view_key() == "people"
