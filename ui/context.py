"""The shared state of the window: the open plan, its latest analysis and the current selection.

Views never change the plan themselves: they call ``context.doc`` operations (``add``, ``update``,
``delete``, ``batch``), and redraw when ``plan_changed`` / ``analysis_changed`` fire.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from planner.document import Change, PlanDocument


class AppContext(QObject):
    """Holds the open document, the engine's analysis of it and the selected action."""

    document_replaced = Signal()          # a different plan file is now open
    plan_changed = Signal(object)         # a planner.document.Change after an edit, undo or redo
    analysis_changed = Signal()           # self.analysis was recomputed
    selection_changed = Signal(str)       # id of the selected action ("" for none)
    status_message = Signal(str)          # text for the status bar

    def __init__(self, doc: PlanDocument | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.doc: PlanDocument | None = None
        self.analysis: Any = None
        self.selected_action: str = ""
        if doc is not None:
            self.set_document(doc)

    @property
    def plan(self):
        """The open plan (read it; change it only through ``self.doc`` operations)."""
        return self.doc.plan if self.doc else None

    def set_document(self, doc: PlanDocument) -> None:
        """Show another plan file; the previous one is closed."""
        if self.doc is not None and self.doc is not doc:
            self.doc.listeners.remove(self._on_change)
            self.doc.close()
        self.doc = doc
        doc.listeners.append(self._on_change)
        self.selected_action = ""
        self.recompute()
        self.document_replaced.emit()

    def _on_change(self, change: Change) -> None:
        self.recompute()
        self.plan_changed.emit(change)

    def recompute(self) -> None:
        """Re-run the graph engine on the plan and tell the views."""
        import graph

        self.analysis = graph.analyse(self.doc.plan)
        self.analysis_changed.emit()

    def select_action(self, action_id: str) -> None:
        """Select an action in every view."""
        if action_id != self.selected_action:
            self.selected_action = action_id
            self.selection_changed.emit(action_id)
