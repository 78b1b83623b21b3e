"""The starting-point wizard: the engine's ranked recommendations with their reasons; the leader
picks starting challenges or actions, previews phase 1 and the schedule that follows, then applies
it as one undoable step."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QSplitter, QStyledItemDelegate,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWizard, QWizardPage)

from planner import operations
from planner.errors import PlanError
from planner.model import ActionStatus
from planner.dates import short_date
from ui import style
from ui.context import AppContext
from ui.widgets import OperationBanner

CHOICE_ROLE = Qt.ItemDataRole.UserRole


class WrappingDelegate(QStyledItemDelegate):
    """Rows of a tree grow to show their cells' text whole, wrapped at the column's width."""

    def __init__(self, tree: QTreeWidget):
        super().__init__(tree)
        self.tree = tree
        tree.header().sectionResized.connect(lambda *_: tree.scheduleDelayedItemsLayout())

    def sizeHint(self, option, index):  # noqa: N802
        base = super().sizeHint(option, index)
        text = index.data() or ""
        width = self.tree.header().sectionSize(index.column()) - 10  # the cell's text margins
        if width <= 0 or not text:
            return base
        needed = option.fontMetrics.boundingRect(QRect(0, 0, width, 10_000),
                                                 int(Qt.TextFlag.TextWordWrap), text).height()
        return QSize(base.width(), max(base.height(), needed + 4))


class ChoosePage(QWizardPage):
    """Page 1: ranked challenges (with reasons) and actions that can start now; tick a few."""

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.setTitle("Where should the programme start?")
        self.setSubTitle("The challenges are ranked by how far they are from their target, how much "
                         "other work waits on them and how ready they are. Tick the challenges or "
                         "actions to start with (a few is best).")
        lay = QHBoxLayout(self)
        left = QVBoxLayout()
        lab = QLabel("&Recommended starting challenges")
        self.challenges = QListWidget()
        self.challenges.setObjectName("wizardChallenges")
        self.challenges.setAccessibleName("Recommended starting challenges")
        self.challenges.setWordWrap(True)
        self.challenges.setAlternatingRowColors(True)
        lab.setBuddy(self.challenges)
        left.addWidget(lab)
        left.addWidget(self.challenges, 1)
        right = QVBoxLayout()
        lab2 = QLabel("Or start with &actions that can begin now")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by ID or title")
        self.filter.setAccessibleName("Filter actions that can start now")
        self.filter.setClearButtonEnabled(True)
        self.actions = QListWidget()
        self.actions.setObjectName("wizardActions")
        self.actions.setAccessibleName("Actions that can start now")
        lab2.setBuddy(self.actions)
        right.addWidget(lab2)
        right.addWidget(self.filter)
        right.addWidget(self.actions, 1)
        lay.addLayout(left, 3)
        lay.addLayout(right, 2)
        self.filter.textChanged.connect(self._filter_actions)
        self.challenges.itemChanged.connect(lambda _i: self.completeChanged.emit())
        self.actions.itemChanged.connect(lambda _i: self.completeChanged.emit())
        self._fill()

    def _fill(self) -> None:
        plan, analysis = self.context.plan, self.context.analysis
        if analysis is None:
            self.challenges.addItem("The plan cannot be scheduled yet: "
                                    + (self.context.analysis_error or "still working…"))
            return
        try:
            recommendations = list(analysis.recommendations)
            ready = list(analysis.ready_now)
        except Exception as exc:  # say so rather than fail to open
            self.challenges.addItem(f"The recommendations could not be worked out "
                                    f"({type(exc).__name__}: {exc}).")
            return
        for rank, rec in enumerate(recommendations, 1):
            text = f"{rank}.  Challenge {rec.challenge}: {rec.title}  (score {rec.score:.0f})\n{rec.reason}"
            item = QListWidgetItem(text)
            item.setData(CHOICE_ROLE, f"C{rec.challenge}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setForeground(self.palette().text())
            item.setToolTip(rec.reason)
            chip = style.challenge_colour(rec.challenge)
            item.setData(Qt.ItemDataRole.DecorationRole, chip)
            self.challenges.addItem(item)
        for aid in ready:
            a = plan.actions[aid]
            item = QListWidgetItem(f"{aid}  {a.title}")
            item.setData(CHOICE_ROLE, aid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.actions.addItem(item)
        if not ready:
            self.actions.addItem("No action is ready to start right now.")
        self.challenges.setCurrentRow(0)

    def _filter_actions(self, text: str) -> None:
        needle = text.casefold()
        for i in range(self.actions.count()):
            item = self.actions.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def starts(self) -> list[str]:
        """The ticked starting points, e.g. ['C4', 'A12']."""
        out = []
        for lst in (self.challenges, self.actions):
            for i in range(lst.count()):
                item = lst.item(i)
                if item.data(CHOICE_ROLE) and item.checkState() == Qt.CheckState.Checked:
                    out.append(item.data(CHOICE_ROLE))
        return out

    def set_starts(self, starts: list[str]) -> None:
        """Tick exactly ``starts`` (for tests and for reopening the wizard)."""
        for lst in (self.challenges, self.actions):
            for i in range(lst.count()):
                item = lst.item(i)
                if item.data(CHOICE_ROLE):
                    item.setCheckState(Qt.CheckState.Checked if item.data(CHOICE_ROLE) in starts
                                       else Qt.CheckState.Unchecked)

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.starts())


class PreviewPage(QWizardPage):
    """Page 2: which actions phase 1 would hold and why, and the schedule that follows."""

    def __init__(self, context: AppContext, choose: ChoosePage, parent=None):
        super().__init__(parent)
        self.context = context
        self.choose = choose
        self.changes = []
        self.preview = None
        self.ready = False
        self.task = None
        self.setTitle("Phase 1 and the resulting schedule")
        self.setSubTitle("Nothing is changed until you press Apply; it is then one step you can undo.")
        lay = QVBoxLayout(self)
        self.summary = QLabel("")
        self.summary.setObjectName("wizardSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.summary)
        self.banner = OperationBanner(context, self)  # a refused Apply shows here, as everywhere
        lay.addWidget(self.banner)
        split = QSplitter(Qt.Orientation.Vertical)
        self.tree = QTreeWidget()
        self.tree.setObjectName("wizardChanges")
        self.tree.setAccessibleName("Phase changes")
        self.tree.setHeaderLabels(["ID", "Action", "Phase now", "Phase then", "Why"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # the Why column is read, not glanced at: long reasons wrap onto more lines (issue 10)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.header().setStretchLastSection(True)
        for i, w in enumerate((50, 240, 74, 74)):
            self.tree.setColumnWidth(i, w)
        self.schedule = QTreeWidget()
        self.schedule.setObjectName("wizardSchedule")
        self.schedule.setAccessibleName("Phase 1 schedule")
        self.schedule.setHeaderLabels(["ID", "Phase 1 action", "Start", "Finish", "Critical"])
        self.schedule.setRootIsDecorated(False)
        self.schedule.setAlternatingRowColors(True)
        for i, w in enumerate((50, 330, 96, 96)):
            self.schedule.setColumnWidth(i, w)
        split.addWidget(self.tree)
        split.addWidget(self.schedule)
        lay.addWidget(split, 1)

    def initializePage(self) -> None:  # noqa: N802
        from ui.context import BACKGROUND_ACTIONS
        from ui.workers import Task

        plan = self.context.plan
        starts = self.choose.starts()
        self.tree.clear()
        self.schedule.clear()
        self.changes, self.preview, self.ready = [], None, False
        if len(plan.actions) >= BACKGROUND_ACTIONS:
            # A big plan takes a moment to re-sequence: keep the window responsive meanwhile.
            self.summary.setText("<i>Working out phase 1 and the schedule…</i>")
            self.task = Task(preview_starting_points, plan, starts)
            self.task.done.connect(lambda result: self._show(starts, result))
            self.task.failed.connect(lambda exc: self._show(starts, exc))
            self.task.start()
        else:
            try:
                result = preview_starting_points(plan, starts)
            except PlanError as exc:
                result = exc
            self._show(starts, result)

    def isComplete(self) -> bool:  # noqa: N802
        return self.ready

    def _show(self, starts: list[str], result) -> None:
        if isinstance(result, BaseException):
            self.summary.setText(f"<b>This cannot be previewed:</b> {result}")
            self.ready = False
            self.completeChanged.emit()
            return
        self.changes, self.preview = result["changes"], result["analysis"]
        for c in self.changes:
            item = QTreeWidgetItem([c.action_id, c.title, "none" if c.old is None else str(c.old),
                                    "none" if c.new is None else str(c.new), c.reason])
            item.setToolTip(4, c.reason)
            item.setToolTip(1, c.title)
            self.tree.addTopLevelItem(item)
        phase1 = result["phase1"]
        for aid, title, start, finish, critical in phase1[:2000]:
            self.schedule.addTopLevelItem(QTreeWidgetItem(
                [aid, title, short_date(start), short_date(finish), "yes" if critical else ""]))
        now = self.context.analysis
        finish_now = now.plan_finish if now is not None else None
        finish_then = self.preview.plan_finish
        p1_finish = max((row[3] for row in phase1), default=None)
        forward = sum(1 for c in self.changes if "needs it first" in c.reason)
        names = ", ".join(starts)
        parts = [f"Starting from <b>{names}</b>: phase 1 would hold <b>{len(phase1)}</b> open "
                 f"actions; <b>{len(self.changes)}</b> actions change phase"
                 + (f" ({forward} brought forward because chosen work needs them)" if forward else "")
                 + "."]
        if p1_finish:
            parts.append(f"Phase 1 work is scheduled to finish on <b>{short_date(p1_finish)}</b>.")
        if finish_then:
            was = f" (now {short_date(finish_now)})" if finish_now and finish_now != finish_then else ""
            parts.append(f"The plan would finish on <b>{short_date(finish_then)}</b>{was}.")
        if not self.changes:
            parts.append("The plan's phases already match these starting points: nothing to apply.")
        self.summary.setText(" ".join(parts))
        self.ready = True
        self.completeChanged.emit()


def preview_starting_points(plan, starts: list[str]) -> dict:
    """Phase changes and the schedule that starting from ``starts`` would give (no Qt; safe to
    run on a pool thread while the wizard is open, since the plan cannot change meanwhile)."""
    import graph

    changes = graph.plan_phases(plan, starts)
    analysis = graph.analyse(plan, starts)
    rows = analysis.rows
    phase1 = [aid for aid, ph in analysis.phases.items() if ph == 1 and aid in rows
              and plan.actions[aid].status not in (ActionStatus.DONE, ActionStatus.CANCELLED)]
    out = []
    for aid in phase1:
        r = rows[aid]
        out.append((aid, plan.actions[aid].title, r.start, r.finish, bool(r.critical)))
    out.sort(key=lambda t: (t[2], t[0]))
    return {"changes": changes, "analysis": analysis, "phase1": out}


class StartingPointWizard(QWizard):
    """Choose where to start, preview phase 1, apply it (one undoable step)."""

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.setObjectName("startingPointWizard")
        self.setWindowTitle("Choose starting points")
        self.setAccessibleName("Starting-point wizard")
        self.context = context
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.choose = ChoosePage(context)
        self.preview = PreviewPage(context, self.choose)
        self.addPage(self.choose)
        self.addPage(self.preview)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Apply phase 1")
        self.applied = 0
        self.resize(980, 640)

    def accept(self) -> None:
        """Apply the previewed phase plan through the planner's operation, as one undoable step."""
        changes = self.preview.changes
        if changes:
            label = f"set phase 1 from starting points {', '.join(self.choose.starts())}"
            proposal = [(c.action_id, c.new) for c in changes]  # the engine's proposal, as data
            change = self.context.run(operations.apply_phase_plan, proposal, label)
            if change is None:
                return
            self.applied = len(change.actions)
            self.context.status_message.emit(
                f"Phase 1 set: {self.applied} actions changed phase (Edit ▸ Undo reverses it).")
        super().accept()
