"""Fixtures and helpers shared by the view tests: a small plan's context, showing a view, a mouse drag."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from planner.document import PlanDocument
from tests.plan_factory import small_plan
from ui.context import AppContext

if TYPE_CHECKING:
    from ui.graph_view import GraphView

W = TypeVar("W", bound=QWidget)


@pytest.fixture
def small_context(qapp, tmp_path):
    """A context on a new document holding the small test plan."""
    doc = PlanDocument.create(tmp_path / "small.rcplan", small_plan())
    ctx = AppContext(doc)
    yield ctx
    doc.close()


def shown(qtbot, widget: W) -> W:
    """``widget`` at 1280 x 760, shown and exposed (closed by qtbot after the test)."""
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def drag(view: GraphView, source: str, target: str) -> None:
    """Press on one box, move across in steps, release on another: as a user's mouse would."""
    vp = view.canvas.viewport()
    start = view.canvas.mapFromScene(view.node_centre(source))
    end = view.canvas.mapFromScene(view.node_centre(target))
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for k in range(1, 6):
        QTest.mouseMove(vp, start + (end - start) * k / 5)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)


class Dialogs:
    """Answers the modal dialogs a workflow opens, in order, from the keyboard (issue 10).

    ``Dialogs(answer_one, answer_two)`` polls for a new modal dialog (a progress box is not one
    to answer, but one still on screen when a message box appears is recorded in ``stuck``); each
    answer gets the dialog and types into it. ``seen`` lists (class name, title, text) of each.
    """

    def __init__(self, *answers):
        from PySide6.QtCore import QTimer

        self.answers = list(answers)
        self.seen: list[tuple[str, str, str]] = []
        self.stuck: list[str] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._poll)
        self.timer.start(30)

    def _poll(self) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

        w = QApplication.activeModalWidget()
        if w is None or isinstance(w, QProgressDialog) or w.property("answered"):
            return
        w.setProperty("answered", True)
        w.activateWindow()  # as a window manager would: keys go to the dialog
        QApplication.processEvents()
        text = w.text() if isinstance(w, QMessageBox) else ""
        self.seen.append((type(w).__name__, w.windowTitle(), text))
        if isinstance(w, QMessageBox):
            self.stuck += [p.windowTitle() for p in QApplication.topLevelWidgets()
                           if isinstance(p, QProgressDialog) and p.isVisible()]
        if self.answers:
            self.answers.pop(0)(w)
        else:
            w.reject()  # nothing more was expected: it shows in ``seen``

    def stop(self) -> None:
        self.timer.stop()


def type_file_name(path) -> "callable":
    """An answer for a file dialog: type ``path`` into its file name box and press Enter."""
    from PySide6.QtWidgets import QLineEdit

    def answer(dialog) -> None:
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        edit.setFocus()
        edit.selectAll()
        QTest.keyClicks(edit, str(path))
        QTest.keyClick(edit, Qt.Key.Key_Return)

    return answer


def press_enter(dialog) -> None:
    """An answer for a message box: Enter (the default button) closes it."""
    QTest.keyClick(dialog, Qt.Key.Key_Return)


def wait_for_tasks(timeout_ms: int = 30000) -> None:
    """Wait until every background task (ui/workers.py), and any it started, has reported."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer

    from ui.workers import _RUNNING

    clock = QElapsedTimer()
    clock.start()
    def running():
        return [t for t in list(_RUNNING) if not t.is_finished]

    while running() and clock.elapsed() < timeout_ms:
        for task in running():
            task.wait(timeout_ms)
        QCoreApplication.processEvents()
    assert not running(), "a background task did not finish"
