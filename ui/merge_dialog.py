"""File › Merge…: bring in another copy of the plan, an update pack or an exported workbook.

The dialog first runs the merge as a trial (nothing is changed) and shows what would change and
every conflict side by side: the record, the field, the value both sides started from (base),
this plan's value (mine) and the incoming one (theirs). The lead chooses per conflict, or for
all at once, then applies: the merge runs through the window's one path for operations
(``AppContext.run``), as one undoable step. A refused merge (another plan, a tampered pack, a
loop) shows its reason in the dialog's banner and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QHeaderView)

from planner.changes import WHOLE
from planner.errors import PlanError
from planner.merge import MergeReport, merge_copy, show
from planner.packs import merge_pack
from ui.context import AppContext
from ui.widgets import OperationBanner

KEEP, TAKE = "Keep mine", "Take theirs"
COLUMNS = ["Record", "Field", "Base", "Mine (this plan)", "Theirs (incoming)", "Choice"]


def merge_operation(path: str | Path):
    """The planner operation that merges ``path``: a plan copy, or a pack / workbook (.xlsx)."""
    if str(path).lower().endswith((".xlsx", ".xlsm")):
        def run(doc, **kwargs):
            prefer = {"theirs": "pack", "mine": "plan"}.get(kwargs.pop("prefer", None) or "")
            return merge_pack(doc, path, prefer=prefer or None, **kwargs).report
        return run
    return lambda doc, **kwargs: merge_copy(doc, path, **kwargs)


class MergeDialog(QDialog):
    """Shows a trial merge of one file, lets the lead settle each conflict, then applies it."""

    def __init__(self, context: AppContext, path: str | Path, parent=None):
        super().__init__(parent)
        self.context = context
        self.path = Path(path)
        self.operation = merge_operation(path)
        self.report: MergeReport | None = None
        self.result: MergeReport | None = None
        self.setWindowTitle(f"Merge {self.path.name}")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        self.banner = OperationBanner(context, self)
        layout.addWidget(self.banner)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(140)
        self.details.setAccessibleName("What the merge changes")
        layout.addWidget(self.details)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Conflicts: field, base, mine, theirs")
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.all_mine = QPushButton("Keep &mine for all")
        self.all_theirs = QPushButton("Take &theirs for all")
        self.all_mine.clicked.connect(lambda: self.choose_all(KEEP))
        self.all_theirs.clicked.connect(lambda: self.choose_all(TAKE))
        row.addWidget(self.all_mine)
        row.addWidget(self.all_theirs)
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton("&Merge",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.trial()

    def trial(self) -> None:
        """Run the merge without changing anything and show what it would do."""
        try:
            self.report = self.operation(self.context.doc, dry_run=True)
        except PlanError as exc:
            self.report = None
            self.banner.show_message(str(exc), "error")
            self.summary.setText("This file cannot be merged; nothing was changed.")
            self.apply_button.setEnabled(False)
            self.all_mine.setEnabled(False)
            self.all_theirs.setEnabled(False)
            return
        r = self.report
        self.summary.setText(
            f"{len(r.applied)} change{'s' if len(r.applied) != 1 else ''} to bring in from "
            f"{r.source}; {len(r.conflicts)} conflict{'s' if len(r.conflicts) != 1 else ''} "
            "to settle. Nothing changes until you press Merge; one Undo takes it all back.")
        self.details.setPlainText("\n".join(r.applied + [f"renumbered: {x}" for x in r.renamed]
                                            + [f"note: {x}" for x in r.notes]))
        self.table.setRowCount(len(r.conflicts))
        for i, c in enumerate(r.conflicts):
            record = f"{c.key} {c.title}".strip()
            field = "whole record" if c.field == WHOLE else c.field.replace("_", " ")
            base, mine, theirs = ((c.reason, "", "") if c.field == WHOLE
                                  else (show(c.base), show(c.mine), show(c.theirs)))
            for j, text in enumerate([record, field, base, mine, theirs]):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(i, j, item)
            choice = QComboBox()
            choice.addItems([KEEP, TAKE])
            choice.setAccessibleName(f"Choice for {record} {field}")
            self.table.setCellWidget(i, 5, choice)

    def choose_all(self, text: str) -> None:
        """Set every conflict's choice at once."""
        for i in range(self.table.rowCount()):
            self.table.cellWidget(i, 5).setCurrentText(text)

    def choices(self) -> dict[tuple, str]:
        """The lead's choice for each conflict, by the conflict's identity."""
        if self.report is None:
            return {}
        return {c.ident: ("theirs" if self.table.cellWidget(i, 5).currentText() == TAKE
                          else "mine") for i, c in enumerate(self.report.conflicts)}

    def apply(self) -> None:
        """Merge for real with the chosen sides, through the window's one path for operations."""
        result = self.context.run(self.operation, choices=self.choices())
        if result is None:  # refused: the context showed why; nothing changed
            self.summary.setText("The merge was refused; nothing was changed.")
            return
        self.result = result
        self.context.status_message.emit(
            f"Merged {self.path.name}: {len(result.applied)} changes, "
            f"{len(result.conflicts)} conflicts settled.")
        self.accept()

