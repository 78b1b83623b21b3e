"""The Actions view: a sortable, filterable table of every action with in-place editors, and a
detail panel for the selected action's dependencies, co-production and recovery check."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QByteArray, QDate, QModelIndex, QRect, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QFormLayout,
                               QFrame, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QMessageBox, QPushButton,
                               QScrollArea, QSpinBox, QSplitter, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QTableView, QVBoxLayout, QWidget)

from planner.errors import LoopError, PlanError
from planner.model import ACTION_STATUSES, Action, Dependency
from ui import style
from ui.actions_model import (COLUMN_INDEX, COLUMNS, ID_ROLE, VALUE_ROLE, ActionFilter,
                              ActionsFilterModel, ActionsTableModel)
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


def person_combo(plan, parent=None, none_text: str = "(no owner)") -> QComboBox:
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


class ActionDetail(QScrollArea):
    """The selected action: what it waits for (add, remove), what waits for it, co-production and
    the recovery check (does it increase or decrease control, opportunity and hope?)."""

    CHECK_CHOICES = [("not checked yet", None), ("increases (+1)", 1), ("no change (0)", 0),
                     ("decreases (−1)", -1)]

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.setObjectName("actionDetail")
        self.setAccessibleName("Selected action details")
        self.context = context
        self.action_id = ""
        self._loading = False
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(8, 4, 8, 8)

        self.heading = QLabel("No action selected")
        self.heading.setWordWrap(True)
        f = self.heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.15)
        f.setBold(True)
        self.heading.setFont(f)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.heading)
        self.schedule_label = QLabel("")
        self.schedule_label.setWordWrap(True)
        lay.addWidget(self.schedule_label)

        self.message = QLabel("")
        self.message.setObjectName("detailMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setStyleSheet(f"color: {style.CRITICAL_COLOUR.name()};")
        self.message.hide()

        deps = QGroupBox("Waits for")
        dl = QVBoxLayout(deps)
        self.needs_list = QListWidget()
        self.needs_list.setAccessibleName("Actions this action waits for")
        self.needs_list.setMaximumHeight(84)
        self.needs_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.needs_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        dl.addWidget(self.needs_list)
        self.remove_button = QPushButton("&Remove link")
        self.remove_button.setAccessibleName("Remove the selected dependency")
        self.remove_button.clicked.connect(self.remove_selected_dependency)
        row = QHBoxLayout()
        self.add_combo = QComboBox()
        self.add_combo.setEditable(True)
        self.add_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.add_combo.setAccessibleName("Action to wait for")
        self.add_combo.lineEdit().setPlaceholderText("Type an ID or title…")
        self.add_combo.setMinimumContentsLength(8)
        self.add_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.add_combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.add_combo.completer().setCompletionMode(
            self.add_combo.completer().CompletionMode.PopupCompletion)
        self.add_button = QPushButton("&Add link")
        self.add_button.setAccessibleName("Add the dependency")
        self.add_button.clicked.connect(self.add_dependency_from_form)
        self.add_combo.lineEdit().returnPressed.connect(self.add_dependency_from_form)
        row.addWidget(self.add_combo, 1)
        row.addWidget(self.add_button)
        dl.addLayout(row)
        dl.addWidget(self.remove_button)
        dl.addWidget(self.message)
        lay.addWidget(deps)

        succ = QGroupBox("Needed by")
        sl = QVBoxLayout(succ)
        self.succ_list = QListWidget()
        self.succ_list.setAccessibleName("Actions that wait for this action")
        self.succ_list.setMaximumHeight(72)
        self.succ_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.succ_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.succ_list.itemActivated.connect(
            lambda item: context.select_action(item.data(Qt.ItemDataRole.UserRole)))
        self.needs_list.itemActivated.connect(
            lambda item: context.select_action(item.data(Qt.ItemDataRole.UserRole)))
        sl.addWidget(self.succ_list)
        lay.addWidget(succ)

        cop = QGroupBox("Co-production")
        cl = QVBoxLayout(cop)
        self.coproduced = QCheckBox("Co-produced with lived experience")
        self.coproduced.setToolTip("Designed and delivered together with people who have lived "
                                   "experience of mental health problems")
        self.coproduced.setAccessibleName("Co-produced")
        self.coproduced.toggled.connect(self._coproduced_toggled)
        self.coproduced_with = QLineEdit()
        self.coproduced_with.setPlaceholderText("With whom (group, people)")
        self.coproduced_with.setAccessibleName("Co-produced with")
        self.coproduced_with.editingFinished.connect(self._coproduced_with_edited)
        cl.addWidget(self.coproduced)
        cl.addWidget(self.coproduced_with)
        lay.addWidget(cop)

        check = QGroupBox("Recovery check")
        check.setToolTip("Does this action increase or decrease the person's sense of control, "
                         "their opportunities outside services, and their hope?")
        fl = QFormLayout(check)
        intro = QLabel("Does it increase or decrease the person's control, their "
                       "opportunities outside services, and their hope?")
        intro.setWordWrap(True)
        fl.addRow(intro)
        self.check_boxes: dict[str, QComboBox] = {}
        for label in ("control", "opportunity", "hope"):
            combo = QComboBox()
            for text, value in self.CHECK_CHOICES:
                combo.addItem(text, value)
            combo.setAccessibleName(f"Recovery check: {label}")
            combo.currentIndexChanged.connect(lambda _i, lab=label: self._check_changed(lab))
            self.check_boxes[label] = combo
            fl.addRow({"control": "Control:", "opportunity": "Opportunity:",
                       "hope": "Hope:"}[label], combo)
        lay.addWidget(check)
        lay.addStretch(1)

        self._stale = False
        context.selection_changed.connect(self.show_action)
        context.plan_changed.connect(lambda _c: self.refresh_when_shown())
        context.analysis_changed.connect(self._refresh_schedule)
        context.document_replaced.connect(lambda: self.show_action(""))
        self.show_action("")

    # ----- showing --------------------------------------------------------------------------

    def show_action(self, action_id: str) -> None:
        """Show ``action_id`` (or nothing)."""
        if action_id != self.action_id:
            self.message.hide()
        self.action_id = action_id
        self.refresh()

    def refresh_when_shown(self) -> None:
        """Redraw now if on screen, else when next shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event):  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """Redraw from the plan."""
        self._stale = False
        plan = self.context.plan
        action = plan.actions.get(self.action_id) if plan else None
        self.widget().setEnabled(action is not None)
        self._loading = True
        try:
            self.needs_list.clear()
            self.succ_list.clear()
            self.add_combo.clear()
            if action is None:
                self.heading.setText("Select an action in the table to see its links, "
                                     "co-production and recovery check.")
                self.schedule_label.setText("")
                return
            self.heading.setText(f"{action.id}  {action.title}")
            for dep in sorted(plan.predecessors(action.id), key=lambda d: d.needs):
                other = plan.actions.get(dep.needs)
                kind = "" if dep.type == "FS" else " (may start together)"
                lag = f", then {dep.lag} days" if dep.lag else ""
                item = QListWidgetItem(f"{dep.needs}  {other.title if other else '?'}{kind}{lag}")
                item.setData(Qt.ItemDataRole.UserRole, dep.needs)
                item.setData(Qt.ItemDataRole.UserRole + 1, dep.uid)
                self.needs_list.addItem(item)
            for dep in sorted(plan.successors(action.id), key=lambda d: d.action):
                other = plan.actions.get(dep.action)
                item = QListWidgetItem(f"{dep.action}  {other.title if other else '?'}")
                item.setData(Qt.ItemDataRole.UserRole, dep.action)
                self.succ_list.addItem(item)
            self.remove_button.setEnabled(self.needs_list.count() > 0)
            taken = {d.needs for d in plan.predecessors(action.id)} | {action.id}
            if len(plan.actions) <= 5000:  # a 20,000-entry combo is no use to anyone
                for other in plan.actions.values():
                    if other.id not in taken:
                        self.add_combo.addItem(f"{other.id}  {other.title}", other.id)
            self.add_combo.setCurrentIndex(-1)
            self.add_combo.setEditText("")
            self.coproduced.setChecked(action.coproduced)
            self.coproduced_with.setText(action.coproduced_with)
            self.coproduced_with.setEnabled(action.coproduced)
            for label, combo in self.check_boxes.items():
                combo.setCurrentIndex(max(0, combo.findData(getattr(action, f"check_{label}"))))
        finally:
            self._loading = False
        self._refresh_schedule()

    def _refresh_schedule(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        analysis = self.context.analysis
        row = analysis.rows.get(self.action_id) if analysis is not None and self.action_id else None
        if row is None:
            self.schedule_label.setText("")
            return
        crit = "  On the critical path." if row.critical else f"  Float {row.float_days} days."
        self.schedule_label.setText(f"{row.start:%d %b %Y} → {row.finish:%d %b %Y}.{crit}\n"
                                    f"{row.driver}")

    # ----- editing ----------------------------------------------------------------------------

    def _say(self, text: str, error: bool = True) -> None:
        self.message.setStyleSheet(
            f"color: {(style.alert_colour() if error else style.good_colour()).name()};")
        self.message.setText(text)
        self.message.show()
        self.context.status_message.emit(text.splitlines()[0] if text else "")

    def add_dependency(self, needs: str) -> bool:
        """Make the shown action wait for ``needs``; a refused link shows the planner's message."""
        if not self.action_id:
            return False
        try:
            self.context.doc.add("dependency", Dependency(action=self.action_id, needs=needs))
        except LoopError as exc:
            self._say(f"Refused: {exc}")
            return False
        except PlanError as exc:
            self._say(str(exc))
            return False
        self._say(f"{self.action_id} now waits for {needs}.", error=False)
        return True

    def add_dependency_from_form(self) -> None:
        """Add the link typed or picked in the combo box."""
        needs = self.add_combo.currentData()
        text = self.add_combo.currentText().strip()
        if not needs or self.add_combo.itemText(self.add_combo.currentIndex()) != text:
            needs = text.split()[0] if text else ""
            if needs and needs not in self.context.plan.actions:
                # maybe a title was typed
                matches = [a.id for a in self.context.plan.actions.values()
                           if a.title.casefold() == text.casefold()]
                needs = matches[0] if matches else needs
        if not needs:
            self._say("Type or pick the action this one waits for.")
            return
        self.add_dependency(needs)

    def remove_selected_dependency(self) -> None:
        """Remove the link selected in "Waits for"."""
        item = self.needs_list.currentItem() or (self.needs_list.item(0)
                                                 if self.needs_list.count() == 1 else None)
        if item is None:
            self._say("Select the link to remove.")
            return
        try:
            self.context.doc.delete("dependency", item.data(Qt.ItemDataRole.UserRole + 1))
        except PlanError as exc:
            self._say(str(exc))

    def _update(self, **fields) -> None:
        if self._loading or not self.action_id:
            return
        try:
            self.context.doc.update("action", self.action_id, **fields)
        except PlanError as exc:
            self._say(str(exc))
            self.refresh()

    def _coproduced_toggled(self, on: bool) -> None:
        self.coproduced_with.setEnabled(on)
        self._update(coproduced=on)

    def _coproduced_with_edited(self) -> None:
        action = self.context.plan.actions.get(self.action_id) if self.action_id else None
        if action is not None and self.coproduced_with.text().strip() != action.coproduced_with:
            self._update(coproduced_with=self.coproduced_with.text().strip())

    def _check_changed(self, label: str) -> None:
        self._update(**{f"check_{label}": self.check_boxes[label].currentData()})


class ActionsView(QWidget):
    """Every action in a table: filter, sort, edit in place; the selected one in a side panel."""

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.setObjectName("actionsView")
        self.setAccessibleName("Actions view")
        self.context = context
        self.model = ActionsTableModel(context, self)
        self.proxy = ActionsFilterModel(self.model, self)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 4)
        outer.setSpacing(6)
        outer.addLayout(self._filter_bar())

        self.banner = QLabel("")
        self.banner.setObjectName("actionsBanner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Refused edit")
        self.banner.setStyleSheet(f"QLabel {{ background: {style.CRITICAL_COLOUR.name()}; "
                                  "color: white; padding: 4px 8px; border-radius: 3px; }")
        self.banner.hide()
        self._banner_timer = QTimer(self, singleShot=True, interval=12000)
        self._banner_timer.timeout.connect(self.banner.hide)
        outer.addWidget(self.banner)

        self.table = QTableView()
        self.table.setObjectName("actionsTable")
        self.table.setAccessibleName("Actions table")
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(ActionsDelegate(context, self.table))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.table.verticalHeader().hide()
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        for i, col in enumerate(COLUMNS):
            self.table.setColumnWidth(i, col.width)
        hh.setSectionResizeMode(COLUMN_INDEX["title"], QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(COLUMN_INDEX["title"], 230)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.detail = ActionDetail(context)
        self.detail.setMinimumWidth(300)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("actionsSplitter")
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setSizes([800, 300])
        split.setChildrenCollapsible(False)
        self.splitter = split
        outer.addWidget(split, 1)
        # Remember the panel's width and the columns' widths and order between sessions.
        saved = QSettings().value("actions/splitter")
        if isinstance(saved, QByteArray) and not saved.isEmpty():
            split.restoreState(saved)
        saved = QSettings().value("actions/columns")
        if isinstance(saved, QByteArray) and not saved.isEmpty():
            hh.restoreState(saved)
        split.splitterMoved.connect(
            lambda *_: QSettings().setValue("actions/splitter", split.saveState()))
        hh.sectionResized.connect(self._save_columns)
        hh.sectionMoved.connect(self._save_columns)
        hh.sortIndicatorChanged.connect(self._save_columns)

        self.model.edit_refused.connect(self.show_refusal)
        self.model.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        context.selection_changed.connect(self._select_row)
        context.document_replaced.connect(self._reload_filters)
        context.plan_changed.connect(self._plan_changed)
        context.analysis_changed.connect(self._reapply_if_schedule_filter)
        # Ctrl+F is the window's Edit ▸ Find action (a second shortcut here would be ambiguous).
        self._reload_filters()

    def _save_columns(self, *_args) -> None:
        QSettings().setValue("actions/columns", self.table.horizontalHeader().saveState())

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            if self.context.selected_action:
                self._select_row(self.context.selected_action)
            if not self.table.currentIndex().isValid():
                # Start on the first open action: that is where the work is.
                plan = self.context.plan
                first = 0
                for r in range(min(self.proxy.rowCount(), 2000)):
                    a = plan.actions.get(self.proxy.index(r, 0).data(ID_ROLE))
                    if a is not None and a.status not in ("done", "cancelled"):
                        first = r
                        break
                self.table.setCurrentIndex(self.proxy.index(first, 0))
                self.table.scrollTo(self.proxy.index(first, 0),
                                    QAbstractItemView.ScrollHint.PositionAtTop)

    # ----- filter bar -------------------------------------------------------------------------

    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.search = QLineEdit()
        self.search.setObjectName("actionsSearch")
        self.search.setPlaceholderText("Search ID, title or owner (Ctrl+F)")
        self.search.setAccessibleName("Search actions")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        self.search.setMinimumWidth(200)
        bar.addWidget(self.search, 2)

        def combo(name: str) -> QComboBox:
            c = QComboBox()
            c.setAccessibleName(name)
            c.setToolTip(name)
            c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            c.setMinimumContentsLength(11)
            c.view().setMinimumWidth(280)  # the list shows whole names even if the box is short
            c.currentIndexChanged.connect(self._apply_filter)
            bar.addWidget(c)
            return c

        self.challenge_filter = combo("Filter by challenge")
        self.owner_filter = combo("Filter by owner")
        self.status_filter = combo("Filter by status")
        self.phase_filter = combo("Filter by phase")
        self.overdue_filter = QCheckBox("&Late")
        self.overdue_filter.setToolTip("Only actions past their deadline or forecast to miss it")
        self.overdue_filter.setAccessibleName("Only late or overdue actions")
        self.overdue_filter.toggled.connect(self._apply_filter)
        self.critical_filter = QCheckBox("C&ritical")
        self.critical_filter.setToolTip("Only actions on the critical path")
        self.critical_filter.setAccessibleName("Only critical actions")
        self.critical_filter.toggled.connect(self._apply_filter)
        bar.addWidget(self.overdue_filter)
        bar.addWidget(self.critical_filter)
        self.count_label = QLabel("")
        self.count_label.setAccessibleName("Number of actions shown")
        bar.addWidget(self.count_label)
        self.add_button = QPushButton("&New action")
        self.add_button.setAccessibleName("Add a new action")
        self.add_button.clicked.connect(self.add_action)
        bar.addWidget(self.add_button)
        return bar

    def _reload_filters(self) -> None:
        plan = self.context.plan
        if plan is None:
            return
        combos = (self.challenge_filter, self.owner_filter, self.status_filter, self.phase_filter)
        keep = [c.currentData() for c in combos]
        for c in combos:
            c.blockSignals(True)
            c.clear()
        self.challenge_filter.addItem("All challenges", None)
        for n, ch in sorted(plan.challenges.items()):
            short = ch.title if len(ch.title) <= 30 else ch.title[:29] + "…"
            self.challenge_filter.addItem(f"{n}. {short}", n)
        self.owner_filter.addItem("All owners", None)
        self.owner_filter.addItem("(no owner)", "")
        for p in sorted(plan.people.values(), key=lambda p: p.name.casefold()):
            self.owner_filter.addItem(p.name, p.id)
        self.status_filter.addItem("All statuses", None)
        for s in ACTION_STATUSES:
            self.status_filter.addItem(s.capitalize(), s)
        self.phase_filter.addItem("All phases", None)
        self.phase_filter.addItem("No phase", 0)
        for n in sorted({a.phase for a in plan.actions.values() if a.phase} | set(plan.phases)):
            name = plan.phases[n].name if n in plan.phases and plan.phases[n].name else ""
            self.phase_filter.addItem(f"Phase {n}" + (f": {name}" if name else ""), n)
        for c, value in zip(combos, keep):
            i = c.findData(value)
            c.setCurrentIndex(i if i >= 0 else 0)
            c.blockSignals(False)
        self._apply_filter()

    def current_filter(self) -> ActionFilter:
        """The filter the bar describes."""
        return ActionFilter(text=self.search.text().strip(),
                            challenge=self.challenge_filter.currentData(),
                            owner=self.owner_filter.currentData(),
                            status=self.status_filter.currentData(),
                            phase=self.phase_filter.currentData(),
                            overdue=self.overdue_filter.isChecked(),
                            critical=self.critical_filter.isChecked())

    def _apply_filter(self, *_args) -> None:
        self.proxy.set_filter(self.current_filter())
        self._update_count()

    def _update_count(self, *_args) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        self.count_label.setText(f"{shown:,} of {total:,}" if shown != total else f"{total:,} actions")

    def _reapply_if_schedule_filter(self) -> None:
        if self.overdue_filter.isChecked() or self.critical_filter.isChecked():
            self._apply_filter()

    def _plan_changed(self, change) -> None:
        if "person" in change.kinds or "phase" in change.kinds:
            self._reload_filters()

    # ----- selection and editing ----------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.context.select_action(current.data(ID_ROLE))

    def _select_row(self, action_id: str) -> None:
        row = self.model.row_of(action_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return
        current = self.table.currentIndex()
        if current.isValid() and current.row() == index.row():
            return
        self.table.setCurrentIndex(index.siblingAtColumn(max(0, current.column())))
        self.table.scrollTo(index)

    def show_refusal(self, message: str) -> None:
        """Show why an edit was refused (the plan is unchanged)."""
        self.banner.setText(f"Not changed: {message}")
        self.banner.show()
        self._banner_timer.start()
        self.context.status_message.emit(f"Not changed: {message.splitlines()[0]}")

    def edit_cell(self, action_id: str, column_key: str) -> QModelIndex:
        """Make ``action_id``'s cell of ``column_key`` current and open its editor."""
        row = self.model.row_of(action_id)
        index = self.proxy.mapFromSource(self.model.index(row, COLUMN_INDEX[column_key]))
        self.table.setCurrentIndex(index)
        self.table.edit(index)
        return index

    def add_action(self) -> None:
        """Add a new action (after the selected one's challenges and owner) and start editing it."""
        plan = self.context.plan
        base = plan.actions.get(self.context.selected_action)
        new_id = plan.next_id("action")
        action = Action(id=new_id, title="New action",
                        challenges=list(base.challenges) if base else [],
                        owner=base.owner if base else None,
                        initiative=base.initiative if base else None)
        try:
            self.context.doc.add("action", action)
        except PlanError as exc:
            self.show_refusal(str(exc))
            return
        self.context.select_action(new_id)
        self._select_row(new_id)
        self.edit_cell(new_id, "title")

    def delete_selected(self) -> None:
        """Delete the selected action after asking (undo brings it back)."""
        aid = self.context.selected_action
        action = self.context.plan.actions.get(aid) if aid else None
        if action is None:
            return
        answer = QMessageBox.question(
            self, "Delete action", f"Delete {aid} '{action.title}' and its links?\n"
            "You can undo this with Edit ▸ Undo.")
        if answer == QMessageBox.StandardButton.Yes:
            self.context.doc.delete("action", aid)
            self.context.select_action("")
