"""Import and export typed from the keyboard (issue 10, items 4 and 10): the file names are typed
into the file dialogs, the workbook is read and checked before the window asks where to save the
plan, a file that is not a workbook is named in plain words, no progress box is left over a
message, and what lands on disk is checked by opening the files."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.document import PlanDocument
from tests.ui_helpers import Dialogs, press_enter, type_file_name, wait_for_tasks


def activate(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


@pytest.fixture
def active(window, qtbot):
    return activate(window, qtbot)


def ctrl(window, key, shift=False):
    mods = Qt.KeyboardModifier.ControlModifier
    if shift:
        mods |= Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window, key, mods)


def test_a_csv_renamed_xlsx_is_named_in_plain_words_before_any_save_question(active, tmp_path):
    (tmp_path / "in").mkdir()
    csv = tmp_path / "in" / "plan.xlsx"
    csv.write_text("Action,Owner,Start\nA1,Jo,01/03/2027\n")
    before = active.context.doc.path
    dialogs = Dialogs(type_file_name(csv), press_enter)
    ctrl(active, Qt.Key.Key_I)
    wait_for_tasks()
    QApplication.processEvents()
    dialogs.stop()
    kinds = [(kind, title) for kind, title, _text in dialogs.seen]
    # the workbook is read first: the only question was which file; no "save the plan as"
    assert kinds == [("QFileDialog", "Import a plan workbook"), ("QMessageBox", "Not imported")]
    message = dialogs.seen[1][2]
    assert message.startswith("'plan.xlsx' is not an Excel workbook (.xlsx)")
    assert "CSV" in message and "zip" not in message
    assert dialogs.stuck == []  # no progress box left over the message
    assert QApplication.activeModalWidget() is None  # Enter closed it
    assert active.context.doc.path == before
    assert sorted(p.name for p in csv.parent.iterdir()) == ["plan.xlsx"]  # nothing written


def test_import_by_keyboard_reads_then_asks_then_holds_the_workbooks_plan(window, tmp_path,
                                                                          qtbot):
    xlsx = tmp_path / "exported.xlsx"
    count = len(window.context.plan.actions)
    task = window.export_excel_to(str(xlsx))
    assert task.wait(30000) and task.error is None
    active = activate(window, qtbot)  # the export's progress box may have taken the focus
    target = tmp_path / "from excel"  # typed without .rcplan: the window adds it
    dialogs = Dialogs(type_file_name(xlsx), type_file_name(target))
    ctrl(active, Qt.Key.Key_I)
    wait_for_tasks()
    dialogs.stop()
    assert [title for _k, title, _t in dialogs.seen] == ["Import a plan workbook",
                                                         "Save the imported plan as"]
    made = tmp_path / "from excel.rcplan"
    assert active.context.doc.path == made
    active.context.doc.close()
    with PlanDocument.open(made) as doc:
        assert len(doc.plan.actions) == count
        assert doc.plan.settings.name.startswith("Northmoor")


def test_export_a_deck_by_keyboard_writes_the_typed_file(active, tmp_path, qtbot):
    from pptx import Presentation

    out = tmp_path / "board" / "update.pptx"
    out.parent.mkdir()

    def answer(dialog):
        dialog.output.setFocus()
        dialog.output.selectAll()
        QTest.keyClicks(dialog.output, str(out))
        QTest.keyClick(dialog.output, Qt.Key.Key_Return)  # Export is the default button
        try:
            qtbot.waitUntil(lambda: dialog.message.text().startswith(("Written", "Not exported")),
                            timeout=60000)
        finally:
            QTest.keyClick(dialog, Qt.Key.Key_Escape)

    dialogs = Dialogs(answer)  # a second dialog (Browse…) would be shut and show in ``seen``
    ctrl(active, Qt.Key.Key_E, shift=True)
    wait_for_tasks(60000)
    dialogs.stop()
    assert [kind for kind, _t, _x in dialogs.seen] == ["ExportDialog"]
    assert out.exists()
    deck = Presentation(str(out))
    text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                    if shape.has_text_frame)
    assert len(deck.slides) > 3 and "Northmoor" in text


def test_bank_holidays_region_and_a_day_off_typed_in_the_plan_menu(active, qtbot):
    """Issue 10, item 8: bank holidays by region, editable in the window and undoable."""
    from datetime import date

    from planner import operations

    ctx = active.context
    ctx.run(operations.set_bank_holidays, "England and Wales")

    def answer(dialog):
        dialog.region.setFocus()
        QTest.keyClicks(dialog.region, "Scotland")  # a closed list box picks by typing
        dialog.new_day.setFocus()
        QTest.keyClicks(dialog.new_day, "14/06/2027")
        QTest.keyClick(dialog.new_day, Qt.Key.Key_Return)
        shown = [dialog.days.item(i).text() for i in range(dialog.days.count())]
        assert "Mon 14 Jun 2027" in shown and "Tue 30 Nov 2027" in shown
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    dialogs = Dialogs(answer)
    active.act_calendar.trigger()
    dialogs.stop()
    assert [kind for kind, _t, _x in dialogs.seen] == ["CalendarDialog"]
    assert active.act_undo.text() == "&Undo: change non-working days"
    path = ctx.doc.path
    ctx.doc.close()
    with PlanDocument.open(path) as doc:
        s = doc.plan.settings
        assert s.holiday_region == "Scotland"
        assert date(2027, 6, 14) in s.holidays and date(2027, 11, 30) in s.holidays
        assert date(2027, 3, 29) not in s.holidays  # Easter Monday is not one in Scotland
