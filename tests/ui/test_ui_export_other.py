"""The export dialog also writes the calendar (.ics) and MS Project XML, as the command line does."""

from __future__ import annotations

import io
import shutil

from icalendar import Calendar

from planner.mspdi_read import read_mspdi
from reports.cli import run_export_ics, run_export_mspdi


def make_dialog(window):
    from ui.export_dialog import ExportDialog

    return ExportDialog(window.context, window)


def choose_file(monkeypatch, path):
    """The save-file dialog answers ``path`` (as a user picking it would)."""
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def test_one_owners_calendar_from_the_dialog_reads_back_as_their_milestones(window, tmp_path,
                                                                            monkeypatch):
    plan = window.context.plan
    dialog = make_dialog(window)
    owner = plan.people[plan.milestones["M8"].owner]
    dialog.calendar_owner.setCurrentIndex(dialog.calendar_owner.findText(owner.name))
    out = tmp_path / "mine.ics"
    choose_file(monkeypatch, out)
    dialog.calendar_button.click()
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    theirs = [m for m in plan.milestones.values() if m.owner == owner.id]
    assert len(events) == len(theirs) > 0
    assert {str(e["summary"]).split(": ", 1)[1].removesuffix(" (achieved)") for e in events} == {
        m.title for m in theirs}
    # the words the command line prints for the same export
    cli = io.StringIO()
    copy = tmp_path / "copy.rcplan"
    shutil.copy(window.context.doc.path, copy)
    run_export_ics(str(copy), str(out), owner.name, cli)
    assert dialog.message.text() == cli.getvalue().strip()
    dialog.reject()


def test_ms_project_xml_from_the_dialog_reads_back_as_the_plan(window, tmp_path, monkeypatch):
    plan = window.context.plan
    dialog = make_dialog(window)
    out = tmp_path / "plan.xml"
    choose_file(monkeypatch, out)
    dialog.project_button.click()
    back = read_mspdi(out).plan
    assert set(back.actions) == {k for k, a in plan.actions.items() if a.status != "cancelled"}
    assert set(back.milestones) == set(plan.milestones)
    cli = io.StringIO()
    copy = tmp_path / "copy.rcplan"
    shutil.copy(window.context.doc.path, copy)
    run_export_mspdi(str(copy), str(out), cli)
    assert dialog.message.text() == cli.getvalue().rstrip("\n")
    dialog.reject()


def test_a_folder_is_refused_in_words_and_nothing_is_written(window, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    dialog = make_dialog(window)
    assert not dialog.export_calendar(str(folder))
    assert dialog.message.text().startswith("Calendar not written: ")
    assert "is a folder" in dialog.message.text()
    assert list(folder.iterdir()) == []
    dialog.reject()
