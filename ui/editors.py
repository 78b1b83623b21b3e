"""Item editors for the plan's tables: dates that may be empty, challenge ticks, owners, and the
Actions table's delegate that paints challenge chips and picks the editor for each column."""

from __future__ import annotations

from datetime import date

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (QApplication, QComboBox, QFrame, QLabel, QMessageBox, QLineEdit, QListWidget,
                               QListWidgetItem, QSpinBox, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QWidget)

from planner.dates import (accepted_forms, expected_form, format_date, is_day_first, parse_date,
                           short_date)
from planner.errors import DateError
from planner.model import ACTION_STATUSES, Plan
from ui import style
from ui.actions_model import COLUMNS, ID_ROLE, VALUE_ROLE
from ui.context import AppContext

class DateEditor(QLineEdit):
    """A date typed as people write it (15/03/2027, 15 Mar 2027, 2027-03-15, today, +5...).

    One parser (``planner.dates.parse_date``) reads the text, day first unless the plan says month
    first. An impossible or unreadable date is never changed into another day: the editor shows
    why below itself and ``value()`` raises DateError, so nothing is stored (issue 10: the old
    spin-section editor stored 15/03/2027 as 15 Feb 2027). Up and Down move a day; Ctrl+Delete
    clears; an empty editor means "no date".
    """

    def __init__(self, parent=None, *, plan: Plan | None = None, optional: bool = True):
        super().__init__(parent)
        self.optional = optional
        self.suggested: date | None = None
        self._shown: date | None = None
        self.set_plan(plan)
        self.error_label = QLabel(self)
        self.error_label.setWindowFlags(Qt.WindowType.ToolTip)
        self.error_label.setObjectName("dateError")
        self.error_label.setAccessibleName("Date problem")
        self.error_label.setWordWrap(True)
        self.error_label.setMaximumWidth(460)
        self.error_label.setStyleSheet(
            f"QLabel {{ background: {style.CRITICAL_COLOUR.name()}; color: white; "
            "padding: 3px 6px; border-radius: 3px; }")
        self.error_label.hide()
        self.textEdited.connect(self._edited)

    def set_plan(self, plan: Plan | None) -> None:
        """Read dates in ``plan``'s date order and skip its holidays for +N working days."""
        settings = plan.settings if plan is not None else None
        self.day_first = is_day_first(settings.date_order if settings else None)
        self.holidays = list(settings.holidays) if settings else []
        self.setPlaceholderText(expected_form(self.day_first))
        self.setToolTip(f"Type a date: {accepted_forms(self.day_first)}")

    # ----- what it holds ----------------------------------------------------------------------

    def parse(self) -> date | None:
        """The typed date (None when empty and allowed); DateError when it is not a date."""
        text = self.text().strip()
        if not text and self.optional:
            return None
        return parse_date(text, day_first=self.day_first, holidays=self.holidays)

    def value(self) -> date | None:
        """The typed date, or None for an empty editor; DateError if the text is not a date."""
        return self.parse()

    def read(self, report: Callable[[str], object]) -> tuple[bool, date | None]:
        """(True, the date or None) or, when the text is not a date, (False, None) after showing
        why below the editor and passing the message to ``report``."""
        try:
            return True, self.parse()
        except DateError as exc:
            self.show_problem(str(exc))
            report(str(exc))
            return False, None

    def problem(self) -> str | None:
        """Why the text is not a date, or None when it is (or is empty and allowed)."""
        try:
            self.parse()
        except DateError as exc:
            return str(exc)
        return None

    def check(self) -> bool:
        """Show the problem (if any) below the editor; True when the text is a date."""
        message = self.problem()
        self.show_problem(message)
        return message is None

    def show_problem(self, message: str | None) -> None:
        """Show ``message`` in red below the editor (None hides it)."""
        if not message:
            self.error_label.hide()
            self.setStyleSheet("")
            return
        self.setStyleSheet(f"QLineEdit {{ border: 2px solid {style.CRITICAL_COLOUR.name()}; }}")
        self.error_label.setText(message)
        self.error_label.adjustSize()
        if self.isVisible():
            self.error_label.move(self.mapToGlobal(QPoint(0, self.height())))
            self.error_label.show()

    def set_value(self, d: date | None, suggest: date | None = None) -> None:
        """Show ``d`` as dd/mm/yyyy; ``suggest`` is where Up and Down start on an empty editor."""
        self.setText(format_date(d, self.day_first))
        self._shown = d
        self.suggested = suggest if d is None else None
        self.selectAll()
        self.show_problem(None)

    def untouched_suggestion(self) -> bool:
        """True if an empty date was only looked at (nothing typed)."""
        return self._shown is None and not self.text().strip()

    # ----- keys -------------------------------------------------------------------------------

    def _edited(self, _text: str) -> None:
        if self.error_label.isVisible():
            self.show_problem(None)

    def keyPressEvent(self, event):  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and \
                event.modifiers() == Qt.KeyboardModifier.ControlModifier:
            self.setText("")
            self._edited("")
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and \
                event.modifiers() == Qt.KeyboardModifier.NoModifier:
            try:
                current = self.parse()
            except DateError as exc:
                self.show_problem(str(exc))
                return
            start = current or self.suggested or date.today()
            step = 1 if key == Qt.Key.Key_Up else -1
            self.setText(format_date(start + timedelta(days=step), self.day_first))
            self._edited(self.text())
            return
        super().keyPressEvent(event)

    def hideEvent(self, event):  # noqa: N802
        self.error_label.hide()
        super().hideEvent(event)


def confirm_later_actual(actual: date, status: date) -> bool:
    """Ask whether an actual date after the plan's status date should move the status date on.

    (Tests replace this function to answer without a dialog.)
    """
    answer = QMessageBox.question(
        QApplication.activeWindow(), "Actual date after the status date",
        f"{short_date(actual)} is after the plan's status date ({short_date(status)}).\n\n"
        f"Move the status date on to {short_date(actual)} and record it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def date_edit_keys(editor: QWidget, event) -> bool:
    """For a table delegate's event filter: True (keep the editor open) when Enter or Tab would
    leave a DateEditor whose text is not a date; the editor then shows why."""
    if isinstance(editor, DateEditor) and event.type() == QEvent.Type.KeyPress and \
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab,
                            Qt.Key.Key_Backtab):
        return not editor.check()
    return False


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

    def eventFilter(self, editor, event):  # noqa: N802
        if date_edit_keys(editor, event):
            return True
        return super().eventFilter(editor, event)

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
            editor = DateEditor(parent, plan=plan)
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
            ok, value = editor.read(self.context.refuse)  # never stored as another day
            if not ok or value == index.data(VALUE_ROLE):
                return  # a date that was only looked at is not an edit
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
