"""The bars around the views: the plan header above them (name, organisation, status date,
plan finish) and the status bar below (messages cut with "…" at their own edge).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QStatusBar

from planner.dates import short_date
from ui.context import AppContext

SAVED_TEXT = "Every change is saved in the plan file as you make it: there is nothing to save."


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" instead of widening the window."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(120)

    def paintEvent(self, _event):  # noqa: N802
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             self.width())
        painter.drawText(self.rect(), int(self.alignment()) | Qt.AlignmentFlag.AlignVCenter, text)


class PlanStatusBar(QStatusBar):
    """The status bar: messages in a label of their own, cut with "…" at its edge, so they never
    run into the save state on the right; an old message goes when a plan opens (issue 10)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.message = ElidedLabel("")
        self.message.setObjectName("statusMessage")
        self.message.setAccessibleName("Status message")
        self.message.setMinimumWidth(40)
        self.addWidget(self.message, 1)
        self._clear = QTimer(self)
        self._clear.setSingleShot(True)
        self._clear.timeout.connect(self.clearMessage)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 (Qt name)
        self.message.setText(text)
        self.message.setToolTip(text)
        self.message.update()
        if timeout:
            self._clear.start(timeout)
        else:
            self._clear.stop()

    def currentMessage(self) -> str:  # noqa: N802 (Qt name)
        return self.message.text()

    def clearMessage(self) -> None:  # noqa: N802 (Qt name)
        self._clear.stop()
        self.message.setText("")
        self.message.setToolTip("")
        self.message.update()
        super().clearMessage()


class PlanHeader(QFrame):
    """The plan's name, organisation and status date, always visible above the views."""

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.setObjectName("planHeader")
        self.context = context
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 6, 12, 6)
        self.name = ElidedLabel("")
        self.name.setObjectName("planName")
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 1.35)
        f.setBold(True)
        self.name.setFont(f)
        self.name.setAccessibleName("Plan name")
        self.as_of = QLabel("")
        self.as_of.setObjectName("planAsOf")
        self.as_of.setAccessibleName("Status date")
        f2 = QFont(self.font())
        f2.setPointSizeF(f2.pointSizeF() * 1.1)
        self.as_of.setFont(f2)
        lay.addWidget(self.name, 1)
        lay.addWidget(self.as_of, 0, Qt.AlignmentFlag.AlignRight)
        self.setFrameShape(QFrame.Shape.NoFrame)
        context.document_replaced.connect(self.refresh)
        context.plan_changed.connect(lambda c: self.refresh() if c.settings else None)
        context.analysis_changed.connect(self.refresh)

    def refresh(self) -> None:
        """Show the plan's name and dates."""
        plan = self.context.plan
        if plan is None:
            self.name.setText("No plan open")
            self.as_of.setText("")
            return
        s = plan.settings
        org = f"  ·  {s.organisation}" if s.organisation else ""
        self.name.setText(f"{s.name}{org}")
        self.name.setToolTip(f"{s.name}{org}\n{self.context.doc.path}")
        parts = [f"Status date (as of): <b>{short_date(s.as_of)}</b>" if s.as_of
                 else "Status date: <b>not set</b>"]
        analysis = self.context.analysis
        if analysis is not None and analysis.plan_finish:
            parts.append(f"Plan finishes: <b>{short_date(analysis.plan_finish)}</b>")
        elif self.context.analysis_pending:
            parts.append("Scheduling…")
        self.as_of.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))
