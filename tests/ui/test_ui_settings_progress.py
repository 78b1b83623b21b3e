"""Lists kept in settings survive at every length, and a progress box never hides a result (issue 10)."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.main_window import MainWindow
from ui.window_views import settings
from ui.workers import run_task


def test_a_recent_list_of_one_plan_comes_back_as_one_plan_not_letters(qtbot, sample_copy):
    # After a restart Qt reads a one-entry list back from the settings file as a plain string
    # (in one process it serves its cache, so the string is put there as the file gives it).
    settings().setValue("recentFiles", str(sample_copy))
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.recent_files() == [str(sample_copy)]
    w._fill_recent()
    names = [a.text() for a in w.recent_menu.actions() if a.text()]
    assert any(sample_copy.name in n for n in names)
    assert len([n for n in names if n.startswith("&")]) == 1
    assert w.open_plan(sample_copy, quiet=True)
    assert w.recent_files() == [str(sample_copy)]


def test_recent_list_of_none_and_many(qtbot, tmp_path):
    w = MainWindow()
    qtbot.addWidget(w)
    settings().setValue("recentFiles", [])
    assert w.recent_files() == []
    many = [str(tmp_path / f"p{i}.rcplan") for i in range(5)]
    settings().setValue("recentFiles", many)
    assert w.recent_files() == many


def _progress_boxes_shown(parent: QWidget) -> list[QProgressDialog]:
    return [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]


def test_the_progress_box_is_gone_before_an_error_is_shown(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: list[int] = []

    def slow_failure():
        time.sleep(0.8)  # long enough for the progress box to appear
        raise ValueError("File is not a workbook")

    task = run_task(parent, "Reading…", slow_failure,
                    on_error=lambda exc: seen.append(len(_progress_boxes_shown(parent))))
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert task is not None
    assert seen == [0]


def test_the_progress_box_is_gone_before_a_result_is_shown(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: list[int] = []

    def slow_work():
        time.sleep(0.8)
        return 42

    run_task(parent, "Reading…", slow_work,
             on_done=lambda r: seen.append(len(_progress_boxes_shown(parent))))
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert seen == [0]


def test_save_dialogs_start_in_the_plans_folder_never_a_hidden_data_folder(qtbot, tmp_path,
                                                                          monkeypatch,
                                                                          sample_copy):
    """Issue 10, item 8: new plans and decks were offered in '…/Recovery Change Planner/Recovery
    Change Planner/'."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from planner import places
    from ui.main_window import MainWindow
    from ui.window_files import SAMPLE_PLAN, user_data_dir

    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _parent, title, start, _filter: asked.append((title, start))
                        or ("", ""))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("ten-challenges", True))
    w = MainWindow()
    qtbot.addWidget(w)
    assert user_data_dir() == places.data_folder()
    assert "Recovery Change Planner/Recovery Change Planner" not in str(user_data_dir())
    assert w.open_plan(SAMPLE_PLAN, quiet=True)  # the copy in the data folder
    assert w.context.doc.path.parent == places.data_folder()
    w.new_from_template()
    w.save_copy()
    w.export_excel()
    from ui.export_dialog import ExportDialog

    deck = ExportDialog(w.context, w)
    qtbot.addWidget(deck)
    assert [start for _t, start in asked] == [
        str(home / "Documents"), str(home / "Documents" / "northmoor copy.rcplan"),
        str(home / "Documents" / "northmoor.xlsx")]
    assert deck.output.text().startswith(str(home / "Documents" / "northmoor board update"))
    # a plan of one's own: its folder
    asked.clear()
    w.context.doc.close()
    assert w.open_plan(sample_copy, quiet=True)
    w.save_copy()
    assert asked == [("Save a copy as", str(sample_copy.parent / "northmoor copy.rcplan"))]


def test_the_window_benchmark_leaves_the_users_settings_and_files_alone(qtbot, tmp_path):
    """Issue 10, item 5: running the benchmarks wrote into the user's real settings (recent
    files, last view). The bench helpers run under their own settings scope and folders."""
    import os

    from PySide6.QtCore import QCoreApplication, QSettings

    from bench import bench_ui

    names = (QCoreApplication.organizationName(), QCoreApplication.applicationName())
    mine = QSettings()
    mine.setValue("recentFiles", ["/plans/mine.rcplan", "/plans/other.rcplan"])
    mine.setValue("lastPlan", "/plans/mine.rcplan")
    mine.setValue("window/view", "milestones")
    mine.sync()
    before = {k: mine.value(k) for k in mine.allKeys()}
    data_home, backups = os.environ["XDG_DATA_HOME"], os.environ["RCP_BACKUP_DIR"]
    bench_ui.open_big(tmp_path, 100)
    bench_ui.edit_redraw(tmp_path, 60, 2)
    again = QSettings()
    assert {k: again.value(k) for k in again.allKeys()} == before
    assert (QCoreApplication.organizationName(), QCoreApplication.applicationName()) == names
    assert (os.environ["XDG_DATA_HOME"], os.environ["RCP_BACKUP_DIR"]) == (data_home, backups)
    assert not os.listdir(backups)  # the edits' daily backups went to the bench's own folder
