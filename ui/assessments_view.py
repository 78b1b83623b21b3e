"""The Assessments view (skeleton: a working widget; the full view follows)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.context import AppContext


class AssessmentsView(QWidget):
    """Assessments view of the open plan."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("assessmentsView")
        self.setAccessibleName("Assessments view")
        self.context = context
        self._label = QLabel("Assessments", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self._label)
        context.document_replaced.connect(self.refresh)
        context.analysis_changed.connect(self.refresh)

    def refresh(self) -> None:
        """Redraw from the context's plan and analysis."""
        plan = self.context.plan
        n = len(plan.actions) if plan is not None else 0
        self._label.setText(f"Assessments: {n} actions")
