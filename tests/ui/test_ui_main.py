"""The main window as a user meets it: the sample plan opens with its name and status date, views
switch from the navigator and the keyboard, undo and redo name the change, a bad file leaves the
open plan alone, layout and recent files are remembered, Excel goes both ways off the UI thread,
an overloaded person is flagged, and --screenshot renders the real window."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.main_window import MainWindow
from ui.window_files import SAMPLE_PLAN
from ui.registry import view_keys

REPO = Path(__file__).resolve().parents[2]


def test_sample_plan_opens_with_name_and_status_date(window):
    assert window.header.name.text().startswith("Northmoor recovery implementation plan")
    assert "20 Nov 2026" in window.header.as_of.text()  # short_date, as the deck says it
    assert "Plan finishes" in window.header.as_of.text()
    assert window.saved_label.text() == "Every change is saved as you make it"
    assert "nothing to save" in window.saved_label.toolTip()
    assert window.current_view_key() == "overview"
    assert window.width() == 1280 and window.height() == 800


def test_every_view_opens_from_the_navigator(window):
    for i, key in enumerate(view_keys()):
        window.navigator.setCurrentRow(i)
        widget = window.stack.currentWidget()
        assert widget is window.views[key]
        assert widget.objectName() and widget.accessibleName()


def test_views_switch_with_ctrl_number(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view_key() == "milestones"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view_key() == "actions"


def test_undo_and_redo_name_the_change(window):
    doc = window.context.doc
    assert not window.act_undo.isEnabled()  # opening a file is not an undoable step
    doc.update("action", "A32", actual_finish=None, duration=9)
    doc.update("action", "A12", actual_finish=date(2026, 3, 20))
    assert window.act_undo.text() == "&Undo: change finish of A12"
    assert "Saved: change finish of A12" in window.statusBar().currentMessage()
    window.act_undo.trigger()
    assert doc.plan.actions["A12"].actual_finish != date(2026, 3, 20)
    assert window.act_redo.text() == "&Redo: change finish of A12"
    assert window.act_undo.text() == "&Undo: change duration of A32"
    assert "Undone: change finish of A12" in window.statusBar().currentMessage()
    window.act_redo.trigger()
    assert doc.plan.actions["A12"].actual_finish == date(2026, 3, 20)
    assert not window.act_redo.isEnabled()
    # standard shortcuts
    assert window.act_undo.shortcut().matches(Qt.Modifier.CTRL | Qt.Key.Key_Z) is not None
    assert any(s.toString() == "Ctrl+Y" for s in window.act_redo.shortcuts())


def test_file_that_cannot_be_opened_keeps_the_current_plan(window, tmp_path, monkeypatch):
    bad = tmp_path / "notes.rcplan"
    bad.write_text("these are meeting notes, not a plan")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[1:3]))
    assert not window.open_plan(bad)
    assert shown and shown[0][0] == "Cannot open the plan"
    assert "notes.rcplan" in shown[0][1] and "is still open" in shown[0][1]
    assert window.context.plan.settings.name.startswith("Northmoor")
    assert window.context.doc.path.name == "northmoor.rcplan"
    assert not window.open_plan(tmp_path / "missing.rcplan", quiet=True)
    assert window.context.plan.settings.name.startswith("Northmoor")


def test_bundled_sample_is_copied_before_it_is_opened(qtbot):
    before = hashlib.sha256(SAMPLE_PLAN.read_bytes()).hexdigest()
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_plan(SAMPLE_PLAN, quiet=True)
    assert w.context.doc.path != SAMPLE_PLAN
    assert w.context.doc.path.name == SAMPLE_PLAN.name
    w.context.doc.update("action", "A27", duration=40)
    w.context.doc.close()
    assert hashlib.sha256(SAMPLE_PLAN.read_bytes()).hexdigest() == before


def test_recent_files_last_plan_and_layout_remembered(window, tmp_path, qtbot):
    other = tmp_path / "other.rcplan"
    window.context.doc.save_copy(other)
    first = str(window.context.doc.path)
    assert window.open_plan(other, quiet=True)
    assert window.recent_files()[:2] == [str(other), first]
    window.show_view("milestones")
    window.resize(1100, 700)
    window.close()
    assert QSettings().value("lastPlan") == str(other)
    assert QSettings().value("window/view") == "milestones"

    from ui.app import _starting_plan

    assert _starting_plan(None) == str(other)
    again = MainWindow()
    qtbot.addWidget(again)
    # (the offscreen screen is 800 px wide, so Qt keeps the restored width on it)
    assert again.size().height() == 700 and not QSettings().value("window/geometry").isEmpty()


def test_excel_export_and_import_run_in_the_background(window, tmp_path):
    xlsx = tmp_path / "northmoor.xlsx"
    count = len(window.context.plan.actions)
    task = window.export_excel_to(str(xlsx))
    assert task.wait(30000) and task.error is None
    assert xlsx.exists() and xlsx.stat().st_size > 5000
    new_plan = tmp_path / "imported.rcplan"
    task = window.import_excel_to(str(xlsx), str(new_plan))
    assert task.wait(30000) and task.error is None  # read and checked first,
    assert window.import_task.wait(30000) and window.import_task.error is None  # then written
    assert window.context.doc.path == new_plan
    assert len(window.context.plan.actions) == count
    assert "Imported northmoor.xlsx" in window.statusBar().currentMessage()


def test_import_of_a_broken_workbook_says_why_and_keeps_the_plan(window, tmp_path, monkeypatch):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[1:3]))
    task = window.import_excel_to(str(bad), str(tmp_path / "x.rcplan"))
    assert task.wait(30000)
    assert task.error is not None and shown and shown[0][0] == "Not imported"
    assert window.context.plan.settings.name.startswith("Northmoor")


def test_overloaded_person_is_flagged(window):
    doc = window.context.doc
    plan = window.context.plan
    # Give Jo Whitfield (P5) the three college actions at once with room for only one.
    with doc.batch("give Jo three things at once"):
        doc.update("person", "P5", capacity=1)
        for aid in ("A28", "A29", "A30"):
            doc.update("action", aid, owner="P5")
        for dep in [d for d in plan.dependencies.values() if d.action in ("A28", "A29", "A30")]:
            doc.delete("dependency", dep.uid)
    overloads = window.context.analysis.overloads
    assert any(o.person == "P5" for o in overloads)
    window.show_view("overview")
    warnings = window.views["overview"].warnings
    texts = [warnings.item(i).text() for i in range(warnings.count())]
    assert any("Jo Whitfield" in t for t in texts), texts


def test_dark_palette_is_remembered(window):
    window.act_dark.trigger()
    assert QApplication.instance().palette().window().color().lightness() < 128
    assert QSettings().value("theme") == "dark"
    window.act_dark.trigger()
    assert QApplication.instance().palette().window().color().lightness() > 128


def test_controls_have_accessible_names(window):
    from PySide6.QtWidgets import QComboBox, QLineEdit, QTableView

    for key in ("overview", "actions", "milestones"):
        window.show_view(key)
        view = window.views[key]
        for cls in (QComboBox, QLineEdit, QTableView):
            for w in view.findChildren(cls):
                if w.isVisibleTo(view) and not isinstance(w.parent(), QComboBox):
                    assert w.accessibleName(), f"{key}: {cls.__name__} {w.objectName()}"


@pytest.mark.parametrize("view", ["overview", "actions"])
def test_screenshot_renders_the_window(tmp_path, sample_copy, view):
    out = tmp_path / f"{view}.png"
    env = {"QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "d"),
           "XDG_CONFIG_HOME": str(tmp_path / "c"), "HOME": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, str(REPO / "main.py"), str(sample_copy),
                           "--screenshot", str(out), "--view", view], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_screenshot_of_a_bad_plan_exits_2_with_a_message(tmp_path):
    bad = tmp_path / "bad.rcplan"
    bad.write_text("nope")
    env = {"QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "d"),
           "XDG_CONFIG_HOME": str(tmp_path / "c"), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, str(REPO / "main.py"), str(bad), "--screenshot",
                           str(tmp_path / "x.png")], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert "bad.rcplan" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.png").exists()


def test_drag_in_graph_adds_a_link_and_a_loop_is_refused(window, qtbot):
    from PySide6.QtTest import QTest

    plan = window.context.plan
    window.show_view("graph")
    graph_view = window.views["graph"]
    qtbot.wait(20)
    canvas = graph_view.canvas

    def drag(src: str, dst: str) -> None:
        for aid in (src, dst):
            canvas.centerOn(graph_view.node_centre(aid))
            qtbot.wait(1)
        canvas.fitInView(graph_view.nodes[src].sceneBoundingRect().united(
            graph_view.nodes[dst].sceneBoundingRect()).adjusted(-40, -40, 40, 40),
            Qt.AspectRatioMode.KeepAspectRatio)
        a = canvas.mapFromScene(graph_view.node_centre(src))
        b = canvas.mapFromScene(graph_view.node_centre(dst))
        vp = canvas.viewport()
        QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
        for t in (0.25, 0.5, 0.75, 1.0):
            QTest.mouseMove(vp, a + (b - a) * t)
        QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)

    before = len(plan.dependencies)
    drag("A28", "A26")  # A26 waiting for A28 would close A26 → A27 → A28 → A26
    assert len(plan.dependencies) == before
    assert "loop" in window.statusBar().currentMessage().lower()
    drag("A3", "A26")   # a sound link is added, and Undo names it
    assert any(d.needs == "A3" and d.action == "A26" for d in plan.dependencies.values())
    assert window.act_undo.text().startswith("&Undo: add dependency")


def test_new_plan_from_template(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    target = tmp_path / "new plan"
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("ten-challenges", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.new_from_template()
    from ui.workers import _RUNNING

    for task in list(_RUNNING):
        assert task.wait(30000)
    assert window.context.doc.path == tmp_path / "new plan.rcplan"
    assert len(window.context.plan.challenges) == 10 and window.context.plan.actions
    assert not window.act_undo.isEnabled()  # a new plan starts with nothing to undo


def test_save_a_copy_leaves_this_plan_open(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    copy = tmp_path / "copy.rcplan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    original = window.context.doc.path
    window.save_copy()
    assert copy.exists() and window.context.doc.path == original
    assert "stays open" in window.statusBar().currentMessage()


def test_board_deck_exports_in_the_background(window, tmp_path):
    from ui.export_dialog import ExportDialog

    dialog = ExportDialog(window.context, window)
    out = tmp_path / "board.pptx"
    dialog.output.setText(str(out))
    dialog.answers["decisions"].setPlainText("Agree funding for the college.")
    snapshots = len(window.context.doc.snapshots())
    assert not dialog.snapshot.isChecked()  # a draft stores nothing
    dialog.snapshot.setChecked(True)  # this one is the deck presented to the board
    dialog.cover_texts["board_exec_lead"].setText("Chief Nurse")
    task = dialog.start_export()
    assert task.wait(60000) and task.error is None, task.error
    assert out.exists() and out.stat().st_size > 10000
    assert window.context.plan.settings.summary_decisions == "Agree funding for the college."
    assert window.context.plan.settings.board_exec_lead == "Chief Nurse"
    assert len(window.context.doc.snapshots()) == snapshots + 1
    assert "Written" in dialog.message.text()
    dialog.reject()


def test_overview_tile_opens_its_actions_by_keyboard(window, qtbot):
    overview = window.views["overview"]
    tile = overview.tiles[3]
    assert tile.accessibleName() == f"Challenge 3: {window.context.plan.challenges[3].title}"
    assert "RAG" in tile.accessibleDescription() and "% of the work done" in tile.accessibleDescription()
    tile.setFocus()
    qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert window.current_view_key() == "actions"
    actions = window.views["actions"]
    assert actions.challenge_filter.currentData() == 3
    plan = window.context.plan
    shown = [actions.proxy.index(r, 0).data() for r in range(actions.proxy.rowCount())]
    assert shown and all(3 in plan.actions[a].challenges for a in shown)


def test_big_plan_is_scheduled_in_the_background(window, tmp_path, qtbot):
    from bench.gen_plans import make_plan
    from planner.document import PlanDocument

    path = tmp_path / "big.rcplan"
    PlanDocument.create(path, make_plan(3000, 9000, 3)).close()
    window.show_view("actions")
    assert window.open_plan(path, quiet=True)
    assert window.context.analysis_pending and window.busy.isVisibleTo(window)
    actions = window.views["actions"]
    assert actions.model.rowCount() == 3000  # the table is there at once
    assert window.context.wait_for_analysis(60000)
    qtbot.wait(5)
    assert window.context.analysis is not None and not window.busy.isVisibleTo(window)
    assert actions.model.index(0, 7).data() not in ("", "…")  # start dates filled in


def test_ctrl_f_finds_an_action(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    window.show_view("actions")
    window.views["actions"].table.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.views["actions"].search
    qtbot.keyClicks(window.views["actions"].search, "A27")
    assert window.views["actions"].proxy.rowCount() >= 1


def test_overview_milestone_opens_in_milestones(window, qtbot):
    overview = window.views["overview"]
    item = overview.milestones.item(0)
    mid = item.data(Qt.ItemDataRole.UserRole)
    assert mid in window.context.plan.milestones
    overview.milestones.itemActivated.emit(item)
    assert window.current_view_key() == "milestones"
    assert window.views["milestones"].current_milestone().id == mid
    window.show_record("A27")
    assert window.current_view_key() == "actions"
    assert window.context.selected_action == "A27"
    assert window.views["actions"].detail.heading.text().startswith("A27")


def test_switching_plans_redraws_every_view(window, tmp_path):
    from planner.document import PlanDocument
    from planner.templates import load_template

    for key in view_keys():
        window.show_view(key)
    other = tmp_path / "starter.rcplan"
    PlanDocument.create(other, load_template("ten-challenges", start=date(2027, 1, 4))).close()
    assert window.open_plan(other, quiet=True)
    plan = window.context.plan
    assert window.views["actions"].model.rowCount() == len(plan.actions)
    assert window.views["milestones"].model.rowCount() == len(plan.milestones)
    assert "4 Jan 2027" in window.header.as_of.text()
    for key in view_keys():
        window.show_view(key)
        window.views[key].repaint()
