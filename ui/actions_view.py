"""The Actions view: a sortable, filterable table of every action with in-place editors, and a
detail panel for the selected action's dependencies, co-production and recovery check.

The editors are in ``ui.editors`` and the detail panel in ``ui.actions_detail``; both are
imported here too, so ``from ui.actions_view import DateEditor`` and the like keep working.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QSplitter, QTableView,
                               QVBoxLayout)

from planner import operations
from planner.changes import ChangeSet
from planner.model import ACTION_STATUSES, ActionStatus
from ui.actions_detail import ActionDetail
from ui.actions_model import (COLUMN_INDEX, COLUMNS, ID_ROLE, ActionFilter, ActionsFilterModel,
                              ActionsTableModel)
from ui.context import AppContext
from ui.editors import (ActionsDelegate, ChallengesEditor, DateEditor, paint_challenge_chips,
                        person_combo)
from ui.view_common import PlanView

__all__ = ["ActionDetail", "ActionsDelegate", "ActionsView", "ChallengesEditor",
           "DateEditor", "paint_challenge_chips", "person_combo"]


class ActionsView(PlanView):
    """Every action in a table: filter, sort, edit in place; the selected one in a side panel."""

    def __init__(self, context: AppContext, parent=None):
        super().__init__(context, "actionsView", "Actions view", parent)
        self.model = ActionsTableModel(context, self)
        self.proxy = ActionsFilterModel(self.model, self)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 4)
        outer.setSpacing(6)
        outer.addLayout(self._filter_bar())

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

        self.detail = ActionDetail(context, self.banner)
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

        self.model.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        context.selection_changed.connect(self._select_row)
        context.document_replaced.connect(self._on_document_replaced)
        context.analysis_changed.connect(self._reapply_if_schedule_filter)
        # Ctrl+F is the window's Edit ▸ Find action (a second shortcut here would be ambiguous).
        self._reload_filters()

    def _save_columns(self, *_args) -> None:
        QSettings().setValue("actions/columns", self.table.horizontalHeader().saveState())

    def showEvent(self, event):  # noqa: N802
        self.model.hold(False)  # rows added or removed while off screen: reloaded now
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
                    if a is not None and a.status not in (ActionStatus.DONE, ActionStatus.CANCELLED):
                        first = r
                        break
                self.table.setCurrentIndex(self.proxy.index(first, 0))
                self.table.scrollTo(self.proxy.index(first, 0),
                                    QAbstractItemView.ScrollHint.PositionAtTop)

    def hideEvent(self, event):  # noqa: N802
        super().hideEvent(event)
        self.model.hold(True)

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
        self.critical_filter = QCheckBox("&Critical")
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

    def _on_document_replaced(self) -> None:
        """Another plan is open: its table starts unfiltered (an old search must not make a
        challenge tile open an empty table, issue 10)."""
        self._reload_filters()
        self.clear_filters()

    def clear_filters(self) -> None:
        """Show every action: no search text, every list on "All", Late and Critical off."""
        boxes = (self.search, self.challenge_filter, self.owner_filter, self.status_filter,
                 self.phase_filter, self.overdue_filter, self.critical_filter)
        for w in boxes:
            w.blockSignals(True)
        self.search.clear()
        for combo in (self.challenge_filter, self.owner_filter, self.status_filter,
                      self.phase_filter):
            combo.setCurrentIndex(0)
        self.overdue_filter.setChecked(False)
        self.critical_filter.setChecked(False)
        for w in boxes:
            w.blockSignals(False)
        self._apply_filter()

    def show_challenge(self, number: int) -> None:
        """Show exactly the actions serving challenge ``number`` (what its Overview tile counts)."""
        self.clear_filters()
        i = self.challenge_filter.findData(number)
        if i >= 0:
            self.challenge_filter.setCurrentIndex(i)
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self.table.setFocus()

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

    def apply_change(self, change: ChangeSet) -> None:
        if change.touches("person", "phase"):
            self._reload_filters()

    # ----- selection and editing ----------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.context.select_action(current.data(ID_ROLE))

    def _select_row(self, action_id: str) -> None:
        if self.model.reload_due:  # off screen: selected when shown, once the rows are reloaded
            return
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

    def edit_cell(self, action_id: str, column_key: str) -> QModelIndex:
        """Make ``action_id``'s cell of ``column_key`` current and open its editor."""
        row = self.model.row_of(action_id)
        index = self.proxy.mapFromSource(self.model.index(row, COLUMN_INDEX[column_key]))
        self.table.setCurrentIndex(index)
        self.table.edit(index)
        return index

    def add_action(self) -> None:
        """Add a new action after the selected one (its challenges, owner, initiative) and edit it."""
        change = self.context.run(operations.add_action_after, self.context.selected_action)
        if change is None:
            return
        (new_id,) = change.actions
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
        if answer == QMessageBox.StandardButton.Yes and \
                self.context.run(operations.delete_action, aid) is not None:
            self.context.select_action("")
