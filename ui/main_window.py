"""The main window: a plan header, a side navigator over the views, menus, undo and redo.

The views come from ui/registry.py (navigator, View menu and F1 list all read it); every edit goes
through ``AppContext.run`` (ui/context.py), and Undo and Redo too.

There is no "Save": every edit is written to the plan file when it is made, and the status bar
says so. Opening a file is never an undoable step; a file that cannot be opened leaves the
current plan open and says why.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (QAction, QActionGroup, QCloseEvent, QFont, QKeySequence, QPainter,
                           QPalette)
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QMainWindow, QProgressBar, QPushButton, QSizePolicy,
                               QStackedWidget, QStatusBar, QVBoxLayout, QWidget)
# Dialogs (QMessageBox, QFileDialog, QInputDialog) are imported where they are opened: making
# their Python types costs start-up about 2 ms and the first window shows none (issue 13).

from planner import places
from planner.document import PlanDocument
from planner.errors import PlanError
from ui import registry, style
from ui.context import AppContext
from ui.widgets import PlanUndoKeys
from ui.plan_watch import PlanWatch
from ui.unsaved import UnsavedBanner

REPO = Path(__file__).resolve().parent.parent
SAMPLE_PLAN = REPO / "sample_plans" / "northmoor.rcplan"
MAX_RECENT = 8
SAVED_TEXT = "Every change is saved in the plan file as you make it: there is nothing to save."
PLAN_FILTER = "Recovery plans (*.rcplan);;All files (*)"
EXCEL_FILTER = "Excel workbooks (*.xlsx)"

def settings() -> QSettings:
    """The user's settings (window layout, recent files, last plan, theme)."""
    return QSettings()


def setting_list(value: object) -> list[str]:
    """A list read back from QSettings: a one-entry list comes back as a plain string (issue 10)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v]


def user_data_dir() -> Path:
    """The per-user folder where the bundled sample is copied before it is opened."""
    return places.data_folder()


def user_copy_of_sample(sample: Path = SAMPLE_PLAN) -> Path:
    """A copy of the bundled sample in the user's data folder (made once), so the bundled file
    is never changed by editing it; a copy left in the old (doubled) data folder is moved."""
    target = places.found_in_data_folder(sample.name)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        import shutil  # once, at the first start: not part of every start

        shutil.copyfile(sample, tmp)
        os.replace(tmp, target)
    return target


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
        parts = [f"Status date (as of): <b>{s.as_of:%d %B %Y}</b>" if s.as_of
                 else "Status date: <b>not set</b>"]
        analysis = self.context.analysis
        if analysis is not None and analysis.plan_finish:
            parts.append(f"Plan finishes: <b>{analysis.plan_finish:%d %b %Y}</b>")
        elif self.context.analysis_pending:
            parts.append("Scheduling…")
        self.as_of.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))


class MainWindow(QMainWindow):
    """The Recovery Change Planner window."""

    view_changed = Signal(str)

    def __init__(self, context: AppContext | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Recovery Change Planner")
        self.context = context or AppContext(parent=self)
        self.watch = PlanWatch(self.context, self)  # lock heartbeat, saves by others (issue 9)
        self.views: dict[str, QWidget] = {}
        self._tasks = []
        self.closed_cleanly = False  # closeEvent saved the layout and closed the plan

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = PlanHeader(self.context)
        outer.addWidget(self.header)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        outer.addWidget(line)

        self.navigator = QListWidget()
        self.navigator.setObjectName("navigator")
        self.navigator.setAccessibleName("Views")
        keys = registry.view_keys()
        self.navigator.setAccessibleDescription(
            f"Choose a view of the plan; {registry.shortcut(keys[0])} to "
            f"{registry.shortcut(keys[min(len(keys), 9) - 1])}")
        nav_font = QFont(self.font())
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.1)
        self.navigator.setFont(nav_font)
        for spec in registry.VIEWS:
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            keys_text = registry.shortcut(spec.key)
            item.setToolTip(f"{spec.title} ({keys_text})" if keys_text else spec.title)
            item.setSizeHint(QSize(0, self.fontMetrics().height() + 16))
            self.navigator.addItem(item)
        widest = max(self.fontMetrics().horizontalAdvance(v.title) for v in registry.VIEWS)
        self.navigator.setFixedWidth(max(150, widest + 60))
        self.navigator.currentRowChanged.connect(self._navigate)
        self.stack = QStackedWidget()
        self.stack.setObjectName("viewStack")
        self.lock_banner = QFrame()
        self.lock_banner.setObjectName("lockBanner")
        self.lock_banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner_row = QHBoxLayout(self.lock_banner)
        self.lock_text = QLabel()
        self.lock_text.setWordWrap(True)
        self.take_over_button = QPushButton("Take over")
        self.take_over_button.setToolTip("Their program seems to have stopped: edit the plan here")
        self.take_over_button.clicked.connect(self.take_over)
        self.reload_button = QPushButton("Reload (F5)")  # every Alt+letter is taken by a view
        self.reload_button.setShortcut(QKeySequence("F5"))
        self.reload_button.setToolTip("Show the plan as it is now saved in the file (F5)")
        self.reload_button.clicked.connect(self.reload_plan)
        self.watch.changed.connect(self._show_lock)
        banner_row.addWidget(self.lock_text, 1)
        banner_row.addWidget(self.reload_button)
        banner_row.addWidget(self.take_over_button)
        self.lock_banner.hide()
        outer.addWidget(self.lock_banner)
        self.unsaved_banner = UnsavedBanner(self.context)
        outer.addWidget(self.unsaved_banner)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.navigator)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.setStatusBar(PlanStatusBar())
        self.saved_label = QLabel("Every change is saved as you make it")
        self.saved_label.setObjectName("savedLabel")
        self.saved_label.setToolTip(SAVED_TEXT)
        self.saved_label.setAccessibleName("Save state")
        self.busy = QProgressBar()
        self.busy.setObjectName("schedulingProgress")
        self.busy.setAccessibleName("Scheduling the plan")
        self.busy.setRange(0, 0)  # busy: the engine gives no estimate
        self.busy.setFormat("Scheduling…")
        self.busy.setMaximumWidth(160)
        self.busy.setMaximumHeight(self.fontMetrics().height() + 4)
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        divider = QFrame()
        divider.setFrameShape(QFrame.Shape.VLine)
        divider.setFrameShadow(QFrame.Shadow.Sunken)
        self.statusBar().addPermanentWidget(divider)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.context.unsaved_changed.connect(lambda _edit: self._show_save_state())
        self.context.status_message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.context.plan_changed.connect(self._after_change)
        self.context.document_replaced.connect(self._after_open)
        self.context.analysis_changed.connect(self._update_title)
        self.context.analysis_changed.connect(self._update_busy)
        self.context.document_replaced.connect(self._update_busy)

        self._build_menus()
        self._undo_keys = PlanUndoKeys(self, self.act_undo, self.act_redo)
        self._restore_layout()

    # ----- menus --------------------------------------------------------------------------

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        act = QAction(self)  # QAction(text, self) makes PySide build QIcon's types (2 ms)
        act.setText(text)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                act.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("&File")
        self.act_new = self._action(m, "&New from template…", self.new_from_template,
                                    QKeySequence.StandardKey.New, "Start a new plan from a template")
        self.act_open = self._action(m, "&Open…", self.choose_and_open, QKeySequence.StandardKey.Open,
                                     "Open a plan file")
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.act_copy = self._action(m, "Save a &copy as…", self.save_copy,
                                     QKeySequence.StandardKey.SaveAs,
                                     "Write a copy of this plan to another file; this one stays open")
        self.act_merge = self._action(m, "&Merge…", self.merge_file, "Ctrl+Shift+M",
                                      "Bring in another copy of this plan, an update pack or an "
                                      "edited workbook")
        self.act_backups = self._action(m, "Bac&kups…", self.show_backups, None,
                                        "See this plan's backups and restore one")
        m.addSeparator()
        self.act_import = self._action(m, "&Import from Excel…", self.import_excel, "Ctrl+I",
                                       "Make a new plan from an Excel workbook")
        self.act_export_xlsx = self._action(m, "&Export to Excel…", self.export_excel, "Ctrl+E",
                                            "Write this plan to an Excel workbook")
        self.act_export_deck = self._action(m, "Export &board deck…", self.export_deck,
                                            "Ctrl+Shift+E", "Write the board update as PowerPoint")
        m.addSeparator()
        # Ctrl+Q as docs/ui.md says, also where the platform has no standard Quit key
        quit_keys = QKeySequence(QKeySequence.StandardKey.Quit)
        self.act_quit = self._action(m, "&Quit", self.close,
                                     "Ctrl+Q" if quit_keys.isEmpty() else quit_keys)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)

        m = mb.addMenu("&Edit")
        self.act_undo = self._action(m, "&Undo", self.undo, QKeySequence.StandardKey.Undo)
        self.act_undo.setWhatsThis("Undo the last change (the Edit menu names it)")
        self.act_redo = self._action(m, "&Redo", self.redo)
        self.act_redo.setWhatsThis("Redo the change just undone")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        m.addSeparator()
        self.act_find = self._action(m, "&Find action…", self.find_action,
                                     QKeySequence.StandardKey.Find)
        self.act_delete = self._action(m, "&Delete action…", self.delete_action,
                                       "Ctrl+Delete", "Delete the selected action")

        m = mb.addMenu("&View")
        group = QActionGroup(self)
        self.view_actions: dict[str, QAction] = {}
        for spec in registry.VIEWS:
            act = self._action(m, spec.title, lambda _=False, k=spec.key: self.go_to_view(k),
                               registry.shortcut(spec.key) or None, spec.summary.capitalize())
            act.setWhatsThis(f"{spec.title}: {spec.summary}")  # its line in the F1 list
            act.setCheckable(True)
            group.addAction(act)
            self.view_actions[spec.key] = act
        m.addSeparator()
        self.act_dark = self._action(m, "&Dark palette", self.toggle_dark)
        self.act_dark.setCheckable(True)

        m = mb.addMenu("&Plan")
        self.act_wizard = self._action(m, "Choose &starting points…", self.open_wizard,
                                       "Ctrl+Shift+P",
                                       "See where to start and put the first phase together")
        self.act_calendar = self._action(m, "&Working days and bank holidays…", self.edit_calendar,
                                         tip="Bank holidays by region (England and Wales, "
                                         "Scotland, Northern Ireland) and the plan's own days off")
        m = mb.addMenu("&Help")
        self._action(m, "&Keyboard shortcuts", self.show_shortcuts, "F1")
        self._action(m, "What the &RAG ratings mean", self.show_rag_help)
        self._action(m, "&About", self.show_about)
        self._update_undo_actions()

    # ----- views -------------------------------------------------------------------------------

    def view(self, key: str) -> QWidget:
        """The view called ``key``, built on first use."""
        if key not in self.views:
            widget = registry.spec(key).make(self.context)
            self.views[key] = widget
            if key == "overview":
                widget.challenge_activated.connect(self.show_challenge_actions)
                widget.record_activated.connect(self.show_record)
            self.stack.addWidget(widget)
        return self.views[key]

    def show_view(self, key: str) -> None:
        """Switch to a view ('overview', 'actions', ...)."""
        self.navigator.setCurrentRow(registry.view_keys().index(key))

    def go_to_view(self, key: str) -> None:
        """Show a view and put the keyboard in it (View menu, Ctrl+1…): where its work starts,
        e.g. the first forecast in Milestones, else its first control."""
        self.show_view(key)
        widget = self.views[key]
        start = getattr(widget, "focus_start", None)
        if callable(start):
            start()
        elif not widget.isAncestorOf(QApplication.focusWidget()):
            widget.focusNextChild()

    def show_challenge_actions(self, number: int) -> None:
        """Open the Actions view filtered to one challenge (from an Overview tile)."""
        self.show_view("actions")
        self.views["actions"].show_challenge(number)

    def show_record(self, ident: str) -> None:
        """Open an action in Actions, or a milestone in Milestones."""
        plan = self.context.plan
        if plan is None:
            return
        if ident in plan.actions:
            self.show_view("actions")
            actions = self.views["actions"]
            if actions.proxy.mapFromSource(actions.model.index(actions.model.row_of(ident), 0)) \
                    .isValid() is False:
                actions.clear_filters()
            self.context.select_action(ident)
            actions._select_row(ident)
            actions.table.setFocus()
        elif ident in plan.milestones:
            self.show_view("milestones")
            self.views["milestones"].show_milestone(ident)

    def current_view_key(self) -> str:
        """The key of the view on screen."""
        row = self.navigator.currentRow()
        return registry.view_keys()[row] if row >= 0 else "overview"

    def _navigate(self, row: int) -> None:
        if row < 0:
            return
        key = registry.view_keys()[row]
        widget = self.view(key)
        self.stack.setCurrentWidget(widget)
        self.view_actions[key].setChecked(True)
        self.view_changed.emit(key)

    # ----- opening --------------------------------------------------------------------------

    def open_plan(self, path: str | os.PathLike, *, quiet: bool = False) -> bool:
        """Open a plan file; on failure say why (dialog unless ``quiet``) and keep the current plan."""
        path = places.current_place(path)
        try:
            if path.resolve() == SAMPLE_PLAN.resolve():
                path = user_copy_of_sample()
            doc = PlanDocument.open(path)
        except (PlanError, OSError) as exc:
            text = str(exc) if isinstance(exc, PlanError) else (
                f"'{path}' could not be opened: {exc.strerror or exc}.")
            if not quiet:
                still = (f"\n\n'{self.context.plan.settings.name}' is still open."
                         if self.context.plan else "")
                from PySide6.QtWidgets import QMessageBox
                QMessageBox.warning(self, "Cannot open the plan", text + still)
            self.statusBar().showMessage(text.splitlines()[0], 15000)
            self.last_open_error = text
            return False
        self.statusBar().clearMessage()  # an old error is not about this plan
        self.context.set_document(doc)
        if doc.backup:
            self.statusBar().showMessage(
                f"The plan was updated to this version; a backup of the old file is at {doc.backup}.",
                15000)
        for notice in doc.notices:
            self.statusBar().showMessage(notice, 15000)
        return True

    def _show_lock(self) -> None:
        """The banner saying the plan is read-only because another program is editing it."""
        doc = self.context.doc
        holder = doc.locked_by if doc is not None else None
        changed = doc is not None and self.watch.pending
        self.lock_banner.setVisible(holder is not None or changed)
        read_only = doc is not None and (holder is not None or doc.readonly)
        self._show_save_state()
        self.reload_button.setVisible(changed)
        self.take_over_button.setVisible(holder is not None and holder.stale)
        text = ""
        if holder is not None:
            text = (f"Read-only: {holder.describe()} is editing this plan, so your changes "
                    "cannot be saved here.")
            if holder.stale:
                text += " Their program seems to have stopped; you can take the plan over."
        if changed:
            text += (f" {self.watch.who_changed()} saved changes to the plan since you opened it: "
                     "Reload to see them." + ("" if read_only else " Until then your changes "
                                              "cannot be saved here."))
        self.lock_text.setText(text.strip())

    def reload_plan(self) -> bool:
        """Open the plan file again as it is now saved; the view and selection stay."""
        doc = self.context.doc
        if doc is None:
            return False
        selected = self.context.selected_action
        try:
            new = PlanDocument.open(doc.path)
        except (PlanError, OSError) as exc:
            self.statusBar().showMessage(str(exc).splitlines()[0], 15000)
            return False
        self.context.set_document(new)
        if selected in new.plan.actions:
            self.context.select_action(selected)
        self.statusBar().showMessage(f"Reloaded '{new.path.name}' as it is saved now.", 10000)
        return True

    def show_backups(self) -> None:
        """File › Backups…: this plan's backups; restore one."""
        from ui.backups_dialog import BackupsDialog

        if self.context.doc is not None:
            BackupsDialog(self.context, self, reopen=self.reload_plan).exec()

    def _show_save_state(self) -> None:
        """The save state on the right of the status bar: never claims changes are saved when
        they cannot be (issue 9) or one was not (issue 10)."""
        doc = self.context.doc
        read_only = doc is not None and (doc.locked_by is not None or doc.readonly)
        if self.context.unsaved is not None:
            text = "Not saved: the last change could not be written to the plan file"
        elif read_only:
            text = "Read-only: changes cannot be saved"
        else:
            text = "Every change is saved as you make it"
        self.saved_label.setText(text)
        self.saved_label.setStyleSheet(
            f"color: {style.alert_colour().name()}; font-weight: bold;"
            if self.context.unsaved is not None else "")

    def take_over(self) -> bool:
        """Take a stale lock over and reopen the plan for editing."""
        doc = self.context.doc
        if doc is None or doc.locked_by is None or not doc.locked_by.stale:
            return False
        try:
            new = PlanDocument.open(doc.path, take_over=True)
        except (PlanError, OSError) as exc:
            self.statusBar().showMessage(str(exc).splitlines()[0], 15000)
            return False
        self.context.set_document(new)
        return True

    def _after_open(self) -> None:
        self.statusBar().clearMessage()  # an old error is not about this plan
        self._show_lock()
        doc = self.context.doc
        if doc is None:
            return
        path = str(doc.path)
        s = settings()
        # A setting that already holds its value is not set again: any change rewrites the
        # settings file, about 2 ms of every start on the plan opened last time (issue 13).
        if s.value("lastPlan") != path:
            s.setValue("lastPlan", path)
        stored = setting_list(s.value("recentFiles"))
        recent = [path] + [p for p in stored if p != path][:MAX_RECENT - 1]
        if recent != stored:
            s.setValue("recentFiles", recent)
        self._update_undo_actions()
        self._update_title()
        if self.navigator.currentRow() < 0:
            self.show_view("overview")

    def _update_busy(self) -> None:
        pending = self.context.analysis_pending
        self.busy.setVisible(pending)
        if pending:
            self.statusBar().showMessage("Scheduling the plan in the background; dates fill in "
                                         "when it is done.", 10000)

    def _update_title(self) -> None:
        plan = self.context.plan
        if plan is not None:
            self.setWindowTitle(f"{plan.settings.name} — {self.context.doc.path.name} — "
                                "Recovery Change Planner")

    def recent_files(self) -> list[str]:
        """Recently opened plan files, newest first."""
        return setting_list(settings().value("recentFiles"))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if not files:
            act = self.recent_menu.addAction("(none yet)")
            act.setEnabled(False)
            return
        for i, p in enumerate(files):
            act = self.recent_menu.addAction(f"&{i + 1} {Path(p).name}  —  {Path(p).parent}")
            act.triggered.connect(lambda _=False, path=p: self.open_plan(path))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear list", lambda: settings().setValue("recentFiles", []))

    def _start_dir(self, name: str = "") -> str:
        """Where a file dialog starts (``planner.places.start_folder``), with ``name`` offered."""
        doc = self.context.doc
        folder = places.start_folder(doc.path if doc else None)
        return str(folder / name) if name else str(folder)

    def choose_and_open(self) -> None:
        """Ask for a plan file and open it."""
        from PySide6.QtWidgets import QFileDialog
        path, _ = QFileDialog.getOpenFileName(self, "Open a plan", self._start_dir(), PLAN_FILTER)
        if path:
            self.open_plan(path)

    def new_from_template(self) -> None:
        """Start a new plan file from a starter template."""
        from planner.templates import available_templates, load_template

        names = available_templates()
        if not names:
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.information(self, "New plan", "No templates are installed.")
            return
        from PySide6.QtWidgets import QInputDialog
        name, ok = QInputDialog.getItem(self, "New plan from a template", "Template:", names, 0,
                                        False)
        if not ok:
            return
        from PySide6.QtWidgets import QFileDialog
        path, _ = QFileDialog.getSaveFileName(self, "Save the new plan as", self._start_dir(),
                                              PLAN_FILTER)
        if not path:
            return
        if not path.endswith(".rcplan"):
            path += ".rcplan"

        def work(progress):
            progress(None, f"Building the plan from '{name}'…")
            plan = load_template(name, start=date.today())
            PlanDocument.create(path, plan, overwrite=True).close()
            return path

        self._run("New plan", work, on_done=self.open_plan)

    def merge_file(self) -> None:
        """File › Merge…: choose a plan copy, pack or workbook; settle conflicts in the dialog."""
        from ui.merge_dialog import MergeDialog

        if self.context.doc is None:
            return
        from PySide6.QtWidgets import QFileDialog
        path, _ = QFileDialog.getOpenFileName(
            self, "Merge a copy, update pack or workbook", self._start_dir(),
            "Plan copies, packs and workbooks (*.rcplan *.xlsx);;All files (*)")
        if path:
            MergeDialog(self.context, path, self).exec()

    def save_copy(self) -> None:
        """Write a copy of the plan file elsewhere; this file stays open."""
        doc = self.context.doc
        if doc is None:
            return
        from PySide6.QtWidgets import QFileDialog
        path, _ = QFileDialog.getSaveFileName(
            self, "Save a copy as", self._start_dir(doc.path.stem + " copy.rcplan"),
            PLAN_FILTER)
        if not path:
            return
        try:
            dest = doc.save_copy(path)
        except (PlanError, OSError) as exc:
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.warning(self, "Copy not saved", str(exc))
            return
        self.statusBar().showMessage(f"Copy saved as {dest}. This plan stays open.", 10000)

    def import_excel(self) -> None:
        """Make a new plan file from an Excel workbook (in the background) and open it."""
        from PySide6.QtWidgets import QFileDialog
        xlsx, _ = QFileDialog.getOpenFileName(self, "Import a plan workbook", self._start_dir(),
                                              EXCEL_FILTER)
        if xlsx:
            self.import_excel_to(xlsx)

    def import_excel_to(self, xlsx: str, plan_path: str | None = None):
        """Read and check ``xlsx`` off the UI thread; only a workbook that imports is then saved
        (asking where, unless ``plan_path``) and opened (issue 10). Returns the reading task; the
        writing task, once started, is ``self.import_task``."""
        from planner.xlsx import read_workbook

        self.import_task = None

        def read(progress):
            progress(None, f"Reading {Path(xlsx).name}…")
            return read_workbook(xlsx)

        def save(result):
            plan, warnings = result
            target = plan_path or self._ask_import_target(xlsx)
            if not target:
                self.statusBar().showMessage(f"{Path(xlsx).name} was not imported.", 10000)
                return

            def write(progress):
                progress(None, f"Writing {Path(target).name}…")
                PlanDocument.create(target, plan, overwrite=True).close()
                return target

            def opened(_path):
                if self.open_plan(target):
                    msg = f"Imported {Path(xlsx).name}."
                    if warnings:
                        msg += f" {len(warnings)} warning(s): " + warnings[0]
                    self.statusBar().showMessage(msg, 15000)

            self.import_task = self._run("Import from Excel", write, on_done=opened,
                                         error_title="Not imported")

        return self._run("Import from Excel", read, on_done=save, error_title="Not imported")

    def _ask_import_target(self, xlsx: str) -> str:
        """Where to save the plan made from ``xlsx`` (empty if the user cancels)."""
        from PySide6.QtWidgets import QFileDialog
        path, _ = QFileDialog.getSaveFileName(self, "Save the imported plan as",
                                              self._start_dir(Path(xlsx).stem + ".rcplan"),
                                              PLAN_FILTER)
        if path and not path.endswith(".rcplan"):
            path += ".rcplan"
        return path

    def export_excel(self) -> None:
        """Write the plan to an Excel workbook (in the background)."""
        doc = self.context.doc
        if doc is None:
            return
        from PySide6.QtWidgets import QFileDialog
        xlsx, _ = QFileDialog.getSaveFileName(self, "Export to Excel",
                                              self._start_dir(doc.path.stem + ".xlsx"), EXCEL_FILTER)
        if xlsx:
            self.export_excel_to(xlsx)

    def export_excel_to(self, xlsx: str):
        """Export to ``xlsx`` off the UI thread; returns the task."""
        from planner.xlsx import export_workbook

        from planner.packs import workbook_lineage

        import copy

        plan = copy.deepcopy(self.context.plan)  # edits made meanwhile must not tear the export
        lineage = workbook_lineage(self.context.doc)  # on this thread: it reads the plan file

        def work(progress):
            progress(None, f"Writing {Path(xlsx).name}…")
            export_workbook(plan, xlsx, lineage)
            return xlsx

        return self._run("Export to Excel", work, error_title="Not exported",
                         on_done=lambda p: self.statusBar().showMessage(f"Exported to {p}.", 15000))

    def export_deck(self) -> None:
        """Open the board deck export dialog."""
        from ui.export_dialog import ExportDialog

        if self.context.doc is None:
            return
        ExportDialog(self.context, self).exec()

    def _run(self, title: str, work, on_done=None, error_title: str | None = None):
        from ui.workers import run_task  # imported when first needed: not part of start-up

        def failed(exc):
            text = str(exc) if isinstance(exc, (PlanError, OSError)) else (
                f"Something went wrong ({type(exc).__name__}: {exc}).")
            self.statusBar().showMessage(text.splitlines()[0], 15000)
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.warning(self, error_title or title, text)

        return run_task(self, title, work, on_done=on_done, on_error=failed)

    # ----- editing ------------------------------------------------------------------------------

    def _after_change(self, change) -> None:
        self._update_undo_actions()  # the document's stacks are already right when it reports
        self._show_save_state()
        label = change.label
        if label.startswith(("undo: ", "redo: ")):
            text = ("Undone: " if label.startswith("undo") else "Redone: ") + label[6:]
        else:
            text = f"Saved: {label}"
        self.statusBar().showMessage(text, 8000)

    def _update_undo_actions(self) -> None:
        doc = self.context.doc
        undo = doc.undo_label if doc else None
        redo = doc.redo_label if doc else None
        self.act_undo.setEnabled(undo is not None)
        self.act_redo.setEnabled(redo is not None)
        self.act_undo.setText(f"&Undo: {undo}" if undo else "&Undo")
        self.act_redo.setText(f"&Redo: {redo}" if redo else "&Redo")

    def undo(self) -> None:
        """Undo the last change made since the plan was opened."""
        self._undo_redo("undo")

    def redo(self) -> None:
        """Redo the last undone change."""
        self._undo_redo("redo")

    def _undo_redo(self, which: str) -> None:
        doc = self.context.doc
        if doc is None:
            return
        label = doc.undo_label if which == "undo" else doc.redo_label
        if label is None:
            self.statusBar().showMessage(f"Nothing to {which}.", 5000)
            return
        self.context.undo() if which == "undo" else self.context.redo()

    def find_action(self) -> None:
        """Go to the Actions view and put the cursor in its search box."""
        self.show_view("actions")
        self.views["actions"].search.setFocus()
        self.views["actions"].search.selectAll()

    def delete_action(self) -> None:
        """Delete the selected action (asks first)."""
        self.view("actions").delete_selected()

    def open_wizard(self) -> None:
        """The starting-point wizard."""
        from ui.wizard import StartingPointWizard

        if self.context.doc is not None:
            StartingPointWizard(self.context, self).exec()

    def edit_calendar(self) -> None:
        """Plan › Working days and bank holidays…"""
        from ui.calendar_dialog import CalendarDialog

        if self.context.doc is not None:
            CalendarDialog(self.context, self).exec()

    # ----- look and layout ----------------------------------------------------------------------

    def toggle_dark(self, on: bool) -> None:
        """Switch between the light and dark palettes (remembered)."""
        style.apply_style(QApplication.instance(), "dark" if on else "light")
        settings().setValue("theme", "dark" if on else "light")
        for w in self.views.values():
            w.update()

    def shortcut_actions(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every menu command that has keys, read from the QActions."""
        rows = []
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            if menu is None:
                continue
            for act in menu.actions():
                keys = " / ".join(k.toString(QKeySequence.SequenceFormat.PortableText)
                                  for k in act.shortcuts())
                if keys:
                    where = menu_action.text().replace("&", "")
                    rows.append((keys, act.whatsThis() or
                                 f"{where} ▸ {act.text().replace('&', '').rstrip('…')}"))
        return rows

    def shortcut_keys(self) -> list[tuple[str, str]]:
        """(keys, what they do) for the keys that work inside a view rather than from a menu."""
        rows = [("F2 or typing", "Edit the current table cell; Enter keeps it, Esc cancels"),
                ("Tab / Shift+Tab", "Move between controls; Alt + an underlined letter jumps "
                                    "to that control")]
        from PySide6.QtGui import QShortcut

        for key in registry.view_keys():
            widget = self.views.get(key)
            if widget is None:
                continue
            keys_of: dict[str, list[str]] = {}  # one line per thing done, naming all its keys
            for sc in widget.findChildren(QShortcut):
                keys_of.setdefault(sc.whatsThis() or "(not described)", []).append(
                    sc.key().toString(QKeySequence.SequenceFormat.PortableText))
            for what, keys in keys_of.items():
                rows.append((f"{registry.spec(key).title}: {' / '.join(keys)}", what))
        for button in self.findChildren(QPushButton):  # a button's own key (not its Alt+letter)
            keys = button.shortcut()
            if not keys.isEmpty() and keys != QKeySequence.mnemonic(button.text()):
                name = keys.toString(QKeySequence.SequenceFormat.PortableText)
                what = button.toolTip() or button.text().replace("&", "")
                rows.append((name, what.removesuffix(f" ({name})")))
        return rows

    def show_shortcuts(self) -> None:
        """List the keyboard shortcuts: every menu command's keys (from its QAction), then the
        keys of the views' own shortcuts."""
        for key in registry.view_keys():
            self.view(key)  # every view's own keys are listed, not only those already shown
        rows = self.shortcut_actions() + self.shortcut_keys()
        self.shortcut_rows = rows  # what the dialog lists (the tests read it)
        text = "<table>" + "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>"
                                   for k, v in rows) + "</table>"
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.information(self, "Keyboard shortcuts", text)

    def rag_help_text(self) -> str:
        """The RAG rule in words: the same definitions the board deck's appendix prints."""
        from planner.rules import RAG_DEFINITIONS

        return ("<p>Each challenge is rated from its milestones, its actions' deadlines, the "
                "outcome measures filed under it and its high risks. The worst fact decides the "
                "colour; the tile's reason names it, then up to two other facts.</p><table>"
                + "".join(f"<tr><td valign='top'><b>{colour}</b>&nbsp;&nbsp;</td><td>{text}</td></tr>"
                          for colour, text in RAG_DEFINITIONS) + "</table>")

    def show_rag_help(self) -> None:
        """Explain what Red, Amber, Green and Grey mean on the tiles and in the deck."""
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.information(self, "What the RAG ratings mean", self.rag_help_text())

    def show_about(self) -> None:
        """About the program."""
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.about(self, "About Recovery Change Planner",
                          "Recovery Change Planner helps mental-health organisations plan and "
                          "steer recovery-oriented change across the ten organisational "
                          "challenges.\n\n" + SAVED_TEXT)

    def _restore_layout(self) -> None:
        s = settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        self.act_dark.blockSignals(True)
        self.act_dark.setChecked(s.value("theme", "light") == "dark")
        self.act_dark.blockSignals(False)

    def save_layout(self) -> None:
        """Remember the window's size, position and current view."""
        s = settings()
        for key, value in (("window/geometry", self.saveGeometry()),
                           ("window/state", self.saveState()),
                           ("window/view", self.current_view_key())):
            if s.value(key) != value:  # unchanged, it is not written again (about 2 ms a quit)
                s.setValue(key, value)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        # closing the window closes the plan, so its lock is given up and the next program to
        # open it is not told that someone (this window, gone) still has it
        if self.context.doc is not None:
            self.context.doc.close()
        self.closed_cleanly = True  # nothing is left to write: the program may leave at once
        super().closeEvent(event)
