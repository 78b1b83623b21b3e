"""The Actions view's side panel: the selected action's dependencies (what it waits for, what
waits for it), co-production and recovery check, all edited through ``context.run`` and the
planner's operations; a refusal shows in the Actions view's banner, as everywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QFrame, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QListWidgetItem, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from planner import operations
from planner.dates import short_date
from ui.context import AppContext
from ui.view_common import chosen_action
from ui.widgets import OperationBanner, RefreshWhenShown, elided_list


class ActionDetail(RefreshWhenShown, QScrollArea):
    """The selected action: what it waits for (add, remove), what waits for it, co-production and
    the recovery check (does it increase or decrease control, opportunity and hope?)."""

    CHECK_CHOICES = [("not checked yet", None), ("increases (+1)", 1), ("no change (0)", 0),
                     ("decreases (−1)", -1)]

    def __init__(self, context: AppContext, banner: OperationBanner | None = None, parent=None):
        super().__init__(parent)
        self.banner = banner  # the view's banner, for notes after an edit (refusals show there too)
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
        # the initiative it belongs to and why it comes in this order (the starter's rationale)
        self.rationale_label = QLabel("")
        self.rationale_label.setWordWrap(True)
        self.rationale_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.rationale_label)

        deps = QGroupBox("Waits for")
        dl = QVBoxLayout(deps)
        self.needs_list = elided_list("Actions this action waits for", 84)
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
        add_label = QLabel("Add an action it &waits for:")  # Alt+W: the keyboard way in
        add_label.setBuddy(self.add_combo)
        dl.addWidget(add_label)
        dl.addLayout(row)
        dl.addWidget(self.remove_button)
        lay.addWidget(deps)

        succ = QGroupBox("Needed by")
        sl = QVBoxLayout(succ)
        self.succ_list = elided_list("Actions that wait for this action", 72)
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

        context.selection_changed.connect(self.show_action)
        context.plan_changed.connect(lambda _c: self.refresh_when_shown())
        context.analysis_changed.connect(self._refresh_schedule)
        context.document_replaced.connect(lambda: self.show_action(""))
        self.show_action("")

    # ----- showing --------------------------------------------------------------------------

    def show_action(self, action_id: str) -> None:
        """Show ``action_id`` (or nothing)."""
        self.action_id = action_id
        self.refresh()

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
                self.rationale_label.setText("")
                return
            self.heading.setText(f"{action.id}  {action.title}")
            init = plan.initiatives.get(action.initiative) if action.initiative else None
            self.rationale_label.setText(
                "" if init is None else f"Initiative {init.id}: {init.title}"
                + (f"\nWhy this order: {init.rationale}" if init.rationale else ""))
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
        crit = "  On the critical path." if row.critical else (
            f"  Float {row.float_days} working day{'s' if row.float_days != 1 else ''}.")
        self.schedule_label.setText(f"{short_date(row.start)} → {short_date(row.finish)}.{crit}\n"
                                    f"{row.driver}")

    # ----- editing ----------------------------------------------------------------------------

    def _note(self, text: str) -> None:
        if self.banner is not None:
            self.banner.show_message(text, "info")
        self.context.status_message.emit(text)

    def add_dependency(self, needs: str) -> bool:
        """Make the shown action wait for ``needs``; a refused link shows the planner's message."""
        if not self.action_id:
            return False
        if self.context.run(operations.add_dependency, self.action_id, needs) is None:
            return False
        self._note(f"{self.action_id} now waits for {needs}.")
        return True

    def add_dependency_from_form(self) -> None:
        """Add the link typed or picked in the combo box (the Graph's rule: ``chosen_action``;
        typed text is matched against every action but this one, also when the plan is too big
        for the list to offer them)."""
        plan = self.context.plan
        entries = {a.id: f"{a.id}  {a.title}" for a in plan.actions.values()
                   if a.id != self.action_id}
        needs, why_not = chosen_action(self.add_combo, entries, lambda aid: plan.actions[aid].title)
        if needs is None:
            self.context.refuse(why_not)
            return
        self.add_dependency(needs)

    def remove_selected_dependency(self) -> None:
        """Remove the link selected in "Waits for"."""
        item = self.needs_list.currentItem() or (self.needs_list.item(0)
                                                 if self.needs_list.count() == 1 else None)
        if item is None:
            self.context.refuse("Select the link to remove.")
            return
        self.context.run(operations.remove_dependency, item.data(Qt.ItemDataRole.UserRole + 1))

    def _update(self, **fields) -> None:
        if self._loading or not self.action_id:
            return
        if self.context.run(operations.edit_action, self.action_id, **fields) is None:
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
