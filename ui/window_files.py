"""The main window's files: opening a plan (the bundled sample as a copy of its own, recent
files, the last plan), reloading it or taking a stale lock over, the lock banner and the save
state, and the File menu's commands (new from a template, merge, a copy, backups, Excel import
and export, the board deck), the slow ones run in the background.

There is no "Save": every edit is written to the plan file when it is made. Opening a file is
never an undoable step; a file that cannot be opened leaves the current plan open and says why.

``PlanFiles`` is a part of ``ui.main_window.MainWindow``: it uses the window's context, watch,
banners, status bar and recent-files menu.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

# Dialogs (QMessageBox, QFileDialog, QInputDialog) are imported where they are opened: making
# their Python types costs start-up about 2 ms and the first window shows none (issue 13).

from planner import places
from planner.document import PlanDocument
from planner.errors import PlanError
from ui import style
from ui.window_views import setting_list, settings

REPO = Path(__file__).resolve().parent.parent
SAMPLE_PLAN = REPO / "sample_plans" / "northmoor.rcplan"
MAX_RECENT = 8
PLAN_FILTER = "Recovery plans (*.rcplan);;All files (*)"
EXCEL_FILTER = "Excel workbooks (*.xlsx)"


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


class PlanFiles:
    """Opening, reloading and taking over the plan; the File menu's commands."""

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
