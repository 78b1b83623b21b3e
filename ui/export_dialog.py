"""The board deck export dialog: where to write, which template, the status date, the report to
compare with, and the executive summary's four answers (drafted from the plan, edited by the lead).

The deck is built and written on a pool thread with progress; reading snapshots before, and
storing the kept summary and this report's snapshot after, happen on the UI thread because they
use the plan file's connection.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from planner.errors import PlanError
from ui.editors import DateEditor
from ui.context import AppContext
from ui.workers import Task

QUESTIONS = [("on_track", "Are we on track?"), ("changed", "What has changed?"),
             ("next", "What happens next?"), ("decisions", "What do we need from the board?")]


def _add_path_row(form: QFormLayout, label_text: str, edit: QLineEdit, button_text: str,
                  browse: Callable[[], None]) -> None:
    """Add a labelled row to ``form``: the path ``edit`` and a button that calls ``browse``."""
    button = QPushButton(button_text)
    button.clicked.connect(browse)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    label = QLabel(label_text)
    label.setBuddy(edit)
    form.addRow(label, row)


class ExportDialog(QDialog):
    """Export the board update deck (PowerPoint) from the open plan."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        from planner.export import preview_summary

        self.setObjectName("exportDialog")
        self.setWindowTitle("Export board deck")
        self.context = context
        self.task: Task | None = None
        self.report = None
        doc = context.doc
        plan = doc.plan
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.output = QLineEdit(str(doc.path.with_name(
            f"{doc.path.stem} board update {(plan.settings.as_of or date.today()):%Y-%m-%d}.pptx")))
        self.output.setAccessibleName("Deck file")
        _add_path_row(form, "&Write to:", self.output, "&Browse…", self._browse_output)
        self.template = QLineEdit()
        self.template.setPlaceholderText("The product's own board template")
        self.template.setAccessibleName("Slide template")
        _add_path_row(form, "&Template:", self.template, "B&rowse…", self._browse_template)
        self.as_of = DateEditor()
        self.as_of.set_value(plan.settings.as_of or date.today())
        self.as_of.setAccessibleName("Status date of the report")
        form.addRow("&Status date:", self.as_of)
        self.since = QComboBox()
        self.since.setAccessibleName("Compare with the report of")
        self.since.addItem("The last report (latest snapshot)", None)
        for snap in reversed(doc.snapshots()):
            self.since.addItem(f"{snap.label} ({snap.created:%d %b %Y})", snap.uid)
        form.addRow("&Compare with:", self.since)
        lay.addLayout(form)

        box = QGroupBox("Executive summary (drafted from the plan; edit before exporting)")
        bl = QFormLayout(box)
        self.answers: dict[str, QPlainTextEdit] = {}
        try:
            shown, self.draft = preview_summary(doc, as_of=self.as_of.value())
        except PlanError as exc:
            shown = self.draft = None
            bl.addRow(QLabel(f"No draft: {exc}"))
        for key, question in QUESTIONS:
            edit = QPlainTextEdit(getattr(shown, key, "") if shown else "")
            edit.setTabChangesFocus(True)
            edit.setAccessibleName(question)
            edit.setFixedHeight(edit.fontMetrics().height() * 3 + 12)
            self.answers[key] = edit
            bl.addRow(question, edit)
        redraft = QPushButton("Use the &draft again")
        redraft.clicked.connect(self._use_draft)
        bl.addRow("", redraft)
        lay.addWidget(box, 1)
        self.keep = QCheckBox("&Keep this summary in the plan for next time")
        self.keep.setChecked(True)
        self.snapshot = QCheckBox("Store a snapshot as the &baseline for the next report")
        self.snapshot.setChecked(True)
        lay.addWidget(self.keep)
        lay.addWidget(self.snapshot)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.resize(760, 700)

    def _browse_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Write the deck to", self.output.text(),
                                              "PowerPoint (*.pptx)")
        if path:
            self.output.setText(path if path.endswith(".pptx") else path + ".pptx")

    def _browse_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Slide template", "",
                                              "PowerPoint (*.pptx *.potx)")
        if path:
            self.template.setText(path)

    def _use_draft(self) -> None:
        if self.draft is not None:
            for key, edit in self.answers.items():
                edit.setPlainText(getattr(self.draft, key))

    def start_export(self):
        """Build and write the deck off the UI thread; returns the task."""
        from planner.export import ExportOptions, Summary
        from planner.export.deck import prepare_export, run_export

        doc = self.context.doc
        output = self.output.text().strip()
        if not output:
            self.message.setText("Choose where to write the deck.")
            return None
        summary = Summary(**{k: e.toPlainText().strip() for k, e in self.answers.items()})
        options = ExportOptions(output=output, template=self.template.text().strip() or None,
                                as_of=self.as_of.value(), since=self.since.currentData(),
                                summary=summary, keep_summary=self.keep.isChecked(),
                                store_snapshot=self.snapshot.isChecked())
        try:
            # the plan is copied here, so edits made meanwhile cannot tear the deck
            job = prepare_export(doc, options)
        except PlanError as exc:
            self.message.setText(str(exc))
            return None

        def work(progress):
            return run_export(job, lambda share, text: progress(int(share * 100), text))

        self.export_button.setEnabled(False)
        self.progress.show()
        self.progress.setValue(0)
        self.message.setText("Building the deck…")
        self.task = Task(work)
        self.task.progress.connect(self._progress)
        self.task.done.connect(lambda report: self._done(report, job))
        self.task.failed.connect(self._failed)
        return self.task.start()

    def _progress(self, pct, text: str) -> None:
        if pct is not None:
            self.progress.setValue(int(pct))
        if text:
            self.message.setText(text)

    def _done(self, report, job) -> None:
        from planner.export.deck import finish_export

        options = job.options
        try:
            finish_export(self.context.doc, job, report)
        except PlanError as exc:
            report.notes.append(f"The deck was written but the summary was not kept: {exc}")
        self.report = report
        self.progress.setValue(100)
        self.export_button.setEnabled(True)
        self.message.setText("Written: " + str(Path(options.output)) + "\n"
                             + "\n".join(report.lines()[:6]))
        self.context.status_message.emit(f"Board deck written to {options.output}.")

    def _failed(self, exc) -> None:
        self.export_button.setEnabled(True)
        self.progress.hide()
        text = str(exc) if isinstance(exc, (PlanError, OSError)) else (
            f"Something went wrong ({type(exc).__name__}: {exc}).")
        self.message.setText(f"Not exported: {text}")
        self.context.status_message.emit(f"Board deck not exported: {text.splitlines()[0]}")
