"""The board deck export dialog: where to write, which template, the status date, the report to
compare with, the cover (purpose, assurance, recommendation), which sections, the executive
summary's four answers (drafted from the plan, edited by the lead), an outline of the slides, and
"Open folder" at the end. The same plan can also go out as a calendar of milestones (.ics, for
everyone or one owner) or as MS Project XML, written by the functions the command line uses.

The deck is built and written on a pool thread with progress; reading snapshots before, and
storing the cover, the kept summary and this report's snapshot after, happen on the UI thread
because they use the plan file's connection. Cover fields are stored through the planner's
operations, so they are undoable like any other edit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QPlainTextEdit, QProgressBar, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from planner import operations, places
from planner.errors import PlanError
from planner.model import ASSURANCE_LEVELS, PURPOSES
from ui.context import AppContext
from ui.editors import DateEditor
from ui.widgets import OperationBanner
from ui.workers import Task

COVER_TEXTS = [
    ("board_exec_lead", "E&xecutive lead", "e.g. Chief Nurse"),
    ("board_author", "A&uthor", "e.g. Head of Recovery and Co-production"),
    ("board_previously", "Previously co&nsidered by", "e.g. Quality Committee, 12 Nov 2026"),
    ("board_impact", "E&quality, quality, legal impact", "what the paper changes for each"),
    ("board_lived_experience", "&Lived-experience involvement",
     "who with lived experience shaped this paper, and how"),
]
"""Cover fields kept in the plan as plain text: field, label, hint."""

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


def _choice(items: list[str], current: str, accessible_name: str) -> QComboBox:
    """A drop-down of fixed choices showing ``current`` (added if the plan holds another word)."""
    box = QComboBox()
    box.addItems(items)
    if current and current not in items:
        box.addItem(current)
    box.setCurrentText(current or items[0])
    box.setAccessibleName(accessible_name)
    return box


class ExportDialog(QDialog):
    """Export the board update deck (PowerPoint) from the open plan; also, in a row by the
    buttons, its milestones as a calendar (.ics) and the plan as MS Project XML."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        from reports import SECTIONS, preview_summary
        from reports.deck import snapshot_name

        self.setObjectName("exportDialog")
        self.setWindowTitle("Export board deck")
        self.context = context
        self.task: Task | None = None
        self.report = None
        doc = context.doc
        plan = doc.plan
        st = plan.settings
        lay = QVBoxLayout(self)
        # the two columns scroll when the screen is short or its fonts are tall, so the dialog
        # always fits a laptop screen with its buttons in view
        body = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        lay.addWidget(scroll, 1)
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        form = QFormLayout()
        self.output = QLineEdit(str(places.start_folder(doc.path) / (
            f"{doc.path.stem} board update {(st.as_of or date.today()):%Y-%m-%d}.pptx")))
        self.output.setAccessibleName("Deck file")
        _add_path_row(form, "&Write to:", self.output, "&Browse…", self._browse_output)
        self.template = QLineEdit()
        self.template.setPlaceholderText("The product's own board template")
        self.template.setAccessibleName("Slide template")
        _add_path_row(form, "&Template:", self.template, "B&rowse…", self._browse_template)
        self.as_of = DateEditor(plan=doc.plan)
        self.as_of.set_value(st.as_of or date.today())
        self.as_of.setAccessibleName("Status date of the report")
        form.addRow("&Status date:", self.as_of)
        self.since = QComboBox()
        self.since.setAccessibleName("Compare with the report of")
        self.since.addItem("The last report (latest snapshot)", None)
        for snap in reversed(doc.snapshots()):
            self.since.addItem(snapshot_name(snap), snap.uid)
        form.addRow("&Compare with:", self.since)
        left.addLayout(form)

        cover = QGroupBox("Cover (kept in the plan)")
        cf = QFormLayout(cover)
        self.meeting = QLineEdit(st.board_meeting)
        self.meeting.setAccessibleName("Meeting")
        self.meeting.setPlaceholderText("e.g. Trust Board (meeting in public)")
        cf.addRow("&Meeting:", self.meeting)
        self.meeting_date = DateEditor(plan=doc.plan)
        self.meeting_date.set_value(st.board_date or st.as_of or date.today())
        self.meeting_date.setAccessibleName("Meeting date")
        cf.addRow("Meeting &date:", self.meeting_date)
        self.purpose = _choice(PURPOSES, st.board_purpose, "Purpose of the report")
        cf.addRow("&Purpose:", self.purpose)
        self.assurance = _choice(ASSURANCE_LEVELS, st.board_assurance, "Level of assurance")
        cf.addRow("&Assurance:", self.assurance)
        self.recommendation = QPlainTextEdit(st.board_recommendation)
        self.recommendation.setTabChangesFocus(True)
        self.recommendation.setAccessibleName("Recommendation to the board")
        self.recommendation.setFixedHeight(self.recommendation.fontMetrics().height() * 3 + 12)
        cf.addRow("Recommendation:", self.recommendation)
        self.assurance_check = QLabel("")
        self.assurance_check.setObjectName("assuranceCheck")
        self.assurance_check.setWordWrap(True)
        cf.addRow(self.assurance_check)
        self.assurance.currentIndexChanged.connect(lambda _i: self._check_assurance())
        left.addWidget(cover)
        sheet = QGroupBox("Cover sheet (kept in the plan)")
        sf = QFormLayout(sheet)
        self.cover_texts: dict[str, QLineEdit] = {}
        for fname, label, hint in COVER_TEXTS:
            edit = QLineEdit(getattr(st, fname))
            edit.setAccessibleName(label.replace("&", ""))
            edit.setPlaceholderText(hint)
            self.cover_texts[fname] = edit
            sf.addRow(label + ":", edit)
        right.addWidget(sheet)

        sections = QGroupBox("Sections (the cover is always included)")
        grid = QGridLayout(sections)
        self.sections: dict[str, QCheckBox] = {}
        for i, (key, label) in enumerate(SECTIONS.items()):
            box = QCheckBox(label)
            box.setChecked(True)
            box.setAccessibleName(f"Include {label}")
            self.sections[key] = box
            grid.addWidget(box, i // 2, i % 2)
        left.addWidget(sections)

        outline = QGroupBox("Slides")
        ol = QVBoxLayout(outline)
        self.outline = QListWidget()
        self.outline.setAccessibleName("Outline of the slides")
        self.outline.addItem("Press Preview to list the slides before exporting.")
        ol.addWidget(self.outline, 1)
        self.preview_button = QPushButton("Pre&view slides")
        self.preview_button.setAccessibleName("Preview the outline of the slides")
        self.preview_button.clicked.connect(self.start_preview)
        ol.addWidget(self.preview_button)
        left.addWidget(outline, 1)

        box = QGroupBox("Executive summary (drafted from the plan; edit before exporting)")
        bl = QFormLayout(box)
        bl.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
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
            edit.setMinimumHeight(edit.fontMetrics().height() * 3 + 12)
            self.answers[key] = edit
            bl.addRow(question, edit)
        redraft = QPushButton("Use the draft a&gain")
        redraft.clicked.connect(self._use_draft)
        bl.addRow(redraft)
        right.addWidget(box, 1)
        self.keep = QCheckBox("&Keep this summary in the plan for next time")
        self.keep.setChecked(True)
        self.snapshot = QCheckBox("T&his is the deck presented to the board: store it so the "
                                  "next report compares with it")
        self.snapshot.setChecked(False)
        right.addWidget(self.keep)
        right.addWidget(self.snapshot)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.progress)
        self.banner = OperationBanner(context, self)  # refusals, shown as in every view
        lay.addWidget(self.banner)
        lay.addWidget(self.message)
        lay.addWidget(self._other_formats(plan))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_folder_button = self.buttons.addButton("Open &folder",
                                                         QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder_button.setAccessibleName("Open the folder the deck was written to")
        self.open_folder_button.setEnabled(False)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.export_button = self.buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        # Enter in any box exports (issue 10). Made the default once it is in the dialog, so the
        # dialog knows it and gives it back Enter after another button has had the focus; no
        # other button (Browse…, Preview, Use the draft again) takes Enter over.
        for button in self.findChildren(QPushButton):
            if button is not self.export_button:
                button.setAutoDefault(False)
        self.export_button.setDefault(True)
        self.resize(1180, 720)
        self._check_assurance()

    def _other_formats(self, plan) -> QWidget:
        """A row beside the buttons, always in view: the calendar (everyone's or one owner's)
        and MS Project exports, each written at once."""
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.calendar_owner = QComboBox()
        self.calendar_owner.setAccessibleName("Whose milestones go in the calendar")
        self.calendar_owner.addItem("Everyone, with the board meeting", None)
        names = [p.name for p in plan.people.values()]
        for p in sorted(plan.people.values(), key=lambda p: (p.name.casefold(), p.id)):
            # a name is what the command line's --owner takes; the ID where two share a name
            unique = names.count(p.name) == 1
            self.calendar_owner.addItem(p.name if unique else f"{p.name} ({p.id})",
                                        p.name if unique else p.id)
        owner_label = QLabel("Also from this plan: milestones f&or")
        owner_label.setBuddy(self.calendar_owner)
        self.calendar_button = QPushButton("as a calendar (.&ics)…")
        self.calendar_button.setAccessibleName("Write the milestones as a calendar file")
        self.calendar_button.clicked.connect(self._browse_calendar)
        self.project_button = QPushButton("The plan as MS Pro&ject XML…")
        self.project_button.setAccessibleName("Write the plan as MS Project XML: tasks, links, "
                                              "baselines and the calendar")
        self.project_button.clicked.connect(self._browse_project)
        for w in (owner_label, self.calendar_owner, self.calendar_button):
            line.addWidget(w)
        line.addSpacing(16)
        line.addWidget(self.project_button)
        line.addStretch(1)
        return row

    def _other_path(self, suffix: str) -> Path:
        """Where a calendar or MS Project file goes first: beside the deck, named after the plan."""
        folder = Path(self.output.text().strip() or ".").parent
        return folder / f"{self.context.doc.path.stem}{suffix}"

    def _browse_calendar(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Write the calendar to",
                                              str(self._other_path(" milestones.ics")),
                                              "Calendar (*.ics)")
        if path:
            self.export_calendar(path if path.endswith(".ics") else path + ".ics")

    def _browse_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Write MS Project XML to",
                                              str(self._other_path(".xml")), "MS Project XML (*.xml)")
        if path:
            self.export_project(path if path.endswith(".xml") else path + ".xml")

    def export_calendar(self, path: str) -> bool:
        """Write the chosen owner's milestones (everyone's: no owner) to ``path`` as the command
        line's ``export-ics`` does; True if written."""
        from reports.ics import write_calendar

        owner = self.calendar_owner.currentData()
        return self._write_other("Calendar", lambda: [write_calendar(self.context.plan, path,
                                                                     owner)])

    def export_project(self, path: str) -> bool:
        """Write the plan as MS Project XML to ``path`` as the command line's ``export-mspdi``
        does; True if written."""
        from reports.mspdi import write_project

        return self._write_other("MS Project XML", lambda: write_project(self.context.plan, path))

    def _write_other(self, what: str, write: Callable[[], list[str]]) -> bool:
        """Run one of the other exports and show what it wrote, or why it could not."""
        try:
            lines = write()
        except (PlanError, OSError) as exc:
            self.message.setText(f"{what} not written: {exc}")
            self.context.status_message.emit(f"{what} not written: {str(exc).splitlines()[0]}")
            return False
        self.message.setText("\n".join(lines))
        self.context.status_message.emit(lines[0])
        return True

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

    def _check_assurance(self) -> bool:
        """Show whether the measures support the level of assurance chosen; True if they do."""
        from reports.assurance import check_assurance

        if self.context.plan is None:
            return True
        result = check_assurance(self.context.plan, self.assurance.currentText())
        if result.contradicted:
            self.assurance_check.setText("⚠ " + result.message)
            self.assurance_check.setStyleSheet("color: #B3261E;")
        else:
            self.assurance_check.setText(result.message)
            self.assurance_check.setStyleSheet("")
        self.assurance_check.setAccessibleName("Assurance check: " + result.message)
        return not result.contradicted

    def _use_draft(self) -> None:
        if self.draft is not None:
            for key, edit in self.answers.items():
                edit.setPlainText(getattr(self.draft, key))

    def options(self, output: str):
        """The export options as chosen in the dialog."""
        from reports import ExportOptions, Summary

        summary = Summary(**{k: e.toPlainText().strip() for k, e in self.answers.items()})
        return ExportOptions(output=output, template=self.template.text().strip() or None,
                             as_of=self.as_of.value(), since=self.since.currentData(),
                             summary=summary, keep_summary=self.keep.isChecked(),
                             store_snapshot=self.snapshot.isChecked(),
                             sections=frozenset(k for k, b in self.sections.items()
                                                if b.isChecked()))

    def store_cover(self) -> bool:
        """Keep the cover fields in the plan (one undoable edit); False if they were refused."""
        for editor in (self.as_of, self.meeting_date):
            if not editor.check():  # a date that is not one is never replaced by another day
                self.message.setText(f"{editor.accessibleName()}: {editor.problem()}")
                editor.setFocus()
                return False
        fields = {"board_meeting": self.meeting.text().strip(),
                  "board_date": self.meeting_date.value(),
                  "board_purpose": self.purpose.currentText(),
                  "board_assurance": self.assurance.currentText(),
                  "board_recommendation": self.recommendation.toPlainText().strip()}
        fields.update({k: e.text().strip() for k, e in self.cover_texts.items()})
        return self.context.run(operations.store_board_cover, **fields) is not None

    def _run(self, work, done, busy_text: str):
        """Run ``work`` on a pool thread with progress; ``done(result)`` back on this thread."""
        self.export_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.progress.show()
        self.progress.setValue(0)
        self.message.setText(busy_text)
        self.task = Task(work)
        self.task.progress.connect(self._progress)
        self.task.done.connect(done)
        self.task.failed.connect(self._failed)
        return self.task.start()

    def start_preview(self):
        """Build the deck in memory (nothing written) and list its slides; returns the task.

        It compares with the report chosen in "Compare with", as the export does, so the slides
        listed are the ones the export writes (without the comparison the sample listed 24
        where the export wrote 25: the achieved milestones' table ran onto a second slide)."""
        from reports import build_deck
        from reports.deck import prepare_export

        if not self.store_cover():
            return None
        options = self.options(self.output.text().strip() or "preview.pptx")
        try:
            job = prepare_export(self.context.doc, options)  # the plan copied, as for export
        except PlanError as exc:
            self.message.setText(str(exc))
            return None

        def work(progress):
            _prs, report = build_deck(job.plan, options, previous=job.previous,
                                      previous_as_of=job.previous_as_of,
                                      compared_with=job.compared_with,
                                      progress=lambda share, text: progress(int(share * 100), text))
            return report

        def done(report) -> None:
            self._finished()
            self._show_outline(report)
            self.message.setText(f"{len(report.outline)} slides would be written.")

        return self._run(work, done, "Listing the slides…")

    def start_export(self):
        """Build and write the deck off the UI thread; returns the task."""
        from reports.deck import prepare_export, run_export

        output = self.output.text().strip()
        if not output:
            self.context.refuse("Choose where to write the deck.")
            return None
        if not self.store_cover():
            return None
        try:
            # the plan is copied here, so edits made meanwhile cannot tear the deck
            job = prepare_export(self.context.doc, self.options(output))
        except PlanError as exc:
            self.message.setText(str(exc))
            return None

        def work(progress):
            return run_export(job, lambda share, text: progress(int(share * 100), text))

        return self._run(work, lambda report: self._done(report, job), "Building the deck…")

    def _progress(self, pct, text: str) -> None:
        if pct is not None:
            self.progress.setValue(int(pct))
        if text:
            self.message.setText(text)

    def _finished(self) -> None:
        self.progress.setValue(100)
        self.export_button.setEnabled(True)
        self.preview_button.setEnabled(True)

    def _show_outline(self, report) -> None:
        self.outline.clear()
        for entry in report.outline:
            self.outline.addItem(f"{entry.number:>2}.  {entry.title}")

    def _done(self, report, job) -> None:
        from reports.deck import finish_export

        options = job.options
        try:
            finish_export(self.context.doc, job, report)
        except PlanError as exc:
            report.notes.append(f"The deck was written but the summary was not kept: {exc}")
        self.report = report
        self._finished()
        self._show_outline(report)
        self.open_folder_button.setEnabled(True)
        self.message.setText("Written: " + str(Path(options.output)) + "\n"
                             + "\n".join(report.lines()[:6]))
        self.context.status_message.emit(f"Board deck written to {options.output}.")

    def open_folder(self) -> bool:
        """Show the folder holding the written deck in the desktop's file manager."""
        if self.report is None:
            return False
        folder = Path(self.report.output).resolve().parent
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _failed(self, exc) -> None:
        self.export_button.setEnabled(True)
        self.preview_button.setEnabled(True)
        self.progress.hide()
        text = str(exc) if isinstance(exc, (PlanError, OSError)) else (
            f"Something went wrong ({type(exc).__name__}: {exc}).")
        self.message.setText(f"Not exported: {text}")
        self.context.status_message.emit(f"Board deck not exported: {text.splitlines()[0]}")
