"""Item editors for the plan's tables: dates that may be empty, challenge ticks, owners, and the
Actions table's delegate that paints challenge chips and picks the editor for each column."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (QComboBox, QDateEdit, QFrame, QLineEdit, QListWidget,
                               QListWidgetItem, QSpinBox, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QWidget)

from planner.model import ACTION_STATUSES, Plan
from ui import style
from ui.actions_model import COLUMNS, ID_ROLE, VALUE_ROLE
from ui.context import AppContext

NO_DATE = QDate(2000, 1, 1)
"""The minimum of the date editors, shown as "no date": picking it clears the date."""


def to_qdate(d: date | None) -> QDate:
    """A Python date as a QDate (the "no date" sentinel for None)."""
    return QDate(d.year, d.month, d.day) if d else NO_DATE


def from_qdate(q: QDate) -> date | None:
    """A QDate from an editor as a Python date (None for the "no date" sentinel)."""
    if not q.isValid() or q <= NO_DATE:
        return None
    return date(q.year(), q.month(), q.day())


class DateEditor(QDateEdit):
    """A date editor with a calendar pop-up that can also mean "no date" (Delete clears it)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("dd MMM yyyy")
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText("no date")
        self.suggested: date | None = None
        self.calendarWidget().clicked.connect(self._chosen)

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return,
                               Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            self.suggested = None  # the user is choosing a date: whatever it ends as counts
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and \
                event.modifiers() == Qt.KeyboardModifier.ControlModifier:
            self.setDate(NO_DATE)
            return
        super().keyPressEvent(event)

    def value(self) -> date | None:
        """The chosen date, or None."""
        return from_qdate(self.date())

    def set_value(self, d: date | None, suggest: date | None = None) -> None:
        """Show ``d``; for None show ``suggest`` (a sensible day to start from) or "no date"."""
        self.setDate(to_qdate(d if d is not None else suggest))
        self.suggested = suggest if d is None else None

    def _chosen(self, *_args) -> None:
        self.suggested = None

    def untouched_suggestion(self) -> bool:
        """True if an empty date was only looked at (no key pressed, no day clicked)."""
        return self.suggested is not None


class ChallengesEditor(QListWidget):
    """Tick the challenges an action serves (Space toggles, Enter keeps the choice)."""

    def __init__(self, plan, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Challenges this action serves")
        self.setFrameShape(QFrame.Shape.Box)
        for number, ch in sorted(plan.challenges.items()):
            item = QListWidgetItem(f"{number}. {ch.title}")
            item.setData(Qt.ItemDataRole.UserRole, number)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setCurrentRow(0)

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() == Qt.Key.Key_Space and self.currentItem() is not None:
            item = self.currentItem()
            item.setCheckState(Qt.CheckState.Unchecked if item.checkState() == Qt.CheckState.Checked
                               else Qt.CheckState.Checked)
            return
        super().keyPressEvent(event)

    def value(self) -> list[int]:
        """The ticked challenge numbers."""
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_value(self, numbers: list[int]) -> None:
        """Tick exactly ``numbers``."""
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in numbers else Qt.CheckState.Unchecked)


def person_combo(plan: Plan, parent: QWidget | None = None,
                 none_text: str = "(no owner)") -> QComboBox:
    """A combo box of the plan's people by name (item data = person id; '' = nobody)."""
    combo = QComboBox(parent)
    combo.addItem(none_text, "")
    for p in sorted(plan.people.values(), key=lambda p: p.name.casefold()):
        combo.addItem(p.name, p.id)
    return combo


def paint_challenge_chips(painter: QPainter, rect: QRect, numbers: list[int], font: QFont) -> None:
    """Small coloured boxes with the challenge numbers, left to right."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    f = QFont(font)
    f.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
    f.setBold(True)
    painter.setFont(f)
    fm = painter.fontMetrics()
    h = min(rect.height() - 4, fm.height() + 2)
    x = rect.left() + 3
    y = rect.top() + (rect.height() - h) // 2
    for n in numbers:
        text = str(n)
        w = max(h, fm.horizontalAdvance(text) + 8)
        if x + w > rect.right():
            painter.setPen(painter.pen())
            painter.drawText(QRect(x, y, rect.right() - x, h), Qt.AlignmentFlag.AlignVCenter, "…")
            break
        colour = style.challenge_colour(n)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRect(x, y, w, h), 3, 3)
        painter.setPen(style.text_colour_on(colour))
        painter.drawText(QRect(x, y, w, h), Qt.AlignmentFlag.AlignCenter, text)
        x += w + 3
    painter.restore()


class ActionsDelegate(QStyledItemDelegate):
    """Proper editors for each editable column: combo boxes, spin boxes, dates, challenge ticks."""

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context

    def paint(self, painter, option, index):
        if COLUMNS[index.column()].key == "challenges":
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            widget = option.widget
            (widget.style() if widget else QStyle()).drawControl(
                QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
            paint_challenge_chips(painter, option.rect, sorted(index.data(VALUE_ROLE) or []),
                                  option.font)
            return
        super().paint(painter, option, index)

    def createEditor(self, parent, option, index):  # noqa: N802
        key = COLUMNS[index.column()].key
        plan = self.context.plan
        if key == "owner":
            editor = person_combo(plan, parent)
        elif key == "status":
            editor = QComboBox(parent)
            editor.addItems(ACTION_STATUSES)
        elif key == "phase":
            editor = QSpinBox(parent)
            editor.setRange(0, 99)
            editor.setSpecialValueText("none")
        elif key == "duration":
            editor = QSpinBox(parent)
            editor.setRange(0, 5000)
        elif key == "percent":
            editor = QSpinBox(parent)
            editor.setRange(0, 100)
            editor.setSuffix("%")
        elif key == "deadline":
            editor = DateEditor(parent)
        elif key == "challenges":
            editor = ChallengesEditor(plan, parent)
        else:
            editor = QLineEdit(parent)
        editor.setAccessibleName(f"Edit {COLUMNS[index.column()].header.lower()}")
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        key = COLUMNS[index.column()].key
        value = index.data(VALUE_ROLE)
        if key == "owner":
            editor.setCurrentIndex(max(0, editor.findData(value or "")))
        elif key == "status":
            editor.setCurrentIndex(max(0, editor.findText(value or "")))
        elif key in ("phase", "duration", "percent"):
            editor.setValue(int(value or 0))
        elif key == "deadline":
            facts = self.context.plan and index.model().sourceModel().facts(index.data(ID_ROLE)) \
                if hasattr(index.model(), "sourceModel") else None
            editor.set_value(value, suggest=facts[1] if facts else None)
        elif key == "challenges":
            editor.set_value(list(value or []))
        else:
            editor.setText(str(value or ""))

    def setModelData(self, editor, model, index):  # noqa: N802
        key = COLUMNS[index.column()].key
        if key == "owner":
            value = editor.currentData() or None
        elif key == "status":
            value = editor.currentText()
        elif key == "phase":
            value = editor.value() or None
        elif key in ("duration", "percent"):
            value = editor.value()
        elif key == "deadline":
            if index.data(VALUE_ROLE) is None and editor.untouched_suggestion():
                return  # an empty deadline that was only looked at stays empty
            value = editor.value()
        elif key == "challenges":
            value = sorted(editor.value())
        else:
            value = editor.text()
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index):  # noqa: N802
        if isinstance(editor, ChallengesEditor):
            rect = QRect(option.rect.topLeft(), QSize(max(300, option.rect.width()),
                                                      editor.sizeHintForRow(0) * 10 + 8))
            parent = editor.parentWidget()
            if parent is not None and rect.bottom() > parent.height():
                rect.moveBottom(parent.height() - 2)
            editor.setGeometry(rect)
            return
        super().updateEditorGeometry(editor, option, index)
