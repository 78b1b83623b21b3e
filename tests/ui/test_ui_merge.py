"""File › Merge…: conflicts side by side, chosen one by one or for all, applied as one step."""

from __future__ import annotations

from PySide6.QtCore import Qt

from planner.document import PlanDocument
from ui.merge_dialog import TAKE, MergeDialog


def test_merge_dialog_shows_conflicts_side_by_side_and_applies_the_choice(qtbot, context,
                                                                         tmp_path):
    doc = context.doc
    aid = sorted(doc.plan.actions)[0]
    other = sorted(doc.plan.actions)[1]
    copy_path = doc.save_copy(tmp_path / "copy.rcplan")
    base_notes = doc.plan.actions[aid].notes
    with PlanDocument.open(copy_path) as theirs:
        theirs.update("action", aid, notes="theirs says so")
        theirs.update("action", other, duration=17)
    doc.update("action", aid, notes="mine says so")
    dialog = MergeDialog(context, copy_path)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    row = [dialog.table.item(0, j).text() for j in range(5)]
    assert row[1:] == ["notes", repr(base_notes) if base_notes else "(blank)",
                       "'mine says so'", "'theirs says so'"]
    assert doc.plan.actions[other].duration != 17  # the trial changed nothing
    dialog.table.cellWidget(0, 5).setCurrentText(TAKE)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert doc.plan.actions[aid].notes == "theirs says so"
    assert doc.plan.actions[other].duration == 17
    assert doc.undo_label == "merge copy.rcplan"
    context.undo()
    assert doc.plan.actions[aid].notes == "mine says so"


def test_a_refused_merge_shows_why_and_cannot_be_applied(qtbot, context, tmp_path):
    stranger = tmp_path / "stranger.rcplan"
    PlanDocument.create(stranger).close()
    dialog = MergeDialog(context, stranger)
    qtbot.addWidget(dialog)
    assert not dialog.apply_button.isEnabled()
    assert "cannot be merged" in dialog.summary.text()


def test_file_menu_offers_merge(window):
    assert "Merge" in window.act_merge.text()
