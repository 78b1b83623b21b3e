"""File › Backups…: the open plan's backups (when, why, size), and restoring one (issue 9).

The list is ``planner.backups.backups_of`` (the same as ``python main.py backups PLAN``). Restore
asks first and says what happens: the plan as it is now is backed up before the chosen copy is put
back (``planner.backups.restore``, the same as ``python main.py restore``), so nothing is lost; and
restoring is not an edit, so Undo cannot take it back (restore the "before restore" backup
instead). The window then opens the restored plan again, in the same view.

A plan open read-only (someone else is editing it) is never restored from here: the dialog lists
its backups and says why Restore is not offered.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QMessageBox, QTableWidget, QTableWidgetItem, QVBoxLayout)

from planner import backups
from planner.backups import BackupInfo
from planner.errors import PlanError
from ui.context import AppContext
from ui.widgets import OperationBanner

COLUMNS = ["When", "Why", "Size"]


class BackupsDialog(QDialog):
    """Lists the open plan's backups, newest first; Restore puts the chosen one back."""

    def __init__(self, context: AppContext, parent=None,
                 reopen: Callable[[], bool] | None = None):
        super().__init__(parent)
        self.context = context
        self.reopen = reopen  # opens the restored file in the window (MainWindow.reload_plan)
        self.listed: list[BackupInfo] = []
        self.restored: BackupInfo | None = None
        doc = context.doc
        self.setWindowTitle(f"Backups of {doc.path.name}")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        self.banner = OperationBanner(context, self)
        layout.addWidget(self.banner)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Backups of this plan: when, why, size; newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.activated.connect(lambda _index: self.restore())  # Enter or double-click
        layout.addWidget(self.table, 1)
        self.note = QLabel()
        self.note.setObjectName("backupsNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = self.buttons.addButton("&Restore…",
                                                     QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setToolTip("Put the chosen backup back as this plan (asks first; the "
                                       "plan as it is now is backed up before)")
        self.restore_button.clicked.connect(self.restore)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.fill()
        self.table.setFocus()

    # ----- the list -----------------------------------------------------------------------------

    def fill(self) -> None:
        """Read the backups folder again and list what is there."""
        doc = self.context.doc
        self.listed = backups.backups_of(doc.path)
        self.table.setRowCount(len(self.listed))
        for row, b in enumerate(self.listed):
            for col, text in enumerate((b.when_text, b.reason or "copy", b.size_text)):
                item = QTableWidgetItem(text)
                item.setToolTip(str(b.path))
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        if self.listed:
            self.table.selectRow(0)
            where = self.listed[0].path.parent
            self.intro.setText(
                f"{len(self.listed)} backup{'s' if len(self.listed) != 1 else ''} of "
                f"'{doc.path.name}', newest first, kept in {where}. One is taken on the first "
                f"save of each day, before the file is updated to a new version and before a "
                f"restore; the newest {backups.KEEP} are kept.")
        else:
            self.intro.setText(
                f"No backups of '{doc.path.name}' yet. One is taken on the first save of each "
                f"day, before the file is updated to a new version and before a restore "
                f"(in {backups.data_folder()}).")
        if doc.readonly:
            who = (f"{doc.locked_by.describe()} is editing it" if doc.locked_by is not None
                   else "it was opened only to read")
            self.note.setText(f"This plan is open read-only ({who}), so a backup cannot be "
                              "restored here. Whoever is editing it can restore one.")
        else:
            self.note.setText("Restoring puts the chosen copy back as this plan. The plan as it "
                              "is now is backed up first. Restoring is not an edit: Undo cannot "
                              "take it back; restore the 'before restore' backup instead.")
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        """The backup chosen in the list."""
        rows = self.table.selectionModel().selectedRows()
        return self.listed[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None
                                       and not self.context.doc.readonly)

    # ----- restoring ----------------------------------------------------------------------------

    def confirm_text(self, b: BackupInfo) -> str:
        """What the confirmation says before ``b`` is restored."""
        return (f"Put back the backup from {b.when_text} ({b.reason or 'copy'}) as "
                f"'{self.context.doc.path.name}'?\n\n"
                "The plan as it is now is backed up first, so nothing is lost: it appears in "
                "this list as 'before restore'.\n\n"
                "Restoring is not an edit: Undo cannot take it back, and the changes listed "
                "under Undo are left behind. To go back, restore the 'before restore' backup.")

    def restore(self) -> bool:
        """Ask, then put the chosen backup back and reopen the plan; True if it was restored."""
        doc = self.context.doc
        b = self.selected()
        if b is None:
            return False
        if doc.readonly:
            self.context.refuse(f"'{doc.path.name}' is open read-only, so no backup can be "
                                "restored here; nothing was changed.")
            return False
        answer = QMessageBox.question(
            self, "Restore a backup", self.confirm_text(b),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            _source, before = backups.restore(doc.path, str(b.path))
        except PlanError as exc:
            self.context.refuse(exc)
            return False
        self.restored = b
        if self.reopen is not None and not self.reopen():
            self.context.refuse(f"The backup was restored, but '{doc.path.name}' could not be "
                                "opened again; open it from File › Open recent.")
            self.fill()
            return True
        kept = " The plan as it was is kept as the 'before restore' backup." if before else ""
        self.context.status_message.emit(f"Restored the backup from {b.when_text}.{kept}")
        self.accept()
        return True
