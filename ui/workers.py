"""Long work off the UI thread: a ``Task`` runs a function in Qt's thread pool and reports back.

Import, export and recomputing a large plan must never freeze the window, so they run here. The
function runs on a pool thread; its result, error and progress arrive as signals on the UI thread.
Functions that want to report progress take a ``progress(percent, text)`` keyword argument
(percent None = "busy, no estimate"). Never touch ``doc.conn`` from a task: SQLite connections
belong to the thread that opened them; give the task file paths or a copy of the plan instead.
"""

from __future__ import annotations

import inspect
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

_RUNNING: set["Task"] = set()  # keeps tasks alive until they report (Qt holds no reference)


class Task(QObject):
    """One piece of work on a pool thread; emits ``done(result)`` or ``failed(exception)``."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object, str)  # percent (int or None), text
    finished = Signal()             # after done or failed
    # Emitted on the pool thread; connected to this object's slots, so they are queued to the
    # UI thread (the Task lives there) and every public signal above fires on the UI thread.
    _raw_done = Signal(object)
    _raw_failed = Signal(object)
    _raw_progress = Signal(object, str)

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any):
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.result: Any = None
        self.error: BaseException | None = None
        self.is_finished = False
        try:
            self._wants_progress = "progress" in inspect.signature(fn).parameters
        except (TypeError, ValueError):
            self._wants_progress = False
        self._raw_done.connect(self._sig_done, Qt.ConnectionType.QueuedConnection)
        self._raw_failed.connect(self._sig_failed, Qt.ConnectionType.QueuedConnection)
        self._raw_progress.connect(self._sig_progress, Qt.ConnectionType.QueuedConnection)

    def start(self) -> "Task":
        """Queue the work on the global thread pool."""
        _RUNNING.add(self)
        QThreadPool.globalInstance().start(_Runnable(self))
        return self

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block (processing events) until the task has reported; for tests and the command line."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer

        clock = QElapsedTimer()
        clock.start()
        while not self.is_finished and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            QThreadPool.globalInstance().waitForDone(5)
        QCoreApplication.processEvents()
        return self.is_finished

    def _work(self) -> None:  # on the pool thread
        try:
            kwargs = dict(self.kwargs)
            if self._wants_progress:
                kwargs["progress"] = lambda pct=None, text="": self._raw_progress.emit(pct, text)
            result = self.fn(*self.args, **kwargs)
        except BaseException as exc:  # reported on the UI thread, never swallowed
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._raw_failed.emit(exc)
        else:
            self._raw_done.emit(result)

    @Slot(object, str)
    def _sig_progress(self, pct: Any, text: str) -> None:
        self.progress.emit(pct, text)

    @Slot(object)
    def _sig_done(self, result: Any) -> None:
        self.result = result
        self.done.emit(result)
        self._end()

    @Slot(object)
    def _sig_failed(self, exc: BaseException) -> None:
        self.error = exc
        self.failed.emit(exc)
        self._end()

    def _end(self) -> None:
        self.is_finished = True
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task):
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task._work()


def run_task(parent: QWidget | None, title: str, fn: Callable[..., Any], *args: Any,
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             show_progress: bool = True, **kwargs: Any) -> Task:
    """Run ``fn(*args, **kwargs)`` off the UI thread with a progress dialog after a short delay.

    ``on_done(result)`` / ``on_error(exception)`` are called on the UI thread. The dialog only
    appears if the work takes longer than 400 ms, so quick jobs do not flash a window.
    """
    task = Task(fn, *args, **kwargs)
    dialog: QProgressDialog | None = None
    if show_progress and parent is not None:
        dialog = QProgressDialog(title, "", 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setAccessibleName(title)
        dialog.setCancelButton(None)  # the work cannot be stopped half-way safely
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)

        def on_progress(pct: Any, text: str) -> None:
            if dialog is None:
                return
            if pct is None:
                dialog.setRange(0, 0)
            else:
                dialog.setRange(0, 100)
                dialog.setValue(int(pct))
            if text:
                dialog.setLabelText(text)

        task.progress.connect(on_progress)

    def close_dialog() -> None:
        # the progress box closes before any result or error appears, so a message box is
        # never hidden behind it (issue 10)
        nonlocal dialog
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
            dialog = None

    def done(result: Any) -> None:
        close_dialog()
        if on_done is not None:
            on_done(result)

    def failed(exc: BaseException) -> None:
        close_dialog()
        if on_error is not None:
            on_error(exc)

    def finish() -> None:
        close_dialog()
        # Let the callbacks run first, then forget the task.
        QTimer.singleShot(0, lambda: _RUNNING.discard(task))

    task.done.connect(done)
    task.failed.connect(failed)
    task.finished.connect(finish)
    return task.start()
