"""The main window: a plan header, a side navigator over the views, menus, undo and redo.

The views come from ui/registry.py (navigator, View menu and F1 list all read it); every edit goes
through ``AppContext.run`` (ui/context.py), and Undo and Redo too. The window is put together
here, with its menus and what the Edit and Plan menus do; its parts live beside it: files
(ui/window_files.py), views and layout (ui/window_views.py), the Help menu (ui/window_help.py),
the header and status bar (ui/window_bars.py).

There is no "Save": every edit is written to the plan file when it is made, and the status bar
says so.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMainWindow, QProgressBar, QPushButton, QStackedWidget,
                               QVBoxLayout, QWidget)
# Dialogs (QMessageBox, QFileDialog, QInputDialog) are imported where they are opened: making
# their Python types costs start-up about 2 ms and the first window shows none (issue 13).

from ui import registry
from ui.context import AppContext
from ui.widgets import PlanUndoKeys
from ui.plan_watch import PlanWatch
from ui.unsaved import UnsavedBanner
from ui.window_bars import SAVED_TEXT, PlanHeader, PlanStatusBar
from ui.window_files import PlanFiles
from ui.window_help import WindowHelp
from ui.window_views import WindowViews


class MainWindow(PlanFiles, WindowViews, WindowHelp, QMainWindow):
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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        # closing the window closes the plan, so its lock is given up and the next program to
        # open it is not told that someone (this window, gone) still has it
        if self.context.doc is not None:
            self.context.doc.close()
        self.closed_cleanly = True  # nothing is left to write: the program may leave at once
        super().closeEvent(event)
