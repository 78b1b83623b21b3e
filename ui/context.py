"""The shared state of the window: the open plan, its latest analysis and the current selection.

The window changes the plan one way only: ``context.run(operation, *args)`` with a named operation
from ``planner.operations`` (undo and redo are ``context.undo()`` / ``context.redo()``, the same
path). That path
- catches a refusal (``PlanError``), emits ``refused`` with it and returns None: every view shows it
  the same way, in its ``OperationBanner`` (ui/widgets.py), which hides again after the next
  successful operation or when dismissed;
- otherwise the document reports the operation's ``ChangeSet``; the context refreshes the analysis
  from it first and then emits ``plan_changed`` with it, so views redraw from the change set's facts
  (they never decode field changes) and the window updates Undo and Redo.

The analysis comes from the graph engine. After an edit that touches only actions and links it is
refreshed incrementally (``graph.Scheduler.refresh``), which is fast even on big plans; anything
else re-analyses the whole plan. A big plan (``BACKGROUND_ACTIONS`` actions or more) is analysed on
a pool thread when it is opened, so the window shows its tables at once and the charts follow:
``analysis`` is None meanwhile and ``analysis_pending`` is True.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from planner.changes import ChangeSet
from planner.document import PlanDocument
from planner.errors import PlanError, SaveError

@dataclass
class UnsavedEdit:
    """An edit the plan file could not take (disk full, folder read-only): kept so the window can
    show what was typed as "not saved" and try it again (issue 10, item 3)."""

    operation: Callable[..., Any]
    args: tuple
    kwargs: dict
    error: SaveError
    kind: str = ""               # "action" or "milestone" for an edit of table cells
    key: str = ""
    fields: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """Why it was not saved, naming the file (after "Not saved: ", without saying it twice)."""
        text = str(self.error)
        for said in ("The change was not saved: ", "The change was not saved. "):
            text = text.removeprefix(said)
        return text


BACKGROUND_ACTIONS = 3000
"""Plans with at least this many actions are analysed off the UI thread when opened."""

PREPARE_AFTER_MS = 1000
"""How long after a plan is shown the document is made ready for its first edit."""


class AppContext(QObject):
    """Holds the open document, the engine's analysis of it and the selected action."""

    document_replaced = Signal()          # a different plan file is now open
    plan_changed = Signal(object)         # a planner.changes.ChangeSet after an edit, undo or redo
    refused = Signal(object)              # the PlanError of an operation that changed nothing
    analysis_changed = Signal()           # self.analysis was recomputed
    selection_changed = Signal(str)       # id of the selected action ("" for none)
    status_message = Signal(str)          # text for the status bar
    unsaved_changed = Signal(object)      # the UnsavedEdit the file could not take, or None

    def __init__(self, doc: PlanDocument | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.doc: PlanDocument | None = None
        self.analysis: Any = None
        self.analysis_error: str = ""      # why there is no analysis (e.g. the plan holds a loop)
        self.analysis_pending = False      # an analysis is being computed off the UI thread
        self.selected_action: str = ""
        self._scheduler: Any = None
        self._task: Any = None
        self._generation = 0               # bumps on every change; stale background results lose
        self.unsaved: UnsavedEdit | None = None  # the last edit a failed write left unsaved
        if doc is not None:
            self.set_document(doc)

    @property
    def plan(self):
        """The open plan (read it; change it only through ``self.doc`` operations)."""
        return self.doc.plan if self.doc else None

    def set_document(self, doc: PlanDocument, background: bool | None = None) -> None:
        """Show another plan file; the previous one is closed.

        ``background`` (default: decided by the plan's size) analyses the plan off the UI thread.
        """
        if self.doc is not None and self.doc is not doc:
            if self._on_change in self.doc.listeners:
                self.doc.listeners.remove(self._on_change)
            self.doc.close()
        self.doc = doc
        doc.listeners.append(self._on_change)
        self.selected_action = ""
        self.unsaved = None
        self._scheduler = None
        self.analysis = None
        self.analysis_pending = False
        self.analysis_error = ""
        if background is None:
            background = len(doc.plan.actions) >= BACKGROUND_ACTIONS
        if background:
            self.recompute_in_background()
        else:
            self.recompute()
        QTimer.singleShot(PREPARE_AFTER_MS, self, lambda: self._prepare_for_edits(doc))
        self.document_replaced.emit()

    def _prepare_for_edits(self, doc: PlanDocument, steps: list | None = None) -> None:
        """A moment after a plan is shown, while the user reads it: what its first edit would
        otherwise do first (``PlanDocument.edit_preparations``), one step at a time so that
        the window takes input between them (on 20,000 actions each takes 0.03-0.19 s), unless
        another plan came since."""
        if doc is not self.doc or doc.closed:  # another plan, or the window closed it
            return
        if steps is None:
            steps = doc.edit_preparations()
        if steps:
            steps.pop(0)()
            QTimer.singleShot(0, self, lambda: self._prepare_for_edits(doc, steps))

    # ----- the one path to change the plan ------------------------------------------------------

    def run(self, operation: Callable[..., ChangeSet | None], *args: Any,
            **kwargs: Any) -> ChangeSet | None:
        """Run ``operation(doc, *args, **kwargs)`` (a ``planner.operations`` function).

        Returns its change set, or None when it was refused (``refused`` carries the
        ``PlanError``; the plan is unchanged) or there is no plan open. The analysis and then the
        views refresh from the change set as the document reports it.
        """
        if self.doc is None:
            return None
        try:
            change = operation(self.doc, *args, **kwargs)
        except SaveError as exc:
            self._not_saved(UnsavedEdit(operation, args, kwargs, exc))
            return None
        except PlanError as exc:
            self.refuse(exc)
            return None
        if self.unsaved is not None:  # a later write went through: the file is writable again
            self._not_saved(None)
        return change

    def _not_saved(self, edit: UnsavedEdit | None) -> None:
        from planner import operations

        if edit is not None:
            kinds = {operations.edit_action: "action", operations.edit_milestone: "milestone"}
            if edit.operation in kinds and edit.args:
                edit.kind, edit.key = kinds[edit.operation], str(edit.args[0])
                edit.fields = {k: v for k, v in edit.kwargs.items() if k != "move_status_date"}
            self.status_message.emit(f"Not saved: {edit.reason.splitlines()[0]}")
        self.unsaved = edit
        self.unsaved_changed.emit(edit)

    def retry_unsaved(self) -> ChangeSet | None:
        """Try the edit the file could not take again (None if it fails again, or there is none)."""
        edit = self.unsaved
        if edit is None:
            return None
        return self.run(edit.operation, *edit.args, **edit.kwargs)

    def discard_unsaved(self) -> None:
        """Give up the edit the file could not take: the plan shows what the file holds."""
        if self.unsaved is not None:
            self._not_saved(None)

    def refuse(self, reason: PlanError | str) -> None:
        """Show why something the user asked for was not done (the same way as a refused operation)."""
        exc = reason if isinstance(reason, PlanError) else PlanError(reason)
        self.refused.emit(exc)
        self.status_message.emit(f"Not changed: {str(exc).splitlines()[0]}" if str(exc) else "")

    def undo(self) -> ChangeSet | None:
        """Undo the last step made since the plan was opened (None if there is nothing to undo)."""
        from planner import operations

        return self.run(operations.undo)

    def redo(self) -> ChangeSet | None:
        """Redo the last undone step (None if there is nothing to redo)."""
        from planner import operations

        return self.run(operations.redo)

    def _on_change(self, change: ChangeSet) -> None:
        self._generation += 1
        if self.analysis_pending:
            pass  # the background analysis notices the new generation and starts again
        elif (len(self.doc.plan.actions) >= BACKGROUND_ACTIONS
              and not (self._scheduler is not None and self._incremental(change))):
            self.recompute_in_background()
        else:
            self.recompute(change)
        self.plan_changed.emit(change)

    # ----- analysis --------------------------------------------------------------------------

    def recompute(self, change: ChangeSet | None = None) -> None:
        """Re-run the graph engine on the plan (incrementally after ``change`` when it can)."""
        self._generation += 1
        if self.doc is None:
            return
        try:
            self.analysis = self._analyse(change)
            self.analysis_error = ""
        except PlanError as exc:  # e.g. a loop in a plan imported from elsewhere
            self.analysis, self._scheduler = None, None
            self.analysis_error = str(exc)
            self.status_message.emit(self.analysis_error)
        self.analysis_changed.emit()

    def _analyse(self, change: ChangeSet | None) -> Any:
        import graph

        plan = self.doc.plan
        if change is not None and self._scheduler is not None and self._incremental(change):
            return self._scheduler.refresh_for(change)
        self._scheduler = graph.Scheduler(plan)
        return self._scheduler.analyse()

    @staticmethod
    def _incremental(change: ChangeSet) -> bool:
        # Milestones, people, assessments and measures are read by the analysis when asked
        # (a fresh Analysis from refresh_for() sees them); only the schedule itself is cached.
        return bool(change)

    def recompute_in_background(self) -> None:
        """Analyse the whole plan on a pool thread; ``analysis_changed`` fires when it is ready."""
        from ui.workers import Task

        import graph

        self.analysis_pending = True
        generation = self._generation
        doc = self.doc

        def work():
            scheduler = graph.Scheduler(doc.plan)
            return scheduler, scheduler.analyse()

        def done(result):
            if doc is not self.doc:
                return
            if generation != self._generation:  # edited meanwhile: start again from the new plan
                self.recompute_in_background()
                return
            self._scheduler, self.analysis = result
            self.analysis_pending = False
            self.analysis_error = ""
            self.analysis_changed.emit()

        def failed(exc):
            if doc is not self.doc:
                return
            self.analysis_pending = False
            if generation != self._generation:
                self.recompute_in_background()
                return
            self.analysis_error = str(exc) if isinstance(exc, PlanError) else (
                f"The plan could not be scheduled ({type(exc).__name__}: {exc}).")
            self.status_message.emit(self.analysis_error)
            self.analysis_changed.emit()

        self._task = Task(work)
        self._task.done.connect(done)
        self._task.failed.connect(failed)
        self._task.start()

    def wait_for_analysis(self, timeout_ms: int = 60000) -> bool:
        """Wait (processing events) until no background analysis is pending."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer, QThreadPool

        clock = QElapsedTimer()
        clock.start()
        while self.analysis_pending and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            QThreadPool.globalInstance().waitForDone(5)
        return not self.analysis_pending

    def select_action(self, action_id: str) -> None:
        """Select an action in every view."""
        if action_id != self.selected_action:
            self.selected_action = action_id
            self.selection_changed.emit(action_id)
