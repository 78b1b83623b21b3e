"""The Milestones view: a fast update mode for project managers.

Pick your name, then work down the list with the keyboard alone: type a date or a comment, Enter
keeps it and moves to the next milestone, Tab moves to the next field (forecast → actual → status
→ comment), Delete clears a cell, Ctrl+Enter marks the milestone achieved today. Slipped
milestones are flagged with the number of working days against their baseline.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QSettings, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QCheckBox, QComboBox,
                               QFrame, QHBoxLayout, QLabel, QLineEdit, QStyledItemDelegate,
                               QTableView, QVBoxLayout)

from planner import operations, rules
from planner.changes import WHOLE, ChangeSet
from planner.dates import short_date
from planner.model import MILESTONE_STATUSES, Milestone, MilestoneStatus
from planner.validate import status_date as rules_status_date
from ui import editors, style
from ui.actions_model import natural_key, shown_value
from ui.columns import Column, Columns, ColumnTableModel
from ui.context import AppContext
from ui.editors import DateEditor, date_edit_keys
from ui.view_common import PlanView

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole + 3

COLUMNS = Columns(
    Column("id", "ID", None, "", 46),
    Column("title", "Milestone", None, "", 206),
    Column("owner", "Owner", None, "", 108),
    Column("baseline", "Baseline", None, "", 82),
    Column("scheduled", "Schedule says", None,
           "The date the schedule gives from the linked work", 92),
    Column("slip", "Slip", None, "Working days between the baseline and the forecast", 152),
    Column("forecast", "Forecast", "forecast",
           "The owner's forecast (type a date; Delete clears it)", 100),
    Column("actual", "Actual", "actual", "", 100),
    Column("status", "Status", "status", "", 84),
    Column("comment", "Comment", "comment", "", 140),
)
COL = COLUMNS.index


class MilestonesModel(ColumnTableModel):
    """Every milestone of the plan; forecast, actual, status and comment edit through the planner."""

    columns = COLUMNS

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self._ids: list[str] = []
        self._row_of: dict[str, int] = {}
        context.document_replaced.connect(self.reload)
        context.plan_changed.connect(self._on_plan_changed)
        context.analysis_changed.connect(self._repaint)
        context.unsaved_changed.connect(lambda _edit: self._repaint())
        self.reload()

    def reload(self) -> None:
        """Rebuild the row list (in baseline order)."""
        self.beginResetModel()
        plan = self.context.plan
        ms = list(plan.milestones.values()) if plan else []
        ms.sort(key=lambda m: (m.baseline or m.forecast or date.max, natural_key(m.id)))
        self._ids = [m.id for m in ms]
        self._row_of = {mid: i for i, mid in enumerate(self._ids)}
        self.endResetModel()

    def milestone(self, row: int) -> Milestone:
        """The milestone on ``row``."""
        return self.context.plan.milestones[self._ids[row]]

    def milestone_or_none(self, row: int) -> Milestone | None:
        """The milestone on ``row``, or None while the rows are being rebuilt for another plan."""
        plan = self.context.plan
        if plan is None or not 0 <= row < len(self._ids):
            return None
        return plan.milestones.get(self._ids[row])

    def row_of(self, mid: str) -> int:
        """Row of milestone ``mid`` (-1 if absent)."""
        return self._row_of.get(mid, -1)

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._ids)

    def forecast_of(self, mid: str):
        """The engine's forecast for a milestone, or None."""
        analysis = self.context.analysis
        return analysis.milestones.get(mid) if analysis is not None else None

    def slip_days(self, m: Milestone) -> int | None:
        """Working days late against the baseline (None if it cannot be told)."""
        f = self.forecast_of(m.id)
        return f.slip_days if f is not None else None

    def is_slipped(self, m: Milestone) -> bool:
        """Missed, or forecast (or achieved) later than its baseline (``planner.rules.is_slipped``)."""
        return rules.is_slipped(m, self.slip_days(m))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        plan = self.context.plan
        m = plan.milestones.get(self._ids[index.row()])
        if m is None:
            return None
        key = COLUMNS[index.column()].key
        if role == ID_ROLE:
            return m.id
        if role in (Qt.ItemDataRole.EditRole, VALUE_ROLE):
            return getattr(m, key) if COLUMNS[index.column()].field else None
        if self.context.unsaved is not None:
            unsaved = self.unsaved_cell(self.context, "milestone", m.id, index, role,
                                        shown_value)
            if unsaved is not None:
                return unsaved
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(m, key)
        if role == SORT_ROLE:
            if key == "id":
                return natural_key(m.id)
            if key == "slip":
                s = self.slip_days(m)
                return float(s) if s is not None else -1e9
            if key in ("baseline", "forecast", "actual"):
                d = getattr(m, key)
                return d.isoformat() if d else "9999"
            if key == "scheduled":
                f = self.forecast_of(m.id)
                return f.scheduled.isoformat() if f is not None and f.scheduled else "9999"
            return self._display(m, key).casefold()
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "slip" and self.is_slipped(m):
                return QBrush(style.alert_colour() if m.status == MilestoneStatus.PLANNED
                              else style.muted_text())
            if key == "status" and m.status == MilestoneStatus.MISSED:
                return QBrush(style.alert_colour())
            if key == "status" and m.status == MilestoneStatus.ACHIEVED:
                return QBrush(style.good_colour())
        if role == Qt.ItemDataRole.FontRole and key == "slip" and self.is_slipped(m) and \
                m.status == MilestoneStatus.PLANNED:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "title":
                return m.title + ("\nA governance date (board or committee)." if m.governance else "")
            if key == "scheduled":
                f = self.forecast_of(m.id)
                if f is not None and f.disagrees:
                    return "The owner's forecast and the schedule disagree."
            if key == "title" and m.governance:
                return "A governance date (board or committee)."
            if key == "comment" and m.comment:
                return m.comment
        return None

    def _display(self, m: Milestone, key: str) -> str:
        plan = self.context.plan
        if key == "id":
            return m.id
        if key == "title":
            return ("◆ " if m.governance else "") + m.title
        if key == "owner":
            return plan.people[m.owner].name if m.owner in plan.people else (m.owner or "")
        if key in ("baseline", "forecast", "actual"):
            return short_date(getattr(m, key))
        if key == "scheduled":
            f = self.forecast_of(m.id)
            if f is None:
                return "…" if self.context.analysis_pending else ""
            mark = " ≠" if f.disagrees else ""
            return short_date(f.scheduled) + mark
        if key == "slip":
            slip = self.slip_days(m)
            if slip is None or m.status == MilestoneStatus.CANCELLED:
                return ""
            # "75 working days late", "3 working days early", "on time": the words of the RAG
            # reasons, the deck's notes and the Overview (it said "75 days late" of working days)
            flag = "⚠ " if slip > 0 and m.status == MilestoneStatus.PLANNED else ""
            return flag + rules.slip_text(slip)
        if key == "status":
            return m.status
        if key == "comment":
            return m.comment
        return ""

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        field = COLUMNS[index.column()].field
        if not field:
            return False
        m = self.milestone(index.row())
        if field == "comment":
            value = str(value or "").strip()
        if getattr(m, field) == value:
            return False
        return self.update(m.id, **{field: value})

    def update(self, mid: str, **fields) -> bool:
        """Change a milestone through the window's one path; False if refused.

        An actual date after the plan's status date (but not after today) is recorded only if the
        user agrees to move the status date on to it, in the same undoable step (issue 10).
        """
        move = confirm_status_move(self.context, operations.later_actual(self.context.doc, mid,
                                                                           **fields))
        if move is None:
            return False
        return self.context.run(operations.edit_milestone, mid, move_status_date=move,
                                **fields) is not None

    def _on_plan_changed(self, change: ChangeSet) -> None:
        if not change.touches("milestone", "person"):
            return
        if change.people or "milestone" in change.reshaped:
            self.reload()
            return
        for mid in change.milestones:
            row = self._row_of.get(mid)
            if row is not None:
                self.repaint_rows(row, row)

    def _repaint(self) -> None:
        self.repaint_rows()


def confirm_status_move(context: AppContext, later: date | None) -> bool | None:
    """For an actual date ``later`` than the plan's status date: True if the user agrees to move
    the status date on to it, None (refused, with the reason shown) if not; False when there is
    nothing to ask."""
    if later is None:
        return False
    status = rules_status_date(context.plan)
    if editors.confirm_later_actual(later, status):
        return True
    context.refuse(f"The actual date {short_date(later)} is after the plan's status date "
                   f"({short_date(status)}), so it was not recorded.")
    return None


class MilestonesFilter(QSortFilterProxyModel):
    """Filters milestones by owner, open only and slipped only."""

    def __init__(self, source: MilestonesModel, parent=None):
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        # Rows stay put while they are edited (an achieved milestone leaves "Open only" at the
        # next filter change, not under the cursor).
        self.setDynamicSortFilter(False)
        self.owner: str | None = None
        self.open_only = False
        self.slipped_only = False
        self._source = source

    def set_filter(self, owner: str | None, open_only: bool, slipped_only: bool) -> None:
        """Apply new filter settings."""
        self.beginFilterChange()
        self.owner, self.open_only, self.slipped_only = owner, open_only, slipped_only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row, parent):  # noqa: N802
        m = self._source.milestone_or_none(row)
        if m is None:
            return False
        if self.owner is not None and (m.owner or "") != self.owner:
            return False
        if self.open_only and m.status != MilestoneStatus.PLANNED:
            return False
        if self.slipped_only and not self._source.is_slipped(m):
            return False
        return True

    def lessThan(self, left, right):  # noqa: N802
        lv, rv = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return lv < rv
        except TypeError:
            return str(lv) < str(rv)


class MilestoneDelegate(QStyledItemDelegate):
    """Typed dates for forecast and actual, a status list, a line for the comment."""

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context

    def eventFilter(self, editor, event):  # noqa: N802
        if date_edit_keys(editor, event):
            return True  # the editor stays open and says why the text is not a date
        return super().eventFilter(editor, event)

    def createEditor(self, parent, option, index):  # noqa: N802
        key = COLUMNS[index.column()].key
        if key in ("forecast", "actual"):
            editor = DateEditor(parent, plan=self.context.plan)
        elif key == "status":
            editor = QComboBox(parent)
            editor.addItems(MILESTONE_STATUSES)
        else:
            editor = QLineEdit(parent)
        editor.setAccessibleName(f"Edit {COLUMNS[index.column()].header.lower()}")
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        key = COLUMNS[index.column()].key
        value = index.data(VALUE_ROLE)
        if key in ("forecast", "actual"):
            suggest = None
            if value is None:
                # Up and Down on an empty date start from a useful day; nothing is stored unless
                # a date is typed, so tabbing through an empty actual never marks it achieved.
                m = index.model().sourceModel().milestone(index.model().mapToSource(index).row()) \
                    if hasattr(index.model(), "sourceModel") else None
                suggest = (m.baseline if key == "forecast" and m is not None and m.baseline
                           else date.today())
            editor.set_value(value, suggest=suggest)
        elif key == "status":
            editor.setCurrentIndex(max(0, editor.findText(value or MilestoneStatus.PLANNED)))
        else:
            editor.setText(value or "")

    def setModelData(self, editor, model, index):  # noqa: N802
        key = COLUMNS[index.column()].key
        if key in ("forecast", "actual"):
            ok, value = editor.read(self.context.refuse)  # never stored as another day
            if not ok or value == index.data(VALUE_ROLE):
                return  # looked at, not changed
        elif key == "status":
            value = editor.currentText()
        else:
            value = editor.text()
        model.setData(index, value, Qt.ItemDataRole.EditRole)


class MilestonesTable(QTableView):
    """Enter keeps an edit and moves down a row; Delete clears a date or comment."""

    def closeEditor(self, editor, hint):  # noqa: N802
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            idx = self.currentIndex()
            below = idx.sibling(idx.row() + 1, idx.column())
            if below.isValid():
                self.setCurrentIndex(below)

    def keyPressEvent(self, event):  # noqa: N802
        idx = self.currentIndex()
        if idx.isValid() and self.state() != QAbstractItemView.State.EditingState:
            key = COLUMNS[idx.column()].key
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and key in (
                    "forecast", "actual", "comment"):
                self.model().setData(idx, "" if key == "comment" else None)
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    event.modifiers() == Qt.KeyboardModifier.NoModifier and \
                    idx.flags() & Qt.ItemFlag.ItemIsEditable:
                self.edit(idx)
                return
        super().keyPressEvent(event)


class MilestonesView(PlanView):
    """Fast milestone updates for a project manager, keyboard first."""

    def __init__(self, context: AppContext, parent=None):
        super().__init__(context, "milestonesView", "Milestones view", parent)
        self.model = MilestonesModel(context, self)
        self.proxy = MilestonesFilter(self.model, self)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 4)
        bar = QHBoxLayout()
        label = QLabel("&Owner:")
        self.owner_filter = QComboBox()
        self.owner_filter.setObjectName("milestoneOwner")
        self.owner_filter.setAccessibleName("Show milestones of owner")
        self.owner_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        label.setBuddy(self.owner_filter)
        self.owner_filter.currentIndexChanged.connect(self._apply_filter)
        self.open_only = QCheckBox("Open o&nly")  # Alt+P is the Plan menu
        self.open_only.setAccessibleName("Only milestones not yet achieved")
        self.open_only.setChecked(QSettings().value("milestones/openOnly", "true") in (True, "true"))
        self.open_only.toggled.connect(self._apply_filter)
        self.slipped_only = QCheckBox("&Slipped only")
        self.slipped_only.setAccessibleName("Only slipped milestones")
        self.slipped_only.toggled.connect(self._apply_filter)
        self.count_label = QLabel("")
        bar.addWidget(label)
        bar.addWidget(self.owner_filter)
        bar.addWidget(self.open_only)
        bar.addWidget(self.slipped_only)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        outer.addLayout(bar)

        self.hint = QLabel("Type to change the current cell · Enter keeps it and moves down · "
                           "Tab: next field · Delete clears · Ctrl+Enter: achieved today")
        self.hint.setObjectName("milestonesHint")
        self.hint.setStyleSheet(f"color: {style.muted_text().name()};")
        outer.addWidget(self.hint)
        outer.addWidget(self.banner)

        self.table = MilestonesTable()
        self.table.setObjectName("milestonesTable")
        self.table.setAccessibleName("Milestones table")
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(MilestoneDelegate(context, self.table))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL["baseline"], Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setTabKeyNavigation(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        for i, c in enumerate(COLUMNS):
            self.table.setColumnWidth(i, c.width)
        self.table.horizontalHeader().setStretchLastSection(True)
        outer.addWidget(self.table, 3)
        self.detail = QLabel("")
        self.detail.setObjectName("milestoneWhy")
        self.detail.setAccessibleName("Why the current milestone has its date")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setFrameShape(QFrame.Shape.StyledPanel)
        self.detail.setMargin(8)
        outer.addWidget(self.detail, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_why())
        context.analysis_changed.connect(lambda: self._show_why() if self.isVisible() else None)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.mark_achieved,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut).setWhatsThis(
                "Mark the current milestone achieved today")
        self.model.modelReset.connect(self._update_count)
        context.document_replaced.connect(self._on_document_replaced)
        self._reload_owners()

    def showEvent(self, event):  # noqa: N802
        self._show_why()
        super().showEvent(event)

    def changeEvent(self, event):  # noqa: N802
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.PaletteChange:
            self.hint.setStyleSheet(f"color: {style.muted_text().name()};")
        super().changeEvent(event)

    def _on_document_replaced(self) -> None:
        """Another plan: "Slipped only" is off again (the owner and "Open only" are the user's
        remembered choices and stay, when the owner is in this plan too)."""
        self.slipped_only.blockSignals(True)
        self.slipped_only.setChecked(False)
        self.slipped_only.blockSignals(False)
        self._reload_owners()

    def _reload_owners(self) -> None:
        plan = self.context.plan
        if plan is None:
            return
        keep = self.owner_filter.currentData()
        if keep is None and self.owner_filter.count() == 0:
            keep = QSettings().value("milestones/owner")
        self.owner_filter.blockSignals(True)
        self.owner_filter.clear()
        self.owner_filter.addItem("Everyone", None)
        owners = {m.owner for m in plan.milestones.values() if m.owner}
        for p in sorted((plan.people[o] for o in owners if o in plan.people),
                        key=lambda p: p.name.casefold()):
            n = sum(1 for m in plan.milestones.values() if m.owner == p.id)
            self.owner_filter.addItem(f"{p.name} ({n})", p.id)
        i = self.owner_filter.findData(keep)
        self.owner_filter.setCurrentIndex(i if i >= 0 else 0)
        self.owner_filter.blockSignals(False)
        self._apply_filter()

    def apply_change(self, change: ChangeSet) -> None:
        if change.people or change.fields_of("milestone") & {WHOLE, "owner"}:
            self._reload_owners()
        self._update_count()

    def focus_start(self) -> None:
        """Where Ctrl+5 puts the keyboard: the first forecast (docs/ui.md), or the cell the user
        was last on if they were already working down the list."""
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, COL["forecast"]))
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_owner(self, person_id: str | None) -> None:
        """Show only ``person_id``'s milestones (None = everyone)."""
        i = self.owner_filter.findData(person_id)
        if i >= 0:
            self.owner_filter.setCurrentIndex(i)

    def _apply_filter(self, *_args) -> None:
        owner = self.owner_filter.currentData()
        self.proxy.set_filter(owner, self.open_only.isChecked(), self.slipped_only.isChecked())
        if self.owner_filter.count():
            QSettings().setValue("milestones/owner", owner)
            QSettings().setValue("milestones/openOnly", self.open_only.isChecked())
        self._update_count()
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, COL["forecast"]))

    def _update_count(self, *_args) -> None:
        shown = self.proxy.rowCount()
        slipped = 0
        for r in range(shown):
            m = self.model.milestone_or_none(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            if m is not None and self.model.is_slipped(m):
                slipped += 1
        self.count_label.setText(f"{shown} milestone{'s' if shown != 1 else ''}"
                                 + (f", {slipped} slipped" if slipped else ""))

    def _show_why(self) -> None:
        m = self.current_milestone()
        analysis = self.context.analysis
        if m is None:
            self.detail.setText("")
            return
        head = f"<b>{m.id}  {m.title}</b>" + (f"<br>Comment: {m.comment}" if m.comment else "")
        why = ""
        if analysis is not None:
            try:
                import graph
                why = graph.why(self.context.plan, m.id, analysis=analysis).text
            except Exception as exc:  # an explanation must never break the update screen
                why = f"(No explanation: {exc})"
        body = "<br>".join(line.replace("<", "&lt;") for line in why.splitlines())
        self.detail.setText(f"{head}<br>{body}")

    def show_milestone(self, mid: str) -> None:
        """Make milestone ``mid`` current (widening the filter if it is hidden)."""
        row = self.model.row_of(mid)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, COL["forecast"]))
        if not index.isValid():
            self.owner_filter.setCurrentIndex(0)
            self.open_only.setChecked(False)
            self.slipped_only.setChecked(False)
            index = self.proxy.mapFromSource(self.model.index(row, COL["forecast"]))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.setFocus()

    def current_milestone(self) -> Milestone | None:
        """The milestone on the current row."""
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        return self.model.milestone_or_none(self.proxy.mapToSource(idx).row())

    def mark_achieved(self) -> None:
        """Mark the current milestone achieved today."""
        m = self.current_milestone()
        if m is None:
            return
        move = confirm_status_move(self.context, operations.later_actual(
            self.context.doc, m.id, status="achieved", actual=m.actual or date.today()))
        if move is None:
            return
        if self.context.run(operations.mark_achieved, m.id, move_status_date=move) is not None:
            self.context.status_message.emit(f"{m.id} marked achieved.")
