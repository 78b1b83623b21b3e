"""The banner over the window while an edit could not be written to the plan file (issue 10).

A write that fails (the disk is full, the folder became read-only, the drive went away) is never
silent: the banner says which file and why, the cell keeps what was typed marked "not saved"
(``ColumnTableModel.unsaved_cell``), the status bar says changes are not being saved, and the user
chooses Retry (write it again, e.g. after freeing space) or Discard (show what the file holds).
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from ui.widgets import MessageBanner
from ui.context import AppContext, UnsavedEdit


def describe(edit: UnsavedEdit) -> str:
    """What the edit was, e.g. "forecast of M3: 15 Mar 27" (empty when it was not a cell edit)."""
    from ui.actions_model import shown_value  # the Actions table's model: not needed at start-up

    return "; ".join(f"{name.replace('_', ' ')} of {edit.key}: {shown_value(value) or 'none'}"
                     for name, value in edit.fields.items())


class UnsavedBanner(MessageBanner):
    """"Not saved: …" with Retry and Discard, shown while ``context.unsaved`` holds an edit."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unsavedBanner")
        self.context = context
        self.retry_button = QPushButton("Retry")
        self.retry_button.setToolTip("Write the edit to the plan file again")
        self.discard_button = QPushButton("Discard")
        self.discard_button.setToolTip("Give the edit up: show what the plan file holds")
        row = self.layout()
        row.insertWidget(1, self.retry_button)
        row.insertWidget(2, self.discard_button)
        self.close_button.hide()  # it goes only by Retry or Discard: never unseen
        self.retry_button.clicked.connect(context.retry_unsaved)
        self.discard_button.clicked.connect(context.discard_unsaved)
        context.unsaved_changed.connect(self.show_edit)

    def show_edit(self, edit: UnsavedEdit | None) -> None:
        """Show the edit the file could not take (hide when there is none)."""
        if edit is None:
            self.hide()
            return
        what = describe(edit)
        self.show_message(str(edit.error), "error")
        kept = (f"\nYour edit ({what}) is kept on screen, marked 'not saved'. Retry once the "
                "file can be written, or Discard it.") if what else (
                "\nRetry once the file can be written, or Discard the edit.")
        self.label.setText(f"Not saved: {edit.reason}{kept}")
        self.setAccessibleDescription(self.label.text())

    def dismiss(self) -> None:
        """Esc does not hide an unsaved edit: Discard does (the edit is given up knowingly)."""
